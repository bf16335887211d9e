"""The international RCA API (/api/v1/rca/international) over the initialised store."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow


def test_api_international_rca(client: TestClient) -> None:
    data = client.get("/api/v1/rca/international", params={"level": "HS2", "limit": 5}).json()
    assert data["ok"] and data["total"] == 96 and len(data["items"]) == 5
    assert data["period"] == "2024-25" and data["world_year"] == 2024
    assert data["world_source"]["licence"] == "Etalab Open Licence 2.0"
    rcas = [i["rca"] for i in data["items"]]
    assert rcas == sorted(rcas, reverse=True) and all(i["mcp"] == 1 for i in data["items"])
    assert {"product_code", "value_usd", "world_value_usd", "status"} <= set(data["items"][0])


def test_api_international_rca_errors(client: TestClient) -> None:
    r = client.get("/api/v1/rca/international", params={"period": "2023-24"})
    assert r.status_code == 404 and r.json()["ok"] is False
    r = client.get("/api/v1/rca/international", params={"level": "HS8"})
    assert r.status_code == 422 and r.json()["ok"] is False
