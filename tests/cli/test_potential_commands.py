"""``dehub potential`` and ``dehub opportunities`` on the store initialised from the bundled data,
and the switch to an official district x HS file once it is ingested."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.services.analytics import district_profile
from dehub.services.facts import ingest_files
from dehub.settings import Settings
from tests.helpers import run_json

runner = CliRunner()
pytestmark = pytest.mark.slow


def test_india_potential_with_every_component(initialised_settings: Settings) -> None:
    data = run_json("potential", "--top", "5")
    assert data["supplier"] is None and data["exporter"] == "IND"
    # every market x HS6 of the world file except India's own imports
    assert data["total"] == 815_494
    s = data["summary"]
    assert s["potential_usd"] == pytest.approx(s["actual_usd"], rel=1e-9)
    assert s["actual_usd"] / 1e9 == pytest.approx(266.61, abs=0.01)
    assert len(data["rows"]) == 5
    untapped = [r["untapped_usd"] for r in data["rows"]]
    assert untapped == sorted(untapped, reverse=True)
    for r in data["rows"]:
        assert r["potential_usd"] == pytest.approx(
            r["supply"] * r["demand"] * r["ease"] * data["scale"], rel=1e-9
        )
        assert r["untapped_usd"] == pytest.approx(
            r["potential_usd"] - min(r["actual_usd"], r["potential_usd"])
        )
        assert r["demand_factor"] == 1 and r["distance_factor"] == 1
        assert r["trend"] in ("rising", "falling", "flat", "new", "no exports")
        assert r["market_name"] and r["income_group"] and r["distance_km"] > 0
    assert data["growth"]["first_period"] == "2017-18"
    assert data["growth"]["last_period"] == "2024-25"
    assert data["missing_importers"] == ["USA", "DEU", "FRA", "GBR", "NLD", "ESP"]
    assert len(data["not_implemented"]) == 3
    text = runner.invoke(app, ["potential", "--top", "2"])
    assert text.exit_code == 0 and "not implemented: demand" in text.output


def test_district_supply_is_its_sector_share(initialised_settings: Settings) -> None:
    data = run_json("potential", "--district", "Surat", "--product", "710239", "--top", "3")
    sup = data["supplier"]
    assert sup["level"] == "sector" and sup["district"]["name"] == "Surat"
    profile = district_profile(initialised_settings, "Surat")
    gems = next(s for s in profile["sectors"] if s["sector"] == "gems_jewellery")
    india = run_json("potential", "--product", "710239", "--top", "3")
    for mine, all_india in zip(data["rows"], india["rows"], strict=True):
        assert mine["supplier_share"] == pytest.approx(gems["share_of_india"], rel=1e-12)
        assert mine["market"] == all_india["market"]
        assert mine["supplier_potential_usd"] == pytest.approx(
            gems["share_of_india"] * all_india["potential_usd"]
        )
    assert data["summary"]["untapped_usd"] == pytest.approx(
        gems["share_of_india"] * india["summary"]["untapped_usd"]
    )


def test_missing_markets_and_products_are_said_not_guessed(
    initialised_settings: Settings,
) -> None:
    usa = run_json("potential", "--market", "United States")
    assert usa["rows"] == [] and usa["total"] == 0
    assert usa["filters"]["market"] == "USA" and usa["missing_importers"] == ["USA"]
    assert any("USA" in n and "not assessed" in n for n in usa["notes"])
    hs22 = run_json("potential", "--product", "852411")
    assert hs22["total"] == 0 and "HS2017" in hs22["notes"][0]
    bgd = run_json("potential", "--product", "09041100", "--market", "BGD")
    assert "assessed at HS6 090411" in bgd["notes"][0]
    assert [r["product"] for r in bgd["rows"]] == ["090411"]
    bad = runner.invoke(app, ["potential", "--market", "Narnia"])
    assert bad.exit_code == 4 and "unknown country" in bad.output
    assert runner.invoke(app, ["potential", "--top", "0"]).exit_code == 2
    india = runner.invoke(app, ["potential", "--market", "IND", "--json"])
    assert india.exit_code == 2 and json.loads(india.output)["ok"] is False


def test_an_ingested_district_hs_file_is_used_automatically(
    initialised_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "district_hs8.csv"
    path.write_text(
        'State,District,HS Code,Commodity Description,"April, 24 To March, 25 Value(US $)"\n'
        "GUJARAT,AHMADABAD,09041110,PEPPER,100\n"
        "GUJARAT,SURAT,09041120,PEPPER,300\n"
        "GUJARAT,SURAT,61091000,T-SHIRTS,50\n"
    )
    ingest_files(initialised_settings, [path])
    data = run_json("potential", "--district", "Ahmedabad", "--top", "500")
    sup = data["supplier"]
    assert sup["level"] == "HS6" and "HS6 code" in sup["derivation"]
    assert {r["product"] for r in data["rows"]} == {"090411"}
    assert {r["supplier_share"] for r in data["rows"]} == {0.25}  # 100 of India's 400
    surat = run_json("potential", "--district", "Surat", "--top", "5000")
    assert {r["product"] for r in surat["rows"]} == {"090411", "610910"}
    shares = {r["product"]: r["supplier_share"] for r in surat["rows"]}
    assert shares == {"090411": 0.75, "610910": 1.0}
    ops = run_json("opportunities", "Surat")
    assert ops["level"] == "HS8" or ops["level"] == "HS6"
    assert ops["rows"] == [] and ops["note"]  # two districts: no defined product space


def test_opportunities_are_unexported_products_nearest_first(
    initialised_settings: Settings,
) -> None:
    data = run_json("opportunities", "Surat", "--top", "30")
    assert data["level"] == "sector" and data["district"]["name"] == "Surat"
    rows = data["rows"]
    assert rows and len(rows) == 22 - data["competitive"]
    assert all(r["rca"] < 1 for r in rows)
    density = [r["density"] for r in rows]
    assert density == sorted(density, reverse=True)
    profile = district_profile(initialised_settings, "Surat")
    assert not {r["code"] for r in rows} & set(profile["competitive_sectors"])
    text = runner.invoke(app, ["opportunities", "Surat", "--top", "3"])
    assert text.exit_code == 0 and "density" in text.output.lower()
