"""Concentration of exports across units (districts, states, products or partners).

Every function takes the exports of one period as a pandas Series of values in US$, indexed by
the unit code (LGD district code, state code, HS code, ISO3 partner...), and returns numbers or a
DataFrame; nothing is read or written. Formulas and the choices between conventions are listed
in ``docs/analytics-formulas.md``; the sources are cited in each docstring.

Conventions shared by every function here:

- **Inputs are checked, never repaired.** Negative, NaN or infinite values, non-numeric data and
  unit codes listed twice raise :class:`~dehub.errors.InvalidInput` naming the units at fault
  (:func:`validate_values`). Zero is allowed: a unit with zero value is a unit *without exports*.
- **Which units count.** Shares, the HHI family and the Lorenz curve divide by the sum of the
  values (or an explicit ``total``). ``N`` in the normalised HHI and the UNCTAD index is the
  number of units *with exports* (value > 0). The Gini and Theil indices count *every unit
  passed*, zeros included: the caller chooses the population (all 700-odd districts, or only
  those in the data) by what it passes, and :func:`theil_decomposition` separates the part of
  concentration due to units without exports.
- **Exports not attributed to any unit** (DGCI&S "UNSPECIFIED" districts) are never a unit: the
  caller passes them separately (``total=`` or ``unattributed=``) so that shares are of India's
  total, while the indices describe the attributed units.
- Indices are fractions in [0, 1] unless stated otherwise (HHI is not multiplied by 10,000).
  Where a theorem bounds an index (e.g. Theil >= 0), a rounding error of less than 1e-9 beyond
  the bound is snapped to it; larger excursions are left visible.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TypedDict

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from dehub.errors import InvalidInput, Problem

DEFAULT_TOP_NS: tuple[int, ...] = (1, 5, 10, 15, 25, 50, 100)
"""The N of the "top N units ship X%" figures reported by :func:`concentration_summary`."""

_SNAP = 1e-9
_SHOWN = 5


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _describe(units: pd.Series) -> str:
    """``'A' (-1.0), 'B' (nan) and 3 more`` — the first units at fault, with their values."""
    shown = ", ".join(f"{code!r} ({value!r})" for code, value in units.head(_SHOWN).items())
    more = len(units) - _SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def validate_values(values: object, name: str = "values") -> pd.Series[float]:
    """Check a Series of US$ values per unit and return it as float64 (same index).

    Raises :class:`~dehub.errors.InvalidInput` (one :class:`~dehub.errors.Problem` per kind of
    fault, each naming up to five units and their values) when ``values`` is not a pandas
    Series, is not numeric, lists a unit code twice, or has NaN (missing), infinite or negative
    values. Zero values are valid (units without exports). Nothing is coerced: a missing value
    is an error, not a zero, because the caller knows whether the unit exported nothing.
    """
    if not isinstance(values, pd.Series):
        raise InvalidInput(
            f"{name}: expected a pandas Series of US$ values indexed by unit code, "
            f"got {type(values).__name__}",
            [Problem(name, "not a pandas Series")],
        )
    if is_bool_dtype(values.dtype) or not is_numeric_dtype(values.dtype):
        raise InvalidInput(
            f"{name}: values must be numbers (US$), got dtype {values.dtype}",
            [Problem(name, f"dtype {values.dtype} is not numeric")],
        )
    x = values.astype("float64")
    arr = x.to_numpy()
    problems: list[Problem] = []
    if x.index.has_duplicates:
        dup = x.index[x.index.duplicated()].unique()
        codes = ", ".join(repr(c) for c in dup[:_SHOWN])
        more = f" and {len(dup) - _SHOWN} more" if len(dup) > _SHOWN else ""
        problems.append(
            Problem(name, f"unit code listed more than once: {codes}{more}; aggregate first")
        )
    checks = (
        (np.isnan(arr), "missing (NaN) value", "pass 0 for a unit without exports"),
        (np.isinf(arr), "infinite value", "values must be finite US$ amounts"),
        (arr < 0, "negative value", "exports cannot be negative"),
    )
    for mask, what, advice in checks:
        if mask.any():
            bad = x[mask]
            problems.append(
                Problem(name, f"{what} for {len(bad)} unit(s): {_describe(bad)}; {advice}")
            )
    if problems:
        raise InvalidInput(f"{name}: " + "; ".join(p.message for p in problems), problems)
    return x


def _amount(value: float, name: str) -> float:
    """A scalar US$ amount: finite and >= 0."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise InvalidInput(
            f"{name} must be a number (US$), got {value!r}", [Problem(name, "not a number")]
        )
    v = float(value)
    if math.isnan(v) or math.isinf(v) or v < 0:
        raise InvalidInput(
            f"{name} must be a finite, non-negative US$ amount, got {value!r}",
            [Problem(name, f"invalid amount {value!r}")],
        )
    return v


