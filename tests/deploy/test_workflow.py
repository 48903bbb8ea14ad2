"""The CI/CD files: workflow valid and wired as promised, Procfile, gunicorn settings, runtime."""

import json
import os
import runpy
import subprocess
import sys

import pytest
import yaml

from tests.deploy.helpers import BIN, ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load_ci() -> dict:
    return yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())


def step_named(job: dict, prefix: str) -> dict:
    matches = [step for step in job["steps"] if step.get("name", "").startswith(prefix)]
    assert len(matches) == 1, f"expected one step named {prefix!r}"
    return matches[0]


def test_workflows_match_the_github_actions_schema():
    assert WORKFLOWS, "no workflow in .github/workflows"
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_test_job_runs_make_test_with_postgres_and_chromium():
    job = load_ci()["jobs"]["test"]
    assert job["services"]["postgres"]["image"] == "postgres:15"
    assert job["env"]["TEST_DATABASE_URL"] == (
        "postgresql+psycopg://app:app@postgres:5432/app_test"
    )
    runs = [step.get("run", "") for step in job["steps"]]
    assert "make test" in runs
    assert any("apt-get install" in run and "chromium" in run for run in runs)
    # The rate-limit tests start a real Redis server of their own.
    assert any("apt-get install" in run and "redis-server" in run for run in runs)


def test_deploy_runs_on_main_after_tests_and_bakes_the_model_in_before_pushing():
    job = load_ci()["jobs"]["deploy"]
    assert job["needs"] == "test"
    assert job["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert set(job["env"]) >= {"HEROKU_API_KEY", "HEROKU_APP_NAME", "HEROKU_EMAIL"}
    names = [step.get("name", step.get("uses", "")) for step in job["steps"]]
    export = names.index("Train the champion model (demo data) and export it into the build")
    push = names.index("Push the code and the model to Heroku (release runs the migrations)")
    assert export < push
    assert "flask --app app model export" in job["steps"][export]["run"]
    # The French pages need their compiled catalog in the slug (the .mo files are git-ignored).
    assert "make model translations" in job["steps"][export]["run"]
    assert "translations/*/LC_MESSAGES/messages.mo" in job["steps"][push]["run"]
    # Every step after the secrets check is skipped when the secrets are absent.
    for step in job["steps"][1:]:
        assert step["if"] == "steps.secrets.outputs.ready == 'true'", step


@pytest.mark.parametrize(
    ("secrets", "ready"),
    [
        ({}, "false"),
        ({"HEROKU_API_KEY": "k", "HEROKU_APP_NAME": "a"}, "false"),
        ({"HEROKU_API_KEY": "k", "HEROKU_APP_NAME": "a", "HEROKU_EMAIL": "e@x.org"}, "true"),
    ],
)
def test_deploy_secrets_check_skips_with_a_clear_message(tmp_path, secrets, ready):
    script = step_named(load_ci()["jobs"]["deploy"], "Check the Heroku secrets")["run"]
    output = tmp_path / "github_output"
    env = {"PATH": os.environ["PATH"], "GITHUB_OUTPUT": str(output), **secrets}
    result = subprocess.run(["bash", "-e", "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert output.read_text() == f"ready={ready}\n"
    skipped = "::notice title=Deploy skipped::The repository secrets HEROKU_API_KEY"
    assert (skipped in result.stdout) == (ready == "false")


@pytest.mark.parametrize(
    ("config_vars", "returncode", "missing"),
    [
        ({"SECRET_KEY": "s", "DATABASE_URL": "postgres://h/db"}, 0, []),
        ({"DATABASE_URL": "postgres://h/db"}, 1, ["SECRET_KEY"]),
        ({"SECRET_KEY": ""}, 1, ["SECRET_KEY", "DATABASE_URL"]),
    ],
)
def test_deploy_refuses_a_heroku_app_without_production_settings(
    tmp_path, config_vars, returncode, missing
):
    body = tmp_path / "config-vars.json"
    body.write_text(json.dumps(config_vars))
    result = subprocess.run(
        [sys.executable, ROOT / "bin" / "check-heroku-config", body], capture_output=True, text=True
    )
    assert result.returncode == returncode
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error::")]
    assert [line.split()[3] for line in errors] == missing


def test_procfile_migrates_on_release_and_serves_with_gunicorn():
    processes = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines())
    assert set(processes) == {"release", "web"}
    assert processes["release"] == "flask --app app db upgrade"
    assert processes["web"] == 'gunicorn --config gunicorn.conf.py "app:create_app()"'


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    for name, value in {"PORT": "5123", "WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "5"}.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["bind"] == "0.0.0.0:5123"
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (3, 5, 30)
    assert (settings["accesslog"], settings["errorlog"]) == ("-", "-")
    assert settings["preload_app"] is True


def test_gunicorn_settings_reject_a_bad_number_by_name(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "two")
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number, got 'two'"):
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_workers_are_not_recycled_unless_asked(monkeypatch):
    """A worker leaving after N requests drops keep-alive connections clients are sending on."""
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (settings["max_requests"], settings["max_requests_jitter"]) == (0, 0)
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "5000")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (settings["max_requests"], settings["max_requests_jitter"]) == (5000, 200)
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "-1")
    with pytest.raises(SystemExit, match="GUNICORN_MAX_REQUESTS must be at least 0, got -1"):
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_python_version_is_the_same_for_heroku_local_and_ci():
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert runtime == "python-3.11.7"
    version = runtime.removeprefix("python-")
    assert version.startswith((ROOT / ".python-version").read_text().strip())
    for job in load_ci()["jobs"].values():
        assert job["container"] == f"python:{version}-bookworm"
