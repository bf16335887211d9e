"""The district page: profile, map of its state, sectors with domestic RCA, dominance, peers.

``/districts/{lgd_code}`` (any known spelling redirects to the LGD code). Answers come from the
national :class:`~dehub.services.places.DistrictFrame` of the period, built once and kept in the
application cache (:func:`district_frame`), so a district page costs milliseconds.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from dehub.reference.geography import District, resolve_district
from dehub.reference.tables import read_reference
from dehub.reports import content as report_content
from dehub.services import district_report, places
from dehub.web import section_tables
from dehub.web.charts import Bar, bar_chart
from dehub.web.formatting import pct, usd
from dehub.web.maps import choropleth, map_district_codes
from dehub.web.pages import potential_sections
from dehub.web.pages.district_products import (
    PRODUCT_COLUMNS,
    Applied,
    product_records,
    products_section,
)
from dehub.web.pages.links import district_url, product_url, report_url, row_link, state_url
from dehub.web.rendering import cached, cached_page
from dehub.web.tables import Column, DataTable, with_links

router = APIRouter(include_in_schema=False)

REPORT_FORMATS = ("pdf", "html", "xlsx")
PeriodQuery = Query(None, description="Financial year, e.g. 2024-25 (default: the latest)")
_FRAME_LOCK = threading.Lock()

SECTOR_COLUMNS = with_links(report_content.SECTOR_COLUMNS, label=row_link("sector", product_url))
PEER_COLUMNS = with_links(
    report_content.PEER_COLUMNS,
    name=row_link("lgd_code", district_url),
    state_name=row_link("state_code", state_url),
)
MAP_COLUMNS = (
    Column("name", "District", href=row_link("lgd_code", district_url)),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share_of_india", "Share of India", "share"),
    Column("rank", "Rank in India", "number"),
    Column("lgd_code", "LGD code"),
)


def district_frame(request: Request, period: str | None) -> places.DistrictFrame:
    """The national district frame of ``period`` from the application cache (built by one
    request at a time, so a burst of first requests does not build it many times over)."""
    key = ("district-frame", period)
    with _FRAME_LOCK:
        return cached(request, key, lambda s: places.district_frame(s, period))


def district_profile(request: Request, district: District, period: str | None) -> dict[str, Any]:
    """The district's profile (:func:`dehub.services.places.district_profile`), cached."""
    frame = district_frame(request, period)
    return cached(
        request,
        ("district-profile", district.code, frame.period, frame.source["release_id"]),
        lambda _: places.district_profile(frame, district),
    )


@lru_cache(maxsize=1)
def lgd_district_codes() -> frozenset[str]:
    return frozenset(read_reference("districts.csv")["district_code"].astype(str))


def redirect_to(url: str, **params: str | None) -> RedirectResponse:
    """A 302 to ``url`` keeping the given (non-empty) query parameters."""
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(url + (f"?{query}" if query else ""), status_code=302)


def _view(
    request: Request, district: District, period: str | None, applied: Applied | None = None
) -> tuple[dict[str, Any], list[DataTable]]:
    frame = district_frame(request, period)
    profile = district_profile(request, district, period)
    peers = places.district_peers(frame, district)
    code, state_code = district.code, district.state_code
    in_state = frame.districts[frame.districts["state_code"] == state_code]
    state_rows = places.records(in_state)
    values = {r["lgd_code"]: r["value_usd"] for r in state_rows if r["value_usd"]}
    peer_rows = district_report.peer_rows(profile, peers)
    products = products_section(request, district, profile, applied)
    tables = [
        DataTable("sectors", "Exports by sector", SECTOR_COLUMNS, profile["sectors"]),
        DataTable(
            "dominance",
            f"Sectors where {district.name} ships at least 5% of India's exports",
            SECTOR_COLUMNS,
            profile["dominance"],
        ),
        DataTable("peers", "Peer districts", PEER_COLUMNS, peer_rows),
        DataTable(
            "state_districts",
            f"Districts of {district.state_name}",
            MAP_COLUMNS,
            state_rows,
            limit=15,
        ),
        section_tables.products_table(district.name, products["rows"], PRODUCT_COLUMNS),
    ]
    sections, potential_tables = potential_sections.district_sections(request, district, period)
    tables += potential_tables
    name = district.name
    context = {
        **sections,
        "profile": profile,
        "peers": peers,
        "products": products,
        "district": district,
        "on_map": code in map_district_codes(),
        "report_urls": {fmt: report_url(code, fmt) for fmt in REPORT_FORMATS},
        "map_svg": choropleth(
            values,
            label=usd,
            title=f"{name} among the districts of {district.state_name}, {profile['period']}",
            href=district_url,
            state=state_code,
            highlight=code,
        ),
        "sector_svg": bar_chart(
            [
                Bar(str(s["label"]), float(s["value_usd"]), product_url(str(s["sector"])))
                for s in profile["sectors"]
            ],
            title=f"{name}: exports by sector, {profile['period']}",
            label=usd,
        ),
        "dominance_svg": bar_chart(
            [
                Bar(str(s["label"]), float(s["share_of_india"]), product_url(str(s["sector"])))
                for s in profile["dominance"]
            ],
            title=f"{name}'s share of India's exports, by sector",
            label=pct,
        ),
        "peers_svg": bar_chart(
            [
                Bar(
                    f"{r['name']} ({r['state_name']})",
                    float(r["value_usd"] or 0.0),
                    district_url(str(r["lgd_code"])),
                    highlight=r["lgd_code"] == code,
                )
                for r in peer_rows
            ],
            title=f"{name} and its peer districts: exports, {profile['period']}",
            label=usd,
        ),
    }
    return context, tables


@router.get("/districts/{key}")
def district_page(
    request: Request,
    key: str,
    period: str | None = PeriodQuery,
    state: str | None = Query(None, description="State of an ambiguous district name"),
) -> Response:
    """A district's page; a name or other spelling redirects to its LGD code."""
    if key not in lgd_district_codes() or state:
        found = resolve_district(key, state)
        return redirect_to(district_url(found.code), period=period)
    applied = product_records(request, key)  # officers' entries: the cache keys on their stamp
    stamp = applied[0]
    return cached_page(
        request,
        ("district", key, period or "", *map(str, stamp)),
        "district.html",
        lambda: _view(request, resolve_district(key), period, applied),
        f"district-{key}",
    )
