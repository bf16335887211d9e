"""Interventions of a plan and their KPIs: baseline, target, dated progress, and actuals read
from the facts store for KPIs bound to an analytics indicator.

A draft plan's interventions and KPIs are edited freely; once the plan has left draft only an
intervention's ``status`` changes (the plan is approved as it is), while progress entries and
actuals are recorded at any time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from dehub.errors import StoreError
from dehub.records.base import utcnow
from dehub.records.plans import ActionPlan, Intervention, Kpi, KpiProgress
from dehub.records.policy import Actor, require
from dehub.reference.tables import read_reference
from dehub.services.places import DistrictFrame, district_frame
from dehub.services.records import common, resources
from dehub.services.records.plans import require_draft
from dehub.services.records.schemas import (
    InterventionCreate,
    InterventionPublic,
    InterventionUpdate,
    KpiCreate,
    KpiPublic,
    KpiUpdate,
    ProgressCreate,
    ProgressPublic,
)
from dehub.settings import Settings


def add_intervention(
    session: Session, actor: Actor, plan_id: int, data: InterventionCreate
) -> InterventionPublic:
    """Add an intervention to a draft plan."""
    plan = common.load(
        session, actor, ActionPlan, plan_id, "intervention.manage", resources.of_plan
    )
    require_draft(plan, "given new interventions")
    _check_dates(data.start_date, data.end_date)
    item = common.create(session, actor, Intervention(plan=plan, **data.model_dump()))
    return InterventionPublic.model_validate(item)


def update_intervention(
    session: Session, actor: Actor, intervention_id: int, data: InterventionUpdate
) -> InterventionPublic:
    """Edit an intervention (only its ``status`` once the plan has left draft)."""
    item = common.edit(
        session,
        actor,
        Intervention,
        intervention_id,
        "intervention.manage",
        resources.of_intervention,
        data,
        _check_intervention_change,
    )
    return InterventionPublic.model_validate(item)


def _check_intervention_change(item: Intervention, changes: dict[str, Any]) -> None:
    if item.plan.status != "draft" and set(changes) - {"status"}:
        require_draft(item.plan, "edited beyond an intervention's status")
    _check_dates(changes.get("start_date", item.start_date), changes.get("end_date", item.end_date))


def _check_dates(start: Any, end: Any) -> None:
    if start is not None and end is not None and end < start:
        raise common.invalid("end_date", f"ends ({end}) before it starts ({start})")


def _check_indicator(indicator: str | None, sector: str | None) -> None:
    if indicator == "district_sector_exports_usd":
        sectors = read_reference("sectors.csv")["sector"]
        if sector is None or sector not in set(sectors):
            raise common.invalid(
                "indicator_sector", f"one of the sectors: {', '.join(sorted(sectors))}"
            )
    elif sector is not None:
        raise common.invalid("indicator_sector", "only for district_sector_exports_usd")


def add_kpi(session: Session, actor: Actor, intervention_id: int, data: KpiCreate) -> KpiPublic:
    """Add a KPI to an intervention of a draft plan (optionally bound to an indicator)."""
    item = common.load(
        session,
        actor,
        Intervention,
        intervention_id,
        "intervention.manage",
        resources.of_intervention,
    )
    require_draft(item.plan, "given new KPIs")
    _check_indicator(data.indicator, data.indicator_sector)
    values = data.model_dump()
    if data.indicator is not None and not data.unit:
        values["unit"] = "US$"
    kpi = common.create(session, actor, Kpi(intervention=item, **values))
    return KpiPublic.model_validate(kpi)


def update_kpi(session: Session, actor: Actor, kpi_id: int, data: KpiUpdate) -> KpiPublic:
    """Edit a KPI's name, unit, baseline, target of a draft plan."""
    kpi = common.edit(
        session,
        actor,
        Kpi,
        kpi_id,
        "intervention.manage",
        resources.of_kpi,
        data,
        lambda kpi, _: require_draft(kpi.intervention.plan),
    )
    return KpiPublic.model_validate(kpi)


def add_progress(
    session: Session, actor: Actor, kpi_id: int, data: ProgressCreate
) -> ProgressPublic:
    """Record a dated progress value of a KPI (in any plan status)."""
    kpi = common.load(session, actor, Kpi, kpi_id, "kpi.progress", resources.of_kpi)
    entry = KpiProgress(kpi=kpi, recorded_by=actor.user_id, **data.model_dump())
    common.create(session, actor, entry)
    return ProgressPublic.model_validate(entry)


def indicator_value(frame: DistrictFrame, kpi: Kpi, district_code: str) -> float:
    """The value of a KPI's indicator in the frame's period, in US$: the district's exports
    (all sectors) or its exports of ``indicator_sector`` (0 when it has none)."""
    if kpi.indicator == "district_exports_usd":
        return float(frame.by_district.get(district_code, 0.0))
    rows = frame.sectors
    hit = rows[(rows["loc"] == district_code) & (rows["sector"] == kpi.indicator_sector)]
    return float(hit["value_usd"].sum()) if len(hit) else 0.0


def refresh_actuals(
    session: Session,
    actor: Actor,
    settings: Settings,
    *,
    plan_id: int | None = None,
    frame: DistrictFrame | None = None,
) -> list[KpiPublic]:
    """Read the actual of every KPI bound to an indicator (of one plan, or of every plan) from
    the facts store's latest district-wise financial year; each KPI whose actual changed gets
    ``actual``, ``actual_period``, ``actual_source`` (the release), the refresh time, and an
    audit entry. Returns the KPIs refreshed."""
    stmt = select(Kpi).join(Intervention).join(ActionPlan).where(Kpi.indicator.is_not(None))
    if plan_id is not None:
        common.get(session, ActionPlan, plan_id)
        stmt = stmt.where(ActionPlan.id == plan_id)
    kpis = list(session.scalars(stmt))
    for kpi in kpis:
        require(actor, "kpi.refresh", resources.of_kpi(kpi))
    if not kpis:
        return []
    frame = frame or district_frame(settings)
    done = []
    for kpi in kpis:
        value = indicator_value(frame, kpi, kpi.intervention.plan.district_code)
        if kpi.actual == value and kpi.actual_period == frame.period:
            continue
        changes = {
            "actual": value,
            "actual_period": frame.period,
            "actual_source": frame.source,
            "actual_refreshed_at": utcnow(),
        }
        common.save(session, actor, kpi, kpi.version, changes, action="refresh")
        done.append(KpiPublic.model_validate(kpi))
    return done


def refresh_after_ingest(settings: Settings) -> int | None:
    """Refresh every bound KPI's actual after new facts were loaded (``dehub ingest``), as the
    system actor. None when there is no records database yet (nothing is created) or it is
    not at the latest migration; otherwise the number of KPIs whose actual changed."""
    from dehub.records import db

    engine = db.engine_for(settings)
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        if not path or not Path(path).exists():
            return None
    try:
        at_head = db.current_revision(engine) == db.head_revision()
    except OperationalError as exc:
        raise StoreError(f"cannot open the records database: {exc.orig}") from None
    if not at_head:
        return None
    with db.session_scope(engine) as session:
        done = refresh_actuals(session, Actor.system("dehub ingest"), settings)
    return len(done)
