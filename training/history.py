"""Credit-history aggregates: one row per client from the six history tables.

Imported through `training.features` (the contract's public place). Every aggregate is a
vectorised groupby; a table that was not loaded simply leaves its columns missing (NaN), exactly
like a brand-new client who has no history at all.
"""

import numpy as np
import pandas as pd

# bureau_balance STATUS: 0 = no days past due, 1..5 = 1-30 ... 120+ days past due,
# C = closed, X = unknown. "Late" is 1-5; "severely late" (60+ days) is 3-5.
LATE_STATUSES = ["1", "2", "3", "4", "5"]
SEVERE_STATUSES = ["3", "4", "5"]
KNOWN_STATUSES = ["0", *LATE_STATUSES]

BUREAU_COLUMNS = [
    "BUREAU_LOAN_COUNT",
    "BUREAU_ACTIVE_COUNT",
    "BUREAU_CLOSED_COUNT",
    "BUREAU_ACTIVE_DEBT_SUM",
    "BUREAU_ACTIVE_CREDIT_SUM",
    "BUREAU_ACTIVE_DEBT_CREDIT_RATIO",
    "BUREAU_CLOSED_CREDIT_SUM",
    "BUREAU_OVERDUE_AMOUNT_SUM",
    "BUREAU_MAX_OVERDUE_AMOUNT",
    "BUREAU_DAYS_OVERDUE_MAX",
    "BUREAU_PROLONG_COUNT",
    "BUREAU_DAYS_CREDIT_MEAN",
    "BUREAU_DAYS_CREDIT_LAST",
    "BUREAU_DAYS_CREDIT_FIRST",
    "BUREAU_ACTIVE_ENDDATE_MAX",
]
BB_COLUMNS = ["BB_MONTHS_COUNT", "BB_LATE_SHARE", "BB_SEVERE_LATE_SHARE", "BB_LATE_MONTHS_COUNT"]
PREV_COLUMNS = [
    "PREV_COUNT",
    "PREV_APPROVED_COUNT",
    "PREV_REFUSED_COUNT",
    "PREV_APPROVED_SHARE",
    "PREV_REFUSED_SHARE",
    "PREV_REFUSED_DAYS_LAST",
    "PREV_AMT_APPLICATION_MEAN",
    "PREV_AMT_CREDIT_MEAN",
    "PREV_AMT_ANNUITY_MEAN",
    "PREV_APP_CREDIT_RATIO_MEAN",
    "PREV_APP_CREDIT_RATIO_MIN",
    "PREV_CNT_PAYMENT_MEAN",
    "PREV_DAYS_DECISION_MEAN",
    "PREV_DAYS_DECISION_LAST",
]
POS_COLUMNS = [
    "POS_MONTHS_COUNT",
    "POS_LOAN_COUNT",
    "POS_DPD_MAX",
    "POS_DPD_MEAN",
    "POS_DPD_DEF_MAX",
    "POS_LATE_SHARE",
    "POS_INSTALMENTS_FUTURE_MEAN",
]
INST_COLUMNS = [
    "INST_COUNT",
    "INST_LATE_SHARE",
    "INST_DAYS_LATE_MEAN",
    "INST_DAYS_LATE_MAX",
    "INST_UNDERPAID_SHARE",
    "INST_UNDERPAID_AMOUNT_SUM",
    "INST_PAYMENT_RATIO_MEAN",
]
CC_COLUMNS = [
    "CC_MONTHS_COUNT",
    "CC_BALANCE_MEAN",
    "CC_LIMIT_MEAN",
    "CC_UTILISATION_MEAN",
    "CC_UTILISATION_MAX",
    "CC_DRAWINGS_MEAN",
    "CC_DRAWINGS_COUNT_MEAN",
    "CC_ATM_DRAWINGS_MEAN",
    "CC_DPD_MAX",
    "CC_DPD_MEAN",
    "CC_LATE_SHARE",
]
HISTORY_COLUMNS = [
    *BUREAU_COLUMNS,
    *BB_COLUMNS,
    *PREV_COLUMNS,
    *POS_COLUMNS,
    *INST_COLUMNS,
    *CC_COLUMNS,
]


