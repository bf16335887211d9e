"""What every records use case shares: loading a record (404) the actor may act on (403),
applying an update under optimistic concurrency (409), the audit entry of each change, and
listing the records an actor may see (of one state or district).

A use case runs in the caller's session (one transaction, :func:`dehub.records.db.session_scope`):
it checks the policy, changes the record, flushes, and adds the :class:`AuditEntry` with the
record before and after; the caller commits both together or neither.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dehub.errors import ConflictError, InvalidInput, NotFound, Problem
from dehub.records.accounts import AuditEntry
from dehub.records.base import Base
from dehub.records.policy import Action, Actor, Resource, can, require
from dehub.reference.geography import District, State
from dehub.services.places import district_by_code, state_by_code
from dehub.services.records.schemas import Page

M = TypeVar("M", bound=Base)
P = TypeVar("P", bound=BaseModel)

HIDDEN = frozenset({"password_hash"})
"""Columns never copied into the audit log."""


def entity_name(obj: Base) -> str:
    """The audit log's name of a record's kind: its table name."""
    return str(obj.__tablename__)


def get(session: Session, model: type[M], record_id: int) -> M:
    """The record of ``model`` with this id; :class:`NotFound` otherwise."""
    obj = session.get(model, record_id)
    if obj is None:
        raise NotFound(f"no {model.__tablename__.replace('_', ' ')} with id {record_id}")
    return obj


def jsonable(value: Any) -> Any:
    """``value`` with plain JSON types only: numpy scalars as Python numbers, NaN and
    infinities as None, dates as ISO text (JSON columns on PostgreSQL refuse NaN)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def snapshot(obj: Base) -> dict[str, Any]:
    """The record's column values as JSON-safe values (dates ISO, decimals as text), without
    secrets."""
    mapper = inspect(type(obj))
    keys = [c.key for c in mapper.column_attrs if c.key not in HIDDEN]
    return {key: jsonable(getattr(obj, key)) for key in keys}


def audit(
    session: Session,
    actor: Actor,
    action: str,
    obj: Base,
    before: dict[str, Any] | None,
    *,
    deleted: bool = False,
) -> AuditEntry:
    """Add the audit entry of a change of ``obj`` (flushes first so ids and versions are set)."""
    session.flush()
    entry = AuditEntry(
        actor_id=actor.user_id,
        actor_email=actor.email,
        action=action,
        entity=entity_name(obj),
        entity_id=int(obj.id),  # type: ignore[attr-defined]
        before=before,
        after=None if deleted else snapshot(obj),
    )
    session.add(entry)
    session.flush()
    return entry


def create(session: Session, actor: Actor, obj: M, action: str = "create") -> M:
    """Add a new record and its audit entry (before = None)."""
    session.add(obj)
    audit(session, actor, action, obj, None)
    return obj


def check_version(obj: Base, version: int) -> None:
    """Raise :class:`ConflictError` when the record is no longer at ``version``."""
    current = int(obj.version)  # type: ignore[attr-defined]
    if current != version:
        name = entity_name(obj).replace("_", " ")
        raise ConflictError(
            f"this {name} (id {obj.id}) was changed by someone else since you loaded it "  # type: ignore[attr-defined]
            f"(you had version {version}, it is now at version {current}); nothing was saved: "
            "reload it and apply your change again",
            [Problem("version", f"stale: {version}, current: {current}")],
        )


def save(
    session: Session,
    actor: Actor,
    obj: M,
    version: int,
    changes: dict[str, Any],
    action: str = "update",
) -> M:
    """Apply ``changes`` to ``obj`` if it is still at ``version``, with its audit entry.

    The stale check happens before anything changes; the UPDATE also matches on the version
    (``version_id_col``), so a concurrent save that won the race makes this one a
    :class:`ConflictError` too. Nothing is written on a conflict.
    """
    check_version(obj, version)
    before = snapshot(obj)
    for key, value in changes.items():
        setattr(obj, key, value)
    try:
        audit(session, actor, action, obj, before)
    except StaleDataError:
        raise ConflictError(
            f"this {entity_name(obj).replace('_', ' ')} was changed by someone else while "
            "you saved; nothing was saved: reload it and apply your change again"
        ) from None
    return obj


def load(
    session: Session,
    actor: Actor | None,
    model: type[M],
    record_id: int,
    action: Action,
    resource_of: Callable[[M], Resource],
) -> M:
    """The record of ``model`` with this id (:class:`NotFound`) if the actor may take
    ``action`` on its resource (:class:`Forbidden` otherwise)."""
    obj = get(session, model, record_id)
    require(actor, action, resource_of(obj))
    return obj


def edit(
    session: Session,
    actor: Actor,
    model: type[M],
    record_id: int,
    action: Action,
    resource_of: Callable[[M], Resource],
    data: Any,
    prepare: Callable[[M, dict[str, Any]], None] | None = None,
) -> M:
    """The update use case: load the record (404), check ``action`` on its resource (403),
    apply the ``*Update`` schema ``data`` under its ``version`` (409) with the audit entry.
    ``prepare(record, changes)``, when given, runs between the permission check and the save:
    it refuses the change by raising, or completes ``changes`` in place."""
    obj = load(session, actor, model, record_id, action, resource_of)
    changes = changes_of(data)
    if prepare is not None:
        prepare(obj, changes)
    return save(session, actor, obj, data.version, changes)


def visible(
    session: Session,
    actor: Actor | None,
    stmt: Select[M],
    resource_of: Callable[[M], Resource],
    public: Callable[[M], P],
    action: Action = "view",
) -> Page[P]:
    """The records ``stmt`` selects on which the actor may take ``action`` (by default:
    see them), in order, as a :class:`Page` of their public form."""
    data = [public(obj) for obj in session.scalars(stmt) if can(actor, action, resource_of(obj))]
    return Page(data=data, count=len(data))


def in_scope(
    stmt: Select[M],
    columns: Any,
    state_code: str | None = None,
    district_code: str | None = None,
) -> Select[M]:
    """``stmt`` narrowed to one state and/or district (by LGD code) on the ``state_code`` and
    ``district_code`` columns of ``columns`` (a model); unchanged where a code is None."""
    if state_code is not None:
        stmt = stmt.where(columns.state_code == state_code)
    if district_code is not None:
        stmt = stmt.where(columns.district_code == district_code)
    return stmt


def changes_of(update: BaseModel) -> dict[str, Any]:
    """The fields an ``*Update`` schema sets, without its ``version``."""
    return {k: v for k, v in update.model_dump(exclude_unset=True).items() if k != "version"}


def district(code: str) -> District:
    """The district of an LGD code (:class:`NotFound` with suggestions otherwise)."""
    return district_by_code(code)


def state(code: str) -> State:
    """The state of an LGD code (:class:`NotFound` with suggestions otherwise)."""
    return state_by_code(code)


def invalid(field: str, message: str) -> InvalidInput:
    """An :class:`InvalidInput` about one field."""
    return InvalidInput(f"{field}: {message}", [Problem(field, message)])
