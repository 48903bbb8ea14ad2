"""Monitoring sees real applicants only: drift reads real scorings (API, batch, new applications),
the latest per client in the window; what-ifs and page re-views are logged but never counted.
"""

from datetime import timedelta

import pandas as pd
import pytest

from app.monitoring import runs, sources
from app.services import model_store
from app.services.scoring import Application, score_and_log
from training.domain import NOT_EMPLOYED_DAYS

EXTREME = {  # every value allowed by the rulebook, and as far from the training data as it goes
    "AMT_CREDIT": 1_000_000_000.0,
    "AMT_ANNUITY": 1.0,
    "AMT_INCOME_TOTAL": 1.0,
    "AMT_GOODS_PRICE": 1.0,
    "EXT_SOURCE_1": 0.0,
    "EXT_SOURCE_2": 0.0,
    "EXT_SOURCE_3": 0.0,
    "DAYS_BIRTH": -36525,
    "DAYS_EMPLOYED": NOT_EMPLOYED_DAYS,
    "CNT_CHILDREN": 100,
    "NAME_CONTRACT_TYPE": "Revolving loans",
}


def applicants(trained_model, count: int) -> list[Application]:
    from training.dataset import load_applications

    rows = load_applications(trained_model.data_dir / "application_test.csv").head(count)
    applications = []
    for record in rows.to_dict("records"):
        fields = {k: (v.item() if hasattr(v, "item") else v) for k, v in record.items()}
        fields = {k: v for k, v in fields.items() if not (isinstance(v, float) and v != v)}
        applications.append(Application(fields=fields, client_id=int(fields["SK_ID_CURR"])))
    return applications


def window_sample():
    return sources.from_window(timedelta(days=7))


@pytest.mark.slow
def test_a_thousand_extreme_what_ifs_leave_drift_unchanged(app, trained_model):
    with app.app_context():
        real = applicants(trained_model, 150)
        score_and_log(real, "batch", "nightly-batch")
        loaded = model_store.get_model(app)
        before = window_sample()
        run_before = runs.run_drift(before, loaded, top_n=8)
        summary_before = runs.run_summary(run_before)

        ids = [application.client_id for application in real]
        what_ifs = [
            Application(fields={**real[i % 150].fields, **EXTREME}, client_id=ids[i % 150])
            for i in range(1000)
        ]
        score_and_log(what_ifs, "whatif", "curious-advisor")
        score_and_log(real[:100], "page", "curious-advisor")  # client pages viewed again

        after = window_sample()
        run_after = runs.run_drift(after, loaded, top_n=8)
        summary_after = runs.run_summary(run_after)
    assert len(before.frame) == len(after.frame) == 150
    pd.testing.assert_frame_equal(before.frame, after.frame)
    ignored = {"id", "created_at"}
    assert {k: v for k, v in summary_after.items() if k not in ignored} == {
        k: v for k, v in summary_before.items() if k not in ignored
    }


def test_only_the_latest_real_scoring_of_each_client_counts(app, trained_model):
    with app.app_context():
        first, second = applicants(trained_model, 2)
        score_and_log([first, second], "api", "partner")
        rescored = Application(
            fields={**first.fields, "AMT_CREDIT": 123_456.0}, client_id=first.client_id
        )
        score_and_log([rescored], "application", "advisor")  # the same applicant, later
        score_and_log([Application(fields={"AMT_CREDIT": 5.0e8})], "api", "partner")  # no id
        score_and_log(
            [Application(fields={**first.fields, **EXTREME}, client_id=first.client_id)],
            "whatif",
            "advisor",
        )
        window, last = window_sample(), sources.from_last(10)
    for sample in (window, last):
        frame = sample.frame
        assert len(frame) == 3
        by_client = frame.set_index("SK_ID_CURR", drop=False)
        assert by_client.loc[first.client_id, "AMT_CREDIT"] == 123_456.0
        assert by_client.loc[second.client_id, "AMT_CREDIT"] == second.fields["AMT_CREDIT"]
        assert 5.0e8 in set(frame["AMT_CREDIT"])
