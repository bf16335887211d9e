"""What the workspace pages show: the national monitoring frame of every district, a state's
view across its districts, and a district's workspace (plans, committee, exporters, events,
feedback), each limited to what the actor may see (:mod:`dehub.records.policy`).

The monitoring frame is built from grouped SQL counts joined to the LGD districts with
pandas: one row per district with its latest plan (period, revision, status), interventions
and KPIs of that plan (KPIs on track: latest progress value or actual at or above the target),
exporters (all, and shipping: first shipment or regular), open feedback, and overdue action
items (open or in progress past their due date) of its DEPC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dehub.errors import Forbidden
from dehub.records.committees import ActionItem, Committee, Meeting
from dehub.records.exporters import Exporter, Feedback
from dehub.records.plans import ActionPlan, Intervention, Kpi, KpiProgress
from dehub.records.policy import Action, Actor, Resource, can, require
from dehub.reference.tables import read_reference
from dehub.services.records import committees, common, exporters, feedback, plans
from dehub.services.records.schemas import (
    CommitteePublic,
    EventPublic,
    ExporterPublic,
    FeedbackPublic,
    PlanPublic,
    PlanSummary,
)

COUNT_COLUMNS = (
    "interventions",
    "kpis",
    "kpis_on_track",
    "exporters",
    "exporters_shipping",
    "open_feedback",
    "overdue_actions",
)
"""The monitoring frame's counts (0 where there is nothing)."""
MONITORING_COLUMNS = (
    "state_code",
    "state_name",
    "district_code",
    "district_name",
    "plan_id",
    "period",
    "revision",
    "status",
    *COUNT_COLUMNS,
)
PLAN_STEPS: tuple[tuple[str, Action, str], ...] = (
    ("approve", "plan.approve", "draft"),
    ("endorse", "plan.endorse", "depc_approved"),
    ("notify", "plan.notify", "sepc_endorsed"),
    ("return", "plan.return", ""),
)
"""Lifecycle buttons: step, policy action, the status it starts from ("" = approved or
endorsed)."""
OPEN = ("open", "in_progress")
"""The statuses of an action item or a feedback issue still to be dealt with."""
SHIPPING = ("first_shipment", "regular")
"""The onboarding stages of an exporter that ships."""


def _frame(session: Session, stmt: Any, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(stmt).all(), columns=columns)


def _districts(state_code: str | None) -> pd.DataFrame:
    d = read_reference("districts.csv")[["district_code", "district_name", "state_code"]]
    s = read_reference("states.csv")[["state_code", "state_name"]]
    out = d.merge(s, on="state_code", how="left")
    if state_code is not None:
        out = out[out["state_code"] == state_code]
    return out


def _latest_plans(session: Session) -> pd.DataFrame:
    cols = ["plan_id", "district_code", "period", "revision", "status"]
    stmt = select(
        ActionPlan.id,
        ActionPlan.district_code,
        ActionPlan.period,
        ActionPlan.revision,
        ActionPlan.status,
    )
    plans_ = _frame(session, stmt, cols)
    plans_ = plans_.sort_values(["district_code", "period", "revision"], ascending=False)
    return plans_.drop_duplicates("district_code")


def _kpi_counts(session: Session) -> pd.DataFrame:
    kpis = _frame(
        session,
        select(Intervention.plan_id, Kpi.id, Kpi.target, Kpi.actual).join(Kpi.intervention),
        ["plan_id", "kpi_id", "target", "actual"],
    )
    progress = _frame(
        session,
        select(KpiProgress.kpi_id, KpiProgress.on_date, KpiProgress.value),
        ["kpi_id", "on_date", "value"],
    )
    last = progress.sort_values("on_date").drop_duplicates("kpi_id", keep="last")
    kpis = kpis.merge(last[["kpi_id", "value"]], on="kpi_id", how="left")
    reached = kpis["value"].fillna(kpis["actual"])
    kpis["on_track"] = (reached >= kpis["target"]) & kpis["target"].notna()
    return kpis.groupby("plan_id").agg(kpis=("kpi_id", "size"), kpis_on_track=("on_track", "sum"))


def _count_by_district(session: Session, name: str, model: Any, *where: Any) -> pd.DataFrame:
    """How many ``model`` rows (matching ``where``) each district has, as column ``name``
    indexed by ``district_code``."""
    stmt = select(model.district_code, func.count()).where(*where).group_by(model.district_code)
    return _frame(session, stmt, ["district_code", name]).set_index("district_code")


def _overdue_filter(today: date) -> Any:
    return (ActionItem.due_date < today) & ActionItem.status.in_(OPEN)


