"""SVG charts: labels stay inside the drawing (no clipped axis or value labels), and on every
page kind each chart and map comes with the numbers behind it as a table.

The label extents are estimated with :func:`dehub.web.charts.text_width`; the browser tests
measure the real extents in Chromium (``tests/browser/test_pages.py``)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from dehub.web.charts import Bar, bar_chart, fit, line_chart, lorenz_chart, text_width
from dehub.web.formatting import pct, usd
from tests.web.pages import PAGE_KINDS, PageKind

SVG = "{http://www.w3.org/2000/svg}"
CHART = re.compile(r'<svg class="(?:chart|map)".*?</svg>', re.S)


def clipped_labels(svg: str) -> list[str]:
    """The texts of ``svg`` that (by the estimate) reach outside its viewBox, horizontally."""
    root = ET.fromstring(svg)
    width = float(root.attrib["viewBox"].split()[2])
    bad = []
    for node in root.iter(f"{SVG}text"):
        text = "".join(node.itertext())
        x, w = float(node.attrib["x"]), text_width(text)
        anchor = node.attrib.get("text-anchor", "start")
        x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
        if x0 < -0.5 or x0 + w > width + 0.5:
            bad.append(f"{text!r} spans {x0:.0f}..{x0 + w:.0f} of 0..{width:.0f}")
    return bad


def test_text_width_grows_with_wide_letters() -> None:
    assert text_width("") == 0
    assert text_width("WWWW") > text_width("AAAA") > text_width("aaaa") > text_width("iiii")
    assert 60 < text_width("US$ 80.00 bn") < 100


def test_fit_cuts_to_the_room_with_an_ellipsis() -> None:
    assert fit("Jamnagar", 200) == "Jamnagar"
    cut = fit("JAWAHARLAL NEHRU PORT (NHAVA SHEVA) SEA", 150)
    assert cut.endswith("…") and text_width(cut) <= 150


def test_line_chart_leaves_room_for_the_longest_y_label() -> None:
    series = {"India": [("2022-23", 78.3e9), ("2023-24", 77.5e9), ("2024-25", 1234.56e9)]}
    svg = str(line_chart(series, title="Exports", label=usd))
    assert "US$ 1,234.56 bn" in svg
    assert clipped_labels(svg) == []
    small = str(line_chart({"x": [("2024-25", 5.0)]}, title="Small", label=usd))
    assert clipped_labels(small) == []


def test_line_chart_with_many_series_and_gaps() -> None:
    series = {
        f"series {i}": [(f"20{y}-{y + 1}", None if y == 20 else 1e6 * i * y) for y in range(17, 25)]
        for i in range(1, 5)
    }
    svg = str(line_chart(series, title="Many", label=usd))
    assert clipped_labels(svg) == [] and svg.count("<polyline") == 8  # each line broken once


def test_bar_chart_fits_long_capitalised_labels_and_values() -> None:
    bars = [
        Bar("JAWAHARLAL NEHRU PORT (NHAVA SHEVA) SEA INNSA1", 123_456.78e9),
        Bar("Mundra", 1.5e9, href="/x"),
        Bar("Tiny", 0.0),
    ]
    svg = str(bar_chart(bars, title="Ports", label=usd))
    assert clipped_labels(svg) == []
    assert "JAWAHARLAL NEHRU PORT (NHAVA SHEVA) SEA INNSA1: US$ 123,456.78 bn" in svg  # tooltip
    assert clipped_labels(str(bar_chart([Bar("a", 0.999)], title="Share", label=pct))) == []


@pytest.mark.parametrize("n", [1, 3, 5, 10, 50, 100, 600])
def test_lorenz_marks_stay_inside(n: int) -> None:
    shares = [min(1.0, (k + 1) / n) ** 0.3 for k in range(n)]
    svg = str(lorenz_chart(shares, title="Top N", marks=(1, 3, 5, 10, 50, 100)))
    assert clipped_labels(svg) == []


def _tables_and_links(html: str) -> tuple[set[str], list[str]]:
    ids = set(re.findall(r'id="(table-[\w-]+)"', html))
    figures = re.findall(r"<figure.*?</figure>", html, re.S)
    return ids, [f for f in figures if CHART.search(f)]


@pytest.mark.slow
@pytest.mark.parametrize("kind", PAGE_KINDS, ids=lambda k: k.name)
def test_every_chart_has_its_numbers_as_a_table(client: TestClient, kind: PageKind) -> None:
    """A chart's figure holds its table (in a "numbers behind this chart" disclosure) or links
    to a table of the page; and no chart label is clipped."""
    html = client.get(kind.url).text
    charts = CHART.findall(html)
    ids, figures = _tables_and_links(html)
    assert len(figures) == len(charts), "every chart and map is in a <figure>"
    for figure in figures:
        linked = set(re.findall(r'href="#(table-[\w-]+)"', figure))
        assert "<table" in figure or (linked and linked <= ids), figure[:300]
    for svg in charts:
        if svg.startswith('<svg class="chart"'):
            assert clipped_labels(svg) == []
