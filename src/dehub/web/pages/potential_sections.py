"""The "Target markets" sections (export potential, :mod:`dehub.services.potential`) of the
district and product pages, and the district page's "Diversification opportunities"
(:mod:`dehub.services.opportunities`): their tables and template context. The answers come
from the application cache; the districts' supplier shares and the product space are built
once per period and shared by every district page."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import Request

from dehub.reference.geography import District
from dehub.services import opportunities as opportunities_service
from dehub.services import potential as potential_service
from dehub.web import section_tables
from dehub.web.pages.links import market_url, product_url, row_link
from dehub.web.rendering import cached
from dehub.web.tables import Column, DataTable, with_links

TARGET_ROWS = 100
"""Product x market pairs in a page's target markets table (the API pages through all)."""
_LOCK = threading.Lock()

MARKET_COLUMNS = with_links(
    section_tables.MARKET_COLUMNS,
    market_name=row_link("market", market_url),
    product=row_link("product", product_url),
)
DISTRICT_MARKET_COLUMNS = with_links(
    section_tables.DISTRICT_MARKET_COLUMNS,
    market_name=row_link("market", market_url),
    product=row_link("product", product_url),
)
OPPORTUNITY_COLUMNS = (
    Column("label", "Product", href=row_link("code", product_url)),
    Column("density", "Density", "ratio"),
    Column("cog", "Complexity outlook gain", "ratio"),
    Column("pci", "Product complexity (PCI)", "ratio"),
    Column("rca", "Domestic RCA now", "ratio"),
    Column("value_usd", "Exports now (US$)", "usd"),
    Column("code", "Code"),
)


def district_basis(request: Request, period: str | None = None) -> potential_service.SupplierBasis:
    """The districts' supplier shares of the district-wise data of ``period``, cached."""
    with _LOCK:
        return cached(
            request,
            ("supplier-basis", period),
            lambda s: potential_service.supplier_basis(s, period),
        )


def product_space(request: Request, period: str | None = None) -> dict[str, Any]:
    """The product space of the district-wise data of ``period``, cached."""
    with _LOCK:
        return cached(
            request,
            ("product-space", period),
            lambda s: opportunities_service.product_space(s, period),
        )


def district_target(
    request: Request, district: District, period: str | None = None
) -> dict[str, Any]:
    """The district's target markets (the :data:`TARGET_ROWS` product x market pairs with the
    largest untapped potential, the district as the supplier), cached: the district page and
    its printable report show the same answer."""
    basis = district_basis(request, period)
    return cached(
        request,
        ("potential", "district", district.code, period),
        lambda s: potential_service.potential_report(
            s, district=district.code, top=TARGET_ROWS, basis=basis
        ),
    )


def district_sections(
    request: Request, district: District, period: str | None = None
) -> tuple[dict[str, Any], list[DataTable]]:
    """Target markets and diversification opportunities of a district page (district supply
    and the product space from the district-wise data of ``period``)."""
    target = district_target(request, district, period)
    ops = cached(
        request,
        ("opportunities", district.code, period),
        lambda s: opportunities_service.opportunities_report(
            s, district.code, top=30, space=product_space(request, period)
        ),
    )
    tables = [
        section_tables.target_markets_table(district.name, target["rows"], DISTRICT_MARKET_COLUMNS),
        DataTable(
            "opportunities",
            f"Diversification opportunities of {district.name}",
            OPPORTUNITY_COLUMNS,
            ops["rows"],
        ),
    ]
    return {"potential": target, "opportunities": ops}, tables


def product_sections(request: Request, code: str) -> tuple[dict[str, Any], list[DataTable]]:
    """Target markets of a product page (India as the exporter)."""
    target = cached(
        request,
        ("potential", "product", code),
        lambda s: potential_service.potential_report(s, product=code, top=TARGET_ROWS),
    )
    table = DataTable(
        "target_markets",
        "Target markets: market x HS6 pairs with the largest untapped export potential",
        MARKET_COLUMNS,
        target["rows"],
        limit=15,
    )
    return {"potential": target}, [table]
