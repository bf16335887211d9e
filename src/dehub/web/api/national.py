"""The JSON API under ``/api/v1``: thin routes over :mod:`dehub.services`, answered from the
application's cache. Errors are the envelope of :class:`dehub.errors.DehubError`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from dehub.services import overview
from dehub.web.rendering import cached

router = APIRouter(tags=["dehub"])


@router.get("/summary")
def summary(
    request: Request,
    period: str | None = Query(None, description="Financial year, e.g. 2024-25"),
) -> dict[str, Any]:
    """India's exports by district in one period: total, concentration, sector mix."""
    view = cached(request, ("overview", period), lambda s: overview.national_overview(s, period))
    return {"ok": True, **{k: v for k, v in view.items() if k != "lorenz"}}
