"""The search page ``/search?q=``: districts, states, products and HS codes, sectors and
countries matching any known spelling, grouped by kind. Works without JavaScript (the search
box's autocomplete, ``static/dehub.js``, reads ``/api/v1/search``)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from dehub.services import search
from dehub.web.cache import search_answer
from dehub.web.rendering import render

router = APIRouter(include_in_schema=False)

PAGE_LIMIT = 100
"""Results shown on the page (best first, then grouped by kind)."""

HEADINGS = {
    "district": "Districts",
    "state": "States and union territories",
    "country": "Countries (markets)",
    "sector": "Sectors",
    "product": "Products and HS codes",
}


@router.get("/search")
def search_page(
    request: Request,
    q: str = Query("", max_length=100, description="Words, a name or a code"),
) -> Response:
    found = search_answer(q, PAGE_LIMIT) if q.strip() else None
    groups = search.group_by_kind(found["results"]) if found else []
    context = {"query": q, "found": found, "groups": groups, "headings": HEADINGS}
    return render(request, "search.html", context)
