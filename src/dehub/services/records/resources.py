"""The policy :class:`~dehub.records.policy.Resource` of each kind of record: its scope (state,
district, enterprise) and what permissions depend on (committee kind, plan status)."""

from __future__ import annotations

from dehub.records.accounts import User
from dehub.records.committees import ActionItem, Committee, Meeting, Member
from dehub.records.exporters import Attendance, Event, Exporter, Feedback
from dehub.records.plans import ActionPlan, Intervention, Kpi, PlanSection
from dehub.records.policy import Resource


def of_committee(c: Committee) -> Resource:
    return Resource("committee", c.state_code, c.district_code, committee_kind=c.kind)


def of_member(m: Member) -> Resource:
    return of_committee(m.committee)


def of_meeting(m: Meeting) -> Resource:
    return of_committee(m.committee)


def of_action_item(a: ActionItem) -> Resource:
    return of_meeting(a.meeting)


def of_plan(p: ActionPlan) -> Resource:
    return Resource("plan", p.state_code, p.district_code, status=p.status)


def of_section(s: PlanSection) -> Resource:
    return of_plan(s.plan)


def of_intervention(i: Intervention) -> Resource:
    return of_plan(i.plan)


def of_kpi(k: Kpi) -> Resource:
    return of_plan(k.intervention.plan)


def of_exporter(e: Exporter) -> Resource:
    return Resource("exporter", e.state_code, e.district_code, exporter_id=e.id)


def of_event(e: Event) -> Resource:
    return Resource("event", e.state_code, e.district_code)


def of_attendance(a: Attendance) -> Resource:
    return of_event(a.event)


def of_feedback(f: Feedback) -> Resource:
    return Resource("feedback", f.state_code, f.district_code, exporter_id=f.exporter_id)


def of_user(u: User) -> Resource:
    return Resource("user", u.state_code, u.district_code, u.exporter_id, target_role=u.role)
