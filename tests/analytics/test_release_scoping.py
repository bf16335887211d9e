"""The services answer from one release, one geography level and consistent periods.

Each test seeds a small facts store from canonical CSV files (real ingestion, real DuckDB) and
checks the figures by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dehub.errors import InvalidInput, NotFound
from dehub.facts.catalog import HS_LEVELS, choose_release
from dehub.facts.queries import (
    national_partner_values,
    national_values_by,
    product_partner_values,
)
from dehub.facts.store import FactStore
from dehub.services.analytics import (
    concentration_report,
    diversification_report,
    sector_composition,
)
from dehub.services.facts import national_summary
from dehub.services.markets import growth_report, markets_report
from dehub.settings import Settings
from tests.analytics.seeded import district, load, national, state


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    return folder


# --- 1. national questions read national rows only -------------------------------------------


def _mixed_release(settings: Settings, files: Path) -> int:
    """One release with national, state and district rows of the same exports."""
    return load(
        settings,
        files,
        "mixed",
        [
            national("2023-24", "0101", "USA", 80),
            national("2023-24", "0101", "CHN", 50),
            national("2024-25", "0101", "USA", 100),
            national("2024-25", "0101", "CHN", 50),
            national("2024-25", "0201", "USA", 30),
            state("2023-24", "Gujarat", "0101", "USA", 900),
            state("2024-25", "Gujarat", "0101", "USA", 1000),
            state("2024-25", "Gujarat", "0201", "CHN", 400),
            district("2024-25", "Gujarat", "Surat", "0101", 7, partner="USA"),
        ],
    )


def test_national_queries_leave_out_state_and_district_rows(
    settings: Settings, files: Path
) -> None:
    _mixed_release(settings, files)
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_release(store, geo="national", period="2024-25", products=HS_LEVELS)
        by_pair = product_partner_values(store, choice, "2024-25", "HS4")
        assert by_pair["value_usd"].sum() == 180
        assert set(by_pair["partner_code"]) == {"USA", "CHN"}
        horses = national_partner_values(store, choice, ["2023-24", "2024-25"], "0101")
        assert horses.groupby("period")["value_usd"].sum().to_dict() == {
            "2023-24": 130,
            "2024-25": 150,
        }
        by_partner = national_values_by(store, choice, ["2023-24", "2024-25"], "partner")
        assert by_partner["value_usd"].sum() == 130 + 180


def test_concentration_markets_growth_count_national_rows_once(
    settings: Settings, files: Path
) -> None:
    _mixed_release(settings, files)
    partners = concentration_report(settings, by="partner")
    assert partners["total"] == 180 and partners["unattributed"] == 0
    assert {u["code"]: u["value_usd"] for u in partners["top_units"]} == {"USA": 130, "CHN": 50}
    products = concentration_report(settings, by="product", level="HS4")
    assert products["total"] == 180
    horses = markets_report(settings, "0101")
    assert horses["total_usd"] == 150
    usa = next(m for m in horses["markets"] if m["iso3"] == "USA")
    assert usa["value_usd"] == 100 and usa["yoy"] == pytest.approx(100 / 80 - 1)
    growth = growth_report(settings, by="partner")
    assert (growth["total_base_usd"], growth["total_usd"]) == (130, 180)


def test_state_values_is_gone() -> None:
    from dehub.facts import queries

    assert not hasattr(queries, "state_values")


# --- 2. the init/status headline: one release, its latest district period ------------------


def test_national_summary_uses_one_release_and_says_which(settings: Settings, files: Path) -> None:
    source = "dgcis_district_sector"
    load(
        settings,
        files,
        source,
        [
            district("2024-25", "Gujarat", "Surat", "footwear", 60),
            district("2024-25", "Gujarat", "Ahmedabad", "pharma", 30),
            district("2024-25", "Gujarat", "UNSPECIFIED", "pharma", 10),
        ],
    )
    # the same exports at HS2 level: another granularity, so both releases stay active
    hs2 = load(
        settings,
        files,
        source,
        [
            district("2024-25", "Gujarat", "Surat", "64", 60),
            district("2024-25", "Gujarat", "Ahmedabad", "30", 30),
            district("2024-25", "Gujarat", "UNSPECIFIED", "30", 10),
        ],
    )
    summary = national_summary(settings)
    assert summary["period"] == "2024-25"
    assert summary["total_usd"] == 100  # not 200: the two releases are never added
    assert summary["unattributed_usd"] == 10
    assert summary["districts_with_exports"] == 2
    assert summary["top10_share"] == pytest.approx(0.9)
    assert summary["source"]["release_id"] == hs2
    assert summary["source"]["source"] == source and summary["source"]["period"] == "2024-25"


def test_national_summary_takes_the_latest_district_period(settings: Settings, files: Path) -> None:
    load(settings, files, "older", [district("2023-24", "Gujarat", "Surat", "footwear", 5)])
    summary = national_summary(settings)
    assert summary["period"] == "2023-24" and summary["total_usd"] == 5
    assert summary["top10_share"] == 1.0
    with pytest.raises(NotFound, match="period 2024-25"):
        national_summary(settings, "2024-25")


# --- 3. default periods from the releases that can answer; base and current from one ----------


def test_default_period_comes_from_releases_that_answer(settings: Settings, files: Path) -> None:
    load(settings, files, "sectors", [district("2023-24", "Gujarat", "Surat", "footwear", 5)])
    # a later district release that cannot answer a sector question (TOTAL only)
    load(settings, files, "totals", [district("2024-25", "Gujarat", "Surat", "TOTAL", 9)])
    assert sector_composition(settings)["period"] == "2023-24"
    assert concentration_report(settings)["period"] == "2023-24"
    # a later sector release of another source does not decide the period of --source sectors
    load(settings, files, "newer", [district("2024-25", "Gujarat", "Surat", "pharma", 7)])
    assert concentration_report(settings)["period"] == "2024-25"
    asked = concentration_report(settings, source="sectors")
    assert asked["period"] == "2023-24" and asked["total"] == 5
    assert asked["source"]["source"] == "sectors"


def test_hs_level_finer_than_the_data_is_not_found(settings: Settings, files: Path) -> None:
    load(settings, files, "hs4", [national("2024-25", "0101", "USA", 1)])
    with pytest.raises(NotFound, match="product level HS8"):
        concentration_report(settings, by="product", level="HS8")
    with pytest.raises(NotFound, match="product level HS8"):
        markets_report(settings, "01012100")
    assert concentration_report(settings, by="product", level="HS2")["total"] == 1


def _two_national_releases(settings: Settings, files: Path) -> tuple[int, int]:
    """An older release with three years by partner, and a newer one with the last year."""
    older = load(
        settings,
        files,
        "eidb_hs8_country",
        [
            national("2022-23", "0101", "USA", 40),
            national("2023-24", "0101", "USA", 50),
            national("2023-24", "0101", "CHN", 20),
            national("2024-25", "0101", "USA", 60),
            national("2024-25", "0201", "USA", 5),
        ],
    )
    newer = load(settings, files, "official", [national("2024-25", "0101", "USA", 70)])
    return older, newer


def test_markets_periods_come_from_the_answering_release(settings: Settings, files: Path) -> None:
    older, newer = _two_national_releases(settings, files)
    latest = markets_report(settings, "0101")
    assert latest["source"]["release_id"] == newer and latest["total_usd"] == 70
    # the newer release has no earlier period: nothing is compared with another release's data
    assert latest["previous_period"] is None and latest["base_period"] is None
    assert latest["markets"][0]["yoy"] is None and latest["markets"][0]["cagr"] is None
    assert latest["margins"] is None and latest["markets_lost"] == []
    assert latest["caveat"] is None
    old = markets_report(settings, "0101", source="eidb_hs8_country")
    assert old["source"]["release_id"] == older
    assert (old["previous_period"], old["base_period"]) == ("2023-24", "2022-23")
    usa = old["markets"][0]
    assert usa["yoy"] == pytest.approx(60 / 50 - 1)
    assert usa["cagr"] == pytest.approx((60 / 40) ** 0.5 - 1)
    assert old["markets_lost"] == [] and old["caveat"] is not None
    with pytest.raises(InvalidInput, match="--source"):
        markets_report(settings, "0101", base="2022-23")


def test_markets_base_without_the_product_is_null_not_zero(settings: Settings, files: Path) -> None:
    _two_national_releases(settings, files)
    beef = markets_report(settings, "0201", source="eidb_hs8_country")
    assert beef["base_period"] == "2022-23"
    assert beef["markets"][0]["cagr"] is None and beef["margins"] is None
    assert beef["markets_entered"] == [] and beef["notes"] == ["no exports of 0201 in 2022-23"]


def test_growth_never_fills_a_missing_base_period_with_zeros(
    settings: Settings, files: Path
) -> None:
    older, _ = _two_national_releases(settings, files)
    # the newest release answering 2024-25 has no earlier period: refused, not "growth from 0"
    with pytest.raises(InvalidInput, match="no earlier period.*--source"):
        growth_report(settings, by="partner")
    with pytest.raises(InvalidInput, match="--base 2023-24 is not a period"):
        growth_report(settings, by="partner", base="2023-24")
    growth = growth_report(settings, by="partner", source="eidb_hs8_country")
    assert growth["source"]["release_id"] == older and growth["base_period"] == "2023-24"
    assert (growth["total_base_usd"], growth["total_usd"]) == (70, 65)
    rows = {r["unit"]: r for r in growth["top_contributions"]}
    assert rows["USA"]["status"] == "continuing"
    assert rows["USA"]["growth"] == pytest.approx(65 / 50 - 1)
    assert rows["CHN"]["status"] == "gone" and rows["CHN"]["growth"] == -1.0
    assert (growth["new_units"], growth["gone_units"]) == (0, 1)


def test_growth_of_a_unit_absent_in_the_base_is_null(settings: Settings, files: Path) -> None:
    _two_national_releases(settings, files)
    growth = growth_report(
        settings, by="product", level="HS4", base="2022-23", source="eidb_hs8_country"
    )
    beef = next(r for r in growth["gainers"] if r["unit"] == "0201")
    assert beef["status"] == "new" and beef["growth"] is None and beef["prev"] == 0
    assert growth["new_units"] == 1
    assert growth["cagr"] == pytest.approx((65 / 40) ** 0.5 - 1)


def test_diversification_margins_need_district_data_in_the_earlier_period(
    settings: Settings, files: Path
) -> None:
    # the release covers 2023-24 with national rows only: no district margins against nothing
    load(
        settings,
        files,
        "a",
        [
            district("2024-25", "Gujarat", "Surat", "pharma", 7),
            national("2023-24", "0101", "USA", 3),
        ],
    )
    data = diversification_report(settings, district="Surat")
    assert data["period"] == "2024-25" and data["margins"] is None
    assert any("no earlier period" in n for n in data["notes"])
