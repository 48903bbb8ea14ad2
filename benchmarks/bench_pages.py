"""Server time and weight of the advisor's client page (scoring, reasons, comparison, charts
drawn as SVG, rendering).

    python -m benchmarks.bench_pages --data DIR --model-uri URI [--tracking-uri URI] [--requests N]

Builds a throwaway SQLite database with the clients of DIR and one advisor, then requests
/clients/<id> through Flask's test client (no network: pure server time) for N rounds over
distinct clients, after a warm-up that loads the model, the comparison population and the SVG
converter. The conditions are interleaved round by round, so a shared machine's load falls on
all of them alike; wall time and CPU time (all threads of the process, vl-convert's included)
are both reported. Conditions:
- warm: the drawing cache kept (the steady state: every client shares the population drawings);
- cold: the drawing cache emptied before every request, so all three charts are drawn;
- French: warm, with Accept-Language: fr;
- without drawing: the same page with the SVG left out (what the server did when the browser
  drew the charts with Vega), to give the drawing's share of the time;
- weight: the HTML as sent (plain and gzip) and the stylesheet; the page loads no script.
"""

import argparse
import gzip
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

import sqlalchemy as sa
from markupsafe import Markup

from app import create_app
from app.auth.accounts import create_advisor
from app.config import TestConfig
from app.extensions import db
from app.models import Client
from app.services import charts, svg
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


def timed(client, path: str, language: str = "en") -> tuple[float, float]:
    """(wall ms, CPU ms) of one request."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, headers={"Accept-Language": language})
    timing = ((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)
    assert response.status_code == 200, (path, response.status_code)
    return timing


def timed_requests(client, paths: list[str]) -> list[tuple[float, float]]:
    return [timed(client, path) for path in paths]


def summary(name: str, timings: list[tuple[float, float]]) -> str:
    wall = sorted(t[0] for t in timings)
    p95 = wall[int(0.95 * (len(wall) - 1))]
    cpu = statistics.median(t[1] for t in timings)
    return (
        f"{name}, {len(wall)} requests: p50 {statistics.median(wall):.1f} ms, "
        f"p95 {p95:.1f} ms, max {wall[-1]:.1f} ms; CPU p50 {cpu:.1f} ms"
    )


def interleaved(client, paths: list[str], cold_every: int) -> dict[str, list]:
    """The conditions one after the other for each client, so load hits them alike."""
    found = {"warm": [], "cold": [], "French, warm": [], "without drawing": []}
    for round_, path in enumerate(paths):
        found["warm"].append(timed(client, path))
        found["French, warm"].append(timed(client, path, "fr"))
        with mock.patch.object(charts.Chart, "svg", Markup("")):
            found["without drawing"].append(timed(client, path))
        if round_ % cold_every == 0:
            svg.clear_cache()  # every chart of this request is drawn again
            found["cold"].append(timed(client, path))
            timed(client, path, "fr")  # refill the cache for the next round's warm requests
    return found


def page_weight(client, path: str) -> str:
    page = client.get(path, headers={"Accept-Encoding": "gzip"})
    sent = len(page.get_data())
    html = len(gzip.decompress(page.get_data()))
    css = client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"})
    scripts = page.get_data().count(b"<script")
    return (
        f"weight: HTML {html / 1024:.1f} KB ({sent / 1024:.1f} KB gzip), stylesheet "
        f"{len(css.get_data()) / 1024:.1f} KB gzip, {scripts} scripts"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--model-uri", required=True)
    parser.add_argument("--tracking-uri")
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args(argv)
    n, few = args.requests, max(10, args.requests // 5)
    with tempfile.TemporaryDirectory() as folder:
        app, ids = build_app(args.data, args.model_uri, args.tracking_uri, Path(folder))
        client = app.test_client()
        client.post("/auth/sign-in", data={"username": "bench", "password": "bench-password"})
        for language in ("en", "fr"):  # warm-up: model, population, converter, both languages
            for i in ids[:5]:
                timed(client, f"/clients/{i}", language)
        paths = [f"/clients/{ids[i % len(ids)]}" for i in range(n)]
        found = interleaved(client, paths, cold_every=max(1, n // few))
        lines = [summary(f"client page, {name}", timings) for name, timings in found.items()]
        similar = [
            f"/clients/{i}?age_band=30-39&contract_type=Cash+loans&variable=AGE_YEARS"
            for i in ids[:few]
        ]
        lines.append(summary("with similar-client filters, warm", timed_requests(client, similar)))
        lines.append(page_weight(client, paths[0]))
        lines.append(f"drawings: {svg.cache_stats()}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
