"""The state page: its districts on the map, concentration within the state, sector mix, the
districts table, and the ports its exports leave through with their destination countries.

``/states/{lgd_code}`` (a name or ISO 3166-2 code such as ``IN-GJ`` redirects to the LGD code).
District figures come from the cached national frame; port figures from the state x port x
country data, another source and period, shown on their own.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from dehub.reference.geography import State, resolve_state
from dehub.reference.tables import read_reference
from dehub.services import places
from dehub.web.charts import Bar, bar_chart, lorenz_chart
from dehub.web.formatting import usd
from dehub.web.maps import choropleth, map_district_codes
from dehub.web.pages.district import PeriodQuery, district_frame, redirect_to
from dehub.web.pages.links import district_url, market_url, product_url, row_link, state_url
from dehub.web.rendering import cached, cached_page
from dehub.web.tables import Column, DataTable

router = APIRouter(include_in_schema=False)

DISTRICT_COLUMNS = (
    Column("rank_in_state", "Rank in state", "number"),
    Column("name", "District", href=row_link("lgd_code", district_url)),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share_of_state", "Share of the state", "share"),
    Column("share_of_india", "Share of India", "share"),
    Column("rank", "Rank in India", "number"),
    Column("top_sector", "Largest sector"),
    Column("lgd_code", "LGD code"),
)
SECTOR_COLUMNS = (
    Column("label", "Sector", href=row_link("sector", product_url)),
    Column("broad_sector", "Broad sector"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share of the state", "share"),
    Column("share_of_india", "Share of India's sector exports", "share"),
    Column("domestic_rca", "Domestic RCA", "ratio"),
    Column("sector", "Sector code"),
)
CURVE_COLUMNS = (
    Column("rank", "Top N districts", "number"),
    Column("unit", "LGD code of the N-th", href=row_link("unit", district_url)),
    Column("value", "Its exports (US$)", "usd"),
    Column("cumulative_share", "Share of the state", "share"),
)
PORT_COLUMNS = (
    Column("port_name", "Port"),
    Column("port_kind", "Kind"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share of the state (port data)", "share"),
    Column("destinations", "Countries", "number"),
    Column("top_destination", "Largest destination"),
    Column("port_code", "Port key"),
)
DESTINATION_COLUMNS = (
    Column("partner_name", "Country", href=row_link("partner_code", market_url)),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share of the state (port data)", "share"),
    Column("ports", "Ports", "number"),
    Column("top_port", "Largest port"),
    Column("partner_code", "ISO3"),
)
FLOW_COLUMNS = (
    Column("port_name", "Port"),
    Column("partner_name", "Country", href=row_link("partner_code", market_url)),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share of the state (port data)", "share"),
    Column("port_code", "Port key"),
    Column("partner_code", "ISO3"),
)
TOP_BARS = 12


def state_profile(request: Request, state: State, period: str | None) -> dict[str, Any]:
    """The state's profile from the cached frame (:func:`dehub.services.places.state_profile`)."""
    frame = district_frame(request, period)
    return cached(
        request,
        ("state-profile", state.code, frame.period, frame.source["release_id"]),
        lambda _: places.state_profile(frame, state),
    )


def state_ports(request: Request, state: State) -> dict[str, Any]:
    """The state's ports and destinations (latest port data), cached."""
    return cached(request, ("state-ports", state.code), lambda s: places.state_ports(s, state))


def _bars(rows: list[dict[str, Any]], name: str, href: Any = None) -> list[Bar]:
    return [
        Bar(str(r[name]), float(r["value_usd"]), href(r) if href else None) for r in rows[:TOP_BARS]
    ]


def _view(
    request: Request, state: State, period: str | None
) -> tuple[dict[str, Any], list[DataTable]]:
    profile = state_profile(request, state, period)
    ports = state_ports(request, state)
    exporting = [d for d in profile["districts"] if d["value_usd"]]
    per = profile["period"]
    tables = [
        DataTable(
            "districts", f"Districts of {state.name}", DISTRICT_COLUMNS, profile["districts"]
        ),
        DataTable("concentration", "Concentration curve", CURVE_COLUMNS, profile["lorenz"]),
        DataTable("sectors", "Sector mix", SECTOR_COLUMNS, profile["sectors"]),
        DataTable("ports", "Ports of exit", PORT_COLUMNS, ports["ports"], limit=20),
        DataTable(
            "destinations", "Destinations", DESTINATION_COLUMNS, ports["destinations"], limit=20
        ),
        DataTable("port_destinations", "Port x country", FLOW_COLUMNS, ports["flows"], limit=20),
    ]
    on_map = map_district_codes()
    context = {
        "profile": profile,
        "ports": ports,
        "state": state,
        "not_on_map": [d for d in exporting if d["lgd_code"] not in on_map],
        "map_svg": choropleth(
            {d["lgd_code"]: d["value_usd"] for d in exporting},
            label=usd,
            title=f"Exports by district, {state.name}, {per}",
            href=district_url,
            state=state.code,
        ),
        "lorenz_svg": lorenz_chart(
            [p["cumulative_share"] for p in profile["lorenz"]],
            title=f"Share of {state.name}'s exports shipped by its top N districts, {per}",
            marks=(1, 3, 5, 10),
        ),
        "sector_svg": bar_chart(
            _bars(profile["sectors"], "label", lambda r: product_url(str(r["sector"]))),
            title=f"{state.name}: exports by sector, {per}",
            label=usd,
        ),
        "ports_svg": bar_chart(
            _bars(ports["ports"], "port_name"),
            title=f"{state.name}: exports by port of exit, {ports['period']} (top {TOP_BARS})",
            label=usd,
        ),
        "destinations_svg": bar_chart(
            _bars(ports["destinations"], "partner_name", lambda r: market_url(r["partner_code"])),
            title=f"{state.name}: exports by destination, {ports['period']} (top {TOP_BARS})",
            label=usd,
        ),
    }
    return context, tables


@router.get("/states/{key}")
def state_page(request: Request, key: str, period: str | None = PeriodQuery) -> Response:
    """A state's page; a name or ISO 3166-2 code redirects to its LGD code."""
    codes = read_reference("states.csv")["state_code"]
    if not (codes == key).any():
        return redirect_to(state_url(resolve_state(key).code), period=period)
    return cached_page(
        request,
        ("state", key, period or ""),
        "state.html",
        lambda: _view(request, resolve_state(key), period),
        f"state-{key}",
    )
