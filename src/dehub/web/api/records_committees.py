"""Committees (SEPC, DEPC), members, meetings and action items over the API; thin over
:mod:`dehub.services.records.committees`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from dehub.records.committees import ActionItem, Committee, Meeting, Member
from dehub.services.records import committees
from dehub.services.records.schemas import (
    ActionItemCreate,
    ActionItemUpdate,
    CommitteeCreate,
    CommitteeUpdate,
    MeetingCreate,
    MeetingUpdate,
    MemberCreate,
    MemberUpdate,
)
from dehub.web.api.pagination import Paging
from dehub.web.api.records_io import listing, one, saving
from dehub.web.auth import CurrentActor, MaybeActor, no_store, transaction

router = APIRouter(tags=["committees"], dependencies=[Depends(no_store)])


@router.get("/committees")
def list_committees(
    request: Request, actor: MaybeActor, paging: Paging, state_code: str | None = None
) -> dict[str, Any]:
    """The committees the caller may see, with members, meetings and action items."""
    with transaction(request) as session:
        return listing(committees.list_committees(session, actor, state_code), paging)


@router.post("/committees", status_code=201)
def create_committee(
    body: CommitteeCreate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """An SEPC (``state_code``) or DEPC (``district_code``); 409 when it exists."""
    with transaction(request) as session:
        return one(committees.create_committee(session, actor, body))


@router.get("/committees/{committee_id}")
def get_committee(committee_id: int, request: Request, actor: MaybeActor) -> dict[str, Any]:
    """A committee with its members, meetings and action items."""
    with transaction(request) as session:
        return one(committees.get_committee(session, actor, committee_id))


@router.patch("/committees/{committee_id}")
def update_committee(
    committee_id: int, body: CommitteeUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Rename a committee (409 on a stale version)."""
    with saving(request, Committee, committee_id) as session:
        return one(committees.update_committee(session, actor, committee_id, body))


@router.post("/committees/{committee_id}/members", status_code=201)
def add_member(
    committee_id: int, body: MemberCreate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """A member of a committee."""
    with transaction(request) as session:
        return one(committees.add_member(session, actor, committee_id, body))


@router.patch("/members/{member_id}")
def update_member(
    member_id: int, body: MemberUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Change a member (409 on a stale version)."""
    with saving(request, Member, member_id) as session:
        return one(committees.update_member(session, actor, member_id, body))


@router.delete("/members/{member_id}")
def remove_member(
    member_id: int,
    request: Request,
    actor: CurrentActor,
    version: Annotated[int, Query(ge=1, description="The version loaded")],
) -> dict[str, Any]:
    """Remove a member (409 on a stale version)."""
    with saving(request, Member, member_id) as session:
        committees.remove_member(session, actor, member_id, version)
    return {"ok": True}


@router.post("/committees/{committee_id}/meetings", status_code=201)
def create_meeting(
    committee_id: int, body: MeetingCreate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """A meeting with agenda, minutes and decisions."""
    with transaction(request) as session:
        return one(committees.create_meeting(session, actor, committee_id, body))


@router.patch("/meetings/{meeting_id}")
def update_meeting(
    meeting_id: int, body: MeetingUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Change a meeting (409 on a stale version)."""
    with saving(request, Meeting, meeting_id) as session:
        return one(committees.update_meeting(session, actor, meeting_id, body))


@router.post("/meetings/{meeting_id}/action-items", status_code=201)
def add_action_item(
    meeting_id: int, body: ActionItemCreate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """An action decided at a meeting."""
    with transaction(request) as session:
        return one(committees.add_action_item(session, actor, meeting_id, body))


@router.patch("/action-items/{item_id}")
def update_action_item(
    item_id: int, body: ActionItemUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Change an action item's status, owner or due date (409 on a stale version)."""
    with saving(request, ActionItem, item_id) as session:
        return one(committees.update_action_item(session, actor, item_id, body))
