"""Comparison with similar clients: shares, histograms, derived values, population filters."""

import numpy as np

from app.services import comparison
from app.services.comparison import PopulationFilter


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


def test_filtered_population_matches_every_criterion(app):
    with app.app_context():
        everyone = comparison.population()
        group = comparison.filtered(PopulationFilter(age_band="40-49", contract_type="Cash loans"))
    assert 0 < len(group) < len(everyone)
    assert set(group["age_band"]) == {"40-49"}
    assert set(group["NAME_CONTRACT_TYPE"]) == {"Cash loans"}
