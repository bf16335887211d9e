"""data-build/build_product_hs.py keeps hand curation: reviewed rows are never overwritten,
unreviewed and new products get proposals, an unknown code fails the build."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from importlib.resources import files
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

BUILD = Path(__file__).resolve().parents[2] / "data-build"


def _module() -> ModuleType:
    sys.path.insert(0, str(BUILD))
    try:
        spec = importlib.util.spec_from_file_location(
            "build_product_hs", BUILD / "build_product_hs.py"
        )
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BUILD))


def _out(tmp_path: Path, mapping: list[dict[str, str]]) -> Path:
    data = files("dehub.reference") / "data"
    for name in ("hs_codes.csv", "itchs8.csv", "district_aliases.csv"):
        with (data / name).open("rb") as src, (tmp_path / name).open("wb") as dst:
            shutil.copyfileobj(src, dst)
    products = pd.DataFrame(
        {
            "product": ["Basmati", "Darjeeling Tea", "Vonipenta Brass"],
            "product_key": ["BASMATI", "DARJEELINGTEA", "VONIPENTABRASS"],
        }
    )
    products.to_csv(tmp_path / "district_products.csv", index=False)
    pd.DataFrame(mapping).to_csv(tmp_path / "product_hs.csv", index=False)
    return tmp_path


def _row(key: str, product: str, code: str, rationale: str, reviewed: str) -> dict[str, str]:
    return {
        "product_key": key,
        "product": product,
        "hs_code": code,
        "hs6": "",
        "hs8": "",
        "description": "",
        "confidence": "medium",
        "rationale": rationale,
        "basis": "hand",
        "reviewed": reviewed,
    }


def test_reviewed_rows_are_kept_and_others_proposed(tmp_path: Path) -> None:
    build = _module()
    out = _out(
        tmp_path,
        [
            _row("BASMATI", "Basmati", "100630", "curator's own reason", "yes"),
            _row("DARJEELINGTEA", "Darjeeling Tea", "0902", "an old unreviewed guess", "no"),
        ],
    )
    build.build(None, out)
    result = pd.read_csv(out / "product_hs.csv", dtype=str, keep_default_na=False)
    basmati = result[result["product_key"] == "BASMATI"]
    # the reviewed row is kept as curated (not replaced by the rule's 10063020)
    assert basmati[["hs_code", "rationale", "basis", "reviewed"]].values.tolist() == [
        ["100630", "curator's own reason", "hand", "yes"]
    ]
    assert basmati["description"].iloc[0].startswith("Cereals; rice")  # derived, re-filled
    tea = result[result["product_key"] == "DARJEELINGTEA"]
    assert set(tea["hs_code"]) == {"090230", "090240"} and set(tea["reviewed"]) == {"no"}
    brass = result[result["product_key"] == "VONIPENTABRASS"]
    assert "830629" in set(brass["hs_code"]) and set(brass["basis"]) == {"rule r258"}


def test_an_unknown_code_fails_the_build(tmp_path: Path) -> None:
    build = _module()
    out = _out(tmp_path, [_row("BASMATI", "Basmati", "123456", "a typo", "yes")])
    with pytest.raises(build.BuildError, match="123456"):
        build.build(None, out)
