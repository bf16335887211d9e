"""Build the country reference tables: ``countries.csv`` (ISO 3166-1 countries and territories
plus explicit pseudo-partners, with UN M49 regions, LDC/LLDC/SIDS flags, World Bank income group,
CEPII distance from India and capital coordinates), ``country_aliases.csv`` (every known spelling,
keyed by :func:`dehub.reference.names.name_key`) and ``dgcis_country_names.csv`` (the DGCI&S
country names of the bundled trade files, for coverage tests).

Inputs (under ``--raw``): ``country_codes/``, ``wb_income_class/``, ``cepii_geodist/``,
``eidb_tradestat/india_exports_hs8_country_fy.csv.gz``,
``districtsexports_tiru/state_exp_by_ports_and_countries.csv`` and the curated crosswalks
``data-build/curated/countries_*.csv``. The build fails, naming them, if any DGCI&S country
name is unmatched or if two spellings with the same key point to different countries.
Sources and decisions: ``data-build/notes/countries.md``.

Run: ``.venv/bin/python data-build/build_countries.py --raw ../shared/data/raw``
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from buildkit import BuildError, run_main, write_csv

from dehub.reference.names import name_key

REPO = Path(__file__).resolve().parents[1]
CURATED = REPO / "data-build" / "curated"

HOME = "IND"
ORIGINS = ("iso", "cldr", "unterm", "wb", "cepii", "baci", "common", "dgcis")
COLUMNS = [
    "iso3", "iso2", "m49", "name", "region", "sub_region", "intermediate_region",
    "ldc", "lldc", "sids", "income_group", "dist_km", "distw_km", "contig", "lat", "lon",
    "is_country",
]  # fmt: skip
CC = {  # country-codes.csv column -> output column
    "ISO3166-1-Alpha-3": "iso3",
    "ISO3166-1-Alpha-2": "iso2",
    "M49": "m49",
    "Region Name": "region",
    "Sub-region Name": "sub_region",
    "Intermediate Region Name": "intermediate_region",
    "Least Developed Countries (LDC)": "ldc",
    "Land Locked Developing Countries (LLDC)": "lldc",
    "Small Island Developing States (SIDS)": "sids",
}


def _read_csv(path: Path, sep: str = ",", encoding: str = "utf-8-sig") -> pd.DataFrame:
    """Read a CSV as strings, keeping empty cells as ``""`` (no NA guessing: "NA" is Namibia)."""
    return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding=encoding)


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


def _number(series: pd.Series, what: str) -> pd.Series:
    """A numeric column kept as its source text; CEPII's Stata missing value ``.`` becomes
    empty. Fails naming values that are not numbers."""
    out = series.str.strip().replace(".", "")
    bad = out[(out != "") & pd.to_numeric(out, errors="coerce").isna()]
    _require(bad.empty, f"{what}: values that are not numbers: {bad.unique().tolist()}")
    return out


def _flag(series: pd.Series) -> pd.Series:
    """Map the source's ``x`` / ``1`` markers to ``true`` and anything else to ``false``."""
    return series.str.strip().isin(["x", "1"]).map({True: "true", False: "false"})


# --------------------------------------------------------------------------- countries


