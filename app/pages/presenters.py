"""Turn scores and populations into what the templates show: words, charts, tables.

Plain functions of their arguments (no request data), so the benchmark and tests can call them;
words come in the language Flask-Babel selects (English outside a request).
"""

import numpy as np
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import translated
from app.services import charts, comparison, reasons
from app.services.comparison import PopulationFilter
from app.services.dashboard import distance_in_words, interpretation
from app.services.formatting import amount, number, percent

FACTS = [
    ("NAME_CONTRACT_TYPE", _l("Contract type")),
    ("AMT_CREDIT", _l("Credit amount")),
    ("AMT_ANNUITY", _l("Annuity")),
    ("AMT_GOODS_PRICE", _l("Price of the goods")),
    ("AMT_INCOME_TOTAL", _l("Annual income")),
    ("AGE_YEARS", _l("Age")),
    ("EMPLOYMENT_YEARS", _l("Years in current employment")),
    ("NAME_INCOME_TYPE", _l("Income type")),
    ("NAME_EDUCATION_TYPE", _l("Education")),
    ("OCCUPATION_TYPE", _l("Occupation")),
    ("NAME_HOUSING_TYPE", _l("Housing")),
    ("CNT_CHILDREN", _l("Children")),
    ("FLAG_OWN_CAR", _l("Owns a car")),
    ("FLAG_OWN_REALTY", _l("Owns real estate")),
]
SOURCES = {
    "api": _l("API"),
    "batch": _l("API batch"),
    "page": _l("Dashboard"),
    "whatif": _l("What if"),
    "console": _l("API console"),
}


def _fact_value(key: str, application: dict, derived: dict) -> str:
    value = derived.get(key, application.get(key))
    if value is None:
        return _("Not known")
    if key == "EMPLOYMENT_YEARS":
        return _("%(years)s years", years=number(value, 1))
    if key == "AGE_YEARS":
        return _("%(years)s years", years=int(value))
    if key.startswith("FLAG_"):
        return {"Y": _("Yes"), "N": _("No")}.get(value, str(value))
    if isinstance(value, float | int):
        return amount(value)
    return translated(str(value))


def facts(application: dict) -> list[tuple[str, str]]:
    derived = comparison.derived_values(application)  # EMPLOYMENT_YEARS is None when not employed
    return [(str(label), _fact_value(key, application, derived)) for key, label in FACTS]


def sources() -> dict:
    """Where a logged scoring came from, in words."""
    return {key: str(words) for key, words in SOURCES.items()}


def decision_summary(score) -> dict:
    """Decision wording shared by the client, what-if and new-application pages."""
    page_reasons = [{**r, "text": reasons.page_text(r, score.logged_input)} for r in score.reasons]
    return {
        "decision": score.decision,
        "decision_label": _("Accepted") if score.decision == "accepted" else _("Refused"),
        "probability": percent(score.probability_of_default),
        "threshold": percent(score.threshold),
        "distance": distance_in_words(score.distance_to_threshold),
        "interpretation": interpretation(
            score.probability_of_default, score.threshold, score.decision
        ),
        "raising": [r for r in page_reasons if r["direction"] == "raises"],
        "lowering": [r for r in page_reasons if r["direction"] == "lowers"],
    }


def probability_change(original, result) -> dict:
    """The what-if's change of probability in points, with its direction in words."""
    points = 100 * (result.probability_of_default - original.probability_of_default)
    signed = ("+" if points > 0 else "") + number(points, 1)
    if points > 0:
        text = _("%(points)s points (higher risk)", points=signed)
    elif points < 0:
        text = _("%(points)s points (lower risk)", points=signed)
    else:
        text = _("%(points)s points (same)", points=signed)
    return {"points": points, "text": text}


def distribution_chart(variable: str, application: dict, filters: PopulationFilter):
    client_value = comparison.derived_values(application).get(variable)
    found = comparison.distribution(variable, client_value, filters)
    return charts.histogram_chart(
        found["bins"], client_value, comparison.label(variable), found["summary"], "distribution"
    )


def _position(values: np.ndarray, client_value, variable: str) -> str:
    name = comparison.label(variable)
    if client_value is None:
        return _("%(variable)s not known for this client", variable=name)
    share = comparison.share_below(values, client_value)
    return _(
        "%(variable)s %(value)s, higher than %(share)s of them",
        variable=name.lower(),
        value=comparison.format_value(variable, client_value),
        share=percent(share, 0),
    )


def scatter_chart(x: str, y: str, application: dict, filters: PopulationFilter):
    derived = comparison.derived_values(application)
    group = comparison.filtered(filters)
    points = comparison.scatter_sample(x, y, filters)
    both = derived[x] is not None and derived[y] is not None
    client = {"x": derived[x], "y": derived[y]} if both else None
    who = filters.describe()
    summary = _(
        "%(count)s clients shown from %(who)s (a random sample when there are more). "
        "This client: %(x)s; %(y)s.",
        count=amount(len(points)),
        who=who,
        x=_position(group[x].dropna().to_numpy(), derived[x], x),
        y=_position(group[y].dropna().to_numpy(), derived[y], y),
    )
    rows = []
    for key in (x, y):
        values = group[key].dropna()
        median = comparison.format_value(key, values.median()) if len(values) else "–"
        mine = comparison.format_value(key, derived[key]) if derived[key] is not None else None
        rows.append([comparison.label(key), mine or _("Not known"), median])
    table = charts.Table(
        _("This client and the median of %(who)s", who=who),
        [_("Variable"), _("This client"), _("Median")],
        rows,
    )
    labels = (comparison.label(x), comparison.label(y))
    return charts.scatter_chart(points, client, labels, summary, table)


def filters_from_form(form) -> PopulationFilter:
    return PopulationFilter(
        form.age_band.data or None,
        form.income_band.data or None,
        form.contract_type.data or None,
        form.education.data or None,
    )


def comparison_view(application: dict, form) -> dict:
    """Both comparison charts for the chosen variables and population."""
    filters = filters_from_form(form)
    return {
        "filters": filters,
        "population": filters.describe(),
        "similar": PopulationFilter.like(application),
        "distribution_chart": distribution_chart(form.variable.data, application, filters),
        "scatter_chart": scatter_chart(form.x.data, form.y.data, application, filters),
    }
