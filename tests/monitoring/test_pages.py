"""The monitoring page, Evidently's report, the drift banner and GET /api/drift."""

import gzip
import re

import pytest

from app.models import DriftRun
from app.monitoring.wording import alert_for
from tests.helpers import assert_error
from tests.monitoring.helpers import CALM, REPORT_HTML, SHIFTED, column, store_run


def test_page_needs_sign_in(app):
    response = app.test_client().get("/monitoring")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/sign-in")


def test_page_without_runs_says_how_to_make_one(advisor):
    response = advisor.get("/monitoring")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Data drift monitoring · Prêt à dépenser</title>" in page
    assert "No drift check yet" in page
    assert "flask --app app drift run" in page
    assert 'role="alert"' not in page


def test_page_tells_the_latest_run_in_words_with_sorted_table_and_charts(advisor, app):
    store_run(app, CALM, days_ago=3, mean=0.10)
    store_run(app, SHIFTED, mean=0.14)
    page = advisor.get("/monitoring").get_data(as_text=True)
    assert "2 of 4 characteristics drifted; the biggest move is in external score 3." in page
    assert page.count("<h1>") == 1
    table = page[page.index('id="drift-columns"') :]
    order = [table.index(f'<code translate="no">{c["column"]}</code>') for c in SHIFTED]
    assert order == sorted(order)
    assert table.count("Yes, drifted") == 2
    for chart_id in ("drift-share-history", "mean-probability-history"):
        assert re.search(rf'<div class="chart__figure" id="{chart_id}"><svg [^>]*role="img"', page)
        assert f'id="{chart_id}-heading"' in page
    assert "went from 0% to 50%" in page
    assert "went from 10.0% to 14.0%" in page
    assert "<caption>Drift share per run</caption>" in page
    assert 'href="/monitoring/runs/2/report"' in page


def test_banner_on_every_signed_in_page_when_a_top_feature_drifts(advisor, app):
    store_run(app, SHIFTED)
    for path in ("/monitoring", "/"):
        page = advisor.get(path).get_data(as_text=True)
        banner = page[page.index('role="alert"') :][:600]
        assert "Data drift warning: 2 of 4 monitored characteristics (50%)" in banner
        assert "including external score 3 (among the 5 most important)" in banner
        assert 'href="/monitoring"' in banner


def test_no_banner_when_drift_is_small(advisor, app):
    store_run(app, CALM)
    assert "Data drift warning" not in advisor.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (CALM, None),
        # 1 of 3 = 33% passes the 30% limit although no top-5 column moved
        ([column("A", 0.2, True, 6), column("B", 0, False, 1), column("C", 0, False, 2)], "(33%)"),
        # 1 of 10 = 10%, but it is the 5th most important column
        (
            [column("EXT_SOURCE_1", 0.2, True, 5)]
            + [column(f"X{i}", 0, False, 6 + i) for i in range(9)],
            "external score 1",
        ),
        ([column("A", 0.2, True, 6)] + [column(f"X{i}", 0, False, i) for i in range(9)], None),
    ],
)
def test_alert_rule(columns, expected):
    drifted = sum(c["drifted"] for c in columns)
    run = DriftRun(
        columns=columns,
        drifted_count=drifted,
        column_count=len(columns),
        drift_share=drifted / len(columns),
    )
    message = alert_for(run, share_limit=0.3, top_n=5)
    assert (message is None) if expected is None else (expected in message)


def test_report_is_served_to_advisors_only_and_sandboxed(app, advisor):
    store_run(app, CALM)
    anonymous = app.test_client().get("/monitoring/runs/1/report")
    assert anonymous.status_code == 302
    plain = advisor.get("/monitoring/runs/1/report")
    assert plain.status_code == 200
    assert plain.get_data(as_text=True) == REPORT_HTML
    assert plain.headers["Content-Security-Policy"].startswith("sandbox allow-scripts")
    zipped = advisor.get("/monitoring/runs/1/report", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()).decode() == REPORT_HTML
    assert advisor.get("/monitoring/runs/99/report").status_code == 404


def test_api_drift_needs_a_key_and_says_when_there_is_no_run(app, api_key):
    client = app.test_client()
    assert_error(client.get("/api/drift"), 401, "unauthorized")
    response = client.get("/api/drift", headers={"X-API-Key": api_key})
    error = assert_error(response, 404, "no_drift_run")
    assert "flask drift run" in error["message"]


def test_api_drift_returns_the_latest_summary(app, api_key):
    store_run(app, CALM, days_ago=1)
    store_run(app, SHIFTED)
    response = app.test_client().get("/api/drift", headers={"X-API-Key": api_key})
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == 2
    assert body["drift_share"] == 0.5
    assert body["dataset_drift"] is True
    assert body["drifted_columns"] == ["EXT_SOURCE_3", "DAYS_BIRTH"]
    assert body["rows"] == 4_000
    assert body["created_at"] == "2026-11-20T09:30:00+00:00"
    assert body["model_version"] == "7"
    assert body["columns"] == SHIFTED
