"""How pages write numbers: US$ amounts, shares and counts (Jinja filters)."""

from __future__ import annotations

import math
from typing import Any


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def usd(value: Any) -> str:
    """US$ with a magnitude suffix: ``US$ 36.55 bn``, ``US$ 12.3 mn``, ``US$ 450 k``."""
    if _missing(value):
        return "–"
    v = float(value)
    size = abs(v)
    if size >= 1e9:
        return f"US$ {v / 1e9:,.2f} bn"
    if size >= 1e6:
        return f"US$ {v / 1e6:,.1f} mn"
    if size >= 1e3:
        return f"US$ {v / 1e3:,.0f} k"
    return f"US$ {v:,.0f}"


def pct(value: Any, digits: int = 1) -> str:
    """A share as a percentage (``0.0835`` -> ``8.4%``); ``<0.1%`` for tiny positive shares."""
    if _missing(value):
        return "–"
    v = float(value)
    if 0 < v < 10 ** -(digits + 2):
        return f"<{10**-digits:g}%"
    return f"{v:.{digits}%}"


def number(value: Any, digits: int = 0) -> str:
    """A plain number with thousands separators."""
    if _missing(value):
        return "–"
    return f"{float(value):,.{digits}f}"


def ratio(value: Any) -> str:
    """An index such as RCA or HHI, two decimals."""
    if _missing(value):
        return "–"
    return f"{float(value):.2f}"


FILTERS = {"usd": usd, "pct": pct, "number": number, "ratio": ratio}