def _nonempty(values: object, name: str = "values") -> pd.Series[float]:
    """:func:`validate_values`, and at least one unit with a positive value."""
    x = validate_values(values, name)
    if len(x) == 0:
        raise InvalidInput(f"{name}: no units given", [Problem(name, "empty")])
    if not (x.to_numpy() > 0).any():
        raise InvalidInput(
            f"{name}: every unit has zero exports, so shares and indices are undefined",
            [Problem(name, "all values are zero")],
        )
    return x


def _denominator(attributed: float, total: float | None) -> float:
    """The denominator of shares: ``total`` if given (checked >= attributed), else the sum."""
    if total is None:
        return attributed
    t = _amount(total, "total")
    if t < attributed * (1 - 1e-9):
        raise InvalidInput(
            f"total ({t!r}) is smaller than the sum of the units' values ({attributed!r}); "
            "total must be India's total including exports not attributed to any unit",
            [Problem("total", "smaller than the sum of the values")],
        )
    return t


def _snap(value: float, lo: float, hi: float) -> float:
    """Snap a rounding error (< 1e-9) beyond a theoretical bound back to the bound."""
    if lo - _SNAP < value < lo:
        return lo
    if hi < value < hi + _SNAP:
        return hi
    return value


def _active(x: pd.Series[float]) -> int:
    return int((x.to_numpy() > 0).sum())


# --------------------------------------------------------------------------------------------
# Shares and the "top N ship X%" curve
# --------------------------------------------------------------------------------------------


def shares(values: pd.Series, total: float | None = None) -> pd.Series[float]:
    """Each unit's share of the total: ``s_i = x_i / T``.

    Inputs: ``values`` in US$ per unit; ``total`` (US$, optional) the denominator. By default
    ``T = sum_i x_i`` and the shares sum to 1. Pass ``total`` = India's total *including
    exports not attributed to any unit* (attributed sum + unattributed amount, the caller adds
    them) to get shares of India's total; they then sum to ``sum_i x_i / total`` < 1 and the
    unattributed part gets no share of its own. ``total`` below the sum of the values is refused.

    Output: a Series named ``share`` (a fraction, 0.25 = 25%) with the index of ``values``.
    """
    x = _nonempty(values)
    return (x / _denominator(float(x.sum()), total)).rename("share")


def lorenz_curve(values: pd.Series, total: float | None = None) -> pd.DataFrame:
    """The concentration curve, largest unit first: "the top N units ship X% of exports".

    This is the Lorenz curve (Lorenz 1905, "Methods of measuring the concentration of
    wealth", Publ. Am. Stat. Assoc. 9(70)) drawn from the top: units sorted by value
    descending (ties by unit code, ascending, so the order is reproducible).

    Inputs: ``values`` in US$ per unit (every unit passed is a row, zeros last); ``total`` as in
    :func:`shares` (with an unattributed part the curve ends below 1).

    Output columns: ``rank`` (1 = largest), ``unit`` (the index of ``values``), ``value``
    (US$), ``share`` (value / total), ``cumulative_share`` (share of the top ``rank`` units;
    non-decreasing, ending at 1 when ``total`` is not given), ``cumulative_units_share``
    (``rank / n``, n = number of units passed).
    """
    x = _nonempty(values)
    v = x.to_numpy()
    codes = x.index.astype(str).to_numpy()
    order = np.lexsort((codes, -v))  # primary key: value descending; then code ascending
    v = v[order]
    cum = np.cumsum(v)
    # Without an explicit total, divide by the last cumulative sum so the curve ends at 1.0
    # exactly (the pairwise x.sum() can differ from the running sum in the last bit).
    denom = float(cum[-1]) if total is None else _denominator(float(cum[-1]), total)
    n = len(v)
    rank = np.arange(1, n + 1)
    return pd.DataFrame(
        {
            "rank": rank,
            "unit": x.index[order],
            "value": v,
            "share": v / denom,
            "cumulative_share": cum / denom,
            "cumulative_units_share": rank / n,
        }
    )


