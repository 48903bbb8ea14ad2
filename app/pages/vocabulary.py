"""Words the pages show that come from training/ (which never imports Flask) or from the data.

Each is an English message id marked with `N_` so `pybabel extract` puts it in the catalog, and
the pages translate it at render time with `app.i18n.translated`. The tests check that every
group label, age band and category level a page can show is listed here, so a new level in
training/schema.py cannot reach a French page in English unnoticed.
"""

from app.i18n import N_

# training/feature_groups.py GROUP_LABELS (reasons, the model page's importance chart).
GROUP_LABELS = [
    N_("External credit scores"),
    N_("Age"),
    N_("Employment history"),
    N_("Income"),
    N_("Credit amount relative to income"),
    N_("Repayment burden relative to income"),
    N_("Loan duration"),
    N_("Credit amount relative to the goods price"),
    N_("Loans at other lenders (credit bureau)"),
    N_("Late payments reported by the credit bureau"),
    N_("Recent credit bureau enquiries"),
    N_("Previous refused applications"),
    N_("Previous applications"),
    N_("Late payments on previous loans"),
    N_("Underpaid instalments"),
    N_("Credit card use"),
    N_("Previous point-of-sale loans"),
    N_("Education"),
    N_("Job and employer"),
    N_("Housing and assets"),
    N_("Region and address"),
    N_("Household size"),
    N_("Defaults in the client's social circle"),
    N_("Contact details and documents"),
    N_("Application details"),
]

# training/domain.py AGE_BANDS labels (comparison filters, the fairness table).
AGE_BANDS = [N_("under 30"), N_("30 to 39"), N_("40 to 49"), N_("50 to 59"), N_("60 or over")]

# training/schema.py levels of the columns the pages show (facts, form choices, filters).
CATEGORY_LEVELS = {
    "NAME_CONTRACT_TYPE": [N_("Cash loans"), N_("Revolving loans")],
    "NAME_INCOME_TYPE": [
        N_("Businessman"),
        N_("Commercial associate"),
        N_("Maternity leave"),
        N_("Pensioner"),
        N_("State servant"),
        N_("Student"),
        N_("Unemployed"),
        N_("Working"),
    ],
    "NAME_EDUCATION_TYPE": [
        N_("Academic degree"),
        N_("Higher education"),
        N_("Incomplete higher"),
        N_("Lower secondary"),
        N_("Secondary / secondary special"),
    ],
    "OCCUPATION_TYPE": [
        N_("Accountants"),
        N_("Cleaning staff"),
        N_("Cooking staff"),
        N_("Core staff"),
        N_("Drivers"),
        N_("HR staff"),
        N_("High skill tech staff"),
        N_("IT staff"),
        N_("Laborers"),
        N_("Low-skill Laborers"),
        N_("Managers"),
        N_("Medicine staff"),
        N_("Private service staff"),
        N_("Realty agents"),
        N_("Sales staff"),
        N_("Secretaries"),
        N_("Security staff"),
        N_("Waiters/barmen staff"),
    ],
    # the model page's fairness table (groups by family status, issue 14)
    "NAME_FAMILY_STATUS": [
        N_("Civil marriage"),
        N_("Married"),
        N_("Separated"),
        N_("Single / not married"),
        N_("Unknown"),
        N_("Widow"),
    ],
    "NAME_HOUSING_TYPE": [
        N_("Co-op apartment"),
        N_("House / apartment"),
        N_("Municipal apartment"),
        N_("Office apartment"),
        N_("Rented apartment"),
        N_("With parents"),
    ],
}

# The fairness table's gender groups (CODE_GENDER codes in the model report).
GENDER_GROUPS = {"F": N_("Women"), "M": N_("Men")}

# app/services/validation.py: the rules as the application forms show them beside a field.
FORM_RULES = [
    N_("Must be between 18 and 100 years."),
    N_("Must not be negative."),
    N_("Must be between 0 and 1."),
    N_("Must be a whole number."),
    N_("Must be a number."),
    N_("Must be a finite number."),
    N_("Must be between 0 and 100 years."),
    N_("Must be between 1 and 1,000,000,000."),
    N_("Must be a whole number between 0 and 100."),
]
