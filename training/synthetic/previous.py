"""Synthetic previous Home Credit applications and their monthly tables: POS_CASH_balance,
installments_payments and credit_card_balance.

Clients with a worse hidden `behaviour` get refused more often, pay instalments later and
short, and run days past due; approved loans carry the real files' 365243 placeholders.
"""

import numpy as np

from training.synthetic.columns import (
    bernoulli,
    blank_out,
    expand,
    logistic,
    to_frame,
    value_at,
)
from training.synthetic.history import (
    DAYS_PER_MONTH,
    HAS_PREVIOUS,
    PREVIOUS_EXTRA,
    _counts,
    _generic,
)

TABLE = "previous_application"
NOT_YET = 365243.0  # the real files' "no date yet"
REFUSAL_REASONS = {
    "HC": 0.58,
    "LIMIT": 0.21,
    "SCO": 0.12,
    "SCOFR": 0.04,
    "VERIF": 0.02,
    "SYSTEM": 0.005,
    "XNA": 0.025,
}


def _status(rng, behaviour, revolving):
    """NAME_CONTRACT_STATUS: refusals follow behaviour, the rest in their real proportions
    (cards are approved more often: they are what credit_card_balance is made of)."""
    refused = bernoulli(rng, logistic(-1.9 + 0.9 * behaviour))
    u = rng.random(behaviour.size)
    other = np.where(
        u < np.where(revolving, 0.9, 0.75),
        "Approved",
        np.where(u < 0.977, "Canceled", "Unused offer"),
    )
    return np.where(refused, "Refused", other).astype(object)


def _reject_reason(rng, status):
    """CODE_REJECT_REASON: XAP unless refused (a bank reason) or an unused offer (CLIENT)."""
    reasons = np.array(list(REFUSAL_REASONS), dtype=object)
    weights = np.fromiter(REFUSAL_REASONS.values(), dtype=float)
    picked = reasons[rng.choice(len(reasons), size=status.size, p=weights / weights.sum())]
    return np.where(
        status == "Refused", picked, np.where(status == "Unused offer", "CLIENT", "XAP")
    ).astype(object)


def _dates(rng, cols, approved, n):
    """DAYS_FIRST_DRAWING .. DAYS_TERMINATION for approved loans (365243 = not reached yet)."""
    decision = cols["DAYS_DECISION"]
    terms = np.nan_to_num(cols["CNT_PAYMENT"], nan=0.0)
    first_due = decision + np.round(rng.uniform(10, 40, n))
    last_due_plan = first_due + np.round(DAYS_PER_MONTH * np.maximum(terms - 1, 0))
    last_due = np.where(last_due_plan < 0, last_due_plan, NOT_YET)
    termination = np.where(
        last_due < 0, np.minimum(last_due + np.round(rng.uniform(0, 30, n)), -1), NOT_YET
    )
    drawing = np.where(rng.random(n) < 0.96, NOT_YET, decision + np.round(rng.uniform(1, 20, n)))
    dates = {
        "DAYS_FIRST_DRAWING": drawing,
        "DAYS_FIRST_DUE": np.where(rng.random(n) < 0.03, NOT_YET, first_due),
        "DAYS_LAST_DUE_1ST_VERSION": last_due_plan,
        "DAYS_LAST_DUE": last_due,
        "DAYS_TERMINATION": termination,
        "NFLAG_INSURED_ON_APPROVAL": (rng.random(n) < 0.33).astype(float),
    }
    undated = ~approved | (rng.random(n) < 0.06)  # as ~6% of the real sample's approved loans
    for name, values in dates.items():
        cols[name] = blank_out(values, undated)
    return first_due


def _amounts(rng, cols, status, n):
    """Amounts and term consistent with the contract type and status: a canceled application
    has no amounts, an unused offer no term, cards no goods price half of the time."""
    kind = cols["NAME_CONTRACT_TYPE"]
    revolving = kind == "Revolving loans"
    canceled = status == "Canceled"
    # the real AMT_APPLICATION is 0 for canceled rows (its lowest decile): skip it for the others
    application = np.where(
        canceled, 0.0, value_at(TABLE, "AMT_APPLICATION", rng.uniform(0.12, 1, n))
    )
    credit = np.where(canceled, 0.0, np.round(application * rng.uniform(0.9, 1.2, n), 2))
    terms = np.where(revolving, 0.0, np.maximum(np.nan_to_num(cols["CNT_PAYMENT"], nan=12.0), 3.0))
    instalments = np.where(revolving, 20.0, terms)
    annuity = np.round(credit * rng.uniform(1.05, 1.35, n) / instalments, 3)
    no_goods = (kind == "XNA") | (revolving & (rng.random(n) < 0.3))
    no_term = (
        canceled | (status == "Unused offer") | ((status == "Refused") & (rng.random(n) < 0.18))
    )
    cols["AMT_APPLICATION"] = application
    cols["AMT_CREDIT"] = credit
    cols["CNT_PAYMENT"] = blank_out(np.nan_to_num(terms, nan=12.0), no_term)
    cols["AMT_ANNUITY"] = blank_out(annuity, no_term)
    cols["AMT_GOODS_PRICE"] = blank_out(application, canceled | no_goods)