def load_iso(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """ISO 3166-1 rows of country-codes.csv: the output columns taken from it, the full source
    frame (for the alias spellings) and the number of rows dropped for lacking an ISO3 code."""
    src = _read_csv(raw / "country_codes" / "country-codes.csv")
    missing = sorted((set(CC) | {"CLDR display name"}) - set(src.columns))
    _require(not missing, f"country-codes.csv lacks columns {missing}")
    has_iso3 = src["ISO3166-1-Alpha-3"].str.fullmatch(r"[A-Z]{3}")
    dropped = int((~has_iso3).sum())
    src = src[has_iso3].reset_index(drop=True)
    _require(not src["ISO3166-1-Alpha-3"].duplicated().any(), "duplicate ISO3 codes")
    iso = src[list(CC)].rename(columns=CC)
    iso["m49"] = iso["m49"].str.zfill(3).where(iso["m49"] != "", "")
    for col in ("ldc", "lldc", "sids"):
        iso[col] = _flag(iso[col])

    names = _read_curated("countries_names.csv").set_index("iso3")["name"]
    cldr = src["CLDR display name"].str.replace("&", "and", regex=False).str.strip()
    iso["name"] = iso["iso3"].map(names).fillna(cldr)
    unreadable = iso.loc[(iso["name"].str.len() < 4) | iso["name"].str.contains(" - "), "iso3"]
    _require(unreadable.empty, f"names need an entry in countries_names.csv: {unreadable.tolist()}")
    iso["is_country"] = "true"
    return iso, src, dropped


def load_pseudo() -> pd.DataFrame:
    """The explicit pseudo-partner rows (and Kosovo) from ``curated/countries_pseudo.csv``."""
    pseudo = _read_curated("countries_pseudo.csv")
    real = pseudo["is_country"] == "true"
    for col in ("ldc", "lldc", "sids"):
        pseudo[col] = pseudo["is_country"].where(~real, "false").where(real, "")
    pseudo["m49"] = ""
    return pseudo


def source_codes(
    source: str, codes: pd.Series, known: set[str], aliases_only: bool = False
) -> pd.DataFrame:
    """Map a source's country codes to output iso3 codes: identical where the code is an output
    code, else via ``curated/countries_source_codes.csv`` (one code may feed several rows; with
    ``aliases_only`` only the rows flagged ``alias`` are used, giving one iso3 per code).
    Fails naming codes that neither rule covers."""
    cross = _read_curated("countries_source_codes.csv")
    keep = (cross["source"] == source) & ((cross["alias"] == "true") | (not aliases_only))
    cross = cross[keep][["code", "iso3"]]
    bad = sorted(set(cross["iso3"]) - known)
    _require(not bad, f"countries_source_codes.csv ({source}) targets unknown iso3 {bad}")
    distinct = pd.Series(codes.unique(), name="code")
    direct = pd.DataFrame({"code": distinct[distinct.isin(known)]})
    direct["iso3"] = direct["code"]
    mapped = pd.concat([direct, cross[cross["code"].isin(distinct)]], ignore_index=True)
    unmatched = sorted(set(distinct) - set(mapped["code"]))
    _require(
        not unmatched,
        f"{source} codes with no iso3 (add them to countries_source_codes.csv): {unmatched}",
    )
    return mapped


def income_groups(raw: Path, known: set[str]) -> pd.DataFrame:
    """World Bank FY2025 income group per output iso3 (empty where not classified)."""
    wb = _read_csv(raw / "wb_income_class" / "class_fy2025_economies.csv")
    mapped = source_codes("wb", wb["Code"], known)
    out = mapped.merge(wb[["Code", "Income group"]], left_on="code", right_on="Code")
    out = out.rename(columns={"Income group": "income_group"})[["iso3", "income_group"]]
    _require(not out["iso3"].duplicated().any(), "two World Bank economies map to one iso3")
    return out


def cepii_distances(raw: Path, known: set[str]) -> pd.DataFrame:
    """CEPII GeoDist distance (``dist``, ``distw``, km) and contiguity from India to each
    partner. India's own row (internal distance) is left empty."""
    dist = _read_csv(raw / "cepii_geodist" / "dist_cepii.csv", sep=";", encoding="ascii")
    dist = dist[(dist["iso_o"] == HOME) & (dist["iso_d"] != HOME)]
    mapped = source_codes("cepii", dist["iso_d"], known)
    out = mapped.merge(dist, left_on="code", right_on="iso_d")
    out = out.rename(columns={"dist": "dist_km", "distw": "distw_km"})
    out["contig"] = _flag(out["contig"])
    for col in ("dist_km", "distw_km"):
        out[col] = _number(out[col], f"dist_cepii {col}")
    _require(not out["iso3"].duplicated().any(), "two CEPII partners map to one iso3")
    return out[["iso3", "dist_km", "distw_km", "contig"]]


def cepii_capitals(raw: Path, known: set[str]) -> pd.DataFrame:
    """Capital coordinates (``cap == 1`` rows) of geo_cepii (latin-1, semicolon separated)."""
    geo = _read_csv(raw / "cepii_geodist" / "geo_cepii.csv", sep=";", encoding="latin-1")
    geo = geo[geo["cap"] == "1"]
    _require(not geo["iso3"].duplicated().any(), "geo_cepii has two capitals for a country")
    mapped = source_codes("cepii", geo["iso3"], known)
    out = mapped.merge(geo[["iso3", "lat", "lon"]].rename(columns={"iso3": "code"}), on="code")
    for col in ("lat", "lon"):
        out[col] = _number(out[col], f"geo_cepii {col}")
    return out[["iso3", "lat", "lon"]]


def build_countries(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The countries table, the country-codes source frame and the dropped-row count."""
    iso, src, dropped = load_iso(raw)
    pseudo = load_pseudo()
    clash = sorted(set(pseudo["iso3"]) & set(iso["iso3"]))
    _require(not clash, f"pseudo codes already used by ISO: {clash}")
    table = pd.concat([iso, pseudo.drop(columns="note")], ignore_index=True)
    known = set(table["iso3"])
    extras = (income_groups(raw, known), cepii_distances(raw, known), cepii_capitals(raw, known))
    for extra in extras:
        table = table.merge(extra, on="iso3", how="left", validate="1:1")
    table = table.fillna("")[COLUMNS]
    return table, src, dropped


# --------------------------------------------------------------------------- aliases


def _clean_unterm(series: pd.Series) -> pd.Series:
    """UNTERM names without the article markers: ``Bahamas (the)`` -> ``Bahamas``,
    ``the Republic of India`` -> ``Republic of India``, footnote stars removed."""
    out = series.str.replace(r"\s*\*+$", "", regex=True).str.replace(" (the)", "", regex=False)
    return out.str.replace(r"^the ", "", regex=True).str.strip()


def _candidates(frame: pd.DataFrame, spelling: str, origin: str, note: str) -> pd.DataFrame:
    """Alias candidates ``spelling, iso3, origin, note`` from two columns of ``frame``."""
    out = pd.DataFrame({"spelling": frame[spelling], "iso3": frame["iso3"]})
    out["origin"], out["note"] = origin, note
    return out[out["spelling"].str.strip() != ""]


def source_aliases(raw: Path, src: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Automatic alias candidates from the code lists and names of the sources."""
    src = src.rename(columns={"ISO3166-1-Alpha-3": "iso3"})
    src["unterm_short"] = _clean_unterm(src["UNTERM English Short"])
    src["unterm_formal"] = _clean_unterm(src["UNTERM English Formal"])
    known = set(table["iso3"])
    wb = _read_csv(raw / "wb_income_class" / "class_fy2025_economies.csv")
    wb = wb.merge(source_codes("wb", wb["Code"], known, True), left_on="Code", right_on="code")
    geo = _read_csv(raw / "cepii_geodist" / "geo_cepii.csv", sep=";", encoding="latin-1")
    geo["country"] = geo["country"].str.strip()
    geo = geo.drop_duplicates("iso3").rename(columns={"iso3": "code"})
    geo = geo.merge(source_codes("cepii", geo["code"], known, True), on="code")
    pseudo = table[~table["iso3"].isin(src["iso3"])]

    parts = [
        _candidates(table.assign(code=table["iso3"]).loc[table["iso3"].isin(src["iso3"])],
                    "code", "iso", "ISO 3166-1 alpha-3 code"),
        _candidates(src.assign(c2=src["ISO3166-1-Alpha-2"]), "c2", "iso",
                    "ISO 3166-1 alpha-2 code"),
        _candidates(src, "official_name_en", "iso", "official English short name (ISO/UNSD)"),
        _candidates(src, "CLDR display name", "cldr", "CLDR display name"),
        _candidates(table.loc[table["iso3"].isin(src["iso3"])], "name", "cldr",
                    "dehub display name (CLDR, curated where terse)"),
        _candidates(src, "unterm_short", "unterm", "UNTERM English short name"),
        _candidates(src, "unterm_formal", "unterm", "UNTERM English formal name"),
        _candidates(wb, "Economy", "wb", "World Bank CLASS economy name"),
        _candidates(wb, "Code", "wb", "World Bank CLASS economy code"),
        _candidates(geo, "country", "cepii", "CEPII GeoDist country name"),
        _candidates(geo, "code", "cepii", "CEPII GeoDist country code"),
        _candidates(pseudo.assign(code=pseudo["iso3"]), "code", "common", "dehub partner code"),
        _candidates(pseudo, "iso2", "common", "user-assigned alpha-2 code"),
        _candidates(pseudo, "name", "common", "dehub partner name"),
    ]  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def resolve_aliases(candidates: pd.DataFrame, known: set[str]) -> pd.DataFrame:
    """One row per name key. Curated rows with an empty iso3 exclude a spelling; keys that point
    to two different iso3 codes fail the build, naming them."""
    cand = candidates.assign(key=candidates["spelling"].map(name_key))
    cand = cand[cand["key"] != ""]
    excluded = cand.loc[cand["iso3"] == "", "key"]
    cand = cand[~cand["key"].isin(excluded)]
    unknown = cand.loc[~cand["iso3"].isin(known), ["spelling", "iso3"]]
    _require(unknown.empty, f"aliases pointing to unknown iso3: {unknown.to_dict('records')}")
    targets = cand.groupby("key")["iso3"].nunique()
    clashes = cand[cand["key"].isin(targets[targets > 1].index)].sort_values("key")
    _require(
        clashes.empty,
        "spellings with one key but different iso3:\n"
        + clashes[["key", "spelling", "iso3", "origin"]].to_string(index=False),
    )
    cand["rank"] = cand["origin"].map({o: i for i, o in enumerate(ORIGINS)})
    _require(cand["rank"].notna().all(), f"unknown origins {set(cand['origin']) - set(ORIGINS)}")
    cand = cand.sort_values(["rank", "iso3", "spelling"], kind="stable").drop_duplicates("key")
    return cand[["key", "iso3", "spelling", "origin", "note"]].sort_values("key")


def dgcis_names(raw: Path) -> pd.DataFrame:
    """Distinct country names of the two DGCI&S trade files (EIDB HS8 x country, state x port)."""
    eidb = pd.read_csv(
        raw / "eidb_tradestat" / "india_exports_hs8_country_fy.csv.gz",
        usecols=["country"], dtype=str, keep_default_na=False,
    )["country"]  # fmt: skip
    ports = _read_csv(raw / "districtsexports_tiru" / "state_exp_by_ports_and_countries.csv")
    names = pd.concat([eidb.drop_duplicates(), ports["Country"].drop_duplicates()])
    names = names[names.str.strip() != ""].drop_duplicates().sort_values()
    return pd.DataFrame({"spelling": names.to_numpy()})


def build(raw: Path, out: Path) -> None:
    """Build all country tables from the raw snapshots under ``raw`` into ``out``."""
    table, src, dropped = build_countries(raw)
    known = set(table["iso3"])
    auto = source_aliases(raw, src, table)
    curated = _read_curated("countries_aliases.csv")
    aliases = resolve_aliases(pd.concat([auto, curated], ignore_index=True), known)

    names = dgcis_names(raw)
    keys = names["spelling"].map(name_key)
    unmatched = names.loc[~keys.isin(aliases["key"]), "spelling"].tolist()
    _require(not unmatched, f"DGCI&S country names with no alias ({len(unmatched)}): {unmatched}")
    auto_keys = set(resolve_aliases(auto, known)["key"])
    by_curation = int((~keys.isin(auto_keys)).sum())
    unused = curated.loc[
        (curated["origin"] == "dgcis") & ~curated["spelling"].map(name_key).isin(keys), "spelling"
    ].tolist()

    print(f"country-codes rows dropped for lacking an ISO3 code: {dropped}")
    print(
        f"DGCI&S names: {len(names)}; matched by source names/codes: {len(names) - by_curation}; "
        f"by curated aliases: {by_curation}"
    )
    print(f"curated DGCI&S labels not in the current files (kept for other releases): {unused}")
    write_csv(table, out / "countries.csv")
    write_csv(aliases, out / "country_aliases.csv")
    write_csv(names, out / "dgcis_country_names.csv")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--raw`` (the raw snapshots) and ``--out`` (the package data folder)."""
    return run_main(build, "build_countries", __doc__ or "build_countries", argv)


if __name__ == "__main__":
    sys.exit(main())
