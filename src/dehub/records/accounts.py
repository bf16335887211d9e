"""Accounts and the audit log.

A user has one ``role`` and the scope it implies: a state officer has ``state_code`` (LGD), a
district officer or DEPC member has ``district_code`` (LGD; ``state_code`` is its state), an
exporter has ``exporter_id`` (its enterprise), a national administrator has no scope.
Passwords are stored as argon2id hashes (:mod:`dehub.records.passwords`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dehub.records.base import Base, Versioned, utcnow


class User(Versioned, Base):
    """An account (email is the login, stored lower-case)."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    state_code: Mapped[str | None] = mapped_column(String(8))
    district_code: Mapped[str | None] = mapped_column(String(8))
    exporter_id: Mapped[int | None] = mapped_column(ForeignKey("exporters.id"))
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    last_login_at: Mapped[datetime | None]


class AuditEntry(Base):
    """One change: who (user id and email at the time), when, what (``entity``, ``entity_id``,
    ``action``) and the record's fields before and after as JSON (``None`` before a creation
    or after a deletion). Written in the same transaction as the change; never edited."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
