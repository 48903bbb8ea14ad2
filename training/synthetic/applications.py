"""Synthetic application rows (application_train / application_test) and the latent client risk.

Each client gets hidden traits: credit-quality scores (drive EXT_SOURCE_1..3) and `behaviour`
(drives the history tables: late instalments, refusals, bureau overdues). TARGET is drawn from a
log-odds that adds those traits, age, employment length, education and the loan's burden, plus
noise no column reveals, so a good model can reach about AUC 0.78 and no single column much
more than 0.7.
"""

from dataclasses import dataclass

import numpy as np

from training.schema import TABLES
from training.synthetic.columns import (
    bernoulli,
    blank_out,
    draw_levels,
    draw_marginal,
    gaussian_uniform,
    logistic,
    quantile_draw,
    to_frame,
    value_at,
    with_missing,
)
from training.synthetic.profile import CATEGORY_SHARES, QUANTILES

TABLE = "application_train"
OCCUPATION_GAP_EMPLOYED = 0.157
PENSION_DAYS = 365243  # the real files' placeholder for "not employed" (pensioners, unemployed)

# Log-odds of default: intercept tuned so that about 8% of clients default.
RISK_INTERCEPT = -2.90
RISK_WEIGHTS = {"ext1": 0.50, "ext2": 0.55, "ext3": 0.65, "age": 0.3, "behaviour": 0.75}
HIDDEN_NOISE = 0.4
EDUCATION_RISK = {
    "Academic degree": -0.8,
    "Higher education": -0.45,
    "Incomplete higher": 0.05,
    "Lower secondary": 0.35,
    "Secondary / secondary special": 0.0,
}
BUILDING_BLOCKS = (
    "APARTMENTS", "BASEMENTAREA", "YEARS_BEGINEXPLUATATION", "YEARS_BUILD", "COMMONAREA",
    "ELEVATORS", "ENTRANCES", "FLOORSMAX", "FLOORSMIN", "LANDAREA", "LIVINGAPARTMENTS",
    "LIVINGAREA", "NONLIVINGAPARTMENTS", "NONLIVINGAREA",
)  # fmt: skip


@dataclass
class Clients:
    """What the history tables need to know about a block of applicants."""

    sk_id_curr: np.ndarray
    behaviour: np.ndarray  # higher = pays later, gets refused more, has more overdue


def _latent(rng, n):
    """Hidden traits: credit quality scores z1..z3 (weakly correlated), behaviour, age."""
    shared = rng.standard_normal(n)
    z = [0.45 * shared + 0.893 * rng.standard_normal(n) for _ in range(3)]
    age_u = rng.random(n)
    age_z = (age_u - 0.5) * 3.46  # unit variance
    # EXT_SOURCE_1 tracks age in the real data (corr ~0.6), EXT_SOURCE_3 a little.
    scores = [0.6 * age_z + 0.8 * z[0], z[1], 0.2 * age_z + 0.98 * z[2]]
    return {
        "z": z,  # the risk uses the parts of the scores that age does not explain
        "scores": scores,
        "age_u": age_u,
        "age_z": age_z,
        "behaviour": rng.standard_normal(n),
        "hidden": rng.standard_normal(n),
    }


def _generic_columns(rng, n):
    """Every column from its measured marginal; the specific ones are overwritten after."""
    return {
        name: with_missing(rng, TABLE, name, draw_marginal(rng, TABLE, name, n))
        for name in TABLES[TABLE]
        if name not in ("SK_ID_CURR", "TARGET")
    }


