"""Using the pages in real Chromium: click from the national map to a district, the search
box's autocomplete with the keyboard, CSV downloads, the skip link and the tab order."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_national_map_click_opens_the_district(page: Any) -> None:
    page.goto("/")
    page.locator('svg.map a[data-lgd="447"]').click()  # Jamnagar
    page.wait_for_url("**/districts/447")
    assert "Jamnagar" in page.locator("h1").inner_text()


def test_map_districts_are_keyboard_reachable(page: Any) -> None:
    page.goto("/")
    page.locator('svg.map a[data-lgd="447"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/districts/447")


@pytest.mark.parametrize(
    ("typed", "option", "target"),
    [
        ("Ahmadabad", "Ahmedabad", "**/districts/438"),  # DGCI&S spelling of a district
        ("U S A", "United States", "**/markets/USA"),  # DGCI&S spelling of a country
        ("basmati", "BASMATI RICE", "**/products/10063020"),  # an ITC-HS description
    ],
)
def test_search_autocomplete_with_the_keyboard(
    page: Any, typed: str, option: str, target: str
) -> None:
    page.goto("/markets")
    box = page.locator("#site-search")
    box.focus()
    page.keyboard.type(typed, delay=30)
    listbox = page.locator("#site-search-list")
    listbox.locator("[role=option]").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.locator("[role=option]").all_inner_texts()
    index = next(i for i, text in enumerate(options) if option in text)
    if typed == "Ahmadabad":
        screenshot(page, "search-autocomplete")
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == f"site-search-opt-{index}"
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert page.locator("h1").count() == 1


def test_search_without_a_suggestion_opens_the_results_page(page: Any) -> None:
    page.goto("/")
    page.locator("#site-search").fill("Gurgaon")
    page.keyboard.press("Enter")  # no suggestion chosen: the form submits
    page.wait_for_url("**/search?q=Gurgaon")
    assert page.locator("main a", has_text="Gurugram").count() >= 1


def _download_rows(page: Any, table: str) -> tuple[str, list[dict[str, str]]]:
    with page.expect_download() as info:
        page.locator(f"#table-{table} a", has_text="CSV").click()
    download = info.value
    text = download.path().read_text(encoding="utf-8-sig")
    return download.suggested_filename, list(csv.DictReader(io.StringIO(text)))


def test_national_table_downloads_as_csv(page: Any) -> None:
    page.goto("/")
    name, rows = _download_rows(page, "districts")
    assert name == "india-districts.csv"
    assert rows[0]["name"] == "Jamnagar" and rows[0]["rank"] == "1"
    assert len(rows) > 600  # every district, not only the rows shown


def test_district_chart_table_downloads_as_csv(page: Any) -> None:
    page.goto("/districts/447")
    page.locator("#table-sectors").locator("xpath=ancestor::details/summary").click()
    name, rows = _download_rows(page, "sectors")
    assert name == "district-447-sectors.csv"
    assert rows[0]["sector"] and float(rows[0]["value_usd"]) > 1e9
    shares = sum(float(r["share_of_district"]) for r in rows)
    assert shares == pytest.approx(1.0, abs=1e-6)


def test_skip_link_is_first_and_moves_to_the_content(page: Any) -> None:
    page.goto("/districts/447")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.innerText]"
    )
    assert focused == ["skip", "Skip to content"]
    assert page.locator("a.skip").bounding_box()["x"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")  # the next stop is inside the main content
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_tab_order_follows_the_page(page: Any) -> None:
    """Skip link, brand, the main navigation in order, then the search box."""
    page.goto("/")
    nav = page.locator('nav[aria-label="Main"] a').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    expected = ["#main", "/", *nav, "site-search"]
    stops = []
    for _ in expected:
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.id || e.getAttribute('href') || e.tagName; }"
            )
        )
    assert stops == expected
    assert "/api/docs" in nav and "/products" in nav
    # focus is visible: the outline of :focus
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
