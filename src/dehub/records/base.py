"""The declarative base, naming conventions and the mixins every editable record shares.

Times are naive UTC datetimes on every database (``utcnow``), so SQLite and PostgreSQL return
the same values. Every editable record carries a ``version`` (SQLAlchemy's ``version_id_col``):
an UPDATE only matches the version it was loaded at, and the services refuse an update whose
client-side version is stale (:class:`dehub.errors.ConflictError`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, as a naive UTC datetime (how every records time is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Base of every records model."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: DateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        str: String(255),
    }


class Versioned:
    """An editable record: ``id``, ``version`` (optimistic concurrency), creation and update
    times."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
