"""Tests of the bundled ports tables (built by data-build/build_ports.py)."""

from __future__ import annotations

import io
from functools import cache
from importlib.resources import files

import pandas as pd
import pytest

from dehub.reference.names import name_key

KINDS = {"seaport", "air_cargo", "icd_cfs", "sez", "land_customs", "other"}
MATCHES = {"wpi", "unlocode", "airport", "curated", "none"}
TABLES = ("seaports.csv", "airports.csv", "inland_nodes.csv", "customs_ports.csv")


@cache
def load(name: str) -> pd.DataFrame:
    """A bundled table, every column as text ('' for empty), coordinates as floats."""
    text = (files("dehub.reference") / "data" / name).read_text(encoding="utf-8")
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for column in ("lat", "lon"):
        table[column] = pd.to_numeric(table[column].replace("", None))
    return table


def port(label: str) -> pd.Series:
    """The customs_ports.csv row of a DGCI&S label."""
    ports = load("customs_ports.csv")
    rows = ports[ports["port_name"] == label]
    assert len(rows) == 1, label
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("seaports.csv", 56),
        ("airports.csv", 148),
        ("inland_nodes.csv", 443),
        ("customs_ports.csv", 401),
    ],
)
def test_row_counts(name: str, rows: int) -> None:
    assert len(load(name)) == rows


@pytest.mark.parametrize("name", TABLES)
def test_coordinates_inside_india(name: str) -> None:
    table = load(name)
    given = table["lat"].notna() | table["lon"].notna()
    inside = table["lat"].between(6, 37.5) & table["lon"].between(68, 97.5)
    assert not (given & ~inside).any(), table[given & ~inside].iloc[:, :3]


@pytest.mark.parametrize("name", ("seaports.csv", "inland_nodes.csv", "customs_ports.csv"))
def test_locodes_are_five_character_indian_codes(name: str) -> None:
    codes = load(name)["locode"]
    assert codes[codes != ""].str.fullmatch(r"IN[A-Z0-9]{3}").all()


def test_customs_keys_unique_and_derived_from_labels() -> None:
    ports = load("customs_ports.csv")
    assert ports["key"].is_unique
    assert ports["port_name"].is_unique
    assert (ports["port_name"].map(name_key) == ports["key"]).all()


def test_customs_labels_kept_exactly() -> None:
    # DGCI&S labels keep their stray spaces, so they join back to the trade file unchanged.
    assert port("SEZ Noida ")["kind"] == "sez"
    assert port("NEWMANGALORE  SEA")["kind"] == "seaport"


def test_customs_kinds_and_matches_allowed() -> None:
    ports = load("customs_ports.csv")
    assert set(ports["kind"]) <= KINDS
    assert set(ports["match"]) <= MATCHES
    assert set(ports["kind"]) == KINDS  # every kind occurs


def test_customs_match_none_exactly_when_no_coordinates() -> None:
    ports = load("customs_ports.csv")
    assert ((ports["match"] == "none") == ports["lat"].isna()).all()
    assert (ports["lat"].isna() == ports["lon"].isna()).all()


def test_customs_subdivisions_are_state_suffixes() -> None:
    sub = load("customs_ports.csv")["subdivision"]
    assert sub[sub != ""].str.fullmatch(r"[A-Z]{2}").all()


def test_customs_notes_present() -> None:
    assert (load("customs_ports.csv")["note"].str.len() > 0).all()


def test_mundra_seaport_location() -> None:
    sea = load("seaports.csv")
    mundra = sea[sea["name"] == "Mundra"].iloc[0]
    assert mundra["locode"] == "INMUN"
    assert mundra["lat"] == pytest.approx(22.7, abs=0.1)
    assert mundra["lon"] == pytest.approx(69.7, abs=0.1)
    customs = port("MUNDRA")
    assert customs["kind"] == "seaport"
    assert customs["lat"] == pytest.approx(22.7, abs=0.1)
    assert customs["lon"] == pytest.approx(69.7, abs=0.1)


def test_nhava_sheva_is_jnpt_seaport() -> None:
    row = port("NHAVA SHEVA SEA")
    assert row["kind"] == "seaport"
    assert row["locode"] == "INNSA"
    assert row["subdivision"] == "MH"
    assert row["lat"] == pytest.approx(18.95, abs=0.1)


def test_air_cargo_complex_is_air_cargo() -> None:
    row = port("AHMEDABAD AIR CARGO COMPLEX")
    assert row["kind"] == "air_cargo"
    assert row["match"] == "airport"
    assert row["lat"] == pytest.approx(23.07, abs=0.05)


def test_icd_labels_are_icd_cfs() -> None:
    ports = load("customs_ports.csv")
    icd = ports[ports["port_name"].str.match(r"\s*ICD\b")]
    assert len(icd) > 50
    assert (icd["kind"] == "icd_cfs").all()
    assert port("ICD SABARMATI")["locode"] == "INSBT"


def test_other_kind_examples() -> None:
    assert port("SEZ Jamnagar (Reliance)")["kind"] == "sez"
    assert port("RAXAUL LAND")["kind"] == "land_customs"
    assert port("LCS KAMARDWISA")["kind"] == "land_customs"
    assert port("DELHI AIR")["locode"] == "INDEL"


def test_main_customs_ports_have_coordinates() -> None:
    ports = load("customs_ports.csv")
    for label in ("NHAVA SHEVA SEA", "MUNDRA", "CHENNAI SEA", "DELHI AIR", "DPCC MUMBAI"):
        assert pd.notna(port(label)["lat"]), label
    assert ports["lat"].notna().sum() >= 200


def test_airports_columns_and_codes() -> None:
    air = load("airports.csv")
    assert list(air.columns) == ["iata", "icao", "name", "city", "lat", "lon"]
    assert not air.isin([r"\N"]).any().any()
    iata = air["iata"][air["iata"] != ""]
    assert iata.is_unique and iata.str.fullmatch(r"[A-Z]{3}").all()
    assert air.loc[air["iata"] == "BOM", "city"].item() == "Mumbai"


def test_seaports_columns() -> None:
    sea = load("seaports.csv")
    columns = "wpi_number name alternate_name locode harbor_size harbor_type lat lon"
    assert list(sea.columns) == columns.split()
    assert sea["lat"].notna().all()


def test_inland_nodes_are_function_6() -> None:
    nodes = load("inland_nodes.csv")
    assert nodes["locode"].is_unique
    assert (nodes["function"].str[5] == "6").all()
    tkd = nodes[nodes["locode"] == "INTKD"].iloc[0]
    assert tkd["subdivision"] == "DL"
    assert tkd["lat"] == pytest.approx(28.5, abs=0.05)
