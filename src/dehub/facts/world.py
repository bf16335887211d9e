"""World trade by product, bundled for international RCA (see DATA-SOURCES.md).

Not India's trade facts (those live in the facts store, by release): a small reference of world
totals by HS 2022 6-digit product for a calendar year, read from the package. One file per
year; :data:`WORLD_YEARS` lists them. Values are the source's whole US$ million, returned in
US$ (x 1e6, so each carries the source's rounding of +/- US$ 0.5 million).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd

from dehub.errors import InvalidInput, NotFound
from dehub.facts.schema import period_kind

WORLD_LEVELS = ("HS2", "HS4", "HS6")


@dataclass(frozen=True)
class WorldData:
    """One bundled year of world trade by HS6, with its provenance."""

    year: int
    file_name: str
    source: str
    release: str
    classification: str
    licence: str
    attribution: str

    @property
    def path(self) -> Path:
        return Path(str(files("dehub.facts") / "bundled" / self.file_name))

    def provenance(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "release": self.release,
            "year": self.year,
            "classification": self.classification,
            "unit": "US$ (published in whole US$ million)",
            "licence": self.licence,
            "attribution": self.attribution,
            "includes_india": True,
        }


WORLD_YEARS: dict[int, WorldData] = {
    2024: WorldData(
        year=2024,
        file_name="world_trade_hs6_2024.csv",
        source="CEPII BACI",
        release="BACI HS22 V202601, year 2024, world trade by HS6 (summed by "
        "sabinevolve-hue/nepal-hs-code-finder@879c8d8)",
        classification="HS 2022",
        licence="Etalab Open Licence 2.0",
        attribution="BACI, CEPII — Gaulier & Zignago (2010), http://www.cepii.fr",
    ),
}
"""Calendar year -> bundled world trade file."""

BACI_AGGREGATES: dict[str, str] = {"2710": "271000"}
"""HS headings that BACI reports as one 6-digit code: India's HS6 codes under them are summed
into it (BACI publishes heading 2710, petroleum oils other than crude, only as ``271000``)."""


def world_year(period: str) -> int:
    """The calendar year of world data paired with an Indian financial year: FY ``2024-25``
    (April 2024 - March 2025) with calendar 2024, the year that shares 9 of its 12 months."""
    if period_kind(period) != "FY":
        raise InvalidInput(
            f"international RCA needs a financial year such as 2024-25, got {period!r}: "
            "world trade data is annual"
        )
    return int(period[:4])


def world_data(year: int, *, period: str | None = None) -> WorldData:
    """The bundled world data of ``year``; :class:`NotFound` naming the years bundled."""
    if year not in WORLD_YEARS:
        wanted = f"FY {period} (it pairs with calendar {year})" if period else f"{year}"
        years = sorted(WORLD_YEARS)
        raise NotFound(
            f"no world trade data is bundled for {wanted}: world data (CEPII BACI) covers "
            f"calendar {', '.join(map(str, years))} only, for financial year(s) "
            + ", ".join(f"{y}-{(y + 1) % 100:02d}" for y in years)
        )
    return WORLD_YEARS[year]


@lru_cache(maxsize=8)
def _hs6(year: int) -> pd.DataFrame:
    data = world_data(year)
    df = pd.read_csv(data.path, dtype={"hs6": str})
    return pd.DataFrame(
        {
            "product_code": df["hs6"],
            "world_value_usd": df["world_value_usd_mn"].astype("float64") * 1e6,
            "india_baci_value_usd": df["india_baci_value_usd_mn"].astype("float64") * 1e6,
        }
    )


def world_product_values(year: int, level: str = "HS6") -> pd.DataFrame:
    """World trade by product in ``year`` at ``level`` (HS6, or HS4/HS2 summed from HS6).

    Columns ``product_code``, ``world_value_usd`` (US$; India's exports included) and, at HS6
    only, ``india_baci_value_usd`` (India's own BACI exports where India is among the product's
    six largest exporters, NaN elsewhere: a coverage check of India's data, not a full series).
    """
    if level not in WORLD_LEVELS:
        raise InvalidInput(f"world data levels are {', '.join(WORLD_LEVELS)}, got {level!r}")
    hs6 = _hs6(year)
    if level == "HS6":
        return hs6.copy()
    digits = int(level[2:])
    return (
        hs6.assign(product_code=hs6["product_code"].str[:digits])
        .groupby("product_code", sort=True)["world_value_usd"]
        .sum()
        .reset_index()
    )


def to_world_codes(codes: pd.Series) -> pd.Series:
    """India's HS6 codes as the world data's codes (:data:`BACI_AGGREGATES`), else unchanged."""
    out = codes.astype(str)
    for heading, code in BACI_AGGREGATES.items():
        out = out.where(~out.str.startswith(heading), code)
    return out
