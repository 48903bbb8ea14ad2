"""Aggregates of the credit bureau: `bureau` (one row per credit at another lender) and
`bureau_balance` (its monthly statuses), one row per client. Part of the history definition.
"""

from training.engine.sql import flag, grouped, projected, ratio, stats, when

ACTIVE = "CREDIT_ACTIVE = 'Active'"
CLOSED = "CREDIT_ACTIVE = 'Closed'"
RECENT = "DAYS_CREDIT >= -365"  # opened in the year before the application
CREDIT_TYPES = {
    "CREDIT_CARD": "Credit card",
    "CONSUMER": "Consumer credit",
    "CAR_LOAN": "Car loan",
    "MORTGAGE": "Mortgage",
    "MICROLOAN": "Microloan",
}
# bureau_balance STATUS: 0 = no days past due, 1..5 = 1-30 ... 120+ days past due,
# C = closed, X = unknown. "Late" is 1-5; "severely late" (60+ days) is 3-5. The text is
# turned into a number once per month (C -1, X and anything else missing), then compared.
STATUS_CODE = (
    "CASE STATUS WHEN '0' THEN 0 WHEN '1' THEN 1 WHEN '2' THEN 2 WHEN '3' THEN 3 "
    "WHEN '4' THEN 4 WHEN '5' THEN 5 WHEN 'C' THEN -1 END"
)
LATE = "bb_status >= 1"
SEVERE = "bb_status >= 3"
KNOWN = "bb_status >= 0"
CLOSED_MONTH = "bb_status = -1"
LAST_YEAR = "MONTHS_BALANCE >= -12"

_ROWS = projected(
    "bureau",
    [
        ("b_active", flag(ACTIVE)),
        ("b_closed", flag(CLOSED)),
        ("b_recent", flag(RECENT)),
        *[
            (f"b_{key.lower()}", flag(f"CREDIT_TYPE = '{level}'"))
            for key, level in CREDIT_TYPES.items()
        ],
    ],
)


# Subsets test the row flags computed once above, not the text column again per aggregate.
def _active(column: str) -> str:
    return when("b_active = 1.0", column)


def _closed(column: str) -> str:
    return when("b_closed = 1.0", column)


_AGGREGATES = [
    ("BUREAU_LOAN_COUNT", "COUNT(*)"),
    ("BUREAU_ACTIVE_COUNT", "SUM(b_active)"),
    ("BUREAU_CLOSED_COUNT", "SUM(b_closed)"),
    *stats("BUREAU_ACTIVE_DEBT", _active("AMT_CREDIT_SUM_DEBT"), "SUM MEAN MAX"),
    *stats("BUREAU_ACTIVE_CREDIT", _active("AMT_CREDIT_SUM"), "SUM MEAN MAX"),
    *stats("BUREAU_CLOSED_CREDIT", _closed("AMT_CREDIT_SUM"), "SUM MEAN MAX"),
    ("BUREAU_OVERDUE_AMOUNT_SUM", "COALESCE(SUM(AMT_CREDIT_SUM_OVERDUE), 0)"),
    ("BUREAU_MAX_OVERDUE_AMOUNT", "MAX(AMT_CREDIT_MAX_OVERDUE)"),
    ("BUREAU_DAYS_OVERDUE_MAX", "MAX(CREDIT_DAY_OVERDUE)"),
    ("BUREAU_PROLONG_COUNT", "COALESCE(SUM(CNT_CREDIT_PROLONG), 0)"),
    ("BUREAU_DAYS_CREDIT_MEAN", "AVG(DAYS_CREDIT)"),
    ("BUREAU_DAYS_CREDIT_LAST", "MAX(DAYS_CREDIT)"),
    ("BUREAU_DAYS_CREDIT_FIRST", "MIN(DAYS_CREDIT)"),
    ("BUREAU_DAYS_CREDIT_VAR", "VAR_SAMP(DAYS_CREDIT)"),
    ("BUREAU_ACTIVE_ENDDATE_MAX", f"MAX({_active('DAYS_CREDIT_ENDDATE')})"),
    ("BUREAU_ACTIVE_ENDDATE_MEAN", f"AVG({_active('DAYS_CREDIT_ENDDATE')})"),
    ("BUREAU_ACTIVE_SHARE", "AVG(b_active)"),
    *stats("BUREAU_ENDDATE", "DAYS_CREDIT_ENDDATE", "MIN MAX MEAN"),
    ("BUREAU_DAYS_UPDATE_MEAN", "AVG(DAYS_CREDIT_UPDATE)"),
    ("BUREAU_ACTIVE_DAYS_UPDATE_MEAN", f"AVG({_active('DAYS_CREDIT_UPDATE')})"),
    ("BUREAU_DAYS_OVERDUE_MEAN", "AVG(CREDIT_DAY_OVERDUE)"),
    ("BUREAU_MAX_OVERDUE_MEAN", "AVG(AMT_CREDIT_MAX_OVERDUE)"),
    ("BUREAU_MAX_OVERDUE_CLOSED_MEAN", f"AVG({_closed('AMT_CREDIT_MAX_OVERDUE')})"),
    ("BUREAU_OVERDUE_AMOUNT_MEAN", "AVG(AMT_CREDIT_SUM_OVERDUE)"),
    ("BUREAU_OVERDUE_ACTIVE_SUM", f"COALESCE(SUM({_active('AMT_CREDIT_SUM_OVERDUE')}), 0)"),
    *stats("BUREAU_CREDIT", "AMT_CREDIT_SUM", "SUM MEAN MAX"),
    *stats("BUREAU_DEBT", "AMT_CREDIT_SUM_DEBT", "SUM MEAN MAX"),
    *stats("BUREAU_LIMIT", "AMT_CREDIT_SUM_LIMIT", "SUM MEAN"),
    ("BUREAU_ACTIVE_LIMIT_SUM", f"COALESCE(SUM({_active('AMT_CREDIT_SUM_LIMIT')}), 0)"),
    *stats("BUREAU_ANNUITY", "AMT_ANNUITY", "MEAN MAX"),
    ("BUREAU_ACTIVE_ANNUITY_SUM", f"COALESCE(SUM({_active('AMT_ANNUITY')}), 0)"),
    *stats("BUREAU_ACTIVE_DAYS_CREDIT", _active("DAYS_CREDIT"), "MEAN MAX"),
    *stats("BUREAU_CLOSED_DAYS_CREDIT", _closed("DAYS_CREDIT"), "MEAN MAX"),
    ("BUREAU_CLOSED_ENDDATE_FACT_MAX", f"MAX({_closed('DAYS_ENDDATE_FACT')})"),
    ("BUREAU_LOAN_COUNT_1Y", "SUM(b_recent)"),
    ("BUREAU_CREDIT_SUM_1Y", f"COALESCE(SUM({when('b_recent = 1.0', 'AMT_CREDIT_SUM')}), 0)"),
    *[(f"BUREAU_{key}_SHARE", f"AVG(b_{key.lower()})") for key in CREDIT_TYPES],
]
# Ratios of the sums above, computed once the client's rows are summed.
_RATIOS = [
    (
        "BUREAU_ACTIVE_DEBT_CREDIT_RATIO",
        ratio("BUREAU_ACTIVE_DEBT_SUM", "BUREAU_ACTIVE_CREDIT_SUM"),
    ),
    ("BUREAU_DEBT_CREDIT_RATIO", ratio("BUREAU_DEBT_SUM", "BUREAU_CREDIT_SUM")),
    ("BUREAU_OVERDUE_DEBT_RATIO", ratio("BUREAU_OVERDUE_AMOUNT_SUM", "BUREAU_DEBT_SUM")),
]

