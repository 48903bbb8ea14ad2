"""Drift runs in words an advisor reads: column names, the headline, the alert."""

from __future__ import annotations

from app.models import DriftRun
from app.services.formatting import percent

# Plain names of the columns advisors meet most; the others are spelled out from their code.
COLUMN_LABELS = {
    "EXT_SOURCE_1": "external score 1",
    "EXT_SOURCE_2": "external score 2",
    "EXT_SOURCE_3": "external score 3",
    "AMT_CREDIT": "credit amount",
    "AMT_ANNUITY": "loan annuity",
    "AMT_GOODS_PRICE": "price of the goods",
    "AMT_INCOME_TOTAL": "total income",
    "DAYS_BIRTH": "age (days since birth)",
    "DAYS_EMPLOYED": "length of employment",
    "DAYS_ID_PUBLISH": "days since the ID document was issued",
    "DAYS_REGISTRATION": "days since the registration changed",
    "DAYS_LAST_PHONE_CHANGE": "days since the phone changed",
    "OWN_CAR_AGE": "age of the client's car",
    "CNT_CHILDREN": "number of children",
    "CNT_FAM_MEMBERS": "family size",
    "NAME_CONTRACT_TYPE": "contract type",
    "NAME_INCOME_TYPE": "income type",
    "NAME_EDUCATION_TYPE": "education",
    "NAME_HOUSING_TYPE": "housing situation",
    "OCCUPATION_TYPE": "occupation",
    "ORGANIZATION_TYPE": "employer's sector",
    "REGION_POPULATION_RELATIVE": "population of the client's region",
    "REGION_RATING_CLIENT": "region rating",
    "REGION_RATING_CLIENT_W_CITY": "region rating (with city)",
    "FLAG_OWN_CAR": "owns a car",
    "FLAG_OWN_REALTY": "owns real estate",
    "probability_of_default": "predicted probability of default",
}
_PREFIXES = {"AMT_": "amount ", "DAYS_": "days ", "CNT_": "count ", "FLAG_": "flag "}


def column_label(column: str) -> str:
    """'EXT_SOURCE_3' -> 'external score 3'; unknown codes become readable lower-case words."""
    if column in COLUMN_LABELS:
        return COLUMN_LABELS[column]
    for prefix, word in _PREFIXES.items():
        if column.startswith(prefix):
            return word + column[len(prefix) :].replace("_", " ").lower()
    return column.replace("_", " ").lower()


def headline(run: DriftRun) -> str:
    """'4 of 50 characteristics drifted; the biggest move is in external score 3.'"""
    counted = f"{run.drifted_count} of {run.column_count} characteristics drifted"
    drifted = [c for c in run.columns if c["drifted"]]
    if not drifted:
        return f"{counted}: recent applications look like the training data."
    return f"{counted}; the biggest move is in {column_label(drifted[0]['column'])}."


def prediction_sentence(run: DriftRun) -> str | None:
    """How the model's output moved, or None when the run had no predictions to compare."""
    if run.mean_probability is None:
        return None
    sentence = f"The mean predicted probability of default is {percent(run.mean_probability)}"
    if run.mean_probability_reference is not None:
        sentence += f" (training sample: {percent(run.mean_probability_reference)})"
    if run.prediction_drift:
        verdict = "has drifted" if run.prediction_drift["drifted"] else "has not drifted"
        sentence += f"; its distribution {verdict}"
    return sentence + "."


def alert_for(run: DriftRun | None, share_limit: float, top_n: int) -> str | None:
    """The banner text when the run passes the limit or a top-`top_n` column drifts, else None."""
    if run is None:
        return None
    top_drifted = [
        c["column"] for c in run.columns if c["drifted"] and c.get("importance_rank", 1e9) <= top_n
    ]
    if run.drift_share < share_limit and not top_drifted:
        return None
    message = (
        f"Data drift warning: {run.drifted_count} of {run.column_count} monitored "
        f"characteristics ({percent(run.drift_share, 0)}) have drifted from the training data"
    )
    if top_drifted:
        names = ", ".join(column_label(c) for c in top_drifted)
        message += f", including {names} (among the {top_n} most important)"
    return message + ". Scores may be less reliable."