def _check_ns(ns: Iterable[int]) -> list[int]:
    out = list(ns)
    bad = [n for n in out if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1]
    if bad:
        raise InvalidInput(
            f"ns must be positive integers (numbers of top units), got {bad!r}",
            [Problem("ns", f"invalid: {bad!r}")],
        )
    return [int(n) for n in out]


def top_shares(
    values: pd.Series,
    ns: Sequence[int] = DEFAULT_TOP_NS,
    total: float | None = None,
) -> dict[int, float]:
    """Share of the total shipped by the top ``n`` units, for each ``n`` in ``ns``.

    Inputs: ``values`` in US$ per unit; ``ns`` positive integers; ``total`` as in :func:`shares`.
    Output: ``{n: share}`` with int keys and fractions as values (read off
    :func:`lorenz_curve`'s ``cumulative_share`` at rank ``n``). When ``n`` exceeds the number of
    units, the share of all units is reported (the top 100 of 30 units ship everything they
    ship).
    """
    wanted = _check_ns(ns)
    cum = lorenz_curve(values, total)["cumulative_share"].to_numpy()
    idx = np.minimum(np.asarray(wanted, dtype=np.int64), len(cum)) - 1
    return {n: float(c) for n, c in zip(wanted, cum[idx], strict=True)}


def units_for_share(
    values: pd.Series, share: float = 0.5, total: float | None = None
) -> int | None:
    """The smallest number of top units that together ship at least ``share`` of the total.

    Inputs: ``values`` in US$ per unit; ``share`` a fraction in (0, 1]; ``total`` as in
    :func:`shares`. Output: an int (1 = the largest unit alone), or ``None`` when the attributed
    units together ship less than ``share`` of ``total`` (the rest is not attributed to any
    unit). The comparison allows a relative rounding error of 1e-12, so two equal units reach
    exactly 50% at 1 unit.
    """
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        raise InvalidInput(
            f"share must be a fraction in (0, 1], got {share!r}", [Problem("share", "range")]
        )
    cum = lorenz_curve(values, total)["cumulative_share"].to_numpy()
    reached = np.flatnonzero(cum >= share * (1 - 1e-12))
    return int(reached[0]) + 1 if len(reached) else None


# --------------------------------------------------------------------------------------------
# Indices
# --------------------------------------------------------------------------------------------


def hhi(values: pd.Series) -> float:
    """Herfindahl-Hirschman index: ``HHI = sum_i s_i^2`` with ``s_i = x_i / sum_j x_j``.

    Hirschman (1945, *National Power and the Structure of Foreign Trade*); Herfindahl (1950).
    Input: US$ per unit; shares are of the units' own sum (no unattributed part). Output: a
    fraction in [1/N, 1], N = units with exports; 1/N for N equal units, 1 when one unit has
    everything (multiply by 10,000 for the competition-policy scale). Zeros do not change it.
    """
    x = _nonempty(values)
    s = x.to_numpy() / float(x.sum())
    return _snap(float(np.dot(s, s)), 0.0, 1.0)


def hhi_normalised(values: pd.Series) -> float:
    """Normalised HHI: ``(HHI - 1/N) / (1 - 1/N)``, N = number of units with exports (> 0).

    The normalisation maps HHI's range [1/N, 1] onto [0, 1]: 0 when the N exporting units ship
    equal amounts, 1 when one unit ships everything. With N = 1 the formula is 0/0; we return
    1.0 (one unit ships everything: maximal concentration, and the limit of the index for one
    unit's share tending to 1). Input: US$ per unit. Output: a fraction in [0, 1].
    """
    x = _nonempty(values)
    n = _active(x)
    if n == 1:
        return 1.0
    return _snap((hhi(x) - 1 / n) / (1 - 1 / n), 0.0, 1.0)