# Monthly statuses are first summed per credit (27 M rows become 1.7 M at full size), then
# attributed to clients through bureau; months of credits absent from bureau belong to no one.
_BALANCE_PER_CREDIT = [
    ("bb_months", "COUNT(*)"),
    ("bb_known", f"SUM({flag(KNOWN)})"),
    ("bb_late", f"SUM({flag(LATE)})"),
    ("bb_severe", f"SUM({flag(SEVERE)})"),
    ("bb_known_1y", f"SUM({flag(f'{KNOWN} AND {LAST_YEAR}')})"),
    ("bb_late_1y", f"SUM({flag(f'{LATE} AND {LAST_YEAR}')})"),
    ("bb_closed", f"SUM({flag(CLOSED_MONTH)})"),
    ("bb_first_month", "MIN(MONTHS_BALANCE)"),
]
_BALANCE = [
    ("BB_MONTHS_COUNT", "SUM(bb_months)"),
    ("BB_LATE_SHARE", ratio("SUM(bb_late)", "SUM(bb_known)")),
    ("BB_SEVERE_LATE_SHARE", ratio("SUM(bb_severe)", "SUM(bb_known)")),
    ("BB_LATE_MONTHS_COUNT", "SUM(bb_late)"),
    ("BB_LATE_SHARE_1Y", ratio("SUM(bb_late_1y)", "SUM(bb_known_1y)")),
    ("BB_CLOSED_SHARE", ratio("SUM(bb_closed)", "SUM(bb_months)")),
    ("BB_CREDITS_LATE_SHARE", f"AVG({flag('bb_late > 0')})"),
    ("BB_MONTHS_BALANCE_MIN", "MIN(bb_first_month)"),
]

CTES = {
    "bureau_rows": _ROWS,
    "bureau_sums": grouped("bureau_rows", "SK_ID_CURR", _AGGREGATES),
    "bureau_agg": projected("bureau_sums", _RATIOS),
    "bb_months": projected(
        "bureau_balance", [("bb_status", STATUS_CODE)], keep="SK_ID_BUREAU, MONTHS_BALANCE"
    ),
    "bb_credits": grouped("bb_months", "SK_ID_BUREAU", _BALANCE_PER_CREDIT),
    "bb_agg": grouped(
        "bb_credits JOIN bureau ON bb_credits.SK_ID_BUREAU = bureau.SK_ID_BUREAU",
        "bureau.SK_ID_CURR",
        _BALANCE,
    ),
}
COLUMNS = {
    "bureau_agg": [name for name, _ in [*_AGGREGATES, *_RATIOS]],
    "bb_agg": [name for name, _ in _BALANCE],
}
