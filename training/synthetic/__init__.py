"""Synthetic Home Credit data at the real schema: the 8 CSV files of the Kaggle competition.

    python -m training.synthetic --out DIR --clients N --seed S [--format csv|parquet]

Writes application_train.csv (N clients, about 8% defaults), application_test.csv (about 16% of N
more clients, no TARGET, with the documented drift in SHIFTED_COLUMNS) and the six history
tables for both. Clients are generated in blocks of CHUNK_CLIENTS, each block from its own
random stream, so memory stays bounded and the same seed always gives the same bytes.
`--format parquet` writes the same rows as `.parquet` files (one row group per block).
See docs/DATA.md for what is reproduced and what is not.
"""

import sys
from pathlib import Path

import numpy as np
from tqdm import tqdm

from training.schema import TABLES
from training.synthetic.applications import make_applications
from training.synthetic.history import make_bureau
from training.synthetic.previous import make_previous
from training.synthetic.writers import FORMATS, sink

FILES = tuple(TABLES)  # the 8 files, in the order of schema.TABLES
FIRST_SK_ID_CURR = 100002
FIRST_SK_ID_BUREAU = 5000000
FIRST_SK_ID_PREV = 1000000
TEST_SHARE = 48744 / 307511  # real application_test rows per application_train row
CHUNK_CLIENTS = 10000
MAX_CLIENTS = 5_000_000

# application_test differs from application_train in these columns only (a drift to detect):
# EXT_SOURCE_3 lower (x0.85), AMT_CREDIT higher (x1.15), applicants younger (DAYS_BIRTH + 3 years).
SHIFTED_COLUMNS = ("EXT_SOURCE_3", "AMT_CREDIT", "DAYS_BIRTH")
YOUNGEST_DAYS_BIRTH = -7489  # the real files' youngest applicant, about 20.5 years


def apply_shift(applications):
    """Shift SHIFTED_COLUMNS of application_test rows in place (and return the frame)."""
    applications["EXT_SOURCE_3"] = (applications["EXT_SOURCE_3"] * 0.85).round(6)
    applications["AMT_CREDIT"] = (applications["AMT_CREDIT"] * 1.15 * 2).round() / 2
    younger = np.minimum(applications["DAYS_BIRTH"] + 1096, YOUNGEST_DAYS_BIRTH)
    applications["DAYS_BIRTH"] = younger.astype(np.int64)
    # keep the younger applicants' jobs starting at 16 or later (365243: not employed)
    employed = applications["DAYS_EMPLOYED"] < 0
    earliest_job = applications["DAYS_BIRTH"] + 16 * 365
    applications.loc[employed, "DAYS_EMPLOYED"] = np.maximum(
        applications.loc[employed, "DAYS_EMPLOYED"], earliest_job[employed]
    )
    return applications


def _blocks(n_clients, n_test):
    """(part, block index, first SK_ID_CURR, size): train blocks first, then test blocks."""
    for part, first_id, total in (
        (0, FIRST_SK_ID_CURR, n_clients),
        (1, FIRST_SK_ID_CURR + n_clients, n_test),
    ):
        for index, start in enumerate(range(0, total, CHUNK_CLIENTS)):
            yield part, index, first_id + start, min(CHUNK_CLIENTS, total - start)


def _write_all(output, n_clients, n_test, seed, bar):
    """Generate the blocks one after another; history ids run on across blocks."""
    next_bureau, next_prev = FIRST_SK_ID_BUREAU, FIRST_SK_ID_PREV
    for part, index, first_id, size in _blocks(n_clients, n_test):
        rng = np.random.default_rng([seed, part, index])
        ids = np.arange(first_id, first_id + size)
        applications, clients = make_applications(rng, ids, with_target=part == 0)
        bureau, balance = make_bureau(rng, clients, next_bureau)
        previous, pos_cash, installments, cards = make_previous(rng, clients, next_prev)
        next_bureau += len(bureau)
        next_prev += len(previous)
        tables = {
            FILES[part]: applications if part == 0 else apply_shift(applications),
            "bureau": bureau,
            "bureau_balance": balance,
            "previous_application": previous,
            "POS_CASH_balance": pos_cash,
            "installments_payments": installments,
            "credit_card_balance": cards,
        }
        output.write(tables)
        bar.update(size)


def generate(out_dir, n_clients, seed, progress=False, file_format="csv"):
    """Write the 8 files (`file_format` "csv" or "parquet") for `n_clients` training applicants.

    Returns the paths. `progress` shows a tqdm bar on stderr.
    """
    if not isinstance(n_clients, int | np.integer) or not 1 <= n_clients <= MAX_CLIENTS:
        raise ValueError(
            f"clients: must be a whole number from 1 to {MAX_CLIENTS}, got {n_clients!r}"
        )
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed: must be a whole number >= 0, got {seed!r}")
    if file_format not in FORMATS:
        raise ValueError(f"format: must be one of {', '.join(FORMATS)}, got {file_format!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_test = max(1, round(n_clients * TEST_SHARE))
    total = n_clients + n_test
    with (
        sink(file_format, out_dir, FILES) as output,
        tqdm(total=total, unit="client", disable=not progress, file=sys.stderr) as bar,
    ):
        _write_all(output, n_clients, n_test, int(seed), bar)
    return output.paths
