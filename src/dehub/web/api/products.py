"""API routes for products, markets and search (``/api/v1/products``, ``/markets``,
``/search``): thin over :mod:`dehub.services.products`, :mod:`dehub.services.market_profile`
and :mod:`dehub.services.search`, answered from the application's cache."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from dehub.services import market_profile as markets
from dehub.services import products, search
from dehub.web.api.pagination import Paging, paginate
from dehub.web.cache import search_answer
from dehub.web.rendering import cached

router = APIRouter(tags=["products, markets, search"])

ProductPath = Annotated[
    str,
    Path(
        description="HS code of 2, 4, 6 or 8 digits (dots allowed: 0904.11) or a sector slug "
        "of the district data (e.g. pharma)"
    ),
]
TopQuery = Annotated[
    int,
    Query(ge=1, le=5000, description="Rows kept in each list (markets, parts, districts...)"),
]
MarketPath = Annotated[
    str, Path(description="ISO3 code (USA), or a country name or DGCI&S spelling (U S A)")
]


@router.get("/products", summary="Sectors and HS chapters with India's latest exports")
def product_list(
    request: Request,
    page: Paging,
    level: Annotated[
        Literal["all", "sector", "HS2"],
        Query(description="sector: the district data's 22 sectors; HS2: HS chapters; all: both"),
    ] = "all",
) -> dict[str, Any]:
    """India's exports by sector and by HS chapter in the latest period of the national data,
    largest first, with share and growth on the year before (US$). Each item has ``level``
    (``sector`` or ``HS2``), ``code``, ``label``, ``value_usd``, ``share``, ``yoy``, ``url``;
    sectors also ``district_value_usd`` (the district-wise data, another release)."""
    view = cached(request, ("product_index", None), lambda s: products.product_index(s))
    items = []
    if level in ("all", "sector"):
        items += [
            {"level": "sector", **r, "url": f"/products/{r['code']}"} for r in view["sectors"]
        ]
    if level in ("all", "HS2"):
        items += [{"level": "HS2", **r, "url": f"/products/{r['code']}"} for r in view["chapters"]]
    meta = {k: v for k, v in view.items() if k not in ("sectors", "chapters")}
    return paginate(items, page, **meta)


@router.get("/products/{hs}", summary="One product: exports over time, markets, districts")
def product_detail(request: Request, hs: ProductPath, top: TopQuery = 100) -> dict[str, Any]:
    """India's exports of an HS code or a sector over time, growth (YoY, CAGR), every market in
    the latest period, its parts one HS level down, and the districts and states that export it
    at the finest level the district data has (``districts.basis`` says which and why). 422
    for a malformed code (``12345``), 404 for an unknown one."""
    code = products.normalise_product(hs)
    view = cached(request, ("product", code), lambda s: products.product_profile(s, code))
    d = view["districts"]
    return {
        "ok": True,
        **view,
        "markets": {**view["markets"], "markets": view["markets"]["markets"][:top]},
        "components": view["components"][:top],
        "districts": {**d, "districts": d["districts"][:top], "states": d["states"][:top]},
    }


@router.get("/markets", summary="India's markets ranked by latest exports")
def market_list(request: Request, page: Paging) -> dict[str, Any]:
    """Partner countries ranked by India's exports in the latest period of the national data
    (US$), with share, growth on the year before, region, income group and distance (km)."""
    view = cached(request, ("market_index", None), lambda s: markets.market_index(s))
    items = [{**r, "url": f"/markets/{r['iso3']}"} for r in view["markets"]]
    return paginate(items, page, **{k: v for k, v in view.items() if k != "markets"})


@router.get("/markets/{iso3}", summary="One market: products, trend, states shipping to it")
def market_detail(request: Request, iso3: MarketPath, top: TopQuery = 100) -> dict[str, Any]:
    """What India sells to a country (HS2 and HS4, latest period), the trend over time, the
    Indian states that ship to it (state x port x country data, its own period and source),
    distance (km), region and income group. 404 for an unknown country."""
    code = cached(request, ("market_code", iso3), lambda s: markets.resolve_market(iso3))
    view = cached(request, ("market", code), lambda s: markets.market_profile(s, code))
    states = view["states"]
    return {
        "ok": True,
        **view,
        "products": {level: rows[:top] for level, rows in view["products"].items()},
        "states": {**states, "states": states["states"][:top]},
    }


@router.get("/search", summary="Search districts, states, HS codes, sectors, countries")
def search_api(
    q: Annotated[
        str,
        Query(
            min_length=1, max_length=100, description="Words, a name (any known spelling) or a code"
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=search.MAX_LIMIT, description="Results to return")] = 20,
) -> dict[str, Any]:
    """Entities matching ``q``, best first: exact names and codes, then prefixes, then words
    of descriptions. Each result has ``kind`` (district, state, country, sector, product),
    ``code``, ``name``, ``detail``, ``url`` and ``match`` (exact, prefix, words)."""
    return {"ok": True, **search_answer(q, limit)}
