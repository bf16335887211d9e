"""The API of districts and states: lists, profiles, errors, OpenAPI documentation."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dehub.services import analytics, overview
from dehub.settings import Settings

pytestmark = pytest.mark.slow


def test_district_list_is_paginated_largest_first(client: TestClient) -> None:
    r = client.get("/api/v1/districts", params={"limit": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is True and body["limit"] == 3 and body["offset"] == 0
    assert body["total"] > 700 and len(body["items"]) == 3
    first = body["items"][0]
    assert first["lgd_code"] == "447" and first["name"] == "Jamnagar" and first["rank"] == 1
    assert round(first["value_usd"] / 1e9, 2) == 36.55
    assert first["state"] == {"lgd_code": "24", "name": "Gujarat"}
    assert body["period"] == "2024-25" and body["source"]["source"] == "dgcis_district_sector"
    second = client.get("/api/v1/districts", params={"limit": 1, "offset": 1}).json()
    assert second["items"][0] == body["items"][1]


def test_district_list_filters_by_state(client: TestClient) -> None:
    body = client.get("/api/v1/districts", params={"state": "IN-GJ", "limit": 1000}).json()
    assert {i["state"]["lgd_code"] for i in body["items"]} == {"24"}
    assert body["total"] == len(body["items"]) >= 33


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "ten"}]
)
def test_bad_paging_is_a_422_envelope(client: TestClient, params: dict[str, object]) -> None:
    for path in ("/api/v1/districts", "/api/v1/states"):
        r = client.get(path, params=params)
        assert r.status_code == 422
        body = r.json()
        assert body["ok"] is False and body["status"] == 422 and body["code"] == "invalid"


def test_unknown_state_filter_and_period_are_404(client: TestClient) -> None:
    assert client.get("/api/v1/districts", params={"state": "Atlantis"}).status_code == 404
    r = client.get("/api/v1/districts/447", params={"period": "1999-00"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_district_profile_is_the_service_answer_with_peers(
    client: TestClient, web_settings: Settings
) -> None:
    body = client.get("/api/v1/districts/447").json()
    assert body.pop("ok") is True
    peers = body.pop("peers")
    expected = analytics.district_profile(web_settings, "447")
    assert body["total_usd"] == expected["total_usd"] and body["rank"] == 1
    assert body["sectors"] == expected["sectors"] and body["source"] == expected["source"]
    assert len(peers["by_size"]) == 5 and len(peers["by_mix"]) == 5 and peers["method"]


@pytest.mark.parametrize(
    ("code", "hint"),
    [("Ahmedabad", "LGD code 438"), ("Ahmedabd", "did you mean"), ("99999", "99999")],
)
def test_unknown_district_code_is_a_404_envelope(client: TestClient, code: str, hint: str) -> None:
    r = client.get(f"/api/v1/districts/{code}")
    assert r.status_code == 404
    body = r.json()
    assert body["ok"] is False and body["status"] == 404 and body["code"] == "not_found"
    assert hint in body["errors"][0]["message"]


def test_state_list_matches_the_overview(client: TestClient, web_settings: Settings) -> None:
    body = client.get("/api/v1/states", params={"limit": 1000}).json()
    expected = {s["lgd_code"]: s["value_usd"] for s in overview.state_table(web_settings)["states"]}
    assert {s["lgd_code"]: s["value_usd"] for s in body["items"]} == expected
    assert body["items"][0]["lgd_code"] == "24" and body["items"][0]["iso3166_2"] == "IN-GJ"


@pytest.mark.parametrize("code", ["24", "IN-GJ"])
def test_state_profile_has_ports_from_their_own_release(client: TestClient, code: str) -> None:
    r = client.get(f"/api/v1/states/{code}")
    assert r.status_code == 200
    body = r.json()
    assert body["state"] == {"lgd_code": "24", "name": "Gujarat"} and body["rank"] == 1
    ports = body["ports"]
    assert ports["source"]["source"] == "dgcis_state_port" and ports["period"] == "2023-24"
    assert body["source"]["source"] == "dgcis_district_sector"
    assert ports["ports"][0]["port_code"] == "SEZJAMNAGARRELIANCE"
    assert len(ports["flows"]) == 100 < ports["flows_total"]


def test_unknown_state_code_is_a_404_envelope(client: TestClient) -> None:
    r = client.get("/api/v1/states/Gujrat")
    assert r.status_code == 404 and "did you mean" in r.json()["errors"][0]["message"]


def test_openapi_documents_the_routes(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/districts", "/districts/{lgd_code}", "/states", "/states/{code}"):
        route = paths[f"/api/v1{path}"]["get"]
        assert route["summary"] and route["description"]
        assert all(p.get("description") for p in route["parameters"]), path
        assert "404" in route["responses"]
