"""The district report's content and its three renderings (PDF, HTML, XLSX)."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from openpyxl import load_workbook

from dehub.errors import InvalidInput
from dehub.reports import FORMATS, check_output, render_report, report_format
from dehub.reports.content import file_stem, tables
from dehub.reports.pdf import pdf_svg
from dehub.services import analytics, places
from dehub.services.district_report import DistrictReport
from dehub.settings import Settings
from dehub.web import section_tables
from dehub.web.pages import district_products, potential_sections
from tests.reports.conftest import make_report
from tests.reports.pdf_text import filled_shapes, pdf_text

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//|url\(|@import""", re.I)
SHEETS = ["summary", "sectors", "dominance", "peers", "state_districts", "state_sectors"]
SHEETS += ["products", "target_markets", "about"]


def _renamed(report: DistrictReport, name: str) -> DistrictReport:
    district = dataclasses.replace(report.district, name=name)
    profile = {**report.profile, "district": {**report.profile["district"], "name": name}}
    peers = [{**report.peer_rows[0], "name": name}, *report.peer_rows[1:]]
    return dataclasses.replace(report, district=district, profile=profile, peer_rows=peers)


def test_content_is_the_district_profile_of_the_analytics_service(
    surat: DistrictReport, initialised_home: object
) -> None:
    settings = Settings(home=initialised_home, env="test")  # type: ignore[arg-type]
    assert surat.profile == analytics.district_profile(settings, "459")
    assert surat.peer_rows[0]["peer_group"] == "this district"
    assert len(surat.peer_rows) == 11
    assert surat.state["name"] == "Gujarat" and surat.state["rank"] == 1
    assert surat.generated_at == "2026-12-01T09:30:00Z"
    assert surat.source["source"] == "dgcis_district_sector"
    assert {s["what"] for s in surat.sources} >= {"Export figures", "District map"}


def test_pdf_has_the_figures_text_and_drawings(surat: DistrictReport) -> None:
    body = render_report(surat, FORMATS["pdf"])
    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    assert "Surat, Gujarat" in text and "US$ 10.56 bn" in text  # total (bundled data)
    assert "Gems & Jewellery (HS 71)" in text and "₹" in text
    assert "GODL-India" in text and "release" in text
    shapes = filled_shapes(body)
    assert shapes[0] > 30  # the map of Gujarat's districts
    assert sum(shapes) > 100  # and the bar charts


def test_non_ascii_and_special_names_print(surat: DistrictReport) -> None:
    name = "Bārāmūlā – Ñoño (₹ “test” & <b>)"
    report = _renamed(surat, name)
    body = render_report(report, FORMATS["pdf"])
    assert name in pdf_text(body)
    html = render_report(report, FORMATS["html"]).decode()
    assert "Bārāmūlā – Ñoño (₹ “test” &amp; &lt;b&gt;)" in html and "<b>)" not in html
    assert file_stem(report) == "dehub-district-459-baramula-nono-test-b-2024-25"


def test_xlsx_has_a_sheet_per_table_and_neutralises_formulas(surat: DistrictReport) -> None:
    report = _renamed(surat, '=HYPERLINK("x")')
    book = load_workbook(io.BytesIO(render_report(report, FORMATS["xlsx"])))
    assert book.sheetnames == SHEETS
    sectors = list(book["sectors"].values)
    assert sectors[0][:3] == ("label", "value_usd", "share_of_district")
    assert len(sectors) == len(surat.profile["sectors"]) + 1
    assert sum(r[1] for r in sectors[1:]) == pytest.approx(surat.profile["total_usd"])
    summary = {r[0]: r[1] for r in book["summary"].values}
    assert summary["Exports"] == pytest.approx(surat.profile["total_usd"])
    assert summary["Rank among districts"] == surat.profile["rank"]
    peers = list(book["peers"].values)
    assert peers[1][1] == '\'=HYPERLINK("x")'
    about = [r[2] for r in book["about"].values]
    assert any("Licence" in str(t) for t in about)
    assert len(list(book["state_districts"].values)) == len(surat.state_districts) + 1


def test_html_is_self_contained_and_printable(surat: DistrictReport) -> None:
    html = render_report(surat, FORMATS["html"]).decode()
    assert not EXTERNAL.search(html)
    assert "<script" not in html and "<link" not in html
    assert "@media print" in html and "@page" in html
    assert html.count("<svg") == 5 and 'class="highlight"' in html
    assert "<h1>Surat, Gujarat</h1>" in html and "US$ 10.56 bn" in html


def test_table_shown_rows_match_the_profile(surat: DistrictReport) -> None:
    found = tables(surat)
    assert [t for t in found] == SHEETS
    assert found["dominance"].rows == surat.profile["dominance"]


def test_svg_adapted_for_fpdf2(surat: DistrictReport) -> None:
    from dehub.reports.content import charts

    drawn = charts(surat)
    svg = pdf_svg(drawn["map"]).decode()
    assert "<title>" not in svg and "<a " not in svg
    assert 'font-family="dehubsans"' in svg and "path.highlight" in svg
    bars = pdf_svg(drawn["sectors"]).decode()
    assert "system-ui" not in bars and "<desc>" not in bars


def test_a_district_without_exports_still_renders(
    report_settings: Settings, frame: places.DistrictFrame
) -> None:
    empty = frame.districts[frame.districts["value_usd"] == 0]
    report = make_report(report_settings, frame, str(empty["lgd_code"].iloc[0]))
    assert report.profile["total_usd"] == 0 and report.peer_rows[1:] == []
    assert report.target_markets["rows"] == [] and report.target_markets["notes"]
    for fmt in FORMATS.values():
        assert render_report(report, fmt)
    assert "has no exports of these products" in pdf_text(render_report(report, FORMATS["pdf"]))