def make_previous(rng, clients, first_id):
    """previous_application rows (SK_ID_PREV from `first_id`) and the three monthly tables."""
    counts = _counts(rng, len(clients.sk_id_curr), HAS_PREVIOUS, PREVIOUS_EXTRA)
    parent, _ = expand(counts)
    n = parent.size
    behaviour = clients.behaviour[parent]
    cols = _generic(rng, TABLE, n, skip=("SK_ID_PREV", "SK_ID_CURR"))
    cols["SK_ID_PREV"] = first_id + np.arange(n, dtype=np.int64)
    cols["SK_ID_CURR"] = clients.sk_id_curr[parent]
    status = _status(rng, behaviour, cols["NAME_CONTRACT_TYPE"] == "Revolving loans")
    cols["NAME_CONTRACT_STATUS"] = status
    cols["CODE_REJECT_REASON"] = _reject_reason(rng, status)
    _amounts(rng, cols, status, n)
    first_due = _dates(rng, cols, status == "Approved", n)
    previous = to_frame(TABLE, cols)
    loans = _Loans(previous, first_due, behaviour)
    return (
        previous,
        make_pos_cash(rng, loans),
        make_installments(rng, loans),
        make_credit_cards(rng, loans),
    )


class _Loans:
    """The approved previous loans, with what the monthly tables need."""

    def __init__(self, previous, first_due, behaviour):
        approved = (previous["NAME_CONTRACT_STATUS"] == "Approved").to_numpy()
        self.revolving = (previous["NAME_CONTRACT_TYPE"] == "Revolving loans").to_numpy()[approved]
        self.sk_id_prev = previous["SK_ID_PREV"].to_numpy()[approved]
        self.sk_id_curr = previous["SK_ID_CURR"].to_numpy()[approved]
        self.terms = np.nan_to_num(previous["CNT_PAYMENT"].to_numpy()[approved], nan=0.0)
        self.annuity = np.nan_to_num(previous["AMT_ANNUITY"].to_numpy()[approved], nan=0.0)
        self.credit = previous["AMT_CREDIT"].to_numpy()[approved]
        self.first_due = first_due[approved]
        self.behaviour = behaviour[approved]
        # whole months from the first due date to today (the monthly tables stop at month -1)
        self.months_elapsed = np.clip(np.floor(-self.first_due / DAYS_PER_MONTH), 0, 96).astype(
            np.int64
        )


def make_pos_cash(rng, loans):
    """One row per month of each approved cash / consumer loan, until paid off or month -1."""
    counts = np.where(loans.revolving, 0, np.minimum(loans.terms + 1, loans.months_elapsed)).astype(
        np.int64
    )
    parent, position = expand(counts)
    n = parent.size
    terms = loans.terms[parent]
    future = np.maximum(terms - position, 0)
    start_month = -loans.months_elapsed[parent]
    late = bernoulli(rng, logistic(-4.0 + 1.2 * loans.behaviour[parent]))
    dpd = np.where(late, np.round(rng.gamma(1.0, 15, n)) + 1, 0)
    cols = {
        "SK_ID_PREV": loans.sk_id_prev[parent],
        "SK_ID_CURR": loans.sk_id_curr[parent],
        "MONTHS_BALANCE": start_month + position,
        "CNT_INSTALMENT": terms,
        "CNT_INSTALMENT_FUTURE": future,
        "NAME_CONTRACT_STATUS": np.where(future == 0, "Completed", "Active").astype(object),
        "SK_DPD": dpd,
        "SK_DPD_DEF": np.where(dpd > 30, dpd - 30, 0),
    }
    return to_frame("POS_CASH_balance", cols)


