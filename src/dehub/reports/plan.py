"""A District Export Action Plan as a document: a PDF (A4, the plan as notified, or clearly
marked as not yet notified) and an XLSX workbook (one sheet per table: the plan and its
lifecycle, sections, interventions, KPIs, progress).

Input: :class:`dehub.services.records.schemas.PlanPublic` (what the actor may see) and
optionally ``people`` (account id -> name) to name who approved, endorsed and notified.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib.resources import files
from typing import Any

from fpdf import FPDF

from dehub.records.vocab import PLAN_SECTIONS
from dehub.services.places import district_by_code
from dehub.services.records.schemas import PlanPublic
from dehub.web.tables import Column, DataTable, xlsx_workbook

FONT = "dehubsans"
ACCENT = (37, 52, 148)
GREY = (90, 90, 90)
STEPS = (
    ("Approved by the DEPC", "depc_approved_by", "depc_approved_at"),
    ("Endorsed by the SEPC", "sepc_endorsed_by", "sepc_endorsed_at"),
    ("Notified", "notified_by", "notified_at"),
)


def _who(plan: PlanPublic, attr: str, people: Mapping[int, str]) -> str | None:
    user_id = getattr(plan, attr)
    return None if user_id is None else people.get(user_id, f"account #{user_id}")


def plan_tables(plan: PlanPublic, people: Mapping[int, str] | None = None) -> list[DataTable]:
    """The plan's tables (the XLSX sheets; the PDF shows the same content)."""
    people = people or {}
    district = district_by_code(plan.district_code)
    facts: list[dict[str, Any]] = [
        {"field": "title", "value": plan.title},
        {"field": "district", "value": f"{district.name} (LGD {district.code})"},
        {"field": "state", "value": f"{district.state_name} (LGD {district.state_code})"},
        {"field": "period", "value": plan.period},
        {"field": "revision", "value": plan.revision},
        {"field": "status", "value": plan.status},
    ]
    for label, by, at in STEPS:
        when = getattr(plan, at)
        if when is not None:
            facts.append({"field": label, "value": f"{_who(plan, by, people)}, {when:%Y-%m-%d}"})
    if plan.source:
        facts.append({"field": "drafted from", "value": _source_text(plan.source)})
    kv = (Column("field", "Field"), Column("value", "Value"))
    sections = [{"key": s.key, "title": s.title, "text": s.body} for s in plan.sections]
    interventions = [
        {
            "id": i.id,
            "category": PLAN_SECTIONS.get(i.category, i.category),
            "title": i.title,
            "owner_agency": i.owner_agency,
            "budget_inr": i.budget_inr,
            "start": i.start_date,
            "end": i.end_date,
            "status": i.status,
            "description": i.description,
        }
        for i in plan.interventions
    ]
    kpis = [
        {
            "intervention_id": i.id,
            "kpi_id": k.id,
            "name": k.name,
            "unit": k.unit,
            "baseline": k.baseline,
            "target": k.target,
            "target_date": k.target_date,
            "indicator": k.indicator,
            "sector": k.indicator_sector,
            "actual": k.actual,
            "actual_period": k.actual_period,
            "latest_progress": k.progress[-1].value if k.progress else None,
        }
        for i in plan.interventions
        for k in i.kpis
    ]
    progress = [
        {"kpi_id": k.id, "on_date": p.on_date, "value": p.value, "note": p.note}
        for i in plan.interventions
        for k in i.kpis
        for p in k.progress
    ]

    def cols(rows: list[dict[str, Any]], keys: Sequence[str]) -> tuple[Column, ...]:
        return tuple(Column(k, k.replace("_", " ")) for k in keys)

    return [
        DataTable("plan", "Plan", kv, facts),
        DataTable("sections", "Sections", cols(sections, ("key", "title", "text")), sections),
        DataTable(
            "interventions",
            "Interventions",
            cols(
                interventions,
                (
                    "id",
                    "category",
                    "title",
                    "owner_agency",
                    "budget_inr",
                    "start",
                    "end",
                    "status",
                    "description",
                ),
            ),
            interventions,
        ),
        DataTable(
            "kpis",
            "KPIs",
            cols(
                kpis,
                (
                    "intervention_id",
                    "kpi_id",
                    "name",
                    "unit",
                    "baseline",
                    "target",
                    "target_date",
                    "indicator",
                    "sector",
                    "actual",
                    "actual_period",
                    "latest_progress",
                ),
            ),
            kpis,
        ),
        DataTable(
            "progress",
            "KPI progress",
            cols(progress, ("kpi_id", "on_date", "value", "note")),
            progress,
        ),
    ]