def unctad_concentration_index(values: pd.Series) -> float:
    """UNCTAD product concentration index (a normalised Hirschman index).

    UNCTADstat's product concentration index of exports, as defined in the UNCTAD Handbook of
    Statistics ("Calculation methods") and the UNCTADstat methodological note
    UNCTAD/STAT/IE/2019/2::

        H = ( sqrt(sum_i s_i^2) - sqrt(1/N) ) / ( 1 - sqrt(1/N) )

    with ``s_i`` the unit's share of the location's exports and N the number of units (UNCTAD:
    SITC Rev.3 3-digit products) *with exports*. Unlike :func:`hhi_normalised` it normalises the
    square root of the HHI (Hirschman's original index), so it is larger for the same data.
    N = 1 returns 1.0 (as :func:`hhi_normalised`). Input: US$ per unit. Output: in [0, 1].
    """
    x = _nonempty(values)
    n = _active(x)
    if n == 1:
        return 1.0
    root = math.sqrt(1 / n)
    return _snap((math.sqrt(hhi(x)) - root) / (1 - root), 0.0, 1.0)


def gini(values: pd.Series) -> float:
    """Gini coefficient over every unit passed (zeros included), population formula.

    With values sorted ascending ``x_(1) <= ... <= x_(n)`` (Gini 1912; the sorted form is in
    e.g. Sen 1973, *On Economic Inequality*, and equals the mean absolute difference over twice
    the mean, ``sum_i sum_j |x_i - x_j| / (2 n^2 mean)``)::

        G = sum_i (2 i - n - 1) x_(i) / (n sum_i x_i)

    Range [0, (n - 1)/n]: 0 when all units ship the same, (n - 1)/n when one ships everything.
    Zeros count as units without exports because the Gini measures inequality over a
    population, and leaving them out would make the index jump *down* when a unit's exports
    fall from $1 to $0 (the function would no longer be continuous in the values). Pass
    ``values[values > 0]`` for the Gini among exporting units only. Input: US$ per unit.
    """
    x = _nonempty(values)
    v = np.sort(x.to_numpy())
    n = len(v)
    weights = 2 * np.arange(1, n + 1) - n - 1
    return _snap(float(np.dot(weights, v) / (n * v.sum())), 0.0, 1.0)


def _theil_array(v: np.ndarray) -> float:
    """Theil's T of a non-negative array with a positive sum; ``0 ln 0 = 0``."""
    n = len(v)
    r = v / (v.sum() / n)  # x_i / mean
    r = r[r > 0]
    return _snap(float(np.dot(r, np.log(r)) / n), 0.0, math.log(n))


def theil(values: pd.Series) -> float:
    """Theil's T index over every unit passed (zeros included, ``0 ln 0 = 0``).

    Theil (1967, *Economics and Information Theory*, ch. 4)::

        T = (1/n) sum_i (x_i / mu) ln(x_i / mu),   mu = (1/n) sum_i x_i

    equivalently ``ln n - H`` with H the Shannon entropy of the shares. Range [0, ln n]: 0 when
    all units ship the same, ln n when one ships everything. Units with zero exports raise T by
    exactly ``ln(n / n_active)``, see :func:`theil_decomposition`. Input: US$ per unit. Output:
    a non-negative number (nats; not bounded by 1).
    """
    x = _nonempty(values)
    return _theil_array(x.to_numpy())


class TheilDecomposition(TypedDict):
    """Result of :func:`theil_decomposition`; ``theil == extensive + intensive``."""

    theil: float
    extensive: float
    intensive: float
    n_potential: int
    n_active: int