def _employment(rng, cols, latent, n):
    """Age, income type and DAYS_EMPLOYED (365243 for pensioners and the unemployed)."""
    days_birth = np.round(quantile_draw(QUANTILES[TABLE]["DAYS_BIRTH"], 1 - latent["age_u"]))
    age_years = -days_birth / 365.25
    pensioner = bernoulli(rng, 0.02 + 0.95 * logistic((age_years - 57) / 1.6))
    working = {
        k: v for k, v in CATEGORY_SHARES[TABLE]["NAME_INCOME_TYPE"].items() if k != "Pensioner"
    }
    income_type = np.where(pensioner, "Pensioner", draw_levels(rng, working, n)).astype(object)
    not_employed = np.isin(income_type, ["Pensioner", "Unemployed"])
    years = np.minimum(rng.lognormal(np.log(4.5), 0.95, n), np.maximum(age_years - 18.5, 0.1))
    days_employed = np.where(not_employed, PENSION_DAYS, -np.round(years * 365.25))
    cols["DAYS_BIRTH"] = days_birth
    cols["NAME_INCOME_TYPE"] = income_type
    cols["DAYS_EMPLOYED"] = days_employed
    cols["FLAG_EMP_PHONE"] = np.where(not_employed, 0, 1)
    employers = {k: v for k, v in CATEGORY_SHARES[TABLE]["ORGANIZATION_TYPE"].items() if k != "XNA"}
    cols["ORGANIZATION_TYPE"] = np.where(
        not_employed, "XNA", draw_levels(rng, employers, n)
    ).astype(object)
    # the real share of missing occupations (31%) includes every pensioner
    occupation_gap = not_employed | (rng.random(n) < OCCUPATION_GAP_EMPLOYED)
    occupation = draw_marginal(rng, TABLE, "OCCUPATION_TYPE", n)
    cols["OCCUPATION_TYPE"] = blank_out(occupation, occupation_gap)
    for name in ("DAYS_REGISTRATION", "DAYS_ID_PUBLISH", "DAYS_LAST_PHONE_CHANGE"):
        cols[name] = np.maximum(cols[name], days_birth + 16 * 365)
    return np.where(not_employed, 10.0, years)


def _amounts(rng, cols, n):
    """Income, goods price, credit and annuity that hang together like real loans."""
    shared = rng.standard_normal(n)
    u_income = gaussian_uniform(0.45 * shared + 0.893 * rng.standard_normal(n))
    z_goods = 0.45 * shared + 0.893 * rng.standard_normal(n)
    u_goods = gaussian_uniform(z_goods)
    income = quantile_draw(QUANTILES[TABLE]["AMT_INCOME_TOTAL"], u_income)
    income = np.maximum(np.round(income / 2250) * 2250, 25650.0)
    goods = np.maximum(
        np.round(quantile_draw(QUANTILES[TABLE]["AMT_GOODS_PRICE"], u_goods) / 4500) * 4500, 45000.0
    )
    loading = np.where(rng.random(n) < 0.3, 1.0, rng.uniform(1.02, 1.25, n))
    credit = np.round(goods * loading * 2) / 2
    # the real AMT_CREDIT / AMT_ANNUITY: 8 to 40, quartiles 16.3, 20, 26.9
    # larger loans run longer (higher credit / annuity ratio), as in the real file
    u_ratio = gaussian_uniform(0.6 * z_goods + 0.8 * rng.standard_normal(n))
    ratio = np.interp(
        u_ratio, [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1], [8.3, 11.5, 16.3, 20, 26.9, 32, 39.6]
    )
    annuity = np.round(credit / ratio * 2) / 2
    revolving = cols["NAME_CONTRACT_TYPE"] == "Revolving loans"
    credit = np.where(revolving, np.round(goods / 22500) * 22500, credit)
    annuity = np.where(revolving, np.round(credit * 0.05 * 2) / 2, annuity)
    cols["AMT_INCOME_TOTAL"] = income
    cols["AMT_CREDIT"] = credit
    cols["AMT_ANNUITY"] = annuity
    cols["AMT_GOODS_PRICE"] = blank_out(goods, revolving & (rng.random(n) < 0.01))
    return annuity / credit, annuity / income


def _scores(rng, cols, latent):
    """EXT_SOURCE_1..3 from the quality traits, through the real quantiles."""
    for k in range(3):
        name = f"EXT_SOURCE_{k + 1}"
        values = quantile_draw(QUANTILES[TABLE][name], gaussian_uniform(latent["scores"][k]))
        cols[name] = with_missing(rng, TABLE, name, values)


def _building(rng, cols, n):
    """The 47 housing columns: one building per client, AVG/MODE/MEDI close to each other and
    missing together (a shared uniform nests the missing patterns, as in the real data)."""
    size = rng.standard_normal(n)
    missing_u = rng.random(n)
    for block in BUILDING_BLOCKS:
        u = gaussian_uniform(0.7 * size + 0.714 * rng.standard_normal(n))
        for suffix in ("AVG", "MODE", "MEDI"):
            name = f"{block}_{suffix}"
            jitter = np.clip(u + rng.normal(0, 0.01, n), 0, 1)
            values = np.round(value_at(TABLE, name, jitter), 4)
            cols[name] = with_missing(rng, TABLE, name, values, missing_u)
    cols["TOTALAREA_MODE"] = with_missing(
        rng,
        TABLE,
        "TOTALAREA_MODE",
        np.round(value_at(TABLE, "TOTALAREA_MODE", gaussian_uniform(size)), 4),
        missing_u,
    )
    for name in (
        "FONDKAPREMONT_MODE",
        "HOUSETYPE_MODE",
        "WALLSMATERIAL_MODE",
        "EMERGENCYSTATE_MODE",
    ):
        cols[name] = with_missing(rng, TABLE, name, draw_marginal(rng, TABLE, name, n), missing_u)


