"""Time and peak memory of load_tables + history_aggregates + build_features on one data folder,
and the latency of build_features for one new application (what the API pays per request).

    .venv/bin/python benchmarks/bench_features.py --data /tmp/fullscale [--single-calls 500]

Prints a Markdown block ready to paste into docs/benchmarks.md.
"""

import argparse
import platform
import resource
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.dataset import load_tables  # noqa: E402
from training.features import build_features, history_aggregates  # noqa: E402


def peak_rss_gib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def timed(step, *args):
    start = time.perf_counter()
    result = step(*args)
    return result, time.perf_counter() - start


def single_row_latency(applications, calls: int) -> tuple[float, float]:
    """Median and 95th percentile (ms) of build_features on one application given as a dict."""
    applicant = applications.iloc[0].to_dict()
    build_features(applicant)  # first call pays the imports, not the API's steady state
    durations = []
    for _ in range(calls):
        start = time.perf_counter()
        build_features(applicant)
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    return statistics.median(durations), durations[int(0.95 * (len(durations) - 1))]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--single-calls", type=int, default=500)
    args = parser.parse_args(argv)

    total_start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables, load_s = timed(load_tables, args.data)
    rows = {name: len(frame) for name, frame in tables.items()}
    history, history_s = timed(history_aggregates, tables)
    applications = tables["application_train"].join(history, on="SK_ID_CURR")
    X, features_s = timed(build_features, applications)
    total_s = time.perf_counter() - total_start
    median_ms, p95_ms = single_row_latency(applications, args.single_calls)

    print(f"- data: `{args.data}`: " + ", ".join(f"{n} {r:,}" for n, r in rows.items()))
    print(f"- machine: {platform.python_version()} on {platform.machine()}, shared 2 cores")
    print(
        f"- load_tables: {load_s:.1f} s; history_aggregates: {history_s:.1f} s; "
        f"join + build_features: {features_s:.1f} s; total: {total_s:.1f} s"
    )
    print(f"- X: {X.shape[0]:,} rows x {X.shape[1]} features")
    print(f"- peak memory (max RSS of the process): {peak_rss_gib():.2f} GiB")
    print(
        f"- build_features, one new application as a dict ({args.single_calls} calls): "
        f"median {median_ms:.2f} ms, p95 {p95_ms:.2f} ms"
    )


if __name__ == "__main__":
    main()
