"""Wall time of one training run (`--quick` or full) into a throw-away MLflow store.

    .venv/bin/python benchmarks/bench_training.py --data instance/data/demo --quick

The champion of instance/mlflow.db is not touched. Prints a Markdown block ready to paste into
docs/benchmarks.md (wall time, held-out AUC and cost, load average while it ran).
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
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as store:
        started = time.perf_counter()
        result = train(args.data, quick=args.quick, uri=f"sqlite:///{store}/mlflow.db")
        seconds = time.perf_counter() - started
    mode = "--quick" if args.quick else "full"
    print(
        f"- `{args.data}` {mode}: **{seconds:.0f} s** wall (load, features, 8 candidates CV, "
        f"refit, SHAP, plots, registration); champion {result.model.model_name}, "
        f"test AUC {result.metrics['auc']:.3f}, cost {result.metrics['business_cost']:.4f} "
        f"per application at threshold {result.model.threshold:.3f}; "
        f"load average after: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        f"({platform.python_version()})"
    )


if __name__ == "__main__":
    main()
