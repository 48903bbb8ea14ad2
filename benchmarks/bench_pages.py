"""Server time of the advisor's client page (scoring, reasons, comparison charts, rendering).

    python -m benchmarks.bench_pages --data DIR --model-uri URI [--tracking-uri URI] [--requests N]

Builds a throwaway SQLite database with the clients of DIR and one advisor, then requests
/clients/<id> through Flask's test client (no network: pure server time) for N requests over
distinct clients, after a warm-up that loads the model and the comparison population.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from app import create_app
from app.auth.accounts import create_advisor
from app.config import TestConfig
from app.extensions import db
from app.models import Client
from app.services.clients import load_clients


def build_app(data_dir: str, model_uri: str, tracking_uri: str | None, folder: Path):
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
        "MODEL_URI": model_uri,
        "MLFLOW_TRACKING_URI": tracking_uri,
    }
    app = create_app(type("BenchConfig", (TestConfig,), settings))
    with app.app_context():
        db.create_all()
        load_clients(data_dir)
        create_advisor("bench", "bench-password")
        ids = list(db.session.scalars(sa.select(Client.sk_id_curr).where(~Client.is_training)))
    return app, ids


def timed_requests(client, paths: list[str]) -> list[float]:
    timings = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return timings


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--model-uri", required=True)
    parser.add_argument("--tracking-uri")
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app, ids = build_app(args.data, args.model_uri, args.tracking_uri, Path(folder))
        client = app.test_client()
        client.post("/auth/sign-in", data={"username": "bench", "password": "bench-password"})
        timed_requests(client, [f"/clients/{i}" for i in ids[:5]])  # warm-up
        paths = [f"/clients/{ids[i % len(ids)]}" for i in range(args.requests)]
        timings = sorted(timed_requests(client, paths))
        similar = timed_requests(
            client,
            [f"/clients/{i}?age_band=30-39&contract_type=Cash+loans&variable=AGE_YEARS"
             for i in ids[: max(10, args.requests // 5)]],
        )  # fmt: skip
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"client page, {len(timings)} requests: p50 {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")  # fmt: skip
    print(f"client page with similar-client filters, {len(similar)} requests: "
          f"p50 {statistics.median(similar):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
