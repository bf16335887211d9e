"""Build the product reference tables: HS 2022 sections and codes, ITC-HS 8-digit codes,
the 22 export sectors of the district data and their HS chapters.

Inputs (under ``--raw``): ``harmonized_system/``, ``eidb_tradestat/itchs8_descriptions_eidb.csv``,
``dist_complexity_tiru/sector_hs2_map.csv`` and the curated crosswalks
``data-build/curated/products_*.csv``. Outputs (under ``--out``): ``hs_sections.csv``,
``hs_codes.csv``, ``itchs8.csv``, ``sectors.csv`` and ``hs2_sectors.csv``. Sources, licences and
decisions are described in ``data-build/notes/products.md``.

Run: ``.venv/bin/python data-build/build_products.py --raw ../shared/data/raw``
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from buildkit import BuildError, run_main, write_csv

REPO = Path(__file__).resolve().parents[1]
CURATED = REPO / "data-build" / "curated"

BROAD_SECTORS = ("agriculture_allied", "minerals", "manufacturing")
MIXED = "mixed"


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV as strings, keeping empty cells as ``""`` (no NA guessing)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _read_curated(name: str) -> pd.DataFrame:
    """A hand-curated crosswalk of ``data-build/curated``; every row must carry a ``note``."""
    frame = _read_csv(CURATED / name)
    _require("note" in frame.columns, f"{name} has no note column")
    blank = frame.index[frame["note"].str.strip() == ""].tolist()
    _require(not blank, f"{name}: rows without a note (0-based): {blank}")
    return frame


def _require(ok: object, message: str) -> None:
    """Raise :class:`BuildError` with ``message`` unless ``ok`` is truthy."""
    if not ok:
        raise BuildError(message)


def build_sections(raw: Path) -> pd.DataFrame:
    """HS sections (roman numeral, name); the BOM of the source header is stripped by
    ``utf-8-sig`` and the names are whitespace-trimmed with the first letter capitalised."""
    sections = _read_csv(raw / "harmonized_system" / "sections.csv")
    header = list(sections.columns)
    _require(header == ["section", "name"], f"sections.csv header {header}")
    name = sections["name"].str.strip()
    sections["name"] = name.str[:1].str.upper() + name.str[1:]
    _require(len(sections) == 21, f"expected 21 HS sections, got {len(sections)}")
    return sections[["section", "name"]]


def build_hs_codes(raw: Path, section_ids: set[str]) -> pd.DataFrame:
    """HS 2022 chapters, headings and subheadings.

    The source's single level-5 row (``TOTAL``, "Total of all HS2022 commodities") is an
    aggregate, not a code, and is dropped. Chapter 99 ("Commodities not specified according to
    kind", a UN Comtrade addition in the source's pseudo-section ``TOTAL``) is kept with an empty
    section. Chapters' parent ``TOTAL`` becomes empty.
    """
    hs = _read_csv(raw / "harmonized_system" / "harmonized-system.csv")
    expected = ["section", "hscode", "description", "parent", "level"]
    _require(list(hs.columns) == expected, f"harmonized-system.csv header {list(hs.columns)}")
    odd = hs[~hs["level"].isin(["2", "4", "6"])]
    _require(
        odd["hscode"].tolist() == ["TOTAL"],
        f"unexpected rows outside levels 2/4/6: {odd.to_dict('records')}",
    )
    hs = hs[hs["level"].isin(["2", "4", "6"])].copy()
    hs["level"] = hs["level"].astype(int)
    hs["description"] = hs["description"].str.strip()
    hs["parent"] = hs["parent"].where(hs["level"] != 2, "")
    hs["section"] = hs["section"].where(hs["section"].isin(section_ids), "")

    bad_len = hs[hs["hscode"].str.len() != hs["level"]]
    _require(bad_len.empty, f"code length differs from level: {bad_len['hscode'].tolist()}")
    _require(not hs["hscode"].duplicated().any(), "duplicate HS codes")
    prefix = hs["hscode"].str[:-2]  # "" for chapters
    bad_parent = hs[hs["parent"] != prefix]
    _require(bad_parent.empty, f"parent is not the code prefix: {bad_parent['hscode'].tolist()}")
    no_section = sorted(set(hs.loc[hs["section"] == "", "hscode"].str[:2]))
    _require(no_section == ["99"], f"codes outside the 21 sections: chapters {no_section}")

    hs = hs.rename(columns={"hscode": "code"})
    return hs[["code", "level", "parent", "section", "description"]].reset_index(drop=True)


def build_itchs8(raw: Path) -> pd.DataFrame:
    """ITC-HS 8-digit codes with EIDB description and unit.

    A leading ``*`` (EIDB's mark of codes dropped/re-allocated in later ITC-HS versions) becomes
    ``discontinued = true``; runs of blanks inside descriptions are collapsed to one.
    """
    eidb = _read_csv(raw / "eidb_tradestat" / "itchs8_descriptions_eidb.csv")
    _require(list(eidb.columns) == ["hs8", "description", "unit"], f"header {list(eidb.columns)}")
    eidb["hs8"] = eidb["hs8"].str.strip()
    bad = eidb.loc[~eidb["hs8"].str.fullmatch(r"\d{8}"), "hs8"]
    _require(bad.empty, f"hs8 codes that are not 8 digits: {bad.tolist()[:20]}")
    _require(not eidb["hs8"].duplicated().any(), "duplicate hs8 codes")
    text = eidb["description"].str.strip()
    eidb["discontinued"] = text.str.startswith("*")
    eidb["description"] = text.str.lstrip("*").str.replace(r"\s+", " ", regex=True).str.strip()
    eidb["unit"] = eidb["unit"].str.strip()
    empty = eidb.loc[eidb["description"] == "", "hs8"]
    _require(empty.empty, f"empty descriptions: {empty.tolist()}")
    eidb["discontinued"] = eidb["discontinued"].map({True: "true", False: "false"})
    return eidb.sort_values("hs8")[["hs8", "description", "unit", "discontinued"]]


def build_sectors(raw: Path, hs_codes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 22 district-data sectors and the HS-chapter -> sector / broad-sector table.

    Broad sector per chapter follows its HS section (``curated/products_section_broad_sector.csv``);
    a sector whose chapters fall in two broad sectors gets ``mixed``. Chapters without a sector
    in the source must be listed in ``curated/products_hs2_no_sector.csv``.
    """
    smap = _read_csv(raw / "dist_complexity_tiru" / "sector_hs2_map.csv")
    _require(list(smap.columns) == ["sector", "label", "hs2"], f"header {list(smap.columns)}")
    smap["hs2"] = smap["hs2"].str.zfill(2)
    _require(not smap["hs2"].duplicated().any(), "an HS2 chapter is in two sectors")
    broad = _read_curated("products_section_broad_sector.csv")
    unknown = set(broad["broad_sector"]) - set(BROAD_SECTORS)
    _require(not unknown, f"unknown broad sectors in curated file: {unknown}")
    no_sector = _read_curated("products_hs2_no_sector.csv")

    chapters = hs_codes[(hs_codes["level"] == 2) & (hs_codes["section"] != "")]
    table = chapters.rename(columns={"code": "hs2", "description": "chapter_description"})
    table = table.merge(smap[["hs2", "sector"]], on="hs2", how="left", validate="1:1")
    table = table.merge(broad[["section", "broad_sector"]], on="section", how="left")
    table["sector"] = table["sector"].fillna("")
    _require(table["broad_sector"].notna().all(), "a section has no broad sector")

    missing_map = sorted(set(smap["hs2"]) - set(table["hs2"]))
    _require(not missing_map, f"sector map chapters not in HS 2022: {missing_map}")
    unassigned = set(table.loc[table["sector"] == "", "hs2"])
    documented = set(no_sector["hs2"])
    undocumented = sorted(unassigned - documented)
    _require(
        not undocumented,
        f"chapters without a sector, not in products_hs2_no_sector.csv: {undocumented}",
    )

    labels = smap.drop_duplicates("sector")[["sector", "label"]]
    spans = (
        table[table["sector"] != ""]
        .groupby("sector")["broad_sector"]
        .agg(lambda s: s.iloc[0] if s.nunique() == 1 else MIXED)
    )
    sectors = labels.merge(spans.rename("broad_sector"), on="sector", how="left", validate="1:1")
    _require(len(sectors) == 22, f"expected 22 sectors, got {len(sectors)}")
    _require(sectors["broad_sector"].notna().all(), "a sector has no chapter in HS 2022")
    mixed = sectors.loc[sectors["broad_sector"] == MIXED, "sector"].tolist()
    if mixed:
        print(f"sectors spanning two broad sectors (broad_sector=mixed): {mixed}")
    hs2 = table[["hs2", "chapter_description", "sector", "broad_sector"]]
    return sectors, hs2.sort_values("hs2").reset_index(drop=True)


def build(raw: Path, out: Path) -> None:
    """Build all product tables from the raw snapshots under ``raw`` into ``out``."""
    sections = build_sections(raw)
    hs_codes = build_hs_codes(raw, set(sections["section"]))
    itchs8 = build_itchs8(raw)
    sectors, hs2 = build_sectors(raw, hs_codes)

    hs6 = set(hs_codes.loc[hs_codes["level"] == 6, "code"])
    outside = (~itchs8["hs8"].str[:6].isin(hs6)).sum()
    print(f"itchs8 codes whose HS6 is not an HS 2022 subheading: {outside:,} of {len(itchs8):,}")

    write_csv(sections, out / "hs_sections.csv")
    write_csv(hs_codes, out / "hs_codes.csv")
    write_csv(itchs8, out / "itchs8.csv")
    write_csv(sectors, out / "sectors.csv")
    write_csv(hs2, out / "hs2_sectors.csv")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--raw`` (the raw snapshots) and ``--out`` (the package data folder)."""
    return run_main(build, "build_products", __doc__ or "build_products", argv)


if __name__ == "__main__":
    sys.exit(main())
