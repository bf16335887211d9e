"""The workspace's forms: each POST is a thin call of one records use case, then a redirect
back to the page the form was on (303, post/redirect/get). Every form carries the session's
CSRF token (checked when the actor is resolved) and, for an update, the version it was
loaded at; a stale section edit shows both texts instead of losing the editor's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from dehub.errors import ConflictError
from dehub.records.vocab import (
    ActionStatus,
    FeedbackCategory,
    FeedbackStatus,
    SectionKey,
    Stage,
)
from dehub.services.records import committees, drafting, exporters, feedback, interventions, plans
from dehub.services.records.schemas import (
    ActionItemCreate,
    ActionItemUpdate,
    FeedbackCreate,
    FeedbackUpdate,
    InterventionCreate,
    MeetingCreate,
    PlanCreate,
    ProgressCreate,
    SectionUpdate,
)
from dehub.web.auth import CurrentActor, transaction
from dehub.web.pages.account import safe_next
from dehub.web.pages.district import district_frame
from dehub.web.rendering import templates

router = APIRouter(include_in_schema=False)


def back(request: Request, fallback: str = "/workspace") -> Response:
    """Redirect to the page the form came from (a path of this site), else ``fallback``."""
    referer = urlsplit(request.headers.get("referer", ""))
    here = urlsplit(str(request.base_url))
    target = fallback
    if referer.netloc == here.netloc and referer.path:
        target = referer.path + (f"?{referer.query}" if referer.query else "")
    return RedirectResponse(safe_next(target), status_code=303)


def _plan_page(district_code: str, plan_id: int) -> str:
    return f"/workspace/districts/{district_code}?plan={plan_id}"


@router.post("/workspace/districts/{lgd_code}/plans")
def create_plan(
    lgd_code: str,
    request: Request,
    actor: CurrentActor,
    period: Annotated[str, Form()],
    mode: Annotated[str, Form()] = "draft",
) -> Response:
    """A new plan for the district: drafted from the data, or empty."""
    settings = request.app.state.settings
    with transaction(request) as session:
        if mode == "empty":
            plan = plans.create_plan(
                session, actor, PlanCreate(district_code=lgd_code, period=period)
            )
        else:
            PlanCreate(district_code=lgd_code, period=period)  # validates the period
            frame = district_frame(request, None)
            plan = drafting.draft_plan(session, actor, settings, lgd_code, period, frame=frame)
    return RedirectResponse(_plan_page(plan.district_code, plan.id), status_code=303)


@router.post("/workspace/plans/{plan_id}/sections/{key}")
def save_section(
    plan_id: int,
    key: SectionKey,
    request: Request,
    actor: CurrentActor,
    version: Annotated[int, Form()],
    body: Annotated[str, Form()] = "",
) -> Response:
    """Save a section's text; a stale version shows the editor's text and the current one."""
    try:
        with transaction(request) as session:
            section = plans.update_section(
                session, actor, plan_id, key, SectionUpdate(version=version, body=body)
            )
            plan = plans.get_plan(session, actor, plan_id)
    except ConflictError as error:
        with transaction(request) as session:
            plan = plans.get_plan(session, actor, plan_id)
        current = next(s for s in plan.sections if s.key == key)
        return templates().TemplateResponse(
            request,
            "workspace_conflict.html",
            {
                "actor": actor,
                "csrf": request.state.csrf,
                "plan": plan,
                "section": current,
                "mine": body,
                "error": error,
                "path": request.url.path,
            },
            status_code=409,
        )
    url = _plan_page(plan.district_code, plan_id) + f"#section-{section.key}"
    return RedirectResponse(url, status_code=303)


@router.post("/workspace/plans/{plan_id}/transitions")
def transition(
    plan_id: int,
    request: Request,
    actor: CurrentActor,
    step: Annotated[plans.Step, Form()],
    version: Annotated[int, Form()],
) -> Response:
    """Approve, endorse, notify or return the plan."""
    with transaction(request) as session:
        plan = plans.transition(session, actor, plan_id, step, version)
    return RedirectResponse(_plan_page(plan.district_code, plan.id), status_code=303)


@router.post("/workspace/plans/{plan_id}/revisions")
def revise(plan_id: int, request: Request, actor: CurrentActor) -> Response:
    """A new draft revision of a notified plan."""
    with transaction(request) as session:
        plan = plans.revise_plan(session, actor, plan_id)
    return RedirectResponse(_plan_page(plan.district_code, plan.id), status_code=303)


@router.post("/workspace/plans/{plan_id}/interventions")
def add_intervention(
    plan_id: int,
    request: Request,
    actor: CurrentActor,
    category: Annotated[SectionKey, Form()],
    title: Annotated[str, Form()],
    owner_agency: Annotated[str, Form()] = "",
    budget_inr: Annotated[Decimal | None, Form()] = None,
) -> Response:
    """An intervention of the plan."""
    data = InterventionCreate(
        category=category, title=title, owner_agency=owner_agency, budget_inr=budget_inr
    )
    with transaction(request) as session:
        interventions.add_intervention(session, actor, plan_id, data)
    return back(request)


@router.post("/workspace/kpis/{kpi_id}/progress")
def add_progress(
    kpi_id: int,
    request: Request,
    actor: CurrentActor,
    on_date: Annotated[date, Form()],
    value: Annotated[float, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    """A dated progress value of a KPI."""
    with transaction(request) as session:
        interventions.add_progress(
            session, actor, kpi_id, ProgressCreate(on_date=on_date, value=value, note=note)
        )
    return back(request)


@router.post("/workspace/committees/{committee_id}/meetings")
def add_meeting(
    committee_id: int,
    request: Request,
    actor: CurrentActor,
    held_on: Annotated[date, Form()],
    title: Annotated[str, Form()],
    agenda: Annotated[str, Form()] = "",
    decisions: Annotated[str, Form()] = "",
) -> Response:
    """A meeting of the committee."""
    data = MeetingCreate(held_on=held_on, title=title, agenda=agenda, decisions=decisions)
    with transaction(request) as session:
        committees.create_meeting(session, actor, committee_id, data)
    return back(request)


@router.post("/workspace/meetings/{meeting_id}/action-items")
def add_action_item(
    meeting_id: int,
    request: Request,
    actor: CurrentActor,
    description: Annotated[str, Form()],
    owner: Annotated[str, Form()],
    due_date: Annotated[date | None, Form()] = None,
) -> Response:
    """An action decided at the meeting."""
    data = ActionItemCreate(description=description, owner=owner, due_date=due_date)
    with transaction(request) as session:
        committees.add_action_item(session, actor, meeting_id, data)
    return back(request)


@router.post("/workspace/action-items/{item_id}")
def set_action_status(
    item_id: int,
    request: Request,
    actor: CurrentActor,
    status: Annotated[ActionStatus, Form()],
    version: Annotated[int, Form()],
) -> Response:
    """Change an action item's status."""
    with transaction(request) as session:
        committees.update_action_item(
            session, actor, item_id, ActionItemUpdate(version=version, status=status)
        )
    return back(request)


