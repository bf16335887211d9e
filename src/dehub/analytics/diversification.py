"""Diversification of one location's exports across products and partners, and the margins
of export growth between two periods.

Inputs are one location's exports in US$ as a pandas Series indexed by product code (HS, sector)
or partner code (ISO3), checked by :func:`dehub.analytics.concentration.validate_values`
(negative, NaN or infinite values raise :class:`~dehub.errors.InvalidInput`; zero = not
exported). :func:`diversification_table` computes the same figures for many locations at once
from a long DataFrame. Formulas, sources and conventions: ``docs/analytics-formulas.md``.
"""

from __future__ import annotations

import math
from typing import TypedDict

import numpy as np
import pandas as pd

from dehub.analytics.concentration import validate_values
from dehub.analytics.growth import aligned
from dehub.errors import InvalidInput, Problem


def _positive(values: pd.Series, name: str) -> np.ndarray:
    """The positive values of a validated Series, as an array."""
    v = validate_values(values, name).to_numpy()
    return v[v > 0]


def _shares_of_positive(values: pd.Series, name: str = "values") -> np.ndarray:
    v = _positive(values, name)
    if len(v) == 0:
        raise InvalidInput(
            f"{name}: no unit has exports (all values are zero or none given), so shares are "
            "undefined",
            [Problem(name, "no positive value")],
        )
    return np.asarray(v / v.sum(), dtype=np.float64)


def n_products(values: pd.Series) -> int:
    """Number of products exported: products with value > 0 (US$ per product code).

    The count of active export lines, the extensive margin of Cadot, Carrere & Strauss-Kahn
    (2011, REStat 93(2)); at the location level it is the "diversity" of Hidalgo & Hausmann
    (2009) before the RCA filter (see :func:`count_rca_at_least_one`). Output: an int >= 0.
    """
    return len(_positive(values, "values"))


def n_partners(values: pd.Series) -> int:
    """Number of partner countries with exports > 0 (US$ per ISO3 partner code). Output: int."""
    return len(_positive(values, "values"))


def shannon_entropy(values: pd.Series) -> float:
    """Shannon entropy of the export shares, in nats (natural logarithm).

    Shannon (1948), "A mathematical theory of communication", *Bell System Technical Journal*
    27: ``H = - sum_i s_i ln s_i`` over units with exports, ``s_i = x_i / sum_j x_j`` (``0 ln 0
    = 0``, so zeros do not matter). Range [0, ln N], N = units with exports: 0 for one product,
    ln N for N equal ones. Related to Theil's index by ``T = ln n - H`` (Theil 1967).
    Input: US$ per unit. Output: a number in nats.
    """
    s = _shares_of_positive(values)
    h = float(-np.dot(s, np.log(s)))
    return max(h, 0.0) if h > -1e-12 else h  # -0.0 and rounding below 0 for one unit


def normalised_entropy(values: pd.Series, n_potential: int | None = None) -> float:
    """Entropy divided by its maximum: ``J = H / ln N`` (Pielou 1966, "The measurement of
    diversity in different types of biological collections", *J. Theor. Biol.* 13, evenness).

    N is the number of units with exports by default (evenness among what is exported), or
    ``n_potential`` (e.g. all HS6 lines or all partner countries) to also penalise what is not
    exported; then ``J = 1 - T / ln n`` with T Theil's index over the n potential units.
    N = 1 returns 0.0 (one unit: no diversification; the formula is 0/0). Input: US$ per unit.
    Output: a fraction in [0, 1] (1 = exports spread equally over N units).
    """
    s = _shares_of_positive(values)
    n = len(s)
    if n_potential is not None:
        if isinstance(n_potential, bool) or not isinstance(n_potential, int | np.integer):
            raise InvalidInput(
                f"n_potential must be an integer, got {n_potential!r}",
                [Problem("n_potential", "not an integer")],
            )
        if n_potential < len(values):
            raise InvalidInput(
                f"n_potential ({n_potential}) is smaller than the number of units passed "
                f"({len(values)})",
                [Problem("n_potential", "smaller than len(values)")],
            )
        n = int(n_potential)
    if n == 1:
        return 0.0
    j = float(-np.dot(s, np.log(s)) / math.log(n))
    return min(max(j, 0.0), 1.0) if -1e-9 < j < 1 + 1e-9 else j


