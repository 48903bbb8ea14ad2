"""Features at scale: wall time, CPU and peak memory of one pipeline on one data folder, from
the files to the model matrix X of application_train. Run each in its own process, e.g. under
`/usr/bin/time -v`, one at a time:

    .venv/bin/python benchmarks/bench_engine.py --pipeline duckdb --data /tmp/fullscale
    .venv/bin/python benchmarks/bench_engine.py --pipeline spark --data /tmp/fullscale
    .venv/bin/python benchmarks/bench_engine.py --pipeline pandas --data /tmp/fullscale
    .venv/bin/python benchmarks/bench_engine.py --pipeline kernel --data DIR --kernel FILE.py

- duckdb / spark: training.engine (files -> checked views -> the history SQL -> applications
  -> build_features in batches).
- pandas: the previous pipeline: training.dataset.load_tables (pandas CSV reader) + the
  history.py of git revision --legacy-rev (the pandas group-bys, checked out into a temporary
  module, never into training/) + join + build_features.
- kernel: `features(data_dir)` of a local copy of the public Kaggle kernel's feature part (the
  kernel is not part of this repository; see docs/benchmarks.md).

Prints one Markdown table row; peak memory is the process's max RSS and, sampled every 0.2 s,
the sum over the process and its children (Spark's JVM).
"""

import argparse
import contextlib
import importlib.util
import resource
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LEGACY_REV = "e308019"  # main before the engine: training/history.py in pandas


class TreeMemory(threading.Thread):
    """Samples the resident memory of this process and its children."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self):
        me = psutil.Process()
        while not self._stop_event.wait(0.2):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a child may just have ended
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)

    def stop(self):
        self._stop_event.set()


def _import_file(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def import_legacy_history(legacy_rev: str):
    """The previous pandas `training/history.py`, as it was at `legacy_rev`, as a module."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{legacy_rev}:training/history.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "legacy_history.py"
        path.write_text(source)
        return _import_file(path, "legacy_history")


def engine_pipeline(engine, data, batch_rows, steps, memory_limit=None):
    from training.engine import FEATURE_BATCH_ROWS, feature_matrix, open_runner

    options = {"memory_limit": memory_limit} if memory_limit else {}
    batch_rows = batch_rows or FEATURE_BATCH_ROWS
    with open_runner(engine, **options) as runner:
        steps["load"] = _timed(lambda: runner.load(data))
        history = _timed_value(runner.history, steps, "history")
        applications = _timed_value(
            lambda: runner.applications("application_train"), steps, "applications"
        )
    return _timed_value(lambda: feature_matrix(applications, history, batch_rows), steps, "X")


def pandas_pipeline(data, legacy_rev, steps):
    from training.dataset import load_tables
    from training.features import build_features

    legacy = import_legacy_history(legacy_rev)
    tables = _timed_value(lambda: load_tables(data), steps, "load")
    started = time.perf_counter()
    history = legacy.history_aggregates(tables)
    steps["history"] = time.perf_counter() - started
    frame = tables.pop("application_train").join(history, on="SK_ID_CURR")
    tables.clear()  # the history tables are no longer needed
    return _timed_value(lambda: build_features(frame), steps, "X")


def kernel_pipeline(data, kernel, steps):
    module = _import_file(kernel, "kaggle_kernel_features")
    return _timed_value(lambda: module.features(data), steps, "X")


def _timed(step):
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def _timed_value(step, steps, name):
    started = time.perf_counter()
    value = step()
    steps[name] = time.perf_counter() - started
    return value


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pipeline", required=True, choices=["duckdb", "spark", "pandas", "kernel"]
    )
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument(
        "--batch-rows", type=int, help="applicants per feature batch (default: the engine's)"
    )
    parser.add_argument("--legacy-rev", default=LEGACY_REV)
    parser.add_argument("--kernel", type=Path, help="the kernel's feature file (kernel only)")
    parser.add_argument(
        "--memory-limit", help="DuckDB's memory_limit (e.g. 1GB; default: the runner's own)"
    )
    args = parser.parse_args(argv)
    memory = TreeMemory()
    memory.start()
    steps = {}
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if args.pipeline in ("duckdb", "spark"):
            X = engine_pipeline(args.pipeline, args.data, args.batch_rows, steps, args.memory_limit)
        elif args.pipeline == "pandas":
            X = pandas_pipeline(args.data, args.legacy_rev, steps)
        else:
            X = kernel_pipeline(args.data, args.kernel, steps)
    total = time.perf_counter() - started
    memory.stop()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime
    detail = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items())
    load = psutil.getloadavg()[0]
    print(
        f"| {args.pipeline} | {args.data} | {X.shape[0]:,} x {X.shape[1]} | {total:.1f} s "
        f"({detail}) | {cpu:.1f} s | {usage.ru_maxrss / 1024**2:.2f} GiB | "
        f"{memory.peak / 1024**3:.2f} GiB | {load:.1f} |"
    )


if __name__ == "__main__":
    main()
