"""The FastAPI application: pages, ``/api/v1``, static files, errors.

``create_app(settings)`` builds it (nothing is read at import time). Every error becomes, for
``/api/...`` paths, the JSON envelope ``{"ok": false, "status": ..., "errors": [...]}`` of
:class:`dehub.errors.DehubError`, and for pages an HTML error page with the same status.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Connection, Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from dehub import __version__
from dehub.errors import DehubError, InvalidInput, NotFound, Problem, RateLimited
from dehub.settings import Settings, get_settings
from dehub.web.cache import ResultCache
from dehub.web.middleware import ConditionalGet, SecurityHeaders
from dehub.web.rendering import templates

log = logging.getLogger("dehub.web")

API_PREFIX = "/api/v1"


def _swagger_static() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_response(request: Request, error: DehubError) -> Response:
    response: Response
    if _wants_json(request):
        response = JSONResponse(error.envelope(), status_code=error.status)
    else:
        response = templates().TemplateResponse(
            request,
            "error.html",
            {"error": error, "status": error.status},
            status_code=error.status,
        )
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DehubError)
    async def dehub_error(request: Request, exc: DehubError) -> Response:
        return _error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            Problem(".".join(str(p) for p in e.get("loc", ()) if p != "query") or None, e["msg"])
            for e in exc.errors()
        ]
        return _error_response(request, InvalidInput("invalid parameters", problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        error: DehubError
        if exc.status_code == 404:
            error = NotFound(f"no page at {request.url.path}")
        else:
            error = DehubError(str(exc.detail))
            error.status = exc.status_code  # type: ignore[misc]
        return _error_response(request, error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _error_response(request, DehubError("internal error; see the server log"))


GZIP_LEVEL = 5
"""gzip level of answers: level 5 costs a tenth of Starlette's default 9 on the 280 KB
national page (~5 ms against ~50 ms of CPU) for a 7% larger transfer."""


def create_served_app() -> FastAPI:
    """The application as ``dehub serve --workers N`` starts it in each worker process
    (settings from the environment, caches warmed at start-up)."""
    return create_app(warm=True)


def create_app(
    settings: Settings | None = None,
    *,
    warm: bool = False,
    records_engine: Engine | Connection | None = None,
) -> FastAPI:
    """The dehub web application over the facts store of ``settings`` (default: from the
    environment). Pages at ``/``, the JSON API at ``/api/v1``, its docs at ``/api/docs``.

    With ``warm``, the caches are filled in the background right after start-up
    (:mod:`dehub.web.warmup`; ``dehub serve`` does this); otherwise nothing is read until the
    first request. ``records_engine`` overrides the records database of the settings (an
    engine, or a connection whose outer transaction tests roll back)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = None
        if warm:
            from dehub.web.warmup import warm as warm_caches

            task = asyncio.create_task(warm_caches(app))
        yield
        if task is not None and not task.done():
            task.cancel()

    app = FastAPI(
        lifespan=lifespan,
        title="dehub API",
        version=__version__,
        description="District export statistics for India's Districts as Export Hubs initiative. "
        "Every error is the envelope {ok: false, status, code, errors: [{field, message}]}.",
        docs_url=None,
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.settings = settings
    app.state.cache = ResultCache(settings.facts_path)
    app.state.warm = False
    app.state.warm_districts = 0
    app.state.records_engine = records_engine
    # innermost first: ETags hash the uncompressed body; headers go on every answer
    app.add_middleware(ConditionalGet)
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=GZIP_LEVEL)
    app.add_middleware(SecurityHeaders)
    _install_error_handlers(app)

    static = Path(str(files("dehub.web") / "static"))
    app.mount("/static/swagger", StaticFiles(directory=_swagger_static()), name="swagger")
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title="dehub API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon.png",
            # no badge from validator.swagger.io: nothing is loaded from another host
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        return {
            "ok": True,
            "version": __version__,
            "warm": app.state.warm,
            "warm_districts": app.state.warm_districts,
        }

    from dehub.web import api, pages

    app.include_router(api.router, prefix=API_PREFIX)
    pages.include_all(app)
    return app
