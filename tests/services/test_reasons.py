"""Reason codes: additive, fair (protected never, age never against), readable."""

import numpy as np
import pandas as pd
import pytest

from app.services import model_store
from app.services.reasons import reason_codes
from tests.helpers import GOOD_APPLICATION
from training.features import GROUP_LABELS


def test_top_four_each_way_largest_first():
    contributions = {group: 0.0 for group in GROUP_LABELS}
    raising = ["external_scores", "employment", "income", "credit_income", "loan_term"]
    lowering = ["education", "housing", "household", "region", "bureau"]
    contributions.update({g: 0.5 - i * 0.1 for i, g in enumerate(raising)})
    contributions.update({g: -0.5 + i * 0.1 for i, g in enumerate(lowering)})
    reasons = reason_codes(contributions, GOOD_APPLICATION)
    assert [r["group"] for r in reasons] == raising[:4] + lowering[:4]
    assert [r["direction"] for r in reasons] == ["raises"] * 4 + ["lowers"] * 4
    assert reasons[0]["label"] == "External credit scores"
    assert reasons[0]["text"] == "External credit scores: average 0.57 (medium)"
    assert reasons[4]["text"] == "Education: Higher education"


def test_age_lowers_but_never_raises_and_protected_groups_never_appear():
    raising_age = {"age": 2.0, "gender": 1.5, "family_status": -1.0, "income": 0.1}
    assert [r["group"] for r in reason_codes(raising_age, GOOD_APPLICATION)] == ["income"]
    lowering_age = {"age": -2.0, "income": 0.1}
    reasons = reason_codes(lowering_age, GOOD_APPLICATION)
    assert [(r["group"], r["direction"]) for r in reasons] == [
        ("income", "raises"),
        ("age", "lowers"),
    ]
    assert reasons[1]["text"] == "Age: 52 years"


def test_contributions_plus_base_value_equal_raw_score(app):
    with app.app_context():
        model = model_store.get_model().model
    rows = [GOOD_APPLICATION, dict(GOOD_APPLICATION, EXT_SOURCE_2=0.05, DAYS_EMPLOYED=365243), {}]
    frame = pd.DataFrame.from_records(rows)
    contributions, base_value, raw = model.explain(frame)
    np.testing.assert_allclose(contributions.sum(axis=1).to_numpy() + base_value, raw, atol=1e-6)
    assert not {"gender", "family_status"} & set(contributions.columns)
    np.testing.assert_allclose(
        model.calibrator.predict(raw), model.predict_proba(frame), atol=1e-12
    )


def test_api_reasons_never_name_protected_attributes_or_age_as_raising(client, api_key):
    young = dict(
        GOOD_APPLICATION,
        DAYS_BIRTH=-7000,
        CODE_GENDER="M",
        NAME_FAMILY_STATUS="Single / not married",
    )
    body = client.post(
        "/api/predict",
        json={"applications": [GOOD_APPLICATION, young]},
        headers={"X-API-Key": api_key},
    ).get_json()
    for prediction in body["predictions"]:
        groups = {(r["group"], r["direction"]) for r in prediction["reasons"]}
        assert ("age", "raises") not in groups
        assert not any(g in ("gender", "family_status") for g, _ in groups)
        assert 1 <= len(prediction["reasons"]) <= 8
        text = " ".join(r["text"] for r in prediction["reasons"]).lower()
        assert "gender" not in text and "family status" not in text


@pytest.mark.parametrize("field", ["CODE_GENDER", "NAME_FAMILY_STATUS"])
def test_protected_attributes_do_not_change_the_score(client, api_key, field):
    other = "M" if field == "CODE_GENDER" else "Widow"
    both = [GOOD_APPLICATION, dict(GOOD_APPLICATION, **{field: other})]
    body = client.post(
        "/api/predict", json={"applications": both}, headers={"X-API-Key": api_key}
    ).get_json()
    first, second = body["predictions"]
    assert first["probability_of_default"] == second["probability_of_default"]


def test_service_probability_matches_the_model_and_reasons_match_explain(app):
    from app.services.scoring import Application, score_applications

    rows = [GOOD_APPLICATION, dict(GOOD_APPLICATION, EXT_SOURCE_3=0.9, AMT_CREDIT=2.0e6)]
    with app.app_context():
        model = model_store.get_model().model
        scores = score_applications([Application(row) for row in rows])
    expected = model.predict_proba(pd.DataFrame.from_records(rows))
    np.testing.assert_allclose([s.probability_of_default for s in scores], expected, atol=2e-6)
    contributions, _, _ = model.explain(pd.DataFrame.from_records(rows))
    for score, (_, row) in zip(scores, contributions.iterrows(), strict=True):
        for reason in score.reasons:
            assert reason["contribution"] == pytest.approx(row[reason["group"]], abs=1e-6)
