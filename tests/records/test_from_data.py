"""Records read from the facts store: a plan drafted from the analytics of a real bundled
district, and KPI actuals bound to an indicator (checked against a direct SQL sum over the
facts store, independent of the services' frames)."""

from __future__ import annotations

from pathlib import Path

import duckdb
from sqlalchemy.orm import Session

from dehub.records.plans import Kpi
from dehub.services.places import DistrictFrame
from dehub.services.records import drafting, interventions, plans
from dehub.services.records import schemas as s
from dehub.settings import Settings
from tests.records.world import DISTRICT, World


def _facts_sum(settings: Settings, district: str, sector: str | None) -> float:
    sql = (
        "SELECT sum(value_usd) FROM facts_active WHERE source = 'dgcis_district_sector' "
        "AND period = '2024-25' AND district_code = ? AND partner_code = 'WLD'"
    )
    params = [district]
    if sector is not None:
        sql += " AND product_level = 'sector' AND product_code = ?"
        params.append(sector)
    with duckdb.connect(str(settings.facts_path), read_only=True) as con:
        row = con.execute(sql, params).fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


def test_a_kpi_bound_to_an_indicator_reads_the_facts_store(
    session: Session, world: World, facts_settings: Settings, frame: DistrictFrame
) -> None:
    officer = world.actors["district"]
    assert officer is not None
    total = interventions.add_kpi(
        session,
        officer,
        world.ids["intervention"],
        s.KpiCreate(name="District exports", indicator="district_exports_usd"),
    )
    done = interventions.refresh_actuals(
        session, officer, facts_settings, plan_id=world.ids["draft"], frame=frame
    )
    by_id = {k.id: k for k in done}
    gems = by_id[world.ids["kpi"]]
    expected = _facts_sum(facts_settings, DISTRICT, "gems_jewellery")
    assert expected > 1e9  # Surat ships billions of US$ of gems and jewellery
    assert gems.actual is not None and abs(gems.actual - expected) < 1e-3
    assert gems.actual_period == "2024-25" and gems.unit == "US$"
    assert gems.actual_source is not None
    assert gems.actual_source["source"] == "dgcis_district_sector"
    assert abs(by_id[total.id].actual - _facts_sum(facts_settings, DISTRICT, None)) < 1e-3  # type: ignore[operator]
    # a second refresh changes nothing and writes no audit entry
    assert (
        interventions.refresh_actuals(
            session, officer, facts_settings, plan_id=world.ids["draft"], frame=frame
        )
        == []
    )
    assert session.get(Kpi, world.ids["kpi"]).version == 2  # type: ignore[union-attr]


def test_draft_from_data_for_a_real_district(
    session: Session, world: World, facts_settings: Settings, frame: DistrictFrame
) -> None:
    officer = world.actors["district"]
    assert officer is not None
    plan = drafting.draft_plan(session, officer, facts_settings, DISTRICT, "2026-27", frame=frame)
    sections = {x.key: x for x in plan.sections}
    assert plan.status == "draft" and len(sections) == 11
    profile = sections["export_profile"]
    assert profile.body.startswith("In 2024-25 Surat exported US$")
    assert profile.data is not None
    total = profile.data["profile"]["total_usd"]
    assert abs(total - _facts_sum(facts_settings, DISTRICT, None)) < 1e-3
    assert profile.data["peers"]["by_mix"]
    priority = sections["export_potential"].data["priority_sectors"]  # type: ignore[index]
    assert priority[0]["sector"] == "gems_jewellery" and priority[0]["dominant"]
    assert all(p["domestic_rca"] >= 1 for p in priority)
    markets = sections["target_markets"].data["markets"]  # type: ignore[index]
    assert markets[0]["sector"] == "gems_jewellery"
    assert {m["iso3"] for m in markets[0]["markets"]} & {"USA", "ARE", "HKG", "BEL"}
    assert plan.source is not None
    assert plan.source["district_data"]["source"] == "dgcis_district_sector"
    assert sections["finance"].body == ""  # left to the officers
    # officers then edit the draft
    edited = plans.update_section(
        session,
        officer,
        plan.id,
        "export_potential",
        s.SectionUpdate(version=sections["export_potential"].version, body="Edited."),
    )
    assert edited.body == "Edited." and edited.data == sections["export_potential"].data


def test_a_district_without_exports_gets_an_honest_draft(
    session: Session, facts_settings: Settings, frame: DistrictFrame
) -> None:
    from dehub.records.policy import Actor

    quiet = next(str(c) for c in frame.districts.loc[frame.districts["value_usd"] == 0, "lgd_code"])
    plan = drafting.draft_plan(
        session, Actor.system("tests"), facts_settings, quiet, "2025-26", frame=frame
    )
    body = {x.key: x.body for x in plan.sections}
    assert "no exports recorded" in body["export_profile"]
    assert body["export_potential"] == "No sector with exports in the district-wise data."


def test_ingest_refreshes_bound_kpis(
    records_url: str, world: World, facts_settings: Settings, tmp_path: Path
) -> None:
    settings = Settings(home=facts_settings.home, env="test", database_url=records_url)
    assert interventions.refresh_after_ingest(settings) == 1  # the world's one bound KPI
    assert interventions.refresh_after_ingest(settings) == 0  # nothing new
    nothing = Settings(home=tmp_path / "empty", env="test")
    assert interventions.refresh_after_ingest(nothing) is None
    assert not (tmp_path / "empty" / "records.sqlite").exists()
