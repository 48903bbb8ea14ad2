"""The business metric and the threshold on hand-computed cases."""

import numpy as np
import pandas as pd
import pytest

from training.evaluate import (
    best_threshold,
    business_cost,
    calibration_bins,
    calibration_metrics,
    classification_metrics,
    cost_curve,
    single_feature_auc,
)
from training.report import age_band, fairness_table


def test_business_cost_weighs_a_missed_default_ten_times_a_refusal():
    y_true = [1, 1, 0, 0, 0]
    y_pred = [0, 1, 1, 0, 0]  # one missed default (10), one wrongly refused (1)
    assert business_cost(y_true, y_pred) == pytest.approx(11 / 5)


def test_business_cost_is_zero_for_perfect_decisions():
    assert business_cost([0, 1, 0], [0, 1, 0]) == 0.0


def test_business_cost_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="y_true has"):
        business_cost([0, 1], [0])


def test_cost_curve_matches_business_cost_at_each_threshold():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    probability = rng.random(200)
    thresholds, costs = cost_curve(y, probability, [0.0, 0.25, 0.5, 0.75, 1.0])
    expected = [business_cost(y, probability >= t) for t in thresholds]
    np.testing.assert_allclose(costs, expected, rtol=0, atol=1e-12)


def test_best_threshold_on_a_known_case():
    # Refusing from 0.4 up catches both defaults and refuses one good client: cost 1/6.
    y = [0, 0, 0, 1, 0, 1]
    probability = [0.05, 0.1, 0.2, 0.4, 0.5, 0.9]
    threshold, cost = best_threshold(y, probability)
    assert cost == pytest.approx(1 / 6)
    assert 0.2 < threshold <= 0.4


def test_best_threshold_refuses_everyone_when_defaults_dominate_the_cost():
    # With no signal, refusing all (cost 0.8 per good client share) beats accepting all
    # (10 x 0.5 = 5): the threshold goes to the bottom.
    y = [0, 1, 0, 1]
    threshold, cost = best_threshold(y, [0.5, 0.5, 0.5, 0.5])
    assert threshold == 0.0
    assert cost == pytest.approx(0.5)


def test_classification_metrics_at_threshold():
    y = [0, 0, 1, 1]
    probability = [0.1, 0.6, 0.4, 0.9]
    metrics = classification_metrics(y, probability, 0.5)
    assert metrics["recall"] == 0.5
    assert metrics["specificity"] == 0.5
    assert metrics["balanced_accuracy"] == 0.5
    assert metrics["business_cost"] == pytest.approx((10 + 1) / 4)
    assert metrics["auc"] == pytest.approx(0.75)
    assert metrics["brier"] == pytest.approx((0.01 + 0.36 + 0.36 + 0.01) / 4)


def test_calibration_bins_count_every_row_once():
    rng = np.random.default_rng(1)
    probability = rng.random(1000)
    y = (rng.random(1000) < probability).astype(int)
    bins = calibration_bins(y, probability, n_bins=10)
    assert len(bins) == 10
    assert sum(b["count"] for b in bins) == 1000
    assert all(abs(b["mean_predicted"] - b["observed_rate"]) < 0.15 for b in bins)


def test_single_feature_auc_flags_a_copy_of_the_target():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 300)
    X = pd.DataFrame(
        {
            "leak": y.astype(float),
            "noise": rng.random(300),
            "kind": pd.Categorical(np.where(y == 1, "a", "b")),
            "constant": np.ones(300),
        }
    )
    scores = single_feature_auc(X, y)
    assert scores["leak"] == 1.0
    assert scores["kind"] == 1.0
    assert scores["noise"] < 0.6
    assert "constant" not in scores


def test_age_bands_from_days_birth():
    days = [-25 * 365.25, -35 * 365.25, -61 * 365.25, np.nan]
    assert list(age_band(days)) == ["under 30", "30 to 39", "60 or over", "unknown"]


