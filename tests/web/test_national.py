"""The national page, the district and state lists, downloads, errors and offline assets."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)


def test_national_page_shows_the_headline_map_and_curve(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert "India's exports by district, 2024-25" in html
    assert "US$ 437.66 bn" in html  # DGCI&S district file FY2024-25, incl. unattributed
    assert "The top 10 districts ship <strong>34.2%</strong>" in html
    assert '<svg class="map"' in html and 'href="/districts/447"' in html  # Jamnagar
    assert 'class="chart"' in html and "top 10: 34%" in html


@pytest.mark.parametrize("path", ["/", "/districts", "/states", "/api/docs"])
def test_pages_reference_no_external_host(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert not EXTERNAL.search(r.text), EXTERNAL.search(r.text)
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_swagger_assets_are_served_from_the_package(client: TestClient) -> None:
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/static/swagger/{asset}").status_code == 200
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "dehub API"


def test_tables_download_as_csv_and_xlsx(client: TestClient) -> None:
    r = client.get("/", params={"table": "districts", "format": "csv"})
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0]["name"] == "Jamnagar" and rows[0]["rank"] == "1"
    assert len(rows) > 600  # every district with exports, not only the 25 shown
    x = client.get("/states", params={"table": "states", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(x.content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:3] == ["rank", "name", "value_usd"]


def test_unknown_table_and_format_are_errors(client: TestClient) -> None:
    assert client.get("/", params={"table": "nope"}).status_code == 404
    assert client.get("/", params={"table": "states", "format": "pdf"}).status_code == 422


def test_errors_use_the_envelope_under_api_and_a_page_elsewhere(client: TestClient) -> None:
    r = client.get("/api/v1/no-such-route")
    assert r.status_code == 404
    assert r.json() == {
        "ok": False,
        "status": 404,
        "code": "not_found",
        "errors": [{"field": None, "message": "no page at /api/v1/no-such-route"}],
    }
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "Not found" in page.text


def test_unknown_period_is_not_found(client: TestClient) -> None:
    r = client.get("/api/v1/summary", params={"period": "1999-00"})
    assert r.status_code == 404 and r.json()["ok"] is False
