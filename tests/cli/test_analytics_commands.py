"""Analytics commands on the store initialised from the bundled data (session-scoped)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.settings import Settings
from tests.helpers import run_json

runner = CliRunner()
pytestmark = pytest.mark.slow


def test_district_concentration_matches_the_headline(initialised_settings: Settings) -> None:
    data = run_json("concentration")
    for key in (
        "period",
        "unit",
        "total",
        "units_with_exports",
        "top_shares",
        "units_for_half",
        "hhi",
        "hhi_normalised",
        "gini",
        "theil",
        "unattributed",
    ):
        assert key in data
    assert data["period"] == "2024-25" and data["unit"] == "district"
    assert set(data["top_shares"]) == {"1", "5", "10", "15", "25", "50", "100"}
    # the bundled district file: India US$ 437.66 bn; top 10 districts ship ~34.2%
    assert data["total"] / 1e9 == pytest.approx(437.66, abs=0.01)
    assert data["top_shares"]["10"] == pytest.approx(0.342, abs=0.001)
    assert data["unattributed"] / 1e9 == pytest.approx(17.85, abs=0.01)
    assert data["units_with_exports"] == 675
    assert data["top_units"][0]["name"] == "Jamnagar"
    assert data["source"]["source"] == "dgcis_district_sector"


@pytest.mark.parametrize(
    ("by", "extra"),
    [
        ("state", []),
        ("partner", []),
        ("product", ["--level", "HS4"]),
        ("product", ["--level", "sector"]),
    ],
)
def test_concentration_by_every_unit(
    initialised_settings: Settings, by: str, extra: list[str]
) -> None:
    data = run_json("concentration", "--by", by, *extra)
    shares = [u["share"] for u in data["top_units"]]
    assert shares == sorted(shares, reverse=True)
    assert 0 < data["hhi"] <= 1 and 0 <= data["gini"] < 1


def test_district_profile(initialised_settings: Settings) -> None:
    data = run_json("district", "AHMADABAD")
    assert data["district"] == {"lgd_code": "438", "name": "Ahmedabad"}
    assert data["state"]["name"] == "Gujarat"
    assert data["rank"] == 5 and data["districts_with_exports"] == 675
    assert sum(s["share_of_district"] for s in data["sectors"]) == pytest.approx(1.0)
    assert set(data["competitive_sectors"]) <= {s["sector"] for s in data["sectors"]}
    assert all(
        s["domestic_rca"] >= 1
        for s in data["sectors"]
        if s["sector"] in data["competitive_sectors"]
    )
    assert data["state_context"]["rank_in_state"] >= 1
    assert data["eci"] is not None and data["eci"]["of"] > 600


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("Ahmedbad", 4, "did you mean 'Ahmedabad'"),
        ("Aurangabad", 2, "give the state or the LGD code"),
    ],
)
def test_district_errors(
    initialised_settings: Settings, name: str, code: int, message: str
) -> None:
    result = runner.invoke(app, ["district", name])
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output


def test_sectors_dominance_diversification(initialised_settings: Settings) -> None:
    india = run_json("sectors")
    assert sum(s["share"] for s in india["sectors"]) == pytest.approx(1.0)
    assert {b["broad_sector"] for b in india["broad_sectors"]} >= {
        "agriculture_allied",
        "minerals",
        "manufacturing",
    }
    dom = run_json("dominance", "--threshold", "0.4")
    assert dom["products"][0]["district"]["name"] == "Jamnagar"
    div = run_json("diversification", "--district", "Surat")
    assert div["top_product"] == "gems_jewellery" and div["margins"] is None


def test_markets_and_growth(initialised_settings: Settings) -> None:
    pharma = run_json("markets", "30", "--top", "5")
    assert pharma["markets"][0]["iso3"] == "USA"
    assert pharma["markets"][0]["dist_km"] == pytest.approx(11762, abs=1)
    assert pharma["base_period"] == "2019-20"
    growth = run_json("growth", "--by", "partner", "--top", "3")
    assert growth["base_period"] == "2023-24" and len(growth["gainers"]) == 3
    assert growth["gainers"][0]["unit"] == "USA"


def test_domestic_rca(initialised_settings: Settings) -> None:
    data = run_json("rca", "--district", "Jamnagar")
    by_product = {r["product_code"]: r for r in data["rows"]}
    # Jamnagar ships 45.7% of India's mineral fuels and 8.4% of all exports: RCA ~ 5.4
    assert by_product["mineral_products"]["rca"] == pytest.approx(0.457 / 0.0835, rel=0.02)
    assert by_product["mineral_products"]["mcp"] == 1
    gujarat = run_json("rca", "--state", "Gujarat")
    assert {r["district"]["name"] for r in gujarat["rows"]} >= {"Jamnagar", "Surat"}
