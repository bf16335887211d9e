"""Export potential: the ITC Export Potential Indicator (EPI), with a district as the supplier.

Source: Decreux, Y. & Spies, J. (2016). *Export Potential Assessments: A methodology to
identify export opportunities for developing countries*. International Trade Centre (ITC),
Geneva. The formulas below follow the paper's structure as transcribed in dehub's design notes
(the paper's own text was not available offline to check every detail).

Notation: exporter ``i`` (India), market ``j`` (an importing country), product ``k`` (HS6).
``v_jk`` = j's imports of k from all suppliers; ``v_ijk`` = i's exports of k to j (the
*actual* value); ``v_k = sum_j v_jk`` (world trade in k, which includes i's own imports);
``v_ik = sum_{j != i} v_ijk``; ``v_ij = sum_k v_ijk``; ``m_ik`` = i's imports of k
(= ``v_jk`` at ``j = i``). All values in US$ (one year).

The three components and the potential, per exporter x market x product::

    supply_ik  = (v_ik / v_k) * min(1, v_ik / m_ik)                      [a share, 0-1]
    demand_jk  = v_jk * demand_factor_jk                                  [US$]
    ease_ij    = distance_ijk * v_ij / sum_k (v_ik / v_k) * v_jk          [pure number]
    distance_ijk = exp(-|mean log dist of j's suppliers of k - log dist_ij|)
    raw_ijk    = supply_ik * demand_jk * ease_ij                          [US$]
    potential_ijk = raw_ijk * (sum_jk v_ijk) / (sum_jk raw_ijk)           [US$]
    untapped_ijk  = potential_ijk - min(v_ijk, potential_ijk)             [US$, >= 0]

**What is implemented, and what is not (vs the paper):**

* *Supply*: the exporter's world market share and the paper's net-importer penalty
  ``min(1, x_ik / m_ik)`` (not applied where ``m_ik = 0``). **Not implemented**: the share's
  5-year projection with GDP growth (``ΔGDP_i``; one year of data, so the current share is
  used) and the global tariff disadvantage ``(1 + t̄_ik) / (1 + t̄_k)`` (no tariff data):
  both are the neutral value 1.
* *Demand*: the market's current imports. **Not implemented**: the projection
  ``(ΔGDP_j / ΔPOP_j)^ε_jk · ΔPOP_j`` and the relative tariff ``(1 + t̄_jk) / (1 + t_ijk)``
  (no projections, elasticities or tariffs): both neutral, 1. A caller with such data passes
  their product as the optional column ``demand_factor``.
* *Ease of trade*: the bilateral term ``v_ij / sum_k (v_ik / v_k) v_jk`` (actual trade
  between i and j relative to what i's world market shares predict) is implemented. The
  distance term needs each market's suppliers of each product and their distances; the
  optional columns ``log_dist_suppliers`` (trade-weighted mean log distance, km, of j's
  suppliers of k) and ``log_dist_exporter`` (log distance i-j, km) switch it on; without
  them it is the neutral value 1 (dehub's bundled world data has importer totals, not
  importer x supplier flows, so it is 1 there).
* *Scaling*: potentials are scaled so that they sum to the exporter's actual total over the
  markets and products in the data (the paper's final scaling).

Edge cases (no guessing): a market to which i exports nothing has ``ease = 0`` and so no
potential (``v_ij = 0``; the paper's formula); a market whose imports include none of i's
products (``sum_k (v_ik / v_k) v_jk = 0``) likewise. A product i does not export has supply 0.
Markets or products missing from the input are simply absent from the output; callers say so.

**A district as the supplier** (:func:`attribute_to_supplier`): dehub replaces India's supply
by the district's share of it, ``supply_dk = s_dk * supply_ik``, where ``s_dk`` is the
district's share of India's exports of the product at the finest granularity the district data
has (:func:`supplier_shares`, :func:`basis_codes`). Demand and ease are India's (the data has
no district x market flows), and the scaling factor is India's, so
``potential_djk = s_dk * potential_ijk`` and ``untapped_djk = s_dk * untapped_ijk`` (an
attribution of India's figures, not a measurement of the district's own trade).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from dehub.analytics.rca import as_categorical, check_long
from dehub.errors import InvalidInput, Problem

POTENTIAL_COLUMNS = (
    "market",
    "product",
    "imports_usd",
    "actual_usd",
    "world_usd",
    "exporter_usd",
    "exporter_imports_usd",
    "world_share",
    "net_importer_penalty",
    "supply",
    "demand_factor",
    "demand",
    "bilateral_usd",
    "expected_bilateral_usd",
    "bilateral_factor",
    "distance_factor",
    "ease",
    "raw_potential_usd",
    "potential_usd",
    "untapped_usd",
    "share_of_market",
)
"""Output columns of :func:`export_potential`, in order."""


def _sum_by(codes: NDArray[Any], values: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    return np.bincount(codes, weights=values, minlength=n).astype(np.float64, copy=False)


def _ratio(num: NDArray[np.float64], den: NDArray[np.float64]) -> NDArray[np.float64]:
    """``num / den`` with 0 where ``den`` is 0."""
    out: NDArray[np.float64] = np.divide(
        num, den, out=np.zeros_like(num, dtype=np.float64), where=den > 0
    )
    return out


def _optional(trade: pd.DataFrame, column: str) -> NDArray[np.float64] | None:
    if column not in trade.columns:
        return None
    values = pd.to_numeric(trade[column], errors="coerce").to_numpy(dtype=np.float64)
    if not np.isfinite(values).all():
        raise InvalidInput(f"column {column!r} has missing or infinite values")
    return values


def export_potential(
    trade: pd.DataFrame, exporter: str, *, net_importer_penalty: bool = True
) -> pd.DataFrame:
    """The ITC Export Potential Indicator of ``exporter`` in every market x product
    (Decreux & Spies 2016, ITC; see the module docstring for the formulas and what is not
    implemented).

    Args:
        trade: one row per market x product with imports, the whole world of the data:
            ``market`` (ISO3), ``product`` (e.g. HS6), ``imports_usd`` (v_jk, US$, > 0 or 0),
            ``actual_usd`` (v_ijk: the exporter's exports of the product to the market, US$,
            0 where none; never above ``imports_usd``). The exporter's own row(s)
            (``market == exporter``) give its imports ``m_ik`` and count in world trade, and
            are not markets. Optional columns: ``demand_factor`` (> 0; projections x tariff
            ratio; default 1), ``log_dist_suppliers`` and ``log_dist_exporter`` (both, for the
            distance term; default: distance factor 1).
        exporter: the exporter's market code (e.g. ``"IND"``).
        net_importer_penalty: apply ``min(1, v_ik / m_ik)`` (default True).

    Returns:
        One row per market x product of ``trade`` except the exporter's own, columns
        :data:`POTENTIAL_COLUMNS`: ``imports_usd`` (v_jk), ``actual_usd`` (v_ijk),
        ``world_usd`` (v_k), ``exporter_usd`` (v_ik), ``exporter_imports_usd`` (m_ik),
        ``world_share`` (v_ik / v_k), ``net_importer_penalty`` (0-1), ``supply`` (0-1),
        ``demand_factor``, ``demand`` (US$), ``bilateral_usd`` (v_ij), ``expected_bilateral_usd``
        (sum_k (v_ik / v_k) v_jk), ``bilateral_factor``, ``distance_factor`` (0-1), ``ease``,
        ``raw_potential_usd`` (before scaling), ``potential_usd`` (scaled: sums to the sum of
        ``actual_usd``), ``untapped_usd`` (>= 0), ``share_of_market`` (v_ijk / v_jk, 0-1).
        ``market`` and ``product`` are Categoricals of the input's codes. Sorted by
        ``untapped_usd``, largest first (ties keep input order). The scaling factor is in
        ``result.attrs["scale"]``.

    Raises:
        InvalidInput: missing columns, negative / NaN values, repeated market x product,
            actual above imports, or an exporter with no exports in the data.
    """
    check_long(trade, ["market", "product"], "imports_usd")
    check_long(trade, ["market", "product"], "actual_usd", duplicates=False)
    imports = trade["imports_usd"].to_numpy(dtype=np.float64)
    actual = trade["actual_usd"].to_numpy(dtype=np.float64)
    over = actual > imports * (1 + 1e-9)
    if over.any():
        rows = np.flatnonzero(over)[:5]
        raise InvalidInput(
            f"{int(over.sum())} rows have the exporter's exports above the market's imports",
            [
                Problem(f"row {int(r)}", f"{trade['market'].iloc[r]} {trade['product'].iloc[r]}")
                for r in rows
            ],
        )
    demand_factor = _optional(trade, "demand_factor")
    if demand_factor is not None and (demand_factor <= 0).any():
        raise InvalidInput("column 'demand_factor' must be > 0")
    dist_sup, dist_exp = (
        _optional(trade, "log_dist_suppliers"),
        _optional(trade, "log_dist_exporter"),
    )
    if (dist_sup is None) != (dist_exp is None):
        raise InvalidInput(
            "the distance term needs both 'log_dist_suppliers' and 'log_dist_exporter'"
        )

    market = trade["market"].astype(str).to_numpy()
    own = market == exporter
    pc, products = pd.factorize(trade["product"], sort=False)
    n_p = len(products)
    world = _sum_by(pc, imports, n_p)  # v_k
    m_ik = _sum_by(pc[own], imports[own], n_p)
    keep = ~own
    mc, markets = pd.factorize(market[keep], sort=False)
    pc, imports, actual = pc[keep], imports[keep], actual[keep]
    x_ik = _sum_by(pc, actual, n_p)  # v_ik
    if x_ik.sum() <= 0:
        raise InvalidInput(f"{exporter} has no exports in the data: no potential to assess")
    share_k = _ratio(x_ik, world)
    penalty_k = (
        np.where(m_ik > 0, np.minimum(1.0, _ratio(x_ik, m_ik)), 1.0)
        if net_importer_penalty
        else np.ones(n_p)
    )
    supply = (share_k * penalty_k)[pc]
    factor = np.ones(len(pc)) if demand_factor is None else demand_factor[keep]
    demand = imports * factor
    n_m = len(markets)
    v_ij = _sum_by(mc, actual, n_m)
    expected = _sum_by(mc, share_k[pc] * imports, n_m)
    bilateral = _ratio(v_ij, expected)
    if dist_sup is None or dist_exp is None:
        distance = np.ones(len(pc))
    else:
        distance = np.exp(-np.abs(dist_sup[keep] - dist_exp[keep]))
    ease = distance * bilateral[mc]
    raw = supply * demand * ease
    total_raw = raw.sum()
    if total_raw <= 0:
        raise InvalidInput(f"{exporter}'s potential is zero in every market: nothing to scale")
    scale = float(actual.sum() / total_raw)
    potential = raw * scale
    untapped = potential - np.minimum(actual, potential)
    order = np.argsort(-untapped, kind="stable")
    columns: dict[str, Any] = {
        "market": as_categorical(mc[order], pd.Index(np.asarray(markets, dtype=object))),
        "product": as_categorical(pc[order], pd.Index(np.asarray(products, dtype=object))),
        "imports_usd": imports,
        "actual_usd": actual,
        "world_usd": world[pc],
        "exporter_usd": x_ik[pc],
        "exporter_imports_usd": m_ik[pc],
        "world_share": share_k[pc],
        "net_importer_penalty": penalty_k[pc],
        "supply": supply,
        "demand_factor": factor,
        "demand": demand,
        "bilateral_usd": v_ij[mc],
        "expected_bilateral_usd": expected[mc],
        "bilateral_factor": bilateral[mc],
        "distance_factor": distance,
        "ease": ease,
        "raw_potential_usd": raw,
        "potential_usd": potential,
        "untapped_usd": untapped,
        "share_of_market": _ratio(actual, imports),
    }
    for name in POTENTIAL_COLUMNS[2:]:
        columns[name] = columns[name][order]
    out = pd.DataFrame(columns, copy=False)
    out.attrs["scale"] = scale
    return out


def basis_codes(products: pd.Series, level: str, hs2_sectors: pd.Series | None = None) -> pd.Series:
    """The code of each HS6 product at the level of the supplier's data: its first 2/4/6
    digits for ``HS2``/``HS4``/``HS6`` (an HS8 district file is summed to HS6 first), or its
    sector (``level="sector"``) through ``hs2_sectors`` (HS2 chapter -> sector; chapters of no
    sector map to ``<NA>``). Output: a string Series aligned with ``products``."""
    codes = products.astype(str)
    if level == "sector":
        if hs2_sectors is None:
            raise InvalidInput("level 'sector' needs the HS2 -> sector mapping")
        return codes.str.slice(0, 2).map(hs2_sectors).astype("string")
    if level not in ("HS2", "HS4", "HS6"):
        raise InvalidInput(f"unknown supplier data level {level!r}: sector, HS2, HS4 or HS6")
    return codes.str.slice(0, int(level[2:])).astype("string")


def supplier_shares(values: pd.DataFrame, located: pd.Series) -> pd.DataFrame:
    """Each location's share of the national exports of each basis code (the supplier share
    ``s_dk`` of :func:`attribute_to_supplier`).

    Args:
        values: ``loc``, ``code`` (sector or HS code at the data's level), ``value_usd`` (US$),
            every row of one release and period, including exports not attributed to any
            location (their ``located`` flag False: they count in the national total only).
        located: bool per row of ``values``.

    Returns:
        ``loc``, ``code``, ``value_usd``, ``national_usd`` (all rows of the code),
        ``supplier_share`` (0-1), for located rows with a positive value.
    """
    check_long(values, ["loc", "code"], "value_usd")
    national = values.groupby("code", observed=True)["value_usd"].transform("sum")
    out = values.assign(national_usd=national)[located.to_numpy(dtype=bool)]
    out = out[out["value_usd"] > 0].copy()
    out["supplier_share"] = out["value_usd"] / out["national_usd"]
    return out.reset_index(drop=True)


def attribute_to_supplier(
    potential: pd.DataFrame, share: pd.Series | NDArray[np.float64]
) -> pd.DataFrame:
    """A sub-national supplier's export potential: India's EPI times the supplier's share of
    India's exports of each product (see the module docstring).

    Args:
        potential: rows of :func:`export_potential` (at least ``product``, ``supply``,
            ``actual_usd``, ``potential_usd``, ``untapped_usd``).
        share: the supplier's share (0-1) of India's exports, one per row of ``potential``
            (aligned by position), from :func:`supplier_shares` via :func:`basis_codes`; 0
            where it does not export the product.

    Returns:
        ``potential`` with ``supplier_share``, ``supplier_supply`` (share x India's supply),
        ``supplier_potential_usd``, ``supplier_actual_usd`` (India's actual exports times the
        share: attributed, not observed), ``supplier_untapped_usd`` (= share x India's untapped
        potential, >= 0), all US$ except the shares.
    """
    s = np.asarray(share, dtype=np.float64)
    if s.shape != (len(potential),):
        raise InvalidInput(f"{s.size} supplier shares for {len(potential)} rows")
    if not np.isfinite(s).all() or (s < 0).any() or (s > 1 + 1e-9).any():
        raise InvalidInput("supplier shares must be between 0 and 1")
    columns: dict[str, Any] = {
        "supplier_share": s,
        "supplier_supply": s * potential["supply"].to_numpy(dtype=np.float64),
        "supplier_potential_usd": s * potential["potential_usd"].to_numpy(dtype=np.float64),
        "supplier_actual_usd": s * potential["actual_usd"].to_numpy(dtype=np.float64),
        "supplier_untapped_usd": s * potential["untapped_usd"].to_numpy(dtype=np.float64),
    }
    return potential.assign(**columns)


def opportunities(complexity: pd.DataFrame, loc: str, location: str) -> pd.DataFrame:
    """Diversification opportunities of one location: the products it does not export with
    comparative advantage (``mcp == 0``, RCA < 1), nearest first in the product space.

    Hidalgo, Klinger, Barabási & Hausmann (2007), *Science* 317: density (how many of the
    products near ``p`` the location already exports with RCA >= 1, in 0-1); Hausmann et al.
    (2014), *Atlas*: Complexity Outlook Gain (COG, PCI units: how much diversifying into ``p``
    would add to the location's outlook).

    Args:
        complexity: output of :func:`dehub.analytics.complexity.complexity_long` (one period).
        loc: its location column; ``location``: the location's code.

    Returns:
        The location's rows with ``mcp == 0`` and a defined density, sorted by ``density``
        then ``cog`` (largest first); columns as in ``complexity``.
    """
    rows = complexity[complexity[loc].astype(str) == location]
    if rows.empty:
        raise InvalidInput(f"location {location!r} is not in the product space")
    mcp = rows["mcp"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    density = rows["density"].to_numpy(dtype=np.float64)
    keep = (mcp == 0) & np.isfinite(density)
    out: pd.DataFrame = rows[keep].sort_values(["density", "cog"], ascending=False, kind="stable")
    return out.reset_index(drop=True)
