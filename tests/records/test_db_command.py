"""``dehub db upgrade`` and the records database of ``dehub init``'s settings."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.records import db
from dehub.settings import Settings

runner = CliRunner()


def test_db_upgrade_creates_then_keeps_the_schema(settings: Settings) -> None:
    first = runner.invoke(app, ["db", "upgrade", "--json"])
    assert first.exit_code == 0, first.output
    body = json.loads(first.output)
    assert body["ok"] and body["changed"] and body["revision"] == db.head_revision()
    assert (settings.home / "records.sqlite").exists()
    second = runner.invoke(app, ["db", "upgrade"])
    assert second.exit_code == 0
    assert "already at the latest migration" in second.output


def test_db_upgrade_on_an_unreachable_database_exits_6(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEHUB_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    from dehub.settings import get_settings

    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 6, result.output
    assert "cannot open the records database" in result.output
    assert "Traceback" not in result.output
