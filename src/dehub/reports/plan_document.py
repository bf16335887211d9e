"""A District Export Action Plan as a document: a formatted A4 PDF (the notified DEAP; a plan
not yet notified says so on every page) and an XLSX workbook (a sheet each for the plan and its
lifecycle, the sections, the interventions, the KPIs and their progress; numbers as numbers,
formula-like text neutralised).

Input: :class:`dehub.services.records.plan_export.PlanExport` (the plan as the actor may see
it, who took each lifecycle step, the DEPC's members).

Layout reuses the district report's PDF pieces (:mod:`dehub.reports.pdf`: embedded Source
Sans Pro, headings, paragraphs, one-line grids).
"""

from __future__ import annotations

import re
from typing import Any

from fpdf import FPDF

from dehub.records.vocab import PLAN_SECTIONS
from dehub.reports.pdf import (
    FONT,
    FONT_FILES,
    GREY,
    FooterPDF,
    _font_path,
    _grid,
    _heading,
    _paragraph,
)
from dehub.services.records.plan_export import PlanExport
from dehub.services.records.schemas import InterventionPublic, KpiPublic
from dehub.web.formatting import number
from dehub.web.tables import Column, DataTable, xlsx_workbook

STATUS = {
    "draft": "DRAFT, NOT NOTIFIED",
    "depc_approved": "APPROVED BY THE DEPC, NOT NOTIFIED",
    "sepc_endorsed": "ENDORSED BY THE SEPC, NOT NOTIFIED",
    "notified": "NOTIFIED",
}
"""The status line of the first page and of every page's footer."""


