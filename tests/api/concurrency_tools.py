"""Start gunicorn as production does and load it with concurrent clients (tests + benchmark)."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def start_server(database_path: Path, model_settings: dict, port: int, workers: int = 2):
    """gunicorn "app:create_app()" as in production; returns the process once healthy."""
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{database_path}",
        **{name: value for name, value in model_settings.items() if value},
        APP_ENV="development",
        SECRET_KEY="concurrency-test",
        RATELIMIT_ENABLED="0",  # measuring the service, not the per-address rate limit
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen([*command, "app:create_app()"], cwd=ROOT, env=env)
    try:
        _wait_until_healthy(process, port)
    except BaseException:
        process.terminate()  # never leave a server behind when the start fails
        raise
    return process


def stop_server(process: subprocess.Popen, grace_s: float = 60) -> None:
    """SIGTERM (graceful); SIGKILL if it is still exiting after `grace_s` (a loaded machine)."""
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_healthy(process: subprocess.Popen, port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/health", timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still loading the model on a
            pass  # busy machine: both mean "not healthy yet"
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not become healthy in {seconds:.0f} s")


def hammer(url: str, api_key: str, client_ids: list[int], duration_s: float, clients: int):
    """`clients` threads POST for `duration_s`; returns (successes, failures as strings)."""
    successes, failures, lock = [], [], threading.Lock()
    stop_at = time.monotonic() + duration_s

    def worker(index: int):
        session = requests.Session()
        session.headers["X-API-Key"] = api_key
        n = index
        while time.monotonic() < stop_at:
            client_id = client_ids[n % len(client_ids)]
            n += clients
            try:
                response = session.post(url, json={"client_id": client_id}, timeout=30)
                ok = response.status_code == 200
                outcome = response.json()["prediction_id"] if ok else f"{response.status_code}"
            except requests.RequestException as error:
                ok, outcome = False, repr(error)
            with lock:
                (successes if ok else failures).append(outcome)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return successes, failures
