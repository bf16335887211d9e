"""``dehub hs-find`` as a user meets it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.settings import Settings

runner = CliRunner()


def test_hs_find_table_and_json(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["hs-find", "brinjal", "--mode", "lexical", "--top", "3"])
    assert result.exit_code == 0, result.output
    assert "070930" in result.output and "aubergine" in result.output.lower()
    result = runner.invoke(app, ["hs-find", "ghee", "--level", "HS8", "--mode", "lexical",
                                 "--json"])  # fmt: skip
    body = json.loads(result.output)
    assert body["ok"] is True and body["results"][0]["code"] == "04059020"


def test_hs_find_errors(settings: Settings) -> None:
    result = runner.invoke(app, ["hs-find", "tea", "--level", "HS5"])
    assert result.exit_code == 2 and "unknown level" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["hs-find", "tea", "--top", "0", "--json"])
    assert result.exit_code == 2 and json.loads(result.output)["ok"] is False
