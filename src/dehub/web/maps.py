"""District choropleth maps as inline SVG, drawn on the server from the bundled TopoJSON.

No map library and no JavaScript: each district is an ``<a>`` around a ``<path>`` (keyboard
focusable, with a ``<title>`` tooltip), so the map works offline, prints, and goes into the PDF
report unchanged. Geometry: ``reference/data/districts.topo.json.gz`` (2011 district boundaries
joined to LGD codes; see DATA-SOURCES.md), decoded once per process.

Projection: equirectangular with the x axis scaled by cos(23°) (India's mid-latitude), which
keeps shapes close to true at this scale. Arcs are thinned to points on a 1 px grid;
shared borders stay identical in both districts because thinning is done per arc.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import numpy as np
from markupsafe import Markup

from dehub.reference.tables import reference_file

COS_LAT = math.cos(math.radians(23.0))
MIN_STEP_PX = 1.0
# ColorBrewer YlGnBu, 5 classes (Brewer, Harrower 2003, "ColorBrewer.org", Cartogr. J. 40(1)).
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_EXPORTS = "#e5e5e5"


@dataclass(frozen=True)
class Shape:
    """One district on the map: LGD codes, name and its rings in lon/lat."""

    lgd_code: str
    state_code: str
    name: str
    rings: tuple[np.ndarray, ...]  # each (n, 2): lon, lat


@lru_cache(maxsize=1)
def _topology() -> tuple[list[np.ndarray], list[Shape], list[Shape]]:
    with gzip.open(reference_file("districts.topo.json.gz"), "rt", encoding="utf-8") as fh:
        topo = json.load(fh)
    scale = np.array(topo["transform"]["scale"])
    translate = np.array(topo["transform"]["translate"])
    arcs = [np.cumsum(np.array(a, dtype=float), axis=0) * scale + translate for a in topo["arcs"]]

    def ring(indices: list[int]) -> np.ndarray:
        parts = []
        for i, index in enumerate(indices):
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            parts.append(arc if i == 0 else arc[1:])
        return np.concatenate(parts)

    def shapes(kind: str, code_key: str, state_key: str, name_key: str) -> list[Shape]:
        found = []
        for geom in topo["objects"][kind]["geometries"]:
            props = geom.get("properties") or {}
            code = props.get(code_key)
            if not code:
                continue
            polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
            rings = tuple(ring(r) for poly in polygons for r in poly)
            found.append(
                Shape(str(code), str(props.get(state_key, "")), str(props.get(name_key)), rings)
            )
        return found

    return (
        arcs,
        shapes("districts", "lgd_code", "lgd_state_code", "district"),
        shapes("states", "lgd_state_code", "lgd_state_code", "st_nm"),
    )


def map_district_codes() -> set[str]:
    """LGD codes of the districts that have a shape on the map."""
    return {s.lgd_code for s in _topology()[1]}


def _thin(points: np.ndarray) -> np.ndarray:
    """Snap projected points to a MIN_STEP_PX grid and drop consecutive repeats (vectorised;
    the same arc thins the same way in both districts that share it)."""
    snapped = np.round(points / MIN_STEP_PX) * MIN_STEP_PX
    keep = np.ones(len(snapped), dtype=bool)
    keep[1:] = np.any(np.diff(snapped, axis=0) != 0, axis=1)
    return snapped[keep]


@dataclass(frozen=True)
class _Frame:
    lon0: float
    lat1: float
    k: float
    width: float
    height: float

    def project(self, lonlat: np.ndarray) -> np.ndarray:
        x = (lonlat[:, 0] - self.lon0) * COS_LAT * self.k
        y = (self.lat1 - lonlat[:, 1]) * self.k
        return np.column_stack([x, y])


def _frame(shapes: Iterable[Shape], width: float) -> _Frame:
    points = np.concatenate([r for s in shapes for r in s.rings])
    lon0, lat0 = points.min(axis=0)
    lon1, lat1 = points.max(axis=0)
    k = width / max((lon1 - lon0) * COS_LAT, 1e-9)
    return _Frame(float(lon0), float(lat1), k, width, float((lat1 - lat0) * k))


def _path(shape: Shape, frame: _Frame) -> str:
    parts = []
    for ring in shape.rings:
        xy = _thin(frame.project(ring))
        if len(xy) < 3:
            continue  # a ring smaller than a pixel
        steps = np.diff(xy, axis=0).astype(int)
        moves = " ".join(f"{dx} {dy}" for dx, dy in steps)
        parts.append(f"M{int(xy[0, 0])} {int(xy[0, 1])}l{moves}z")
    return "".join(parts)


@lru_cache(maxsize=64)
def _drawn(state: str | None, width: float) -> tuple[list[Shape], _Frame, dict[str, str]]:
    """The districts shown (all, or one state's), their frame and SVG path data (cached)."""
    districts = _topology()[1]
    shown = [d for d in districts if state is None or d.state_code == state]
    if not shown:
        return [], _Frame(0, 0, 1, width, 0), {}
    frame = _frame(shown, width)
    return shown, frame, {d.lgd_code: _path(d, frame) for d in shown}


@lru_cache(maxsize=4)
def _state_paths(width: float) -> tuple[str, ...]:
    _, districts, states = _topology()
    frame = _frame(districts, width)
    return tuple(_path(s, frame) for s in states)


def class_breaks(values: Iterable[float], classes: int = len(PALETTE)) -> list[float]:
    """Upper bounds of quantile classes of the positive values (``classes - 1`` breaks)."""
    v = np.array([x for x in values if x and x > 0], dtype=float)
    if len(v) == 0:
        return []
    return [float(q) for q in np.quantile(v, np.linspace(0, 1, classes + 1)[1:-1])]


def _colour(value: float | None, breaks: list[float]) -> str:
    if not value or value <= 0:
        return NO_EXPORTS
    return PALETTE[int(np.searchsorted(breaks, value, side="left"))]


def choropleth(
    values: Mapping[str, float],
    *,
    label: Callable[[float], str],
    title: str,
    href: Callable[[str], str] | None = None,
    state: str | None = None,
    highlight: str | None = None,
    width: float = 560.0,
) -> Markup:
    """An SVG choropleth of ``values`` (LGD district code -> value) in 5 quantile classes.

    ``state`` (an LGD state code) draws only that state's districts, fitted to the frame;
    ``href(code)`` makes each district a link; ``highlight`` outlines one district;
    ``label(value)`` formats the value in tooltips and the legend. Districts without a value
    (or with 0) are grey. Returns markup safe to embed in a page.
    """
    shown, frame, paths = _drawn(state, width)
    if not shown:
        return Markup(f'<p class="note">No map boundaries for {escape(title)}.</p>')
    breaks = class_breaks(values[d.lgd_code] for d in shown if d.lgd_code in values)
    legend_h = 22 * (len(breaks) + 2) + 10
    height = frame.height + legend_h
    out = [
        f'<svg class="map" viewBox="0 0 {frame.width:.0f} {height:.0f}" role="group" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for d in shown:
        value = values.get(d.lgd_code)
        tip = f"{d.name}: {label(value) if value else 'no exports recorded'}"
        css = ' class="highlight"' if d.lgd_code == highlight else ""
        path = (
            f'<path d="{paths[d.lgd_code]}" fill="{_colour(value, breaks)}"{css}>'
            f"<title>{escape(tip)}</title></path>"
        )
        if href is not None:
            path = (
                f'<a href="{escape(href(d.lgd_code))}" aria-label="{escape(tip)}" '
                f'data-lgd="{d.lgd_code}">{path}</a>'
            )
        out.append(path)
    if state is None:
        out.append('<g class="state-borders" fill="none" stroke="#555" aria-hidden="true">')
        out.extend(f'<path d="{d}"/>' for d in _state_paths(width))
        out.append("</g>")
    out.append(_legend(breaks, label, frame.height + 10))
    out.append("</svg>")
    return Markup("".join(out))


def _legend(breaks: list[float], label: Callable[[float], str], top: float) -> str:
    rows = [(NO_EXPORTS, "no exports recorded")]
    bounds = [0.0, *breaks]
    for i, colour in enumerate(PALETTE[: len(breaks) + 1]):
        lo = bounds[i]
        text = f"above {label(lo)}" if i == len(breaks) else f"up to {label(breaks[i])}"
        rows.append((colour, text if lo or i == len(breaks) else f"up to {label(breaks[0])}"))
    items = "".join(
        f'<rect x="8" y="{top + 22 * i:.0f}" width="16" height="14" fill="{c}" stroke="#666"/>'
        f'<text x="30" y="{top + 22 * i + 12:.0f}" font-size="12">{escape(t)}</text>'
        for i, (c, t) in enumerate(rows)
    )
    return f'<g class="legend">{items}</g>'
