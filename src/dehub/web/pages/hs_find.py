"""The HS code finder page ``/hs-find?q=``: a product described in words -> ranked HS 2022
subheadings or ITC-HS 8-digit codes, each with why it matched, linked to its product page.
Server-rendered, works without JavaScript; the same answer as ``/api/v1/hs-find``."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from dehub.services import hs_finder
from dehub.web.rendering import render, settings_of

router = APIRouter(include_in_schema=False)

EXAMPLES = ("brass puja lamps", "hand-knotted woollen carpet", "agarwood oil", "basmati rice")


@router.get("/hs-find")
def hs_find_page(
    request: Request,
    q: str = Query("", max_length=hs_finder.MAX_QUERY, description="Words describing a product"),
    level: Literal["HS6", "HS8"] = Query("HS6", description="HS6 or HS8 (ITC-HS)"),
    top: int = Query(10, ge=1, le=hs_finder.MAX_TOP, description="Codes to list"),
) -> Response:
    found = None
    if q.strip():
        found = hs_finder.find_hs(q, settings_of(request), top=top, level=level)
    context = {"hs_query": q, "level": level, "top": top, "found": found, "examples": EXAMPLES}
    return render(request, "hs_find.html", context)
