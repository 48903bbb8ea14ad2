"""The release as Heroku runs it: export the model, run `release`, boot `web`, score over HTTP."""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.deploy.helpers import BIN, ROOT, procfile_command
from tests.helpers import GOOD_APPLICATION

pytestmark = pytest.mark.slow

APPLICATION = GOOD_APPLICATION  # a plausible new applicant, raw Kaggle columns


def run(command: str, env: dict, timeout: int = 180) -> str:
    result = subprocess.run(
        command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def http(url: str, body: dict | None = None, headers: dict | None = None):
    """A request as Heroku's router forwards it: the client came in over HTTPS."""
    data = json.dumps(body).encode() if body is not None else None
    forwarded = {"X-Forwarded-Proto": "https", **(headers or {})}
    request = urllib.request.Request(url, data=data, headers=forwarded)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture(scope="module")
def exported_model(trained_model, tmp_path_factory):
    """The champion copied out of the registry by the CLI, as the deploy job does."""
    directory = tmp_path_factory.mktemp("build") / "model"
    env = {
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "MLFLOW_TRACKING_URI": trained_model.tracking_uri,
    }
    printed = run(f"flask --app app model export {directory} --uri {trained_model.model_uri}", env)
    assert printed.startswith(f"Exported {trained_model.model_uri} (version ")
    return directory


def wait_for_health(base_url: str, web: subprocess.Popen, seconds: float = 120.0) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert web.poll() is None, web.communicate()[0]
        try:
            status, body = http(f"{base_url}/api/health")
        except OSError:  # not listening yet
            time.sleep(0.5)
            continue
        if status == 200:
            return body
        time.sleep(0.5)
    raise AssertionError(f"/api/health not 200 within {seconds} s")


def test_release_then_web_serve_a_scored_prediction(
    exported_model, trained_model, dyno_env, tmp_path
):
    database = tmp_path / "fresh.db"
    # No MLFLOW_TRACKING_URI and no training data: the dyno has only the exported folder.
    env = dyno_env(
        DATABASE_URL=f"sqlite:///{database}",
        MODEL_URI=str(exported_model),
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="2",
        HOME=str(tmp_path),
    )
    run(procfile_command("release"), {**env, "DYNO": "release.1"})
    assert database.exists()
    key = run("flask --app app api-keys create deploy-test", env).splitlines()[-1]

    web = subprocess.Popen(
        procfile_command("web"),
        shell=True,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so the workers stop with it
    )
    try:
        base_url = f"http://127.0.0.1:{env['PORT']}"
        health = wait_for_health(base_url, web)
        assert health["status"] == "ok"
        status, body = http(
            f"{base_url}/api/predict", {"application": APPLICATION}, {"X-API-Key": key}
        )
        assert status == 200, body
        assert 0.0 < body["probability_of_default"] < 1.0
        assert body["threshold"] == pytest.approx(trained_model.model.threshold, abs=1e-6)
        expected = "refused" if body["probability_of_default"] >= body["threshold"] else "accepted"
        assert body["decision"] == expected
        assert body["model"]["version"] == str(trained_model.result.model_version)
        assert isinstance(body["prediction_id"], int)
        status, body = http(f"{base_url}/api/predict", {"application": APPLICATION})
        assert (status, body["error"]["code"]) == (401, "unauthorized")
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        try:
            web.wait(timeout=60)
        except subprocess.TimeoutExpired:  # workers still exiting on a loaded machine
            os.killpg(web.pid, signal.SIGKILL)
            web.wait()
