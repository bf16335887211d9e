"""``dehub``: set up the store, load trade data, see what is loaded.

Every command is a thin wrapper over :mod:`dehub.services`; errors are :class:`DehubError`
mapped to an exit code (see docs/cli.md) and one message, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from dehub.cli import analytics as analytics_commands
from dehub.cli import (
    complexity_cmd,
    hs_find_cmd,
    potential_cmd,
    products_cmd,
    records_cmd,
    report_cmd,
    serve_cmd,
)
from dehub.cli.output import JsonFlag, handle_errors, out, print_json, usd
from dehub.cli.progress import load_progress
from dehub.errors import DehubError, Problem
from dehub.facts.ingest import IngestOptions, IngestResult
from dehub.facts.layouts import LAYOUTS
from dehub.services import facts as facts_service
from dehub.services.records.database import upgrade_database
from dehub.services.records.interventions import refresh_after_ingest
from dehub.settings import Settings, get_settings

app = typer.Typer(
    name="dehub",
    help="dehub: district export statistics and action plans for India's Districts as Export "
    "Hubs initiative.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _period_range(periods: list[str]) -> str:
    return ", ".join(periods) if len(periods) <= 2 else f"{periods[0]}..{periods[-1]}"


def _print_results(results: list[IngestResult]) -> None:
    for r in results:
        if r.status == "unchanged":
            out.print(f"{Path(r.file).name}: unchanged — {r.notes[0]}", markup=False)
            continue
        out.print(
            f"{Path(r.file).name}: {r.status} as release #{r.release_id} ({r.source}): "
            f"{r.facts_loaded:,} facts from {r.rows_read:,} rows, periods "
            f"{', '.join(r.periods)}, total {usd(r.total_usd)}",
            markup=False,
        )
        if r.replaced:
            out.print(f"  superseded release(s) {r.replaced} (kept in history)", markup=False)
        if r.rows_rejected:
            out.print(f"  {r.rows_rejected:,} rows rejected; report: {r.quarantine}", markup=False)
        for note in r.notes:
            out.print(f"  note: {note}", markup=False)


@app.command()
@handle_errors()
def init(as_json: JsonFlag = False) -> None:
    """Create the facts store under DEHUB_HOME and load the bundled real data (idempotent)."""
    settings = get_settings()
    with load_progress("init", sys.stderr.isatty() and not as_json) as progress:
        results = facts_service.init_store(settings, progress)
    records = upgrade_database(settings)
    summary = facts_service.national_summary(settings)
    if as_json:
        print_json(
            {
                "ok": True,
                "store": str(settings.facts_path),
                "results": [r.as_dict() for r in results],
                "records": records,
                "summary": summary,
            }
        )
        return
    out.print(f"facts store: {settings.facts_path}", markup=False)
    _print_results(results)
    out.print(
        f"records database: {records['database']} (revision {records['revision']})",
        markup=False,
    )
    out.print(
        f"\nIndia's exports {summary['period']} (district data): {usd(summary['total_usd'])}; "
        f"{summary['districts_with_exports']} districts with exports; the top 10 districts "
        f"ship {summary['top10_share']:.1%} of the total; not attributed to a district: "
        f"{usd(summary['unattributed_usd'])}.",
        markup=False,
    )


@app.command()
@handle_errors()
def status(as_json: JsonFlag = False) -> None:
    """What is loaded: sources, releases, periods, row counts and totals in US$."""
    data = facts_service.store_status(get_settings())
    if as_json:
        print_json({"ok": True, **data})
        return
    table = Table(title=f"dehub facts store: {data['store']} ({data['facts']:,} facts)")
    for col in ("#", "source", "release", "periods", "rows", "total", "status"):
        table.add_column(col)
    for r in data["releases"]:
        status_text = r["status"] + (f" by #{r['superseded_by']}" if r["superseded_by"] else "")
        table.add_row(
            str(r["release_id"]),
            r["source"],
            r["release"],
            _period_range(r["periods"]),
            f"{r['row_count']:,}",
            usd(r["total_usd"]),
            status_text,
        )
    out.print(table)


@app.command()
@handle_errors()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="CSV, CSV.gz, XLSX or Parquet files.")],
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help=f"Layout of the files: {', '.join(LAYOUTS)}. Detected when absent.",
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(help="Period, for layouts whose file does not say it (e.g. 2024-25)."),
    ] = None,
    source_name: Annotated[
        str | None,
        typer.Option(help="Name the facts' source (default: the layout's, e.g. dgcis_district)."),
    ] = None,
    release: Annotated[
        str | None, typer.Option(help="Release label (default: file name and content hash).")
    ] = None,
    accept_partial: Annotated[
        bool,
        typer.Option("--accept-partial", help="Load the valid rows even if some are rejected."),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Supersede an active release of the same source and period."
        ),
    ] = False,
    encoding: Annotated[str, typer.Option(help="Text encoding of CSV files.")] = "utf-8",
    as_json: JsonFlag = False,
) -> None:
    """Validate and load trade files. A file with any rejected row loads nothing (unless
    --accept-partial) and leaves a quarantine report of the rejected rows with reasons. Each file
    is loaded on its own: one that fails does not stop the others."""
    settings = get_settings()
    options = IngestOptions(
        layout=source,
        period=period,
        source_name=source_name,
        release=release,
        accept_partial=accept_partial,
        replace=replace,
        encoding=encoding,
    )
    results: list[IngestResult] = []
    failed: list[tuple[Path, DehubError]] = []
    with load_progress("ingest", sys.stderr.isatty() and not as_json) as progress:
        for path in files:
            try:
                results += facts_service.ingest_files(settings, [path], options, progress)
            except DehubError as exc:
                failed.append((path, exc))
    refreshed = _refresh_kpis(settings, results, quiet=as_json)
    if failed and len(files) == 1:
        raise failed[0][1]
    if as_json:
        body: dict[str, Any] = {"ok": True}
        if failed:
            summary = _partial_failure(results, failed)
            body = summary.envelope()
            body["errors"].insert(0, {"field": None, "message": summary.message})
            body["failed"] = [{"file": str(p), **e.envelope()} for p, e in failed]
        print_json({**body, "results": [r.as_dict() for r in results]})
        if failed:
            raise typer.Exit(failed[0][1].exit_code)
        return
    _print_results(results)
    if refreshed:
        out.print(f"records: {refreshed} KPI actual(s) refreshed from the new data", markup=False)
    if failed:
        raise _partial_failure(results, failed)


def _refresh_kpis(settings: Settings, results: list[IngestResult], *, quiet: bool) -> int | None:
    """After new facts, the actuals of KPIs bound to indicators (never fails the ingest)."""
    if all(r.status == "unchanged" for r in results):
        return None
    try:
        return refresh_after_ingest(settings)
    except DehubError as exc:
        if not quiet:
            out.print(f"note: KPI actuals not refreshed: {exc.message}", markup=False)
        return None


def _partial_failure(
    results: list[IngestResult], failed: list[tuple[Path, DehubError]]
) -> DehubError:
    """The error ending an ingest of several files of which some failed: what loaded, what did
    not and why; the exit code is that of the first failure."""
    done = [f"{Path(r.file).name} ({r.status})" for r in results]
    message = (
        f"{len(results)} of {len(results) + len(failed)} files done"
        + (f": {', '.join(done)}" if done else "")
        + f"; not loaded: {', '.join(p.name for p, _ in failed)} (each file is loaded all or "
        "nothing: the files done are in the store, those not loaded changed nothing)"
    )
    details = [d for _, e in failed for d in (Problem(None, e.message), *e.details)]
    return type(failed[0][1])(message, details)


analytics_commands.register(app)
complexity_cmd.register(app)
report_cmd.register(app)
serve_cmd.register(app)
potential_cmd.register(app)
records_cmd.register(app)
products_cmd.register(app)
hs_find_cmd.register(app)
