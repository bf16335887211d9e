"""``dehub report``: a district's printable export profile as PDF, HTML or XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dehub.cli.output import handle_errors, out
from dehub.reports import check_output, render_report, report_format
from dehub.reports.content import file_stem
from dehub.services.district_report import build_district_report
from dehub.settings import get_settings


@handle_errors()
def report(
    district: Annotated[
        str, typer.Argument(help="LGD code or any known spelling of the district.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="pdf, html (self-contained, printable) or xlsx.")
    ] = "pdf",
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File to write; its suffix must match --format (default: "
            "dehub-district-LGD-NAME-PERIOD.FORMAT in the current folder).",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(help="Financial year, e.g. 2024-25 (default: the latest loaded)."),
    ] = None,
    state: Annotated[str | None, typer.Option(help="State, where the name is ambiguous.")] = None,
) -> None:
    """Write a district's export profile: key figures, map, sectors with domestic RCA and
    share of India, dominance, peers, ODOP and GI products, target markets, state context, ECI,
    sources and licences."""
    chosen = report_format(fmt)
    if out_file is not None:
        check_output(out_file, chosen)
    content = build_district_report(get_settings(), district, state=state, period=period)
    target = out_file or Path(file_stem(content) + chosen.suffix)
    body = render_report(content, chosen)
    target.write_bytes(body)
    out.print(
        f"{target}: {content.title} export profile {content.period} as {chosen.name.upper()} "
        f"({len(body) / 1024:,.0f} KiB); source {content.source['source']} release "
        f"#{content.source['release_id']}",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)
