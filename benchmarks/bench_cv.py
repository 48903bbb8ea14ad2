# ruff: noqa: E402  (OMP_WAIT_POLICY and the path must be set before the imports below)
"""Candidates side by side on ALL rows of a data folder: repeated stratified CV, the same folds.

    .venv/bin/python benchmarks/bench_cv.py --data ../shared/data/homecredit-sample \
        [--repeats 3 --folds 5] [--budget-minutes 0] [--candidates all]

`python -m training.train` compares the candidates on its 80 % training split and keeps the rest
as the test split; this benchmark measures them on every row (more rows, tighter figures) and
adds the regularised LightGBM without the history aggregates, to tell what the history buys.
Prints a Markdown table for docs/methodology.md and docs/benchmarks.md.
"""

import argparse
import os
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from threadpoolctl import threadpool_limits

from training.candidates import all_candidates, default_candidates
from training.features import HISTORY_COLUMNS, build_features, feature_matrix, raw_matrix
from training.search import evaluate, repeated_folds
from training.train import FULL, load_training_frame


def designs(frame):
    """The candidates' matrices, plus the engineered one with the history blanked out."""
    without_history = frame.copy()
    without_history[HISTORY_COLUMNS] = np.nan
    return {
        "frame": build_features(frame),
        "engineered": feature_matrix(frame),
        "engineered_no_history": feature_matrix(without_history),
        "raw": raw_matrix(frame),
    }


def candidates(which):
    chosen = all_candidates() if which == "all" else default_candidates()
    lightgbm = next(c for c in chosen if c.name == "lightgbm_regularised")
    no_history = replace(lightgbm, name="lightgbm_regularised_no_history")
    no_history.design = "engineered_no_history"
    return [*chosen, no_history]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--repeats", type=int, default=FULL.repeats)
    parser.add_argument("--folds", type=int, default=FULL.folds)
    parser.add_argument("--budget-minutes", type=float, default=0.0)
    parser.add_argument("--candidates", choices=["default", "all"], default="default")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    settings = replace(FULL, repeats=args.repeats, folds=args.folds)
    settings = replace(settings, budget_minutes=args.budget_minutes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame, y = load_training_frame(args.data)
    matrices = designs(frame)
    folds = repeated_folds(y, args.repeats, args.folds, args.seed)
    started = time.perf_counter()
    print(f"{len(y)} rows, default rate {y.mean():.3f}, {args.repeats}x{args.folds} CV")
    print("| candidate | CV AUC (mean ± sd) | CV log-loss | seconds |\n|---|---|---|---|")
    with threadpool_limits(limits=1, user_api="blas"):
        for candidate in candidates(args.candidates):
            result = evaluate(candidate, matrices, y, folds, settings, args.seed)
            print(
                f"| {candidate.name} | {result.cv_auc:.4f} ± {result.cv_auc_sd:.4f} "
                f"| {np.mean(result.fold_log_losses):.4f} | {result.seconds:.0f} |",
                flush=True,
            )
    print(f"total {time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
