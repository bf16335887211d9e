"""The district page: profile, state map, sectors, dominance, peers, redirects, downloads."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from dehub.reference.geography import resolve_district
from dehub.services import analytics, places
from dehub.settings import Settings

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)
TABLES = ("sectors", "dominance", "peers", "state_districts")


@pytest.mark.parametrize("code", ["447", "438", "603", "1", "469"])
def test_profile_from_the_frame_equals_the_analytics_service(
    web_settings: Settings, code: str
) -> None:
    frame = places.district_frame(web_settings)
    assert places.district_profile(frame, resolve_district(code)) == (
        analytics.district_profile(web_settings, code)
    )


def test_jamnagar_page_shows_the_profile(client: TestClient) -> None:
    r = client.get("/districts/447")
    assert r.status_code == 200
    html = r.text
    assert "<h1>Jamnagar, Gujarat: exports 2024-25</h1>" in html
    assert "<strong>US$ 36.55 bn</strong>" in html and "rank <strong>1</strong>" in html
    assert 'href="/districts/447/report.pdf"' in html
    assert 'class="highlight"' in html  # the district outlined on its state's map
    assert 'href="/products/' in html and 'href="/states/24"' in html
    assert "How peers are chosen" in html
    assert "Source: <code>dgcis_district_sector</code>" in html
    assert not EXTERNAL.search(html)


def test_headings_are_in_order(client: TestClient) -> None:
    levels = [int(h) for h in re.findall(r"<h([1-6])", client.get("/districts/447").text)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_a_district_without_a_large_share_still_renders(client: TestClient) -> None:
    r = client.get("/districts/603")  # Nicobars: tiny exports
    assert r.status_code == 200 and "Nicobars" in r.text
    assert "less than 5% of India's exports of every sector" in r.text


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/districts/Ahmedabad", "/districts/438"),
        ("/districts/AHMADABAD", "/districts/438"),
        ("/districts/jamnagar?period=2024-25", "/districts/447?period=2024-25"),
        ("/districts/Aurangabad?state=Bihar", "/districts/189"),
    ],
)
def test_spellings_redirect_to_the_code(client: TestClient, path: str, target: str) -> None:
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == target


def test_unknown_district_is_a_404_page_with_suggestions(client: TestClient) -> None:
    r = client.get("/districts/Ahmedabd")
    assert r.status_code == 404 and "did you mean" in r.text and "Ahmedabad" in r.text


def test_ambiguous_name_lists_the_candidates(client: TestClient) -> None:
    r = client.get("/districts/Aurangabad")
    assert r.status_code == 422 and "LGD 189" in r.text and "LGD 469" in r.text


def test_unknown_period_is_not_found(client: TestClient) -> None:
    assert client.get("/districts/447", params={"period": "1999-00"}).status_code == 404


@pytest.mark.parametrize("table", TABLES)
def test_every_table_downloads(client: TestClient, table: str) -> None:
    r = client.get("/districts/447", params={"table": table, "format": "csv"})
    assert r.status_code == 200
    assert f'filename="district-447-{table}.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows
    x = client.get("/districts/447", params={"table": table, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None and sheet.max_row == len(rows) + 1


def test_sector_table_has_rca_and_share_of_india(client: TestClient) -> None:
    r = client.get("/districts/447", params={"table": "sectors", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    top = rows[0]
    assert top["sector"] == "mineral_products"
    assert float(top["domestic_rca"]) > 1 and 0 < float(top["share_of_india"]) <= 1


def test_peers_are_in_the_same_state_by_size_and_anywhere_by_mix(client: TestClient) -> None:
    r = client.get("/districts/447", params={"table": "peers", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    groups = [row["peer_group"] for row in rows]
    assert groups[0] == "this district" and rows[0]["lgd_code"] == "447"
    size = [row for row in rows if row["peer_group"].startswith("nearest in size")]
    mix = [row for row in rows if row["peer_group"].startswith("most similar")]
    assert len(size) == 5 and {row["state_name"] for row in size} == {"Gujarat"}
    assert len(mix) == 5 and "447" not in {row["lgd_code"] for row in size + mix}
