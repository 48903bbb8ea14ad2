"""Populations of training applicants to compare a client with: all of them, or similar ones.

The clients table is read once per process (at most POPULATION_CAP applicants, main variables
only) and kept as a DataFrame; filters, histograms and scatter samples are then numpy work.
"""

import threading
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.i18n import translated
from app.models import Client
from app.services.formatting import amount, number, percent
from training.domain import age_band, age_band_label, employment_years, years_from_days

POPULATION_CAP = 50_000
SCATTER_SAMPLE = 2_000
HISTOGRAM_BINS = 20

# The main variables an advisor can compare on: key -> (label, decimals shown).
VARIABLES = {
    "AMT_INCOME_TOTAL": (_l("Annual income"), 0),
    "AMT_CREDIT": (_l("Credit amount"), 0),
    "AMT_ANNUITY": (_l("Annuity"), 0),
    "AMT_GOODS_PRICE": (_l("Goods price"), 0),
    "CREDIT_TO_INCOME": (_l("Credit to income ratio"), 2),
    "ANNUITY_TO_INCOME": (_l("Annuity to income ratio"), 2),
    "AGE_YEARS": (_l("Age in years"), 0),
    "EMPLOYMENT_YEARS": (_l("Years in current employment"), 1),
    "EXT_SOURCE_1": (_l("External score 1"), 2),
    "EXT_SOURCE_2": (_l("External score 2"), 2),
    "EXT_SOURCE_3": (_l("External score 3"), 2),
}
INCOME_BANDS = [("under-100k", 0, 100_000), ("100k-150k", 100_000, 150_000),
                ("150k-225k", 150_000, 225_000), ("225k-plus", 225_000, float("inf"))]  # fmt: skip
CATEGORY_FILTERS = {"contract_type": "NAME_CONTRACT_TYPE", "education": "NAME_EDUCATION_TYPE"}


def label(variable: str) -> str:
    """A comparison variable's name in the page's language."""
    return str(VARIABLES[variable][0])


def format_value(variable: str, value: float) -> str:
    """A value of a comparison variable as the page shows it: '65,250', '0.55' (or '65 250')."""
    return number(value, VARIABLES[variable][1])


def income_band_label(key: str) -> str:
    """'100,000 to 149,999' in the page's language."""
    low, high = next((low, high) for band, low, high in INCOME_BANDS if band == key)
    if low == 0:
        return _("under %(amount)s", amount=amount(high))
    if high == float("inf"):
        return _("%(amount)s or more", amount=amount(low))
    return _("%(low)s to %(high)s", low=amount(low), high=amount(high - 1))


def _band(bands, value) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return next((key for key, low, high in bands if low <= value < high), None)


def derived_values(application: dict) -> dict:
    """The comparison variables for one raw application (None where missing)."""

    def number(name):
        value = application.get(name)
        return None if value is None else float(value)

    income, credit, annuity = (number(n) for n in ("AMT_INCOME_TOTAL", "AMT_CREDIT", "AMT_ANNUITY"))
    days_birth, days_employed = number("DAYS_BIRTH"), number("DAYS_EMPLOYED")
    return {
        "AMT_INCOME_TOTAL": income,
        "AMT_CREDIT": credit,
        "AMT_ANNUITY": annuity,
        "AMT_GOODS_PRICE": number("AMT_GOODS_PRICE"),
        "CREDIT_TO_INCOME": credit / income if credit is not None and income else None,
        "ANNUITY_TO_INCOME": annuity / income if annuity is not None and income else None,
        "AGE_YEARS": years_from_days(days_birth),
        "EMPLOYMENT_YEARS": employment_years(days_employed),
        "EXT_SOURCE_1": number("EXT_SOURCE_1"),
        "EXT_SOURCE_2": number("EXT_SOURCE_2"),
        "EXT_SOURCE_3": number("EXT_SOURCE_3"),
    }


@dataclass(frozen=True)
class PopulationFilter:
    """None means 'any'. Keys are band keys (age, income) or category levels."""

    age_band: str | None = None
    income_band: str | None = None
    contract_type: str | None = None
    education: str | None = None

    @classmethod
    def like(cls, application: dict) -> "PopulationFilter":
        """The filter matching this client on all four criteria."""
        values = derived_values(application)
        return cls(
            age_band(values["AGE_YEARS"]),
            _band(INCOME_BANDS, values["AMT_INCOME_TOTAL"]),
            application.get("NAME_CONTRACT_TYPE"),
            application.get("NAME_EDUCATION_TYPE"),
        )

    def describe(self) -> str:
        """'all clients' or e.g. 'clients aged 30 to 39, with cash loans' (page's language)."""
        parts = []
        if self.age_band:
            parts.append(_("aged %(band)s", band=translated(age_band_label(self.age_band))))
        if self.income_band:
            parts.append(_("with an income %(band)s", band=income_band_label(self.income_band)))
        if self.contract_type:
            parts.append(_("with %(contract)s", contract=translated(self.contract_type).lower()))
        if self.education:
            parts.append(_("with education '%(level)s'", level=translated(self.education)))
        if not parts:
            return _("all clients")
        return _("clients %(criteria)s", criteria=", ".join(parts))


