"""``/districts/{lgd}/report.pdf|html|xlsx``: types, file names, redirects, 404s, links."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.reports.pdf_text import pdf_text

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//|url\(""", re.I)


@pytest.mark.parametrize(
    ("fmt", "media", "disposition"),
    [
        ("pdf", "application/pdf", "inline"),
        ("html", "text/html; charset=utf-8", "inline"),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment",
        ),
    ],
)
def test_report_files(client: TestClient, fmt: str, media: str, disposition: str) -> None:
    r = client.get(f"/districts/459/report.{fmt}")
    assert r.status_code == 200
    assert r.headers["content-type"] == media
    assert r.headers["content-disposition"] == (
        f'{disposition}; filename="dehub-district-459-surat-2024-25.{fmt}"'
    )
    if fmt == "pdf":
        assert "Surat, Gujarat" in pdf_text(r.content)
    elif fmt == "html":
        assert "<h1>Surat, Gujarat</h1>" in r.text and not EXTERNAL.search(r.text)
    else:
        assert "about" in load_workbook(io.BytesIO(r.content)).sheetnames


def test_report_sections_are_the_district_pages(client: TestClient) -> None:
    """The report's products and target markets are the district page's (one cached answer)."""
    page = client.get("/districts/459", params={"table": "target_markets", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(page.content.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(client.get("/districts/459/report.xlsx").content))
    sheet = list(book["target_markets"].values)
    assert [r[sheet[0].index("market")] for r in sheet[1:]] == [r["market"] for r in rows]
    assert len(list(book["products"].values)) > 1
    text = pdf_text(client.get("/districts/459/report.pdf").content)
    assert "ODOP and GI products" in text and "Target markets" in text


def test_the_district_page_links_to_every_format(client: TestClient) -> None:
    html = client.get("/districts/447").text
    for fmt in ("pdf", "html", "xlsx"):
        assert f'href="/districts/447/report.{fmt}"' in html


def test_a_spelling_redirects_to_the_code(client: TestClient) -> None:
    r = client.get("/districts/surat/report.pdf?period=2024-25", follow_redirects=False)
    assert r.status_code == 302
    assert r.headers["location"] == "/districts/459/report.pdf?period=2024-25"


@pytest.mark.parametrize(
    "path",
    ["/districts/99999/report.pdf", "/districts/Surtt/report.html", "/districts/459/report.docx"],
)
def test_unknown_district_or_format_is_a_404_page(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_unknown_period_is_not_found(client: TestClient) -> None:
    assert client.get("/districts/459/report.xlsx", params={"period": "1999-00"}).status_code == 404
