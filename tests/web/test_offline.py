"""No page loads anything from another host (the platform must work on an offline intranet):
every page kind as served, the error page, the API docs, every template and static file.

Links the user follows to another host (a licence, a source's site) are allowed; scripts,
stylesheets, images, fonts, frames and form targets must be on this host."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.pages import PAGE_KINDS, PageKind, css_urls, external_resources, is_external

WEB = Path(str(files("dehub.web")))


@pytest.mark.parametrize(
    ("url", "external"),
    [
        ("/static/dehub.css", False),
        ("?table=x&format=csv", False),
        ("#table-districts", False),
        ("data:image/png;base64,AAAA", False),
        ("https://fonts.googleapis.com/css", True),
        ("//cdn.example.org/x.js", True),
        ("HTTP://EXAMPLE.ORG", True),
    ],
)
def test_is_external(url: str, external: bool) -> None:
    assert is_external(url) is external


def test_the_scanner_finds_every_kind_of_resource() -> None:
    html = (
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
        '<script src="//cdn.example/x.js"></script><img srcset="/a.png 1x, https://x/b.png 2x">'
        '<div style="background: url(https://x/bg.png)"></div>'
        "<style>@import 'https://fonts.example/f.css';</style>"
        '<svg><image href="https://x/map.png"/></svg><form action="https://x/search"></form>'
        '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>'
    )
    where = [w for w, _ in external_resources(html)]
    assert where == [
        "<link rel=stylesheet>",
        "<script src>",
        "<img srcset>",
        "<div style>",
        "<style>",
        "<image href>",
        "<form action>",
    ]


@pytest.mark.parametrize(
    "template", sorted(p.name for p in (WEB / "templates").glob("*.html")), ids=str
)
def test_templates_load_nothing_from_another_host(template: str) -> None:
    assert external_resources((WEB / "templates" / template).read_text()) == []


def test_static_files_load_nothing_from_another_host() -> None:
    css = (WEB / "static" / "dehub.css").read_text()
    assert [u for u in css_urls(css) if is_external(u)] == []
    js = (WEB / "static" / "dehub.js").read_text()
    assert "http:" not in js and "https:" not in js and "//" not in js.replace("// ", "")
    assert 'fetch("/api/v1/search' in js  # the only request it makes: this host's API


@pytest.mark.slow
@pytest.mark.parametrize("kind", PAGE_KINDS, ids=lambda k: k.name)
def test_every_page_kind_loads_nothing_from_elsewhere(client: TestClient, kind: PageKind) -> None:
    url = kind.url
    r = client.get(url)
    assert r.status_code == 200, url
    assert kind.heading in r.text
    assert external_resources(r.text) == []
    assert "default-src 'self'" in r.headers["content-security-policy"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "url", ["/api/docs", "/districts/447/report.html", "/no-such-page", "/districts/Nowhereabad"]
)
def test_docs_report_and_error_pages_load_nothing_from_elsewhere(
    client: TestClient, url: str
) -> None:
    r = client.get(url)
    assert r.status_code in (200, 404)
    assert external_resources(r.text) == []
    assert "default-src 'self'" in r.headers["content-security-policy"]


@pytest.mark.slow
def test_swagger_ui_has_no_online_validator(client: TestClient) -> None:
    """Swagger UI would otherwise load a badge from validator.swagger.io on a public host."""
    assert '"validatorUrl": null' in client.get("/api/docs").text
