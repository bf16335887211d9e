"""The district report as a PDF (A4, fpdf2), with the pages' SVG map and charts as vector
drawings.

Fonts: Source Sans Pro (SIL OFL 1.1) from the ``font-source-sans-pro`` package, embedded and
subset by fpdf2, so the rupee sign, dashes and any Latin-script name print; no system font and
no network. fpdf2 draws SVG ``<path>``, ``<rect>`` and ``<text>`` itself (no rasterising): the
SVG is adapted first (:func:`pdf_svg`): ``<title>``/``<desc>`` and links dropped, text set in
the embedded font, and the page stylesheet's map strokes written into the SVG.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from importlib.resources import files
from typing import Any, cast

from fpdf import FPDF
from markupsafe import Markup

from dehub.reports import content
from dehub.reports.content import Figure
from dehub.services.district_report import DistrictReport
from dehub.web.tables import DataTable

FONT = "dehubsans"
FONT_FILES = {"": "SourceSansPro-Regular.ttf", "B": "SourceSansPro-Bold.ttf"}
MAP_STYLE = (
    "<style>path{stroke:#ffffff;stroke-width:0.3}"
    "path.highlight{stroke:#d95f02;stroke-width:2.5}</style>"
)
GREY = (90, 90, 90)
ACCENT = (37, 52, 148)
HEADING_FILL = (232, 238, 247)
RULE = (200, 208, 220)
SVG_OPEN = re.compile(r"<svg\b[^>]*>")
DROPPED = re.compile(r"<title>.*?</title>|<desc>.*?</desc>|<a\b[^>]*>|</a>", re.S)
MAP_WIDTH, CHART_WIDTH = 120.0, 170.0
SECTOR_WIDTHS = (5, 2.2, 1.6, 1.9, 1.6, 1.4)
PEER_WIDTHS = (3.3, 2.4, 1.8, 1.8, 1.0, 1.1, 2.4, 1.5, 0.9)
PRODUCT_WIDTHS = (1.1, 2.8, 1.2, 1.8, 1.9, 3.6, 3.4, 1.6)
TARGET_WIDTHS = (2.5, 1.1, 3.5, 1.8, 1.8, 1.8, 1.4, 1.4, 1.4, 1.7)
VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


def pdf_svg(svg: Markup | str) -> bytes:
    """An inline SVG of :mod:`dehub.web.charts` / :mod:`dehub.web.maps` as fpdf2 draws it:
    without ``<title>``, ``<desc>`` and ``<a>`` (which fpdf2 ignores with a warning), text in the
    embedded font, map strokes from the page stylesheet inlined."""
    text = DROPPED.sub("", str(svg))
    text = text.replace('font-family="system-ui, sans-serif"', f'font-family="{FONT}"')

    def opening(match: re.Match[str]) -> str:
        tag = match.group(0)
        if "font-family=" not in tag:
            tag = tag[:-1] + f' font-family="{FONT}">'
        return tag + (MAP_STYLE if 'class="map"' in tag else "")

    return SVG_OPEN.sub(opening, text, count=1).encode("utf-8")


class FooterPDF(FPDF):
    """An FPDF whose every page ends with ``footer_text`` and "page N/M" (the district
    report's and the DEAP document's)."""

    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.footer_text} · page {self.page_no()}/{{nb}}", align="C")


def _font_path(name: str) -> str:
    return str(files("font_source_sans_pro") / "files" / name)


def _new_pdf(report: DistrictReport) -> FooterPDF:
    pdf = FooterPDF(format="A4", unit="mm")
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, _font_path(name))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(f"{report.title}: export profile {report.period}")
    pdf.set_author("dehub")
    pdf.set_creator(report.generator)
    pdf.set_subject("District export profile, Districts as Export Hubs")
    pdf.set_lang("en-IN")
    pdf.footer_text = (
        f"{report.title} · export profile {report.period} · source "
        f"{report.source['source']} #{report.source['release_id']} · {report.generated_at}"
    )
    pdf.add_page()
    return pdf


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` mm in the current font, at spaces
    (greedy; each word measured once: fpdf2's multi_cell re-measures the growing line at every
    character, which made the report's paragraphs take a third of its time). A word wider than
    the line is cut with an ellipsis."""
    space = pdf.get_string_width(" ")
    lines: list[str] = []
    words: list[str] = []
    used = 0.0
    for word in text.split():
        size = pdf.get_string_width(word)
        if words and used + space + size > width:
            lines.append(" ".join(words))
            words, used = [], 0.0
        used += (space if words else 0.0) + size
        words.append(word)
    if words:
        lines.append(" ".join(words))
    return [_fit(pdf, line, width) for line in lines]


