"""API routes of districts and states: lists (paginated) and profiles.

``GET /api/v1/districts``, ``/districts/{lgd_code}``, ``/states``, ``/states/{code}``. Answers
come from the national frame of the period kept in the application cache (see
:mod:`dehub.web.pages.district`), so a profile costs about a millisecond once it is built.
Unknown codes are a 404 envelope whose message suggests the code meant.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel, Field

from dehub.services import places
from dehub.web.api.pagination import Paging, paginate
from dehub.web.pages.district import district_frame, district_profile
from dehub.web.pages.district_products import product_records, products_section
from dehub.web.pages.state import state_ports, state_profile
from dehub.web.rendering import cached

router = APIRouter(tags=["districts and states"])
FLOWS = 100

Period = Annotated[
    str | None,
    Query(description="Financial year of the district-wise data, e.g. 2024-25 (default: latest)"),
]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown code or period: `{ok: false, status, code, errors}`"},
    422: {"description": "Invalid parameters: `{ok: false, status, code, errors}`"},
}


class PlaceRef(BaseModel):
    """A state or district by LGD code and name."""

    lgd_code: str
    name: str


class DistrictItem(BaseModel):
    """A district in the list: exports in US$, share of India's total (including exports not
    attributed to a district), rank among districts with exports (None without exports)."""

    lgd_code: str
    name: str
    state: PlaceRef
    value_usd: float = Field(description="Exports in the period, US$")
    share_of_india: float = Field(description="Share of India's total, 0-1")
    rank: int | None = Field(description="1 = largest exporter; null without exports")
    top_sector: str | None = Field(description="Label of its largest sector")


class StateItem(BaseModel):
    """A state or UT: exports (its districts plus its exports not attributed to a district)."""

    lgd_code: str
    name: str
    iso3166_2: str | None
    kind: str | None = Field(description="State or UT")
    value_usd: float = Field(description="Exports in the period, US$")
    share_of_india: float = Field(description="Share of India's total, 0-1")
    rank: int | None = Field(description="1 = largest exporter; null without exports")
    districts_with_exports: int


class Page(BaseModel):
    """One page of a list, with the period and the release that answered (``source``)."""

    ok: bool = True
    total: int = Field(description="Items in the whole list")
    limit: int
    offset: int
    period: str
    currency: str = "USD"
    source: dict[str, Any] = Field(description="The release that answered")


class DistrictPage(Page):
    items: list[DistrictItem]


class StatePage(Page):
    items: list[StateItem]


@router.get(
    "/districts",
    response_model=DistrictPage,
    summary="Districts and their exports",
    responses=ERRORS,
)
def districts(
    request: Request,
    page: Paging,
    period: Period = None,
    state: Annotated[
        str | None,
        Query(description="Only this state's districts: LGD code, ISO 3166-2 code or name"),
    ] = None,
) -> dict[str, Any]:
    """Every district of the LGD list (also those without exports, with `rank` null), largest
    exporter first, paginated with `limit` and `offset`."""
    frame = district_frame(request, period)
    items = cached(
        request,
        ("api-districts", frame.period, state),
        lambda _: [
            {
                "lgd_code": r["lgd_code"],
                "name": r["name"],
                "state": {"lgd_code": r["state_code"], "name": r["state_name"]},
                "value_usd": r["value_usd"],
                "share_of_india": r["share_of_india"],
                "rank": r["rank"],
                "top_sector": r["top_sector"],
            }
            for r in places.district_list(frame, state)
        ],
    )
    return paginate(items, page, period=frame.period, currency="USD", source=frame.source)


PROFILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The profile", "content": {"application/json": {}}},
    **ERRORS,
}


def _cached_json(request: Request, key: tuple[str, ...], answer: Callable[[], Any]) -> Response:
    """``answer()`` as JSON, its bytes kept in the cache (a warm request serialises nothing)."""

    def encode() -> bytes:
        value = jsonable_encoder(answer())
        return json.dumps(value, ensure_ascii=False, allow_nan=False).encode()

    return Response(cached(request, key, lambda _: encode()), media_type="application/json")


@router.get(
    "/districts/{lgd_code}",
    summary="A district's export profile",
    response_model=None,
    responses=PROFILE_RESPONSES,
)
def district(
    request: Request,
    lgd_code: Annotated[str, Path(description="LGD district code, e.g. 447 (Jamnagar)")],
    period: Period = None,
) -> Response:
    """The profile of the district page: `total_usd`, `total_inr`, `rank`, `share_of_india`,
    `sectors` (each with `value_usd`, `share_of_district`, `share_of_india`,
    `rank_among_districts`, `domestic_rca`), `broad_sectors`, `competitive_sectors` (RCA >= 1),
    `dominance` (sectors where it ships >= 5% of India), `state_context`, `eci` (or null),
    `peers` (`by_size`: nearest in total exports in the same state; `by_mix`: most similar
    sector mix in India), `source`, and `products`: the district's ODOP, GI and PMFME entries
    (`items`, officers' entries applied: `list` `officer` for a product they added, codes with
    `confidence` `officer` and `by` (name, date); each with its HS codes `hs`: `code`, `level`,
    `description`,
    `confidence`, `rationale`, `sector`, `india_exports` (India's exports of the code in the
    latest year of the national HS8 x country release: `value_usd`, `yoy`, `cagr`,
    `top_markets`; null when the code is not in that data) and `district_sector` (the
    district's `share_of_district`, `share_of_india`, `domestic_rca` in the code's sector;
    null without exports there)), `exports` (period and release of India's figures) and
    `state_level_gis`. Codes only: a name answers 404 with the code meant."""
    found = places.district_by_code(lgd_code)
    applied = product_records(request, found.code)  # officers' entries and their stamp

    def answer() -> dict[str, Any]:
        profile = district_profile(request, found, period)
        peers = places.district_peers(district_frame(request, period), found)
        products = products_section(request, found, profile, applied)
        shown = {k: v for k, v in products.items() if k != "rows"}
        return {"ok": True, **profile, "peers": peers, "products": shown}

    key = ("api-district", found.code, period or "", *map(str, applied[0]))
    return _cached_json(request, key, answer)


@router.get(
    "/states", response_model=StatePage, summary="States and their exports", responses=ERRORS
)
def states(request: Request, page: Paging, period: Period = None) -> dict[str, Any]:
    """Every state and UT, largest exporter first, paginated with `limit` and `offset`."""
    frame = district_frame(request, period)
    items = cached(request, ("api-states", frame.period), lambda _: places.state_list(frame))
    return paginate(items, page, period=frame.period, currency="USD", source=frame.source)


@router.get(
    "/states/{code}",
    summary="A state's export profile, ports and destinations",
    response_model=None,
    responses=PROFILE_RESPONSES,
)
def state(
    request: Request,
    code: Annotated[str, Path(description="LGD state code (24) or ISO 3166-2 code (IN-GJ)")],
    period: Period = None,
) -> Response:
    """The state page's figures: `total_usd` (its districts plus `unattributed_usd`), `rank`,
    `share_of_india`, `concentration` across its districts (shares of the state's total),
    `lorenz`, `sectors`, `broad_sectors`, `districts`, `source`; and `ports`: exports by
    customs port and destination country from the state x port x country data, with its own
    `period` and `source` (another source: never added to the district figures): `ports`,
    `destinations`, and the largest port x country `flows` (the first 100 of `flows_total`;
    every row is in the state page's `port_destinations` download)."""
    found = places.state_by_code(code)

    def answer() -> dict[str, Any]:
        ports = state_ports(request, found)
        flows = ports["flows"]
        shown = {**ports, "flows": flows[:FLOWS], "flows_total": len(flows)}
        return {"ok": True, **state_profile(request, found, period), "ports": shown}

    return _cached_json(request, ("api-state", found.code, period or ""), answer)
