"""API route for international RCA (``/api/v1/rca/international``): thin over
:mod:`dehub.services.international`, answered from the application's cache."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from dehub.services import international as international_service
from dehub.web.api.pagination import Paging, paginate
from dehub.web.rendering import cached

router = APIRouter(tags=["comparative advantage"])


@router.get("/rca/international", summary="India's RCA against world trade, by product")
def international_rca(
    request: Request,
    page: Paging,
    period: Annotated[
        str | None, Query(description="Financial year, e.g. 2024-25 (default: the latest)")
    ] = None,
    level: Annotated[str, Query(description="HS6 (default), HS4 or HS2")] = "HS6",
    india_total: Annotated[
        str, Query(description="X: India's 'reported' total (default) or the 'covered' sum")
    ] = "reported",
) -> dict[str, Any]:
    """India's international RCA (Balassa 1965; docs/analytics-formulas.md), highest first:
    ``items`` with ``product_code``, ``description``, ``value_usd``, ``world_value_usd``,
    ``share_of_india``, ``share_of_world``, ``rca``, ``mcp``, ``status`` (and
    ``india_baci_value_usd`` at HS6); with the period and world year, totals, coverage,
    ``not_in_world``, ``coverage_gaps``, ``notes`` and the three provenance blocks
    (``source``, ``total_source``, ``world_source`` with the BACI attribution). 404 when no
    world data is bundled for the period or India's reported total is not loaded; 422 for a
    bad level or total."""
    key = ("api-rca-international", period, level, india_total)

    def compute(settings: Any) -> dict[str, Any]:
        return international_service.international_rca_report(
            settings, period=period, level=level, india_total=india_total
        )

    view = cached(request, key, compute)
    return paginate(view["rows"], page, **{k: v for k, v in view.items() if k != "rows"})
