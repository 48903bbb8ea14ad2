"""Scoring API benchmark: our /api/predict against `mlflow models serve`, in the same run.

    MLFLOW_TRACKING_URI=sqlite:///$PWD/instance/mlflow.db .venv/bin/python \
        benchmarks/bench_api.py --data instance/data/demo [--requests 600] [--rounds 6]

Sends FULL applications (every application_test column but SK_ID_CURR, ~120 fields, from the
data folder's application_test.csv). Starts, side by side:
- gunicorn "app:create_app()" (the repo's gunicorn.conf.py, 2 workers) on a fresh SQLite database
  (migrated, client store loaded, one API key): `POST /api/predict`, with reason codes and the
  prediction-log row written before the answer;
- `mlflow models serve` of a plain LightGBM (400 trees, learning rate 0.02, 15 leaves, half the
  columns per tree; OrdinalEncoder + LGBMClassifier pipeline on the raw application columns,
  trained on the data folder): probability only;
- `mlflow models serve` of the champion (`--model-uri`): probability only.
Sequential requests from one client after 20 warm-up calls per server, interleaved in `--rounds`
blocks so that the machine's load weighs on all three alike. Then a batch of 1,000 full
applications and a 50-client concurrency run. Prints a Markdown table for docs/benchmarks.md.
"""

import argparse
import math
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
# what the plain model's skops file holds besides scikit-learn (MLflow asks to name them)
PLAIN_MODEL_TYPES = [
    "builtins.object",
    "collections.OrderedDict",
    "lightgbm.basic.Booster",
    "lightgbm.sklearn.LGBMClassifier",
]

from tests.api.concurrency_tools import hammer  # noqa: E402
from tests.helpers import free_port  # noqa: E402


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


def full_applications(data_dir: str, count: int = 200) -> list[dict]:
    """Rows of application_test.csv as JSON objects: every column but SK_ID_CURR (null when
    missing), only rows the API accepts."""
    import pandas as pd

    from app.errors import InvalidInputError
    from app.services.validation import validate_application

    frame = pd.read_csv(Path(data_dir) / "application_test.csv", nrows=count * 2)
    records = []
    for record in frame.drop(columns=["SK_ID_CURR"]).to_dict("records"):
        record = {k: _plain(v) for k, v in record.items()}
        try:
            validate_application(record)
        except InvalidInputError:
            continue
        records.append(record)
    return records[:count]


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def save_plain_lightgbm(data_dir: str, folder: Path) -> Path:
    """The obvious alternative, saved as an MLflow sklearn model that answers probabilities."""
    import mlflow.sklearn
    import pandas as pd
    from lightgbm import LGBMClassifier
    from mlflow.models import infer_signature
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OrdinalEncoder

    from training.dataset import load_applications

    frame = load_applications(Path(data_dir) / "application_train.csv")
    y = frame.pop("TARGET").to_numpy()
    X = frame.drop(columns=["SK_ID_CURR"])
    text = [c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)]
    X = X.astype({c: object for c in text}).astype({c: float for c in X.columns if c not in text})
    encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    preprocess = ColumnTransformer(
        [
            ("text", encoder, text),
            ("numbers", "passthrough", [c for c in X if c not in text]),
        ]
    )
    classifier = LGBMClassifier(
        n_estimators=400, learning_rate=0.02, num_leaves=15, colsample_bytree=0.5, verbose=-1
    )
    model = Pipeline([("preprocess", preprocess), ("classifier", classifier)]).fit(X, y)
    path = folder / "plain-lightgbm"
    signature = infer_signature(X.head(50), model.predict_proba(X.head(50))[:, 1])
    mlflow.sklearn.save_model(
        model,
        path,
        signature=signature,
        pyfunc_predict_fn="predict_proba",
        skops_trusted_types=PLAIN_MODEL_TYPES,
    )
    return path


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def sequential(session, url: str, bodies: list[dict], n: int, warm_up: int = 0) -> list[float]:
    """Latency (ms) of n sequential POSTs (cycling through ``bodies``) after ``warm_up`` calls."""
    timings = []
    for i in range(n + warm_up):
        started = time.perf_counter()
        response = session.post(url, json=bodies[i % len(bodies)], timeout=60)
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        if i >= warm_up:
            timings.append(elapsed)
    return timings