def make_installments(rng, loans):
    """One row per instalment paid so far (about 1 in 8 paid in two parts): late payments
    (DAYS_ENTRY_PAYMENT > DAYS_INSTALMENT) and short payments follow behaviour."""
    due = np.where(
        loans.revolving,
        np.minimum(loans.months_elapsed, 24),
        np.minimum(loans.terms, loans.months_elapsed),
    )
    due_parent, number = expand(due.astype(np.int64))
    split = rng.random(due_parent.size) < 0.12
    parent = np.concatenate([due_parent, due_parent[split]])
    number = np.concatenate([number, number[split]]) + 1
    order = np.lexsort((number, parent))
    parent, number = parent[order], number[order]
    n = parent.size
    behaviour = loans.behaviour[parent]
    days_due = loans.first_due[parent] + np.round(DAYS_PER_MONTH * (number - 1))
    late = bernoulli(rng, logistic(-2.8 + 1.0 * behaviour))
    delay = np.where(late, np.round(rng.gamma(0.9, 12, n)) + 1, -np.round(rng.exponential(9, n)))
    amount = np.round(
        np.where(loans.revolving[parent], loans.annuity[parent] * 0.3, loans.annuity[parent]), 3
    )
    short = bernoulli(rng, logistic(-3.3 + 0.9 * behaviour))
    paid = np.round(np.where(short, amount * rng.uniform(0.05, 0.95, n), amount), 3)
    cols = {
        "SK_ID_PREV": loans.sk_id_prev[parent],
        "SK_ID_CURR": loans.sk_id_curr[parent],
        "NUM_INSTALMENT_VERSION": np.where(
            loans.revolving[parent], 0.0, 1.0 + (rng.random(n) < 0.05)
        ),
        "NUM_INSTALMENT_NUMBER": number,
        "DAYS_INSTALMENT": days_due,
        "DAYS_ENTRY_PAYMENT": np.minimum(days_due + delay, -1.0),
        "AMT_INSTALMENT": amount,
        "AMT_PAYMENT": paid,
    }
    return to_frame("installments_payments", cols)


def make_credit_cards(rng, loans):
    """One row per month of each approved revolving loan: balance, drawings, payments, DPD."""
    counts = np.where(loans.revolving, np.maximum(loans.months_elapsed, 1), 0).astype(np.int64)
    parent, position = expand(counts)
    n = parent.size
    behaviour = loans.behaviour[parent]
    limit = np.maximum(np.round(loans.credit[parent] / 22500) * 22500, 22500).astype(np.int64)
    in_use = rng.random(n) < 0.45  # most card-months carry no balance
    usage = np.clip(logistic(-0.2 + 0.9 * behaviour + rng.normal(0, 0.8, n)) * in_use, 0, 1.1)
    balance = np.round(limit * usage, 3)
    drawings = np.round(balance * rng.uniform(0, 0.15, n) * (rng.random(n) < 0.4), 3)
    minimum = np.round(balance * 0.05, 3)
    short = bernoulli(rng, logistic(-3.0 + 1.0 * behaviour))
    payment = np.round(
        np.where(short, minimum * rng.uniform(0, 0.9, n), minimum * rng.uniform(1, 3, n)), 3
    )
    late = bernoulli(rng, logistic(-4.5 + 1.3 * behaviour)) & (balance > 0)
    dpd = np.where(late, np.round(rng.gamma(1.0, 20, n)) + 1, 0)
    atm = np.round(drawings * (rng.random(n) < 0.5), 3)
    unreported = (position == 0) | (rng.random(n) < 0.05)
    drawn = rng.random(n) < 0.8  # about one month in five has no drawing breakdown
    cols = {
        "SK_ID_PREV": loans.sk_id_prev[parent],
        "SK_ID_CURR": loans.sk_id_curr[parent],
        "MONTHS_BALANCE": position - counts[parent],
        "AMT_BALANCE": balance,
        "AMT_CREDIT_LIMIT_ACTUAL": limit,
        "AMT_DRAWINGS_ATM_CURRENT": blank_out(atm, ~drawn),
        "AMT_DRAWINGS_CURRENT": drawings,
        "AMT_DRAWINGS_OTHER_CURRENT": blank_out(np.zeros(n), ~drawn),
        "AMT_DRAWINGS_POS_CURRENT": blank_out(drawings - atm, ~drawn),
        "AMT_INST_MIN_REGULARITY": blank_out(minimum, unreported),
        "AMT_PAYMENT_CURRENT": blank_out(payment, (payment == 0) & (rng.random(n) < 0.4)),
        "AMT_PAYMENT_TOTAL_CURRENT": payment,
        "AMT_RECEIVABLE_PRINCIPAL": np.round(balance * 0.97, 3),
        "AMT_RECIVABLE": balance,
        "AMT_TOTAL_RECEIVABLE": balance,
        "CNT_DRAWINGS_ATM_CURRENT": blank_out((atm > 0) * 1.0, ~drawn),
        "CNT_DRAWINGS_CURRENT": (drawings > 0) * rng.integers(1, 6, n),
        "CNT_DRAWINGS_OTHER_CURRENT": blank_out(np.zeros(n), ~drawn),
        "CNT_DRAWINGS_POS_CURRENT": blank_out(((drawings - atm) > 0) * 1.0, ~drawn),
        "CNT_INSTALMENT_MATURE_CUM": blank_out(position * 1.0, unreported),
        "NAME_CONTRACT_STATUS": np.full(n, "Active", dtype=object),
        "SK_DPD": dpd,
        "SK_DPD_DEF": np.where(dpd > 30, dpd - 30, 0),
    }
    return to_frame("credit_card_balance", cols)
