"""Option combinations of the analytics commands, on a small seeded store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.settings import Settings
from tests.analytics.seeded import district, load, national
from tests.helpers import run_json

runner = CliRunner()


@pytest.fixture
def seeded(settings: Settings, tmp_path: Path) -> Settings:
    """District sectors (two districts and an unattributed part) and national HS4 x partner."""
    files = tmp_path / "files"
    files.mkdir()
    load(
        settings,
        files,
        "districts",
        [
            district("2024-25", "Gujarat", "Surat", "footwear", 60),
            district("2024-25", "Gujarat", "Ahmedabad", "pharma", 30),
            district("2024-25", "Gujarat", "UNSPECIFIED", "pharma", 10),
        ],
    )
    load(
        settings,
        files,
        "hs4",
        [
            national("2023-24", "0101", "USA", 40),
            national("2024-25", "0101", "USA", 50),
            national("2024-25", "3004", "CHN", 25),
        ],
    )
    return settings


ALLOWED = "--level goes only with --by product"


@pytest.mark.parametrize(
    ("by", "level"),
    [
        ("district", "sector"),
        ("district", "HS4"),
        ("state", "sector"),
        ("state", "HS2"),
        ("partner", "sector"),
        ("partner", "HS8"),
        ("product", "HS3"),
        ("product", "total"),
    ],
)
def test_concentration_refuses_levels_that_make_no_sense(
    settings: Settings, by: str, level: str
) -> None:
    result = runner.invoke(app, ["concentration", "--by", by, "--level", level])
    assert result.exit_code == 2, result.output
    assert ALLOWED in result.output and "Traceback" not in result.output
    envelope = json.loads(
        runner.invoke(app, ["concentration", "--by", by, "--level", level, "--json"]).output
    )
    assert envelope["code"] == "invalid" and ALLOWED in envelope["errors"][0]["message"]


def test_concentration_refuses_an_unknown_unit(settings: Settings) -> None:
    result = runner.invoke(app, ["concentration", "--by", "port"])
    assert result.exit_code == 2 and "--by must be one of" in result.output


@pytest.mark.parametrize(
    ("args", "unit", "total", "source"),
    [
        ([], "district", 100, "districts"),
        (["--by", "state"], "state", 100, "districts"),
        (["--by", "product", "--level", "sector"], "product (sector)", 100, "districts"),
        (["--by", "product", "--level", "hs4"], "product (HS4)", 75, "hs4"),
        (["--by", "product", "--level", "HS2"], "product (HS2)", 75, "hs4"),
        (["--by", "partner"], "partner", 75, "hs4"),
    ],
)
def test_concentration_routes_each_allowed_combination(
    seeded: Settings, args: list[str], unit: str, total: float, source: str
) -> None:
    data = run_json("concentration", *args)
    assert data["unit"] == unit and data["total"] == total
    assert data["source"]["source"] == source


def test_concentration_by_product_defaults_to_hs8(seeded: Settings) -> None:
    result = runner.invoke(app, ["concentration", "--by", "product"])
    assert result.exit_code == 4 and "product level HS8" in result.output


def test_growth_level_goes_only_with_products(seeded: Settings) -> None:
    result = runner.invoke(app, ["growth", "--by", "partner", "--level", "HS4"])
    assert result.exit_code == 2 and "--level goes only with --by product" in result.output
    result = runner.invoke(app, ["growth", "--level", "HS5"])
    assert result.exit_code == 2 and "unknown --level 'HS5'" in result.output
    data = run_json("growth", "--by", "partner")
    assert data["level"] is None and data["base_period"] == "2023-24"
    assert run_json("growth", "--level", "hs4")["level"] == "HS4"


def test_growth_and_markets_text_say_what_was_not_computed(seeded: Settings) -> None:
    result = runner.invoke(app, ["growth", "--by", "partner"])
    assert result.exit_code == 0, result.output
    assert "1 with no exports in 2023-24 (growth not computed)" in result.output
    assert "source: hs4" in result.output
    result = runner.invoke(app, ["markets", "0101", "--source", "hs4"])
    assert result.exit_code == 0, result.output
    assert "source: hs4" in result.output
