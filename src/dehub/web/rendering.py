"""Page rendering shared by every page: the Jinja2 environment, cached service answers, cached
page HTML, and the ``?table=NAME&format=csv|xlsx`` downloads of a page's tables."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from dehub.settings import Settings
from dehub.web import formatting
from dehub.web.cache import ResultCache
from dehub.web.tables import DataTable, table_download

T = TypeVar("T")

NAV = (
    ("/", "India"),
    ("/states", "States"),
    ("/districts", "Districts"),
    ("/products", "Products"),
    ("/markets", "Markets"),
    ("/hs-find", "HS finder"),
    ("/api/docs", "API"),
)


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    """The page templates (``dehub/web/templates``) with dehub's number filters."""
    found = Jinja2Templates(directory=str(files("dehub.web") / "templates"))
    found.env.filters.update(formatting.FILTERS)
    found.env.globals["nav"] = NAV
    return found


def settings_of(request: Request) -> Settings:
    """The settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


def cached(request: Request, key: Hashable, compute: Callable[[Settings], T]) -> T:
    """``compute(settings)``, answered from the application's cache while the store is
    unchanged (see :class:`dehub.web.cache.ResultCache`)."""
    cache: ResultCache = request.app.state.cache
    settings = settings_of(request)
    return cache.get(key, lambda: compute(settings))


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    tables: Sequence[DataTable] = (),
    file_stem: str = "dehub",
) -> Response:
    """The page, or with ``?table=NAME&format=csv|xlsx`` one of its tables as a file."""
    wanted = request.query_params.get("table")
    if wanted is not None:
        fmt = request.query_params.get("format", "csv")
        return table_download(tables, wanted, fmt, file_stem=file_stem)
    tables_by_name = {t.name: t for t in tables}
    return templates().TemplateResponse(
        request, template, {**context, "tables": tables_by_name, "path": request.url.path}
    )


def cached_page(
    request: Request,
    key: tuple[str, ...],
    template: str,
    view: Callable[[], tuple[dict[str, Any], list[DataTable]]],
    stem: str,
) -> Response:
    """A page whose content depends only on ``key`` (and the store): its HTML is kept in the
    cache, so a warm request costs one cache look-up; ``?table=`` downloads render its tables
    (the view, its context and tables, is cached too). ``key`` must name everything the page
    shows that varies: the page kind, its code, its query parameters."""
    if "table" in request.query_params:
        context, tables = cached(request, ("view", *key), lambda _: view())
        return render(request, template, context, tables=tables, file_stem=stem)

    def page() -> bytes:
        context, tables = cached(request, ("view", *key), lambda _: view())
        return bytes(render(request, template, context, tables=tables, file_stem=stem).body)

    return HTMLResponse(cached(request, ("html", *key), lambda _: page()))
