"""Domain rules that training and the app share, each written once.

The decision rule, Kaggle's day counts and their years, the age bands of comparisons and fairness
tables: the app imports them from here (training never imports the app).
"""

import numpy as np

ACCEPTED, REFUSED = "accepted", "refused"

# DAYS_EMPLOYED = 365243 (a thousand years in the future) is the files' marker for pensioners
# and the unemployed: not a duration.
NOT_EMPLOYED_DAYS = 365243
DAYS_PER_YEAR = 365.25

# (key, label, lowest age, first age past the band): key for URLs, label for people.
AGE_BANDS = (
    ("under-30", "under 30", 0, 30),
    ("30-39", "30 to 39", 30, 40),
    ("40-49", "40 to 49", 40, 50),
    ("50-59", "50 to 59", 50, 60),
    ("60-plus", "60 or over", 60, 200),
)


def is_refused(probability, threshold):
    """The decision rule: refuse when the probability of default reaches the threshold.

    Works on one probability or an array of them (then returns a boolean array).
    """
    return np.greater_equal(probability, threshold)


def decision(probability: float, threshold: float) -> str:
    """'accepted' or 'refused' for one probability of default."""
    return REFUSED if is_refused(probability, threshold) else ACCEPTED


def years_from_days(days: float | None) -> float | None:
    """Kaggle's DAYS_* offsets count backwards from the application: -3652 days is 10 years."""
    return None if days is None else -days / DAYS_PER_YEAR


def days_from_years(years: float) -> int:
    """The DAYS_* offset of a duration in years (whole days, negative: in the past)."""
    return -round(years * DAYS_PER_YEAR)


def employment_years(days_employed: float | None) -> float | None:
    """Years in the current job, or None when unknown or not employed (the 365243 marker)."""
    if days_employed is None or days_employed == NOT_EMPLOYED_DAYS:
        return None
    return years_from_days(days_employed)


def age_band(age_years: float | None) -> str | None:
    """The AGE_BANDS key of an age in years, or None when the age is unknown."""
    if age_years is None or np.isnan(age_years):
        return None
    return next((key for key, _, low, high in AGE_BANDS if low <= age_years < high), None)


def age_band_label(key: str) -> str:
    """'30-39' -> '30 to 39'."""
    return {band_key: label for band_key, label, _, _ in AGE_BANDS}[key]
