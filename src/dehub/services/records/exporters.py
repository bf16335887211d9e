"""Exporters of a district (profile, onboarding stage), events with attendance."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dehub.errors import Conflict
from dehub.records.base import utcnow
from dehub.records.exporters import Attendance, Event, Exporter
from dehub.records.policy import Actor, Resource, require
from dehub.records.vocab import STAGES, Stage
from dehub.services.records import common, resources
from dehub.services.records.schemas import (
    AttendancePublic,
    EventCreate,
    EventPublic,
    EventUpdate,
    ExporterCreate,
    ExporterPublic,
    ExporterUpdate,
    Page,
)


def _iec_free(session: Session, iec: str | None, own_id: int | None = None) -> None:
    if iec is None:
        return
    other = session.scalars(select(Exporter).where(Exporter.iec == iec)).first()
    if other is not None and other.id != own_id:
        raise Conflict(f"IEC {iec} is registered to another exporter (id {other.id})")


def create_exporter(session: Session, actor: Actor, data: ExporterCreate) -> ExporterPublic:
    """Register an enterprise of a district (IEC unique when given)."""
    d = common.district(data.district_code)
    require(actor, "exporter.create", Resource("exporter", d.state_code, d.code))
    _iec_free(session, data.iec)
    values = data.model_dump() | {"district_code": d.code, "state_code": d.state_code}
    exporter = Exporter(**values, stage_changed_at=utcnow())
    common.create(session, actor, exporter)
    return ExporterPublic.model_validate(exporter)


def update_exporter(
    session: Session, actor: Actor, exporter_id: int, data: ExporterUpdate
) -> ExporterPublic:
    """Edit an exporter's profile (officers in scope, or the exporter's own account)."""
    exporter = common.edit(
        session,
        actor,
        Exporter,
        exporter_id,
        "exporter.update",
        resources.of_exporter,
        data,
        lambda exporter, changes: _iec_free(session, changes.get("iec"), exporter.id),
    )
    return ExporterPublic.model_validate(exporter)


def set_stage(
    session: Session, actor: Actor, exporter_id: int, stage: Stage, version: int
) -> ExporterPublic:
    """Move an exporter to an onboarding stage (identified -> trained -> registered ->
    first_shipment -> regular; moving back is allowed and audited). Officers only."""
    if stage not in STAGES:
        raise common.invalid("stage", f"one of {', '.join(STAGES)}")
    exporter = common.load(
        session, actor, Exporter, exporter_id, "exporter.stage", resources.of_exporter
    )
    changes = {"stage": stage, "stage_changed_at": utcnow()}
    common.save(session, actor, exporter, version, changes, action="stage")
    return ExporterPublic.model_validate(exporter)


def get_exporter(session: Session, actor: Actor | None, exporter_id: int) -> ExporterPublic:
    exporter = common.load(session, actor, Exporter, exporter_id, "view", resources.of_exporter)
    return ExporterPublic.model_validate(exporter)


def list_exporters(
    session: Session,
    actor: Actor | None,
    *,
    state_code: str | None = None,
    district_code: str | None = None,
    stage: str | None = None,
) -> Page[ExporterPublic]:
    """The exporters the actor may see, by name."""
    stmt = select(Exporter).order_by(Exporter.name)
    stmt = common.in_scope(stmt, Exporter, state_code, district_code)
    if stage is not None:
        stmt = stmt.where(Exporter.stage == stage)
    return common.visible(
        session, actor, stmt, resources.of_exporter, ExporterPublic.model_validate
    )


def funnel(
    session: Session, *, state_code: str | None = None, district_code: str | None = None
) -> dict[str, int]:
    """The onboarding funnel: how many exporters are at each stage (every stage listed, in
    order; aggregate counts, no names)."""
    stmt = select(Exporter.stage, func.count()).group_by(Exporter.stage)
    if state_code is not None:
        stmt = stmt.where(Exporter.state_code == state_code)
    if district_code is not None:
        stmt = stmt.where(Exporter.district_code == district_code)
    counts = {str(s): int(n) for s, n in session.execute(stmt).all()}
    return {s: counts.get(s, 0) for s in STAGES}


def create_event(session: Session, actor: Actor, data: EventCreate) -> EventPublic:
    """A training, buyer-seller meet or fair in a district."""
    d = common.district(data.district_code)
    require(actor, "event.manage", Resource("event", d.state_code, d.code))
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise common.invalid("ends_on", "ends before it starts")
    values = data.model_dump() | {"district_code": d.code, "state_code": d.state_code}
    event = Event(**values)
    common.create(session, actor, event)
    return EventPublic.model_validate(event)


def update_event(session: Session, actor: Actor, event_id: int, data: EventUpdate) -> EventPublic:
    event = common.edit(session, actor, Event, event_id, "event.manage", resources.of_event, data)
    return EventPublic.model_validate(event)


def record_attendance(
    session: Session,
    actor: Actor,
    event_id: int,
    exporter_id: int,
    *,
    attended: bool,
    note: str = "",
    version: int | None = None,
) -> AttendancePublic:
    """Register an exporter for an event or record whether it attended (an existing row is
    updated and needs its ``version``)."""
    event = common.load(session, actor, Event, event_id, "event.manage", resources.of_event)
    common.get(session, Exporter, exporter_id)
    row = session.scalars(
        select(Attendance).where(
            Attendance.event_id == event_id, Attendance.exporter_id == exporter_id
        )
    ).first()
    if row is None:
        row = Attendance(event=event, exporter_id=exporter_id, attended=attended, note=note)
        common.create(session, actor, row)
    else:
        if version is None:
            raise common.invalid("version", "updating an attendance needs the loaded version")
        common.save(session, actor, row, version, {"attended": attended, "note": note})
    return AttendancePublic.model_validate(row)


def list_events(
    session: Session,
    actor: Actor | None,
    *,
    state_code: str | None = None,
    district_code: str | None = None,
) -> Page[EventPublic]:
    """Events the actor may see, latest first."""
    stmt = select(Event).order_by(Event.starts_on.desc(), Event.id)
    stmt = common.in_scope(stmt, Event, state_code, district_code)
    return common.visible(session, actor, stmt, resources.of_event, EventPublic.model_validate)
