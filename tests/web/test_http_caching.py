"""HTTP caching and start-up: ETag / 304 on pages and API answers, Cache-Control, security
headers on every answer, and the cache warm-up of ``dehub serve``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dehub.settings import Settings
from dehub.web import warmup
from dehub.web.app import create_app
from dehub.web.middleware import body_etag, etag_matches
from dehub.web.warmup import warm_paths


def test_etag_is_weak_and_depends_on_the_body() -> None:
    assert body_etag(b"a") == body_etag(b"a") != body_etag(b"b")
    assert body_etag(b"a").startswith('W/"')


@pytest.mark.parametrize(
    ("header", "match"),
    [('W/"x"', True), ('"x"', True), ('"y", W/"x"', True), ("*", True), ('"y"', False)],
)
def test_if_none_match_uses_weak_comparison(header: str, match: bool) -> None:
    assert etag_matches(header, 'W/"x"') is match


def test_creating_the_app_reads_nothing(tmp_path: Path) -> None:
    app = create_app(Settings(home=tmp_path, env="test"))
    assert app.state.warm is False
    assert list(tmp_path.iterdir()) == []  # no store opened or created, nothing warmed


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/", "/districts/447", "/api/v1/districts/447", "/markets/USA"])
def test_pages_and_api_answer_304_while_unchanged(client: TestClient, path: str) -> None:
    first = client.get(path)
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    assert first.headers["cache-control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert "default-src 'self'" in again.headers["content-security-policy"]
    other = client.get(path, headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and other.content == first.content


@pytest.mark.slow
def test_gzip_and_identity_share_the_etag(client: TestClient) -> None:
    gz = client.get("/districts/447", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/districts/447", headers={"Accept-Encoding": "identity"})
    assert gz.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert gz.headers["etag"] == plain.headers["etag"]


@pytest.mark.slow
def test_errors_redirects_and_downloads(client: TestClient) -> None:
    missing = client.get("/districts/Nowhereabad")
    assert missing.status_code == 404 and "etag" not in missing.headers
    redirect = client.get("/districts/Jamnagar", follow_redirects=False)
    assert redirect.status_code == 302 and "etag" not in redirect.headers
    csv = client.get("/districts/447?table=sectors&format=csv")
    assert csv.headers["etag"] and "attachment" in csv.headers["content-disposition"]
    assert client.head("/").status_code in (200, 405)


@pytest.mark.slow
def test_static_files_are_cached_for_an_hour(client: TestClient) -> None:
    r = client.get("/static/dehub.css")
    assert r.headers["cache-control"] == "public, max-age=3600"
    assert (
        client.get("/static/dehub.css", headers={"If-None-Match": r.headers["etag"]}).status_code
        == 304
    )


@pytest.mark.slow
def test_serve_warms_the_caches_in_the_background(
    web_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warmup, "TOP_DISTRICTS", 3)
    app = create_app(web_settings, warm=True)
    with TestClient(app) as c:
        assert c.get("/healthz").status_code == 200  # answers while warming
        deadline = time.monotonic() + 300
        while c.get("/healthz").json()["warm_districts"] < 3:
            assert time.monotonic() < deadline, "warm-up did not finish in 300 s"
            time.sleep(0.5)
        assert c.get("/healthz").json()["warm"] is True
        cache = app.state.cache
        assert ("html", "national", "") in cache._entries
        assert ("html", "state", "24", "") in cache._entries
        assert any(k[0] == "district-frame" for k in cache._entries)
        # the three largest exporters' pages: Jamnagar, Kancheepuram, Pune
        built = {k[2] for k in cache._entries if k[:2] == ("html", "district")}
        assert {"447", "574", "490"} <= built
    assert len(warm_paths()) > 40


def test_private_answers_get_no_validator() -> None:
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse

    from dehub.web.middleware import ConditionalGet

    app = FastAPI()

    @app.get("/mine")
    def mine() -> PlainTextResponse:
        return PlainTextResponse("yours only", headers={"Cache-Control": "private, no-store"})

    @app.get("/public")
    def public() -> PlainTextResponse:
        return PlainTextResponse("everyone's")

    app.add_middleware(ConditionalGet)
    c = TestClient(app)
    r = c.get("/mine")
    assert "etag" not in r.headers and r.headers["cache-control"] == "private, no-store"
    assert c.get("/public").headers["etag"] == body_etag(b"everyone's")