def monitoring_frame(
    session: Session, actor: Actor, *, state_code: str | None = None, today: date | None = None
) -> pd.DataFrame:
    """One row per district the actor may see (of one state when ``state_code``), columns
    :data:`MONITORING_COLUMNS`; counts are 0 and plan fields empty where there is nothing."""
    today = today or date.today()
    out = _districts(state_code)
    visible = [
        can(actor, "view", Resource("plan", s, d))
        for s, d in zip(out["state_code"], out["district_code"], strict=True)
    ]
    out = out[visible]
    out = out.merge(_latest_plans(session), on="district_code", how="left")
    interventions = _frame(
        session,
        select(Intervention.plan_id, func.count()).group_by(Intervention.plan_id),
        ["plan_id", "interventions"],
    ).set_index("plan_id")
    out = out.join(interventions, on="plan_id").join(_kpi_counts(session), on="plan_id")
    counts = [
        _count_by_district(session, "exporters", Exporter),
        _count_by_district(session, "exporters_shipping", Exporter, Exporter.stage.in_(SHIPPING)),
        _count_by_district(session, "open_feedback", Feedback, Feedback.status.in_(OPEN)),
        _count_by_district(
            session,
            "overdue_actions",
            Committee,
            Meeting.committee_id == Committee.id,
            ActionItem.meeting_id == Meeting.id,
            Committee.kind == "depc",
            _overdue_filter(today),
        ),
    ]
    for found in counts:
        out = out.join(found, on="district_code")
    numeric = list(COUNT_COLUMNS)
    out[numeric] = out[numeric].fillna(0).astype(int)
    out["plan_id"] = out["plan_id"].astype("Int64")
    out["revision"] = out["revision"].astype("Int64")
    out["status"] = out["status"].fillna("no plan")
    return out.sort_values(["state_name", "district_name"])[list(MONITORING_COLUMNS)]


def overdue_actions(
    session: Session, actor: Actor, *, state_code: str, today: date | None = None
) -> list[dict[str, Any]]:
    """Overdue action items of the state's committees (DEPCs and the SEPC) the actor may see,
    oldest due first."""
    stmt = (
        select(
            Committee.kind,
            Committee.state_code,
            Committee.district_code,
            Committee.name,
            Meeting.title,
            ActionItem.description,
            ActionItem.owner,
            ActionItem.due_date,
            ActionItem.status,
        )
        .join(Meeting, Meeting.committee_id == Committee.id)
        .join(ActionItem, ActionItem.meeting_id == Meeting.id)
        .where(Committee.state_code == state_code, _overdue_filter(today or date.today()))
        .order_by(ActionItem.due_date)
    )
    keys = (
        "kind",
        "state_code",
        "district_code",
        "committee",
        "meeting",
        "description",
        "owner",
        "due_date",
        "status",
    )
    return [
        dict(zip(keys, row, strict=True))
        for row in session.execute(stmt).all()
        if can(actor, "view", Resource("committee", row[1], row[2], committee_kind=row[0]))
    ]


def plan_buttons(actor: Actor | None, plan: PlanSummary) -> dict[str, bool]:
    """Which lifecycle steps the actor may take on the plan now (edit included)."""
    res = Resource("plan", plan.state_code, plan.district_code, status=plan.status)
    out = {"edit": plan.status == "draft" and can(actor, "plan.edit", res)}
    for step, action, start in PLAN_STEPS:
        due = (
            plan.status in ("depc_approved", "sepc_endorsed")
            if not start
            else (plan.status == start)
        )
        out[step] = due and can(actor, action, res)
    out["revise"] = plan.status == "notified" and can(actor, "plan.revise", res)
    return out


@dataclass
class DistrictWorkspace:
    """A district's workspace as the actor may see it (``full``: an officer of its scope;
    otherwise an exporter of the district, who sees the own enterprise, its feedback and the
    district's events)."""

    district_code: str
    district_name: str
    state_code: str
    state_name: str
    full: bool
    plans: list[PlanSummary] = field(default_factory=list)
    plan: PlanPublic | None = None
    buttons: dict[str, bool] = field(default_factory=dict)
    committee: CommitteePublic | None = None
    funnel: dict[str, int] = field(default_factory=dict)
    exporters: list[ExporterPublic] = field(default_factory=list)
    events: list[EventPublic] = field(default_factory=list)
    feedback: list[FeedbackPublic] = field(default_factory=list)
    may: dict[str, bool] = field(default_factory=dict)


def district_workspace(
    session: Session, actor: Actor, code: str, plan_id: int | None = None
) -> DistrictWorkspace:
    """The workspace of district ``code``; :class:`Forbidden` for an actor who may see none
    of it."""
    d = common.district(code)
    res = Resource("plan", d.state_code, d.code)
    full = can(actor, "view", res)
    if not full and not (actor.role == "exporter" and actor.district_code == d.code):
        require(actor, "view", res)
    out = DistrictWorkspace(d.code, d.name, d.state_code, d.state_name, full)
    out.exporters = exporters.list_exporters(session, actor, district_code=d.code).data
    out.events = exporters.list_events(session, actor, district_code=d.code).data
    out.feedback = feedback.list_feedback(session, actor, district_code=d.code).data
    scope = Resource("district", d.state_code, d.code)
    wanted: tuple[Action, ...] = (
        "plan.create",
        "meeting.manage",
        "exporter.stage",
        "feedback.respond",
    )
    out.may = {a: can(actor, a, scope) for a in wanted}
    if not full:
        return out
    out.plans = plans.list_plans(session, actor, district_code=d.code).data
    chosen = plan_id if plan_id is not None else (out.plans[0].id if out.plans else None)
    if chosen is not None:
        out.plan = plans.get_plan(session, actor, chosen)
        if out.plan.district_code != d.code:
            raise Forbidden(f"plan {chosen} is not a plan of {d.name}")
        out.buttons = plan_buttons(actor, out.plan)
    out.committee = committees.find_committee(session, actor, "depc", d.code)
    out.funnel = exporters.funnel(session, district_code=d.code)
    return out
