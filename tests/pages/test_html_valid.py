"""Every page, in English and in French, passes the Nu Html Checker (vnu-jar, run with Java).

One checker run for all pages (Java starts once). vnu-jar comes from npm (package.json), Java
from .ci/install-system-deps; on a laptop without them the test skips, in CI it fails.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.pages.page_tour import (
    ANONYMOUS_TOUR,
    signed_in_tour,
    store_drift_runs,
    store_oversight,
    visit,
)
from tests.pages.test_i18n import _signed_in

VNU = Path(__file__).parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
pytestmark = pytest.mark.slow


def _checker() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        reason = f"needs java and {VNU} (.ci/install-system-deps, npm ci)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return [java, "-Xss4m", "-jar", str(VNU), "--format", "json", "--errors-only"]


def vnu_errors(files: list[Path]) -> list[dict]:
    """The checker's errors for these files: {file, line, message}."""
    result = subprocess.run(
        [*_checker(), *map(str, files)], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        {"file": Path(m.get("url", "")).name, "line": m.get("lastLine"), "message": m["message"]}
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]


def test_every_page_is_valid_html(app, demo_ids, demo_data_dir, tmp_path):
    store_drift_runs(app)
    ids = {**demo_ids, **store_oversight(app, demo_data_dir, tmp_path)}
    signed_in, anonymous = _signed_in(app), app.test_client()
    stops = [(signed_in, stop) for stop in signed_in_tour(ids)]
    stops += [(anonymous, stop) for stop in ANONYMOUS_TOUR]
    stops.append((anonymous, ("api-docs", "GET", "/api/docs", None)))
    files = []
    for client, stop in stops:
        for language in ("en", "fr"):
            response = visit(client, stop, language)
            assert response.mimetype == "text/html", stop
            path = tmp_path / f"{stop[0]}.{language}.html"
            path.write_bytes(response.get_data())
            files.append(path)
    assert vnu_errors(files) == []


def test_the_checker_reports_what_the_issue_found(tmp_path):
    """The find-client form once put `min` on a text input; the checker must say so."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><title>t</title>'
        '<label for="a">A</label><input id="a" type="text" min="1">'
    )
    errors = vnu_errors([page])
    assert len(errors) == 1 and "min" in errors[0]["message"]
