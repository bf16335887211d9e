"""District Export Action Plans: create, edit sections, the lifecycle, revisions.

Lifecycle (each step records who and when on the plan, and an audit entry):

    draft --approve--> depc_approved --endorse--> sepc_endorsed --notify--> notified
      ^------------------ return ---------------------'

``approve`` is the DEPC's decision (district officer, or the DEPC chair's account), ``endorse``
the SEPC's (state officer), ``notify`` the national administrator's (see
:mod:`dehub.records.policy`). ``return`` sends an approved or endorsed plan back to draft (by
whoever would take its next step) and clears the approvals. Only a draft is edited; a notified
plan is changed by a new revision (:func:`revise_plan`).
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dehub.errors import Conflict
from dehub.records.base import utcnow
from dehub.records.plans import ActionPlan, Intervention, Kpi, PlanSection
from dehub.records.policy import Action, Actor, Resource, require
from dehub.records.vocab import PLAN_SECTIONS
from dehub.services.records import common, resources
from dehub.services.records.schemas import (
    Page,
    PlanCreate,
    PlanPublic,
    PlanSummary,
    PlanUpdate,
    SectionPublic,
    SectionUpdate,
)

Step = Literal["approve", "endorse", "notify", "return"]

STEPS: dict[str, tuple[Action, str, str]] = {
    "approve": ("plan.approve", "draft", "depc_approved"),
    "endorse": ("plan.endorse", "depc_approved", "sepc_endorsed"),
    "notify": ("plan.notify", "sepc_endorsed", "notified"),
}
"""step -> (policy action, status before, status after)."""
STAMPS = {
    "depc_approved": ("depc_approved_by", "depc_approved_at"),
    "sepc_endorsed": ("sepc_endorsed_by", "sepc_endorsed_at"),
    "notified": ("notified_by", "notified_at"),
}


def require_draft(plan: ActionPlan, what: str = "edited") -> None:
    """A plan's content is edited only in draft (:class:`Conflict` otherwise)."""
    if plan.status != "draft":
        raise Conflict(
            f"plan {plan.id} is {plan.status}: only a draft can be {what} (return it to draft"
            + (" or revise it" if plan.status == "notified" else "")
            + " first)"
        )


def new_plan(
    session: Session,
    actor: Actor,
    data: PlanCreate,
    *,
    revision: int = 1,
    action: Action = "plan.create",
    audit_action: str = "create",
) -> ActionPlan:
    """A new draft plan with its empty sections (checked and audited), not yet a schema."""
    d = common.district(data.district_code)
    require(actor, action, Resource("plan", d.state_code, d.code, status="draft"))
    latest = latest_revision(session, d.code, data.period)
    if latest is not None and revision <= latest.revision:
        raise Conflict(
            f"{d.name} has a plan for {data.period} already (id {latest.id}, revision "
            f"{latest.revision}, {latest.status}); edit or revise it"
        )
    plan = ActionPlan(
        district_code=d.code,
        state_code=d.state_code,
        period=data.period,
        revision=revision,
        title=data.title or f"District Export Action Plan {data.period}: {d.name}",
        status="draft",
        created_by=actor.user_id,
        sections=[
            PlanSection(key=key, position=i + 1, title=title, body="", data=None)
            for i, (key, title) in enumerate(PLAN_SECTIONS.items())
        ],
    )
    common.create(session, actor, plan, audit_action)
    return plan


def create_plan(session: Session, actor: Actor, data: PlanCreate) -> PlanPublic:
    """An empty draft plan for a district and period (one per district and period;
    :class:`Conflict` when one exists)."""
    return PlanPublic.model_validate(new_plan(session, actor, data))


def latest_revision(session: Session, district_code: str, period: str) -> ActionPlan | None:
    """The latest revision of a district's plan for a period, or None."""
    stmt = (
        select(ActionPlan)
        .where(ActionPlan.district_code == district_code, ActionPlan.period == period)
        .order_by(ActionPlan.revision.desc())
    )
    return session.scalars(stmt).first()


def get_plan(session: Session, actor: Actor | None, plan_id: int) -> PlanPublic:
    """A plan with its sections, interventions and KPIs (notified plans are public)."""
    plan = common.load(session, actor, ActionPlan, plan_id, "view", resources.of_plan)
    return PlanPublic.model_validate(plan)


def list_plans(
    session: Session,
    actor: Actor | None,
    *,
    state_code: str | None = None,
    district_code: str | None = None,
    status: str | None = None,
) -> Page[PlanSummary]:
    """Plans the actor may see, newest period and revision first, optionally filtered."""
    stmt = select(ActionPlan).order_by(
        ActionPlan.period.desc(), ActionPlan.district_code, ActionPlan.revision.desc()
    )
    stmt = common.in_scope(stmt, ActionPlan, state_code, district_code)
    if status is not None:
        stmt = stmt.where(ActionPlan.status == status)
    return common.visible(session, actor, stmt, resources.of_plan, PlanSummary.model_validate)


def plan_status_counts(session: Session, state_code: str | None = None) -> dict[str, int]:
    """How many plans (latest revisions and older) are in each status (public figures)."""
    stmt = select(ActionPlan.status, func.count()).group_by(ActionPlan.status)
    if state_code is not None:
        stmt = stmt.where(ActionPlan.state_code == state_code)
    return {str(s): int(n) for s, n in session.execute(stmt).all()}


