"""API route of the HS code finder (``/api/v1/hs-find``), thin over
:mod:`dehub.services.hs_finder`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from dehub.services import hs_finder
from dehub.web.rendering import settings_of

router = APIRouter(tags=["products, markets, search"])


@router.get("/hs-find", summary="Find HS codes from a product described in words")
def hs_find_api(
    request: Request,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=hs_finder.MAX_QUERY,
            description="Words describing a product, e.g. 'brass puja lamps'",
        ),
    ],
    top: Annotated[
        int, Query(ge=1, le=hs_finder.MAX_TOP, description="Codes to return, best first")
    ] = 10,
    level: Annotated[
        Literal["HS6", "HS8"],
        Query(description="HS6: HS 2022 subheadings; HS8: ITC-HS 8-digit codes"),
    ] = "HS6",
    mode: Annotated[
        Literal["combined", "lexical", "semantic"],
        Query(description="combined (default): lexical and semantic rankings fused"),
    ] = "combined",
) -> dict[str, Any]:
    """Ranked HS codes for ``q`` with why each matched: ``results`` of ``rank``, ``code``,
    ``description``, its HS6, heading and chapter with their texts, ``score``,
    ``lexical_rank``/``lexical_score``, ``semantic_rank``/``similarity``, ``matched`` (query
    words in the code's own text), ``inherited`` (in its parents' or sub-codes' text only),
    ``why`` and ``url`` (its product page). ``method`` says what ranked them and ``notes``
    why it fell back to lexical (model not installed, or its vectors still being prepared);
    ``mode=semantic`` without the model answers 503."""
    found = hs_finder.find_hs(q, settings_of(request), top=top, level=level, mode=mode)
    return {"ok": True, **found}
