"""The district report as one self-contained HTML page for printing: inline CSS (with print
rules for A4) and inline SVG charts and map; nothing is loaded from anywhere, so the file can be
saved, mailed and printed offline."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from dehub.reports import content
from dehub.services.district_report import DistrictReport
from dehub.web import formatting


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("dehub.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(formatting.FILTERS)
    return env


def render_html(report: DistrictReport) -> str:
    """The report as an HTML document."""
    methods = {m["term"]: m["meaning"] for m in report.methods}
    tables = content.tables(report)
    return (
        _environment()
        .get_template("district_report.html")
        .render(
            report=report,
            p=report.profile,
            provenance=content.provenance(report),
            figures=content.key_figures(report),
            state_figures=content.state_figures(report),
            tables=tables,
            drop={name: content.printed_drop(t) for name, t in tables.items()},
            products_text=content.products_text(report),
            target_text=content.target_text(report),
            charts=content.charts(report),
            on_map=content.on_map(report),
            methods=methods,
        )
    )