def test_products_and_target_markets_content(surat: DistrictReport) -> None:
    gems = next(s for s in surat.profile["sectors"] if s["sector"] == "gems_jewellery")
    rows = {(r["product"], r["code"]): r for r in surat.products["rows"]}
    diamonds = rows[("Gems and Jewellery", "710239")]
    assert diamonds["list"] == "ODOP" and ("Surat Zari Craft", "560500") in rows
    # the district figures of a code are its sector's (the district data is by sector)
    assert diamonds["sector_rca"] == gems["domestic_rca"]
    assert diamonds["sector_share_of_district"] == gems["share_of_district"]
    target = surat.target_markets
    assert len(target["rows"]) == 100 and target["supplier"]["level"] == "sector"
    assert (target["rows"][0]["market"], target["rows"][0]["product"]) == ("ARE", "710239")
    untapped = [r["supplier_untapped_usd"] for r in target["rows"]]
    assert untapped == sorted(untapped, reverse=True)
    assert {"District products", "Export potential (world markets)"} <= {
        s["what"] for s in surat.sources
    }


def test_section_tables_are_the_pages_definitions(surat: DistrictReport) -> None:
    found = tables(surat)
    assert found["products"].columns is section_tables.PRODUCT_COLUMNS
    assert found["target_markets"].columns is section_tables.DISTRICT_MARKET_COLUMNS
    assert found["target_markets"].limit == 10
    for page, shared in (
        (district_products.PRODUCT_COLUMNS, section_tables.PRODUCT_COLUMNS),
        (potential_sections.DISTRICT_MARKET_COLUMNS, section_tables.DISTRICT_MARKET_COLUMNS),
        (potential_sections.MARKET_COLUMNS, section_tables.MARKET_COLUMNS),
    ):  # the page's columns are the shared ones with links added
        assert [(c.key, c.label, c.kind) for c in page] == [
            (c.key, c.label, c.kind) for c in shared
        ]
        assert any(c.href for c in page) and not any(c.href for c in shared)


def test_pdf_has_products_and_target_markets_with_caveats(surat: DistrictReport) -> None:
    text = pdf_text(render_report(surat, FORMATS["pdf"]))
    products = text[text.index("ODOP and GI products") : text.index("Target markets")]
    assert "Surat Zari Craft" in products and "710239" in products
    assert "of the sector containing the code, not of the product itself" in products
    assert "include every producer in India" in products
    target = text[text.index("Target markets") : text.index("State context")]
    assert "United Arab Emira" in target and "Decreux & Spies 2016" in target
    assert "How the district is the supplier (sector level)" in target
    assert "Showing 10 of 100 rows" in target
    assert "What the indicator does not assess" in target
    assert "USA, DEU, FRA, GBR, NLD, ESP" in target
    assert "Why this code" not in text  # the wide columns are in the XLSX only


def test_xlsx_products_and_target_markets_sheets(surat: DistrictReport) -> None:
    book = load_workbook(io.BytesIO(render_report(surat, FORMATS["xlsx"])))
    products = list(book["products"].values)
    assert list(products[0]) == [c.key for c in section_tables.PRODUCT_COLUMNS]
    assert len(products) == len(surat.products["rows"]) + 1
    target = list(book["target_markets"].values)
    assert list(target[0]) == [c.key for c in section_tables.DISTRICT_MARKET_COLUMNS]
    assert len(target) == 101 and target[1][0] == "United Arab Emirates"
    key = target[0].index("supplier_untapped_usd")
    assert target[1][key] == pytest.approx(surat.target_markets["rows"][0]["supplier_untapped_usd"])
    about = [(r[0], r[1]) for r in book["about"].values]
    assert ("target_markets", "not assessed") in about and ("products", "note") in about


def test_html_has_products_and_target_markets(surat: DistrictReport) -> None:
    html = render_report(surat, FORMATS["html"]).decode()
    assert 'id="products-h"' in html and 'id="target-h"' in html
    assert "Surat Zari Craft" in html and "What the indicator does not assess" in html
    assert "not of the product itself" in html and "Not assessed (absent from" in html
    assert "District untapped potential (US$)" in html and "Why this code" not in html


def test_output_checks(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    assert check_output(folder / "a.pdf", report_format("PDF")) == folder / "a.pdf"
    assert check_output(folder / "a.htm", report_format("html"))
    with pytest.raises(InvalidInput, match="does not end in .xlsx"):
        check_output(folder / "a.pdf", report_format("xlsx"))
    with pytest.raises(InvalidInput, match="does not exist"):
        check_output(folder / "missing" / "a.pdf", report_format("pdf"))
    with pytest.raises(InvalidInput, match="is a folder"):
        (folder / "x.pdf").mkdir()
        check_output(folder / "x.pdf", report_format("pdf"))
    with pytest.raises(InvalidInput, match="unknown report format"):
        report_format("docx")


def test_wrap_keeps_every_word_within_the_width() -> None:
    from fpdf import FPDF

    from dehub.reports.pdf import FONT, FONT_FILES, _font_path, wrap

    pdf = FPDF()
    pdf.add_font(FONT, "", _font_path(FONT_FILES[""]))
    pdf.set_font(FONT, "", 9)
    text = "Bārāmūlā ₹ 1,234 crore – " * 40 + "x" * 400
    lines = wrap(pdf, text, 80)
    assert all(pdf.get_string_width(line) <= 80 for line in lines)
    assert " ".join(lines[:-1]).split() == text.split()[:-1]  # words kept, in order
    assert lines[-1].endswith("…")  # the word wider than a line is cut
    assert wrap(pdf, "", 80) == []