def _source_text(source: Mapping[str, Any]) -> str:
    data = source.get("district_data") or {}
    return (
        f"{data.get('source', '?')} release #{data.get('release_id', '?')} "
        f"({data.get('period', '?')}), generated {source.get('generated_at', '?')}"
    )


def plan_xlsx(plan: PlanPublic, people: Mapping[int, str] | None = None) -> bytes:
    """The plan as an XLSX workbook (numbers as numbers, formula-like text neutralised)."""
    return xlsx_workbook(plan_tables(plan, people))


class _PlanPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.footer_text} · page {self.page_no()}/{{nb}}", align="C")


def _text(
    pdf: FPDF, text: str, size: float = 9.5, style: str = "", colour: Sequence[int] = (0, 0, 0)
) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def _heading(pdf: FPDF, text: str, size: float = 13) -> None:
    if pdf.will_page_break(25):
        pdf.add_page()
    pdf.ln(3)
    _text(pdf, text, size, "B", ACCENT)
    pdf.ln(1)


def plan_pdf(plan: PlanPublic, people: Mapping[int, str] | None = None) -> bytes:
    """The plan as an A4 PDF: title and status (a plan not yet notified says so on every
    page), the lifecycle with who and when, every section, the interventions with their KPIs."""
    people = people or {}
    tables = {t.name: t for t in plan_tables(plan, people)}
    pdf = _PlanPDF(format="A4", unit="mm")
    for style, name in {"": "SourceSansPro-Regular.ttf", "B": "SourceSansPro-Bold.ttf"}.items():
        pdf.add_font(FONT, style, str(files("font_source_sans_pro") / "files" / name))
    pdf.set_margins(18, 15, 18)
    pdf.set_auto_page_break(True, margin=18)
    mark = "" if plan.status == "notified" else f"{plan.status.upper()}: NOT NOTIFIED · "
    pdf.footer_text = f"{mark}{plan.title} · revision {plan.revision}"
    pdf.add_page()
    _text(pdf, "District Export Action Plan", 10, "B", GREY)
    _text(pdf, plan.title, 17, "B", ACCENT)
    pdf.ln(2)
    for row in tables["plan"].rows:
        _text(pdf, f"{row['field'][:1].upper()}{row['field'][1:]}: {row['value']}", 9.5)
    if plan.status != "notified":
        pdf.ln(2)
        _text(
            pdf,
            f"This plan is {plan.status.replace('_', ' ')}; it has not been notified.",
            10,
            "B",
            (180, 40, 40),
        )
    for section in plan.sections:
        _heading(pdf, section.title)
        _text(
            pdf, section.body or "(not yet written)", 9.5, "", (0, 0, 0) if section.body else GREY
        )
    _heading(pdf, "Interventions")
    if not plan.interventions:
        _text(pdf, "(none yet)", 9.5, "", GREY)
    for item in plan.interventions:
        budget = f"; budget ₹ {item.budget_inr:,.0f}" if item.budget_inr is not None else ""
        dates = f"; {item.start_date or '?'} to {item.end_date or '?'}"
        _text(pdf, item.title, 10.5, "B")
        _text(
            pdf,
            f"{PLAN_SECTIONS.get(item.category, item.category)} · "
            f"{item.owner_agency or 'owner not set'}{budget}{dates} · "
            f"{item.status.replace('_', ' ')}",
            8.5,
            "",
            GREY,
        )
        if item.description:
            _text(pdf, item.description, 9)
        for k in item.kpis:
            parts = [
                f"baseline {k.baseline:,.2f}" if k.baseline is not None else None,
                f"target {k.target:,.2f}" if k.target is not None else None,
                f"actual {k.actual:,.2f} ({k.actual_period})" if k.actual is not None else None,
                f"latest progress {k.progress[-1].value:,.2f} on {k.progress[-1].on_date}"
                if k.progress
                else None,
            ]
            values = "; ".join(p for p in parts if p)
            _text(pdf, f"KPI: {k.name} ({k.unit or 'no unit'}){': ' + values if values else ''}", 9)
        pdf.ln(2)
    return bytes(pdf.output())
