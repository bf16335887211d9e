"""A plan as a PDF (read back with pdftotext) and as XLSX (read back with openpyxl)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from dehub.reports.plan import plan_pdf, plan_xlsx
from dehub.services.records import plans
from dehub.services.records import schemas as s
from tests.records.world import SYSTEM, World


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_notified_plan_as_pdf_names_who_took_each_step(
    session: Session, world: World, tmp_path: Path
) -> None:
    plan = plans.get_plan(session, None, world.ids["notified"])
    people = {world.users["district"]: "A. Officer", world.users["state"]: "S. Officer"}
    text = _pdf_text(plan_pdf(plan, people), tmp_path)
    assert "District Export Action Plan 2022-23: Surat" in text
    assert "Approved by the DEPC: A. Officer" in text
    assert "Endorsed by the SEPC: S. Officer" in text
    assert "Target markets" in text and "not been notified" not in text


def test_a_draft_plan_pdf_says_it_is_not_notified(
    session: Session, world: World, tmp_path: Path
) -> None:
    officer = world.actors["district"]
    assert officer is not None
    plans.update_section(
        session,
        officer,
        world.ids["draft"],
        "finance",
        s.SectionUpdate(version=1, body="Interest equalisation for MSMEs."),
    )
    plan = plans.get_plan(session, SYSTEM, world.ids["draft"])
    text = _pdf_text(plan_pdf(plan), tmp_path)
    assert "not been notified" in text and "NOT NOTIFIED" in text
    assert "Interest equalisation for MSMEs." in text
    assert "Zari cluster common facility" in text and "Gems and jewellery exports" in text


def test_a_plan_as_xlsx(session: Session, world: World) -> None:
    officer = world.actors["district"]
    assert officer is not None
    plans.update_section(
        session,
        officer,
        world.ids["draft"],
        "finance",
        s.SectionUpdate(version=1, body='=HYPERLINK("http://x")'),
    )
    plan = plans.get_plan(session, SYSTEM, world.ids["draft"])
    book = load_workbook(io.BytesIO(plan_xlsx(plan)))
    assert book.sheetnames == ["plan", "sections", "interventions", "kpis", "progress"]
    sections = list(book["sections"].iter_rows(values_only=True))
    assert sections[0] == ("key", "title", "text") and len(sections) == 12
    finance = next(r for r in sections if r[0] == "finance")
    assert finance[2] == '\'=HYPERLINK("http://x")'  # formula neutralised
    kpis = list(book["kpis"].iter_rows(values_only=True))
    assert kpis[1][2] == "Gems and jewellery exports" and kpis[1][5] == 2.0
