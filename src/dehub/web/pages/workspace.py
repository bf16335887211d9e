"""The workspace pages (signed-in accounts; the public is sent to ``/login``):

- ``/workspace``: the national monitoring table of every district (national administrators;
  a state officer goes to the own state's view, district accounts and exporters to their
  district's workspace);
- ``/workspace/states/{lgd}``: a state's districts (plan status, KPIs, exporters, feedback)
  and overdue action items;
- ``/workspace/districts/{lgd}``: the district workspace — the plan editor by section with the
  lifecycle buttons the account may use, interventions with KPI charts, the DEPC and its
  meetings, the exporter funnel, events and the feedback queue;
- ``/workspace/plans/{id}.pdf`` and ``.xlsx``: the plan as a formatted document.

Content comes from :mod:`dehub.services.records.workspace`; what each account may see or do
is decided by :mod:`dehub.records.policy`. Tables download as CSV or XLSX (``?table=``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from dehub.errors import NotFound
from dehub.records.policy import Actor, Resource, require
from dehub.records.vocab import PLAN_SECTIONS, STAGES
from dehub.reports import plan_document
from dehub.services.records import common, workspace
from dehub.services.records.plan_export import plan_export
from dehub.web.auth import PRIVATE, MaybeActor, transaction
from dehub.web.charts import Bar, bar_chart, line_chart
from dehub.web.formatting import number
from dehub.web.rendering import render
from dehub.web.tables import XLSX_TYPE, Column, DataTable

router = APIRouter(include_in_schema=False)


def private(response: Response) -> Response:
    """The response marked as personal (not stored by any cache)."""
    response.headers["Cache-Control"] = PRIVATE
    return response


STATUS_LABELS = {
    "draft": "Draft",
    "depc_approved": "DEPC approved",
    "sepc_endorsed": "SEPC endorsed",
    "notified": "Notified",
    "no plan": "No plan",
}
MONITORING = (
    Column("state_name", "State"),
    Column(
        "district_name",
        "District",
        href=lambda r: f"/workspace/districts/{r['district_code']}",
    ),
    Column("status_label", "Plan status"),
    Column("period", "Period"),
    Column("revision", "Revision", "number"),
    Column("interventions", "Interventions", "number"),
    Column("kpis", "KPIs", "number"),
    Column("kpis_on_track", "KPIs at target", "number"),
    Column("exporters", "Exporters", "number"),
    Column("exporters_shipping", "Exporters shipping", "number"),
    Column("open_feedback", "Open feedback", "number"),
    Column("overdue_actions", "Overdue actions", "number"),
    Column("district_code", "LGD code"),
)
OVERDUE = (
    Column("committee", "Committee"),
    Column("meeting", "Meeting"),
    Column("description", "Action"),
    Column("owner", "Owner"),
    Column("due_date", "Due"),
    Column("status", "Status"),
)


def login_redirect(request: Request) -> Response:
    """Send the public to the sign-in page, coming back here afterwards."""
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


def _context(request: Request, actor: Actor, **extra: Any) -> dict[str, Any]:
    return {
        "actor": actor,
        "csrf": request.state.csrf,
        "status_labels": STATUS_LABELS,
        **extra,
    }


def _monitoring_table(rows: Any, name: str, title: str) -> DataTable:
    frame = rows.assign(status_label=rows["status"].map(STATUS_LABELS))
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return DataTable(name, title, MONITORING, records)


@router.get("/workspace")
def national(request: Request, actor: MaybeActor) -> Response:
    """The national monitoring table (administrators); others go to their own scope."""
    if actor is None:
        return login_redirect(request)
    if actor.role == "state_officer":
        return RedirectResponse(f"/workspace/states/{actor.state_code}", status_code=303)
    if actor.role != "national_admin":
        return RedirectResponse(f"/workspace/districts/{actor.district_code}", status_code=303)
    with transaction(request) as session:
        frame = workspace.monitoring_frame(session, actor)
    table = _monitoring_table(frame, "districts", "Every district: plan and progress")
    counts = frame["status"].value_counts().to_dict()
    return private(
        render(
            request,
            "workspace_national.html",
            _context(request, actor, table=table, counts=counts),
            tables=[table],
            file_stem="dehub-workspace-india",
        )
    )


@router.get("/workspace/states/{lgd_code}")
def state_view(lgd_code: str, request: Request, actor: MaybeActor) -> Response:
    """A state's districts and overdue actions."""
    if actor is None:
        return login_redirect(request)
    st = common.state(lgd_code)
    require(actor, "view", Resource("plan", st.code))
    with transaction(request) as session:
        frame = workspace.monitoring_frame(session, actor, state_code=st.code)
        overdue = workspace.overdue_actions(session, actor, state_code=st.code)
    table = _monitoring_table(frame, "districts", f"Districts of {st.name}: plan and progress")
    late = DataTable("overdue", "Overdue action items", OVERDUE, overdue)
    counts = frame["status"].value_counts().to_dict()
    totals = frame[["kpis", "kpis_on_track", "exporters", "exporters_shipping"]].sum().to_dict()
    return private(
        render(
            request,
            "workspace_state.html",
            _context(
                request, actor, state=st, table=table, overdue=late, counts=counts, totals=totals
            ),
            tables=[table, late],
            file_stem=f"dehub-workspace-state-{st.code}",
        )
    )


