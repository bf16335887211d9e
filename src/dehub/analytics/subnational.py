"""Subnational economic complexity from an external PCI (Hidalgo & Hausmann 2009).

``ECI_c = (1 / k_c) sum_p M_cp PCI_p``: the mean external PCI of the products a location (a
district, a state) exports with comparative advantage. Sources:

* Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic complexity. *PNAS*
  106(26), 10570-10575 — the reflection identity ``k_c,N = (1 / k_c,0) sum_p M_cp k_p,N-1``.
* Hausmann, R. et al. (2014). *The Atlas of Economic Complexity*. MIT Press — PCI of products
  from world trade, the usual external PCI.
* Balassa (1965) for the RCA behind ``M``: :mod:`dehub.analytics.rca`.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from dehub.analytics.rca import check_long, check_threshold, dense_matrix, rca_long
from dehub.errors import InvalidInput, Problem

FloatArray = NDArray[np.float64]

__all__ = ["SUBNATIONAL_COLUMNS", "subnational_eci", "subnational_eci_long"]

Vector = pd.Series | NDArray[Any]


@overload
def subnational_eci(
    mcp_or_shares: pd.DataFrame,
    pci_external: Vector,
    *,
    world_product_shares: Vector | None = ...,
    rca_threshold: float = ...,
) -> pd.Series: ...
@overload
def subnational_eci(
    mcp_or_shares: NDArray[Any],
    pci_external: Vector,
    *,
    world_product_shares: Vector | None = ...,
    rca_threshold: float = ...,
) -> FloatArray: ...
def subnational_eci(
    mcp_or_shares: pd.DataFrame | NDArray[Any],
    pci_external: Vector,
    *,
    world_product_shares: Vector | None = None,
    rca_threshold: float = 1.0,
) -> pd.Series | FloatArray:
    """ECI of subnational units from an external PCI: the mean PCI of the products with M = 1.

    ``ECI_c = (1 / k_c) sum_p M_cp PCI_p``. This is the reflection identity of Hidalgo &
    Hausmann (2009, *PNAS*) — ``k_c,N = (1 / k_c,0) sum_p M_cp k_p,N-1`` — which the ECI/PCI of
    Hausmann et al. (2014, *Atlas*) satisfy exactly under py-ecomplexity's normalisation
    (:func:`complexity_matrix`'s ECI equals this function applied to its own PCI). With an
    external PCI (e.g. the Atlas's PCI of HS products from world trade), it places districts on
    the countries' complexity scale; it is how the Observatory of Economic Complexity computes
    its subnational ECI (Datawheel ``logiclayer_complexity``: mean global PCI over the
    products with subnational RCA >= 1, RCA against world product shares). The
    export-share-weighted mean (an EXPY-style measure, Hausmann, Hwang & Rodrik 2007) is a
    different indicator and is not computed here.

    Args:
        mcp_or_shares: locations x products. Without ``world_product_shares``: the 0/1 matrix
            ``M`` (e.g. from domestic RCA, :func:`dehub.analytics.rca.rca_matrix` >= 1).
            With it: the locations' export values or shares by product (rows are normalised to
            shares), and ``M = 1[(X_cp / X_c) / world_share_p >= rca_threshold]``. A DataFrame
            (index locations, columns products) is aligned with Series by product code.
        pci_external: PCI of every product (no NaN), e.g. the Atlas's standardised PCI.
        world_product_shares: optional: each product's share of world (or national) exports,
            X_p / X, > 0 for every product a location exports.
        rca_threshold: threshold of ``M`` when computed from shares (default 1).

    Returns:
        ECI per location in the units of ``pci_external`` (not re-standardised, so districts
        stay comparable with countries); NaN for a location with no product at M = 1. A Series
        named ``eci`` indexed by location for DataFrame input, else a numpy array.

    Raises:
        InvalidInput: mismatched lengths, products missing from ``pci_external``, NaN PCI,
            a non-0/1 ``M``, negative values, or a zero world share for an exported product.
    """
    frame = mcp_or_shares if isinstance(mcp_or_shares, pd.DataFrame) else None
    x = dense_matrix(frame.to_numpy(dtype=np.float64) if frame is not None else mcp_or_shares)
    pci = _aligned(pci_external, frame, x.shape[1], "pci_external")
    if np.isnan(pci).any():
        raise InvalidInput(f"pci_external has {int(np.isnan(pci).sum())} NaN value(s)")
    if world_product_shares is None:
        if not np.isin(x, (0.0, 1.0)).all():
            raise InvalidInput(
                "mcp_or_shares is not a 0/1 matrix M: pass world_product_shares to compute M "
                "from export shares, or compute M with dehub.analytics.rca.rca_matrix"
            )
        m = x
    else:
        check_threshold(rca_threshold)
        world = _aligned(world_product_shares, frame, x.shape[1], "world_product_shares")
        if not np.isfinite(world).all() or (world < 0).any():
            raise InvalidInput("world_product_shares must be finite and non-negative")
        exported = (x > 0).any(axis=0)
        if (exported & (world <= 0)).any():
            raise InvalidInput(
                f"{int((exported & (world <= 0)).sum())} exported product(s) have a world "
                "share of 0: RCA is undefined"
            )
        row = x.sum(axis=1)
        shares = x / np.where(row > 0, row, 1.0)[:, np.newaxis]
        m = (shares / np.where(world > 0, world, 1.0)[np.newaxis, :] >= rca_threshold).astype(
            np.float64
        )
    k = m.sum(axis=1)
    eci = np.divide(m @ pci, k, out=np.full(k.shape, np.nan), where=k > 0)
    if frame is not None:
        return pd.Series(eci, index=frame.index, name="eci")
    result: FloatArray = eci
    return result


def _aligned(vector: Vector, frame: pd.DataFrame | None, n: int, name: str) -> FloatArray:
    """A per-product vector as floats in the column order of ``frame`` (by label if both
    are labelled), refusing products it lacks."""
    if isinstance(vector, pd.Series) and frame is not None:
        missing = frame.columns.difference(vector.index)
        if len(missing):
            raise InvalidInput(
                f"{name} lacks {len(missing)} product(s) of the matrix: "
                f"{', '.join(map(str, missing[:10]))}"
            )
        vector = vector.reindex(frame.columns)
    arr = np.asarray(vector, dtype=np.float64).ravel()
    if arr.size != n:
        raise InvalidInput(f"{name} has {arr.size} values for {n} products")
    return arr


#: Columns :func:`subnational_eci_long` adds to the location (and period) keys.
SUBNATIONAL_COLUMNS = (
    "value",
    "n_mcp",
    "n_mcp_with_pci",
    "eci",
    "value_share_without_pci",
)


def subnational_eci_long(
    df: pd.DataFrame,
    loc: str,
    prod: str,
    val: str,
    pci_external: pd.Series,
    *,
    time: str | None = None,
    rca_threshold: float = 1.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Subnational ECI of long data from an external PCI, and the products the PCI lacks.

    ``M_cp = 1[RCA_cp >= rca_threshold]`` with Balassa's RCA (Balassa 1965) computed on the
    input itself (within each period): for district x product rows of India's exports that
    is *domestic* RCA, India being the reference. Then ``ECI_c = (1 / k_c) sum_p M_cp PCI_p``
    (:func:`subnational_eci`) over the products that have a PCI.

    Products of the input that ``pci_external`` lacks are never dropped silently: they count
    in the RCA (they are part of each location's and the reference's exports), are left out of
    the mean, and are returned in the second frame; each location reports how many of its
    ``M = 1`` products had a PCI and the share of its exports in products without one.

    Args:
        df: one row per (``loc``, ``prod``[, ``time``]); non-negative values in one unit.
        loc, prod, val, time: column names (as :func:`dehub.analytics.rca.rca_long`).
        pci_external: PCI per product code (index: codes as in ``df[prod]``; unique, finite),
            e.g. the Atlas's standardised PCI of HS products.
        rca_threshold: ``M = 1`` where ``RCA >= rca_threshold`` (default 1).

    Returns:
        ``(eci, missing)``. ``eci``: one row per location (x period), sorted, with columns
        ``loc, [time,] value`` (the location's total, input unit), ``n_mcp`` (products with
        M = 1), ``n_mcp_with_pci`` (those with a PCI: ``k_c``), ``eci`` (external PCI units,
        not re-standardised; NaN where ``k_c`` is 0), ``value_share_without_pci`` (0-1).
        ``missing``: one row per product (x period) without a PCI, columns ``prod, [time,]
        value, n_locations_mcp`` (locations with M = 1 in it), largest value first.

    Raises:
        InvalidInput: as :func:`~dehub.analytics.rca.rca_long`; a PCI that is empty, has
            NaN/infinite values or repeats a product; output names clashing with input columns.
    """
    keys = [loc, prod] + ([time] if time else [])
    check_long(df, keys, val)
    check_threshold(rca_threshold)
    clash = sorted({*keys, val} & {*SUBNATIONAL_COLUMNS, "pci", "n_locations_mcp"})
    if clash:
        raise InvalidInput(f"input column name(s) {clash} clash with output columns")
    pci = _checked_pci(pci_external)
    r = rca_long(df, loc, prod, val, time=time, threshold=rca_threshold)
    r["pci"] = r[prod].astype(str).map(pci).astype(np.float64)
    has = r["pci"].notna().to_numpy()
    mcp = r["mcp"].to_numpy().astype(bool)
    x = r[val].to_numpy(dtype=np.float64)
    r["_k"] = (mcp & has).astype(np.int64)
    r["_s"] = np.where(mcp & has, r["pci"].to_numpy(), 0.0)
    r["_w"] = np.where(has, 0.0, x)
    by = [loc] + ([time] if time else [])
    g = r.groupby(by, sort=True, observed=True).agg(
        value=(val, "sum"),
        n_mcp=("mcp", "sum"),
        n_mcp_with_pci=("_k", "sum"),
        _s=("_s", "sum"),
        _w=("_w", "sum"),
    )
    k = g["n_mcp_with_pci"].to_numpy(dtype=np.float64)
    total = g["value"].to_numpy(dtype=np.float64)
    g["n_mcp"] = g["n_mcp"].astype(np.int64)
    g["eci"] = np.divide(g["_s"].to_numpy(), k, out=np.full(k.shape, np.nan), where=k > 0)
    g["value_share_without_pci"] = np.divide(
        g["_w"].to_numpy(), total, out=np.zeros_like(total), where=total > 0
    )
    eci = g.drop(columns=["_s", "_w"]).reset_index()
    lacking = r[~has]
    missing = (
        lacking.groupby([prod] + ([time] if time else []), sort=True, observed=True)
        .agg(value=(val, "sum"), n_locations_mcp=("mcp", "sum"))
        .reset_index()
        .sort_values("value", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    missing["n_locations_mcp"] = missing["n_locations_mcp"].astype(np.int64)
    return eci[[*by, *SUBNATIONAL_COLUMNS]], missing


def _checked_pci(pci: pd.Series) -> pd.Series:
    """The external PCI as floats indexed by product code, refusing what cannot be used."""
    if len(pci) == 0:
        raise InvalidInput("the PCI has no products")
    if not pd.api.types.is_numeric_dtype(pci) or pd.api.types.is_bool_dtype(pci):
        raise InvalidInput(f"the PCI values are not numeric (dtype {pci.dtype})")
    values = pci.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(values)
    if bad.any():
        raise InvalidInput(
            f"the PCI has {int(bad.sum())} missing or infinite value(s)",
            [Problem(f"product {p!r}", "no PCI value") for p in pci.index[bad][:5]],
        )
    dup = pci.index.duplicated(keep=False)
    if dup.any():
        raise InvalidInput(
            f"the PCI repeats {len(set(pci.index[dup]))} product(s): one PCI per product",
            [Problem(f"product {p!r}", "repeated") for p in sorted(set(pci.index[dup]))[:5]],
        )
    return pd.Series(values, index=pci.index.astype(str))
