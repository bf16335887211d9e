"""The national page: India's total, the district map, the concentration curve, sector mix,
top districts and the states; and the lists of districts and states."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from dehub.services import overview
from dehub.web.charts import Bar, bar_chart, lorenz_chart
from dehub.web.formatting import usd
from dehub.web.maps import choropleth, map_district_codes
from dehub.web.pages.links import district_url, product_url, row_link, state_url
from dehub.web.rendering import cached, cached_page
from dehub.web.tables import Column, DataTable

router = APIRouter(include_in_schema=False)

PeriodQuery = Query(None, description="Financial year, e.g. 2024-25 (default: the latest)")

DISTRICT_COLUMNS = (
    Column("rank", "Rank", "number"),
    Column("name", "District", href=row_link("lgd_code", district_url)),
    Column("state_name", "State", href=row_link("state_code", state_url)),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share_of_india", "Share of India", "share"),
    Column("lgd_code", "LGD code"),
)
STATE_COLUMNS = (
    Column("rank", "Rank", "number"),
    Column("name", "State / UT", href=row_link("lgd_code", state_url)),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share_of_india", "Share of India", "share"),
    Column("districts_with_exports", "Districts with exports", "number"),
    Column("lgd_code", "LGD code"),
)
SECTOR_COLUMNS = (
    Column("label", "Sector", href=row_link("sector", product_url)),
    Column("broad_sector", "Broad sector"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share of India", "share"),
)


def _exporting(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["value_usd"] and r["value_usd"] > 0]


@router.get("/")
def national_page(request: Request, period: str | None = PeriodQuery) -> Response:
    """India's exports by district (HTML cached per period)."""
    return cached_page(
        request,
        ("national", period or ""),
        "national.html",
        lambda: _view(request, period),
        "india",
    )


def _view(request: Request, period: str | None) -> tuple[dict[str, Any], list[DataTable]]:
    view = cached(request, ("overview", period), lambda s: overview.national_overview(s, period))
    districts = cached(request, ("districts", period), lambda s: overview.district_table(s, period))
    states = cached(request, ("states", period), lambda s: overview.state_table(s, period))
    on_map = map_district_codes()
    exporting = _exporting(districts["districts"])
    values = {r["lgd_code"]: r["value_usd"] for r in exporting}
    shares = [p["cumulative_share"] for p in view["lorenz"]]
    lorenz_rows = [
        {"rank": p["rank"], "lgd_code": p["unit"], "cumulative_share": p["cumulative_share"]}
        for p in view["lorenz"]
    ]
    tables = [
        DataTable("districts", "Districts by exports", DISTRICT_COLUMNS, exporting, limit=25),
        DataTable(
            "states", "States and UTs by exports", STATE_COLUMNS, _exporting(states["states"])
        ),
        DataTable("sectors", "Sector mix", SECTOR_COLUMNS, view["sectors"]),
        DataTable(
            "concentration",
            "Concentration curve",
            (
                Column("rank", "Top N districts", "number"),
                Column("lgd_code", "LGD code of the N-th"),
                Column("cumulative_share", "Share of India", "share"),
            ),
            lorenz_rows,
            limit=50,
        ),
    ]
    not_on_map = [r for r in exporting if r["lgd_code"] not in on_map]
    context = {
        "view": view,
        "states_view": states,
        "districts_view": districts,
        "not_on_map": not_on_map,
        "map_svg": choropleth(
            values,
            label=usd,
            title=f"Exports by district, {view['period']} (US$)",
            href=district_url,
        ),
        "lorenz_svg": lorenz_chart(
            shares,
            title=f"Share of India's exports shipped by the top N districts, {view['period']}",
        ),
        "sector_svg": bar_chart(
            [
                Bar(str(r["label"]), float(r["value_usd"]), product_url(str(r["sector"])))
                for r in view["sectors"]
                if r["sector"] is not None
            ],
            title=f"India's exports by sector, {view['period']}",
            label=usd,
        ),
    }
    return context, tables


@router.get("/districts")
def districts_page(request: Request, period: str | None = PeriodQuery) -> Response:
    def view() -> tuple[dict[str, Any], list[DataTable]]:
        districts = cached(
            request, ("districts", period), lambda s: overview.district_table(s, period)
        )
        table = DataTable("districts", "All districts", DISTRICT_COLUMNS, districts["districts"])
        return {"view": districts, "title": "Districts", "table": table}, [table]

    return cached_page(request, ("districts", period or ""), "list.html", view, "districts")


@router.get("/states")
def states_page(request: Request, period: str | None = PeriodQuery) -> Response:
    def view() -> tuple[dict[str, Any], list[DataTable]]:
        states = cached(request, ("states", period), lambda s: overview.state_table(s, period))
        table = DataTable(
            "states", "All states and union territories", STATE_COLUMNS, states["states"]
        )
        return {"view": states, "title": "States and UTs", "table": table}, [table]

    return cached_page(request, ("states", period or ""), "list.html", view, "states")
