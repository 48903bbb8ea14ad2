"""How numbers read on a page: one function per kind of number, used by views and templates."""


def percent(value: float, digits: int = 1) -> str:
    """A share as a percentage: 0.0693 -> '6.9%' (digits after the decimal point)."""
    return f"{100 * value:.{digits}f}%"