@router.post("/workspace/exporters/{exporter_id}/stage")
def set_stage(
    exporter_id: int,
    request: Request,
    actor: CurrentActor,
    stage: Annotated[Stage, Form()],
    version: Annotated[int, Form()],
) -> Response:
    """Move an exporter to an onboarding stage."""
    with transaction(request) as session:
        exporters.set_stage(session, actor, exporter_id, stage, version)
    return back(request)


@router.post("/workspace/districts/{lgd_code}/feedback")
def raise_feedback(
    lgd_code: str,
    request: Request,
    actor: CurrentActor,
    category: Annotated[FeedbackCategory, Form()],
    subject: Annotated[str, Form()],
    body: Annotated[str, Form()] = "",
) -> Response:
    """Raise an issue (an exporter: for its own enterprise)."""
    data = FeedbackCreate(
        category=category,
        subject=subject,
        body=body,
        district_code=None if actor.role == "exporter" else lgd_code,
    )
    with transaction(request) as session:
        feedback.raise_feedback(session, actor, data)
    return back(request)


@router.post("/workspace/feedback/{feedback_id}")
def respond(
    feedback_id: int,
    request: Request,
    actor: CurrentActor,
    status: Annotated[FeedbackStatus, Form()],
    version: Annotated[int, Form()],
    response: Annotated[str, Form()] = "",
) -> Response:
    """Set an issue's status and response."""
    data = FeedbackUpdate(version=version, status=status, response=response)
    with transaction(request) as session:
        feedback.respond(session, actor, feedback_id, data)
    return back(request)
