"""Tables of the district sections that both the district page and the printable district
report show: "ODOP and GI products" (:mod:`dehub.services.district_products`) and "Target
markets" (:mod:`dehub.services.potential`).

The columns here carry no links (a saved report points nowhere); the pages add them with
:func:`~dehub.web.tables.with_links`. One definition of each table, so the page, its
downloads and the report's PDF, HTML and XLSX show the same columns under the same titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dehub.web.tables import Column, DataTable

PRODUCT_COLUMNS = (
    Column("list", "List"),
    Column("product", "Product"),
    Column("code", "HS code"),
    Column("description", "HS description"),
    Column("confidence", "Mapping confidence"),
    Column("india_usd", "India's exports of the code (US$)", "usd"),
    Column("india_cagr", "India's growth (CAGR)", "share"),
    Column("top_markets", "India's top markets"),
    Column("sector_label", "Sector of the code"),
    Column("sector_share_of_district", "Sector's share of the district", "share"),
    Column("sector_rca", "District's domestic RCA in the sector", "ratio"),
    Column("rationale", "Why this code"),
)
MARKET_COLUMNS = (
    Column("market_name", "Market"),
    Column("product", "HS6"),
    Column("product_label", "Product"),
    Column("untapped_usd", "Untapped potential (US$)", "usd"),
    Column("potential_usd", "Potential (US$)", "usd"),
    Column("actual_usd", "Actual (US$)", "usd"),
    Column("supply", "Supply (share)", "ratio"),
    Column("demand", "Demand: market imports (US$)", "usd"),
    Column("ease", "Ease of trade", "ratio"),
    Column("share_of_market", "India's share of the market", "share"),
    Column("growth_cagr", "Growth of India's exports there (CAGR)", "share"),
    Column("trend", "Rising or falling"),
    Column("distance_km", "Distance (km)", "number"),
    Column("income_group", "Income group"),
    Column("market", "ISO3"),
)
DISTRICT_MARKET_COLUMNS = (
    *MARKET_COLUMNS[:3],
    Column("supplier_untapped_usd", "District untapped potential (US$)", "usd"),
    Column("supplier_potential_usd", "District potential (US$)", "usd"),
    Column("supplier_actual_usd", "District actual, attributed (US$)", "usd"),
    Column("supplier_share", "District share of India's exports", "share"),
    Column("supplier_supply", "District supply (share)", "ratio"),
    *MARKET_COLUMNS[3:],
)


def products_table(
    name: str, rows: list[dict[str, Any]], columns: Sequence[Column] = PRODUCT_COLUMNS
) -> DataTable:
    """The district's ODOP, GI and PMFME products, one row per product and HS code
    (:func:`dehub.services.district_products.district_products` ``rows``)."""
    return DataTable(
        "products", f"ODOP, GI and PMFME products of {name} and their HS codes", columns, rows
    )


def target_markets_table(
    name: str,
    rows: list[dict[str, Any]],
    columns: Sequence[Column] = DISTRICT_MARKET_COLUMNS,
    limit: int = 15,
) -> DataTable:
    """The district's product x market pairs, largest untapped potential first
    (:func:`dehub.services.potential.potential_report` ``rows`` with the district as the
    supplier); ``limit`` rows shown, every row downloaded."""
    return DataTable(
        "target_markets",
        f"Target markets: {name}'s product x market pairs with the largest untapped export "
        "potential",
        columns,
        rows,
        limit=limit,
    )
