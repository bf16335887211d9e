"""`dehub complexity --pci`: subnational ECI of a long file from an external PCI file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from dehub.cli.main import app

runner = CliRunner()

# A: 8, 2, 0; B: 0, 5, 5; C: 2, 3, 5 (each location and product 10 of 30): M = 1 for
# A {p1}, B {p2, p3}, C {p3} (RCA = 3 x the location's share).
LONG = "district,hs,usd\nA,p1,8\nA,p2,2\nB,p2,5\nB,p3,5\nC,p1,2\nC,p2,3\nC,p3,5\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "in.csv").write_text(LONG)
    return tmp_path


def _run(folder: Path, pci: str, *extra: str) -> tuple[int, str]:
    args = ["complexity", str(folder / "in.csv"), "--loc", "district", "--prod", "hs"]
    args += ["--val", "usd", "--pci", str(folder / pci), "--out", str(folder / "eci.csv")]
    result = runner.invoke(app, [*args, *extra])
    return result.exit_code, result.output


def test_hand_computed_and_products_without_pci_reported(folder: Path) -> None:
    (folder / "pci.csv").write_text("product,pci\np1,-1\np2,0.5\np9,2\n")  # p3 has none
    code, output = _run(folder, "pci.csv", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["products_without_pci"] == 1
    assert data["without_pci"] == [{"hs": "p3", "value": 10.0, "n_locations_mcp": 2}]
    assert data["value_share_without_pci"] == pytest.approx(10 / 30)
    eci = pd.read_csv(folder / "eci.csv").set_index("district")
    assert eci["eci"].iloc[:2].tolist() == [-1.0, 0.5] and np.isnan(eci.loc["C", "eci"])
    assert eci["n_mcp"].tolist() == [1, 2, 1] and eci["n_mcp_with_pci"].tolist() == [1, 1, 0]
    code, output = _run(folder, "pci.csv")
    assert code == 0 and "1 product(s) are not in the PCI file" in output and "p3" in output


def test_parquet_pci_named_like_prod_and_periods(folder: Path) -> None:
    pd.DataFrame({"hs": ["p1", "p2", "p3"], "pci": [-1.0, 0.5, 2.0]}).to_parquet(
        folder / "pci.parquet"
    )
    both = pd.concat(
        [pd.read_csv(folder / "in.csv").assign(fy=fy) for fy in ("2023-24", "2024-25")]
    )
    both.to_csv(folder / "in.csv", index=False)
    code, output = _run(folder, "pci.parquet", "--time", "fy", "--json")
    assert code == 0, output
    assert json.loads(output)["products_without_pci"] == 0
    eci = pd.read_csv(folder / "eci.csv")  # sorted by location, then period
    assert eci["fy"].tolist() == ["2023-24", "2024-25"] * 3
    assert eci["eci"].tolist() == [-1.0, -1.0, 1.25, 1.25, 2.0, 2.0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,score\np1,1\n", "needs the columns 'product'"),
        ("product,pci\np1,1\np1,2\n", "repeats 1 product"),
        ("product,pci\np1,high\n", "not numbers"),
        ("product,pci\np1,\n", "missing or infinite"),
    ],
)
def test_bad_pci_files_exit_2(folder: Path, content: str, message: str) -> None:
    (folder / "pci.csv").write_text(content)
    code, output = _run(folder, "pci.csv")
    assert code == 2 and message in output and "Traceback" not in output


def test_missing_pci_file_exit_2(folder: Path) -> None:
    code, output = _run(folder, "absent.csv")
    assert code == 2 and "no such file" in output
