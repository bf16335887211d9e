"""Product pages and API: /products, /products/{code}, /api/v1/products[/{hs}]."""

from __future__ import annotations

import csv
import io
import re
from importlib.resources import files

import duckdb
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)
PARQUET = str(files("dehub.facts") / "bundled" / "india_exports_hs8_country_fy.parquet")


def _parquet_sum(where: str) -> float:
    """An independent answer: DuckDB straight over the bundled EIDB parquet as published
    (``hs8``, ``fy``, ``country`` in DGCI&S spelling, ``value_usd_mn`` text in US$ million)."""
    sql = f"SELECT sum(CAST(value_usd_mn AS DOUBLE)) * 1e6 FROM '{PARQUET}' WHERE {where}"
    return float(duckdb.connect().execute(sql).fetchone()[0])  # type: ignore[index]


def test_product_page_shows_series_markets_and_sector_districts(client: TestClient) -> None:
    r = client.get("/products/0904")
    assert r.status_code == 200
    html = r.text
    assert "HS 0904" in html and "Pepper of the genus piper" in html
    assert 'class="chart"' in html and 'href="/markets/CHN"' in html
    # the district data is by sector: the page says so
    assert "The district-wise data is by sector" in html
    assert "Other Agricultural Products" in html
    assert not EXTERNAL.search(html)


def test_product_exports_to_usa_match_the_bundled_parquet(client: TestClient) -> None:
    data = client.get("/api/v1/products/0904", params={"top": 1000}).json()
    assert data["ok"] is True
    usa = next(m for m in data["markets"]["markets"] if m["iso3"] == "USA")
    expected = _parquet_sum("hs8 LIKE '0904%' AND country = 'U S A' AND fy = '2024-25'")
    assert usa["value_usd"] == pytest.approx(expected)
    series = {r["period"]: r["value_usd"] for r in data["national"]["series"]}
    assert series["2017-18"] == pytest.approx(_parquet_sum("hs8 LIKE '0904%' AND fy = '2017-18'"))
    assert set(series) >= {"2017-18", "2024-25"}
    g = data["national"]["growth"]
    assert g["yoy"] == pytest.approx(series["2024-25"] / series["2023-24"] - 1)
    assert g["cagr"] == pytest.approx((series["2024-25"] / series["2019-20"]) ** (1 / 5) - 1)
    assert data["source"]["source"] == "eidb_hs8_country"
    assert data["districts"]["source"]["source"] == "dgcis_district_sector"


def test_sector_page_uses_its_chapters(client: TestClient) -> None:
    data = client.get("/api/v1/products/pharma").json()
    assert data["product"]["level"] == "sector"
    series = {r["period"]: r["value_usd"] for r in data["national"]["series"]}
    assert series["2024-25"] == pytest.approx(_parquet_sum("hs8 LIKE '30%' AND fy = '2024-25'"))
    basis = data["districts"]["basis"]
    assert basis == {**basis, "level": "sector", "code": "pharma", "exact": True}
    assert data["districts"]["districts"][0]["rank"] == 1
    page = client.get("/products/pharma")
    assert page.status_code == 200 and "Pharmaceuticals" in page.text


def test_dotted_codes_and_sector_names_redirect(client: TestClient) -> None:
    r = client.get("/products/0904.11", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/products/090411"
    r = client.get("/products/Pharma", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/products/pharma"


def test_unknown_and_malformed_codes(client: TestClient) -> None:
    bad = client.get("/api/v1/products/12345")
    assert bad.status_code == 422
    assert bad.json()["ok"] is False and bad.json()["code"] == "invalid"
    missing = client.get("/api/v1/products/0199")
    assert missing.status_code == 404
    body = missing.json()
    assert body["code"] == "not_found" and "01 (Animals; live)" in body["errors"][0]["message"]
    page = client.get("/products/pharmaa")
    assert page.status_code == 404 and "did you mean pharma" in page.text


def test_products_index_and_pagination(client: TestClient) -> None:
    r = client.get("/products")
    assert r.status_code == 200
    assert 'href="/products/pharma"' in r.text and 'href="/products/30"' in r.text
    assert not EXTERNAL.search(r.text)
    first = client.get("/api/v1/products", params={"level": "HS2", "limit": 5}).json()
    second = client.get("/api/v1/products", params={"level": "HS2", "limit": 5, "offset": 5})
    assert first["total"] == second.json()["total"] > 90
    assert len(first["items"]) == 5
    assert {i["code"] for i in first["items"]}.isdisjoint(
        {i["code"] for i in second.json()["items"]}
    )
    values = [i["value_usd"] for i in first["items"] + second.json()["items"]]
    assert values == sorted(values, reverse=True)
    total = _parquet_sum("fy = '2024-25'")
    assert first["total_usd"] == pytest.approx(total)
    assert client.get("/api/v1/products", params={"limit": 0}).status_code == 422


def test_product_tables_download(client: TestClient) -> None:
    r = client.get("/products/0904", params={"table": "markets", "format": "csv"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0]["iso3"] == "CHN" and len(rows) > 25  # every market, not only those shown
    x = client.get("/products/pharma", params={"table": "districts", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:3] == ["rank", "name", "state_name"]
    redirected = client.get("/products/0904.11", params={"table": "series", "format": "csv"})
    assert redirected.status_code == 200 and "period" in redirected.text
