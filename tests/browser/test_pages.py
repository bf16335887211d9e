"""Every page kind in real Chromium: open it, click from the map to a district, use the
search, download a CSV. A screenshot of each page kind is kept in test-artifacts/."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_national_page_map_click_opens_the_district(page: Any) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("India's exports by district")
    screenshot(page, "national")
    page.locator('svg.map a[data-lgd="447"]').click()  # Jamnagar
    page.wait_for_url("**/districts/447")
    assert "Jamnagar" in page.locator("h1").inner_text()


def test_table_downloads_as_csv(page: Any) -> None:
    page.goto("/")
    with page.expect_download() as info:
        page.locator("#table-districts a", has_text="CSV").click()
    download = info.value
    text = (download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert download.suggested_filename == "india-districts.csv"
    assert rows[0]["name"] == "Jamnagar"


def test_map_districts_are_keyboard_reachable(page: Any) -> None:
    page.goto("/")
    link = page.locator('svg.map a[data-lgd="447"]')
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/districts/447")
