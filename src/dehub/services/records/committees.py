"""Committees (an SEPC per state, a DEPC per district), members, meetings and action items."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dehub.errors import Conflict
from dehub.records.committees import ActionItem, Committee, Meeting, Member
from dehub.records.policy import Actor, Resource, require
from dehub.services.records import common, resources
from dehub.services.records.schemas import (
    ActionItemCreate,
    ActionItemPublic,
    ActionItemUpdate,
    CommitteeCreate,
    CommitteePublic,
    CommitteeUpdate,
    MeetingCreate,
    MeetingPublic,
    MeetingUpdate,
    MemberCreate,
    MemberPublic,
    MemberUpdate,
    Page,
)


def create_committee(session: Session, actor: Actor, data: CommitteeCreate) -> CommitteePublic:
    """Create the SEPC of a state (``state_code``) or the DEPC of a district
    (``district_code``); :class:`Conflict` when it exists already."""
    if data.kind == "sepc":
        if not data.state_code:
            raise common.invalid("state_code", "an SEPC needs its state (LGD code)")
        st = common.state(data.state_code)
        scope, state_code, district_code = st.code, st.code, None
        name = data.name or f"State Export Promotion Committee, {st.name}"
    else:
        if not data.district_code:
            raise common.invalid("district_code", "a DEPC needs its district (LGD code)")
        d = common.district(data.district_code)
        scope, state_code, district_code = d.code, d.state_code, d.code
        name = data.name or f"District Export Promotion Committee, {d.name}"
    require(
        actor,
        "committee.manage",
        Resource("committee", state_code, district_code, committee_kind=data.kind),
    )
    exists = _committee_of(session, data.kind, scope)
    if exists is not None:
        raise Conflict(f"{name} exists already (id {exists.id})")
    committee = Committee(
        kind=data.kind,
        scope_code=scope,
        state_code=state_code,
        district_code=district_code,
        name=name,
    )
    common.create(session, actor, committee)
    return CommitteePublic.model_validate(committee)


def _committee_of(session: Session, kind: str, scope_code: str) -> Committee | None:
    """The committee of this kind for a state or district (LGD code), or None."""
    return session.scalars(
        select(Committee).where(Committee.kind == kind, Committee.scope_code == scope_code)
    ).first()


def update_committee(
    session: Session, actor: Actor, committee_id: int, data: CommitteeUpdate
) -> CommitteePublic:
    committee = common.edit(
        session, actor, Committee, committee_id, "committee.manage", resources.of_committee, data
    )
    return CommitteePublic.model_validate(committee)


def get_committee(session: Session, actor: Actor | None, committee_id: int) -> CommitteePublic:
    """A committee with its members, meetings and action items."""
    committee = common.load(session, actor, Committee, committee_id, "view", resources.of_committee)
    return CommitteePublic.model_validate(committee)


def find_committee(
    session: Session, actor: Actor | None, kind: str, scope_code: str
) -> CommitteePublic | None:
    """The SEPC of a state or DEPC of a district (by LGD code), or None."""
    committee = _committee_of(session, kind, scope_code)
    if committee is None:
        return None
    require(actor, "view", resources.of_committee(committee))
    return CommitteePublic.model_validate(committee)


def list_committees(
    session: Session, actor: Actor | None, state_code: str | None = None
) -> Page[CommitteePublic]:
    """The committees the actor may see (of one state when ``state_code`` is given)."""
    stmt = select(Committee).order_by(Committee.kind.desc(), Committee.scope_code)
    stmt = common.in_scope(stmt, Committee, state_code)
    return common.visible(
        session, actor, stmt, resources.of_committee, CommitteePublic.model_validate
    )


def add_member(
    session: Session, actor: Actor, committee_id: int, data: MemberCreate
) -> MemberPublic:
    committee = common.load(
        session, actor, Committee, committee_id, "committee.manage", resources.of_committee
    )
    member = common.create(session, actor, Member(committee=committee, **data.model_dump()))
    return MemberPublic.model_validate(member)


def update_member(
    session: Session, actor: Actor, member_id: int, data: MemberUpdate
) -> MemberPublic:
    member = common.edit(
        session, actor, Member, member_id, "committee.manage", resources.of_member, data
    )
    return MemberPublic.model_validate(member)


def remove_member(session: Session, actor: Actor, member_id: int, version: int) -> None:
    member = common.load(session, actor, Member, member_id, "committee.manage", resources.of_member)
    common.check_version(member, version)
    before = common.snapshot(member)
    member.committee.members.remove(member)
    session.delete(member)
    common.audit(session, actor, "delete", member, before, deleted=True)


def create_meeting(
    session: Session, actor: Actor, committee_id: int, data: MeetingCreate
) -> MeetingPublic:
    committee = common.load(
        session, actor, Committee, committee_id, "meeting.manage", resources.of_committee
    )
    meeting = common.create(session, actor, Meeting(committee=committee, **data.model_dump()))
    return MeetingPublic.model_validate(meeting)


def update_meeting(
    session: Session, actor: Actor, meeting_id: int, data: MeetingUpdate
) -> MeetingPublic:
    meeting = common.edit(
        session, actor, Meeting, meeting_id, "meeting.manage", resources.of_meeting, data
    )
    return MeetingPublic.model_validate(meeting)


def add_action_item(
    session: Session, actor: Actor, meeting_id: int, data: ActionItemCreate
) -> ActionItemPublic:
    meeting = common.load(
        session, actor, Meeting, meeting_id, "meeting.manage", resources.of_meeting
    )
    item = common.create(session, actor, ActionItem(meeting=meeting, **data.model_dump()))
    return ActionItemPublic.model_validate(item)


def update_action_item(
    session: Session, actor: Actor, item_id: int, data: ActionItemUpdate
) -> ActionItemPublic:
    item = common.edit(
        session, actor, ActionItem, item_id, "meeting.manage", resources.of_action_item, data
    )
    return ActionItemPublic.model_validate(item)


def overdue_action_items(
    session: Session,
    actor: Actor | None,
    *,
    state_code: str | None = None,
    district_code: str | None = None,
    today: date | None = None,
) -> Page[ActionItemPublic]:
    """Action items past their due date and not done or dropped, of the committees the actor
    may see (of one state or district when given), oldest due first."""
    day = today or date.today()
    stmt = (
        select(ActionItem)
        .join(Meeting)
        .join(Committee)
        .where(ActionItem.due_date < day, ActionItem.status.in_(("open", "in_progress")))
        .order_by(ActionItem.due_date, ActionItem.id)
    )
    stmt = common.in_scope(stmt, Committee, state_code, district_code)
    return common.visible(
        session, actor, stmt, resources.of_action_item, ActionItemPublic.model_validate
    )
