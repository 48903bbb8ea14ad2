"""Production refuses to start without its secrets, from the Procfile's own commands."""

import subprocess

import pytest

from tests.deploy.helpers import ROOT, procfile_command


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_release_refuses_to_run_without_a_production_secret(tmp_path, dyno_env, missing):
    result = subprocess.run(
        procfile_command("release"),
        shell=True,
        cwd=ROOT,
        env=dyno_env(DYNO="release.1", **{missing: None}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"{missing} is not set: production refuses to start without it." in result.stderr
    assert not (tmp_path / "prod.db").exists()


@pytest.mark.slow
def test_web_refuses_to_boot_without_secret_key(dyno_env):
    result = subprocess.run(
        procfile_command("web"),
        shell=True,
        cwd=ROOT,
        env=dyno_env(SECRET_KEY=None),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set: production refuses to start without it." in result.stderr
