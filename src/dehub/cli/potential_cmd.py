"""``dehub potential`` (the Export Potential Indicator, India or a district as the supplier) and
``dehub opportunities`` (a district's diversification opportunities in the product space)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from dehub.cli.output import JsonFlag, handle_errors, out, pct, print_json, usd
from dehub.services.opportunities import opportunities_report
from dehub.services.potential import potential_report
from dehub.settings import get_settings

TopOpt = Annotated[int, typer.Option("--top", help="Rows to show (largest first).")]


def _num(value: Any, fmt: str = ".2f") -> str:
    return "-" if value is None else format(float(value), fmt)


def potential(
    district: Annotated[
        str | None,
        typer.Option(help="District as the supplier (LGD code or any known spelling)."),
    ] = None,
    state: Annotated[str | None, typer.Option(help="State, where the name is ambiguous.")] = None,
    product: Annotated[
        str | None, typer.Option(help="HS code (2-8 digits) or a sector of the district data.")
    ] = None,
    market: Annotated[str | None, typer.Option(help="Market: ISO3 code or country name.")] = None,
    top: TopOpt = 20,
    as_json: JsonFlag = False,
) -> None:
    """Export potential by HS6 x market (ITC EPI): potential, actual, untapped, components.

    The table shows the components; --json adds product names, distance (km), income group
    and India's exports to the market in the first and last year of the national series."""
    data = potential_report(
        get_settings(), district=district, state=state, product=product, market=market, top=top
    )
    if as_json:
        print_json(data)
        return
    supplier = data["supplier"]
    who = (
        f"{supplier['district']['name']} ({supplier['district']['state_name']})"
        if supplier
        else "India"
    )
    s = data["summary"]
    out.print(
        f"Export potential of {who}, {data['year']} (US$): {data['total']:,} product x market "
        f"pairs; potential {usd(s['potential_usd'])}, actual {usd(s['actual_usd'])}, "
        f"untapped {usd(s['untapped_usd'])}",
        markup=False,
    )
    prefix = "supplier_" if supplier else ""
    table = Table(
        "market",
        "HS6",
        "untapped",
        "potential",
        "actual",
        "supply",
        "demand",
        "ease",
        "India share",
        "growth/yr",
        "trend",
    )
    for r in data["rows"]:
        table.add_row(
            str(r["market"]),
            str(r["product"]),
            usd(r[f"{prefix}untapped_usd"]),
            usd(r[f"{prefix}potential_usd"]),
            usd(r[f"{prefix}actual_usd"]),
            _num(r[f"{prefix}supply"], ".4f"),
            usd(r["demand"]),
            _num(r["ease"]),
            pct(r["share_of_market"]),
            pct(r.get("growth_cagr")),
            str(r.get("trend") or "-"),
        )
    if data["rows"]:
        out.print(table)
    if supplier:
        out.print(supplier["derivation"], markup=False)
        out.print(supplier["attribution"], markup=False)
    for note in data["notes"]:
        out.print(f"note: {note}", markup=False)
    if data["missing_importers"]:
        out.print(
            "not assessed (absent from the world imports file): "
            + ", ".join(data["missing_importers"]),
            markup=False,
        )
    for item in data["not_implemented"]:
        out.print(f"not implemented: {item}", markup=False)
    out.print(f"source: {data['source']['world']}", markup=False)


def opportunities(
    district: Annotated[str, typer.Argument(help="LGD code or any known spelling.")],
    state: Annotated[str | None, typer.Option(help="State, where the name is ambiguous.")] = None,
    period: Annotated[
        str | None, typer.Option(help="Financial year, e.g. 2024-25 (default: the latest).")
    ] = None,
    top: TopOpt = 20,
    as_json: JsonFlag = False,
) -> None:
    """Products near a district's export basket it does not yet export with RCA >= 1."""
    data = opportunities_report(get_settings(), district, state=state, period=period, top=top)
    if as_json:
        print_json(data)
        return
    d = data["district"]
    out.print(
        f"Diversification opportunities of {d['name']} ({d['state_name']}), {data['period']}, "
        f"product level {data['level']}: {data['competitive']} products with RCA >= 1",
        markup=False,
    )
    table = Table("code", "product", "density", "COG", "PCI", "RCA", "exports now")
    for r in data["rows"]:
        table.add_row(
            r["code"],
            str(r["label"] or "-"),
            _num(r["density"], ".3f"),
            _num(r["cog"], ".3f"),
            _num(r["pci"], ".3f"),
            _num(r["rca"], ".2f"),
            usd(r["value_usd"]),
        )
    out.print(table)
    if data["note"]:
        out.print(f"note: {data['note']}", markup=False)
    src = data["source"]
    out.print(f"source: {src['source']} — {src['release']} (release #{src['release_id']})")


def register(app: typer.Typer) -> None:
    """Add ``potential`` and ``opportunities`` to the ``dehub`` command."""
    app.command("potential")(handle_errors()(potential))
    app.command("opportunities")(handle_errors()(opportunities))
