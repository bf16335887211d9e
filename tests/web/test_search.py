"""Search: the /search page (no JavaScript needed) and GET /api/v1/search (autocomplete)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from dehub.services.search import search

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)


def _first(client: TestClient, q: str) -> dict[str, str]:
    r = client.get("/api/v1/search", params={"q": q, "limit": 8})
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is True and body["results"], q
    first: dict[str, str] = body["results"][0]
    assert set(first) >= {"kind", "code", "name", "detail", "url"}
    return first


@pytest.mark.parametrize(
    ("q", "kind", "code", "url"),
    [
        ("Gurgaon", "district", "62", "/districts/62"),  # old name of Gurugram
        ("Kancheepuram", "district", "574", "/districts/574"),
        ("KANCHIPURAM", "district", "574", "/districts/574"),
        ("ri bhoi", "district", "276", "/districts/276"),
        ("Tamil Nadu", "state", "33", "/states/33"),
        ("0904", "product", "0904", "/products/0904"),
        ("0904.11", "product", "090411", "/products/090411"),
        ("basmati rice", "product", "10063020", "/products/10063020"),
        ("agarwood", "product", "12119080", "/products/12119080"),
        ("pharma", "sector", "pharma", "/products/pharma"),
        ("U S A", "country", "USA", "/markets/USA"),
        ("United States", "country", "USA", "/markets/USA"),
        ("usa", "country", "USA", "/markets/USA"),
        ("BANGLADESH PR", "country", "BGD", "/markets/BGD"),
    ],
)
def test_spellings_find_the_entity_first(
    client: TestClient, q: str, kind: str, code: str, url: str
) -> None:
    first = _first(client, q)
    assert (first["kind"], first["code"], first["url"]) == (kind, code, url)


def test_alias_is_named_in_the_detail(client: TestClient) -> None:
    first = _first(client, "Gurgaon")
    assert first["name"] == "Gurugram" and first["detail"].startswith("Haryana")
    assert "Gurgaon" in first["detail"]


def test_ranking_exact_then_prefix_then_words() -> None:
    hits = search("0904", limit=50)["results"]
    assert [h["match"] for h in hits[:2]] == ["exact", "prefix"]
    assert all(h["code"].startswith("0904") for h in hits)
    levels = [len(h["code"]) for h in hits]
    assert levels == sorted(levels)  # the heading, then its subheadings, then HS8 lines
    rice = search("basmati rice", limit=10)["results"]
    assert rice[0]["match"] == "exact"
    assert any(h["match"] == "words" and "BASMATI" in h["name"] for h in rice[1:])
    matches = [h["match"] for h in search("pepper", limit=100)["results"]]
    assert matches == sorted(matches, key=["exact", "prefix", "words"].index)


def test_search_page_groups_results_by_kind(client: TestClient) -> None:
    r = client.get("/search", params={"q": "ch"})
    assert r.status_code == 200
    html = r.text
    assert 'id="kind-district"' in html and 'id="kind-state"' in html
    assert html.index('id="kind-district"') < html.index('id="kind-state"')
    assert 'href="/states/4"' in html  # Chandigarh
    assert 'value="ch"' in html  # the box keeps the query
    assert not EXTERNAL.search(html)
    empty = client.get("/search", params={"q": "zzzzqqq"})
    assert empty.status_code == 200 and "Nothing matches" in empty.text
    assert client.get("/search").status_code == 200


def test_search_api_limits_and_errors(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "pepper", "limit": 3}).json()
    assert len(body["results"]) == 3 and body["total"] > 3
    r = client.get("/api/v1/search", params={"q": ""})
    assert r.status_code == 422 and r.json()["ok"] is False
    assert client.get("/api/v1/search", params={"q": "x", "limit": 101}).status_code == 422
    assert client.get("/api/v1/search", params={"q": "!!!"}).json()["results"] == []


def test_routes_are_documented(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/products",
        "/api/v1/products/{hs}",
        "/api/v1/markets",
        "/api/v1/markets/{iso3}",
        "/api/v1/search",
    ):
        op = paths[path]["get"]
        assert op["summary"] and op["description"]
        assert all(p.get("description") for p in op.get("parameters", []))
