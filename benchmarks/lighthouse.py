"""Lighthouse (npm lighthouse@12.2.3, mobile preset) on every advisor page, signed in.

    python -m benchmarks.lighthouse --data DIR --model-uri URI [--runs 3] [--language en|fr]

Builds a throwaway database (the clients of DIR, one advisor, 300 logged scorings and a drift
run, so the monitoring page has its charts), serves the app with gunicorn as the Procfile does,
signs in and hands the session cookie to Lighthouse (--extra-headers). Each page is measured
`--runs` times with Lighthouse's default mobile settings (simulated slow 4G, 4x CPU slowdown) in
Debian's Chromium (CHROME_PATH=/usr/bin/chromium, headless, no sandbox); the median score per
category is printed. Simulated throttling still scales with this machine's CPU: run it with
`nice -n -5` on a shared machine and report the load average it prints.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from benchmarks.bench_pages import build_app

ROOT = Path(__file__).parents[1]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
PORT = 5077


def prepare(data: str, model_uri: str, tracking_uri: str | None, folder: Path) -> dict:
    """The database gunicorn will serve, with scorings and a drift run; returns client ids."""
    from app.extensions import db
    from app.services import scoring
    from app.services.clients import require_clients

    app, ids = build_app(data, model_uri, tracking_uri, folder)
    with app.app_context():
        clients = [scoring.Application.of(c) for c in require_clients(ids[:300])]
        scores = scoring.score_and_log(clients, "batch", "lighthouse")
        db.session.remove()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["drift", "run", "--last", "300"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()
    return {
        "accepted": next(s.client_id for s in scores if s.decision == "accepted"),
        "refused": next(s.client_id for s in scores if s.decision == "refused"),
    }


def serve(folder: Path, model_uri: str, tracking_uri: str | None) -> subprocess.Popen:
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "SECRET_KEY": "lighthouse-only",
        "MODEL_URI": model_uri,
        "GUNICORN_PRELOAD": "1",
        "WEB_CONCURRENCY": "1",
        "PORT": str(PORT),
    }
    if tracking_uri:
        env["MLFLOW_TRACKING_URI"] = tracking_uri
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "app:create_app()"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(180):
        try:
            if requests.get(f"http://127.0.0.1:{PORT}/api/health", timeout=10).ok:
                return server
        except requests.RequestException:
            pass
        time.sleep(1)
    server.terminate()
    raise SystemExit("gunicorn did not answer /api/health within 3 minutes")


def session_cookie(base: str, language: str) -> str:
    """Sign in as the benchmark's advisor (CSRF token included); the cookie Lighthouse sends."""
    browser = requests.Session()
    page = browser.get(f"{base}/auth/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "username": "bench", "password": "bench-password"}
    assert browser.post(f"{base}/auth/sign-in", data=form).ok
    page = browser.get(f"{base}/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    browser.post(f"{base}/auth/language", data={"csrf_token": token, "language": language})
    return "; ".join(f"{c.name}={c.value}" for c in browser.cookies)


def lighthouse(url: str, cookie: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless --no-sandbox",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
    ]
    for attempt in range(3):  # Lighthouse's trace recording sometimes fails on a loaded machine
        if subprocess.run(command, env=env, timeout=300).returncode == 0:
            break
        print(f"  lighthouse failed on {url} (attempt {attempt + 1}); again", flush=True)
    else:
        raise SystemExit(f"Lighthouse failed 3 times on {url}")
    report = json.loads(out.read_text())
    scores = {c: round(100 * report["categories"][c]["score"]) for c in CATEGORIES}
    audits = report["audits"]
    scores["lcp_ms"] = round(audits["largest-contentful-paint"]["numericValue"])
    scores["tbt_ms"] = round(audits["total-blocking-time"]["numericValue"])
    scores["bytes"] = round(audits["total-byte-weight"]["numericValue"])
    failed = [
        a["id"]
        for c in ("accessibility", "best-practices")
        for ref in report["categories"][c]["auditRefs"]
        if (a := audits[ref["id"]]).get("score") is not None and a["score"] < 1 and ref["weight"]
    ]
    scores["failed"] = failed
    return scores


def describe(page: str, runs: list[dict]) -> str:
    """One line per page: median scores, paint and blocking time, bytes, every run's score."""
    medians = {k: statistics.median(r[k] for r in runs) for k in (*CATEGORIES, "lcp_ms", "tbt_ms")}
    line = f"{page:18} " + " ".join(f"{k} {v:g}" for k, v in medians.items())
    line += f" bytes {runs[0]['bytes']} performance runs {[r['performance'] for r in runs]}"
    failed = sorted({audit for r in runs for audit in r["failed"]})
    return line + (f" failed {failed}" if failed else "")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--model-uri", required=True)
    parser.add_argument("--tracking-uri")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--language", choices=["en", "fr"], default="en")
    parser.add_argument("--pages", nargs="*", help="only these pages (default: all)")
    parser.add_argument("--keep", help="a folder to keep each page's last report in")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        ids = prepare(args.data, args.model_uri, args.tracking_uri, folder)
        server = serve(folder, args.model_uri, args.tracking_uri)
        base = f"http://127.0.0.1:{PORT}"
        try:
            cookie = session_cookie(base, args.language)
            pages = {
                "home": "/",
                "client": f"/clients/{ids['accepted']}",
                "what-if": f"/clients/{ids['refused']}/what-if",
                "what-would-change": f"/clients/{ids['refused']}/what-would-change",
                "new-application": "/applications/new",
                "model": "/model",
                "monitoring": "/monitoring",
            }
            for path in pages.values():  # each page once: the steady state has its drawings
                requests.get(base + path, headers={"Cookie": cookie}, timeout=60)
            for page, path in pages.items():
                if args.pages and page not in args.pages:
                    continue
                report = Path(args.keep or folder) / f"{page}.json"
                runs = [lighthouse(base + path, cookie, report) for _ in range(args.runs)]
                print(describe(page, runs), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"load average after: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
