"""Every page kind in real Chromium: it opens with its heading, no script or console error, no
request leaving 127.0.0.1 (the ``page`` fixture fails the test otherwise) and no chart label
drawn outside its chart; a screenshot of each is kept in test-artifacts/screenshots/. At phone
width (390 px) no page kind scrolls sideways (tables scroll inside their own box)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.web.pages import PAGE_KINDS, PageKind

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# every text of every chart, measured by the browser's layout (getBBox, in viewBox units)
CLIPPED_CHART_TEXT = """() => Array.from(document.querySelectorAll('svg.chart')).flatMap(svg => {
  const width = svg.viewBox.baseVal.width;
  return Array.from(svg.querySelectorAll('text')).map(t => {
    const b = t.getBBox();
    return (b.x < -0.5 || b.x + b.width > width + 0.5)
      ? `${t.textContent}: ${b.x.toFixed(1)}..${(b.x + b.width).toFixed(1)} of 0..${width}`
      : null;
  }).filter(Boolean);
})"""


@pytest.fixture
def errors(page: Any) -> Iterator[list[str]]:
    """Script errors and console errors (a CSP violation is one) of the page."""
    found: list[str] = []
    page.on("pageerror", lambda e: found.append(f"page error: {e}"))
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    yield found


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=lambda k: k.name)
def test_page_kind_opens_offline(page: Any, errors: list[str], kind: PageKind) -> None:
    response = page.goto(kind.url)
    assert response.status == 200
    assert kind.heading in page.locator("h1").inner_text()
    if page.locator("svg.chart, svg.map").count():
        assert page.locator("main table").count() >= 1  # the numbers behind the charts
    assert page.evaluate(CLIPPED_CHART_TEXT) == []
    screenshot(page, kind.name)
    assert errors == []


def test_api_docs_render_offline(page: Any, errors: list[str]) -> None:
    page.goto("/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "dehub API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-summary-path", has_text="/api/v1/districts/{lgd_code}").wait_for()
    screenshot(page, "api-docs")


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=lambda k: k.name)
def test_phone_width_has_no_sideways_scroll(page: Any, kind: PageKind) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(kind.url)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth,"
        " document.documentElement.clientWidth]"
    )
    assert max(widths[:2]) <= widths[2] == 390, widths
    # the map and charts scale down to the screen
    assert page.evaluate(
        "() => Array.from(document.querySelectorAll('svg.map, svg.chart'))"
        ".every(s => s.getBoundingClientRect().right <= 390)"
    )
    if kind.name in ("national", "district"):
        screenshot(page, f"{kind.name}-phone")
