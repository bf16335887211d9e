"""International revealed comparative advantage: one country (India) against the world.

Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage. *The Manchester
School*, 33(2), 99-123.

For the country's exports ``x_p`` of product ``p`` and world trade ``w_p`` of that product::

    RCA_p = (x_p / X) / (w_p / W)        M_p = 1[RCA_p >= threshold]  (threshold 1)

``X`` is the country's total exports and ``W`` world trade in all products. RCA is a pure
number, so ``x`` and ``w`` may be in different units (both US$ here), as long as each is in
one unit throughout. With ``X = sum_p x_p`` and ``W = sum_p w_p`` and the country's exports
part of world trade (``w_p = x_p + r_p``, ``r_p`` >= 0 the rest of the world), this is exactly
Balassa's RCA of the country's row in the 2 x P matrix ``[x; r]``
(:func:`dehub.analytics.rca.rca_matrix`, py-ecomplexity's ``calculate_rca``).

``X`` may instead be given (e.g. the country's published total when the product detail covers
only part of it): the shares ``x_p / X`` are then the products' shares of the true total, and
the world-share-weighted mean of RCA is the detail's coverage ``sum_p x_p / X`` instead of 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dehub.analytics.rca import check_threshold
from dehub.errors import InvalidInput, Problem

__all__ = ["INTERNATIONAL_COLUMNS", "international_rca"]

#: Columns of :func:`international_rca`, in order.
INTERNATIONAL_COLUMNS = (
    "product_code",
    "value",
    "world_value",
    "share",
    "world_share",
    "rca",
    "mcp",
    "status",
)


def international_rca(
    exports: pd.Series,
    world: pd.Series,
    *,
    exports_total: float | None = None,
    world_total: float | None = None,
    threshold: float = 1.0,
) -> pd.DataFrame:
    """Balassa RCA (Balassa 1965) of one country's exports against world trade, by product.

    ``RCA_p = (x_p / X) / (w_p / W)``; ``M_p = 1[RCA_p >= threshold]``.

    Args:
        exports: the country's exports ``x_p`` by product code (index; unique), >= 0, one unit
            (e.g. US$).
        world: world trade ``w_p`` by product code (index; unique), >= 0, one unit. Product
            codes must be of one classification and level on both sides (e.g. HS 2022 6-digit).
        exports_total: ``X`` (default: ``sum_p x_p`` over every product of ``exports``,
            including codes the world data lacks — they are the country's exports too). Must be
            at least ``sum_p x_p``.
        world_total: ``W`` (default ``sum_p w_p``).
        threshold: ``mcp = 1`` where ``rca >= threshold`` (default 1).

    Returns:
        One row per product of either side, sorted by code, columns ``product_code``,
        ``value`` (``x_p``, 0 where the country has none), ``world_value`` (``w_p``, NaN where
        the world data lacks the code), ``share`` (``x_p / X``), ``world_share``
        (``w_p / W``), ``rca`` (pure number >= 0), ``mcp`` (Int8 0/1) and ``status``:
        ``ok``; ``not_in_world`` (the world data lacks the code: rca and mcp are missing,
        never 0 — reported, not dropped); ``world_zero`` (``w_p`` = 0: RCA undefined, missing).

    Raises:
        InvalidInput: negative, NaN, infinite or non-numeric values, repeated codes, a total
            below the sum of its parts or not positive, a threshold that is not positive.
    """
    check_threshold(threshold)
    x = _checked(exports, "exports")
    w = _checked(world, "world")
    big_x = float(x.sum()) if exports_total is None else float(exports_total)
    big_w = float(w.sum()) if world_total is None else float(world_total)
    for name, total, parts in (("exports", big_x, x), ("world", big_w, w)):
        if not np.isfinite(total) or total <= 0:
            raise InvalidInput(f"the {name} total must be a positive number, got {total}")
        if total < float(parts.sum()) * (1 - 1e-12):
            raise InvalidInput(
                f"the {name} total {total:,.6g} is below the sum of its products "
                f"{float(parts.sum()):,.6g}"
            )
    codes = x.index.union(w.index).sort_values()
    value = x.reindex(codes, fill_value=0.0).to_numpy()
    world_value = w.reindex(codes).to_numpy()
    in_world = ~np.isnan(world_value)
    share = value / big_x
    world_share = world_value / big_w
    defined = in_world & (world_value > 0)
    rca = np.full(len(codes), np.nan)
    np.divide(share, world_share, out=rca, where=defined)
    status = np.where(in_world, np.where(defined, "ok", "world_zero"), "not_in_world")
    return pd.DataFrame(
        {
            "product_code": codes.astype(str),
            "value": value,
            "world_value": world_value,
            "share": share,
            "world_share": world_share,
            "rca": rca,
            "mcp": pd.arrays.IntegerArray((rca >= threshold).astype(np.int8), ~defined),
            "status": status,
        }
    )


def _checked(series: pd.Series, name: str) -> pd.Series:
    """Values by product code as floats, refusing what RCA cannot use (never coerced)."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise InvalidInput(f"{name}: values are not numeric (dtype {series.dtype})")
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        raise InvalidInput(
            f"{name}: {int(bad.sum())} value(s) are missing, infinite or negative",
            [Problem(f"product {p!r}", "bad value") for p in series.index[bad][:5]],
        )
    index = series.index.astype(str)
    dup = index.duplicated(keep=False)
    if dup.any():
        raise InvalidInput(
            f"{name}: {len(set(index[dup]))} product code(s) repeat; aggregate first",
            [Problem(f"product {p!r}", "repeated") for p in sorted(set(index[dup]))[:5]],
        )
    return pd.Series(values, index=index)
