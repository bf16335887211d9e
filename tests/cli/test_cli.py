"""The CLI as a user meets it: exit codes, one-line errors, the JSON envelope."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.errors import (
    Conflict,
    DehubError,
    IngestRejected,
    InvalidInput,
    NotFound,
    Problem,
    StoreError,
)
from dehub.settings import Settings, get_settings

runner = CliRunner()


def test_status_before_init_says_what_to_do(settings: Settings) -> None:
    result = runner.invoke(app, ["status"])
    assert result.exit_code == StoreError.exit_code
    assert "run `dehub init` first" in result.output
    assert "Traceback" not in result.output


def test_json_errors_use_the_envelope(settings: Settings) -> None:
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == StoreError.exit_code
    body = json.loads(result.output)
    assert body == {
        "ok": False,
        "status": 503,
        "code": "store",
        "errors": [{"field": None, "message": body["errors"][0]["message"]}],
    }


@pytest.mark.parametrize("cls", [InvalidInput, IngestRejected, NotFound, Conflict, StoreError])
def test_every_error_has_one_envelope_shape(cls: type[DehubError]) -> None:
    bare = cls("something is wrong").envelope()
    detailed = cls("x", [Problem("f.csv, line 2, column 'State'", "unknown state")]).envelope()
    for body in (bare, detailed):
        assert set(body) == {"ok", "status", "code", "errors"}
        assert body["ok"] is False and body["status"] == cls.status and body["code"] == cls.code
        assert all(set(e) == {"field", "message"} for e in body["errors"])


def test_unsafe_production_settings_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEHUB_ENV", "production")
    monkeypatch.delenv("DEHUB_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["status"])
        assert result.exit_code == 78
        assert "DEHUB_DATABASE_URL must be set" in result.output
    finally:
        get_settings.cache_clear()


def test_unknown_layout_is_named(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.csv"
    path.write_text("State,District,HS Code\nGUJARAT,AHMADABAD,0101\n")
    result = runner.invoke(app, ["ingest", str(path), "--source", "nope"])
    assert result.exit_code == 2
    assert "unknown layout 'nope'" in result.output
