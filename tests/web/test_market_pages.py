"""Market pages and API: /markets, /markets/{iso3}, /api/v1/markets[/{iso3}]."""

from __future__ import annotations

import csv
import gzip
import io
import re
from importlib.resources import files

import duckdb
import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)
BUNDLED = files("dehub.facts") / "bundled"
PARQUET = str(BUNDLED / "india_exports_hs8_country_fy.parquet")


def _usa(where: str) -> float:
    """India's exports to the USA straight from the bundled EIDB parquet (US$)."""
    sql = (
        f"SELECT sum(CAST(value_usd_mn AS DOUBLE)) * 1e6 FROM '{PARQUET}' "
        f"WHERE country = 'U S A' AND {where}"
    )
    return float(duckdb.connect().execute(sql).fetchone()[0])  # type: ignore[index]


def test_market_page_shows_products_trend_states_and_distance(client: TestClient) -> None:
    r = client.get("/markets/USA")
    assert r.status_code == 200
    html = r.text
    assert "India's exports to United States" in html
    assert "11,762 km" in html  # CEPII capital-to-capital distance
    assert "High income" in html and "Northern America" in html
    assert 'href="/products/30"' in html and 'href="/states/24"' in html  # Gujarat
    assert "2023-24" in html  # the state x port x country data's own year
    assert not EXTERNAL.search(html)


@pytest.mark.parametrize("spelling", ["U S A", "United States", "usa", "US"])
def test_country_spellings_redirect_to_iso3(client: TestClient, spelling: str) -> None:
    r = client.get(f"/markets/{spelling}", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/markets/USA"


def test_market_figures_match_independent_computations(client: TestClient) -> None:
    data = client.get("/api/v1/markets/USA", params={"top": 2000}).json()
    assert data["ok"] is True and data["country"]["iso3"] == "USA"
    series = {r["period"]: r["value_usd"] for r in data["national"]["series"]}
    assert series["2024-25"] == pytest.approx(_usa("fy = '2024-25'"))
    hs2 = {r["code"]: r for r in data["products"]["HS2"]}
    assert hs2["30"]["value_usd"] == pytest.approx(_usa("fy = '2024-25' AND hs8 LIKE '30%'"))
    assert hs2["30"]["yoy"] == pytest.approx(
        hs2["30"]["value_usd"] / _usa("fy = '2023-24' AND hs8 LIKE '30%'") - 1
    )
    hs4_total = sum(r["value_usd"] for r in data["products"]["HS4"])
    assert hs4_total == pytest.approx(series["2024-25"])
    # states: the bundled DGCI&S state x port x country file, one release
    states = data["states"]
    assert states["source"]["source"] == "dgcis_state_port" and states["period"] == "2023-24"
    gujarat = next(s for s in states["states"] if s["lgd_code"] == "24")
    with gzip.open(str(BUNDLED / "state_port_country_exports_2023-24.csv.gz"), "rt") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    state_col = next(c for c in header if "state" in c.lower())
    country_col = next(c for c in header if "country" in c.lower())
    value_col = next(c for c in header if c.upper().endswith("_USD"))
    expected = sum(
        float(r[value_col] or 0)
        for r in rows
        if r[state_col].strip().upper() == "GUJARAT" and r[country_col].strip() == "U S A"
    )
    assert gujarat["value_usd"] == pytest.approx(expected, rel=1e-6)
    assert sum(s["value_usd"] for s in states["states"]) + states[
        "unattributed_usd"
    ] == pytest.approx(states["total_usd"])


def test_unknown_market_is_404_with_suggestions(client: TestClient) -> None:
    r = client.get("/api/v1/markets/Untied States")
    assert r.status_code == 404
    body = r.json()
    assert body["ok"] is False and body["code"] == "not_found"
    assert "United States" in body["errors"][0]["message"]
    assert client.get("/markets/Narnia").status_code == 404


def test_markets_index_and_pagination(client: TestClient) -> None:
    page = client.get("/markets")
    assert page.status_code == 200 and 'href="/markets/USA"' in page.text
    assert not EXTERNAL.search(page.text)
    first = client.get("/api/v1/markets", params={"limit": 3}).json()
    assert [m["iso3"] for m in first["items"]][:1] == ["USA"] and first["items"][0]["rank"] == 1
    nxt = client.get("/api/v1/markets", params={"limit": 3, "offset": 3}).json()
    assert nxt["items"][0]["rank"] == 4 and nxt["total"] == first["total"] > 200
    assert first["source"]["source"] == "eidb_hs8_country"
    assert client.get("/api/v1/markets", params={"limit": 5000}).status_code == 422


def test_market_tables_download(client: TestClient) -> None:
    r = client.get("/markets/USA", params={"table": "hs4", "format": "csv"})
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0]["code"] == "3004" and len(rows) > 500  # every heading, not the 25 shown
    x = client.get("/markets", params={"table": "markets", "format": "xlsx"})
    assert x.status_code == 200 and x.content[:2] == b"PK"
    assert client.get("/markets/USA", params={"table": "nope"}).status_code == 404
