"""`dehub rca --international`: India's exports (one release of the store) against the bundled
world trade (CEPII BACI 2024), checked by hand on a seeded store and on the bundled data."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.errors import InvalidInput, NotFound
from dehub.facts.world import WORLD_YEARS, to_world_codes, world_product_values, world_year
from dehub.services.international import international_rca_report
from dehub.settings import Settings
from tests.analytics.seeded import load, national

runner = CliRunner()
# World trade 2024 (BACI, US$ mn) of the codes used below, from the bundled file.
W = 22_944_472e6
WORLD = {"100630": 31_128e6, "630419": 602e6, "271000": 883_643e6}


@pytest.fixture
def seeded(settings: Settings, tmp_path: Path) -> Settings:
    folder = tmp_path / "files"
    folder.mkdir()
    load(
        settings,
        folder,
        "hs8",
        [
            national("2024-25", "10063020", "USA", 600e6),  # rice -> 100630
            national("2024-25", "10063090", "ARE", 400e6),
            national("2024-25", "63041940", "USA", 90e6),  # bedspreads -> 630419
            national("2024-25", "27101944", "NLD", 300e6),  # diesel -> BACI's 271000
            national("2024-25", "85171290", "ARE", 10e6),  # HS 2017 phones: not in HS 2022
            national("2023-24", "10063020", "USA", 500e6),
        ],
    )
    load(settings, folder, "totals", [national("2024-25", "TOTAL", "WLD", 4_000e6)])
    return settings


def test_hand_computed_on_a_seeded_store(seeded: Settings) -> None:
    data = international_rca_report(seeded)
    assert (data["period"], data["world_year"], data["level"]) == ("2024-25", 2024, "HS6")
    assert data["india_total_usd"] == 4_000e6 and data["india_products_usd"] == 1_400e6
    assert data["coverage"] == pytest.approx(0.35)
    assert data["world_total_usd"] == W and data["world_includes_india"] is True
    rows = {r["product_code"]: r for r in data["rows"]}
    for code, x in (("100630", 1_000e6), ("630419", 90e6), ("271000", 300e6)):
        assert rows[code]["rca"] == pytest.approx((x / 4_000e6) / (WORLD[code] / W), rel=1e-12)
        assert rows[code]["mcp"] == 1
    assert rows["300490"]["rca"] == 0.0 and rows["300490"]["mcp"] == 0
    assert rows["851712"]["status"] == "not_in_world" and rows["851712"]["rca"] is None
    assert data["not_in_world"] == [
        {"product_code": "851712", "description": None, "value_usd": 10e6}
    ]
    assert any("FY 2024-25" in n or "financial year 2024-25" in n for n in data["notes"])
    assert data["world_source"]["attribution"].startswith("BACI, CEPII")
    assert data["source"]["source"] == "hs8" and data["total_source"]["source"] == "totals"
    # X = the products covered: the 2 x P matrix definition
    covered = international_rca_report(seeded, india_total="covered")
    rows = {r["product_code"]: r for r in covered["rows"]}
    assert covered["india_total_usd"] == 1_400e6 and covered["coverage"] is None
    assert rows["630419"]["rca"] == pytest.approx((90 / 1_400) / (602e6 / W), rel=1e-12)


def test_levels_aggregate_india_and_the_world(seeded: Settings) -> None:
    hs2 = international_rca_report(seeded, level="hs2")
    rows = {r["product_code"]: r for r in hs2["rows"]}
    world2 = world_product_values(2024, "HS2").set_index("product_code")["world_value_usd"]
    assert rows["10"]["value_usd"] == 1_000e6 and rows["10"]["world_value_usd"] == world2["10"]
    assert rows["10"]["rca"] == pytest.approx((1_000 / 4_000) / (world2["10"] / W), rel=1e-12)
    assert hs2["products"] == len(world2) and hs2["not_in_world"] == []
    assert hs2["coverage_gaps"] is None and "india_baci_value_usd" not in hs2["rows"][0]
    assert world2.sum() == pytest.approx(W, rel=1e-12)


def test_missing_world_year_total_and_bad_options(seeded: Settings) -> None:
    with pytest.raises(NotFound, match=r"FY 2023-24 \(it pairs with calendar 2023\).*2024"):
        international_rca_report(seeded, period="2023-24")
    with pytest.raises(InvalidInput, match="HS6, HS4 or|HS2, HS4, HS6"):
        international_rca_report(seeded, level="HS8")
    with pytest.raises(InvalidInput, match="--india-total"):
        international_rca_report(seeded, india_total="published")
    result = runner.invoke(app, ["rca", "--international", "--period", "2023-24"])
    assert result.exit_code == 4 and "calendar 2023" in result.output
    result = runner.invoke(app, ["rca", "--international", "--district", "Surat", "--json"])
    assert result.exit_code == 2 and json.loads(result.output)["ok"] is False
    result = runner.invoke(app, ["rca", "--level", "HS4"])
    assert result.exit_code == 2 and "only with --international" in result.output


def test_without_a_reported_total_says_what_to_do(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    load(settings, folder, "hs8", [national("2024-25", "10063020", "USA", 600e6)])
    with pytest.raises(NotFound, match="--india-total covered"):
        international_rca_report(settings)
    data = international_rca_report(settings, india_total="covered")
    assert data["india_total_usd"] == 600e6


def test_world_data_helpers() -> None:
    assert world_year("2024-25") == 2024 and sorted(WORLD_YEARS) == [2024]
    with pytest.raises(InvalidInput, match="financial year"):
        world_year("2024-04")
    codes = pd.Series(["271019", "271012", "100630"])
    assert to_world_codes(codes).tolist() == ["271000", "271000", "100630"]
    hs6 = world_product_values(2024)
    assert len(hs6) == 5606 and hs6["product_code"].is_unique
    assert hs6["world_value_usd"].sum() == W
    raw = pd.read_csv(files("dehub.facts") / "bundled" / "world_trade_hs6_2024.csv", dtype=str)
    assert raw.columns.tolist() == ["hs6", "world_value_usd_mn", "india_baci_value_usd_mn"]
    assert raw["india_baci_value_usd_mn"].notna().sum() == 1260


@pytest.mark.slow
def test_bundled_data_json(initialised_settings: Settings) -> None:
    result = runner.invoke(app, ["rca", "--international", "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    assert data["period"] == "2024-25" and data["source"]["source"] == "eidb_hs8_country"
    assert data["india_total_usd"] == 437_704_580_000  # EIDB's reported total
    assert data["india_products_usd"] == pytest.approx(298_518_030_000)
    assert {r["product_code"] for r in data["not_in_world"]} == {
        "711890", "902780", "851712", "852580", "846291", "293731", "846299", "710820",
    }  # fmt: skip
    rows = {r["product_code"]: r for r in data["rows"]}
    # India's rice (HS 100630) from the bundled parquet, by hand
    eidb = pd.read_parquet(
        files("dehub.facts") / "bundled" / "india_exports_hs8_country_fy.parquet",
        columns=["hs8", "value_usd_mn"],
        filters=[("fy", "==", "2024-25")],
    )
    usd = pd.to_numeric(eidb["value_usd_mn"]).groupby(to_world_codes(eidb["hs8"].str[:6])).sum()
    rice = usd["100630"] * 1e6
    assert rows["100630"]["rca"] == pytest.approx(
        (rice / 437_704_580_000) / (31_128e6 / W), rel=1e-9
    )
    assert rows["100630"]["india_baci_value_usd"] == 10_819e6
    gaps = data["coverage_gaps"]
    assert gaps["products_checked"] > 1000 and gaps["products_flagged"] > 0
    assert "851713" in {g["product_code"] for g in gaps["largest"]}  # smartphones: no HS8 row
    text = runner.invoke(app, ["rca", "--international", "--level", "HS2"])
    assert text.exit_code == 0 and "calendar 2024" in text.output and "Etalab" in text.output
