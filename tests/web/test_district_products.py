"""The district page's "ODOP and GI products" section and the API's ``products`` field."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from dehub.services.district_products import products_with_code

pytestmark = pytest.mark.slow


def test_district_page_shows_the_products_section(client: TestClient) -> None:
    html = client.get("/districts/171").text  # Moradabad
    section = html[html.index('id="odop-h"') :]
    assert "ODOP and GI products" in html
    assert "Moradabad Metal Craft" in section and "Honey" in section
    assert '<a href="/products/830629">830629</a>' in section
    assert '<a href="/products/040900">040900</a>' in section
    assert "India's exports are for 2024-25" in section
    assert "not of the product itself" in section  # the sector caveat


def test_products_table_downloads(client: TestClient) -> None:
    r = client.get("/districts/171?table=products&format=csv")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {"list", "product", "code", "confidence", "india_usd", "sector_rca"} <= set(rows[0])
    assert {row["list"] for row in rows} == {"ODOP + GI", "PMFME"}  # one row per product and code
    honey = next(row for row in rows if row["code"] == "040900")
    assert float(honey["india_usd"]) > 1e8


def test_api_district_has_products(client: TestClient) -> None:
    data = client.get("/api/v1/districts/171").json()
    products = data["products"]
    assert products["counts"] == {"odop": 1, "gi": 1, "pmfme": 1}
    assert "rows" not in products
    odop = next(i for i in products["items"] if i["list"] == "odop")
    codes = {h["code"]: h for h in odop["hs"]}
    metal = codes["830629"]
    assert metal["india_exports"]["value_usd"] > 0
    assert metal["india_exports"]["top_markets"][0]["iso3"] == "USA"
    sector = next(s for s in data["sectors"] if s["sector"] == metal["sector"])
    assert metal["district_sector"]["domestic_rca"] == pytest.approx(sector["domestic_rca"])
    assert products["exports"]["source"]["source"] == "eidb_hs8_country"


def test_product_page_lists_the_districts_naming_it(client: TestClient) -> None:
    html = client.get("/products/830629").text
    section = html[html.index('id="listed-h"') :]
    assert '<a href="/districts/171">Moradabad</a>' in section
    assert "Moradabad Metal Craft" in section
    rows = client.get("/products/830629?table=district_products&format=csv")
    assert rows.status_code == 200 and "Moradabad Metal Craft" in rows.text


def test_products_with_code_takes_finer_codes_and_the_hs6() -> None:
    mango = products_with_code("0804")  # heading: every product mapped under it
    assert any(r["product"] == "Alphonso Mangoes" for r in mango)
    assert {r["hs_code"][:4] for r in mango} == {"0804"}
    hs8 = products_with_code("08045020")  # an ITC-HS8: products mapped to its HS6 count
    assert any(r["hs_code"] == "080450" for r in hs8)
    assert all(r["list"] in {"ODOP", "GI", "PMFME"} for r in hs8)
    assert not products_with_code("9999")
