"""Aggregates of the monthly tables of previous loans: POS_CASH_balance, installments_payments
and credit_card_balance, one row per client. Part of the history definition.

POS months are first summed per loan (to count loans and their remaining instalments), and
payments per instalment (several payments may settle one instalment); means over months are
then sums over counts, which is the same mean.
"""

from training.engine.sql import at_least_zero, flag, grouped, known_flag, projected, ratio, when

LAST_YEAR_MONTH = "MONTHS_BALANCE >= -12"
COMPLETED = "NAME_CONTRACT_STATUS = 'Completed'"
LIMIT_SET = "AMT_CREDIT_LIMIT_ACTUAL > 0"  # a month without a limit has no utilisation

_POS_PER_LOAN = [
    ("pos_months", "COUNT(*)"),
    ("pos_dpd_sum", "SUM(SK_DPD)"),
    ("pos_dpd_n", "COUNT(SK_DPD)"),
    ("pos_dpd_max", "MAX(SK_DPD)"),
    ("pos_dpd_def_sum", "SUM(SK_DPD_DEF)"),
    ("pos_dpd_def_n", "COUNT(SK_DPD_DEF)"),
    ("pos_dpd_def_max", "MAX(SK_DPD_DEF)"),
    ("pos_late", f"SUM({flag('SK_DPD > 0')})"),
    ("pos_future_sum", "SUM(CNT_INSTALMENT_FUTURE)"),
    ("pos_future_n", "COUNT(CNT_INSTALMENT_FUTURE)"),
    ("pos_remaining", "MIN(CNT_INSTALMENT_FUTURE)"),  # the count only goes down
    ("pos_term", "MAX(CNT_INSTALMENT)"),
    ("pos_completed", f"MAX({flag(COMPLETED)})"),
    ("pos_first_month", "MIN(MONTHS_BALANCE)"),
    ("pos_months_1y", f"SUM({flag(LAST_YEAR_MONTH)})"),
    ("pos_late_1y", f"SUM({flag(f'{LAST_YEAR_MONTH} AND SK_DPD > 0')})"),
    ("pos_dpd_max_1y", f"MAX({when(LAST_YEAR_MONTH, 'SK_DPD')})"),
]
_POS = [
    ("POS_MONTHS_COUNT", "SUM(pos_months)"),
    ("POS_LOAN_COUNT", "COUNT(*)"),
    ("POS_DPD_MAX", "MAX(pos_dpd_max)"),
    ("POS_DPD_MEAN", ratio("SUM(pos_dpd_sum)", "SUM(pos_dpd_n)")),
    ("POS_DPD_DEF_MAX", "MAX(pos_dpd_def_max)"),
    ("POS_LATE_SHARE", ratio("SUM(pos_late)", "SUM(pos_months)")),
    ("POS_INSTALMENTS_FUTURE_MEAN", ratio("SUM(pos_future_sum)", "SUM(pos_future_n)")),
    ("POS_DPD_DEF_MEAN", ratio("SUM(pos_dpd_def_sum)", "SUM(pos_dpd_def_n)")),
    ("POS_REMAINING_INSTALMENTS_SUM", "COALESCE(SUM(pos_remaining), 0)"),
    ("POS_TERM_MEAN", "AVG(pos_term)"),
    ("POS_COMPLETED_SHARE", "AVG(pos_completed)"),
    ("POS_LATE_LOAN_SHARE", f"AVG({flag('pos_dpd_max > 0')})"),
    ("POS_MONTHS_BALANCE_MIN", "MIN(pos_first_month)"),
    ("POS_LATE_SHARE_1Y", ratio("SUM(pos_late_1y)", "SUM(pos_months_1y)")),
    ("POS_DPD_MAX_1Y", "MAX(pos_dpd_max_1y)"),
]

