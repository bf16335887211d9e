"""Tests of the bundled country reference tables (built by data-build/build_countries.py)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd
import pytest

from dehub.reference.names import name_key

ORIGINS = {"iso", "cldr", "unterm", "dgcis", "cepii", "wb", "baci", "common"}
PSEUDO = {"WLD", "XUN", "XIW", "XBK", "XFZ", "XAN", "XSM", "XCI"}


@cache
def _table(name: str) -> pd.DataFrame:
    """A bundled CSV of ``dehub.reference/data`` read as strings (empty cells stay ``""``,
    so Namibia's ISO2 code ``NA`` is kept)."""
    with (files("dehub.reference") / "data" / name).open("rb") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def _countries() -> pd.DataFrame:
    return _table("countries.csv").set_index("iso3", drop=False)


def _resolve(spelling: str) -> str:
    """The iso3 code of a spelling through the alias table."""
    aliases = _table("country_aliases.csv").set_index("key")["iso3"]
    return str(aliases[name_key(spelling)])


def test_countries_shape() -> None:
    countries = _table("countries.csv")
    assert list(countries.columns) == [
        "iso3", "iso2", "m49", "name", "region", "sub_region", "intermediate_region",
        "ldc", "lldc", "sids", "income_group", "dist_km", "distw_km", "contig", "lat", "lon",
        "is_country",
    ]  # fmt: skip
    assert countries["iso3"].is_unique
    assert countries["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    real = countries[countries["is_country"] == "true"]
    # 249 ISO 3166-1 entries plus Kosovo (XKX)
    assert len(real) == 250
    assert set(countries.loc[countries["is_country"] == "false", "iso3"]) == PSEUDO
    iso = real[real["iso3"] != "XKX"]
    assert iso["iso2"].str.fullmatch(r"[A-Z]{2}").all() and iso["iso2"].is_unique
    assert iso["m49"].str.fullmatch(r"\d{3}").all()
    assert (countries["name"].str.strip() != "").all()
    assert countries["name"].is_unique


def test_boolean_and_numeric_columns() -> None:
    countries = _table("countries.csv")
    real = countries["is_country"] == "true"
    for col in ("ldc", "lldc", "sids"):
        assert set(countries.loc[real, col]) == {"true", "false"}
        assert set(countries.loc[~real, col]) == {""}
    assert set(countries["contig"]) == {"true", "false", ""}
    for col in ("dist_km", "distw_km", "lat", "lon"):
        values = pd.to_numeric(countries[col].replace("", None))
        assert values.notna().sum() > 200
    lat = pd.to_numeric(countries["lat"].replace("", None)).dropna()
    lon = pd.to_numeric(countries["lon"].replace("", None)).dropna()
    assert lat.between(-90, 90).all() and lon.between(-180, 180).all()
    groups = set(countries["income_group"])
    assert groups == {
        "Low income", "Lower middle income", "Upper middle income", "High income", "",
    }  # fmt: skip


def test_known_country_values() -> None:
    c = _countries()
    assert c.loc["USA", "name"] == "United States"
    assert c.loc["GBR", "name"] == "United Kingdom"
    assert c.loc["VNM", "name"] == "Vietnam"
    assert c.loc["BGD", "name"] == "Bangladesh"
    assert c.loc["NAM", "iso2"] == "NA"
    assert c.loc["IND", "m49"] == "356" and c.loc["AFG", "m49"] == "004"
    assert c.loc["IND", "region"] == "Asia" and c.loc["IND", "sub_region"] == "Southern Asia"
    assert c.loc["IND", "income_group"] == "Lower middle income"
    assert c.loc["USA", "income_group"] == "High income"
    assert c.loc["VEN", "income_group"] == ""  # unclassified in FY2025
    assert c.loc["SRB", "income_group"] == "Upper middle income"  # World Bank code SCG
    assert c.loc["XKX", "income_group"] == "Upper middle income"
    # Bangladesh is still on the UN LDC list in the source (graduation scheduled for 2026)
    assert c.loc["BGD", "ldc"] == "true"
    assert c.loc["IND", "ldc"] == "false"
    assert c.loc["NPL", "lldc"] == "true" and c.loc["MDV", "sids"] == "true"


def test_distances() -> None:
    c = _countries()
    assert c.loc["IND", "dist_km"] in ("", "0")
    assert c.loc["IND", "distw_km"] in ("", "0")
    usa = float(c.loc["USA", "dist_km"])
    # CEPII dist (most-populated cities) is 11,762 km; distcap 12,060; distw 13,132
    assert 11_000 < usa < 13_500
    assert 12_000 < float(c.loc["USA", "distw_km"]) < 14_000
    assert 1_000 < float(c.loc["BGD", "dist_km"]) < 2_000
    contiguous = set(c.loc[c["contig"] == "true", "iso3"])
    assert contiguous == {"BGD", "BTN", "CHN", "MMR", "NPL", "PAK"}
    # CEPII's old codes are mapped: ROM -> ROU, ZAR -> COD, TMP -> TLS, PAL -> PSE
    for iso3 in ("ROU", "COD", "TLS", "PSE"):
        assert c.loc[iso3, "dist_km"] != ""
    assert abs(float(c.loc["IND", "lat"]) - 28.6) < 0.1
    assert abs(float(c.loc["IND", "lon"]) - 77.2) < 0.1


def test_aliases_shape() -> None:
    aliases = _table("country_aliases.csv")
    assert list(aliases.columns) == ["key", "iso3", "spelling", "origin", "note"]
    assert aliases["key"].is_unique
    assert (aliases["key"] == aliases["spelling"].map(name_key)).all()
    assert set(aliases["origin"]) <= ORIGINS
    assert aliases["iso3"].isin(set(_table("countries.csv")["iso3"])).all()
    assert (aliases["note"].str.strip() != "").all()


def test_every_country_has_its_codes_as_aliases() -> None:
    aliases = _table("country_aliases.csv").set_index("key")["iso3"]
    countries = _table("countries.csv")
    for iso3 in countries["iso3"]:
        assert aliases[iso3] == iso3
    iso = countries[(countries["is_country"] == "true") & (countries["iso2"] != "")]
    for iso2, iso3 in zip(iso["iso2"], iso["iso3"], strict=True):
        assert aliases[iso2] == iso3


def test_every_dgcis_name_resolves() -> None:
    names = _table("dgcis_country_names.csv")
    assert list(names.columns) == ["spelling"]
    assert len(names) >= 245 and names["spelling"].is_unique
    keys = set(_table("country_aliases.csv")["key"])
    unmatched = [s for s in names["spelling"] if name_key(s) not in keys]
    assert unmatched == []


@pytest.mark.parametrize(
    ("spelling", "iso3"),
    [
        ("U S A", "USA"),
        ("USA", "USA"),
        ("United States of America", "USA"),
        ("BANGLADESH PR", "BGD"),
        ("UAE", "ARE"),
        ("U ARAB EMTS", "ARE"),
        ("SAUDI ARAB", "SAU"),
        ("KOREA RP", "KOR"),
        ("South Korea", "KOR"),
        ("Korea, Rep.", "KOR"),
        ("KOREA DP RP", "PRK"),
        ("CHINA P RP", "CHN"),
        ("HONG KONG", "HKG"),
        ("S19", "TWN"),
        ("TAIWAN", "TWN"),
        ("SRI LANKA DSR", "LKA"),
        ("VIETNAM SOC REP", "VNM"),
        ("Viet Nam", "VNM"),
        ("U K", "GBR"),
        ("UK", "GBR"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Ivory Coast", "CIV"),
        ("COTE D' IVOIRE", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("CONGO D. REP.", "COD"),
        ("CONGO P REP", "COG"),
        ("ZAR", "COD"),
        ("ROM", "ROU"),
        ("DOMINIC REP", "DOM"),
        ("DOMINICA", "DMA"),
        ("NETHERLAND", "NLD"),
        ("NETHERLANDANTIL", "XAN"),
        ("UNION OF SERBIA & MONTENEGRO", "XSM"),
        ("YUGOSLAVIA", "XSM"),
        ("CHANNEL IS", "XCI"),
        ("Channel Islands", "XCI"),
        ("CANARY IS", "ESP"),
        ("PANAMA C Z", "PAN"),
        ("SAHARWI A.DM RP", "ESH"),
        ("UNSPECIFIED", "XUN"),
        ("INSTALLATIONS IN INTERNATIONAL WATERS", "XIW"),
        ("World", "WLD"),
        ("Kosovo", "XKX"),
        ("SCG", "SRB"),
        ("Swaziland", "SWZ"),
        ("MACEDONIA", "MKD"),
    ],
)
def test_spelling_resolves(spelling: str, iso3: str) -> None:
    assert _resolve(spelling) == iso3


def test_bleu_name_not_aliased() -> None:
    """CEPII's 'Belgium and Luxembourg' must not silently mean Belgium."""
    keys = set(_table("country_aliases.csv")["key"])
    assert name_key("Belgium and Luxembourg") not in keys
