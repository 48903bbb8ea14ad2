"""How much default signal the history aggregates add: LightGBM cross-validated AUC on one data
folder with the application features only, with the previous pandas history (git revision
--legacy-rev) and with the engine's history, every variant on the same folds.

    .venv/bin/python benchmarks/bench_history_signal.py --data /tmp/synthetic60k
    .venv/bin/python benchmarks/bench_history_signal.py \
        --data ../shared/data/homecredit-bureau-sample --repeats 3

Prints a Markdown table (mean ± standard deviation over the folds, and the column count).
"""

import os

# Idle OpenMP threads must yield on a shared machine (see training/train.py): set before LightGBM.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from lightgbm import LGBMClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_engine import LEGACY_REV, import_legacy_history  # noqa: E402

from training.dataset import load_tables  # noqa: E402
from training.engine import load_with_history  # noqa: E402
from training.features import HISTORY_COLUMNS, build_features  # noqa: E402

# A plain, regularised LightGBM: the same for every variant, so only the columns differ.
PARAMS = {
    "n_estimators": 400,
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_child_samples": 50,
    "colsample_bytree": 0.5,
    "subsample": 0.8,
    "subsample_freq": 1,
    "reg_lambda": 5.0,
    "verbose": -1,
    "n_jobs": 2,
}


def legacy_history(data_dir, legacy_rev):
    legacy = import_legacy_history(legacy_rev)
    tables = load_tables(data_dir)
    return legacy.history_aggregates(tables), legacy.HISTORY_COLUMNS


def cv_auc(X, y, folds):
    scores = []
    for train, test in folds:
        model = LGBMClassifier(**PARAMS).fit(X.iloc[train], y[train])
        scores.append(roc_auc_score(y[test], model.predict_proba(X.iloc[test])[:, 1]))
    return float(np.mean(scores)), float(np.std(scores))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--legacy-rev", default=LEGACY_REV)
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = load_with_history(args.data, "application_train")
        old_history, old_columns = legacy_history(args.data, args.legacy_rev)
    y = frame["TARGET"].to_numpy()
    X = build_features(frame)
    application = [c for c in X.columns if c not in HISTORY_COLUMNS]
    old = build_features(frame.drop(columns=HISTORY_COLUMNS).join(old_history, on="SK_ID_CURR"))
    variants = {
        "application features only": X[application],
        f"+ previous pandas history ({len(old_columns)} columns)": old[application + old_columns],
        f"+ engine history ({len(HISTORY_COLUMNS)} columns)": X,
    }
    splitter = RepeatedStratifiedKFold(n_splits=5, n_repeats=args.repeats, random_state=42)
    folds = list(splitter.split(X, y))
    print(f"data: {args.data}, {len(y):,} applicants, default rate {y.mean():.3f}")
    print(f"LightGBM {PARAMS}, {args.repeats}x5 stratified CV, same folds for every row")
    print("| columns | features | CV AUC (mean ± sd) | seconds |")
    print("|---|---:|---:|---:|")
    for name, data in variants.items():
        started = time.perf_counter()
        mean, sd = cv_auc(data, y, folds)
        seconds = time.perf_counter() - started
        print(f"| {name} | {data.shape[1]} | {mean:.4f} ± {sd:.4f} | {seconds:.0f} |", flush=True)


if __name__ == "__main__":
    main()