def top_share(values: pd.Series) -> float:
    """Share of the largest unit (product or partner) in the location's exports.

    ``max_i x_i / sum_j x_j`` — the one-unit concentration ratio CR1. Input: US$ per unit.
    Output: a fraction in (0, 1].
    """
    return float(_shares_of_positive(values).max())


def count_rca_at_least_one(rca: pd.Series, threshold: float = 1.0) -> int:
    """Number of products in which the location has revealed comparative advantage.

    Balassa (1965), "Trade liberalisation and revealed comparative advantage", *The Manchester
    School* 33(2): ``RCA_cp = (X_cp / X_c) / (X_p / X)``; the location "has" product p when
    ``RCA_cp >= 1`` (``M_cp = 1``); the count is the diversity ``k_c,0`` of Hidalgo & Hausmann
    (2009). Input: RCA (dimensionless, >= 0) per product code; NaN (undefined RCA, e.g. a
    product nobody exports) raises instead of being read as 0. Output: an int.
    """
    r = validate_values(rca, "rca").to_numpy()
    return int((r >= threshold).sum())


# --------------------------------------------------------------------------------------------
# Many locations at once
# --------------------------------------------------------------------------------------------


def diversification_table(
    df: pd.DataFrame, *, location: str, item: str, value: str = "value_usd"
) -> pd.DataFrame:
    """Diversification figures of every location in a long table (vectorised, by group).

    Input: one row per (``location``, ``item``) — item = product or partner code — with
    ``value`` in US$ (no NaN, negative or infinite values; a pair listed twice is refused:
    aggregate first). Output: one row per location, sorted by location, with columns
    ``location`` (named as the input column), ``total`` (US$), ``n_items`` (items with exports,
    :func:`n_products`), ``entropy`` (:func:`shannon_entropy`, nats), ``normalised_entropy``
    (:func:`normalised_entropy` with N = ``n_items``), ``hhi`` (sum of squared shares) and
    ``top_share`` (:func:`top_share`). For a location whose total is 0 the share-based columns
    are NaN (undefined), not 0.
    """
    missing = [c for c in (location, item, value) if c not in df.columns]
    if missing:
        raise InvalidInput(
            f"columns {missing!r} not in the table (it has {list(df.columns)!r})",
            [Problem(c, "missing column") for c in missing],
        )
    null_keys = df[[location, item]].isna().any(axis=1).to_numpy()
    if null_keys.any():
        raise InvalidInput(
            f"{int(null_keys.sum())} row(s) have no {location!r} or {item!r} code; exports not "
            "attributed to a location or item are not a location or item: leave them out",
            [Problem(location, "missing codes")],
        )
    keys = pd.MultiIndex.from_frame(df[[location, item]])
    v = validate_values(pd.Series(df[value].to_numpy(), index=keys), value).to_numpy()
    loc = df[location].to_numpy()
    total = pd.Series(v).groupby(loc).transform("sum").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(total > 0, v / total, np.nan)
        plogp = np.where(s > 0, s * np.log(np.where(s > 0, s, 1.0)), 0.0)
    plogp = np.where(np.isnan(s), np.nan, plogp)
    parts = pd.DataFrame(
        {"total": v, "n_items": v > 0, "entropy": -plogp, "hhi": s * s, "top_share": s}
    )
    grouped = parts.groupby(loc, sort=True)
    out = grouped[["total", "entropy", "hhi"]].sum(min_count=1)
    out["n_items"] = grouped["n_items"].sum().astype("int64")
    out["top_share"] = grouped["top_share"].max()
    n = out["n_items"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        norm = np.where(n > 1, out["entropy"].to_numpy() / np.log(np.maximum(n, 2)), 0.0)
    out["normalised_entropy"] = np.where(n == 0, np.nan, norm)
    out["entropy"] = out["entropy"].clip(lower=0.0)  # -0.0 for one-item locations
    out.index.name = location
    columns = ["total", "n_items", "entropy", "normalised_entropy", "hhi", "top_share"]
    return out[columns].reset_index()


# --------------------------------------------------------------------------------------------
# Margins of export growth
# --------------------------------------------------------------------------------------------


class Margins(TypedDict):
    """Result of :func:`margins`; ``change == new - lost + continuing_change``."""

    prev_total: float
    curr_total: float
    change: float
    new: float
    lost: float
    continuing_change: float
    extensive_net: float
    n_new: int
    n_lost: int
    n_continuing: int
    new_pct_points: float
    lost_pct_points: float
    continuing_pct_points: float


def margins(prev: pd.Series, curr: pd.Series) -> Margins:
    """Extensive and intensive margins of a location's export growth between two periods.

    The additive decomposition used with the margins literature (Hummels & Klenow 2005, "The
    variety and quality of a nation's exports", *AER* 95(3): 704-723; Besedes & Prusa 2011,
    "The role of extensive and intensive margins and export growth", *J. Dev. Econ.* 96(2):
    371-379): with units = products or markets (or product x market pairs, as the caller
    indexes them)::

        change = sum(curr) - sum(prev)
               = sum_{new} curr_i                      extensive margin: new units
               - sum_{lost} prev_i                     lost units (reported separately)
               + sum_{continuing} (curr_i - prev_i)    intensive margin: continuing units

    new: prev = 0 (or absent), curr > 0; lost: prev > 0, curr = 0 (or absent); continuing:
    both > 0. This is an accounting identity, not Hummels & Klenow's index-number margins (which
    weight categories by world trade) nor Besedes & Prusa's survival analysis; it shares their
    definitions of "new" and "continuing".

    Inputs: US$ per unit for the two periods (absent = 0, see
    :func:`dehub.analytics.growth.aligned`). Output keys
    (US$ unless stated): ``prev_total``, ``curr_total``, ``change``, ``new``, ``lost`` (a
    positive amount: what lost units shipped in ``prev``), ``continuing_change``,
    ``extensive_net`` (new - lost), counts ``n_new``, ``n_lost``, ``n_continuing``, and
    ``new_pct_points``, ``lost_pct_points`` (negative), ``continuing_pct_points``: each term as
    percentage points of growth on ``prev_total`` (they sum to the growth rate in %); NaN when
    ``prev_total`` is 0 (growth from zero is undefined).
    """
    p, c = aligned(prev, curr)
    pv, cv = p.to_numpy(), c.to_numpy()
    new = (pv == 0) & (cv > 0)
    lost = (pv > 0) & (cv == 0)
    cont = (pv > 0) & (cv > 0)
    prev_total, curr_total = float(pv.sum()), float(cv.sum())
    new_sum = float(cv[new].sum())
    lost_sum = float(pv[lost].sum())
    cont_change = float((cv[cont] - pv[cont]).sum())

    def pct(amount: float) -> float:
        return 100.0 * amount / prev_total if prev_total > 0 else math.nan

    return {
        "prev_total": prev_total,
        "curr_total": curr_total,
        "change": curr_total - prev_total,
        "new": new_sum,
        "lost": lost_sum,
        "continuing_change": cont_change,
        "extensive_net": new_sum - lost_sum,
        "n_new": int(new.sum()),
        "n_lost": int(lost.sum()),
        "n_continuing": int(cont.sum()),
        "new_pct_points": pct(new_sum),
        "lost_pct_points": pct(-lost_sum),
        "continuing_pct_points": pct(cont_change),
    }
