"""How numbers and dates read on a page, in the page's language: one function per kind of number.

Used by views, presenters and templates (filters `percent`, `amount`, `number`, `when`).
`locale=None` means the request's language (Flask-Babel), English outside a request; pass
`locale="en"` for text that must not depend on the reader (none of the API's text comes from
here: see app/services/reasons.py). French: `65 250`, `6,9 %`, `0,55`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from babel import Locale, dates, numbers
from flask_babel import get_locale


def _locale(locale: str | Locale | None) -> Locale:
    if isinstance(locale, Locale):
        return locale
    if locale is not None:
        return Locale.parse(locale)
    return get_locale() or Locale.parse("en")


def _with_digits(pattern: str, digits: int) -> numbers.NumberPattern:
    """The locale's own pattern (where the % and the spaces go) with a fixed number of digits."""
    parsed = numbers.parse_pattern(pattern)
    parsed.frac_prec = (digits, digits)
    return parsed


def percent(value: float, digits: int = 1, locale=None) -> str:
    """A share as a percentage: 0.0693 -> '6.9%' (en), '6,9 %' (fr)."""
    loc = _locale(locale)
    return _with_digits(loc.percent_formats[None].pattern, digits).apply(value, loc)


def number(value: float, digits: int = 2, locale=None) -> str:
    """A plain number with `digits` decimals: 0.5512 -> '0.55' (en), '0,55' (fr)."""
    loc = _locale(locale)
    return _with_digits(loc.decimal_formats[None].pattern, digits).apply(value, loc)


def amount(value: float, locale=None) -> str:
    """A sum of money or a count, whole units, grouped: 65250.0 -> '65,250' (en), '65 250' (fr)."""
    return number(value, 0, locale)


def significant(value: float, locale=None) -> str:
    """Up to 3 significant digits (a test statistic, a p-value): 0.0123 -> '0.0123', 2e-05."""
    loc = _locale(locale)
    if value != 0 and abs(value) < 1e-3:
        return numbers.format_scientific(value, "0.##E0", locale=loc)
    return numbers.format_decimal(value, "@##", locale=loc)


def when(moment: datetime, locale=None) -> str:
    """A moment in UTC, short date and time: 'Nov 21, 2026, 23:55' (en), '21 nov. 2026, 23:55'."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    loc = _locale(locale)
    day = dates.format_date(moment.astimezone(UTC), "medium", locale=loc)
    time = dates.format_time(moment.astimezone(UTC), "HH:mm", tzinfo=UTC, locale=loc)
    return f"{day}, {time}"


def day(moment: datetime, locale=None) -> str:
    """A day in words, UTC (a letter's date): 'November 21, 2026' (en), '21 novembre 2026'."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return dates.format_date(moment.astimezone(UTC), "long", locale=_locale(locale))


def chart_number_locale(locale=None) -> dict:
    """The d3-format locale for chart axes, with Babel's symbols so charts and text agree."""
    loc = _locale(locale)
    symbols = loc.number_symbols.get("latn", loc.number_symbols)
    percent_pattern = loc.percent_formats[None].pattern
    percent_sign = percent_pattern[percent_pattern.index("0") :].lstrip("0#,.")
    return {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": ["", ""],
        "percent": percent_sign,
    }
