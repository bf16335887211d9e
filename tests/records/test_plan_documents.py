"""A plan's document (:mod:`dehub.reports.plan_document` over
:mod:`dehub.services.records.plan_export`) as a PDF (read back with pdftotext) and as XLSX
(read back with openpyxl)."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from dehub.records.accounts import User
from dehub.reports.plan_document import render_pdf, render_xlsx
from dehub.services.records import interventions, plans
from dehub.services.records import schemas as s
from dehub.services.records.plan_export import plan_export
from tests.records.world import SYSTEM, World


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith(start))


def test_a_notified_plan_as_pdf_names_who_took_each_step(
    session: Session, world: World, tmp_path: Path
) -> None:
    for key, name in (("district", "A. Officer"), ("state", "S. Officer")):
        user = session.get(User, world.users[key])
        assert user is not None
        user.name = name
    session.flush()
    text = _pdf_text(render_pdf(plan_export(session, None, world.ids["notified"])), tmp_path)
    assert "District Export Action Plan 2022-23: Surat" in text
    assert "A. Officer" in _line(text, "Approved by the DEPC")
    assert "S. Officer" in _line(text, "Endorsed by the SEPC")
    assert "Target markets" in text and "not been notified" not in text
    assert "NOT NOTIFIED" not in text


def test_a_draft_plan_pdf_says_it_is_not_notified_on_every_page(
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
    interventions.add_progress(
        session, officer, world.ids["kpi"], s.ProgressCreate(on_date=date(2025, 9, 30), value=1.5)
    )
    text = _pdf_text(render_pdf(plan_export(session, SYSTEM, world.ids["draft"])), tmp_path)
    assert "not been notified" in text and "NOT NOTIFIED" in text
    pages = text.split("\f")[:-1]
    assert len(pages) > 1 and all("NOT NOTIFIED" in page for page in pages)
    assert "Interest equalisation for MSMEs." in text
    assert "Zari cluster common facility" in text and "Gems and jewellery exports" in text
    assert "1.5 on 2025-09-30" in _line(text, "Gems and jewellery exports")
    assert "Collector" in text  # the DEPC's members, for who may see the committee


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
    interventions.add_progress(
        session, officer, world.ids["kpi"], s.ProgressCreate(on_date=date(2025, 9, 30), value=1.5)
    )
    book = load_workbook(io.BytesIO(render_xlsx(plan_export(session, SYSTEM, world.ids["draft"]))))
    assert book.sheetnames == ["plan", "sections", "interventions", "kpis", "progress"]
    sections = list(book["sections"].iter_rows(values_only=True))
    assert sections[0] == ("position", "key", "title", "text") and len(sections) == 12
    finance = next(r for r in sections if r[1] == "finance")
    assert finance[3] == '\'=HYPERLINK("http://x")'  # formula neutralised
    header, *rows = book["kpis"].iter_rows(values_only=True)
    kpi = dict(zip(header, rows[0], strict=True))
    assert kpi["name"] == "Gems and jewellery exports" and kpi["target"] == 2.0
    assert kpi["intervention"] == "Zari cluster common facility"
    assert kpi["latest_progress"] == 1.5 and kpi["latest_progress_on"] == "2025-09-30"
    progress = list(book["progress"].iter_rows(values_only=True))
    assert progress[0] == ("kpi_id", "kpi", "on_date", "value", "note")
    assert progress[1][1:4] == ("Gems and jewellery exports", "2025-09-30", 1.5)
    header, *rows = book["interventions"].iter_rows(values_only=True)
    assert dict(zip(header, rows[0], strict=True))["category_title"] == (
        "Products with export potential"
    )
    plan = {field: value for field, value in book["plan"].iter_rows(min_row=2, values_only=True)}
    assert plan["status"] == "draft" and "Notified" in plan
