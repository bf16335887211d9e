"""District Export Action Plans over the API: plans (empty or drafted from data), sections,
lifecycle steps, revisions, interventions, KPIs and their progress. Thin over
:mod:`dehub.services.records.plans`, ``interventions`` and ``drafting``; the permission
checks are the services' (:mod:`dehub.records.policy`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from dehub.records.plans import ActionPlan, Intervention, Kpi, PlanSection
from dehub.records.vocab import PlanStatus, SectionKey
from dehub.services.records import drafting, interventions, plans
from dehub.services.records.schemas import (
    InterventionCreate,
    InterventionUpdate,
    KpiCreate,
    KpiUpdate,
    PlanCreate,
    PlanUpdate,
    ProgressCreate,
    SectionUpdate,
)
from dehub.web.api.pagination import Paging
from dehub.web.api.records_io import listing, one, saving
from dehub.web.auth import CurrentActor, MaybeActor, no_store, transaction
from dehub.web.pages.district import district_frame

router = APIRouter(tags=["action plans"], dependencies=[Depends(no_store)])


class Draft(BaseModel):
    """A district and plan period to draft a plan for from the analytics."""

    district_code: str
    period: str = Field(pattern=r"^\d{4}-\d{2}(\d{2})?$")


class Transition(BaseModel):
    """A lifecycle step and the plan version it was decided on."""

    step: plans.Step
    version: int = Field(ge=1)


@router.get("/plans")
def list_plans(
    request: Request,
    actor: MaybeActor,
    paging: Paging,
    state_code: str | None = None,
    district_code: str | None = None,
    status: Annotated[PlanStatus | None, Query()] = None,
) -> dict[str, Any]:
    """Plans the caller may see (the public: notified plans), newest period first."""
    with transaction(request) as session:
        page = plans.list_plans(
            session, actor, state_code=state_code, district_code=district_code, status=status
        )
    return listing(page, paging)


@router.post("/plans", status_code=201)
def create_plan(body: PlanCreate, request: Request, actor: CurrentActor) -> dict[str, Any]:
    """An empty draft plan (409 when the district has one for the period)."""
    with transaction(request) as session:
        return one(plans.create_plan(session, actor, body))


@router.post("/plans/draft", status_code=201)
def draft_plan(body: Draft, request: Request, actor: CurrentActor) -> dict[str, Any]:
    """A draft plan pre-filled from the analytics (profile, priority products, markets)."""
    settings = request.app.state.settings
    frame = district_frame(request, None)
    with transaction(request) as session:
        return one(
            drafting.draft_plan(
                session, actor, settings, body.district_code, body.period, frame=frame
            )
        )


@router.get("/plans/{plan_id}")
def get_plan(plan_id: int, request: Request, actor: MaybeActor) -> dict[str, Any]:
    """A plan with its sections, interventions, KPIs and progress."""
    with transaction(request) as session:
        return one(plans.get_plan(session, actor, plan_id))


@router.patch("/plans/{plan_id}")
def update_plan(
    plan_id: int, body: PlanUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Change a draft plan's title (409 on a stale version)."""
    with saving(request, ActionPlan, plan_id) as session:
        return one(plans.update_plan(session, actor, plan_id, body))


@router.patch("/plans/{plan_id}/sections/{key}")
def update_section(
    plan_id: int, key: SectionKey, body: SectionUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Edit a section of a draft plan, carrying the section's version."""
    with transaction(request) as session:
        section_id = plans.section_of(session, plan_id, key).id
    with saving(request, PlanSection, section_id) as session:
        return one(plans.update_section(session, actor, plan_id, key, body))


@router.post("/plans/{plan_id}/transitions")
def transition(
    plan_id: int, body: Transition, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """``approve`` (DEPC), ``endorse`` (SEPC), ``notify`` (national), or ``return`` to draft."""
    with saving(request, ActionPlan, plan_id) as session:
        return one(plans.transition(session, actor, plan_id, body.step, body.version))


@router.post("/plans/{plan_id}/revisions", status_code=201)
def revise_plan(plan_id: int, request: Request, actor: CurrentActor) -> dict[str, Any]:
    """A new draft revision of a notified plan."""
    with transaction(request) as session:
        return one(plans.revise_plan(session, actor, plan_id))


@router.post("/plans/{plan_id}/kpis/refresh")
def refresh_kpis(plan_id: int, request: Request, actor: CurrentActor) -> dict[str, Any]:
    """Read the actuals of the plan's KPIs bound to an indicator from the facts store."""
    settings = request.app.state.settings
    with transaction(request) as session:
        done = interventions.refresh_actuals(
            session, actor, settings, plan_id=plan_id, frame=district_frame(request, None)
        )
    return {"ok": True, "data": [k.model_dump(mode="json") for k in done], "count": len(done)}


@router.post("/plans/{plan_id}/interventions", status_code=201)
def add_intervention(
    plan_id: int, body: InterventionCreate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """An intervention of a plan."""
    with transaction(request) as session:
        return one(interventions.add_intervention(session, actor, plan_id, body))


@router.patch("/interventions/{intervention_id}")
def update_intervention(
    intervention_id: int, body: InterventionUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Change an intervention (409 on a stale version)."""
    with saving(request, Intervention, intervention_id) as session:
        return one(interventions.update_intervention(session, actor, intervention_id, body))


@router.post("/interventions/{intervention_id}/kpis", status_code=201)
def add_kpi(
    intervention_id: int, body: KpiCreate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """A KPI of an intervention (optionally bound to an analytics indicator)."""
    with transaction(request) as session:
        return one(interventions.add_kpi(session, actor, intervention_id, body))


@router.patch("/kpis/{kpi_id}")
def update_kpi(
    kpi_id: int, body: KpiUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Change a KPI (409 on a stale version)."""
    with saving(request, Kpi, kpi_id) as session:
        return one(interventions.update_kpi(session, actor, kpi_id, body))


@router.post("/kpis/{kpi_id}/progress", status_code=201)
def add_progress(
    kpi_id: int, body: ProgressCreate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """A dated progress value of a KPI."""
    with transaction(request) as session:
        return one(interventions.add_progress(session, actor, kpi_id, body))
