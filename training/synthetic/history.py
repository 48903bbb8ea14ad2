"""Synthetic credit history: bureau, bureau_balance, previous_application and the monthly
tables of previous loans (POS_CASH_balance, installments_payments, credit_card_balance).

Each client's hidden `behaviour` (see applications.py) raises the chance of overdue
bureau credits and bad monthly statuses, refused applications, late and short instalment
payments and days past due, so the history carries part of the default signal.
"""

import numpy as np

from training.schema import TABLES
from training.synthetic.columns import (
    bernoulli,
    blank_out,
    draw_marginal,
    expand,
    logistic,
    to_frame,
    with_missing,
)

# Rows per client (train + test clients alike) tuned so that, per application_train row, the
# totals match the real files: bureau 5.6, previous_application 5.4, POS_CASH 32.6,
# installments 44.2, credit card 12.5, and bureau_balance 15.9 per bureau credit.
HAS_BUREAU, BUREAU_EXTRA = 0.86, 4.6
HAS_PREVIOUS, PREVIOUS_EXTRA = 0.95, 3.94
HAS_BUREAU_BALANCE = 0.415
DAYS_PER_MONTH = 30.4


def _counts(rng, n, has_share, mean_extra):
    """0 for clients without records, else 1 + an over-dispersed count (negative binomial)."""
    has = rng.random(n) < has_share
    extra = rng.negative_binomial(2, 2 / (2 + mean_extra), n)
    return np.where(has, 1 + extra, 0)


def _generic(rng, table, n, skip):
    """Every column of `table` from its measured marginal, except the `skip` ones."""
    return {
        name: with_missing(rng, table, name, draw_marginal(rng, table, name, n))
        for name in TABLES[table]
        if name not in skip
    }


def make_bureau(rng, clients, first_id):
    """bureau rows (with SK_ID_BUREAU from `first_id`) and the matching bureau_balance rows."""
    counts = _counts(rng, len(clients.sk_id_curr), HAS_BUREAU, BUREAU_EXTRA)
    parent, _ = expand(counts)
    n = parent.size
    behaviour = clients.behaviour[parent]
    cols = _generic(rng, "bureau", n, skip=("SK_ID_CURR", "SK_ID_BUREAU"))
    cols["SK_ID_CURR"] = clients.sk_id_curr[parent]
    cols["SK_ID_BUREAU"] = first_id + np.arange(n, dtype=np.int64)
    days_credit = cols["DAYS_CREDIT"]
    active = cols["CREDIT_ACTIVE"] == "Active"
    duration = np.round(rng.lognormal(np.log(500), 1.0, n))
    cols["DAYS_CREDIT"] = days_credit
    cols["DAYS_CREDIT_ENDDATE"] = with_missing(
        rng, "bureau", "DAYS_CREDIT_ENDDATE", days_credit + duration
    )
    ended = np.minimum(days_credit + np.round(duration * rng.uniform(0.5, 1.0, n)), -1)
    # the real sample leaves the end date of about a quarter of active credits blank (not all)
    cols["DAYS_ENDDATE_FACT"] = blank_out(ended, active & (rng.random(n) < 0.23))
    last_news = np.maximum(-np.round(rng.exponential(250, n)), days_credit)  # active: recent
    cols["DAYS_CREDIT_UPDATE"] = np.where(active, last_news, ended)
    overdue_now = active & bernoulli(rng, logistic(-4.2 + 1.2 * behaviour))
    cols["CREDIT_DAY_OVERDUE"] = np.where(overdue_now, np.round(rng.gamma(1.2, 40, n)) + 1, 0)
    overdue_ever = overdue_now | bernoulli(rng, logistic(-2.4 + 1.0 * behaviour))
    credit_sum = cols["AMT_CREDIT_SUM"]
    cols["AMT_CREDIT_MAX_OVERDUE"] = with_missing(
        rng,
        "bureau",
        "AMT_CREDIT_MAX_OVERDUE",
        np.where(overdue_ever, np.round(credit_sum * rng.uniform(0.01, 0.2, n), 2), 0.0),
    )
    cols["AMT_CREDIT_SUM_OVERDUE"] = np.where(
        overdue_now, np.round(credit_sum * rng.uniform(0.01, 0.1, n), 2), 0.0
    )
    debt = np.where(active, np.round(credit_sum * rng.uniform(0, 1, n), 2), 0.0)
    cols["AMT_CREDIT_SUM_DEBT"] = with_missing(rng, "bureau", "AMT_CREDIT_SUM_DEBT", debt)
    frame = to_frame("bureau", cols)
    balance = _bureau_balance(rng, frame, behaviour)
    return frame, balance


def _bureau_balance(rng, bureau, behaviour):
    """Monthly statuses of part of the bureau credits, from month 0 back to the credit's start."""
    n = len(bureau)
    months_open = np.clip(
        np.ceil(-bureau["DAYS_CREDIT"].to_numpy() / DAYS_PER_MONTH), 1, 96
    ).astype(np.int64)
    counts = np.where(rng.random(n) < HAS_BUREAU_BALANCE, months_open + 1, 0)
    parent, position = expand(counts)
    months = -position
    closed_since = np.ceil(
        -np.nan_to_num(bureau["DAYS_ENDDATE_FACT"].to_numpy(), nan=0.0) / DAYS_PER_MONTH
    )
    closed = -months < closed_since[parent]
    late = bernoulli(rng, logistic(-4.6 + 1.3 * behaviour[parent]))
    bucket = np.minimum(1 + rng.geometric(0.6, parent.size) - 1, 5)
    status = np.where(late, bucket.astype(str), "0").astype(object)
    status[rng.random(parent.size) < 0.48] = "X"  # status unknown
    status[closed] = "C"
    cols = {
        "SK_ID_BUREAU": bureau["SK_ID_BUREAU"].to_numpy()[parent],
        "MONTHS_BALANCE": months,
        "STATUS": status,
    }
    return to_frame("bureau_balance", cols)
