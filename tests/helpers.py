"""Helpers for tests (not fixtures)."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.facts.store import FactStore
from dehub.settings import Settings


def store_snapshot(
    settings: Settings,
) -> tuple[int, list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(fact count, releases, tables and types of the store) — equal before and after a rejected
    ingest: nothing written, nothing left behind. A missing store is created empty first (a
    rejected ingest may leave an empty store, never anything in it)."""
    if not settings.facts_path.exists():
        FactStore.open(settings).close()
    with FactStore.open(settings, read_only=True) as st:
        releases = st.con.execute("SELECT * FROM releases ORDER BY release_id").fetchall()
        catalog = st.con.execute(
            "SELECT 'table', table_name FROM duckdb_tables() WHERE NOT temporary "
            "UNION ALL SELECT 'type', type_name FROM duckdb_types() WHERE NOT internal "
            "ORDER BY ALL"
        ).fetchall()
        return st.fact_count(), releases, catalog


def run_json(*args: str) -> dict[str, Any]:
    """``dehub ARGS --json`` through Typer's runner: the parsed output, asserting exit code 0."""
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data