def update_plan(session: Session, actor: Actor, plan_id: int, data: PlanUpdate) -> PlanPublic:
    """Change a draft plan's title."""
    plan = common.edit(
        session,
        actor,
        ActionPlan,
        plan_id,
        "plan.edit",
        resources.of_plan,
        data,
        lambda plan, _: require_draft(plan),
    )
    return PlanPublic.model_validate(plan)


def section_of(session: Session, plan_id: int, key: str) -> PlanSection:
    """The section ``key`` of a plan (:class:`NotFound` otherwise)."""
    plan = common.get(session, ActionPlan, plan_id)
    for section in plan.sections:
        if section.key == key:
            return section
    raise common.invalid("key", f"no section {key!r}; sections: {', '.join(PLAN_SECTIONS)}")


def update_section(
    session: Session, actor: Actor, plan_id: int, key: str, data: SectionUpdate
) -> SectionPublic:
    """Edit a section of a draft plan (text ``body`` and/or ``data``), carrying the section's
    version: a stale version is a :class:`ConflictError` and nothing is saved."""
    section = section_of(session, plan_id, key)
    require(actor, "plan.edit", resources.of_section(section))
    require_draft(section.plan)
    common.save(session, actor, section, data.version, common.changes_of(data))
    return SectionPublic.model_validate(section)


def transition(
    session: Session, actor: Actor, plan_id: int, step: Step, version: int
) -> PlanPublic:
    """Move a plan one step through its lifecycle (or ``return`` it to draft), recording who
    and when. :class:`Forbidden` when the actor may not take the step, :class:`Conflict` when
    the plan is not in the status the step starts from, :class:`ConflictError` when the plan
    changed since ``version`` was loaded."""
    plan = common.get(session, ActionPlan, plan_id)
    if step == "return":
        if plan.status not in ("depc_approved", "sepc_endorsed"):
            raise Conflict(
                f"plan {plan.id} is {plan.status}: only an approved or endorsed "
                "plan can be returned to draft"
            )
        require(actor, "plan.return", resources.of_plan(plan))
        changes: dict[str, object] = {"status": "draft"}
        for by, at in STAMPS.values():
            changes[by] = None
            changes[at] = None
        common.save(session, actor, plan, version, changes, action="return")
        return PlanPublic.model_validate(plan)
    action, before, after = STEPS[step]
    require(actor, action, resources.of_plan(plan))
    if plan.status != before:
        raise Conflict(
            f"plan {plan.id} is {plan.status}: it can be {after.replace('_', ' ')} only "
            f"when {before.replace('_', ' ')}"
        )
    by, at = STAMPS[after]
    changes = {"status": after, by: actor.user_id, at: utcnow()}
    common.save(session, actor, plan, version, changes, action=step)
    return PlanPublic.model_validate(plan)


REVISED_INTERVENTION = (
    "category",
    "title",
    "description",
    "owner_agency",
    "budget_inr",
    "start_date",
    "end_date",
    "status",
)
"""What a new revision copies of each intervention (with its KPIs)."""
REVISED_KPI = (
    "name",
    "unit",
    "baseline",
    "target",
    "target_date",
    "indicator",
    "indicator_sector",
)
"""What a new revision copies of each KPI (not its progress nor its actual)."""


def _copied(record: object, keys: tuple[str, ...]) -> dict[str, object]:
    return {key: getattr(record, key) for key in keys}


def revise_plan(session: Session, actor: Actor, plan_id: int) -> PlanPublic:
    """A new draft revision of a notified plan, copying its sections, interventions and KPIs
    (not their progress, which stays with the notified revision)."""
    old = common.load(session, actor, ActionPlan, plan_id, "plan.revise", resources.of_plan)
    if old.status != "notified":
        raise Conflict(f"plan {old.id} is {old.status}: only a notified plan is revised")
    data = PlanCreate(district_code=old.district_code, period=old.period, title=old.title)
    plan = new_plan(
        session, actor, data, revision=old.revision + 1, action="plan.revise", audit_action="revise"
    )
    plan.source = old.source
    by_key = {s.key: s for s in old.sections}
    for section in plan.sections:
        section.body = by_key[section.key].body
        section.data = by_key[section.key].data
    for i in old.interventions:
        copy = Intervention(
            **_copied(i, REVISED_INTERVENTION),
            kpis=[Kpi(**_copied(k, REVISED_KPI)) for k in i.kpis],
        )
        plan.interventions.append(copy)
    session.flush()
    return PlanPublic.model_validate(plan)


def latest_plans(
    session: Session, *, period: str | None = None, state_code: str | None = None
) -> list[dict[str, object]]:
    """The national (or a state's) monitoring table: for every district with a plan, its
    latest revision's ``district_code``, ``state_code``, ``period``, ``revision``, ``status``,
    ``plan_id`` and the time of its last step. Statuses and dates only (public figures); the
    plans themselves follow the view permissions."""
    stmt = select(ActionPlan).order_by(
        ActionPlan.district_code, ActionPlan.period.desc(), ActionPlan.revision.desc()
    )
    if period is not None:
        stmt = stmt.where(ActionPlan.period == period)
    if state_code is not None:
        stmt = stmt.where(ActionPlan.state_code == state_code)
    rows: dict[str, dict[str, object]] = {}
    for p in session.scalars(stmt):
        if p.district_code in rows:
            continue
        rows[p.district_code] = {
            "district_code": p.district_code,
            "state_code": p.state_code,
            "period": p.period,
            "revision": p.revision,
            "status": p.status,
            "plan_id": p.id,
            "last_step_at": p.notified_at
            or p.sepc_endorsed_at
            or p.depc_approved_at
            or p.created_at,
        }
    return list(rows.values())
