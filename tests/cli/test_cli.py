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


def _district_file(tmp_path, name: str, fy: str, usd: str) -> str:  # type: ignore[no-untyped-def]
    """A one-row DGCI&S district file of financial year ``fy`` (``24`` = April 2024 on)."""
    nxt = f"{int(fy) + 1:02d}"
    path = tmp_path / name
    path.write_text(
        f'State,District,HS Code,"April, {fy} To March, {nxt} Value(US $)"\n'
        f"GUJARAT,AHMADABAD,01012100,{usd}\n"
    )
    return str(path)


def test_several_files_one_failing_says_what_loaded(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Each file is all or nothing: when the third fails, the first two stay loaded, and the
    output says so, names the failure and exits non-zero."""
    files = [
        _district_file(tmp_path, "fy23.csv", "23", "10"),
        _district_file(tmp_path, "fy24.csv", "24", "20"),
        _district_file(tmp_path, "bad.csv", "22", "abc"),
        _district_file(tmp_path, "fy22.csv", "21", "5"),
    ]
    result = runner.invoke(app, ["ingest", *files])
    assert result.exit_code == IngestRejected.exit_code, result.output
    assert "Traceback" not in result.output
    for name in ("fy23.csv", "fy24.csv", "fy22.csv"):
        assert f"{name}: loaded as release" in result.output
    assert "3 of 4 files done" in result.output
    assert "not loaded: bad.csv" in result.output
    assert "bad.csv, line 2" in result.output and "'abc'" in result.output
    from tests.helpers import store_snapshot

    facts, releases, _ = store_snapshot(settings)
    assert facts == 3 and len(releases) == 3


def test_several_files_one_failing_as_json(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = [
        _district_file(tmp_path, "fy24.csv", "24", "20"),
        _district_file(tmp_path, "bad.csv", "23", "-1"),
    ]
    result = runner.invoke(app, ["ingest", *files, "--json"])
    assert result.exit_code == IngestRejected.exit_code, result.output
    body = json.loads(result.output)
    assert body["ok"] is False and body["code"] == "ingest_rejected"
    assert [r["status"] for r in body["results"]] == ["loaded"]
    assert [f["file"] for f in body["failed"]] == [files[1]]
    assert "1 of 2 files done" in body["errors"][0]["message"]


def test_a_single_failing_file_keeps_its_own_error(settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["ingest", _district_file(tmp_path, "bad.csv", "24", "x"), "--json"]
    )
    assert result.exit_code == IngestRejected.exit_code
    body = json.loads(result.output)
    assert set(body) == {"ok", "status", "code", "errors"}
    assert "files done" not in result.output