def _kpi_chart(kpi: Any) -> Any:
    points = [(p.on_date.isoformat(), p.value) for p in kpi.progress]
    if not points:
        return None
    dates = [x for x, _ in points]
    series: dict[str, Sequence[tuple[str, float | None]]] = {"Progress": list(points)}
    if kpi.target is not None:
        series["Target"] = [(x, kpi.target) for x in dates]
    if kpi.baseline is not None:
        series["Baseline"] = [(x, kpi.baseline) for x in dates]
    unit = f" {kpi.unit}" if kpi.unit else ""
    return line_chart(series, title=f"{kpi.name}: progress", label=lambda v: number(v, 1) + unit)


@router.get("/workspace/districts/{lgd_code}")
def district_view(
    lgd_code: str, request: Request, actor: MaybeActor, plan: int | None = None
) -> Response:
    """The district workspace (``?plan=ID`` chooses a plan; default the latest)."""
    if actor is None:
        return login_redirect(request)
    with transaction(request) as session:
        ws = workspace.district_workspace(session, actor, lgd_code, plan)
    funnel_rows = [{"stage": s.replace("_", " "), "exporters": ws.funnel.get(s, 0)} for s in STAGES]
    funnel = DataTable(
        "funnel",
        "Exporters by onboarding stage",
        (Column("stage", "Stage"), Column("exporters", "Exporters", "number")),
        funnel_rows,
    )
    funnel_svg = bar_chart(
        [Bar(r["stage"], float(r["exporters"])) for r in funnel_rows],
        title="Exporter onboarding funnel",
        label=lambda v: number(v),
    )
    charts = {}
    kpi_tables = []
    if ws.plan is not None:
        for i in ws.plan.interventions:
            for k in i.kpis:
                charts[k.id] = _kpi_chart(k)
                kpi_tables.append(
                    DataTable(
                        f"kpi-{k.id}",
                        f"{k.name}: progress",
                        (
                            Column("on_date", "Date"),
                            Column("value", f"Value{f' ({k.unit})' if k.unit else ''}", "ratio"),
                            Column("note", "Note"),
                        ),
                        [p.model_dump() for p in k.progress],
                    )
                )
    return private(
        render(
            request,
            "workspace_district.html",
            _context(
                request,
                actor,
                ws=ws,
                funnel=funnel,
                funnel_svg=funnel_svg,
                kpi_charts=charts,
                kpi_tables={t.name: t for t in kpi_tables},
                sections=PLAN_SECTIONS,
                today=date.today(),
                stages=STAGES,
            ),
            tables=[funnel, *kpi_tables],
            file_stem=f"dehub-workspace-district-{ws.district_code}",
        )
    )


@router.get("/workspace/plans/{plan_id}.{fmt}")
def plan_file(plan_id: int, fmt: str, request: Request, actor: MaybeActor) -> Response:
    """The plan as a formatted PDF document or an XLSX workbook (who may view the plan;
    notified plans are public)."""
    if fmt not in ("pdf", "xlsx"):
        raise NotFound(f"no plan export as {fmt!r}: pdf or xlsx")
    with transaction(request) as session:
        doc = plan_export(session, actor, plan_id)  # Forbidden unless the actor may view it
    stem = plan_document.file_stem(doc)
    if fmt == "pdf":
        body, media = plan_document.render_pdf(doc), "application/pdf"
    else:
        body, media = plan_document.render_xlsx(doc), XLSX_TYPE
    disposition = f'attachment; filename="{stem}.{fmt}"'
    headers = {"Content-Disposition": disposition, "Cache-Control": PRIVATE}
    return Response(body, media_type=media, headers=headers)