def _lines(pdf: FPDF, text: str, height: float) -> None:
    """Write ``text`` wrapped to the page width, ``height`` mm per line."""
    for line in wrap(pdf, text, pdf.epw):
        pdf.cell(0, height, line, new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str, size: float = 13) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*ACCENT)
    _lines(pdf, text, size * 0.5)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)


def _paragraph(pdf: FPDF, text: str, size: float = 9, colour: tuple[int, ...] = (0, 0, 0)) -> None:
    pdf.set_font(FONT, "", size)
    pdf.set_text_color(*colour)
    _lines(pdf, text, size * 0.48)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)


def _height(svg: Markup, width: float) -> float:
    """The height in mm of an SVG drawn ``width`` mm wide (0 for a note instead of a map)."""
    found = VIEWBOX.search(str(svg))
    return width * float(found.group(2)) / float(found.group(1)) if found else 0.0


def _keep(pdf: FPDF, height: float) -> None:
    """Start a page unless ``height`` mm (at most a page) fit below."""
    if pdf.will_page_break(min(height, pdf.eph - 5)):
        pdf.add_page()


def _image(pdf: FPDF, svg: Markup, width: float) -> None:
    """Embed an SVG ``width`` mm wide, centred, starting a page when it does not fit."""
    height = _height(svg, width)
    if not height:  # a map without boundaries is a note, not a drawing
        _paragraph(pdf, re.sub(r"<[^>]+>", "", str(svg)), colour=GREY)
        return
    _keep(pdf, height + 2)
    x = pdf.l_margin + (pdf.epw - width) / 2
    pdf.set_fill_color(0, 0, 0)  # SVG text without a fill takes the current fill colour
    pdf.image(io.BytesIO(pdf_svg(svg)), x=x, w=width, h=height)
    pdf.ln(2)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut to ``width`` mm with an ellipsis (cells are one line)."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _grid(
    pdf: FPDF,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    aligns: Sequence[str],
    *,
    bold: Sequence[bool] = (),
) -> None:
    """Rows of one-line cells (``widths`` in mm) under an optional header that wraps; the
    header repeats after a page break. Plain cells, not fpdf2's table(), which measures every
    cell several times (10x slower here)."""
    size, line = 7.5, 4.2

    def draw_header() -> None:
        if header is None:
            return
        pdf.set_font(FONT, "B", size)
        heights = [
            len(cast(list[str], pdf.multi_cell(w - 1, 3.4, t, dry_run=True, output="LINES")))
            for t, w in zip(header, widths, strict=True)
        ]
        h = max(heights) * 3.4 + 1.2
        x0, y0 = pdf.l_margin, pdf.get_y()
        pdf.set_fill_color(*HEADING_FILL)
        pdf.rect(x0, y0, sum(widths), h, style="F")
        x = x0
        for t, w, a in zip(header, widths, aligns, strict=True):
            pdf.set_xy(x + 0.5, y0 + 0.6)
            pdf.multi_cell(w - 1, 3.4, t, align=a)
            x += w
        pdf.set_xy(x0, y0 + h)

    if pdf.will_page_break(14):
        pdf.add_page()
    draw_header()
    pdf.set_draw_color(*RULE)
    for i, row in enumerate(rows):
        if pdf.will_page_break(line):
            pdf.add_page()
            draw_header()
        pdf.set_font(FONT, "B" if i < len(bold) and bold[i] else "", size)
        for text, w, a in zip(row, widths, aligns, strict=True):
            pdf.cell(w, line, _fit(pdf, text, w - 1.2), border="B", align=a)
        pdf.ln(line)
    pdf.ln(2)