_cache_lock = threading.Lock()
_cache: dict[tuple, pd.DataFrame] = {}


def _load_population() -> pd.DataFrame:
    query = (
        sa.select(Client.application)
        .where(Client.is_training.is_(True))
        .order_by(Client.sk_id_curr)
        .limit(POPULATION_CAP)
    )
    rows = [
        {**derived_values(app), "NAME_CONTRACT_TYPE": app.get("NAME_CONTRACT_TYPE"),
         "NAME_EDUCATION_TYPE": app.get("NAME_EDUCATION_TYPE")}
        for app in db.session.scalars(query)
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=[*VARIABLES, *CATEGORY_FILTERS.values()])
    frame[list(VARIABLES)] = frame[list(VARIABLES)].astype("float64")
    frame["age_band"] = [age_band(v) for v in frame["AGE_YEARS"]]
    frame["income_band"] = [_band(INCOME_BANDS, v) for v in frame["AMT_INCOME_TOTAL"]]
    return frame


def population() -> pd.DataFrame:
    """Training applicants' main variables, cached per database and row count."""
    count = db.session.scalar(sa.select(sa.func.count()).where(Client.is_training.is_(True)))
    key = (str(db.engine.url), count)
    if key not in _cache:
        with _cache_lock:
            if key not in _cache:
                _cache.clear()
                _cache[key] = _load_population()
    return _cache[key]


def filtered(filters: PopulationFilter) -> pd.DataFrame:
    frame = population()
    mask = np.ones(len(frame), dtype=bool)
    for attribute, column in [("age_band", "age_band"), ("income_band", "income_band"),
                              *CATEGORY_FILTERS.items()]:  # fmt: skip
        wanted = getattr(filters, attribute)
        if wanted:
            mask &= (frame[column] == wanted).to_numpy()
    return frame[mask]


def share_below(values: np.ndarray, client_value: float) -> float:
    """Share of values below the client's (ties count half): 'higher than 72% of ...'."""
    if len(values) == 0:
        return float("nan")
    below = np.count_nonzero(values < client_value)
    ties = np.count_nonzero(values == client_value)
    return (below + ties / 2) / len(values)


def histogram(values: np.ndarray, digits: int, bins: int = HISTOGRAM_BINS) -> list[dict]:
    """Equal-width bins between the 1st and 99th percentile (extremes folded into the ends)."""
    if len(values) == 0:
        return []
    low, high = np.percentile(values, [1, 99])
    if high <= low:
        low, high = float(values.min()), float(values.min()) + 1.0
    counts, edges = np.histogram(np.clip(values, low, high), bins=bins, range=(low, high))
    return [
        {"start": float(start), "end": float(end), "count": int(count),
         "range": _("%(low)s to %(high)s", low=number(start, digits), high=number(end, digits))}
        for start, end, count in zip(edges[:-1], edges[1:], counts, strict=True)
    ]  # fmt: skip


def distribution(variable: str, client_value: float | None, filters: PopulationFilter) -> dict:
    """Bins, population size and a sentence placing the client in the population."""
    name, digits = label(variable).lower(), VARIABLES[variable][1]
    values = filtered(filters)[variable].dropna().to_numpy()
    who = filters.describe()
    if len(values) == 0:
        sentence = _(
            "No %(who)s have a known %(variable)s to compare with.", who=who, variable=name
        )
    elif client_value is None:
        sentence = _(
            "This client's %(variable)s is not known; %(count)s %(who)s shown.",
            variable=name,
            count=amount(len(values)),
            who=who,
        )
    else:
        sentence = _(
            "This client's %(variable)s (%(value)s) is higher than %(share)s of %(who)s "
            "(%(count)s clients).",
            variable=name,
            value=format_value(variable, client_value),
            share=percent(share_below(values, client_value), 0),
            who=who,
            count=amount(len(values)),
        )
    return {"bins": histogram(values, digits), "count": len(values), "summary": sentence}


def scatter_sample(x: str, y: str, filters: PopulationFilter, seed: int = 0) -> list[dict]:
    """At most SCATTER_SAMPLE (x, y) points with both values known, in a reproducible sample."""
    frame = filtered(filters)[[x, y]].dropna()
    if len(frame) > SCATTER_SAMPLE:
        frame = frame.sample(SCATTER_SAMPLE, random_state=seed)
    return [{"x": round(a, 4), "y": round(b, 4)} for a, b in frame.itertuples(index=False)]