# One row per instalment: due day and amount, the last payment's day, the total paid.
_PER_INSTALMENT = [
    ("due_day", "MIN(DAYS_INSTALMENT)"),
    ("paid_day", "MAX(DAYS_ENTRY_PAYMENT)"),
    ("due", "MIN(AMT_INSTALMENT)"),
    ("paid", "COALESCE(SUM(AMT_PAYMENT), 0)"),
]
_INSTALMENT_KEYS = "SK_ID_CURR, SK_ID_PREV, NUM_INSTALMENT_VERSION, NUM_INSTALMENT_NUMBER"
_INSTALMENT_ROWS = [
    ("i_days_late", at_least_zero("paid_day - due_day")),
    ("i_days_early", at_least_zero("due_day - paid_day")),
    ("i_late", known_flag("paid_day - due_day > 0", "paid_day - due_day")),
    ("i_late_30", known_flag("paid_day - due_day > 30", "paid_day - due_day")),
    # a cent of tolerance: amounts are rounded in the files
    ("i_underpaid", flag("due - paid > 1.0")),
    ("i_shortfall", at_least_zero("due - paid")),
    ("i_payment_ratio", ratio("paid", "due")),
    ("i_recent", flag("due_day >= -365")),
]
RECENT_INSTALMENT = "i_recent = 1.0"
_INSTALMENTS = [
    ("INST_COUNT", "COUNT(*)"),
    ("INST_LATE_SHARE", "AVG(i_late)"),
    ("INST_DAYS_LATE_MEAN", "AVG(i_days_late)"),
    ("INST_DAYS_LATE_MAX", "MAX(i_days_late)"),
    ("INST_UNDERPAID_SHARE", "AVG(i_underpaid)"),
    ("INST_UNDERPAID_AMOUNT_SUM", "COALESCE(SUM(i_shortfall), 0)"),
    ("INST_PAYMENT_RATIO_MEAN", "AVG(i_payment_ratio)"),
    ("INST_DAYS_LATE_SUM", "COALESCE(SUM(i_days_late), 0)"),
    ("INST_LATE_30_SHARE", "AVG(i_late_30)"),
    ("INST_DAYS_EARLY_MEAN", "AVG(i_days_early)"),
    ("INST_DAYS_EARLY_MAX", "MAX(i_days_early)"),
    ("INST_DAYS_EARLY_SUM", "COALESCE(SUM(i_days_early), 0)"),
    ("INST_DAYS_LAST_PAYMENT", "MAX(paid_day)"),
    ("INST_PAYMENT_RATIO_MIN", "MIN(i_payment_ratio)"),
    ("INST_PAYMENT_RATIO_VAR", "VAR_SAMP(i_payment_ratio)"),
    ("INST_UNDERPAID_AMOUNT_MEAN", "AVG(i_shortfall)"),
    ("INST_UNDERPAID_AMOUNT_MAX", "MAX(i_shortfall)"),
    ("INST_AMT_INSTALMENT_MEAN", "AVG(due)"),
    ("INST_AMT_INSTALMENT_MAX", "MAX(due)"),
    ("INST_AMT_INSTALMENT_SUM", "COALESCE(SUM(due), 0)"),
    ("INST_AMT_PAYMENT_MEAN", "AVG(paid)"),
    ("INST_AMT_PAYMENT_MIN", "MIN(paid)"),
    ("INST_AMT_PAYMENT_MAX", "MAX(paid)"),
    ("INST_AMT_PAYMENT_SUM", "COALESCE(SUM(paid), 0)"),
    ("INST_LOAN_COUNT", "COUNT(DISTINCT SK_ID_PREV)"),
    ("INST_VERSION_COUNT", "COUNT(DISTINCT NUM_INSTALMENT_VERSION)"),
    ("INST_LATE_SHARE_1Y", f"AVG({when(RECENT_INSTALMENT, 'i_late')})"),
    ("INST_DAYS_LATE_MEAN_1Y", f"AVG({when(RECENT_INSTALMENT, 'i_days_late')})"),
    ("INST_UNDERPAID_SHARE_1Y", f"AVG({when(RECENT_INSTALMENT, 'i_underpaid')})"),
    ("INST_PAYMENT_RATIO_MEAN_1Y", f"AVG({when(RECENT_INSTALMENT, 'i_payment_ratio')})"),
]