def _figures(pdf: FPDF, figures: Sequence[Figure]) -> None:
    _grid(pdf, None, [(f.label, f.text) for f in figures], (85, 45), ("L", "R"))


def _table(
    pdf: FPDF,
    table: DataTable,
    widths: Sequence[float],
    drop: Sequence[str] = (),
    me: str | None = None,
) -> None:
    """A data table as on the pages (formatted values, the rows a page shows); ``widths`` are
    relative and fill the page width; the row of LGD code ``me`` in bold."""
    columns = [c for c in table.columns if c.key not in drop]
    if not table.rows:
        _paragraph(pdf, f"{table.title}: none.", colour=GREY)
        return
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.set_font(FONT, "B", 9)
    _lines(pdf, table.title, 4.5)
    scale = pdf.epw / sum(widths)
    _grid(
        pdf,
        [c.label for c in columns],
        [[c.show(row) for c in columns] for row in table.shown],
        [w * scale for w in widths],
        ["L" if c.kind == "text" else "R" for c in columns],
        bold=[me is not None and row.get("lgd_code") == me for row in table.shown],
    )
    if table.limit and len(table.rows) > table.limit:
        _paragraph(
            pdf,
            f"Showing {table.limit} of {len(table.rows)} rows; the XLSX report has all of them.",
            size=7.5,
            colour=GREY,
        )


def _header(pdf: FPDF, report: DistrictReport) -> None:
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(*ACCENT)
    _lines(pdf, report.title, 9)
    pdf.set_font(FONT, "", 12)
    pdf.set_text_color(0, 0, 0)
    _lines(pdf, f"District export profile, {report.period}", 6)
    pdf.ln(1)
    lines = " · ".join(f"{k}: {v}" for k, v in content.provenance(report)[2:])
    _paragraph(
        pdf,
        f"LGD code {report.district.code} (state {report.district.state_code}) · {lines}",
        size=8,
        colour=GREY,
    )


def _sections(pdf: FPDF, report: DistrictReport) -> None:
    p, name, state = report.profile, report.district.name, report.district.state_name
    tables, charts = content.tables(report), content.charts(report)
    methods = {term: meaning[:1].upper() + meaning[1:] for term, meaning in _methods(report)}
    _heading(pdf, "Key figures")
    if not p["total_usd"]:
        _paragraph(pdf, f"No exports recorded for {name} in {report.period} in the loaded data.")
    _figures(pdf, content.key_figures(report))
    _keep(pdf, _height(charts["map"], MAP_WIDTH) + 25)
    _heading(pdf, f"{name} in {state}")
    note = "Districts on 2011 boundaries, shaded in five quantile classes of exports; "
    if content.on_map(report):
        note += f"{name} is outlined in orange."
    else:
        note += f"{name} has no 2011 boundary (created since); it is in the state table."
    note += " Not the official Survey of India boundary."
    _paragraph(pdf, note, size=8, colour=GREY)
    _image(pdf, charts["map"], MAP_WIDTH)
    _keep(pdf, _height(charts["sectors"], CHART_WIDTH) + 25)
    _heading(pdf, "Exports by sector")
    if p["sectors"]:
        _image(pdf, charts["sectors"], CHART_WIDTH)
        _table(pdf, tables["sectors"], SECTOR_WIDTHS, drop=("sector",))
        _keep(pdf, _height(charts["rca"], CHART_WIDTH) + 30)
        _heading(pdf, "Domestic RCA by sector", 11)
        _paragraph(pdf, methods["Domestic RCA"], size=8, colour=GREY)
        _image(pdf, charts["rca"], CHART_WIDTH)
    else:
        _paragraph(pdf, "No sector has exports.")
    _keep(pdf, _height(charts["dominance"], CHART_WIDTH) + 40)
    _heading(pdf, f"Where {name} matters nationally")
    if p["dominance"]:
        _paragraph(pdf, f"Sectors in which {name} ships at least 5% of India's exports.")
        _image(pdf, charts["dominance"], CHART_WIDTH)
        _table(pdf, tables["dominance"], SECTOR_WIDTHS, drop=("sector",))
    else:
        _paragraph(pdf, f"{name} ships less than 5% of India's exports of every sector.")
    _keep(pdf, _height(charts["peers"], CHART_WIDTH) + 30)
    _heading(pdf, "Peer districts")
    _paragraph(pdf, methods["Peers"], size=8, colour=GREY)
    if len(report.peer_rows) > 1:
        _image(pdf, charts["peers"], CHART_WIDTH)
        _table(pdf, tables["peers"], PEER_WIDTHS, me=report.district.code)
    else:
        _paragraph(pdf, "No peers: the district has no exports recorded.")
    _products(pdf, report, tables["products"])
    _target_markets(pdf, report, tables["target_markets"])
    _heading(pdf, f"State context: {state}")
    _figures(pdf, content.state_figures(report))
    _table(pdf, tables["state_districts"], (3, 2, 1.6, 1.4, 1.5, 1.1), me=report.district.code)
    _table(pdf, tables["state_sectors"], (5, 2, 1.6, 1.9, 1.4), drop=("sector",))
    _about(pdf, report)


