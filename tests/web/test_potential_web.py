"""Target markets on the district and product pages, diversification opportunities on the
district page, and the API (/api/v1/potential, /api/v1/opportunities/{district})."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow


def test_district_page_shows_target_markets_and_opportunities(client: TestClient) -> None:
    html = client.get("/districts/459").text  # Surat
    assert 'id="target-h"' in html and "Target markets" in html
    assert "How the district is the supplier" in html and "sector" in html
    assert 'href="/markets/ARE"' in html and 'href="/products/710239"' in html
    assert "Diversification opportunities" in html and "Density" in html
    assert "Not assessed (absent from the world imports data): USA" in html
    r = client.get("/districts/459", params={"table": "target_markets", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 100 and rows[0]["market"] == "ARE" and rows[0]["product"] == "710239"
    untapped = [float(x["supplier_untapped_usd"]) for x in rows]
    assert untapped == sorted(untapped, reverse=True)
    ops = client.get("/districts/459", params={"table": "opportunities", "format": "csv"})
    assert ops.status_code == 200 and "density" in ops.text.splitlines()[0]


def test_product_page_shows_target_markets(client: TestClient) -> None:
    html = client.get("/products/0904").text
    assert "Target markets" in html and "share of the market" in html
    assert "/api/v1/potential?product=0904" in html
    r = client.get("/products/0904", params={"table": "target_markets", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows and all(x["product"].startswith("0904") for x in rows)
    sector = client.get("/products/pharma").text
    assert "Target markets" in sector


def test_api_potential_pages_and_filters(client: TestClient) -> None:
    first = client.get("/api/v1/potential", params={"limit": 5}).json()
    assert first["ok"] and first["total"] == 815_494 and len(first["items"]) == 5
    second = client.get("/api/v1/potential", params={"limit": 5, "offset": 5}).json()
    assert first["items"][-1]["untapped_usd"] >= second["items"][0]["untapped_usd"]
    assert {"supply", "demand", "ease", "trend", "growth_cagr"} <= set(first["items"][0])
    one = client.get(
        "/api/v1/potential", params={"district": "Surat", "product": "71", "market": "ARE"}
    ).json()
    assert one["supplier"]["district"]["lgd_code"] == "459" and one["items"]
    assert all(i["market"] == "ARE" and i["product"].startswith("71") for i in one["items"])
    assert all(i["supplier_share"] > 0 for i in one["items"])
    usa = client.get("/api/v1/potential", params={"market": "USA"}).json()
    assert usa["total"] == 0 and usa["missing_importers"] == ["USA"] and usa["notes"]


def test_api_errors_use_the_envelope(client: TestClient) -> None:
    r = client.get("/api/v1/potential", params={"market": "Narnia"})
    assert r.status_code == 404 and r.json()["ok"] is False
    r = client.get("/api/v1/potential", params={"product": "12345"})
    assert r.status_code == 422 and r.json()["ok"] is False
    r = client.get("/api/v1/potential", params={"district": "Ahmedabd"})
    assert r.status_code == 404


def test_api_opportunities(client: TestClient) -> None:
    data = client.get("/api/v1/opportunities/Surat", params={"limit": 3}).json()
    assert data["ok"] and data["level"] == "sector" and len(data["items"]) == 3
    assert data["total"] == 22 - data["competitive"]
    assert client.get("/api/v1/opportunities/Ahmedabd").status_code == 404
