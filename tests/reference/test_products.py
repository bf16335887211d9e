"""Tests of the bundled product reference tables (built by data-build/build_products.py)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd
import pytest

BROAD = {"agriculture_allied", "minerals", "manufacturing"}


@cache
def _table(name: str) -> pd.DataFrame:
    """A bundled CSV of ``dehub.reference/data`` read as strings (empty cells stay ``""``)."""
    with (files("dehub.reference") / "data" / name).open("rb") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def test_sections() -> None:
    sections = _table("hs_sections.csv")
    assert list(sections.columns) == ["section", "name"]
    assert len(sections) == 21
    assert sections["section"].iloc[0] == "I" and sections["section"].iloc[-1] == "XXI"
    assert sections.loc[0, "name"] == "Live animals; animal products"
    assert not sections["name"].str.startswith("\ufeff").any()


def test_hs_code_counts() -> None:
    hs = _table("hs_codes.csv")
    assert list(hs.columns) == ["code", "level", "parent", "section", "description"]
    assert hs["level"].value_counts().to_dict() == {"6": 5613, "4": 1229, "2": 97}
    assert hs["code"].is_unique
    assert (hs["code"].str.len() == hs["level"].astype(int)).all()
    assert hs["code"].str.fullmatch(r"\d+").all()


def test_level5_total_row_dropped() -> None:
    """The source's single level-5 row is the aggregate TOTAL; it is not a code."""
    hs = _table("hs_codes.csv")
    assert "5" not in set(hs["level"])
    assert "TOTAL" not in set(hs["code"]) | set(hs["parent"]) | set(hs["section"])


def test_hs_parents_exist() -> None:
    hs = _table("hs_codes.csv")
    chapters = hs[hs["level"] == "2"]
    assert (chapters["parent"] == "").all()
    others = hs[hs["level"] != "2"]
    assert others["parent"].isin(set(hs["code"])).all()
    assert (others["parent"] == others["code"].str[:-2]).all()


def test_hs_sections_known() -> None:
    hs = _table("hs_codes.csv")
    sections = set(_table("hs_sections.csv")["section"])
    outside = hs[~hs["section"].isin(sections)]
    # only the UN Comtrade chapter 99 "not specified according to kind" has no section
    assert set(outside["code"]) == {"99", "9999", "999999"}
    assert (outside["section"] == "").all()
    by_code = hs.set_index("code")
    assert by_code.loc["71", "section"] == "XIV"
    assert by_code.loc["010121", "description"] == "Horses; live, pure-bred breeding animals"
    assert "77" not in by_code.index


def test_itchs8() -> None:
    itc = _table("itchs8.csv")
    assert list(itc.columns) == ["hs8", "description", "unit", "discontinued"]
    assert len(itc) == 10823 and itc["hs8"].is_unique
    assert itc["hs8"].str.fullmatch(r"\d{8}").all()
    assert set(itc["discontinued"]) == {"true", "false"}
    assert (itc["discontinued"] == "true").sum() == 478
    assert not itc["description"].str.startswith("*").any()
    assert (itc["description"].str.strip() != "").all()
    assert (itc["unit"] != "").all()
    by_code = itc.set_index("hs8")
    assert by_code.loc["01012100", "description"] == "PURE-BRED BREEDING HORSES"
    assert by_code.loc["01012100", "unit"] == "NOS"
    agarwood = by_code.loc["12119080"]
    assert agarwood["description"] == "AGARWOOD (INCLDNG CHIPS AND DUST)"
    assert agarwood["unit"] == "KGS" and agarwood["discontinued"] == "true"


def test_sectors() -> None:
    sectors = _table("sectors.csv")
    assert list(sectors.columns) == ["sector", "label", "broad_sector"]
    assert len(sectors) == 22 and sectors["sector"].is_unique
    assert set(sectors["broad_sector"]) <= BROAD | {"mixed"}
    by_sector = sectors.set_index("sector")["broad_sector"]
    assert by_sector["gems_jewellery"] == "manufacturing"
    assert by_sector["mineral_products"] == "minerals"
    assert by_sector["agri_livestock_other"] == "agriculture_allied"
    assert by_sector["food_processed"] == "agriculture_allied"
    assert by_sector["textiles_garments"] == "manufacturing"


def test_hs2_sectors_cover_chapters() -> None:
    hs2 = _table("hs2_sectors.csv")
    assert list(hs2.columns) == ["hs2", "chapter_description", "sector", "broad_sector"]
    wanted = {f"{n:02d}" for n in range(1, 98)} - {"77"}
    assert set(hs2["hs2"]) == wanted and hs2["hs2"].is_unique
    assert set(hs2["broad_sector"]) == BROAD
    assert set(hs2["sector"]) - {""} == set(_table("sectors.csv")["sector"])
    # 37 (photographic goods) is in no sector of the district data
    assert set(hs2.loc[hs2["sector"] == "", "hs2"]) == {"37"}


@pytest.mark.parametrize(
    ("hs2", "sector", "broad"),
    [
        ("03", "agri_livestock_other", "agriculture_allied"),
        ("09", "agri_livestock_other", "agriculture_allied"),
        ("24", "food_processed", "agriculture_allied"),
        ("25", "mineral_products", "minerals"),
        ("27", "mineral_products", "minerals"),
        ("28", "chemicals", "manufacturing"),
        ("41", "leather", "manufacturing"),
        ("52", "textiles_garments", "manufacturing"),
        ("71", "gems_jewellery", "manufacturing"),
        ("37", "", "manufacturing"),
        ("97", "other_manufactures", "manufacturing"),
    ],
)
def test_hs2_known_values(hs2: str, sector: str, broad: str) -> None:
    row = _table("hs2_sectors.csv").set_index("hs2").loc[hs2]
    assert row["sector"] == sector
    assert row["broad_sector"] == broad


def test_broad_sector_follows_sections() -> None:
    """Sections I-IV (01-24) agriculture and allied, V (25-27) minerals, the rest manufacturing."""
    hs2 = _table("hs2_sectors.csv")
    number = hs2["hs2"].astype(int)
    expected = number.map(
        lambda n: "agriculture_allied" if n <= 24 else "minerals" if n <= 27 else "manufacturing"
    )
    assert (hs2["broad_sector"] == expected).all()


def test_sector_broad_sector_consistent() -> None:
    """A sector's broad sector is that of all its chapters, else ``mixed``."""
    hs2 = _table("hs2_sectors.csv")
    spans = hs2[hs2["sector"] != ""].groupby("sector")["broad_sector"].agg(set)
    for sector, broad in _table("sectors.csv").set_index("sector")["broad_sector"].items():
        assert broad == (next(iter(spans[sector])) if len(spans[sector]) == 1 else "mixed")
