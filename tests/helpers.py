"""Helpers for tests (not fixtures)."""

from __future__ import annotations

from dehub.facts.store import FactStore
from dehub.settings import Settings


def store_snapshot(settings: Settings) -> tuple[int, list[tuple[object, ...]]]:
    """(fact count, releases) — equal before and after a rejected ingest."""
    if not settings.facts_path.exists():
        return (0, [])
    with FactStore.open(settings, read_only=True) as st:
        releases = st.con.execute("SELECT * FROM releases ORDER BY release_id").fetchall()
        return st.fact_count(), releases
