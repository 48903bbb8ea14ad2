"""Comparison, counterfactual and wording services, plus the layout hooks other parts use."""

import numpy as np
import pytest

from app.pages.layout import add_alert_provider, add_nav_item
from app.services import comparison, counterfactual
from app.services.comparison import PopulationFilter
from app.services.dashboard import distance_in_words


def test_share_below_counts_ties_half():
    values = np.array([1.0, 2.0, 2.0, 3.0])
    assert comparison.share_below(values, 2.0) == 0.5
    assert comparison.share_below(values, 10.0) == 1.0
    assert np.isnan(comparison.share_below(np.array([]), 1.0))


def test_histogram_covers_values_with_readable_ranges():
    bins = comparison.histogram(np.arange(100, dtype=float), 0, bins=4)
    assert sum(b["count"] for b in bins) == 100
    assert bins[0]["range"] == "1 to 25"


def test_derived_values_treat_not_employed_marker_as_missing():
    values = comparison.derived_values(
        {
            "DAYS_BIRTH": -36525,
            "DAYS_EMPLOYED": 365243,
            "AMT_CREDIT": 300.0,
            "AMT_INCOME_TOTAL": 100.0,
        }
    )
    assert values["AGE_YEARS"] == 100.0
    assert values["EMPLOYMENT_YEARS"] is None
    assert values["CREDIT_TO_INCOME"] == 3.0


def test_population_filter_like_and_describe():
    application = {
        "DAYS_BIRTH": -35 * 365.25,
        "AMT_INCOME_TOTAL": 120_000.0,
        "NAME_CONTRACT_TYPE": "Cash loans",
        "NAME_EDUCATION_TYPE": "Higher education",
    }
    similar = PopulationFilter.like(application)
    assert similar == PopulationFilter("30-39", "100k-150k", "Cash loans", "Higher education")
    assert similar.describe() == (
        "clients aged 30 to 39, with an income 100,000 to 149,999, with cash loans, "
        "with education 'Higher education'"
    )
    assert PopulationFilter().describe() == "all clients"


def test_filtered_population_matches_every_criterion(pages_app):
    with pages_app.app_context():
        everyone = comparison.population()
        group = comparison.filtered(PopulationFilter(age_band="40-49", contract_type="Cash loans"))
    assert 0 < len(group) < len(everyone)
    assert set(group["age_band"]) == {"40-49"}
    assert set(group["NAME_CONTRACT_TYPE"]) == {"Cash loans"}


@pytest.fixture
def model_and_refused(pages_app, demo_ids):
    from app.services import model_store
    from app.services.clients import application_fields, get_client

    with pages_app.app_context():
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


@pytest.mark.parametrize(
    ("distance", "words"),
    [
        (-0.07, "7.0 points below the refusal threshold"),
        (0.123, "12.3 points above the refusal threshold"),
        (0.0001, "exactly at the refusal threshold"),
    ],
)
def test_distance_in_words(distance, words):
    assert distance_in_words(distance) == words


def test_alert_provider_and_nav_item_appear_on_every_page(pages_app, advisor):
    add_alert_provider(pages_app, lambda: [{"message": "Drift detected", "url": "/x"}])
    add_alert_provider(pages_app, lambda: 1 / 0)  # a broken provider must not break pages
    add_nav_item(pages_app, "Home again", "pages.home")
    page = advisor.get("/model").get_data(as_text=True)
    assert '<div class="banner banner--warning" role="alert">' in page
    assert 'Drift detected <a href="/x">See details</a>' in page
    assert '<li><a href="/">Home again</a></li>' in page


def test_no_alerts_for_signed_out_visitors(pages_app, anonymous):
    add_alert_provider(pages_app, lambda: [{"message": "Drift detected"}])
    assert "Drift detected" not in anonymous.get("/auth/sign-in").get_data(as_text=True)
