"""Growth of exports over time: year-on-year rates, CAGR, contributions to growth, movers.

Periods are written as in the facts table (:func:`dehub.facts.schema.period_kind`): Indian
financial years ``"2024-25"`` (April 2024 - March 2025) or months ``"2024-04"``. Values are US$
(checked by :func:`dehub.analytics.concentration.validate_values`: negative, NaN or infinite
values raise :class:`~dehub.errors.InvalidInput`).

Rates are **fractions** (0.05 = 5% a year) except columns named ``*_pct_points`` (percentage
points). **Growth from zero is undefined**: wherever the base value is 0 the rate is NaN (never
an infinite or a division-by-zero warning), and the docstrings say so; a fall to zero is -1.0
(-100%). Formulas and sources: ``docs/analytics-formulas.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import overload

import numpy as np
import pandas as pd

from dehub.analytics.concentration import validate_values
from dehub.errors import InvalidInput, Problem
from dehub.facts.schema import period_kind

# --------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------


def _ordinals(periods: Iterable[object], name: str) -> tuple[str, np.ndarray]:
    """(kind, ordinal per period): FY -> its starting year, month -> 12 * year + month - 1."""
    p = pd.Series(list(periods), dtype="object")
    kinds = p.map(lambda v: period_kind(v) if isinstance(v, str) else None)
    bad = p[kinds.isna()]
    if len(bad):
        raise InvalidInput(
            f"{name}: not a period: {', '.join(repr(v) for v in bad.head(5))}; expected a "
            'financial year such as "2024-25" or a month such as "2024-04"',
            [Problem(name, "invalid period")],
        )
    if kinds.nunique() > 1:
        raise InvalidInput(
            f"{name}: financial years and months are mixed ({', '.join(map(repr, p.head(5)))}); "
            "compare periods of one kind",
            [Problem(name, "mixed period kinds")],
        )
    kind = str(kinds.iloc[0]) if len(kinds) else "FY"
    year = p.str.slice(0, 4).astype("int64").to_numpy()
    if kind == "FY":
        return kind, year
    month = p.str.slice(5, 7).astype("int64").to_numpy()
    return kind, year * 12 + month - 1


def _label(kind: str, ordinal: np.ndarray) -> list[str]:
    if kind == "FY":
        return [f"{y}-{(y + 1) % 100:02d}" for y in ordinal.tolist()]
    return [f"{o // 12}-{o % 12 + 1:02d}" for o in ordinal.tolist()]


def years_between(p1: str, p2: str) -> float:
    """Years from period ``p1`` to period ``p2`` (negative if ``p2`` is earlier).

    Financial years: the difference of their starting years, so ``"2019-20"`` to ``"2024-25"``
    is 5.0 (five annual steps; the number of years of growth in a CAGR, not the six years
    covered). Months: the number of months divided by 12, so ``"2024-04"`` to ``"2025-04"``
    is 1.0 and ``"2024-04"`` to ``"2024-10"`` is 0.5. A financial year and a month cannot be
    compared (InvalidInput). Output: float, in years.
    """
    kind, o = _ordinals([p1, p2], "period")
    steps = float(o[1] - o[0])
    return steps if kind == "FY" else steps / 12


# --------------------------------------------------------------------------------------------
# Rates
# --------------------------------------------------------------------------------------------


def _ratio(num: np.ndarray, den: np.ndarray | np.float64) -> np.ndarray:
    """num / den where den > 0, NaN elsewhere (no warning: the NaN is the documented result)."""
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def yoy(series_by_period: pd.Series) -> pd.DataFrame:
    """Year-on-year growth of a value over periods.

    ``growth_t = (x_t - x_{t-1y}) / x_{t-1y}``, where t-1y is the previous financial year for
    financial years, and the same month a year earlier for months (``"2025-04"`` vs
    ``"2024-04"``: year on year, not month on month, so seasonality cancels).

    Input: a Series of US$ values indexed by period strings (all financial years or all
    months; unique). Output, sorted by period, columns: ``period``, ``value`` (US$),
    ``previous_period`` (the period a year earlier, whether or not it is in the input),
    ``previous_value`` (US$; NaN when that period is not in the input), ``change`` (US$) and
    ``growth`` (fraction). ``growth`` is NaN when the previous value is missing or 0 (growth
    from zero is undefined).
    """
    x = validate_values(series_by_period, "series_by_period")
    kind, o = _ordinals(x.index, "series_by_period")
    order = np.argsort(o, kind="stable")
    o, v = o[order], x.to_numpy()[order]
    lag = 1 if kind == "FY" else 12
    previous = pd.Series(v, index=o).reindex(o - lag).to_numpy()
    change = v - previous
    return pd.DataFrame(
        {
            "period": x.index.to_numpy()[order],
            "value": v,
            "previous_period": _label(kind, o - lag),
            "previous_value": previous,
            "change": change,
            "growth": _ratio(change, previous),
        }
    )


def _years(years: float) -> float:
    if isinstance(years, bool) or not isinstance(years, int | float | np.number):
        raise InvalidInput(f"years must be a number, got {years!r}", [Problem("years", "type")])
    y = float(years)
    if not math.isfinite(y) or y <= 0:
        raise InvalidInput(
            f"years must be a positive number (use years_between), got {years!r}",
            [Problem("years", "not positive")],
        )
    return y


def _scalar(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise InvalidInput(f"{name} must be a US$ amount, got {value!r}", [Problem(name, "type")])
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise InvalidInput(
            f"{name} must be a finite, non-negative US$ amount, got {value!r}",
            [Problem(name, "invalid amount")],
        )
    return v


@overload
def cagr(first: float, last: float, years: float) -> float: ...
@overload
def cagr(first: pd.Series, last: pd.Series, years: float) -> pd.Series[float]: ...
def cagr(
    first: float | pd.Series, last: float | pd.Series, years: float
) -> float | pd.Series[float]:
    """Compound annual growth rate: ``(last / first) ** (1 / years) - 1``.

    The constant yearly rate that takes ``first`` to ``last`` in ``years``: the geometric mean
    of the yearly growth factors minus 1 (the standard definition; it uses only the two end
    points). ``years`` from :func:`years_between`: FY2019-20 to FY2024-25 is 5 years.

    Inputs: two US$ amounts (scalars), or two Series of US$ per unit (aligned on the union of
    units, an absent unit = 0, see :func:`aligned`); ``years`` > 0. Output: a fraction per
    year (0.05 = 5%), or a Series named ``cagr``. NaN where ``first`` is 0 (growth from zero is
    undefined); -1.0 where ``last`` is 0 and ``first`` > 0.
    """
    y = _years(years)
    if isinstance(first, pd.Series) or isinstance(last, pd.Series):
        if not (isinstance(first, pd.Series) and isinstance(last, pd.Series)):
            raise InvalidInput(
                "cagr: pass two numbers or two Series, not one of each",
                [Problem("first", "type mismatch")],
            )
        f, lst = aligned(first, last, names=("first", "last"))
        rate = _ratio(lst.to_numpy(), f.to_numpy()) ** (1 / y) - 1
        return pd.Series(rate, index=f.index, name="cagr")
    f0, l0 = _scalar(first, "first"), _scalar(last, "last")
    if f0 == 0:
        return math.nan
    return float((l0 / f0) ** (1 / y) - 1)


# --------------------------------------------------------------------------------------------
# Contributions and movers
# --------------------------------------------------------------------------------------------


def aligned(
    prev: pd.Series,
    curr: pd.Series,
    names: tuple[str, str] = ("prev", "curr"),
) -> tuple[pd.Series[float], pd.Series[float]]:
    """Validate two periods' US$ values per unit and align them on the union of their units.

    A unit absent from one period had no exports in it (value 0): trade tables list only what
    was traded. A unit present with NaN is still an error (:func:`validate_values`), since
    "missing" and "zero" are different facts. Output: two float Series with the same index.
    """
    p = validate_values(prev, names[0])
    c = validate_values(curr, names[1])
    p, c = p.align(c, join="outer", fill_value=0.0)
    return p, c


def contribution_to_growth(prev: pd.Series, curr: pd.Series) -> pd.DataFrame:
    """Each unit's contribution to the growth of the total between two periods.

    The additive contributions-to-growth identity of a sum (as used for the contributions of
    GDP components or of products to export growth)::

        contribution_i (pct points) = 100 * (curr_i - prev_i) / sum_j prev_j

    so the contributions sum to the total's growth rate in percent. ``share_of_change_i =
    change_i / sum_j change_j`` sums to 1; when the total fell, units that fell have positive
    shares (of the fall).

    Inputs: US$ per unit in the two periods (absent = 0, see :func:`aligned`). Output, sorted
    by change descending (ties by unit code), columns: ``unit``, ``prev``, ``curr``, ``change``
    (US$), ``contribution_pct_points`` (NaN for every unit when the previous total is 0),
    ``share_of_change`` (fraction; NaN when the total did not change, up to a rounding
    error of 1e-12 of the totals) and ``growth`` (the unit's own rate, a fraction; NaN when
    its ``prev`` is 0: growth from zero is undefined).
    """
    p, c = aligned(prev, curr)
    pv, cv = p.to_numpy(), c.to_numpy()
    change = cv - pv
    prev_total = np.float64(pv.sum())
    change_total = np.float64(change.sum())
    contribution = 100.0 * _ratio(change, prev_total)
    share = np.full(len(change), np.nan)
    # A total change within rounding of zero (1e-12 of the totals) is no change: dividing by
    # it would give meaningless shares of +-1e15.
    if abs(change_total) > 1e-12 * max(float(prev_total), float(cv.sum())):
        share = change / change_total
    order = np.lexsort((p.index.astype(str).to_numpy(), -change))
    return pd.DataFrame(
        {
            "unit": p.index.to_numpy()[order],
            "prev": pv[order],
            "curr": cv[order],
            "change": change[order],
            "contribution_pct_points": contribution[order],
            "share_of_change": share[order],
            "growth": _ratio(change, pv)[order],
        }
    )


def top_movers(prev: pd.Series, curr: pd.Series, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` units whose exports grew most and the ``n`` that fell most, in US$.

    Inputs: US$ per unit in the two periods (absent = 0); ``n`` >= 1. Output: ``(gainers,
    losers)``, two DataFrames with the columns of :func:`contribution_to_growth`: gainers have
    change > 0, largest first; losers have change < 0, largest fall first (ties by unit code).
    Units that did not change are in neither. Ranking is by US$ change, not by growth rate (a
    rate favours tiny bases and is undefined from zero).
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InvalidInput(f"n must be a positive integer, got {n!r}", [Problem("n", "range")])
    table = contribution_to_growth(prev, curr)
    gainers = table[table["change"] > 0].head(int(n)).reset_index(drop=True)
    fallers = table[table["change"] < 0]
    order = np.lexsort((fallers["unit"].astype(str).to_numpy(), fallers["change"].to_numpy()))
    losers = fallers.iloc[order].head(int(n)).reset_index(drop=True)
    return gainers, losers
