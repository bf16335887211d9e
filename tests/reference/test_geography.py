"""Checks of the bundled geography data (states, districts, spelling crosswalks, district map).

The files are read from the installed package, never from ../shared. The expected LGD codes
below were looked up in the LGD snapshot (lgd_planemad/2-district.csv).
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib.resources import files
from typing import Any

import pandas as pd
import pytest

from dehub.reference.names import name_key

DATA = files("dehub.reference") / "data"

#: Map geometries that have no LGD district (``lgd_code`` is null), as (st_nm, district).
KNOWN_MAP_EXCEPTIONS = {
    ("Delhi", "Delhi"),  # the whole NCT drawn as one geometry (11 LGD districts)
    ("Jammu and Kashmir", "Muzaffarabad"),  # Pakistan-administered, not an LGD district
    ("Jammu and Kashmir", "Mirpur"),  # Pakistan-administered, not an LGD district
}
#: District aliases deliberately pointing at a district of another state: (state_code, key).
CROSS_STATE_ALIASES = {("6", "SOUTH")}  # DGCI&S HARYANA/SOUTH read as Delhi's South district


@cache
def table(name: str) -> pd.DataFrame:
    """A bundled CSV with every column read as a string."""
    with (DATA / name).open("rb") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


@cache
def topology() -> dict[str, Any]:
    """The bundled district TopoJSON."""
    data: dict[str, Any] = json.loads(
        gzip.decompress((DATA / "districts.topo.json.gz").read_bytes())
    )
    return data


def state_code(spelling: str) -> str | None:
    """LGD state code of a state spelling, or None."""
    aliases = table("state_aliases.csv").set_index("key")["state_code"]
    return aliases.get(name_key(spelling))


def district_code(state: str, district: str) -> str | None:
    """LGD district code of a (state spelling, district spelling) pair, or None."""
    code = state_code(state)
    aliases = table("district_aliases.csv").set_index(["state_code", "key"])["district_code"]
    return None if code is None else aliases.get((code, name_key(district)))


def test_states() -> None:
    states = table("states.csv")
    assert len(states) == 36
    assert states["state_code"].is_unique
    assert states["iso3166_2"].is_unique
    assert states["iso3166_2"].str.fullmatch(r"IN-[A-Z]{2}").all()
    assert set(states["kind"]) == {"State", "UT"}
    assert (states["kind"] == "UT").sum() == 8
    by_code = states.set_index("state_code")
    assert by_code.loc["38", "state_name"] == "Dadra and Nagar Haveli and Daman and Diu"
    assert by_code.loc["38", "iso3166_2"] == "IN-DH"
    assert by_code.loc["37", "iso3166_2"] == "IN-LA"
    assert by_code.loc["28", "state_name"] == "Andhra Pradesh"


def test_districts() -> None:
    districts = table("districts.csv")
    assert len(districts) >= 763
    assert (districts["origin"] == "LGD").sum() == 763
    assert districts["district_code"].is_unique
    census = districts.loc[districts["census2011_code"] != "", "census2011_code"]
    assert census.is_unique and census.str.fullmatch(r"\d{3}").all()
    assert set(districts["state_code"]) <= set(table("states.csv")["state_code"])
    names = districts.set_index("district_code")["district_name"]
    assert names["276"] == "Ri Bhoi"
    assert names["438"] == "Ahmedabad"


def test_aliases_point_to_existing_codes() -> None:
    states = set(table("states.csv")["state_code"])
    districts = table("districts.csv").set_index("district_code")["state_code"]
    state_aliases = table("state_aliases.csv")
    district_aliases = table("district_aliases.csv")
    assert set(state_aliases["state_code"]) <= states
    assert set(district_aliases["state_code"]) <= states
    assert set(district_aliases["district_code"]) <= set(districts.index)
    home = district_aliases["district_code"].map(districts)
    elsewhere = district_aliases[home != district_aliases["state_code"]]
    assert set(zip(elsewhere["state_code"], elsewhere["key"], strict=True)) == CROSS_STATE_ALIASES


def test_alias_keys() -> None:
    state_aliases = table("state_aliases.csv")
    district_aliases = table("district_aliases.csv")
    assert state_aliases["key"].is_unique
    assert not district_aliases.duplicated(["state_code", "key"]).any()
    for aliases in (state_aliases, district_aliases):
        assert (aliases["spelling"].map(name_key) == aliases["key"]).all()
        assert (aliases["note"] != "").all()
    assert set(state_aliases["origin"]) <= {"lgd", "dgcis", "common", "gi", "odop", "pmfme", "iso"}
    assert set(district_aliases["origin"]) <= {"lgd", "dgcis", "common", "odop", "pmfme", "census"}


def test_unspecified_is_not_an_alias() -> None:
    assert state_code("UNSPECIFIED") is None
    assert "UNSPECIFIED" not in set(table("district_aliases.csv")["key"])


def test_every_lgd_name_resolves() -> None:
    states = table("states.csv")
    for spelling_column in ("state_name_lgd", "state_name"):
        assert [state_code(s) for s in states[spelling_column]] == states["state_code"].tolist()
    districts = table("districts.csv")
    aliases = table("district_aliases.csv").set_index(["state_code", "key"])["district_code"]
    for spelling_column in ("district_name_lgd", "district_name"):
        index = pd.MultiIndex.from_arrays(
            [districts["state_code"], districts[spelling_column].map(name_key)]
        )
        assert aliases.reindex(index).tolist() == districts["district_code"].tolist()


def test_every_dgcis_pair_resolves() -> None:
    pairs = table("dgcis_district_pairs.csv")
    assert len(pairs) == 676
    assert "UNSPECIFIED" not in set(pairs["district"])
    missing = [
        (s, d)
        for s, d in zip(pairs["state"], pairs["district"], strict=True)
        if district_code(s, d) is None
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("state", "district", "expected"),
    [
        ("GUJARAT", "AHMADABAD", "438"),
        ("Gujarat", "Ahmedabad", "438"),
        ("MEGHALAYA", "RI BHOI", "276"),
        ("Meghalaya", "Ri-Bhoi", "276"),
        ("Meghalaya", "Ribhoi", "276"),
        ("ANDHRA PRADESH", "Y.S.R.", "504"),
        ("Andhra Pradesh", "YSR Kadapa", "504"),
        ("Andhra Pradesh", "Vizag", "520"),
        ("ANDHRA PRADESH", "VISAKHAPATANAM", "520"),
        ("Andhra Pradesh", "Visakhapatnam", "520"),
        ("Tamil Nadu", "Kancheepuram", "574"),
        ("Tamilnadu", "Kanchipuram", "574"),
        ("Tamil Nadu", "Tuticorin", "594"),
        ("Tamil Nadu", "Thoothukudi", "594"),
        ("Tamil Nadu", "Trichy", "591"),
        ("Haryana", "Gurugram", "62"),
        ("Haryana", "Gurgaon", "62"),
        ("Haryana", "Nuh", "604"),
        ("Haryana", "Mewat", "604"),
        ("Karnataka", "Bengaluru Urban", "525"),
        ("Karnataka", "Bangalore Urban", "525"),
        ("Karnataka", "Mysuru", "545"),
        ("Karnataka", "Mysore", "545"),
        ("Karnataka", "Belgaum", "527"),
        ("Karnataka", "Gulbarga", "538"),
        ("Uttar Pradesh", "Prayagraj", "120"),
        ("Uttar Pradesh", "Allahabad", "120"),
        ("Uttar Pradesh", "Ayodhya", "140"),
        ("Uttar Pradesh", "Faizabad", "140"),
        ("Maharashtra", "Chhatrapati Sambhajinagar", "469"),
        ("MAHARASHTRA", "AURANGABAD", "469"),
        ("BIHAR", "AURANGABAD", "189"),
        ("Maharashtra", "Dharashiv", "488"),
        ("Maharashtra", "Osmanabad", "488"),
        ("Gujarat", "Kutch", "449"),
        ("Gujarat", "Kachchh", "449"),
        ("Puducherry", "Puducherry", "600"),
        ("Pondicherry", "Pondicherry", "600"),
        ("DADRA,NH,DAMAN,DIU", "DAMAN", "463"),
        ("Dadra & Nagar Haveli (UT)Daman & Diu (UT)", "Diu", "464"),
        ("WEST BENGAL", "24 PARAGANAS NORTH", "303"),
        ("West Bengal", "North 24 Parganas", "303"),
        ("Telangana", "Warangal Urban (Hanumakonda)", "686"),
        ("HARYANA", "SOUTH", "83"),
    ],
)
def test_explicit_spellings(state: str, district: str, expected: str) -> None:
    assert district_code(state, district) == expected


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("ANDAMAN & NICOBAR", "35"),
        ("CHATTISGARH", "22"),
        ("DADRA & NAGAR HAVELI", "38"),
        ("DAMAN & DIU", "38"),
        ("JAMMU & KASHMIR", "1"),
        ("Ladakh (UT)", "37"),
        ("Orissa", "21"),
        ("Uttaranchal", "5"),
        ("NCT of Delhi", "7"),
        ("AP", "28"),
        ("IN-AP", "28"),
        ("IN-TG", "36"),
        ("IN-TS", "36"),
        ("IN-DH", "38"),
    ],
)
def test_state_spellings(spelling: str, expected: str) -> None:
    assert state_code(spelling) == expected


def test_topojson() -> None:
    topo = topology()
    assert topo["type"] == "Topology"
    states = set(table("states.csv")["state_code"])
    home = table("districts.csv").set_index("district_code")["state_code"]
    state_geometries = topo["objects"]["states"]["geometries"]
    assert len(state_geometries) == 36
    assert {g["properties"]["lgd_state_code"] for g in state_geometries} == states
    geometries = topo["objects"]["districts"]["geometries"]
    assert len(geometries) == 723
    seen: list[str] = []
    for geometry in geometries:
        props = geometry["properties"]
        assert props["lgd_state_code"] in states
        if props["lgd_code"] is None:
            assert (props["st_nm"], props["district"]) in KNOWN_MAP_EXCEPTIONS
            continue
        assert home[props["lgd_code"]] == props["lgd_state_code"]
        seen.append(props["lgd_code"])
    assert len(seen) == len(set(seen)) == 723 - len(KNOWN_MAP_EXCEPTIONS)
