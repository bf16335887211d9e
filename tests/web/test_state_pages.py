"""The state page: districts map, concentration, sectors, districts, ports and destinations."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from dehub.reference.geography import resolve_state
from dehub.services import overview, places
from dehub.settings import Settings
from dehub.web.formatting import usd

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)
TABLES = ("districts", "concentration", "sectors", "ports", "destinations", "port_destinations")


def _state_row(settings: Settings, code: str) -> dict[str, object]:
    table = overview.state_table(settings)["states"]
    return next(r for r in table if r["lgd_code"] == code)


@pytest.mark.parametrize("code", ["24", "27", "7", "35"])
def test_state_totals_match_the_overview_service(web_settings: Settings, code: str) -> None:
    frame = places.district_frame(web_settings)
    profile = places.state_profile(frame, resolve_state(code))
    row = _state_row(web_settings, code)
    assert profile["total_usd"] == row["value_usd"] and profile["rank"] == row["rank"]
    summary = profile["concentration"]
    assert summary["attributed"] + profile["unattributed_usd"] == profile["total_usd"]


def test_gujarat_page(client: TestClient, web_settings: Settings) -> None:
    r = client.get("/states/24")
    assert r.status_code == 200
    html = r.text
    assert "<h1>Gujarat: exports by district, 2024-25</h1>" in html
    assert f"<strong>{usd(_state_row(web_settings, '24')['value_usd'])}</strong>" in html
    assert "rank <strong>1</strong>" in html
    assert '<svg class="map"' in html and 'href="/districts/447"' in html
    assert "Ports of exit and destinations, 2023-24" in html
    assert "SEZ Jamnagar (Reliance)" in html and 'href="/markets/USA"' in html
    assert "Source: <code>dgcis_district_sector</code>" in html
    assert "Source: <code>dgcis_state_port</code>" in html
    assert not EXTERNAL.search(html)


def test_ports_are_their_own_source_and_shares_add_up(web_settings: Settings) -> None:
    ports = places.state_ports(web_settings, resolve_state("24"))
    assert ports["source"]["source"] == "dgcis_state_port" and ports["period"] == "2023-24"
    assert sum(p["share"] for p in ports["ports"]) == pytest.approx(1.0)
    assert sum(d["value_usd"] for d in ports["destinations"]) == pytest.approx(ports["total_usd"])
    assert ports["destinations"][0]["partner_code"] == "USA"


@pytest.mark.parametrize("path", ["/states/IN-GJ", "/states/gujarat", "/states/GUJARAT"])
def test_names_and_iso_codes_redirect(client: TestClient, path: str) -> None:
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/states/24"


def test_unknown_state_is_a_404_page_with_suggestions(client: TestClient) -> None:
    r = client.get("/states/Gujrat")
    assert r.status_code == 404 and "did you mean" in r.text and "GUJARAT" in r.text


@pytest.mark.parametrize("table", TABLES)
def test_every_table_downloads(client: TestClient, table: str) -> None:
    r = client.get("/states/24", params={"table": table, "format": "csv"})
    assert r.status_code == 200
    assert f'filename="state-24-{table}.csv"' in r.headers["content-disposition"]
    assert list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))


def test_downloads_hold_every_port_country_row(client: TestClient) -> None:
    r = client.get("/states/24", params={"table": "port_destinations", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) > 1000  # the page shows 20


def test_a_small_state_renders(client: TestClient) -> None:
    r = client.get("/states/35")  # Andaman and Nicobar Islands
    assert r.status_code == 200 and "Andaman and Nicobar Islands" in r.text
