"""Exporters (with the onboarding funnel), events with attendance, and feedback over the API;
thin over :mod:`dehub.services.records.exporters` and ``feedback``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from dehub.records.exporters import Attendance, Event, Exporter, Feedback
from dehub.records.vocab import FeedbackStatus, Stage
from dehub.services.records import exporters, feedback
from dehub.services.records.schemas import (
    EventCreate,
    EventUpdate,
    ExporterCreate,
    ExporterUpdate,
    FeedbackCreate,
    FeedbackUpdate,
)
from dehub.web.api.pagination import Paging
from dehub.web.api.records_io import listing, one, saving
from dehub.web.auth import CurrentActor, no_store, transaction

router = APIRouter(tags=["exporters and feedback"], dependencies=[Depends(no_store)])


class StageChange(BaseModel):
    """An onboarding stage and the exporter version it was decided on."""

    stage: Stage
    version: int = Field(ge=1)


class AttendanceSet(BaseModel):
    """Registration or attendance of an exporter at an event (``version`` when updating)."""

    attended: bool = False
    note: str = ""
    version: int | None = Field(default=None, ge=1)


@router.get("/exporters")
def list_exporters(
    request: Request,
    actor: CurrentActor,
    paging: Paging,
    state_code: str | None = None,
    district_code: str | None = None,
    stage: Annotated[Stage | None, Query()] = None,
) -> dict[str, Any]:
    """The exporters the caller may see, by name."""
    with transaction(request) as session:
        page = exporters.list_exporters(
            session, actor, state_code=state_code, district_code=district_code, stage=stage
        )
    return listing(page, paging)


@router.get("/exporters/funnel")
def exporter_funnel(
    request: Request,
    actor: CurrentActor,
    state_code: str | None = None,
    district_code: str | None = None,
) -> dict[str, Any]:
    """How many exporters are at each onboarding stage (counts only)."""
    with transaction(request) as session:
        counts = exporters.funnel(session, state_code=state_code, district_code=district_code)
    return {"ok": True, "data": counts}


@router.post("/exporters", status_code=201)
def create_exporter(body: ExporterCreate, request: Request, actor: CurrentActor) -> dict[str, Any]:
    """An enterprise of a district (409 when its IEC is taken)."""
    with transaction(request) as session:
        return one(exporters.create_exporter(session, actor, body))


@router.get("/exporters/{exporter_id}")
def get_exporter(exporter_id: int, request: Request, actor: CurrentActor) -> dict[str, Any]:
    """An exporter's profile."""
    with transaction(request) as session:
        return one(exporters.get_exporter(session, actor, exporter_id))


@router.patch("/exporters/{exporter_id}")
def update_exporter(
    exporter_id: int, body: ExporterUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Edit a profile (officers, or the exporter's own account; 409 on a stale version)."""
    with saving(request, Exporter, exporter_id) as session:
        return one(exporters.update_exporter(session, actor, exporter_id, body))


@router.post("/exporters/{exporter_id}/stage")
def set_stage(
    exporter_id: int, body: StageChange, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Move an exporter to an onboarding stage (officers)."""
    with saving(request, Exporter, exporter_id) as session:
        return one(exporters.set_stage(session, actor, exporter_id, body.stage, body.version))


@router.get("/events")
def list_events(
    request: Request,
    actor: CurrentActor,
    paging: Paging,
    state_code: str | None = None,
    district_code: str | None = None,
) -> dict[str, Any]:
    """Trainings, buyer-seller meets and fairs the caller may see, latest first."""
    with transaction(request) as session:
        page = exporters.list_events(
            session, actor, state_code=state_code, district_code=district_code
        )
    return listing(page, paging)


@router.post("/events", status_code=201)
def create_event(body: EventCreate, request: Request, actor: CurrentActor) -> dict[str, Any]:
    """An event in a district."""
    with transaction(request) as session:
        return one(exporters.create_event(session, actor, body))


@router.patch("/events/{event_id}")
def update_event(
    event_id: int, body: EventUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Change an event (409 on a stale version)."""
    with saving(request, Event, event_id) as session:
        return one(exporters.update_event(session, actor, event_id, body))


@router.put("/events/{event_id}/attendance/{exporter_id}")
def set_attendance(
    event_id: int, exporter_id: int, body: AttendanceSet, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Register an exporter for an event, or record whether it attended."""
    with transaction(request) as session:
        found = (
            session.query(Attendance.id)
            .filter_by(event_id=event_id, exporter_id=exporter_id)
            .scalar()
        )
    with saving(request, Attendance, int(found or 0)) as session:
        row = exporters.record_attendance(
            session,
            actor,
            event_id,
            exporter_id,
            attended=body.attended,
            note=body.note,
            version=body.version,
        )
        return one(row)


@router.get("/feedback")
def list_feedback(
    request: Request,
    actor: CurrentActor,
    paging: Paging,
    state_code: str | None = None,
    district_code: str | None = None,
    status: Annotated[FeedbackStatus | None, Query()] = None,
) -> dict[str, Any]:
    """The issues the caller may see (an exporter: its own), newest first."""
    with transaction(request) as session:
        page = feedback.list_feedback(
            session, actor, state_code=state_code, district_code=district_code, status=status
        )
    return listing(page, paging)


@router.post("/feedback", status_code=201)
def raise_feedback(body: FeedbackCreate, request: Request, actor: CurrentActor) -> dict[str, Any]:
    """Raise an issue (an exporter for its enterprise; an officer for a district or exporter)."""
    with transaction(request) as session:
        return one(feedback.raise_feedback(session, actor, body))


@router.get("/feedback/{feedback_id}")
def get_feedback(feedback_id: int, request: Request, actor: CurrentActor) -> dict[str, Any]:
    """One issue with its response and time to resolution."""
    with transaction(request) as session:
        return one(feedback.get_feedback(session, actor, feedback_id))


@router.patch("/feedback/{feedback_id}")
def respond(
    feedback_id: int, body: FeedbackUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Assign, answer or change the status of an issue (409 on a stale version)."""
    with saving(request, Feedback, feedback_id) as session:
        return one(feedback.respond(session, actor, feedback_id, body))