def _products(pdf: FPDF, report: DistrictReport, table: DataTable) -> None:
    """ODOP and GI products: the list entries with their HS codes, and the page's caveats."""
    text = content.products_text(report)
    _heading(pdf, "ODOP and GI products")
    _paragraph(pdf, text["intro"])
    if table.rows:
        _table(pdf, table, PRODUCT_WIDTHS, drop=content.printed_drop(table))
    for note in text["notes"]:
        _paragraph(pdf, note, size=8, colour=GREY)
    _paragraph(pdf, text["sources"], size=8, colour=GREY)


def _target_markets(pdf: FPDF, report: DistrictReport, table: DataTable) -> None:
    """Target markets: the product x market pairs with the largest untapped potential, how
    the district is the supplier, and what the indicator does not assess."""
    text = content.target_text(report)
    _heading(pdf, "Target markets")
    _paragraph(pdf, text["intro"], size=8.5)
    for note in [text["supplier"], *text["notes"]]:
        if note:
            _paragraph(pdf, note, size=8, colour=GREY)
    if table.rows:
        _table(pdf, table, TARGET_WIDTHS, drop=content.printed_drop(table))
    pdf.set_font(FONT, "B", 8)
    _lines(pdf, "What the indicator does not assess", 4)
    for item in text["not_assessed"]:
        _paragraph(pdf, f"- {item}", size=7.5, colour=GREY)
    _paragraph(pdf, text["source"], size=7.5, colour=GREY)


def _methods(report: DistrictReport) -> list[tuple[str, str]]:
    return [(m["term"], m["meaning"]) for m in report.methods]


def _about(pdf: FPDF, report: DistrictReport) -> None:
    _heading(pdf, "About this report")
    for term, meaning in _methods(report):
        _paragraph(pdf, f"{term}: {meaning}", size=8)
    pdf.ln(1)
    for s in report.sources:
        _paragraph(pdf, f"{s['what']}: {s['source']}. Licence: {s['licence']}", size=8)
    _paragraph(
        pdf,
        "Made with dehub, open-source software for India's Districts as Export Hubs "
        "initiative. Figures are as published; values are in US$ unless stated.",
        size=8,
        colour=GREY,
    )


def render_pdf(report: DistrictReport) -> bytes:
    """The report as PDF bytes."""
    pdf = _new_pdf(report)
    _header(pdf, report)
    _sections(pdf, report)
    out: Any = pdf.output()
    return bytes(out)
