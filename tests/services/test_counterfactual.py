"""What would change a refused application: loan terms only, never who the client is."""

import pytest

from app.services import counterfactual


@pytest.fixture
def model_and_refused(app, demo_ids):
    from app.services import model_store
    from app.services.clients import application_fields, get_client

    with app.app_context():
        yield model_store.get_model().model, application_fields(get_client(demo_ids["refused"]))


def test_counterfactual_changes_loan_terms_only(model_and_refused):
    model, fields = model_and_refused
    found = counterfactual.what_would_change(model, fields)
    largest = found["largest_credit"]
    if largest is not None and largest.accepted:
        assert largest.fields["AMT_CREDIT"] < fields["AMT_CREDIT"]
        assert largest.probability_of_default < model.threshold
        assert set(largest.fields) <= set(counterfactual.ACTIONABLE)
        ratio = largest.fields["AMT_CREDIT"] / fields["AMT_CREDIT"]
        assert largest.fields["AMT_ANNUITY"] == pytest.approx(
            fields["AMT_ANNUITY"] * ratio, rel=1e-6
        )
    for change in found["small_changes"]:
        assert set(change.fields) <= set(counterfactual.ACTIONABLE)
        assert change.accepted == (change.probability_of_default < model.threshold)


def test_counterfactual_needs_a_credit_amount(model_and_refused):
    model, fields = model_and_refused
    fields = {k: v for k, v in fields.items() if k != "AMT_CREDIT"}
    assert counterfactual.largest_accepted_credit(model, fields) is None
    assert counterfactual.small_changes(model, fields) == []
