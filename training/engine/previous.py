"""Aggregates of `previous_application` (the client's earlier applications at this lender), one
row per client: all of them, the approved and the refused ones apart, the last year, and the
most recent application. Part of the history definition.
"""

from training.engine.sql import flag, grouped, projected, ratio, stats, when

APPROVED = "NAME_CONTRACT_STATUS = 'Approved'"
REFUSED = "NAME_CONTRACT_STATUS = 'Refused'"
RECENT = "DAYS_DECISION >= -365"  # decided in the year before the application
LAST = "p_rank = 1"  # the most recent application (latest decision, then highest id)
# refusal reasons: SCOFR (scoring refused), HC (the lender's credit policy)
SCORING_REFUSAL = "CODE_REJECT_REASON = 'SCOFR'"
POLICY_REFUSAL = "CODE_REJECT_REASON = 'HC'"
NOT_REACHED = 365243  # the file's code for a date not reached yet

_ROWS = projected(
    "previous_application",
    [
        ("p_approved", flag(APPROVED)),
        ("p_refused", flag(REFUSED)),
        ("p_scoring_refusal", flag(SCORING_REFUSAL)),
        ("p_policy_refusal", flag(POLICY_REFUSAL)),
        ("p_canceled", flag("NAME_CONTRACT_STATUS = 'Canceled'")),
        ("p_recent", flag(RECENT)),
        ("p_app_credit", ratio("AMT_APPLICATION", "AMT_CREDIT")),
        # what the client repays over the credit amount, minus one: the loan's simple interest
        (
            "p_interest",
            when("CNT_PAYMENT > 0", f"{ratio('AMT_ANNUITY * CNT_PAYMENT', 'AMT_CREDIT')} - 1"),
        ),
        ("p_high_yield", flag("NAME_YIELD_GROUP = 'high'")),
        ("p_cash", flag("NAME_CONTRACT_TYPE = 'Cash loans'")),
        ("p_revolving", flag("NAME_CONTRACT_TYPE = 'Revolving loans'")),
        ("p_planned_end", f"NULLIF(DAYS_LAST_DUE_1ST_VERSION, {NOT_REACHED})"),
        # days the loan ended after its first planned end (early repayment is negative)
        (
            "p_end_delay",
            f"NULLIF(DAYS_LAST_DUE, {NOT_REACHED}) "
            f"- NULLIF(DAYS_LAST_DUE_1ST_VERSION, {NOT_REACHED})",
        ),
        (
            "p_rank",
            "ROW_NUMBER() OVER (PARTITION BY SK_ID_CURR "
            "ORDER BY DAYS_DECISION DESC NULLS LAST, SK_ID_PREV DESC NULLS LAST)",
        ),
    ],
    # only what the aggregates read: the window would otherwise carry all 37 columns
    keep="SK_ID_CURR, DAYS_DECISION, AMT_APPLICATION, AMT_CREDIT, AMT_ANNUITY, CNT_PAYMENT, "
    "AMT_DOWN_PAYMENT, AMT_GOODS_PRICE, RATE_DOWN_PAYMENT",
)


# Subsets test the row flags computed once above, not the text columns again per aggregate.
IS_APPROVED, IS_REFUSED, IS_RECENT = "p_approved = 1.0", "p_refused = 1.0", "p_recent = 1.0"


def _approved(column: str) -> str:
    return when(IS_APPROVED, column)


def _refused(column: str) -> str:
    return when(IS_REFUSED, column)


def _last(column: str) -> str:
    return f"MAX({when(LAST, column)})"