def wait_until_up(process, url: str, what: str, seconds: float = 180):
    """Poll ``url`` until it answers 200; the process's death or the deadline is an error."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or busy loading the model
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"{what} did not answer {url} in {seconds:.0f} s")


def start_gunicorn(database: Path, env: dict, port: int):
    """gunicorn "app:create_app()" with the repo's gunicorn.conf.py, 2 workers, rate limit off."""
    env = dict(env, DATABASE_URL=f"sqlite:///{database}", RATELIMIT_ENABLED="0")
    env.setdefault("SECRET_KEY", "bench-api")
    command = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "app:create_app()"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}  # no access log lines
    process = subprocess.Popen(command, cwd=ROOT, env=env, **quiet)
    wait_until_up(process, f"http://127.0.0.1:{port}/api/health", "gunicorn")
    return process


def start_mlflow_serve(model_uri: str, env: dict):
    port = free_port()
    command = [
        str(BIN / "mlflow"),
        "models",
        "serve",
        "-m",
        str(model_uri),
        "--env-manager",
        "local",
    ]
    process = subprocess.Popen(
        [*command, "-p", str(port), "-h", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(process, f"{url}/ping", f"mlflow models serve {model_uri}")
    return process, f"{url}/invocations"


def interleaved(targets: dict, n: int, rounds: int) -> dict[str, list[float]]:
    """Each target's latencies: ``rounds`` blocks of ``n / rounds`` requests, in turn."""
    timings = {name: [] for name in targets}
    for session, url, bodies in targets.values():
        sequential(session, url, bodies, 20)  # warm-up
    for _ in range(rounds):
        for name, (session, url, bodies) in targets.items():
            timings[name] += sequential(session, url, bodies, max(1, n // rounds))
    return timings


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--model-uri", default=os.environ.get("MODEL_URI", CHAMPION))
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=float, default=20.0)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    database = work / "app.db"
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{database}",
        MODEL_URI=args.model_uri,
        APP_ENV="development",
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # mlflow serve execs uvicorn
    )
    key = prepare(args.data, env)
    applications = full_applications(args.data)
    plain = save_plain_lightgbm(args.data, work)
    processes = []
    try:
        processes.append(start_gunicorn(database, env, (port := free_port())))
        plain_process, plain_url = start_mlflow_serve(plain, env)
        champion_process, champion_url = start_mlflow_serve(args.model_uri, env)
        processes += [plain_process, champion_process]
        report(args, key, applications, port, plain_url, champion_url, database)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def report(args, key, applications, port, plain_url, champion_url, database):
    api = requests.Session()
    api.headers["X-API-Key"] = key
    url = f"http://127.0.0.1:{port}/api/predict"
    records = [{"dataframe_records": [a]} for a in applications]
    targets = {
        "api": (api, url, [{"application": a} for a in applications]),
        "plain": (requests.Session(), plain_url, records),
        "champion": (requests.Session(), champion_url, records),
    }
    load_before = os.getloadavg()[0]
    timings = interleaved(targets, args.requests, args.rounds)
    (p50, p99), (plain50, plain99), (champ50, champ99) = (
        percentiles(timings[name]) for name in ("api", "plain", "champion")
    )
    batch = [applications[i % len(applications)] for i in range(1000)]
    batch_ms = statistics.median(sequential(api, url, [{"applications": batch}], 5, 1))
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        ids = connection.execute(sa.text(CLIENT_IDS)).scalars().all()
        before = connection.execute(sa.text(API_ROWS)).scalar()
    successes, failures = hammer(url, key, ids, args.duration, 50)
    with engine.connect() as connection:
        logged = connection.execute(sa.text(API_ROWS)).scalar() - before
    n, fields = len(timings["api"]), len(applications[0])
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; {fields} fields")
    print("| measurement | p50 | p99 |\n|---|---|---|")
    rows = [
        ("`/api/predict`, one full application, reasons + log", p50, p99),
        ("`mlflow models serve`, plain LightGBM, probability only", plain50, plain99),
        ("`mlflow models serve`, the champion, probability only", champ50, champ99),
    ]
    for label, median, tail in rows:
        print(f"| {label} (n={n}) | {median:.1f} ms | {tail:.1f} ms |")
    print(f"| ratio: plain LightGBM serve p50 / API p50 | {plain50 / p50:.2f}x | |")
    print(f"| ratio: champion serve p50 / API p50 | {champ50 / p50:.2f}x | |")
    print(
        f"| batch of 1,000 full applications, reasons + log (median of 5) | {batch_ms:.0f} ms | |"
    )
    print(
        f"| 50 concurrent clients for {args.duration:.0f} s, 2 workers (stored clients) "
        f"| {len(successes)} ok ({len(successes) / args.duration:.0f} req/s), "
        f"{len(failures)} errors, {logged} rows logged | |",
        flush=True,
    )


if __name__ == "__main__":
    main()
