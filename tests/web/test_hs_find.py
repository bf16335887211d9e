"""The HS code finder page /hs-find and GET /api/v1/hs-find."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dehub.settings import Settings
from dehub.web.app import create_app

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def lexical_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The application with the finder's model switched off (no store needed)."""
    home: Path = tmp_path_factory.mktemp("hsfind-web")
    return TestClient(create_app(Settings(home=home, env="test", hs_semantic=False)))


def test_page_form_and_results(lexical_client: TestClient) -> None:
    empty = lexical_client.get("/hs-find")
    assert empty.status_code == 200
    assert '<label for="hs-find-q">' in empty.text and "brass puja lamps" in empty.text
    r = lexical_client.get("/hs-find", params={"q": "hand-knotted woollen carpet", "top": 5})
    assert r.status_code == 200
    html = r.text
    assert '<a href="/products/570110" class="code">570110</a>' in html
    assert "its description has" in html and "<caption" in html and 'scope="col"' in html
    assert "switched off" in html
    assert not EXTERNAL.search(html)
    hs8 = lexical_client.get("/hs-find", params={"q": "ghee", "level": "HS8"})
    assert "/products/04059020" in hs8.text and "/products/040590" in hs8.text


def test_page_errors(lexical_client: TestClient) -> None:
    assert lexical_client.get("/hs-find", params={"q": "tea", "level": "HS5"}).status_code == 422
    none = lexical_client.get("/hs-find", params={"q": "zzzqqq"})
    assert none.status_code == 200 and "No code shares a word" in none.text


def test_api(lexical_client: TestClient) -> None:
    r = lexical_client.get("/api/v1/hs-find", params={"q": "brinjal", "top": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is True and body["method"] == "lexical" and body["level"] == "HS6"
    first = body["results"][0]
    assert first["code"] == "070930" and first["url"] == "/products/070930"
    assert set(first) >= {"why", "matched", "inherited", "similarity", "lexical_rank"}
    tea = lexical_client.get("/api/v1/hs-find", params={"q": "tea", "top": 3}).json()
    assert len(tea["results"]) == 3
    bad = lexical_client.get("/api/v1/hs-find", params={"q": ""})
    assert bad.status_code == 422 and bad.json()["ok"] is False
    off = lexical_client.get("/api/v1/hs-find", params={"q": "tea", "mode": "semantic"})
    assert off.status_code == 503 and off.json()["code"] == "unavailable"
    op = lexical_client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/hs-find"]["get"]
    assert op["summary"] and op["description"]
    assert all(p.get("description") for p in op["parameters"])
