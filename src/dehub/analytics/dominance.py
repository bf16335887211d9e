"""Dominance: how much of India's exports of a product one location ships, and sector mixes.

"Ri Bhoi ships 96% of India's agarwood" is a dominance share: a location's exports of a product
divided by India's exports of that product (all locations, including exports not attributed to
any location). Sector composition is the same arithmetic within a location instead of within a
product.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dehub.errors import InvalidInput


def _check_values(df: pd.DataFrame, val: str) -> None:
    values = df[val].to_numpy(dtype=float)
    if np.isnan(values).any():
        raise InvalidInput(f"column {val!r} has missing values")
    if (values < 0).any():
        raise InvalidInput(f"column {val!r} has negative values")


def product_dominance(
    df: pd.DataFrame, loc: str, prod: str, val: str, *, located: pd.Series | None = None
) -> pd.DataFrame:
    """Each location's share of the national exports of each product.

    Input: long data, one row per (``loc``, ``prod``) with value ``val`` (US$); rows whose
    ``located`` flag is False (exports not attributed to a location) count in the product
    totals but get no share of their own. Output columns: ``loc``, ``prod``, ``val``,
    ``product_total`` (US$, all rows), ``share_of_product`` (0-1), ``rank_in_product`` (1 =
    the largest exporter of the product among located rows).
    """
    _check_values(df, val)
    totals = df.groupby(prod, observed=True)[val].transform("sum")
    out = df.assign(product_total=totals)
    if located is not None:
        out = out[located.to_numpy(dtype=bool)]
    out = out[out[val] > 0].copy()
    out["share_of_product"] = out[val] / out["product_total"]
    out["rank_in_product"] = (
        out.groupby(prod, observed=True)[val].rank(ascending=False, method="min").astype(int)
    )
    return out.sort_values([prod, "rank_in_product"]).reset_index(drop=True)


def dominant(dominance: pd.DataFrame, threshold: float = 0.5) -> pd.DataFrame:
    """The rows of :func:`product_dominance` where one location ships at least ``threshold``
    (a share, 0-1) of India's exports of the product, largest share first."""
    if not 0 < threshold <= 1:
        raise InvalidInput(f"threshold must be a share in (0, 1], got {threshold}")
    hits = dominance[dominance["share_of_product"] >= threshold]
    return hits.sort_values("share_of_product", ascending=False).reset_index(drop=True)


def composition(df: pd.DataFrame, part: str, val: str) -> pd.DataFrame:
    """The mix of a total by ``part`` (e.g. sector): columns ``part``, ``val``, ``share``
    (0-1, sums to 1 when the total is positive), largest first. Zero parts are kept."""
    _check_values(df, val)
    grouped = df.groupby(part, observed=True, dropna=False)[val].sum().reset_index()
    total = grouped[val].sum()
    grouped["share"] = grouped[val] / total if total > 0 else np.nan
    return grouped.sort_values(val, ascending=False).reset_index(drop=True)
