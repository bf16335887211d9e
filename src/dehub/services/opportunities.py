"""Diversification opportunities of a district: products near its current export basket in the
product space that it does not yet export with comparative advantage.

The product space is built from the district-wise release that answers (the bundled DGCI&S
district x 22-sector data, or an ingested official district x HS file at its own level, HS8
summed to HS6): :func:`dehub.analytics.complexity.complexity_long` over every located district
(exports not attributed to a district are left out: they have no location), then
:func:`dehub.analytics.potential.opportunities` keeps the district's products with domestic RCA
< 1, ranked by density (Hidalgo et al. 2007) then COG (Hausmann et al. 2014).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dehub.analytics.complexity import complexity_long
from dehub.analytics.potential import opportunities
from dehub.errors import InvalidInput
from dehub.facts.catalog import SECTOR_PRODUCTS, choose_latest
from dehub.facts.queries import district_products
from dehub.facts.store import FactStore
from dehub.reference.geography import resolve_district
from dehub.reference.tables import read_reference
from dehub.services.products import hs_label
from dehub.settings import Settings


def _label(level: str, code: str, sectors: pd.Series) -> str | None:
    if level == "sector":
        value = sectors.get(code)
        return None if value is None else str(value)
    return hs_label(code)


def product_space(settings: Settings, period: str | None = None) -> dict[str, Any]:
    """The complexity frame of every located district at the district data's product level:
    ``frame`` (:func:`complexity_long` output, or None with ``error`` when the matrix has no
    defined complexity), ``level``, ``period``, ``source``."""
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="district", period=period, products=SECTOR_PRODUCTS)
        per = str(choice.period)
        df = district_products(store, choice, per)
    df = df[df["geo_level"] == "district"]
    levels = sorted(set(df["product_level"]))
    level = levels[0] if len(levels) == 1 else "mixed"
    code = df["product_code"].astype(str)
    if level.startswith("HS") and int(level[2:]) > 6:
        level, code = "HS6", code.str.slice(0, 6)
    matrix = (
        pd.DataFrame({"loc": df["district_code"].astype(str), "code": code, "v": df["value_usd"]})
        .groupby(["loc", "code"], as_index=False)["v"]
        .sum()
    )
    matrix = matrix[matrix["v"] > 0]
    frame: pd.DataFrame | None
    try:
        frame = complexity_long(matrix, "loc", "code", "v")
        error = None
    except InvalidInput as exc:
        frame, error = None, exc.message
    return {
        "frame": frame,
        "error": error,
        "level": level,
        "period": per,
        **{"source": choice.provenance()},
    }


def opportunities_report(
    settings: Settings,
    district: str,
    *,
    state: str | None = None,
    period: str | None = None,
    top: int = 20,
    space: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The district's diversification opportunities (see the module docstring): up to ``top``
    products with RCA < 1, nearest first. Each row: ``code``, ``label``, ``density`` (0-1),
    ``cog`` (PCI units), ``pci``, ``rca`` (domestic), ``value_usd`` (the district's current
    exports, US$). ``space``: a prebuilt :func:`product_space` (the web keeps one)."""
    if top < 1:
        raise InvalidInput("--top must be at least 1")
    found = resolve_district(district, state)
    space = space or product_space(settings, period)
    base: dict[str, Any] = {
        "district": {"lgd_code": found.code, "name": found.name, "state_name": found.state_name},
        "level": space["level"],
        "period": space["period"],
        "currency": "USD",
        "method": "product space of the district-wise data: density (Hidalgo et al. 2007) and "
        "complexity outlook gain (Hausmann et al. 2014) of the products the district exports "
        "with domestic RCA < 1, from dehub.analytics.complexity",
        "source": space["source"],
    }
    frame = space["frame"]
    if frame is None:
        return {**base, "rows": [], "competitive": 0, "note": space["error"]}
    mine = frame[frame["loc"].astype(str) == found.code]
    if mine.empty or np.isnan(mine["density"].to_numpy(dtype=float)).all():
        why = f"{found.name} has no exports in the district data: no place in the product space"
        return {**base, "rows": [], "competitive": 0, "note": why}
    ops = opportunities(frame, "loc", found.code).head(top)
    sectors = read_reference("sectors.csv").set_index("sector")["label"]
    rows = [
        {
            "code": str(r["code"]),
            "label": _label(space["level"], str(r["code"]), sectors),
            "density": float(r["density"]),
            "cog": float(r["cog"]),
            "pci": float(r["pci"]),
            "rca": float(r["rca"]),
            "value_usd": float(r["v"]),
        }
        for r in ops.to_dict("records")
    ]
    note: str | None = None
    if space["level"] == "sector":
        note = (
            "coarse: the district data has 22 sectors, so the product space has 22 products; "
            "an official district x HS file, once ingested, gives HS-level opportunities"
        )
    return {
        **base,
        "competitive": int((mine["mcp"] == 1).sum()),
        "rows": rows,
        "note": note,
    }