def test_fairness_table_rates_per_group():
    frame = pd.DataFrame({"CODE_GENDER": ["F", "F", "M", "M"], "DAYS_BIRTH": [-9000] * 4})
    rows = fairness_table(frame, [0, 1, 0, 1], [0.2, 0.8, 0.6, 0.7], threshold=0.5)
    by_group = {(r["attribute"], r["group"]): r for r in rows}
    assert by_group[("CODE_GENDER", "F")]["refusal_rate"] == 0.5
    assert by_group[("CODE_GENDER", "M")]["refusal_rate"] == 1.0
    assert by_group[("CODE_GENDER", "M")]["auc"] == 1.0
    assert by_group[("age_band", "under 30")]["count"] == 4


def test_fairness_table_lists_age_bands_youngest_first():
    frame = pd.DataFrame({"DAYS_BIRTH": [-70 * 365.25, -25 * 365.25, -45 * 365.25, np.nan]})
    rows = fairness_table(frame, [0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8], threshold=0.5)
    bands = [r["group"] for r in rows if r["attribute"] == "age_band"]
    assert bands == ["under 30", "40 to 49", "60 or over", "unknown"]


def test_fairness_table_has_error_rates_with_bootstrap_intervals_per_family_status():
    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame(
        {
            "CODE_GENDER": rng.choice(["F", "M"], n),
            "DAYS_BIRTH": -rng.uniform(20, 70, n) * 365.25,
            "NAME_FAMILY_STATUS": rng.choice(["Married", "Single / not married"], n),
        }
    )
    y = (rng.random(n) < 0.2).astype(int)
    probability = np.clip(0.3 * y + rng.random(n) * 0.5, 0, 1)
    rows = fairness_table(frame, y, probability, threshold=0.4)
    assert {r["attribute"] for r in rows} == {"CODE_GENDER", "age_band", "NAME_FAMILY_STATUS"}
    married = next(r for r in rows if r["group"] == "Married")
    members = frame["NAME_FAMILY_STATUS"].to_numpy() == "Married"
    refused = probability[members] >= 0.4
    good, bad = y[members] == 0, y[members] == 1
    assert married["refusal_rate"] == pytest.approx(refused.mean())
    assert married["false_refusal_rate"] == pytest.approx(refused[good].mean())
    assert married["missed_default_rate"] == pytest.approx((~refused[bad]).mean())
    for row in rows:
        for name in ("refusal_rate", "false_refusal_rate", "missed_default_rate"):
            low, high = row[f"{name}_interval"]
            assert low <= row[name] <= high
        if row["count"] >= 100:  # a binomial rate on 100+ clients: an interval of a few points
            low, high = row["refusal_rate_interval"]
            assert 0.0 < high - low < 0.25
    assert rows == fairness_table(frame, y, probability, threshold=0.4)  # seeded


def test_a_group_without_defaulters_has_no_missed_default_rate():
    frame = pd.DataFrame({"CODE_GENDER": ["F", "F", "M"], "DAYS_BIRTH": [-9000] * 3})
    rows = fairness_table(frame, [0, 0, 1], [0.1, 0.9, 0.9], threshold=0.5)
    women = next(r for r in rows if r["group"] == "F")
    assert women["missed_default_rate"] is None and women["missed_default_rate_interval"] is None
    assert women["false_refusal_rate"] == 0.5


def test_calibration_metrics_of_calibrated_and_overconfident_scores():
    rng = np.random.default_rng(0)
    probability = rng.uniform(0.01, 0.5, 20000)
    y = (rng.random(20000) < probability).astype(int)
    honest = calibration_metrics(y, probability)
    assert honest["ece"] < 0.01
    assert honest["calibration_slope"] == pytest.approx(1.0, abs=0.1)
    assert honest["calibration_intercept"] == pytest.approx(0.0, abs=0.15)
    logit = np.log(probability / (1 - probability))
    overconfident = calibration_metrics(y, 1 / (1 + np.exp(-2 * logit)))
    assert overconfident["calibration_slope"] == pytest.approx(0.5, abs=0.1)
    assert overconfident["ece"] > honest["ece"]
    assert overconfident["log_loss"] > honest["log_loss"]