def history_aggregates(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per client found in any history table; columns `HISTORY_COLUMNS` (float32).

    Clients without any history are simply absent: joined to the applications they get NaN,
    the same as a new client scored through the API.
    """
    parts = [
        _bureau(tables.get("bureau")),
        _bureau_balance(tables.get("bureau"), tables.get("bureau_balance")),
        _previous(tables.get("previous_application")),
        _pos(tables.get("POS_CASH_balance")),
        _installments(tables.get("installments_payments")),
        _credit_card(tables.get("credit_card_balance")),
    ]
    parts = [part for part in parts if part is not None]
    history = pd.concat(parts, axis=1, join="outer") if parts else pd.DataFrame()
    history = history.reindex(columns=HISTORY_COLUMNS).astype("float32")
    history.index = history.index.astype("int64")
    history.index.name = "SK_ID_CURR"
    return history.sort_index()


def _ratio(numerator, denominator):
    """Element-wise ratio with 0 or missing denominators giving NaN instead of inf."""
    numerator = np.asarray(numerator, dtype="float64")
    denominator = np.asarray(denominator, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        result = numerator / denominator
    result[~np.isfinite(result)] = np.nan
    return result


def _bureau(bureau: pd.DataFrame | None) -> pd.DataFrame | None:
    if bureau is None:
        return None
    active = (bureau["CREDIT_ACTIVE"] == "Active").to_numpy()
    closed = (bureau["CREDIT_ACTIVE"] == "Closed").to_numpy()
    work = pd.DataFrame(
        {
            "SK_ID_CURR": bureau["SK_ID_CURR"].to_numpy(),
            "active": active.astype("float32"),
            "closed": closed.astype("float32"),
            "active_debt": np.where(active, bureau["AMT_CREDIT_SUM_DEBT"], np.nan),
            "active_credit": np.where(active, bureau["AMT_CREDIT_SUM"], np.nan),
            "closed_credit": np.where(closed, bureau["AMT_CREDIT_SUM"], np.nan),
            "active_enddate": np.where(active, bureau["DAYS_CREDIT_ENDDATE"], np.nan),
            "overdue": bureau["AMT_CREDIT_SUM_OVERDUE"].to_numpy(),
            "max_overdue": bureau["AMT_CREDIT_MAX_OVERDUE"].to_numpy(),
            "days_overdue": bureau["CREDIT_DAY_OVERDUE"].to_numpy(),
            "prolong": bureau["CNT_CREDIT_PROLONG"].to_numpy(),
            "days_credit": bureau["DAYS_CREDIT"].to_numpy(),
        }
    )
    grouped = work.groupby("SK_ID_CURR", sort=False)
    result = pd.DataFrame(
        {
            "BUREAU_LOAN_COUNT": grouped.size(),
            "BUREAU_ACTIVE_COUNT": grouped["active"].sum(),
            "BUREAU_CLOSED_COUNT": grouped["closed"].sum(),
            "BUREAU_ACTIVE_DEBT_SUM": grouped["active_debt"].sum(),
            "BUREAU_ACTIVE_CREDIT_SUM": grouped["active_credit"].sum(),
            "BUREAU_CLOSED_CREDIT_SUM": grouped["closed_credit"].sum(),
            "BUREAU_OVERDUE_AMOUNT_SUM": grouped["overdue"].sum(),
            "BUREAU_MAX_OVERDUE_AMOUNT": grouped["max_overdue"].max(),
            "BUREAU_DAYS_OVERDUE_MAX": grouped["days_overdue"].max(),
            "BUREAU_PROLONG_COUNT": grouped["prolong"].sum(),
            "BUREAU_DAYS_CREDIT_MEAN": grouped["days_credit"].mean(),
            "BUREAU_DAYS_CREDIT_LAST": grouped["days_credit"].max(),
            "BUREAU_DAYS_CREDIT_FIRST": grouped["days_credit"].min(),
            "BUREAU_ACTIVE_ENDDATE_MAX": grouped["active_enddate"].max(),
        }
    )
    result["BUREAU_ACTIVE_DEBT_CREDIT_RATIO"] = _ratio(
        result["BUREAU_ACTIVE_DEBT_SUM"], result["BUREAU_ACTIVE_CREDIT_SUM"]
    )
    return result


def _bureau_balance(bureau, bureau_balance) -> pd.DataFrame | None:
    """Monthly bureau statuses, attributed to clients through their bureau loan id."""
    if bureau is None or bureau_balance is None:
        return None
    loans = pd.Index(bureau["SK_ID_BUREAU"].to_numpy())
    position = loans.get_indexer(bureau_balance["SK_ID_BUREAU"].to_numpy())
    known_loan = position >= 0  # months of loans absent from bureau belong to no client we know
    status = bureau_balance["STATUS"].to_numpy()[known_loan]
    work = pd.DataFrame(
        {
            "SK_ID_CURR": bureau["SK_ID_CURR"].to_numpy()[position[known_loan]],
            "known": pd.Series(status).isin(KNOWN_STATUSES).to_numpy(dtype="float32"),
            "late": pd.Series(status).isin(LATE_STATUSES).to_numpy(dtype="float32"),
            "severe": pd.Series(status).isin(SEVERE_STATUSES).to_numpy(dtype="float32"),
        }
    )
    grouped = work.groupby("SK_ID_CURR", sort=False)
    sums = grouped[["known", "late", "severe"]].sum()
    return pd.DataFrame(
        {
            "BB_MONTHS_COUNT": grouped.size(),
            "BB_LATE_MONTHS_COUNT": sums["late"],
            "BB_LATE_SHARE": _ratio(sums["late"], sums["known"]),
            "BB_SEVERE_LATE_SHARE": _ratio(sums["severe"], sums["known"]),
        }
    )


def _previous(previous: pd.DataFrame | None) -> pd.DataFrame | None:
    if previous is None:
        return None
    status = previous["NAME_CONTRACT_STATUS"]
    refused = (status == "Refused").to_numpy()
    work = pd.DataFrame(
        {
            "SK_ID_CURR": previous["SK_ID_CURR"].to_numpy(),
            "approved": (status == "Approved").to_numpy(dtype="float32"),
            "refused": refused.astype("float32"),
            "refused_days": np.where(refused, previous["DAYS_DECISION"], np.nan),
            "application": previous["AMT_APPLICATION"].to_numpy(),
            "credit": previous["AMT_CREDIT"].to_numpy(),
            "annuity": previous["AMT_ANNUITY"].to_numpy(),
            "app_credit": _ratio(previous["AMT_APPLICATION"], previous["AMT_CREDIT"]),
            "cnt_payment": previous["CNT_PAYMENT"].to_numpy(),
            "days_decision": previous["DAYS_DECISION"].to_numpy(),
        }
    )
    grouped = work.groupby("SK_ID_CURR", sort=False)
    count = grouped.size()
    return pd.DataFrame(
        {
            "PREV_COUNT": count,
            "PREV_APPROVED_COUNT": grouped["approved"].sum(),
            "PREV_REFUSED_COUNT": grouped["refused"].sum(),
            "PREV_APPROVED_SHARE": grouped["approved"].mean(),
            "PREV_REFUSED_SHARE": grouped["refused"].mean(),
            "PREV_REFUSED_DAYS_LAST": grouped["refused_days"].max(),
            "PREV_AMT_APPLICATION_MEAN": grouped["application"].mean(),
            "PREV_AMT_CREDIT_MEAN": grouped["credit"].mean(),
            "PREV_AMT_ANNUITY_MEAN": grouped["annuity"].mean(),
            "PREV_APP_CREDIT_RATIO_MEAN": grouped["app_credit"].mean(),
            "PREV_APP_CREDIT_RATIO_MIN": grouped["app_credit"].min(),
            "PREV_CNT_PAYMENT_MEAN": grouped["cnt_payment"].mean(),
            "PREV_DAYS_DECISION_MEAN": grouped["days_decision"].mean(),
            "PREV_DAYS_DECISION_LAST": grouped["days_decision"].max(),
        }
    )


def _pos(pos: pd.DataFrame | None) -> pd.DataFrame | None:
    if pos is None:
        return None
    work = pd.DataFrame(
        {
            "SK_ID_CURR": pos["SK_ID_CURR"].to_numpy(),
            "dpd": pos["SK_DPD"].to_numpy(),
            "dpd_def": pos["SK_DPD_DEF"].to_numpy(),
            "late": (pos["SK_DPD"] > 0).to_numpy(dtype="float32"),
            "future": pos["CNT_INSTALMENT_FUTURE"].to_numpy(),
        }
    )
    grouped = work.groupby("SK_ID_CURR", sort=False)
    loans = pos[["SK_ID_CURR", "SK_ID_PREV"]].drop_duplicates()["SK_ID_CURR"].value_counts()
    return pd.DataFrame(
        {
            "POS_MONTHS_COUNT": grouped.size(),
            "POS_LOAN_COUNT": loans,
            "POS_DPD_MAX": grouped["dpd"].max(),
            "POS_DPD_MEAN": grouped["dpd"].mean(),
            "POS_DPD_DEF_MAX": grouped["dpd_def"].max(),
            "POS_LATE_SHARE": grouped["late"].mean(),
            "POS_INSTALMENTS_FUTURE_MEAN": grouped["future"].mean(),
        }
    )


def _installments(installments: pd.DataFrame | None) -> pd.DataFrame | None:
    """Lateness and underpayment per instalment (several payment rows may settle one)."""
    if installments is None:
        return None
    keys = ["SK_ID_CURR", "SK_ID_PREV", "NUM_INSTALMENT_VERSION", "NUM_INSTALMENT_NUMBER"]
    per_instalment = installments.groupby(keys, sort=False, observed=True).agg(
        due_day=("DAYS_INSTALMENT", "first"),
        paid_day=("DAYS_ENTRY_PAYMENT", "max"),
        due=("AMT_INSTALMENT", "first"),
        paid=("AMT_PAYMENT", "sum"),
    )
    days_late = (per_instalment["paid_day"] - per_instalment["due_day"]).to_numpy("float64")
    shortfall = (per_instalment["due"] - per_instalment["paid"]).to_numpy("float64")
    work = pd.DataFrame(
        {
            "SK_ID_CURR": per_instalment.index.get_level_values("SK_ID_CURR"),
            "late": np.where(np.isnan(days_late), np.nan, days_late > 0),
            "days_late": np.clip(days_late, 0, None),
            # a cent of tolerance: amounts are float32 in the loader
            "underpaid": (shortfall > 1.0).astype("float32"),
            "shortfall": np.clip(shortfall, 0, None),
            "payment_ratio": _ratio(per_instalment["paid"], per_instalment["due"]),
        }
    )
    grouped = work.groupby("SK_ID_CURR", sort=False)
    return pd.DataFrame(
        {
            "INST_COUNT": grouped.size(),
            "INST_LATE_SHARE": grouped["late"].mean(),
            "INST_DAYS_LATE_MEAN": grouped["days_late"].mean(),
            "INST_DAYS_LATE_MAX": grouped["days_late"].max(),
            "INST_UNDERPAID_SHARE": grouped["underpaid"].mean(),
            "INST_UNDERPAID_AMOUNT_SUM": grouped["shortfall"].sum(),
            "INST_PAYMENT_RATIO_MEAN": grouped["payment_ratio"].mean(),
        }
    )


def _credit_card(cards: pd.DataFrame | None) -> pd.DataFrame | None:
    if cards is None:
        return None
    limit = cards["AMT_CREDIT_LIMIT_ACTUAL"].to_numpy("float64")
    work = pd.DataFrame(
        {
            "SK_ID_CURR": cards["SK_ID_CURR"].to_numpy(),
            "balance": cards["AMT_BALANCE"].to_numpy(),
            "limit": limit,
            "utilisation": _ratio(cards["AMT_BALANCE"], np.where(limit > 0, limit, np.nan)),
            "drawings": cards["AMT_DRAWINGS_CURRENT"].to_numpy(),
            "drawings_count": cards["CNT_DRAWINGS_CURRENT"].to_numpy(),
            "atm": cards["AMT_DRAWINGS_ATM_CURRENT"].to_numpy(),
            "dpd": cards["SK_DPD"].to_numpy(),
            "late": (cards["SK_DPD"] > 0).to_numpy(dtype="float32"),
        }
    )
    grouped = work.groupby("SK_ID_CURR", sort=False)
    return pd.DataFrame(
        {
            "CC_MONTHS_COUNT": grouped.size(),
            "CC_BALANCE_MEAN": grouped["balance"].mean(),
            "CC_LIMIT_MEAN": grouped["limit"].mean(),
            "CC_UTILISATION_MEAN": grouped["utilisation"].mean(),
            "CC_UTILISATION_MAX": grouped["utilisation"].max(),
            "CC_DRAWINGS_MEAN": grouped["drawings"].mean(),
            "CC_DRAWINGS_COUNT_MEAN": grouped["drawings_count"].mean(),
            "CC_ATM_DRAWINGS_MEAN": grouped["atm"].mean(),
            "CC_DPD_MAX": grouped["dpd"].max(),
            "CC_DPD_MEAN": grouped["dpd"].mean(),
            "CC_LATE_SHARE": grouped["late"].mean(),
        }
    )
