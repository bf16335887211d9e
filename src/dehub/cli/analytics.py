"""Analytics commands: concentration, district profile, sectors, dominance, diversification,
markets, growth, domestic and international RCA."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from dehub.cli.output import JsonFlag, handle_errors, out, pct, print_json, usd
from dehub.cli.products_cmd import print_district_products
from dehub.errors import InvalidInput
from dehub.reference.geography import resolve_district
from dehub.services import analytics as analytics_service
from dehub.services import international as international_service
from dehub.services import markets as markets_service
from dehub.services.district_products import district_products
from dehub.settings import get_settings

PeriodOpt = Annotated[
    str | None,
    typer.Option(help="Financial year, e.g. 2024-25 (default: the latest that data answers)."),
]
SourceOpt = Annotated[str | None, typer.Option(help="Use this source's release.")]


def _source_line(src: dict[str, Any]) -> str:
    return f"source: {src['source']} — {src['release']} (release #{src['release_id']})"


def concentration(
    by: Annotated[str, typer.Option(help="district, state, product or partner.")] = "district",
    period: PeriodOpt = None,
    level: Annotated[
        str | None,
        typer.Option(
            help="Only with --by product: HS2, HS4, HS6, HS8 (default) or sector.",
            show_default=False,
        ),
    ] = None,
    source: SourceOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """How concentrated India's exports are across districts, states, products or partners."""
    data = analytics_service.concentration_report(
        get_settings(), by=by, period=period, level=level, source=source
    )
    if as_json:
        print_json(data)
        return
    out.print(
        f"{data['unit']} concentration, {data['period']}: total {usd(data['total'])}, "
        f"{data['units_with_exports']} units with exports; not attributed "
        f"{usd(data['unattributed'])}",
        markup=False,
    )
    shares = ", ".join(f"top {n}: {pct(s)}" for n, s in data["top_shares"].items())
    out.print(shares, markup=False)
    out.print(
        f"units for half: {data['units_for_half']}; HHI {data['hhi']:.4f} (normalised "
        f"{data['hhi_normalised']:.4f}); Gini {data['gini']:.3f}; Theil {data['theil']:.3f}",
        markup=False,
    )
    table = Table("rank", "code", "name", "US$", "share")
    for i, u in enumerate(data["top_units"], start=1):
        table.add_row(str(i), str(u["code"]), u["name"], usd(u["value_usd"]), pct(u["share"]))
    out.print(table)
    out.print(_source_line(data["source"]), markup=False)


