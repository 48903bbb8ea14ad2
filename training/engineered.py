"""The engineered application columns: ratios, sums and summaries from the competition's best
solutions, each declared with the raw columns it reads.

The declared inputs are a contract: a column computed from ``DAYS_BIRTH`` belongs to the "age"
group (tested), so the age effect can never be told to a client under another name.
``training.features`` evaluates them in this order on float64 column arrays (one per raw input;
``MISSING_COUNT`` is the row's count of missing application fields).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from training.domain import DAYS_PER_YEAR, NOT_EMPLOYED_DAYS

EXT_SOURCES = ("EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3")
# The weights of the best public kernels' weighted score (EXT_SOURCE_3 the strongest).
EXT_SOURCE_WEIGHTS = (2.0, 1.0, 3.0)
DOCUMENT_FLAGS = tuple(f"FLAG_DOCUMENT_{n}" for n in range(2, 22))
CONTACT_FLAGS = (
    "FLAG_MOBIL",
    "FLAG_EMP_PHONE",
    "FLAG_WORK_PHONE",
    "FLAG_CONT_MOBILE",
    "FLAG_PHONE",
    "FLAG_EMAIL",
)
REGION_MISMATCH_FLAGS = (
    "REG_REGION_NOT_LIVE_REGION",
    "REG_REGION_NOT_WORK_REGION",
    "LIVE_REGION_NOT_WORK_REGION",
    "REG_CITY_NOT_LIVE_CITY",
    "REG_CITY_NOT_WORK_CITY",
    "LIVE_CITY_NOT_WORK_CITY",
)
ENQUIRIES = tuple(
    f"AMT_REQ_CREDIT_BUREAU_{period}" for period in ("HOUR", "DAY", "WEEK", "MON", "QRT", "YEAR")
)


@dataclass(frozen=True)
class Engineered:
    """One engineered column: its name, the raw columns it reads, and how it is computed.

    ``compute(columns, done)`` gets the raw columns and the engineered columns computed so far.
    """

    name: str
    inputs: tuple[str, ...]
    compute: Callable


def _ratio(numerator, denominator):
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.asarray(numerator, dtype="float64") / denominator
    result[~np.isfinite(result)] = np.nan
    return result


def _stack(columns, names):
    return np.column_stack([columns[name] for name in names])


def _sum_known(columns, names):
    """Sum of the known values; missing when none is known."""
    values = _stack(columns, names)
    known = ~np.isnan(values)
    return np.where(known.any(axis=1), np.where(known, values, 0.0).sum(axis=1), np.nan)


def _employment_anomaly(columns, done):
    """1 for the not-employed marker (then DAYS_EMPLOYED is cleaned to missing in place)."""
    employed = columns["DAYS_EMPLOYED"]
    anomaly = np.where(np.isnan(employed), np.nan, employed == NOT_EMPLOYED_DAYS)
    employed[employed == NOT_EMPLOYED_DAYS] = np.nan  # a view: cleans the raw column too
    return anomaly


def _sources(columns):
    values = _stack(columns, EXT_SOURCES)
    return values, ~np.isnan(values)


def _sources_mean(columns, done):
    values, known = _sources(columns)
    return _ratio(np.where(known, values, 0.0).sum(axis=1), known.sum(axis=1))


def _sources_extreme(pick, fill):
    def compute(columns, done):
        values, known = _sources(columns)
        return np.where(known.any(axis=1), pick(np.where(known, values, fill), axis=1), np.nan)

    return compute


def _sources_std(columns, done):
    values, known = _sources(columns)
    centred = np.where(known, values - done["EXT_SOURCES_MEAN"][:, None], 0.0)
    return np.sqrt(_ratio((centred**2).sum(axis=1), known.sum(axis=1)))


def _sources_weighted(columns, done):
    """Weighted mean of the known scores (kernel weights), so one missing score does not blank
    it."""
    values, known = _sources(columns)
    weights = np.where(known, np.array(EXT_SOURCE_WEIGHTS), 0.0)
    return _ratio((np.where(known, values, 0.0) * weights).sum(axis=1), weights.sum(axis=1))


def _years(days):
    return -days / DAYS_PER_YEAR


def _value(name):
    return lambda columns, done: columns[name] if name in columns else done[name]


def _ratio_of(name, top, bottom):
    """``top / bottom`` (missing when either is, or the bottom is 0)."""
    return Engineered(
        name,
        (top, bottom),
        lambda columns, done: _ratio(_value(top)(columns, done), _value(bottom)(columns, done)),
    )


def _count_of(name, flags):
    return Engineered(name, flags, lambda columns, done: _sum_known(columns, flags))


ENGINEERED = [
    Engineered("DAYS_EMPLOYED_ANOMALY", ("DAYS_EMPLOYED",), _employment_anomaly),
    _ratio_of("CREDIT_INCOME_RATIO", "AMT_CREDIT", "AMT_INCOME_TOTAL"),
    _ratio_of("ANNUITY_INCOME_RATIO", "AMT_ANNUITY", "AMT_INCOME_TOTAL"),
    _ratio_of("ANNUITY_CREDIT_RATIO", "AMT_ANNUITY", "AMT_CREDIT"),  # the payment rate
    _ratio_of("CREDIT_TERM", "AMT_CREDIT", "AMT_ANNUITY"),
    _ratio_of("GOODS_CREDIT_RATIO", "AMT_GOODS_PRICE", "AMT_CREDIT"),
    Engineered(
        "CREDIT_GOODS_DIFFERENCE",
        ("AMT_CREDIT", "AMT_GOODS_PRICE"),
        lambda c, d: c["AMT_CREDIT"] - c["AMT_GOODS_PRICE"],
    ),
    _ratio_of("EMPLOYED_AGE_RATIO", "DAYS_EMPLOYED", "DAYS_BIRTH"),
    _ratio_of("INCOME_PER_FAMILY_MEMBER", "AMT_INCOME_TOTAL", "CNT_FAM_MEMBERS"),
    _ratio_of("CHILDREN_FAMILY_RATIO", "CNT_CHILDREN", "CNT_FAM_MEMBERS"),
    _count_of("DOCUMENT_COUNT", DOCUMENT_FLAGS),
    Engineered("EXT_SOURCES_MEAN", EXT_SOURCES, _sources_mean),
    Engineered("EXT_SOURCES_MIN", EXT_SOURCES, _sources_extreme(np.min, np.inf)),
    Engineered("EXT_SOURCES_MAX", EXT_SOURCES, _sources_extreme(np.max, -np.inf)),
    Engineered("EXT_SOURCES_STD", EXT_SOURCES, _sources_std),
    # how many scores are known: 3 minus the missing count
    Engineered("EXT_SOURCES_COUNT", EXT_SOURCES, lambda c, d: _sources(c)[1].sum(axis=1) * 1.0),
    Engineered(
        "EXT_SOURCES_PROD",
        EXT_SOURCES,
        lambda c, d: c["EXT_SOURCE_1"] * c["EXT_SOURCE_2"] * c["EXT_SOURCE_3"],
    ),
    Engineered("EXT_SOURCES_WEIGHTED", EXT_SOURCES, _sources_weighted),
    Engineered(
        "EXT_SOURCES_MEAN_X_PAYMENT_RATE",
        (*EXT_SOURCES, "AMT_ANNUITY", "AMT_CREDIT"),
        lambda c, d: d["EXT_SOURCES_MEAN"] * d["ANNUITY_CREDIT_RATIO"],
    ),
    Engineered(
        "EXT_SOURCES_MEAN_X_AGE",
        (*EXT_SOURCES, "DAYS_BIRTH"),
        lambda c, d: d["EXT_SOURCES_MEAN"] * _years(c["DAYS_BIRTH"]),
    ),
    _ratio_of("PHONE_CHANGE_AGE_RATIO", "DAYS_LAST_PHONE_CHANGE", "DAYS_BIRTH"),
    _ratio_of("ID_PUBLISH_AGE_RATIO", "DAYS_ID_PUBLISH", "DAYS_BIRTH"),
    _count_of("CONTACT_FLAG_COUNT", CONTACT_FLAGS),
    _count_of("REGION_MISMATCH_COUNT", REGION_MISMATCH_FLAGS),
    _count_of("ENQUIRY_COUNT", ENQUIRIES),
    _ratio_of(
        "SOCIAL_CIRCLE_DEFAULT_RATIO", "DEF_30_CNT_SOCIAL_CIRCLE", "OBS_30_CNT_SOCIAL_CIRCLE"
    ),
    Engineered("MISSING_COUNT", ("MISSING_COUNT",), lambda c, d: c["MISSING_COUNT"]),
    _ratio_of("BUREAU_ACTIVE_DEBT_INCOME_RATIO", "BUREAU_ACTIVE_DEBT_SUM", "AMT_INCOME_TOTAL"),
]
ENGINEERED_COLUMNS = [feature.name for feature in ENGINEERED]
ENGINEERING_INPUTS = sorted(
    {name for feature in ENGINEERED for name in feature.inputs} - {"MISSING_COUNT"}
)