def _household(rng, cols, n):
    """Family size from marital status and children; car age only for car owners; grouped gaps."""
    couple = np.isin(cols["NAME_FAMILY_STATUS"], ["Married", "Civil marriage"])
    cols["CNT_FAM_MEMBERS"] = 1.0 + couple + cols["CNT_CHILDREN"]
    no_car = cols["FLAG_OWN_CAR"] == "N"
    cols["OWN_CAR_AGE"] = blank_out(draw_marginal(rng, TABLE, "OWN_CAR_AGE", n), no_car)
    circle_gap = rng.random(n) < 0.004
    obs = draw_marginal(rng, TABLE, "OBS_30_CNT_SOCIAL_CIRCLE", n)
    # about a quarter of clients with observed acquaintances have one or more who defaulted
    defaults = np.where(rng.random(n) < 0.25, np.minimum(rng.geometric(0.75, n), obs), 0)
    circle = {
        "OBS_30_CNT_SOCIAL_CIRCLE": obs,
        "DEF_30_CNT_SOCIAL_CIRCLE": defaults,
        "OBS_60_CNT_SOCIAL_CIRCLE": obs,
        "DEF_60_CNT_SOCIAL_CIRCLE": np.maximum(defaults - (rng.random(n) < 0.25), 0),
    }
    for name, values in circle.items():
        cols[name] = blank_out(values, circle_gap)
    bureau_gap = rng.random(n) < 0.133
    for name in [c for c in TABLES[TABLE] if c.startswith("AMT_REQ_CREDIT_BUREAU")]:
        cols[name] = blank_out(draw_marginal(rng, TABLE, name, n), bureau_gap)


def _risk_log_odds(cols, latent, employed_years, burden):
    """Log-odds of default from the traits and the columns a real model would use."""
    payment_rate, annuity_to_income = burden
    education = np.vectorize(EDUCATION_RISK.get, otypes=[float])(cols["NAME_EDUCATION_TYPE"])
    w = RISK_WEIGHTS
    return (
        RISK_INTERCEPT
        - w["ext1"] * latent["z"][0]
        - w["ext2"] * latent["z"][1]
        - w["ext3"] * latent["z"][2]
        - w["age"] * latent["age_z"]
        - 0.18 * np.log(employed_years)
        + education
        + 4.0 * (payment_rate - 0.055)
        + 0.8 * np.clip(annuity_to_income - 0.18, -0.15, 0.5)
        + 0.12 * (cols["REGION_RATING_CLIENT"] - 2)
        + w["behaviour"] * latent["behaviour"]
        + HIDDEN_NOISE * latent["hidden"]
    )


def make_applications(rng, sk_id_curr, with_target=True):
    """Application rows for the given ids; returns (frame at the real schema, Clients)."""
    n = len(sk_id_curr)
    latent = _latent(rng, n)
    cols = _generic_columns(rng, n)
    employed_years = _employment(rng, cols, latent, n)
    burden = _amounts(rng, cols, n)
    _scores(rng, cols, latent)
    _building(rng, cols, n)
    _household(rng, cols, n)
    ids = np.asarray(sk_id_curr, dtype=np.int64)
    # the real train file has 4 CODE_GENDER XNA in 307,511: one id in 50,000, so that even
    # small data sets (from 1,235 clients) hold one
    gender = cols["CODE_GENDER"]
    gender[gender == "XNA"] = "F"
    gender[ids % 50_000 == 1_236] = "XNA"
    cols["REGION_RATING_CLIENT_W_CITY"] = np.where(
        rng.random(n) < 0.9, cols["REGION_RATING_CLIENT"], cols["REGION_RATING_CLIENT_W_CITY"]
    )
    cols["SK_ID_CURR"] = ids
    log_odds = _risk_log_odds(cols, latent, employed_years, burden)
    cols["TARGET"] = bernoulli(rng, logistic(log_odds)).astype(np.int64)
    table = "application_train" if with_target else "application_test"
    clients = Clients(cols["SK_ID_CURR"], latent["behaviour"])
    return to_frame(table, cols), clients
