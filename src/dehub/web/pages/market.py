"""The market pages: ``/markets`` (India's partners ranked by exports) and ``/markets/{iso3}``
(also a country name or DGCI&S spelling, redirected to the ISO3 URL): what India sells there,
the trend, the states that ship to it, distance, region and income group."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from dehub.services import market_profile as markets
from dehub.web.charts import Bar, bar_chart, line_chart
from dehub.web.formatting import usd
from dehub.web.pages.links import market_url, product_url, row_link, state_url
from dehub.web.rendering import cached, cached_page
from dehub.web.tables import Column, DataTable

router = APIRouter(include_in_schema=False)

SHOWN = 15

SERIES_COLUMNS = (
    Column("period", "Financial year"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share_of_india", "Share of India's exports", "share"),
    Column("rank", "Rank among markets", "number"),
)
PRODUCT_COLUMNS = (
    Column("rank", "Rank", "number"),
    Column("code", "HS code", href=row_link("code", product_url)),
    Column("label", "Description"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share", "share"),
    Column("yoy", "Growth on the year before", "share"),
)
STATE_COLUMNS = (
    Column("rank", "Rank", "number"),
    Column("name", "State / UT", href=row_link("lgd_code", state_url)),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share", "share"),
    Column("ports", "Customs ports used", "number"),
    Column("lgd_code", "LGD code"),
)
INDEX_COLUMNS = (
    Column("rank", "Rank", "number"),
    Column("name", "Market", href=row_link("iso3", market_url)),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share of India's exports", "share"),
    Column("yoy", "Growth on the year before", "share"),
    Column("region", "Region"),
    Column("income_group", "Income group"),
    Column("dist_km", "Distance (km)", "number"),
    Column("iso3", "ISO3"),
)


def market_tables(view: dict[str, Any]) -> list[DataTable]:
    """The tables of a market page (every chart's numbers), in page order."""
    return [
        DataTable("series", "India's exports by year", SERIES_COLUMNS, view["national"]["series"]),
        DataTable(
            "hs2", "Products by HS chapter", PRODUCT_COLUMNS, view["products"]["HS2"], limit=25
        ),
        DataTable(
            "hs4", "Products by HS heading", PRODUCT_COLUMNS, view["products"]["HS4"], limit=25
        ),
        DataTable("states", "States and UTs", STATE_COLUMNS, view["states"]["states"]),
    ]


@router.get("/markets")
def markets_page(request: Request) -> Response:
    """India's markets ranked (HTML cached)."""
    return cached_page(request, ("markets",), "markets.html", lambda: _index(request), "markets")


def _index(request: Request) -> tuple[dict[str, Any], list[DataTable]]:
    view = cached(request, ("market_index", None), lambda s: markets.market_index(s))
    table = DataTable("markets", "Markets", INDEX_COLUMNS, view["markets"], limit=60)
    svg = bar_chart(
        [
            Bar(str(r["name"]), float(r["value_usd"]), market_url(str(r["iso3"])))
            for r in view["markets"][:SHOWN]
        ],
        title=f"India's largest markets, {view['period']} (US$)",
        label=usd,
    )
    return {"view": view, "svg": svg}, [table]


@router.get("/markets/{iso3}")
def market_page(
    request: Request,
    iso3: str = Path(description="ISO3 code, or a country name or spelling"),
) -> Response:
    code = cached(request, ("market_code", iso3), lambda s: markets.resolve_market(iso3))
    if code != iso3:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(market_url(code) + query, status_code=302)
    return cached_page(
        request, ("market", code), "market.html", lambda: _view(request, code), f"market-{code}"
    )


def _view(request: Request, code: str) -> tuple[dict[str, Any], list[DataTable]]:
    view = cached(request, ("market", code), lambda s: markets.market_profile(s, code))
    country = view["country"]
    name = country["name"]
    states = view["states"]
    hs2 = view["products"]["HS2"]
    context = {
        "view": view,
        "name": name,
        "series_svg": line_chart(
            {name: [(r["period"], r["value_usd"]) for r in view["national"]["series"]]},
            title=f"India's exports to {name} (US$)",
            label=usd,
        ),
        "products_svg": bar_chart(
            [
                Bar(
                    f"{r['code']} {r['label'] or ''}",
                    float(r["value_usd"]),
                    product_url(str(r["code"])),
                )
                for r in hs2[:SHOWN]
            ],
            title=f"What India sells to {name}, {view['period']}, by HS chapter (US$)",
            label=usd,
        ),
        "states_svg": bar_chart(
            [Bar(str(r["name"]), float(r["value_usd"]), None) for r in states["states"][:SHOWN]],
            title=f"Indian states' exports to {name}, {states['period']} (US$)",
            label=usd,
        ),
    }
    return context, market_tables(view)
