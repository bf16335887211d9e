"""Helpers for tests (not fixtures)."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.facts.store import FactStore
from dehub.settings import Settings


def store_snapshot(settings: Settings) -> tuple[int, list[tuple[object, ...]]]:
    """(fact count, releases) — equal before and after a rejected ingest."""
    if not settings.facts_path.exists():
        return (0, [])
    with FactStore.open(settings, read_only=True) as st:
        releases = st.con.execute("SELECT * FROM releases ORDER BY release_id").fetchall()
        return st.fact_count(), releases


def run_json(*args: str) -> dict[str, Any]:
    """``dehub ARGS --json`` through Typer's runner: the parsed output, asserting exit code 0."""
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data
