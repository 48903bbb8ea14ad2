"""Small builders for the aggregate SQL, in the dialect DuckDB and Spark SQL share.

Rules that keep one text valid and equal on both engines: every division goes through
`ratio` (a zero denominator gives NULL; DuckDB would give infinity, Spark an error in ANSI mode);
flags are CASE expressions giving 1.0/0.0 (no boolean arithmetic); clipping is a CASE, because
GREATEST skips NULLs on both engines where a missing value must stay missing; orderings name
their NULL placement (the engines' defaults differ).
"""

# Number literals: 1.0 would be a DECIMAL on both engines, and Spark averages decimals to 5
# places, so flags and constants are written as doubles.
ONE, ZERO = "CAST(1 AS DOUBLE)", "CAST(0 AS DOUBLE)"
# pandas' sum of nothing is 0 and so was the history's; SQL's is NULL.
STAT_SQL = {
    "MIN": "MIN({})",
    "MAX": "MAX({})",
    "MEAN": "AVG({})",
    "VAR": "VAR_SAMP({})",
    "SUM": "COALESCE(SUM({}), 0)",
}


def ratio(numerator: str, denominator: str) -> str:
    """numerator / denominator, NULL when the denominator is 0 or missing."""
    return f"({numerator}) / NULLIF({denominator}, 0)"


def flag(condition: str) -> str:
    """1.0 where the condition holds, else 0.0 (a missing input counts as not holding)."""
    return f"CASE WHEN {condition} THEN {ONE} ELSE {ZERO} END"


def known_flag(condition: str, value: str) -> str:
    """1.0 / 0.0 like `flag`, but missing where `value` is missing."""
    return f"CASE WHEN {value} IS NULL THEN NULL WHEN {condition} THEN {ONE} ELSE {ZERO} END"


def when(condition: str, value: str) -> str:
    """`value` on the rows where the condition holds, else NULL (for subset aggregates)."""
    return f"CASE WHEN {condition} THEN {value} END"


def at_least_zero(value: str) -> str:
    """max(value, 0) that keeps NULL as NULL."""
    return f"CASE WHEN {value} < 0 THEN {ZERO} ELSE {value} END"


def stats(prefix: str, expression: str, kinds: str) -> list[tuple[str, str]]:
    """(name, aggregate) pairs `PREFIX_MIN`, `PREFIX_MEAN`... for the kinds listed in `kinds`."""
    return [(f"{prefix}_{kind}", STAT_SQL[kind].format(expression)) for kind in kinds.split()]


def grouped(source: str, keys: str, pairs: list[tuple[str, str]]) -> str:
    """SELECT keys, aggregate AS name ... FROM source GROUP BY keys."""
    body = ",\n    ".join(f"{expression} AS {name}" for name, expression in pairs)
    return f"SELECT {keys},\n    {body}\nFROM {source}\nGROUP BY {keys}"


def projected(source: str, pairs: list[tuple[str, str]], keep: str = "*") -> str:
    """SELECT keep, expression AS name ... FROM source (row-level derived columns)."""
    body = ",\n    ".join(f"{expression} AS {name}" for name, expression in pairs)
    return f"SELECT {keep},\n    {body}\nFROM {source}"