def theil_decomposition(values: pd.Series, n_potential: int) -> TheilDecomposition:
    """Theil's T split into extensive and intensive margins (Cadot, Carrere & Strauss-Kahn).

    Cadot, Carrere & Strauss-Kahn (2011), "Export diversification: what's behind the hump?",
    *Review of Economics and Statistics* 93(2): 590-605, decomposition of Theil's index into
    extensive and intensive margins: the ``n`` potential units (e.g. all HS6 lines, all
    districts) are split into the ``n_a`` active units (exports > 0) and the inactive ones.
    Theil's between/within-group decomposition (Theil 1967)
    ``T = sum_g (n_g/n)(mu_g/mu) T_g + sum_g (n_g/n)(mu_g/mu) ln(mu_g/mu)`` then has
    ``mu_inactive = 0`` and ``(n_a/n)(mu_a/mu) = 1``, so::

        T (over all n units)  =  ln(n / n_a)        [between groups: extensive margin]
                              +  T_a                [within active units: intensive margin]

    Inputs: ``values`` in US$ per unit (may include zeros); ``n_potential`` = n, the number of
    potential units, at least ``len(values)``: units not listed count as zeros.
    Output keys: ``theil`` (T over all n units, computed directly from the definition with the
    unlisted units as zeros, so the identity is a check, not a construction), ``extensive``
    (``ln(n / n_a)``), ``intensive`` (T over the active units), ``n_potential``, ``n_active``.
    """
    x = _nonempty(values)
    if isinstance(n_potential, bool) or not isinstance(n_potential, int | np.integer):
        raise InvalidInput(
            f"n_potential must be an integer, got {n_potential!r}",
            [Problem("n_potential", "not an integer")],
        )
    if n_potential < len(x):
        raise InvalidInput(
            f"n_potential ({n_potential}) is smaller than the number of units passed ({len(x)})",
            [Problem("n_potential", "smaller than len(values)")],
        )
    v = x.to_numpy()
    full = np.zeros(int(n_potential))
    full[: len(v)] = v
    n_active = _active(x)
    return {
        "theil": _theil_array(full),
        "extensive": math.log(int(n_potential) / n_active),
        "intensive": _theil_array(v[v > 0]),
        "n_potential": int(n_potential),
        "n_active": n_active,
    }


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------


class ConcentrationSummary(TypedDict):
    """Result of :func:`concentration_summary` (see its docstring for each key)."""

    period: str
    unit: str
    total: float
    attributed: float
    unattributed: float
    unattributed_share: float
    units: int
    units_with_exports: int
    top_shares: dict[int, float]
    units_for_half: int | None
    hhi: float
    hhi_normalised: float
    unctad: float
    gini: float
    theil: float


def concentration_summary(
    values: pd.Series,
    *,
    unattributed: float = 0.0,
    period: str,
    unit_label: str,
) -> ConcentrationSummary:
    """Every concentration figure of one period, for a page, a report or the API.

    Inputs: ``values`` in US$ per unit (zeros = units without exports); ``unattributed``
    (US$) exports not attributed to any unit; ``period`` (e.g. ``"2024-25"``) and
    ``unit_label`` (e.g. ``"district"``) are copied to the output.

    Output keys: ``period``; ``unit`` (= ``unit_label``); ``total`` (US$, attributed +
    unattributed: India's total); ``attributed`` and ``unattributed`` (US$);
    ``unattributed_share`` (of ``total``); ``units`` (units passed) and
    ``units_with_exports`` (value > 0); ``top_shares`` ({1, 5, 10, 15, 25, 50, 100} -> share
    of ``total``; **int keys** — a JSON encoder turns them into strings); ``units_for_half``
    (top units needed for 50% of ``total``, None if unreachable); and, over the *attributed
    units only* (an unattributed remainder is not a unit and has no size distribution):
    ``hhi``, ``hhi_normalised``, ``unctad``, ``gini`` and ``theil`` (the last two over every
    unit passed, zeros included).
    """
    x = _nonempty(values)
    u = _amount(unattributed, "unattributed")
    attributed = float(x.sum())
    total = attributed + u
    return {
        "period": period,
        "unit": unit_label,
        "total": total,
        "attributed": attributed,
        "unattributed": u,
        "unattributed_share": u / total,
        "units": len(x),
        "units_with_exports": _active(x),
        "top_shares": top_shares(x, DEFAULT_TOP_NS, total=total),
        "units_for_half": units_for_share(x, 0.5, total=total),
        "hhi": hhi(x),
        "hhi_normalised": hhi_normalised(x),
        "unctad": unctad_concentration_index(x),
        "gini": gini(x),
        "theil": theil(x),
    }
