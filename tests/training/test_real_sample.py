"""Training on the real Home Credit sample gives a credible, not-too-good, held-out AUC."""

import mlflow
import pytest

from tests.real_sample import REAL_SAMPLE
from training.candidates import fixture_candidates
from training.train import train


@pytest.mark.slow
@pytest.mark.skipif(not REAL_SAMPLE.is_dir(), reason=f"{REAL_SAMPLE} is absent")
def test_quick_training_on_the_real_sample_has_a_credible_auc(tmp_path):
    previous_uri = mlflow.get_tracking_uri()
    try:
        result = train(
            REAL_SAMPLE,
            quick=True,
            uri=f"sqlite:///{tmp_path / 'mlflow.db'}",
            candidates=fixture_candidates(),
        )
    finally:
        mlflow.set_tracking_uri(previous_uri)
        mlflow.set_registry_uri(previous_uri)
    assert 0.65 <= result.metrics["auc"] <= 0.82
    baseline = next(c for c in result.model.report["candidates"] if c["baseline"])
    assert result.metrics["business_cost"] < baseline["cv_business_cost"]
    assert result.promoted is True
