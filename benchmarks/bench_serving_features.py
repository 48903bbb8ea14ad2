"""What serving pays per request for features: a stored client's history JSON read back and
build_features on one application dict, and a new applicant without history.

    .venv/bin/python benchmarks/bench_serving_features.py --data instance/data/demo [--calls 3000]

Clients are loaded as `clients load` stores them (application and history as JSON); timings are
the median and 95th percentile over --calls calls on 50 stored clients, after a warm-up.
"""

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.dataset import load_tables  # noqa: E402
from training.features import FEATURE_NAMES, build_features, history_aggregates  # noqa: E402


def stored_clients(data_dir, count=50):
    """(application JSON, history JSON) of `count` training clients with history."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = load_tables(data_dir)
    applications = tables.pop("application_train")
    history = history_aggregates(tables)
    chosen = applications[applications["SK_ID_CURR"].isin(history.index)].head(count)
    rows = []
    for _, row in chosen.iterrows():
        application = json.loads(row.drop("TARGET").to_json())
        past = json.loads(history.loc[row["SK_ID_CURR"]].astype("float64").to_json())
        rows.append(
            (json.dumps(application), json.dumps({k: v for k, v in past.items() if v is not None}))
        )
    return rows


def timed(calls, step):
    durations = []
    for i in range(calls):
        started = time.perf_counter()
        step(i)
        durations.append((time.perf_counter() - started) * 1e6)
    durations.sort()
    return statistics.median(durations), durations[int(0.95 * (len(durations) - 1))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args(argv)
    rows = stored_clients(args.data)
    fields = [{**json.loads(a), **json.loads(h)} for a, h in rows]
    new = [json.loads(a) for a, _ in rows]
    for i in range(200):  # warm-up
        build_features(fields[i % len(fields)])
    results = {
        "read stored history JSON": timed(args.calls, lambda i: json.loads(rows[i % len(rows)][1])),
        "build_features, stored client": timed(
            args.calls, lambda i: build_features(fields[i % len(fields)])
        ),
        "build_features, new applicant": timed(
            args.calls, lambda i: build_features(new[i % len(new)])
        ),
    }
    print(f"features: {len(FEATURE_NAMES)}; history keys stored: {len(json.loads(rows[0][1]))}")
    for name, (median, p95) in results.items():
        print(f"| {name} | {median:.0f} µs | {p95:.0f} µs |")


if __name__ == "__main__":
    main()
