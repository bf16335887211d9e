"""``dehub products list|review`` and the products block of ``dehub district``."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.settings import Settings
from tests.helpers import run_json

runner = CliRunner()


def _mapping() -> pd.DataFrame:
    with (files("dehub.reference") / "data" / "product_hs.csv").open("rb") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def test_list_a_district() -> None:
    data = run_json("products", "list", "--district", "Moradabad")
    assert data["place"]["lgd_code"] == "171"
    assert data["counts"] == {"odop": 1, "gi": 1, "pmfme": 1}
    odop = next(i for i in data["items"] if i["list"] == "odop")
    assert odop["product"] == "Moradabad Metal Craft" and odop["rank"] == "Primary"
    assert "830629" in {h["code"] for h in odop["hs"]}
    assert all(h["confidence"] in {"high", "medium", "low"} and h["rationale"] for h in odop["hs"])
    pmfme = next(i for i in data["items"] if i["list"] == "pmfme")
    assert pmfme["product"] == "Honey" and pmfme["hs"][0]["code"] == "040900"


def test_list_a_state_includes_state_level_gis() -> None:
    data = run_json("products", "list", "--state", "Goa")
    assert data["place"] == {"level": "state", "lgd_code": "30", "name": "Goa"}
    assert all(i["state"]["lgd_code"] == "30" for i in data["items"])
    assert any(i["list"] == "gi" and i["district"] is None for i in data["items"])
    text = runner.invoke(app, ["products", "list", "--state", "Goa"])
    assert text.exit_code == 0 and "Goa: 12 products" in text.output


def test_list_india_counts_every_row() -> None:
    data = run_json("products", "list")
    assert data["count"] == 1732
    assert data["counts"] == {"odop": 787, "gi": 721, "pmfme": 224}


def test_review_lists_the_low_confidence_mappings() -> None:
    mapping = _mapping()
    data = run_json("products", "review")
    assert data["confidence"] == "low"
    assert data["count"] == int((mapping["confidence"] == "low").sum()) > 0
    assert {r["confidence"] for r in data["rows"]} == {"low"}
    assert all(r["rationale"] and r["lists"] for r in data["rows"])
    everything = run_json("products", "review", "--confidence", "all")
    assert everything["count"] == len(mapping)
    high = run_json("products", "review", "--confidence", "high")
    assert {r["confidence"] for r in high["rows"]} == {"high"}
    text = runner.invoke(app, ["products", "review"])
    assert text.exit_code == 0 and f"{data['count']} mappings" in text.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["products", "review", "--confidence", "bad"], 2, "unknown confidence 'bad'"),
        (["products", "list", "--district", "Moradabadd"], 4, "did you mean 'MORADABAD'"),
        (["products", "list", "--district", "Aurangabad"], 2, "give the state"),
    ],
)
def test_errors_are_one_line(args: list[str], code: int, message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.slow
def test_district_shows_its_products_with_india_exports(initialised_settings: Settings) -> None:
    data = run_json("district", "Moradabad")
    products = data["products"]
    assert products["counts"]["odop"] == 1 and products["exports"]["period"] == "2024-25"
    row = next(r for r in products["rows"] if r["code"] == "830629")
    # independent reference: the bundled EIDB file read with pandas, US$ million x 1e6
    eidb = pd.read_parquet(
        files("dehub.facts") / "bundled" / "india_exports_hs8_country_fy.parquet"  # type: ignore[arg-type]
    )
    mine = eidb[eidb["hs8"].str.startswith("830629") & (eidb["fy"] == "2024-25")]
    assert row["india_usd"] == pytest.approx(mine["value_usd_mn"].astype(float).sum() * 1e6)
    top = mine.groupby("country")["value_usd_mn"].apply(lambda s: s.astype(float).sum())
    assert row["top_markets"].split(", ")[0] == "United States"
    assert top.idxmax() == "U S A"
    metals = next(s for s in data["sectors"] if s["sector"] == row_sector(products, "830629"))
    assert row["sector_rca"] == pytest.approx(metals["domestic_rca"])
    text = runner.invoke(app, ["district", "Moradabad"])
    assert "ODOP, GI and PMFME products (3)" in text.output


def row_sector(products: dict[str, Any], code: str) -> str:
    return next(h["sector"] for i in products["items"] for h in i["hs"] if h["code"] == code)
