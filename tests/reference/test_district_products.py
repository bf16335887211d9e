"""Tests of the bundled district products (ODOP, PMFME, GI) and their curated HS mapping
(built by data-build/build_district_products.py and data-build/build_product_hs.py)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

import pandas as pd

REPORT = Path(__file__).resolve().parents[2] / "data-build" / "reports"


@cache
def _table(name: str) -> pd.DataFrame:
    with (files("dehub.reference") / "data" / name).open("rb") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def test_every_source_row_is_kept() -> None:
    """787 ODOP, 224 PMFME and 696 GI source rows (PROVENANCE.md), none dropped."""
    products = _table("district_products.csv")
    entries = products.groupby("list")["entry_id"].nunique().to_dict()
    assert entries == {"odop": 787, "pmfme": 224, "gi": 696}
    assert (products["product"] != "").all()


def test_join_coverage_every_row_matched_or_reported() -> None:
    """Each row is joined to an LGD district of its state, or carries the reason it is not and
    is listed in the reviewable report."""
    products = _table("district_products.csv")
    districts = _table("districts.csv").set_index("district_code")["state_code"]
    states = set(_table("states.csv")["state_code"])
    joined = products[products["district_code"] != ""]
    assert joined["district_code"].isin(districts.index).all()
    assert (joined["district_code"].map(districts) == joined["state_code"]).all()
    indian = products[products["country_iso3"] == ""]
    assert indian["state_code"].isin(states).all()
    foreign = products[products["country_iso3"] != ""]
    assert (foreign["list"] == "gi").all() and (foreign["state_code"] == "").all()
    open_rows = products[products["district_code"] == ""]
    assert open_rows["match"].str.match(r"^(state only|foreign GI)").all()
    report = pd.read_csv(
        REPORT / "district_products_unmatched.csv", dtype=str, keep_default_na=False
    )
    assert sorted(report["entry_id"] + report["state_code"]) == sorted(
        open_rows["entry_id"] + open_rows["state_code"]
    )
    # the ODOP list: all but the 10 districts created after the LGD snapshot
    odop = products[products["list"] == "odop"]
    assert (odop["district_code"] == "").sum() == 10
    assert (products.loc[products["list"] == "pmfme", "district_code"] != "").all()


def test_every_lgd_district_has_a_product() -> None:
    """The ODOP list covers every State/UT (PROVENANCE.md): each of the 763 LGD districts has
    at least one ODOP, GI or PMFME entry."""
    listed = set(_table("district_products.csv")["district_code"])
    assert set(_table("districts.csv")["district_code"]) <= listed


def test_known_joins() -> None:
    products = _table("district_products.csv").set_index(["list", "product", "state_code"])
    assert (
        products.loc[("odop", "Moradabad Metal Craft", "9"), "district_code"] == "171"
    )  # Moradabad
    assert (
        products.loc[("gi", "Banaras Brocades and Sarees", "9"), "district_code"].iloc[0]
        == (_table("districts.csv").set_index("district_name").loc["Varanasi", "district_code"])
    )
    # a multi-state GI gets one row per state; Basmati names no district
    basmati = _table("district_products.csv").query("product == 'Basmati'")
    assert len(basmati) == 7 and (basmati["district_code"] == "").all()


def test_every_product_is_mapped() -> None:
    mapped = set(_table("product_hs.csv")["product_key"])
    assert set(_table("district_products.csv")["product_key"]) <= mapped


def test_mapping_codes_exist_in_the_bundled_nomenclature() -> None:
    mapping = _table("product_hs.csv")
    hs = set(_table("hs_codes.csv")["code"])
    itc = set(_table("itchs8.csv")["hs8"])
    code = mapping["hs_code"]
    assert code[code.str.len() < 8].isin(hs | {""}).all()
    assert code[code.str.len() == 8].isin(itc).all()
    assert mapping.loc[mapping["hs6"] != "", "hs6"].isin(hs).all()
    assert mapping.loc[mapping["hs8"] != "", "hs8"].isin(itc).all()
    assert (mapping["hs8"].str[:6] == mapping["hs6"]).where(mapping["hs8"] != "", True).all()
    assert set(mapping["confidence"]) <= {"high", "medium", "low"}
    assert (mapping["rationale"].str.len() > 10).all()
    assert set(mapping["reviewed"]) <= {"yes", "no"}
    # a blank code only for services, with that said
    assert mapping.loc[code == "", "rationale"].str.startswith("a service").all()
    assert not mapping.duplicated(["product_key", "hs_code"]).any()


def test_known_mappings() -> None:
    mapping = _table("product_hs.csv")
    codes = mapping.groupby("product")["hs_code"].apply(set)
    assert codes["Basmati"] == {"10063020"}
    assert "090240" in codes["Darjeeling Tea"]
    assert "570110" in codes["Handmade carpet of Bhadohi"]  # same key as the GI
    assert "830629" in codes["Moradabad Metal Craft"]
    assert "330190" in codes["Oleo Raisins"]  # a misspelling of oleoresins, not raisins
