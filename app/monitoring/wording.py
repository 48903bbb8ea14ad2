"""Drift runs in words an advisor reads: column names, the headline, the alert (page language).

The CLI and /api/drift keep their own English; these words are for pages and banners only.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import N_, plural, translated
from app.models import DriftRun
from app.services.formatting import amount, number, percent

# Plain names of the columns advisors meet most; the others are spelled out from their code.
COLUMN_LABELS = {
    "EXT_SOURCE_1": _l("external score 1"),
    "EXT_SOURCE_2": _l("external score 2"),
    "EXT_SOURCE_3": _l("external score 3"),
    "AMT_CREDIT": _l("credit amount"),
    "AMT_ANNUITY": _l("loan annuity"),
    "AMT_GOODS_PRICE": _l("price of the goods"),
    "AMT_INCOME_TOTAL": _l("total income"),
    "DAYS_BIRTH": _l("age (days since birth)"),
    "DAYS_EMPLOYED": _l("length of employment"),
    "DAYS_ID_PUBLISH": _l("days since the ID document was issued"),
    "DAYS_REGISTRATION": _l("days since the registration changed"),
    "DAYS_LAST_PHONE_CHANGE": _l("days since the phone changed"),
    "OWN_CAR_AGE": _l("age of the client's car"),
    "CNT_CHILDREN": _l("number of children"),
    "CNT_FAM_MEMBERS": _l("family size"),
    "NAME_CONTRACT_TYPE": _l("contract type"),
    "NAME_INCOME_TYPE": _l("income type"),
    "NAME_EDUCATION_TYPE": _l("education"),
    "NAME_HOUSING_TYPE": _l("housing situation"),
    "OCCUPATION_TYPE": _l("occupation"),
    "ORGANIZATION_TYPE": _l("employer's sector"),
    "REGION_POPULATION_RELATIVE": _l("population of the client's region"),
    "REGION_RATING_CLIENT": _l("region rating"),
    "REGION_RATING_CLIENT_W_CITY": _l("region rating (with city)"),
    "FLAG_OWN_CAR": _l("owns a car"),
    "FLAG_OWN_REALTY": _l("owns real estate"),
    "probability_of_default": _l("predicted probability of default"),
}
# A column without a plain name: its code's prefix in words, then the rest of the code.
_PREFIXES = {
    "AMT_": _l("amount %(name)s"),
    "DAYS_": _l("days %(name)s"),
    "CNT_": _l("count %(name)s"),
    "FLAG_": _l("flag %(name)s"),
}
# Why app.monitoring.drift left a column out of a run (stored in English with the run).
SKIPPED_REASONS = [N_("no values in the reference sample"), N_("no values in the current sample")]


def column_label(column: str) -> str:
    """'EXT_SOURCE_3' -> 'external score 3'; unknown codes become readable lower-case words."""
    if column in COLUMN_LABELS:
        return str(COLUMN_LABELS[column])
    for prefix, words in _PREFIXES.items():
        if column.startswith(prefix):
            name = column[len(prefix) :].replace("_", " ").lower()
            return str(words) % {"name": name}
    return column.replace("_", " ").lower()


def skipped_reason(reason: str) -> str:
    """A stored reason for leaving a column out, in the page's language."""
    return translated(reason)


def compared(run: DriftRun) -> str:
    """What the run compared with the training sample: a file, a window, the last predictions."""
    window = re.fullmatch(r"last (\d+(?:\.\d+)?) days", run.source_detail or "")
    last = re.fullmatch(r"last (\d+) predictions", run.source_detail or "")
    if run.source == "window" and window:
        days = float(window.group(1))
        return plural("last %(num)s day", "last %(num)s days", int(days), num=number(days, 0))
    if run.source == "last" and last:
        count = int(last.group(1))
        return plural("last prediction", "last %(num)s predictions", count, num=amount(count))
    return run.source_detail


def headline(run: DriftRun) -> str:
    """'4 of 50 characteristics drifted; the biggest move is in external score 3.'"""
    counts = {"drifted": run.drifted_count, "count": run.column_count}
    drifted = [c for c in run.columns if c["drifted"]]
    if not drifted:
        return _(
            "%(drifted)s of %(count)s characteristics drifted: recent applications look like "
            "the training data.",
            **counts,
        )
    return _(
        "%(drifted)s of %(count)s characteristics drifted; the biggest move is in %(column)s.",
        column=column_label(drifted[0]["column"]),
        **counts,
    )


def prediction_sentence(run: DriftRun) -> str | None:
    """How the model's output moved, or None when the run had no predictions to compare."""
    if run.mean_probability is None:
        return None
    values = {"mean": percent(run.mean_probability)}
    if run.mean_probability_reference is not None:
        values["reference"] = percent(run.mean_probability_reference)
        sentence = _(
            "The mean predicted probability of default is %(mean)s (training sample: "
            "%(reference)s)",
            **values,
        )
    else:
        sentence = _("The mean predicted probability of default is %(mean)s", **values)
    if run.prediction_drift:
        if run.prediction_drift["drifted"]:
            return _("%(sentence)s; its distribution has drifted.", sentence=sentence)
        return _("%(sentence)s; its distribution has not drifted.", sentence=sentence)
    return _("%(sentence)s.", sentence=sentence)


def alert_for(run: DriftRun | None, share_limit: float, top_n: int) -> str | None:
    """The banner text when the run passes the limit or a top-`top_n` column drifts, else None."""
    if run is None:
        return None
    top_drifted = [
        c["column"] for c in run.columns if c["drifted"] and c.get("importance_rank", 1e9) <= top_n
    ]
    if run.drift_share < share_limit and not top_drifted:
        return None
    values = {
        "drifted": run.drifted_count,
        "count": run.column_count,
        "share": percent(run.drift_share, 0),
    }
    if not top_drifted:
        return _(
            "Data drift warning: %(drifted)s of %(count)s monitored characteristics (%(share)s) "
            "have drifted from the training data. Scores may be less reliable.",
            **values,
        )
    return _(
        "Data drift warning: %(drifted)s of %(count)s monitored characteristics (%(share)s) "
        "have drifted from the training data, including %(names)s (among the %(top)s most "
        "important). Scores may be less reliable.",
        names=", ".join(column_label(c) for c in top_drifted),
        top=top_n,
        **values,
    )
