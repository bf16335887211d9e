"""Accounts over the API (national administrators; state officers for the district roles and
exporters of their state) and the audit log (national administrators); thin over
:mod:`dehub.services.records.accounts`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from dehub.records.accounts import User
from dehub.services.records import accounts
from dehub.services.records.schemas import UserCreate, UserUpdate
from dehub.web.api.pagination import Paging
from dehub.web.api.records_io import listing, one, saving
from dehub.web.auth import CurrentActor, no_store, transaction

router = APIRouter(tags=["accounts"], dependencies=[Depends(no_store)])


@router.get("/users")
def list_users(request: Request, actor: CurrentActor, paging: Paging) -> dict[str, Any]:
    """The accounts the caller may manage (none for most roles)."""
    with transaction(request) as session:
        return listing(accounts.list_users(session, actor), paging)


@router.post("/users", status_code=201)
def add_user(body: UserCreate, request: Request, actor: CurrentActor) -> dict[str, Any]:
    """Create an account (409 when the email is taken)."""
    with transaction(request) as session:
        return one(accounts.add_user(session, actor, body))


@router.patch("/users/{user_id}")
def update_user(
    user_id: int, body: UserUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Change an account's name, password or active flag (409 on a stale version)."""
    with saving(request, User, user_id) as session:
        return one(accounts.update_user(session, actor, user_id, body))


@router.get("/audit")
def audit_log(
    request: Request,
    actor: CurrentActor,
    paging: Paging,
    entity: str | None = None,
    entity_id: int | None = None,
) -> dict[str, Any]:
    """The latest changes, who made them, before and after (national administrators)."""
    with transaction(request) as session:
        page = accounts.audit_trail(session, actor, entity, entity_id, limit=1000)
    return listing(page, paging)
