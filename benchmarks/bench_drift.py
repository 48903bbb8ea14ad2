"""Benchmark of drift monitoring: one run over 50k current rows x top 50 columns, then the pages.

    .venv/bin/python benchmarks/bench_drift.py [--data instance/data/demo] [--rows 50000]

Needs a registered model (MODEL_URI / MLFLOW_TRACKING_URI as for the app, e.g. after `make
model`); with --no-model it times the comparison alone against a training sample.
The current sample is application_test.csv (with history rebuilt from the tables beside it),
resampled with replacement to --rows rows, scored by the model, then compared: what
`flask drift run --current FILE` does for a file of that size. Targets: run <= 60 s,
pages <= 150 ms.
"""

import argparse
import copy
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

warnings.filterwarnings("ignore")


def _timed(label, function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    elapsed = time.perf_counter() - started
    print(f"{label:<58} {elapsed:8.2f} s", flush=True)
    return value, elapsed


def _loaded_model(app, data_dir, use_model):
    from app.services.model_store import ModelUnavailableError, get_model

    if use_model:
        try:
            return get_model(app)
        except ModelUnavailableError as error:
            sys.exit(f"{error}\n(or run with --no-model to time the comparison alone)")
    from training.dataset import load_applications

    train = load_applications(Path(data_dir) / "application_train.csv")
    stand_in = SimpleNamespace(reference=train.sample(5000, random_state=0), report={})
    return SimpleNamespace(model=stand_in, name="no model", version="-")


def _current(data_dir, loaded, rows, use_model):
    from app.monitoring import sources
    from app.monitoring.drift import PREDICTION_COLUMN

    model = loaded.model if use_model else SimpleNamespace(predict_proba=lambda f: [0.0] * len(f))
    batch, _ = _timed(
        "load application_test + rebuild history (from_file)",
        sources.from_file,
        Path(data_dir) / "application_test.csv",
        model,
    )
    frame = batch.frame.sample(rows, replace=True, random_state=0).reset_index(drop=True)
    if use_model:
        probabilities, _ = _timed(
            f"score {rows:,} rows (predict_proba)", model.predict_proba, frame
        )
        frame[PREDICTION_COLUMN] = probabilities
    else:
        frame = frame.drop(columns=[PREDICTION_COLUMN])
    return sources.CurrentSample(frame=frame, source="file", detail=f"{rows:,} resampled rows")


def _page_timings(app, run, copies=60, requests=30):
    """Store `copies` runs like `run`, then time the page and the API reading them."""
    from app.auth.accounts import create_advisor
    from app.auth.api_keys import create_key
    from app.extensions import db
    from app.models import DriftRun

    fields = {
        c.key: copy.deepcopy(getattr(run, c.key))
        for c in DriftRun.__table__.columns
        if c.key != "id"
    }
    for _ in range(copies - 1):
        db.session.add(DriftRun(**fields))
    db.session.commit()
    create_advisor("bench", "bench-password-123")
    key = create_key("bench")
    client = app.test_client()
    client.post("/auth/sign-in", data={"username": "bench", "password": "bench-password-123"})
    for path, headers in (("/monitoring", {}), ("/api/drift", {"X-API-Key": key})):
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"GET {path:<20} ({copies} runs stored)  median {statistics.median(times):6.1f} ms"
            f"  p95 {p95:6.1f} ms"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "instance" / "data" / "demo"))
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--no-model", action="store_true")
    args = parser.parse_args()

    from app import create_app
    from app.config import Config
    from app.extensions import db
    from app.monitoring import runs

    workdir = Path(tempfile.mkdtemp(prefix="bench-drift-"))
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.db'}",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }
    app = create_app(type("BenchConfig", (Config,), settings))
    with app.app_context():
        db.create_all()
        loaded = _loaded_model(app, args.data, not args.no_model)
        current = _current(args.data, loaded, args.rows, not args.no_model)
        run, elapsed = _timed(
            f"drift run: {args.rows:,} rows x top {args.top} (capped at "
            f"{app.config['DRIFT_MAX_ROWS']:,})",
            runs.run_drift,
            current,
            loaded,
            top_n=args.top,
        )
        print(
            f"  {run.drifted_count} of {run.column_count} columns drifted; report "
            f"{len(run.report_html_gz) / 1e6:.1f} MB gzipped"
        )
        _page_timings(app, run)
    print(f"target: drift run <= 60 s -> {'OK' if elapsed <= 60 else 'MISSED'} ({elapsed:.1f} s)")


if __name__ == "__main__":
    main()
