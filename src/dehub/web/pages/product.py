"""The product pages: ``/products`` (sectors and HS chapters) and ``/products/{code}`` (an HS
code of 2 to 8 digits or a sector slug): India's exports over time, markets, growth, parts,
and the districts and states that export it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from dehub.services import products
from dehub.services.district_products import products_with_code
from dehub.web.charts import Bar, bar_chart, line_chart
from dehub.web.formatting import usd
from dehub.web.pages import potential_sections
from dehub.web.pages.links import district_url, market_url, product_url, row_link, state_url
from dehub.web.pages.national import DISTRICT_COLUMNS, STATE_COLUMNS
from dehub.web.rendering import cached, cached_page
from dehub.web.tables import Column, DataTable

router = APIRouter(include_in_schema=False)

SHOWN = 15
"""Bars drawn per chart (the tables and downloads have every row)."""

SERIES_COLUMNS = (
    Column("period", "Financial year"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("yoy", "Growth on the year before", "share"),
    Column("partners", "Countries bought it", "number"),
)
MARKET_COLUMNS = (
    Column("name", "Market", href=row_link("iso3", market_url)),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share of India's exports of it", "share"),
    Column("yoy", "Growth on the year before", "share"),
    Column("cagr", "CAGR (5 years)", "share"),
    Column("dist_km", "Distance (km)", "number"),
    Column("income_group", "Income group"),
    Column("iso3", "ISO3"),
)
PART_COLUMNS = (
    Column("code", "HS code", href=row_link("code", product_url)),
    Column("label", "Description"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share", "share"),
)
LISTED_COLUMNS = (
    Column("list", "List"),
    Column("product", "Product"),
    Column("district_name", "District", href=row_link("district_code", district_url)),
    Column("state_name", "State", href=row_link("state_code", state_url)),
    Column("hs_code", "Mapped HS code", href=row_link("hs_code", product_url)),
    Column("confidence", "Mapping confidence"),
)
SECTOR_INDEX_COLUMNS = (
    Column("label", "Sector", href=row_link("code", product_url)),
    Column("chapters", "HS chapters"),
    Column("value_usd", "India's exports (US$)", "usd"),
    Column("share", "Share", "share"),
    Column("yoy", "Growth on the year before", "share"),
    Column("district_value_usd", "In the district data (US$)", "usd"),
    Column("code", "Slug"),
)
CHAPTER_INDEX_COLUMNS = (
    Column("code", "HS chapter", href=row_link("code", product_url)),
    Column("label", "Description"),
    Column("value_usd", "India's exports (US$)", "usd"),
    Column("share", "Share", "share"),
    Column("yoy", "Growth on the year before", "share"),
    Column("sector", "Sector", href=row_link("sector", product_url)),
)


def product_tables(view: dict[str, Any]) -> list[DataTable]:
    """The tables of a product page (every chart's numbers), in page order."""
    d = view["districts"]
    return [
        DataTable("series", "India's exports by year", SERIES_COLUMNS, view["national"]["series"]),
        DataTable("markets", "Markets", MARKET_COLUMNS, view["markets"]["markets"], limit=25),
        DataTable("parts", "Parts", PART_COLUMNS, view["components"], limit=25),
        DataTable("districts", "Districts", DISTRICT_COLUMNS, d["districts"], limit=25),
        DataTable("states", "States and UTs", STATE_COLUMNS, d["states"]),
    ]


def _short(text: str, size: int = 70) -> str:
    """``text`` cut at a word boundary to at most ``size`` characters (with an ellipsis)."""
    return text if len(text) <= size else text[:size].rsplit(" ", 1)[0].rstrip(";,") + "…"


def _bars(rows: list[dict[str, Any]], label: str, url: Any, key: str) -> list[Bar]:
    return [
        Bar(str(r[label] or r[key]), float(r["value_usd"]), url(str(r[key]))) for r in rows[:SHOWN]
    ]


@router.get("/products")
def products_page(request: Request) -> Response:
    """Sectors and HS chapters (HTML cached)."""
    return cached_page(request, ("products",), "products.html", lambda: _index(request), "products")


def _index(request: Request) -> tuple[dict[str, Any], list[DataTable]]:
    view = cached(request, ("product_index", None), lambda s: products.product_index(s))
    tables = [
        DataTable("sectors", "Sectors", SECTOR_INDEX_COLUMNS, view["sectors"]),
        DataTable("chapters", "HS chapters", CHAPTER_INDEX_COLUMNS, view["chapters"]),
    ]
    sector_svg = bar_chart(
        _bars(view["sectors"], "label", product_url, "code"),
        title=f"India's exports by sector, {view['period']} (US$)",
        label=usd,
    )
    return {"view": view, "sector_svg": sector_svg}, tables


@router.get("/products/{code}")
def product_page(
    request: Request,
    code: str = Path(description="HS code (2, 4, 6 or 8 digits) or sector slug"),
) -> Response:
    canonical = products.normalise_product(code)
    if canonical != code:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(product_url(canonical) + query, status_code=302)
    return cached_page(
        request, ("product", code), "product.html", lambda: _view(request, code), f"product-{code}"
    )


def _view(request: Request, code: str) -> tuple[dict[str, Any], list[DataTable]]:
    view = cached(request, ("product", code), lambda s: products.product_profile(s, code))
    p = view["product"]
    name = p["label"] or f"HS {p['code']}"
    tables = product_tables(view)
    sections, section_tables = potential_sections.product_sections(request, code)
    tables += section_tables
    listed = products_with_code(code) if code.isdigit() else []
    tables.append(
        DataTable(
            "district_products", "District products (ODOP, GI, PMFME)", LISTED_COLUMNS, listed
        )
    )
    series = [(r["period"], r["value_usd"]) for r in view["national"]["series"]]
    markets = view["markets"]
    d = view["districts"]
    context = {
        **sections,
        "view": view,
        "name": name,
        "listed": listed,
        "series_svg": line_chart(
            {_short(name, 60): series}, title=f"India's exports of {_short(name)} (US$)", label=usd
        ),
        "markets_svg": bar_chart(
            _bars(markets["markets"], "name", market_url, "iso3"),
            title=f"Top markets, {markets.get('period')} (US$)",
            label=usd,
        ),
        "parts_svg": bar_chart(
            _bars(view["components"], "code", product_url, "code"),
            title="Parts by exports (US$)",
            label=usd,
            label_width=90,
        ),
        "districts_svg": bar_chart(
            [
                Bar(
                    f"{r['name']} ({r['state_name']})",
                    float(r["value_usd"]),
                    district_url(str(r["lgd_code"])),
                )
                for r in d["districts"][:SHOWN]
            ],
            title=f"Top districts, {d['period']} (US$)",
            label=usd,
        ),
    }
    return context, tables
