"""API routes for export potential and diversification opportunities (``/api/v1/potential``,
``/api/v1/opportunities/{district}``): thin over :mod:`dehub.services.potential` and
:mod:`dehub.services.opportunities`, answered from the application's cache."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from dehub.services import opportunities as opportunities_service
from dehub.services import potential as potential_service
from dehub.web.api.pagination import Paging
from dehub.web.pages.potential_sections import district_basis, product_space
from dehub.web.rendering import cached

router = APIRouter(tags=["export potential"])


@router.get("/potential", summary="Export potential (ITC EPI) by HS6 x market")
def potential(
    request: Request,
    page: Paging,
    district: Annotated[
        str | None,
        Query(description="District as the supplier: LGD code or any known spelling"),
    ] = None,
    product: Annotated[
        str | None, Query(description="HS code of 2-8 digits or a sector slug (e.g. pharma)")
    ] = None,
    market: Annotated[str | None, Query(description="Market: ISO3 code or country name")] = None,
) -> dict[str, Any]:
    """India's (or a district's) export potential by HS6 x market, largest untapped potential
    first (Decreux & Spies 2016, ITC; docs/analytics-formulas.md). Each item has the market
    (ISO3, name, income group, distance in km), the HS6 code and description, ``potential_usd``,
    ``actual_usd``, ``untapped_usd`` and every component (``supply``, ``demand``, ``ease``,
    their terms), India's ``share_of_market``, ``growth_cagr`` and ``trend`` of India's exports
    there; with ``district`` also ``supplier_*`` (the district's share and its attributed
    potential, actual and untapped values). ``supplier`` says how district supply was
    derived; ``notes`` and ``missing_importers`` say what was not assessed;
    ``not_implemented`` lists the terms set to the neutral value 1. 404 for an unknown
    district, country or product; 422 for a malformed code."""
    key = ("api-potential", district, product, market, page.limit, page.offset)

    def compute(settings: Any) -> dict[str, Any]:
        return potential_service.potential_report(
            settings,
            district=district,
            product=product,
            market=market,
            top=page.limit,
            offset=page.offset,
            basis=district_basis(request) if district else None,
        )

    view = cached(request, key, compute)
    rest = {k: v for k, v in view.items() if k not in ("rows", "limit", "offset", "total")}
    return {
        "ok": True,
        "total": view["total"],
        "limit": page.limit,
        "offset": page.offset,
        "items": view["rows"],
        **rest,
    }


@router.get("/opportunities/{district}", summary="A district's diversification opportunities")
def opportunities(
    request: Request,
    district: Annotated[str, Path(description="LGD code or any known spelling")],
    page: Paging,
) -> dict[str, Any]:
    """Products near the district's export basket in the product space that it does not yet
    export with domestic RCA >= 1, nearest first: ``density`` (0-1), ``cog``, ``pci``, ``rca``,
    ``value_usd`` (its current exports, US$). ``level`` is the product level of the district
    data (22 sectors in the bundled data). 404 for an unknown district."""
    view = cached(
        request,
        ("api-opportunities", district),
        lambda s: opportunities_service.opportunities_report(
            s, district, top=10_000, space=product_space(request)
        ),
    )
    rows = view["rows"]
    return {
        "ok": True,
        "total": len(rows),
        "limit": page.limit,
        "offset": page.offset,
        "items": rows[page.offset : page.offset + page.limit],
        **{k: v for k, v in view.items() if k != "rows"},
    }