def file_stem(doc: PlanExport) -> str:
    """``deap-<district>-<period>-r<revision>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", doc.district_name.lower()).strip("-")
    return f"deap-{slug}-{doc.plan.period}-r{doc.plan.revision}"


def _when(value: object) -> str:
    return "" if value is None else str(value)[:16].replace("T", " ") + " UTC"


def source_text(source: dict[str, Any] | None) -> str:
    """What a plan drafted from data was drafted from (the release and when), or ``""``."""
    if not source:
        return ""
    data = source.get("district_data") or {}
    return (
        f"{data.get('source', '?')} release #{data.get('release_id', '?')} "
        f"({data.get('period', '?')}), generated {source.get('generated_at', '?')}"
    )


def _kpi_row(k: KpiPublic) -> tuple[str, ...]:
    target = number(k.target, 1)
    latest = k.progress[-1] if k.progress else None
    return (
        k.name,
        k.unit,
        number(k.baseline, 1),
        f"{target} by {k.target_date}" if k.target_date else target,
        f"{number(latest.value, 1)} on {latest.on_date}" if latest else "–",
        f"{number(k.actual, 1)} ({k.actual_period})" if k.actual is not None else "–",
    )


def _intervention(pdf: FPDF, i: InterventionPublic) -> None:
    budget = f" · budget ₹{number(float(i.budget_inr))}" if i.budget_inr is not None else ""
    dates = f" · {i.start_date or '…'} to {i.end_date or '…'}" if i.start_date or i.end_date else ""
    _paragraph(
        pdf,
        f"Intervention: {i.title} ({i.status.replace('_', ' ')}; "
        f"{i.owner_agency or 'owner to be named'}{budget}{dates})",
        size=9.5,
    )
    if i.description:
        _paragraph(pdf, i.description, size=9, colour=GREY)
    if i.kpis:
        _grid(
            pdf,
            ("KPI", "Unit", "Baseline", "Target", "Latest progress", "Actual (data)"),
            [_kpi_row(k) for k in i.kpis],
            (44, 16, 20, 32, 32, 30),
            ("L", "L", "R", "R", "R", "R"),
        )


def render_pdf(doc: PlanExport) -> bytes:
    """The plan as PDF bytes: title, district and status (a plan not yet notified says so on
    the first page and in every page's footer), the lifecycle with who and when, the DEPC's
    members, every section with its interventions and their KPIs (latest progress, actual)."""
    p = doc.plan
    pdf = FooterPDF(format="A4", unit="mm")
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, _font_path(name))
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(p.title)
    pdf.set_author("dehub")
    pdf.set_creator(doc.generator)
    pdf.set_subject("District Export Action Plan, Districts as Export Hubs")
    pdf.set_lang("en-IN")
    pdf.footer_text = f"{STATUS[p.status]} · {p.title} · revision {p.revision}"
    pdf.add_page()
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 9, p.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(
        0,
        6,
        f"{doc.district_name} district, {doc.state_name} · plan period {p.period} · "
        f"revision {p.revision}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font(FONT, "B", 10)
    pdf.set_text_color(*((0, 110, 50) if p.status == "notified" else (165, 15, 21)))
    pdf.multi_cell(0, 5, STATUS[p.status], new_x="LMARGIN", new_y="NEXT")
    if p.status != "notified":
        pdf.multi_cell(
            0,
            5,
            f"This plan is {p.status.replace('_', ' ')}; it has not been notified.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.set_text_color(0, 0, 0)
    if p.source:
        _paragraph(pdf, f"Drafted from {source_text(p.source)}.", size=9, colour=GREY)
    _heading(pdf, "Lifecycle")
    rows = [(step, who or "–", _when(at) if at else "–") for step, who, at in doc.steps]
    _grid(pdf, ("Step", "By", "When"), rows, (60, 60, 54), ("L", "L", "L"))
    if doc.members:
        _heading(pdf, "District Export Promotion Committee")
        members = [
            (m.name, m.role.replace("_", "-"), m.designation, m.organisation) for m in doc.members
        ]
        widths = (55, 25, 50, 44)
        _grid(pdf, ("Member", "Role", "Designation", "Organisation"), members, widths, "LLLL")
    for s in p.sections:
        _heading(pdf, f"{s.position}. {s.title}")
        _paragraph(pdf, s.body.strip() or "(not written yet)", size=10)
        for i in p.interventions:
            if i.category == s.key:
                _intervention(pdf, i)
    _heading(pdf, "About this document")
    _paragraph(
        pdf,
        f"Generated by {doc.generator} on {_when(doc.generated_at)} from the dehub records "
        f"(plan id {p.id}, version {p.version}). KPI actuals bound to an analytics indicator "
        "are read from the DGCI&S district-wise export data.",
        size=8.5,
        colour=GREY,
    )
    return bytes(pdf.output())


def tables(doc: PlanExport) -> list[DataTable]:
    """The plan's tables, the XLSX sheets: ``plan`` (field, value: the plan, who took each
    lifecycle step and when, what it was drafted from), ``sections``, ``interventions``
    (``category_title`` beside the key), ``kpis`` (with ``intervention``, the latest progress
    value and its date) and ``progress`` (every dated value of every KPI)."""
    p = doc.plan
    about: list[dict[str, Any]] = [
        {"field": "title", "value": p.title},
        {"field": "district", "value": f"{doc.district_name} ({p.district_code})"},
        {"field": "state", "value": f"{doc.state_name} ({p.state_code})"},
        {"field": "period", "value": p.period},
        {"field": "revision", "value": p.revision},
        {"field": "status", "value": p.status},
    ]
    about += [{"field": step, "value": f"{who} {_when(at)}".strip()} for step, who, at in doc.steps]
    if p.source:
        about.append({"field": "drafted from", "value": source_text(p.source)})
    sections = [
        {"position": s.position, "key": s.key, "title": s.title, "text": s.body} for s in p.sections
    ]
    interventions = [
        {
            **i.model_dump(mode="json", exclude={"kpis"}),
            "category_title": PLAN_SECTIONS.get(i.category, i.category),
        }
        for i in p.interventions
    ]
    kpis: list[dict[str, Any]] = [
        {
            "intervention": i.title,
            **k.model_dump(mode="json", exclude={"progress", "actual_source"}),
            "latest_progress": k.progress[-1].value if k.progress else None,
            "latest_progress_on": k.progress[-1].on_date.isoformat() if k.progress else None,
        }
        for i in p.interventions
        for k in i.kpis
    ]
    progress: list[dict[str, Any]] = [
        {
            "kpi_id": k.id,
            "kpi": k.name,
            "on_date": e.on_date.isoformat(),
            "value": e.value,
            "note": e.note,
        }
        for i in p.interventions
        for k in i.kpis
        for e in k.progress
    ]

    def table(name: str, title: str, rows: list[dict[str, Any]], keys: list[str]) -> DataTable:
        return DataTable(name, title, [Column(k, k) for k in keys], rows)

    return [
        table("plan", "Plan", about, ["field", "value"]),
        table("sections", "Sections", sections, ["position", "key", "title", "text"]),
        table(
            "interventions",
            "Interventions",
            interventions,
            list(interventions[0]) if interventions else ["title"],
        ),
        table("kpis", "KPIs", kpis, list(kpis[0]) if kpis else ["name"]),
        table("progress", "KPI progress", progress, ["kpi_id", "kpi", "on_date", "value", "note"]),
    ]


def render_xlsx(doc: PlanExport) -> bytes:
    """The plan as XLSX bytes (a sheet per table of :func:`tables`)."""
    return xlsx_workbook(tables(doc))
