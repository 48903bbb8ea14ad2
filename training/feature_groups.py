"""Business groups of the model's features: what a reason code talks about.

Imported through `training.features`. A customer is told "External credit scores", never
"EXT_SOURCE_2": every output feature belongs to exactly one group below.
"""

GROUP_LABELS = {
    "external_scores": "External credit scores",
    "age": "Age",
    "employment": "Employment history",
    "income": "Income",
    "credit_income": "Credit amount relative to income",
    "annuity_burden": "Repayment burden relative to income",
    "loan_term": "Loan duration",
    "goods_credit": "Credit amount relative to the goods price",
    "bureau": "Loans at other lenders (credit bureau)",
    "bureau_late": "Late payments reported by the credit bureau",
    "bureau_enquiries": "Recent credit bureau enquiries",
    "prev_refused": "Previous refused applications",
    "prev_apps": "Previous applications",
    "late_installments": "Late payments on previous loans",
    "underpayment": "Underpaid instalments",
    "credit_card": "Credit card use",
    "pos": "Previous point-of-sale loans",
    "education": "Education",
    "occupation": "Job and employer",
    "housing": "Housing and assets",
    "region": "Region and address",
    "household": "Household size",
    "social_circle": "Defaults in the client's social circle",
    "contact_docs": "Contact details and documents",
    "application": "Application details",
}
# Groups that may never be given as reasons. Empty by construction: the protected columns
# (gender, family status) are not model inputs at all. Kept so the scoring code can check.
PROTECTED_GROUPS = frozenset()
# Age may lower a risk estimate but must never be told to a client as a reason for refusal.
NEVER_A_REFUSAL_REASON = frozenset({"age"})

# Exact names first, then prefixes (first match wins), then the housing-building suffixes.
_EXACT = {
    "DAYS_BIRTH": "age",
    "DAYS_EMPLOYED": "employment",
    "DAYS_EMPLOYED_ANOMALY": "employment",
    # computed from DAYS_BIRTH, so about age whatever else they read (training.engineered)
    "EMPLOYED_AGE_RATIO": "age",
    "EXT_SOURCES_MEAN_X_AGE": "age",
    "PHONE_CHANGE_AGE_RATIO": "age",
    "ID_PUBLISH_AGE_RATIO": "age",
    "EXT_SOURCES_MEAN_X_PAYMENT_RATE": "external_scores",
    "CONTACT_FLAG_COUNT": "contact_docs",
    "REGION_MISMATCH_COUNT": "region",
    "ENQUIRY_COUNT": "bureau_enquiries",
    "SOCIAL_CIRCLE_DEFAULT_RATIO": "social_circle",
    "MISSING_COUNT": "application",
    "NAME_INCOME_TYPE": "employment",
    "AMT_INCOME_TOTAL": "income",
    "INCOME_PER_FAMILY_MEMBER": "income",
    "AMT_CREDIT": "credit_income",
    "CREDIT_INCOME_RATIO": "credit_income",
    "AMT_ANNUITY": "annuity_burden",
    "ANNUITY_INCOME_RATIO": "annuity_burden",
    "ANNUITY_CREDIT_RATIO": "loan_term",
    "CREDIT_TERM": "loan_term",
    "AMT_GOODS_PRICE": "goods_credit",
    "GOODS_CREDIT_RATIO": "goods_credit",
    "CREDIT_GOODS_DIFFERENCE": "goods_credit",
    "NAME_EDUCATION_TYPE": "education",
    "OCCUPATION_TYPE": "occupation",
    "ORGANIZATION_TYPE": "occupation",
    "NAME_HOUSING_TYPE": "housing",
    "FLAG_OWN_CAR": "housing",
    "FLAG_OWN_REALTY": "housing",
    "OWN_CAR_AGE": "housing",
    "CNT_CHILDREN": "household",
    "CNT_FAM_MEMBERS": "household",
    "CHILDREN_FAMILY_RATIO": "household",
    "DAYS_REGISTRATION": "region",
    "REGION_POPULATION_RELATIVE": "region",
    "DAYS_ID_PUBLISH": "contact_docs",
    "DAYS_LAST_PHONE_CHANGE": "contact_docs",
    "DOCUMENT_COUNT": "contact_docs",
    "BUREAU_ACTIVE_DEBT_INCOME_RATIO": "bureau",
    "BUREAU_OVERDUE_AMOUNT_SUM": "bureau_late",
    "BUREAU_MAX_OVERDUE_AMOUNT": "bureau_late",
    "BUREAU_DAYS_OVERDUE_MAX": "bureau_late",
    "BUREAU_PROLONG_COUNT": "bureau_late",
    "INST_COUNT": "late_installments",
    "INST_LATE_SHARE": "late_installments",
    "INST_DAYS_LATE_MEAN": "late_installments",
    "INST_DAYS_LATE_MAX": "late_installments",
    "NAME_CONTRACT_TYPE": "application",
    "NAME_TYPE_SUITE": "application",
    "WEEKDAY_APPR_PROCESS_START": "application",
    "HOUR_APPR_PROCESS_START": "application",
}
_PREFIXES = (
    ("EXT_SOURCE", "external_scores"),
    ("BUREAU_OVERDUE", "bureau_late"),
    ("BUREAU_MAX_OVERDUE", "bureau_late"),
    ("BUREAU_DAYS_OVERDUE", "bureau_late"),
    ("BUREAU_", "bureau"),
    ("BB_", "bureau_late"),
    ("PREV_REFUSED", "prev_refused"),
    ("PREV_LAST_REFUSED", "prev_refused"),
    ("PREV_", "prev_apps"),
    ("INST_DAYS_", "late_installments"),
    ("INST_LATE", "late_installments"),
    ("INST_LOAN", "late_installments"),
    ("INST_VERSION", "late_installments"),
    ("INST_", "underpayment"),
    ("CC_", "credit_card"),
    ("POS_", "pos"),
    ("AMT_REQ_CREDIT_BUREAU", "bureau_enquiries"),
    ("REGION_RATING", "region"),
    ("REG_", "region"),
    ("LIVE_", "region"),
    ("FLAG_", "contact_docs"),
    ("OBS_", "social_circle"),
    ("DEF_", "social_circle"),
)
_HOUSING_SUFFIXES = ("_AVG", "_MODE", "_MEDI")


def group_for_column(column: str) -> str:
    """The group key of a feature name; a ValueError if no rule covers it."""
    if column in _EXACT:
        return _EXACT[column]
    for prefix, group in _PREFIXES:
        if column.startswith(prefix):
            return group
    if column.endswith(_HOUSING_SUFFIXES):
        return "housing"
    raise ValueError(
        f"feature {column} has no business group; add it to training/feature_groups.py"
    )
