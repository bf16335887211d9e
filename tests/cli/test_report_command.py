"""``dehub report``: each format written from the initialised store; errors before any read."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.settings import get_settings
from tests.reports.pdf_text import filled_shapes, pdf_text

runner = CliRunner()
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//|url\(""", re.I)


@pytest.fixture
def home(initialised_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """DEHUB_HOME on the session's initialised store (the report only reads it)."""
    monkeypatch.setenv("DEHUB_HOME", str(initialised_home))
    monkeypatch.setenv("DEHUB_ENV", "test")
    get_settings.cache_clear()
    yield initialised_home
    get_settings.cache_clear()


@pytest.mark.slow
def test_pdf(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "surat.pdf"
    result = runner.invoke(app, ["report", "Surat", "--format", "pdf", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "Surat, Gujarat export profile 2024-25 as PDF" in result.output
    text = pdf_text(target.read_bytes())
    assert "Surat, Gujarat" in text and "US$ 10.56 bn" in text and "Textiles & Apparel" in text
    assert sum(filled_shapes(target.read_bytes())) > 100


@pytest.mark.slow
def test_xlsx_by_lgd_code_and_period(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "jamnagar.xlsx"
    args = ["report", "447", "--format", "xlsx", "--out", str(target), "--period", "2024-25"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO(target.read_bytes()))
    assert "about" in book.sheetnames and "sectors" in book.sheetnames
    summary = {r[0]: r[1] for r in book["summary"].values}
    assert summary["Exports"] / 1e9 == pytest.approx(36.55, abs=0.01)  # Jamnagar, rank 1
    assert summary["Rank among districts"] == 1


@pytest.mark.slow
def test_html_default_file_name_for_a_name_with_parentheses(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", "Kaimur (Bhabua)", "--format", "html"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "dehub-district-200-kaimur-bhabua-2024-25.html"
    html = written.read_text(encoding="utf-8")
    assert "<h1>Kaimur (Bhabua), Bihar</h1>" in html
    assert not EXTERNAL.search(html) and "<script" not in html


def test_unknown_district_suggests_names(home: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "Surtt", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 4
    assert "unknown district 'Surtt'; did you mean 'SURAT'" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "docx"], "unknown report format 'docx'"),
        (["--format", "xlsx", "--out", "{tmp}/r.pdf"], "does not end in .xlsx"),
        (["--out", "{tmp}/r.html"], "does not end in .pdf"),
        (["--format", "html", "--out", "{tmp}/missing/r.html"], "does not exist"),
    ],
)
def test_bad_format_or_output_is_refused(
    home: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = runner.invoke(app, ["report", "Surat", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_ambiguous_name_needs_the_state(home: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "Aurangabad", "--out", str(tmp_path / "a.pdf")])
    assert result.exit_code == 2 and "LGD 189" in result.output