_AGGREGATES = [
    ("PREV_COUNT", "COUNT(*)"),
    ("PREV_APPROVED_COUNT", "SUM(p_approved)"),
    ("PREV_REFUSED_COUNT", "SUM(p_refused)"),
    ("PREV_APPROVED_SHARE", "AVG(p_approved)"),
    ("PREV_REFUSED_SHARE", "AVG(p_refused)"),
    ("PREV_REFUSED_DAYS_LAST", f"MAX({_refused('DAYS_DECISION')})"),
    *stats("PREV_AMT_APPLICATION", "AMT_APPLICATION", "MEAN MIN MAX"),
    *stats("PREV_AMT_CREDIT", "AMT_CREDIT", "MEAN MIN MAX"),
    *stats("PREV_AMT_ANNUITY", "AMT_ANNUITY", "MEAN MIN MAX"),
    *stats("PREV_APP_CREDIT_RATIO", "p_app_credit", "MEAN MIN MAX VAR"),
    *stats("PREV_CNT_PAYMENT", "CNT_PAYMENT", "MEAN SUM"),
    ("PREV_DAYS_DECISION_MEAN", "AVG(DAYS_DECISION)"),
    ("PREV_DAYS_DECISION_LAST", "MAX(DAYS_DECISION)"),
    ("PREV_DAYS_DECISION_FIRST", "MIN(DAYS_DECISION)"),
    *stats("PREV_AMT_DOWN_PAYMENT", "AMT_DOWN_PAYMENT", "MEAN MAX"),
    *stats("PREV_AMT_GOODS_PRICE", "AMT_GOODS_PRICE", "MEAN MAX"),
    *stats("PREV_RATE_DOWN_PAYMENT", "RATE_DOWN_PAYMENT", "MEAN MAX"),
    *stats("PREV_INTEREST", "p_interest", "MIN MEAN MAX"),
    ("PREV_HIGH_YIELD_SHARE", "AVG(p_high_yield)"),
    ("PREV_CANCELED_SHARE", "AVG(p_canceled)"),
    ("PREV_CASH_SHARE", "AVG(p_cash)"),
    ("PREV_REVOLVING_SHARE", "AVG(p_revolving)"),
    *stats("PREV_APPROVED_AMT_CREDIT", _approved("AMT_CREDIT"), "MEAN MAX"),
    *stats("PREV_APPROVED_AMT_ANNUITY", _approved("AMT_ANNUITY"), "MEAN MAX"),
    ("PREV_APPROVED_APP_CREDIT_RATIO_MEAN", f"AVG({_approved('p_app_credit')})"),
    ("PREV_APPROVED_DAYS_DECISION_MEAN", f"AVG({_approved('DAYS_DECISION')})"),
    ("PREV_APPROVED_DAYS_DECISION_LAST", f"MAX({_approved('DAYS_DECISION')})"),
    ("PREV_APPROVED_CNT_PAYMENT_MEAN", f"AVG({_approved('CNT_PAYMENT')})"),
    ("PREV_APPROVED_INTEREST_MEAN", f"AVG({_approved('p_interest')})"),
    ("PREV_APPROVED_PLANNED_END_MAX", f"MAX({_approved('p_planned_end')})"),
    ("PREV_APPROVED_RUNNING_COUNT", f"SUM({flag(f'{IS_APPROVED} AND p_planned_end > 0')})"),
    (
        "PREV_APPROVED_RUNNING_ANNUITY_SUM",
        f"COALESCE(SUM({when(f'{IS_APPROVED} AND p_planned_end > 0', 'AMT_ANNUITY')}), 0)",
    ),
    *stats("PREV_APPROVED_END_DELAY", _approved("p_end_delay"), "MEAN MAX"),
    *stats("PREV_REFUSED_AMT_APPLICATION", _refused("AMT_APPLICATION"), "MEAN MAX"),
    ("PREV_REFUSED_AMT_CREDIT_MEAN", f"AVG({_refused('AMT_CREDIT')})"),
    ("PREV_REFUSED_APP_CREDIT_RATIO_MEAN", f"AVG({_refused('p_app_credit')})"),
    ("PREV_REFUSED_DAYS_DECISION_MEAN", f"AVG({_refused('DAYS_DECISION')})"),
    ("PREV_REFUSED_COUNT_1Y", "SUM(p_refused * p_recent)"),
    ("PREV_REFUSED_SHARE_1Y", ratio("SUM(p_refused * p_recent)", "SUM(p_recent)")),
    ("PREV_REFUSED_SCOFR_COUNT", "SUM(p_scoring_refusal)"),
    ("PREV_REFUSED_HC_COUNT", "SUM(p_policy_refusal)"),
    ("PREV_COUNT_1Y", "SUM(p_recent)"),
    ("PREV_APPROVED_COUNT_1Y", "SUM(p_approved * p_recent)"),
    ("PREV_AMT_CREDIT_MEAN_1Y", f"AVG({when(IS_RECENT, 'AMT_CREDIT')})"),
    ("PREV_LAST_AMT_CREDIT", _last("AMT_CREDIT")),
    ("PREV_LAST_AMT_ANNUITY", _last("AMT_ANNUITY")),
    ("PREV_LAST_CNT_PAYMENT", _last("CNT_PAYMENT")),
    ("PREV_LAST_APP_CREDIT_RATIO", _last("p_app_credit")),
    ("PREV_LAST_INTEREST", _last("p_interest")),
    ("PREV_LAST_APPROVED", _last("p_approved")),
    ("PREV_LAST_REFUSED", _last("p_refused")),
    ("PREV_LAST_HIGH_YIELD", _last("p_high_yield")),
]

CTES = {
    "prev_rows": _ROWS,
    "prev_agg": grouped("prev_rows", "SK_ID_CURR", _AGGREGATES),
}
COLUMNS = {"prev_agg": [name for name, _ in _AGGREGATES]}
