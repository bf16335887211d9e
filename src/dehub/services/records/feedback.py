"""Feedback: issues raised by exporters or officers, assigned, answered and resolved, with the
time to resolution."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dehub.records.accounts import User
from dehub.records.base import utcnow
from dehub.records.exporters import Exporter, Feedback
from dehub.records.policy import Actor, Resource, can, require
from dehub.services.records import common, resources
from dehub.services.records.accounts import actor_for
from dehub.services.records.schemas import (
    FeedbackCreate,
    FeedbackPublic,
    FeedbackUpdate,
    Page,
)

CLOSED = ("resolved", "closed")


def public(item: Feedback) -> FeedbackPublic:
    """The output schema, with ``resolution_hours`` (raised to resolved) when resolved."""
    out = FeedbackPublic.model_validate(item)
    if item.resolved_at is not None:
        hours = (item.resolved_at - item.created_at).total_seconds() / 3600
        out = out.model_copy(update={"resolution_hours": round(hours, 2)})
    return out


def raise_feedback(session: Session, actor: Actor, data: FeedbackCreate) -> FeedbackPublic:
    """Raise an issue: an exporter for its own enterprise (the default), an officer for an
    exporter or a district of its scope."""
    exporter_id = data.exporter_id
    if exporter_id is None and actor.role == "exporter":
        exporter_id = actor.exporter_id
    if exporter_id is not None:
        ex = common.get(session, Exporter, exporter_id)
        state_code, district_code = ex.state_code, ex.district_code
    elif data.district_code:
        d = common.district(data.district_code)
        state_code, district_code = d.state_code, d.code
    else:
        raise common.invalid("district_code", "name the district or the exporter")
    require(actor, "feedback.create", Resource("feedback", state_code, district_code, exporter_id))
    item = Feedback(
        district_code=district_code,
        state_code=state_code,
        exporter_id=exporter_id,
        category=data.category,
        subject=data.subject,
        body=data.body,
        status="open",
        raised_by=actor.user_id,
    )
    common.create(session, actor, item)
    return public(item)


def respond(
    session: Session, actor: Actor, feedback_id: int, data: FeedbackUpdate
) -> FeedbackPublic:
    """Assign, answer or change the status of an issue (officers in scope). The assignee must
    be an officer who may respond to it. Resolving or closing sets ``resolved_at``; reopening
    clears it."""

    def prepare(item: Feedback, changes: dict[str, Any]) -> None:
        if changes.get("assignee_id") is not None:
            _check_assignee(session, changes["assignee_id"], resources.of_feedback(item))
        status = changes.get("status")
        if status in CLOSED and item.resolved_at is None:
            changes["resolved_at"] = utcnow()
        elif status is not None and status not in CLOSED:
            changes["resolved_at"] = None

    item = common.edit(
        session,
        actor,
        Feedback,
        feedback_id,
        "feedback.respond",
        resources.of_feedback,
        data,
        prepare,
    )
    return public(item)


def _check_assignee(session: Session, user_id: int, res: Resource) -> None:
    user = session.get(User, user_id)
    problem = "an active officer whose scope covers this issue"
    if user is None or not user.active:
        raise common.invalid("assignee_id", problem)
    if not can(actor_for(session, user), "feedback.respond", res):
        raise common.invalid("assignee_id", problem)


def get_feedback(session: Session, actor: Actor | None, feedback_id: int) -> FeedbackPublic:
    item = common.load(session, actor, Feedback, feedback_id, "view", resources.of_feedback)
    return public(item)


def list_feedback(
    session: Session,
    actor: Actor | None,
    *,
    state_code: str | None = None,
    district_code: str | None = None,
    status: str | None = None,
) -> Page[FeedbackPublic]:
    """The issues the actor may see (an exporter: its own enterprise's), newest first."""
    stmt = select(Feedback).order_by(Feedback.created_at.desc(), Feedback.id.desc())
    stmt = common.in_scope(stmt, Feedback, state_code, district_code)
    if status is not None:
        stmt = stmt.where(Feedback.status == status)
    return common.visible(session, actor, stmt, resources.of_feedback, public)