_CARD_ROWS = [
    ("c_utilisation", ratio("AMT_BALANCE", when(LIMIT_SET, "AMT_CREDIT_LIMIT_ACTUAL"))),
    ("c_late", flag("SK_DPD > 0")),
    # paid less than the month's minimum instalment (months with a minimum only)
    (
        "c_below_minimum",
        when(
            "AMT_INST_MIN_REGULARITY > 0",
            flag("COALESCE(AMT_PAYMENT_TOTAL_CURRENT, 0) < AMT_INST_MIN_REGULARITY"),
        ),
    ),
    ("c_recent", flag(LAST_YEAR_MONTH)),
]
RECENT_MONTH = "c_recent = 1.0"
_CARDS = [
    ("CC_MONTHS_COUNT", "COUNT(*)"),
    ("CC_BALANCE_MEAN", "AVG(AMT_BALANCE)"),
    ("CC_LIMIT_MEAN", "AVG(AMT_CREDIT_LIMIT_ACTUAL)"),
    ("CC_UTILISATION_MEAN", "AVG(c_utilisation)"),
    ("CC_UTILISATION_MAX", "MAX(c_utilisation)"),
    ("CC_DRAWINGS_MEAN", "AVG(AMT_DRAWINGS_CURRENT)"),
    ("CC_DRAWINGS_COUNT_MEAN", "AVG(CNT_DRAWINGS_CURRENT)"),
    ("CC_ATM_DRAWINGS_MEAN", "AVG(AMT_DRAWINGS_ATM_CURRENT)"),
    ("CC_DPD_MAX", "MAX(SK_DPD)"),
    ("CC_DPD_MEAN", "AVG(SK_DPD)"),
    ("CC_LATE_SHARE", "AVG(c_late)"),
    ("CC_BALANCE_MAX", "MAX(AMT_BALANCE)"),
    ("CC_LIMIT_MAX", "MAX(AMT_CREDIT_LIMIT_ACTUAL)"),
    ("CC_UTILISATION_VAR", "VAR_SAMP(c_utilisation)"),
    ("CC_POS_DRAWINGS_MEAN", "AVG(AMT_DRAWINGS_POS_CURRENT)"),
    ("CC_ATM_DRAWINGS_COUNT_MEAN", "AVG(CNT_DRAWINGS_ATM_CURRENT)"),
    ("CC_PAYMENT_MEAN", "AVG(AMT_PAYMENT_TOTAL_CURRENT)"),
    ("CC_PAYMENT_SUM", "COALESCE(SUM(AMT_PAYMENT_TOTAL_CURRENT), 0)"),
    ("CC_MIN_INSTALMENT_MEAN", "AVG(AMT_INST_MIN_REGULARITY)"),
    ("CC_BELOW_MINIMUM_SHARE", "AVG(c_below_minimum)"),
    ("CC_RECEIVABLE_PRINCIPAL_MEAN", "AVG(AMT_RECEIVABLE_PRINCIPAL)"),
    ("CC_TOTAL_RECEIVABLE_MEAN", "AVG(AMT_TOTAL_RECEIVABLE)"),
    ("CC_INSTALMENTS_MATURE_MAX", "MAX(CNT_INSTALMENT_MATURE_CUM)"),
    ("CC_DPD_DEF_MAX", "MAX(SK_DPD_DEF)"),
    ("CC_DPD_DEF_MEAN", "AVG(SK_DPD_DEF)"),
    ("CC_CARD_COUNT", "COUNT(DISTINCT SK_ID_PREV)"),
    ("CC_MONTHS_BALANCE_MIN", "MIN(MONTHS_BALANCE)"),
    ("CC_UTILISATION_MEAN_1Y", f"AVG({when(RECENT_MONTH, 'c_utilisation')})"),
    ("CC_BALANCE_MEAN_1Y", f"AVG({when(RECENT_MONTH, 'AMT_BALANCE')})"),
    ("CC_DRAWINGS_MEAN_1Y", f"AVG({when(RECENT_MONTH, 'AMT_DRAWINGS_CURRENT')})"),
    ("CC_DPD_MAX_1Y", f"MAX({when(RECENT_MONTH, 'SK_DPD')})"),
    ("CC_LATE_SHARE_1Y", f"AVG({when(RECENT_MONTH, 'c_late')})"),
]

CTES = {
    "pos_loans": grouped("POS_CASH_balance", "SK_ID_CURR, SK_ID_PREV", _POS_PER_LOAN),
    "pos_agg": grouped("pos_loans", "SK_ID_CURR", _POS),
    "inst_due": grouped("installments_payments", _INSTALMENT_KEYS, _PER_INSTALMENT),
    "inst_rows": projected("inst_due", _INSTALMENT_ROWS),
    "inst_agg": grouped("inst_rows", "SK_ID_CURR", _INSTALMENTS),
    "cc_rows": projected("credit_card_balance", _CARD_ROWS),
    "cc_agg": grouped("cc_rows", "SK_ID_CURR", _CARDS),
}
COLUMNS = {
    "pos_agg": [name for name, _ in _POS],
    "inst_agg": [name for name, _ in _INSTALMENTS],
    "cc_agg": [name for name, _ in _CARDS],
}
