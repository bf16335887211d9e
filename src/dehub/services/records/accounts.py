"""Accounts: create and update users, sign in, and the :class:`Actor` of a user.

Roles and scope (checked here, as a business rule): a state officer needs ``state_code``; a
district officer or DEPC member needs ``district_code`` (its state is derived); an exporter
needs ``exporter_id`` (scope from the enterprise); a national administrator has no scope.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dehub.errors import AuthenticationFailed, Conflict, NotFound
from dehub.records.accounts import AuditEntry, User
from dehub.records.base import utcnow
from dehub.records.committees import Committee, Member
from dehub.records.exporters import Exporter
from dehub.records.passwords import hash_password, needs_rehash, verify_password
from dehub.records.policy import Actor, Resource, require
from dehub.records.vocab import DISTRICT_ROLES
from dehub.services.records import common, resources
from dehub.services.records.schemas import (
    AuditPublic,
    Page,
    UserCreate,
    UserPublic,
    UserUpdate,
)


def _scope(session: Session, data: UserCreate) -> dict[str, Any]:
    """The scope columns of a new account of ``data.role`` (validated against the reference)."""
    role = data.role
    if role == "national_admin":
        return {"state_code": None, "district_code": None, "exporter_id": None}
    if role == "state_officer":
        if not data.state_code:
            raise common.invalid("state_code", "a state officer needs a state (LGD code)")
        return {"state_code": common.state(data.state_code).code, "district_code": None}
    if role in DISTRICT_ROLES:
        if not data.district_code:
            raise common.invalid("district_code", f"a {role} needs a district (LGD code)")
        d = common.district(data.district_code)
        return {"state_code": d.state_code, "district_code": d.code}
    if data.exporter_id is None:
        raise common.invalid("exporter_id", "an exporter account needs its enterprise")
    ex = common.get(session, Exporter, data.exporter_id)
    return {
        "state_code": ex.state_code,
        "district_code": ex.district_code,
        "exporter_id": ex.id,
    }


def add_user(
    session: Session, actor: Actor, data: UserCreate, *, is_demo: bool = False
) -> UserPublic:
    """Create an account (password hashed with argon2id). :class:`Conflict` when the email is
    taken; :class:`Forbidden` unless the actor may create accounts of that role and scope."""
    scope = _scope(session, data)
    target = Resource(
        "user", scope.get("state_code"), scope.get("district_code"), target_role=data.role
    )
    require(actor, "user.create", target)
    if find_user(session, data.email) is not None:
        raise Conflict(f"an account with email {data.email} exists already")
    user = User(
        email=data.email,
        name=data.name,
        password_hash=hash_password(data.password),
        role=data.role,
        is_demo=is_demo,
        **scope,
    )
    common.create(session, actor, user)
    return UserPublic.model_validate(user)


def update_user(session: Session, actor: Actor, user_id: int, data: UserUpdate) -> UserPublic:
    """Change an account's name, password or active flag."""
    user = common.edit(
        session, actor, User, user_id, "user.update", resources.of_user, data, _hash_new_password
    )
    return UserPublic.model_validate(user)


def _hash_new_password(user: User, changes: dict[str, Any]) -> None:
    """A new ``password`` in the changes is saved as its hash, never as text."""
    if "password" in changes:
        password = changes.pop("password")
        if password is not None:
            changes["password_hash"] = hash_password(password)


def find_user(session: Session, email: str) -> User | None:
    """The account with this email (case-insensitive), or None."""
    stmt = select(User).where(func.lower(User.email) == email.strip().lower())
    return session.scalars(stmt).first()


def authenticate(session: Session, email: str, password: str) -> User:
    """The active account with this email and password (its ``last_login_at`` updated, its hash
    upgraded when the argon2 parameters changed); :class:`AuthenticationFailed` otherwise,
    without saying which part was wrong. Login rate limiting is the web layer's."""
    user = find_user(session, email)
    if user is None:
        hash_password(password)  # spend the same time as for a known account
        raise AuthenticationFailed("unknown email or wrong password")
    if not verify_password(user.password_hash, password) or not user.active:
        raise AuthenticationFailed("unknown email or wrong password")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


def actor_for(session: Session, user: User) -> Actor:
    """The :class:`Actor` of an account: role, scope, and the districts whose DEPC it chairs."""
    chairs = session.scalars(
        select(Committee.district_code)
        .join(Member, Member.committee_id == Committee.id)
        .where(Member.user_id == user.id, Member.role == "chair", Committee.kind == "depc")
    ).all()
    return Actor(
        user_id=user.id,
        email=user.email,
        role=user.role,  # type: ignore[arg-type]  # validated on creation
        state_code=user.state_code,
        district_code=user.district_code,
        exporter_id=user.exporter_id,
        chairs=frozenset(c for c in chairs if c),
    )


def actor_by_id(session: Session, user_id: int) -> Actor:
    """The :class:`Actor` of the account ``user_id`` (for a signed-in session)."""
    user = common.get(session, User, user_id)
    if not user.active:
        raise AuthenticationFailed("this account is disabled")
    return actor_for(session, user)


def list_users(session: Session, actor: Actor) -> Page[UserPublic]:
    """The accounts the actor may manage (all for a national administrator, the state's for a
    state officer, none otherwise)."""
    stmt = select(User).order_by(User.email)
    return common.visible(
        session, actor, stmt, resources.of_user, UserPublic.model_validate, "user.update"
    )


def audit_trail(
    session: Session,
    actor: Actor,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: int = 200,
) -> Page[AuditPublic]:
    """The latest audit entries (of one record when ``entity`` and ``entity_id`` are given);
    national administrators only."""
    require(actor, "audit.view", Resource("audit"))
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity is not None:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    data = [AuditPublic.model_validate(e) for e in session.scalars(stmt)]
    return Page(data=data, count=len(data))


def scope_codes(
    session: Session,
    *,
    state: str | None = None,
    district: str | None = None,
    enterprise: str | None = None,
) -> dict[str, Any]:
    """The scope of a new account from what a person types: a state or district by LGD code
    or any known spelling (a district name shared by several states needs ``state``), an
    enterprise by exporter id, IEC or exact name. Keys: ``state_code``, ``district_code``,
    ``exporter_id`` (None when not given)."""
    from dehub.reference.geography import resolve_district, resolve_state

    out: dict[str, Any] = {"state_code": None, "district_code": None, "exporter_id": None}
    if district:
        d = resolve_district(district, state)
        out |= {"state_code": d.state_code, "district_code": d.code}
    elif state:
        out["state_code"] = resolve_state(state).code
    if enterprise:
        text = enterprise.strip()
        stmt = select(Exporter).where(
            (Exporter.iec == text.upper()) | (func.lower(Exporter.name) == text.lower())
        )
        if text.isdigit():
            stmt = select(Exporter).where(Exporter.id == int(text))
        found = session.scalars(stmt).first()
        if found is None:
            raise NotFound(f"no exporter with id, IEC or name {enterprise!r}")
        out["exporter_id"] = found.id
    return out
