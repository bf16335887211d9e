"""The content of a plan's document (the DEAP as PDF or XLSX): the plan with its sections,
interventions and KPIs, the district and state, who took each lifecycle step, and the DEPC's
members. Laid out by :mod:`dehub.reports.plan_document`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dehub import __version__
from dehub.errors import Forbidden
from dehub.records.accounts import User
from dehub.records.base import utcnow
from dehub.records.policy import Actor
from dehub.services.records import committees, common, plans
from dehub.services.records.schemas import MemberPublic, PlanPublic


@dataclass
class PlanExport:
    """What a plan's document shows."""

    plan: PlanPublic
    district_name: str
    state_name: str
    steps: list[tuple[str, str, datetime | None]]
    members: list[MemberPublic] = field(default_factory=list)
    generated_at: datetime = field(default_factory=utcnow)
    generator: str = f"dehub {__version__}"


def plan_export(session: Session, actor: Actor | None, plan_id: int) -> PlanExport:
    """The document content of a plan the actor may view (:class:`Forbidden` otherwise)."""
    plan = plans.get_plan(session, actor, plan_id)
    d = common.district(plan.district_code)
    ids = {plan.created_by, plan.depc_approved_by, plan.sepc_endorsed_by, plan.notified_by}
    ids.discard(None)
    names = {u.id: u.name or u.email for u in session.scalars(select(User).where(User.id.in_(ids)))}

    def who(user_id: int | None) -> str:
        return "" if user_id is None else names.get(user_id, f"account #{user_id}")

    steps = [
        ("Drafted", who(plan.created_by), plan.created_at),
        ("Approved by the DEPC", who(plan.depc_approved_by), plan.depc_approved_at),
        ("Endorsed by the SEPC", who(plan.sepc_endorsed_by), plan.sepc_endorsed_at),
        ("Notified", who(plan.notified_by), plan.notified_at),
    ]
    members: list[MemberPublic] = []
    if actor is not None:
        try:
            found = committees.find_committee(session, actor, "depc", d.code)
        except Forbidden:  # members are shown only to who may see the committee
            found = None  # (no DEPC yet is None too)
        members = found.members if found is not None else []
    return PlanExport(plan, d.name, d.state_name, steps, members)
