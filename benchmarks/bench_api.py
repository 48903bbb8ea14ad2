"""Scoring API benchmark: latency, batch time, throughput and the 50-client concurrency run.

    .venv/bin/python benchmarks/bench_api.py --data instance/data/demo \
        [--model-uri models:/credit-default-risk@champion] [--requests 500] [--duration 20]

Starts gunicorn ("app:create_app()", 2 workers) on a fresh SQLite database in a temporary
folder (migrated, client store loaded, one API key), measures, then times `mlflow models serve`
on the same model for comparison. Prints a Markdown block for docs/benchmarks.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
CHAMPION = "models:/credit-default-risk@champion"
API_ROWS = "SELECT count(*) FROM predictions WHERE source = 'api'"
CLIENT_IDS = 'SELECT "SK_ID_CURR" FROM clients LIMIT 500'

from tests.api.concurrency_tools import hammer, start_server  # noqa: E402
from tests.helpers import GOOD_APPLICATION, free_port  # noqa: E402


def prepare(data_dir: str, env: dict) -> str:
    """Migrated SQLite database with the client store and an API key; returns the key."""
    flask = [str(BIN / "flask"), "--app", "app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "clients", "load", data_dir], cwd=ROOT, env=env, check=True)
    created = subprocess.run(
        [*flask, "api-keys", "create", "bench"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return created.stdout.strip().splitlines()[-1]


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def sequential(url: str, body: dict, n: int, headers: dict | None = None) -> list[float]:
    """Latency (ms) of n sequential POSTs after 20 warm-up calls."""
    session = requests.Session()
    session.headers.update(headers or {})
    timings = []
    for i in range(n + 20):
        started = time.perf_counter()
        response = session.post(url, json=body, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        if i >= 20:
            timings.append(elapsed)
    return timings


def bench_mlflow_serve(model_uri: str, env: dict, n: int) -> list[float]:
    port = free_port()
    command = [str(BIN / "mlflow"), "models", "serve", "-m", model_uri, "--env-manager", "local"]
    process = subprocess.Popen(
        [*command, "-p", str(port), "-h", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"mlflow models serve exited with {process.returncode}")
            try:
                if requests.get(f"{url}/ping", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        return sequential(f"{url}/invocations", {"dataframe_records": [GOOD_APPLICATION]}, n)
    finally:
        process.terminate()
        process.wait(timeout=30)


def bench_gunicorn(url: str, headers: dict, database: Path, args) -> tuple[list[str], float]:
    """Latency, batch time and the 50-client run against the running gunicorn."""
    timings = sequential(url, {"application": GOOD_APPLICATION}, args.requests, headers)
    p50, p99 = percentiles(timings)
    rows = [dict(GOOD_APPLICATION, EXT_SOURCE_2=i / 1000) for i in range(1000)]
    batch_ms = statistics.median(sequential(url, {"applications": rows}, 5, headers))
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        ids = connection.execute(sa.text(CLIENT_IDS)).scalars().all()
        before = connection.execute(sa.text(API_ROWS)).scalar()
    successes, failures = hammer(url, headers["X-API-Key"], ids, args.duration, 50)
    with engine.connect() as connection:
        logged = connection.execute(sa.text(API_ROWS)).scalar() - before
    rate = len(successes) / args.duration
    return [
        f"| one application, reasons + log, sequential (n={args.requests}) "
        f"| p50 {p50:.1f} ms, p99 {p99:.1f} ms |",
        f"| batch of 1000 applications, reasons + log (median of 5) | {batch_ms:.0f} ms |",
        f"| 50 concurrent clients for {args.duration:.0f} s, 2 workers (throughput) "
        f"| {len(successes)} ok ({rate:.0f} req/s), {len(failures)} errors, "
        f"{logged} rows logged |",
    ], p50


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--model-uri", default=os.environ.get("MODEL_URI", CHAMPION))
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--duration", type=float, default=20.0)
    args = parser.parse_args(argv)
    database = Path(tempfile.mkdtemp(prefix="bench-api-")) / "app.db"
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{database}",
        MODEL_URI=args.model_uri,
        APP_ENV="development",
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # mlflow serve execs uvicorn
    )
    key = prepare(args.data, env)
    port = free_port()
    model_settings = {
        "MODEL_URI": args.model_uri,
        "MLFLOW_TRACKING_URI": os.environ.get("MLFLOW_TRACKING_URI"),
    }
    server = start_server(database, model_settings, port, workers=2)
    try:
        url = f"http://127.0.0.1:{port}/api/predict"
        lines, p50 = bench_gunicorn(url, {"X-API-Key": key}, database, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("| measurement | result |\n|---|---|")
    print("\n".join(lines), flush=True)
    serve_p50, serve_p99 = percentiles(bench_mlflow_serve(args.model_uri, env, args.requests))
    print(
        f"| `mlflow models serve`, same model, probability only (n={args.requests}) "
        f"| p50 {serve_p50:.1f} ms, p99 {serve_p99:.1f} ms |"
    )
    print(f"| ratio: API p50 / mlflow serve p50 | {p50 / serve_p50:.2f} |", flush=True)


if __name__ == "__main__":
    main()
