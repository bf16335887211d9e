"""Bring the records database to the latest migration (``dehub db upgrade``, and the start of
``dehub init`` and ``dehub serve``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import OperationalError

from dehub.records import db
from dehub.settings import Settings


def upgrade_database(settings: Settings) -> dict[str, Any]:
    """Apply the shipped migrations to the settings' records database (idempotent): the URL
    (password hidden), the revision before and after, and the head revision."""
    engine = db.engine_for(settings)
    try:
        before = db.current_revision(engine)
    except OperationalError:  # unreachable: upgrade() raises the StoreError with the reason
        before = None
    after = db.upgrade(engine)
    return {
        "database": engine.url.render_as_string(hide_password=True),
        "before": before,
        "revision": after,
        "head": db.head_revision(),
        "changed": before != after,
    }
