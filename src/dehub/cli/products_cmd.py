"""``dehub products``: the ODOP, GI and PMFME district products and their curated HS codes."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from dehub.cli.output import JsonFlag, handle_errors, out, pct, print_json, usd
from dehub.services import district_products as service
from dehub.settings import get_settings

products_app = typer.Typer(
    help="District products (ODOP, GI, PMFME food ODOP) and their HS codes.",
    no_args_is_help=True,
)


def _codes(hs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{h['code']} ({h['confidence']})" for h in hs if h["code"]) or "no HS code"


@products_app.command("list")
@handle_errors()
def list_products(
    district: Annotated[
        str | None, typer.Option(help="District: LGD code or any known spelling.")
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(help="State: its districts' products and its state-level GIs."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """A district's (or a state's, or India's) ODOP, GI and PMFME products with their HS codes."""
    data = service.product_list(district, state, settings=get_settings())
    if as_json:
        print_json(data)
        return
    place = data["place"]
    where = {"india": "India", "state": place.get("name"), "district": place.get("name")}
    counts = ", ".join(f"{n} {k.upper()}" for k, n in data["counts"].items())
    out.print(f"{where[place['level']]}: {data['count']} products ({counts})", markup=False)
    table = Table("list", "product", "district", "HS codes (confidence)")
    for item in data["items"]:
        place_name = (item["district"] or {}).get("name") or (
            f"({item['state']['name']}, state level)"
            if item["state"]
            else f"(foreign: {item['country_iso3']})"
        )
        table.add_row(item["list"].upper(), item["product"], place_name, _codes(item["hs"]))
    out.print(table)


@products_app.command("review")
@handle_errors()
def review(
    confidence: Annotated[
        str,
        typer.Option(help="high, medium, low or all (default: low)."),
    ] = "low",
    as_json: JsonFlag = False,
) -> None:
    """The curated HS mappings of one confidence, for review (edit product_hs.csv to fix one)."""
    data = service.review(None if confidence == "all" else confidence)
    if as_json:
        print_json(data)
        return
    out.print(
        f"{data['count']} mappings of {data['products']} products with confidence "
        f"{data['confidence']} (file: dehub/reference/data/product_hs.csv)",
        markup=False,
    )
    table = Table("product", "code", "description", "confidence", "rationale", "lists")
    for r in data["rows"]:
        table.add_row(
            r["product"],
            r["code"] or "-",
            (r["description"] or "")[:60],
            r["confidence"],
            r["rationale"],
            r["lists"],
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``products list`` and ``products review`` to the ``dehub`` command."""
    app.add_typer(products_app, name="products")


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_district_products(section: dict[str, Any]) -> None:
    """The ``dehub district`` block: each product's HS codes with India's exports of the code
    and the district's share and domestic RCA in the code's sector."""
    if not section["rows"]:
        out.print("ODOP/GI/PMFME products: none listed for this district", markup=False)
        return
    exports = section["exports"]
    period = exports.get("period") or "-"
    out.print(f"ODOP, GI and PMFME products ({section['count']}):", markup=False)
    table = Table("product", "HS", "conf.", f"India {period}", "CAGR", "top market", "sector RCA")
    for r in section["rows"]:
        table.add_row(
            f"{r['product']} ({r['list']})",
            r["code"] or "-",
            r["confidence"],
            usd(r["india_usd"]),
            pct(r["india_cagr"]),
            (r["top_markets"] or "-").split(", ")[0],
            _ratio(r["sector_rca"]),
        )
    out.print(table)
    if exports.get("source"):
        out.print(
            f"India's exports: {exports['source']['source']} (release "
            f"#{exports['source']['release_id']}); {exports['caveat']}",
            markup=False,
        )
    out.print(section["sector_note"], markup=False)
