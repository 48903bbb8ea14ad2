"""Memory of the `web` process (gunicorn from the Procfile) with and without preload_app.

usage: .venv/bin/python benchmarks/measure_web_memory.py MODEL_DIR [--workers 2]

Boots the Procfile's web command twice (GUNICORN_PRELOAD=1, then 0) in production mode on a
throwaway SQLite database, sends a few predictions so every worker has scored, then sums the
proportional set size (PSS: shared pages counted once, close to what a dyno's memory quota
sees) of the master and its workers.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def procfile(process: str) -> str:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return next(line.split(": ", 1)[1] for line in lines if line.startswith(f"{process}: "))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(url: str, body: dict, key: str) -> int:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json", "X-API-Key": key}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status


def measure(model_dir: str, workers: int, preload: str, work: Path) -> dict:
    env = {
        "PATH": f"{BIN}:{os.environ['PATH']}", "HOME": str(work), "DYNO": "web.1",
        "SECRET_KEY": "benchmark", "DATABASE_URL": f"sqlite:///{work / f'db-{preload}.sqlite'}",
        "MODEL_URI": model_dir, "PORT": str(free_port()), "WEB_CONCURRENCY": str(workers),
        "GUNICORN_PRELOAD": preload,
    }  # fmt: skip
    run = {"cwd": ROOT, "env": env, "shell": True, "check": True, "capture_output": True}
    subprocess.run(procfile("release"), **run)
    key = subprocess.run("flask --app app api-keys create bench", **run, text=True)
    key = key.stdout.splitlines()[-1]
    # Its own process group: /bin/sh stays the parent of gunicorn, so stop the whole group.
    web = subprocess.Popen(procfile("web"), shell=True, cwd=ROOT, env=env, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        url = f"http://127.0.0.1:{env['PORT']}/api/predict"
        for _ in range(240):
            try:
                post(url, {"application": {"AMT_CREDIT": 500000.0}}, key)
                break
            except OSError:
                time.sleep(0.5)
        for _ in range(4 * workers):
            post(url, {"application": {"AMT_CREDIT": 500000.0}}, key)
        group = [psutil.Process(web.pid), *psutil.Process(web.pid).children(recursive=True)]
        processes = [p for p in group if p.name() not in ("sh", "dash", "bash")]
        pss = sum(p.memory_full_info().pss for p in processes) / 2**20
        rss = sum(p.memory_info().rss for p in processes) / 2**20
        return {"preload": preload, "processes": len(processes), "pss_mb": round(pss),
                "rss_sum_mb": round(rss)}  # fmt: skip
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        for preload in ("1", "0"):
            print(measure(args.model_dir, args.workers, preload, Path(work)))


if __name__ == "__main__":
    main()
