"""Wall time of one training run (`--quick` or full) into a throw-away MLflow store.

    .venv/bin/python benchmarks/bench_training.py --data instance/data/demo --quick
    .venv/bin/python benchmarks/bench_training.py --data ../shared/data/homecredit-sample

The champion of instance/mlflow.db is not touched. Prints a Markdown block ready to paste into
docs/benchmarks.md (wall time, the candidates' CV AUC, held-out AUC and cost, load average before
and after: the machine is shared).
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.train import train  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--budget-minutes", type=float, default=None)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as store:
        started = time.perf_counter()
        result = train(
            args.data,
            quick=args.quick,
            uri=f"sqlite:///{store}/mlflow.db",
            budget_minutes=args.budget_minutes,
        )
        seconds = time.perf_counter() - started
    mode = "--quick" if args.quick else "full"
    candidates = result.model.report["candidates"]
    print(
        f"- `{args.data}` {mode}: **{seconds:.0f} s** wall (load, features, {len(candidates)} "
        f"candidates CV, production model, explanations, plots, registration); champion "
        f"{result.model.model_name}, CV AUC {result.metrics['cv_auc']:.4f} ± "
        f"{result.metrics['cv_auc_sd']:.4f}, test AUC {result.metrics['auc']:.3f}, cost "
        f"{result.metrics['business_cost']:.4f} per application at threshold "
        f"{result.model.threshold:.3f}; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores ({platform.python_version()})"
    )
    print("\n| candidate | CV AUC (mean ± sd) | CV log-loss | seconds |\n|---|---|---|---|")
    for c in sorted(candidates, key=lambda c: -c["cv_auc"]):
        baseline = " (baseline)" if c["baseline"] else ""
        print(
            f"| {c['name']}{baseline} | {c['cv_auc']:.4f} ± {c['cv_auc_sd']:.4f} "
            f"| {c['cv_log_loss']:.4f} | {c['seconds']:.0f} |"
        )


if __name__ == "__main__":
    main()