def district(
    name: Annotated[str, typer.Argument(help="LGD code or any known spelling of the district.")],
    state: Annotated[str | None, typer.Option(help="State, where the name is ambiguous.")] = None,
    period: PeriodOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """A district's export profile: total, rank, share of India, sectors, dominance, state,
    and its ODOP/GI/PMFME products with their HS codes and India's exports of them."""
    settings = get_settings()
    data = analytics_service.district_profile(settings, name, state=state, period=period)
    found = resolve_district(data["district"]["lgd_code"])
    products = district_products(settings, found, data["sectors"], data["source"])
    if as_json:
        print_json({**data, "products": products})
        return
    d, st = data["district"], data["state"]
    rank = (
        f"rank {data['rank']} of {data['districts_with_exports']}" if data["rank"] else "no exports"
    )
    out.print(
        f"{d['name']} ({st['name']}, LGD {d['lgd_code']}), {data['period']}: "
        f"{usd(data['total_usd'])}, {rank}, {pct(data['share_of_india'])} of India",
        markup=False,
    )
    ctx = data["state_context"]
    out.print(
        f"in {st['name']}: {pct(ctx['share_of_state'])} of the state's exports, rank "
        f"{ctx['rank_in_state']} of {ctx['districts_in_state_with_exports']} districts",
        markup=False,
    )
    table = Table("sector", "US$", "of district", "of India", "rank", "domestic RCA")
    for s in data["sectors"]:
        table.add_row(
            s["label"],
            usd(s["value_usd"]),
            pct(s["share_of_district"]),
            pct(s["share_of_india"]),
            str(s["rank_among_districts"]),
            f"{s['domestic_rca']:.2f}",
        )
    out.print(table)
    if data["eci"]:
        e = data["eci"]
        out.print(
            f"ECI {e['value']:.2f} (rank {e['rank']} of {e['of']}; {e['basis']})", markup=False
        )
    out.print(_source_line(data["source"]), markup=False)
    print_district_products(products)


def sectors(
    state: Annotated[str | None, typer.Option(help="A state (code or name).")] = None,
    district: Annotated[str | None, typer.Option(help="A district (code or name).")] = None,
    period: PeriodOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Sector mix of India, a state or a district (22 sectors and 3 broad sectors)."""
    data = analytics_service.sector_composition(
        get_settings(), state=state, district=district, period=period
    )
    if as_json:
        print_json(data)
        return
    out.print(f"{data['scope']['name']}, {data['period']}: {usd(data['total_usd'])}", markup=False)
    table = Table("sector", "US$", "share")
    for s in data["sectors"]:
        table.add_row(s["label"], usd(s["value_usd"]), pct(s["share"]))
    out.print(table)
    broad = ", ".join(f"{b['broad_sector']} {pct(b['share'])}" for b in data["broad_sectors"])
    out.print(f"broad sectors: {broad}", markup=False)
    out.print(_source_line(data["source"]), markup=False)


def dominance(
    threshold: Annotated[
        float, typer.Option(help="Share of India's exports of a product (0-1).")
    ] = 0.5,
    period: PeriodOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Products in which one district ships at least THRESHOLD of India's exports."""
    data = analytics_service.dominance_report(get_settings(), threshold=threshold, period=period)
    if as_json:
        print_json(data)
        return
    table = Table("product", "district", "US$", "share of India")
    for p in data["products"]:
        table.add_row(
            p["product_code"],
            p["district"]["name"],
            usd(p["value_usd"]),
            pct(p["share_of_india"]),
        )
    out.print(table)
    out.print(_source_line(data["source"]), markup=False)


def diversification(
    district: Annotated[str | None, typer.Option(help="A district (code or name).")] = None,
    state: Annotated[str | None, typer.Option(help="A state (code or name).")] = None,
    period: PeriodOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """How diversified a district's or a state's exports are (products, entropy, RCA >= 1)."""
    data = analytics_service.diversification_report(
        get_settings(), district=district, state=state, period=period
    )
    if as_json:
        print_json(data)
        return
    out.print(
        f"{data['scope']['name']}, {data['period']} ({data['product_level']}): "
        f"{data['n_products']} of {data['n_potential_products']} products with exports; "
        f"entropy {data['entropy']:.3f} (normalised {data['normalised_entropy']:.3f}); top "
        f"product {data['top_product']} {pct(data['top_product_share'])}; "
        f"{data['products_with_rca_at_least_1']} with domestic RCA >= 1",
        markup=False,
    )
    for note in data["notes"]:
        out.print(f"note: {note}", markup=False)
    out.print(_source_line(data["source"]), markup=False)


def markets(
    product: Annotated[str, typer.Argument(help="HS code (2-8 digits) or sector slug.")],
    period: PeriodOpt = None,
    base: Annotated[str | None, typer.Option(help="Base period for CAGR and entries.")] = None,
    top: Annotated[int, typer.Option(help="How many markets to list.")] = 20,
    source: SourceOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Where India sells a product: shares, growth, markets entered and lost, distance."""
    data = markets_service.markets_report(
        get_settings(), product, period=period, base=base, top=top, source=source
    )
    if as_json:
        print_json(data)
        return
    out.print(
        f"{data['product']['code']} {data['product']['label']}, {data['period']}: "
        f"{usd(data['total_usd'])} to {data['partners_with_exports']} partners",
        markup=False,
    )
    table = Table("market", "US$", "share", "y-o-y", "CAGR", "km")
    for m in data["markets"]:
        table.add_row(
            m["name"],
            usd(m["value_usd"]),
            pct(m["share"]),
            pct(m["yoy"]),
            pct(m["cagr"]),
            "-" if m["dist_km"] is None else f"{m['dist_km']:,.0f}",
        )
    out.print(table)
    if data["base_period"]:
        out.print(
            f"since {data['base_period']}: entered {', '.join(data['markets_entered']) or '-'};"
            f" lost {', '.join(data['markets_lost']) or '-'}",
            markup=False,
        )
    for note in [*data["notes"], *([data["caveat"]] if data["caveat"] else [])]:
        out.print(f"note: {note}", markup=False)
    out.print(_source_line(data["source"]), markup=False)


def growth(
    by: Annotated[str, typer.Option(help="product or partner.")] = "product",
    level: Annotated[
        str | None,
        typer.Option(
            help="Only with --by product: HS2 (default), HS4, HS6 or HS8.", show_default=False
        ),
    ] = None,
    period: PeriodOpt = None,
    base: Annotated[
        str | None, typer.Option(help="Base period (default: the previous one of the release).")
    ] = None,
    top: Annotated[int, typer.Option(help="How many gainers and losers.")] = 10,
    source: SourceOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Growth of India's exports by product or partner: total, CAGR, gainers, losers."""
    data = markets_service.growth_report(
        get_settings(), by=by, level=level, period=period, base=base, top=top, source=source
    )
    if as_json:
        print_json(data)
        return
    out.print(
        f"{data['base_period']} -> {data['period']}: {usd(data['total_base_usd'])} -> "
        f"{usd(data['total_usd'])} ({pct(data['growth'])}; CAGR {pct(data['cagr'])})",
        markup=False,
    )
    for title, rows in (("gainers", data["gainers"]), ("losers", data["losers"])):
        table = Table(title, "base", "now", "change", "growth")
        for r in rows:
            rate = "new" if r["status"] == "new" else pct(r["growth"])
            table.add_row(str(r["unit"]), usd(r["prev"]), usd(r["curr"]), usd(r["change"]), rate)
        out.print(table)
    out.print(
        f"{data['new_units']} with no exports in {data['base_period']} (growth not computed), "
        f"{data['gone_units']} with none in {data['period']}",
        markup=False,
    )
    out.print(_source_line(data["source"]), markup=False)


def rca(
    district: Annotated[str | None, typer.Option(help="A district (code or name).")] = None,
    state: Annotated[str | None, typer.Option(help="A state: its districts.")] = None,
    international: Annotated[
        bool,
        typer.Option(
            "--international", help="India against the world (bundled CEPII BACI world trade)."
        ),
    ] = False,
    level: Annotated[
        str | None,
        typer.Option(
            help="Only with --international: HS6 (default), HS4 or HS2.", show_default=False
        ),
    ] = None,
    india_total: Annotated[
        str | None,
        typer.Option(
            help="Only with --international: X is India's 'reported' total (default) or the "
            "sum of the products 'covered' by the data.",
            show_default=False,
        ),
    ] = None,
    period: PeriodOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Revealed comparative advantage (Balassa): districts against India (domestic), or
    India against the world (--international)."""
    if international:
        if district or state:
            raise InvalidInput("--district and --state go with domestic RCA, not --international")
        _international(period, level or "HS6", india_total or "reported", as_json)
        return
    if level is not None or india_total is not None:
        raise InvalidInput("--level and --india-total go only with --international")
    data = analytics_service.domestic_rca_report(
        get_settings(), district=district, state=state, period=period
    )
    if as_json:
        print_json(data)
        return
    table = Table("district", "product", "US$", "RCA", "M")
    for r in data["rows"]:
        table.add_row(
            r["district"]["name"],
            r["product_code"],
            usd(r["value_usd"]),
            f"{r['rca']:.2f}",
            str(r["mcp"]),
        )
    out.print(table)
    out.print(_source_line(data["source"]), markup=False)


def _international(period: str | None, level: str, india_total: str, as_json: bool) -> None:
    data = international_service.international_rca_report(
        get_settings(), period=period, level=level, india_total=india_total
    )
    if as_json:
        print_json(data)
        return
    out.print(
        f"India vs world, {data['level']}: FY {data['period']} India / calendar "
        f"{data['world_year']} world; X {usd(data['india_total_usd'])} "
        f"({data['india_total_basis']}), W {usd(data['world_total_usd'])}; "
        f"{data['products_mcp']} of {data['products']} products with RCA >= 1",
        markup=False,
    )
    table = Table("product", "description", "India US$", "world US$", "RCA")
    for r in data["rows"][:25]:
        table.add_row(
            r["product_code"],
            (r["description"] or "")[:50],
            usd(r["value_usd"]),
            usd(r["world_value_usd"]),
            "-" if r["rca"] is None else f"{r['rca']:.2f}",
        )
    out.print(table)
    out.print(f"top 25 of {len(data['rows'])} products by RCA; --json for all", markup=False)
    for note in data["notes"]:
        out.print(f"note: {note}", markup=False)
    out.print(_source_line(data["source"]), markup=False)
    w = data["world_source"]
    out.print(f"world: {w['release']} — {w['attribution']}, {w['licence']}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the analytics commands to the ``dehub`` app."""
    for command in (
        concentration,
        district,
        sectors,
        dominance,
        diversification,
        markets,
        growth,
        rca,
    ):
        app.command()(handle_errors()(command))
