"""Alembic environment of the records database: run by :func:`dehub.records.db.upgrade` with
an open connection in ``config.attributes["connection"]`` (there is no alembic.ini)."""

from __future__ import annotations

from alembic import context

from dehub.records.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable through a hand-made config
    raise RuntimeError("dehub migrations run through dehub.records.db.upgrade")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
