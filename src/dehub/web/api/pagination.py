"""Pagination of API lists: ``limit`` and ``offset`` query parameters and the list envelope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query

MAX_LIMIT = 1000


@dataclass(frozen=True)
class PageParams:
    """Which slice of a list to return."""

    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = 50,
    offset: Annotated[int, Query(ge=0, description="Items to skip")] = 0,
) -> PageParams:
    return PageParams(limit, offset)


Paging = Annotated[PageParams, Depends(page_params)]


def paginate(items: Sequence[Any], page: PageParams, **extra: Any) -> dict[str, Any]:
    """``{"ok": true, "total", "limit", "offset", "items", **extra}`` for one page of ``items``."""
    return {
        "ok": True,
        "total": len(items),
        "limit": page.limit,
        "offset": page.offset,
        "items": list(items[page.offset : page.offset + page.limit]),
        **extra,
    }
