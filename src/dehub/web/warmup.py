"""Warming the caches when ``dehub serve`` starts, so the first visitors do not pay for them.

The first request of a kind builds what every later one reads: the national district frame
(RCA, dominance, ECI of every district), the search index (~38,000 spellings), the product and
market indexes, the state x port x country data, India's export potential and the districts'
supplier shares and product space. :func:`warm` asks the application itself for
one page of each kind (and every state page) right after start-up, in the background: the
server answers requests meanwhile; a request that arrives first builds what it needs as usual
(builds are locked or idempotent). ``/healthz`` reports ``"warm": true`` once it is done.

Then, still in the background and one at a time, the pages of the :data:`TOP_DISTRICTS`
largest exporting districts are built (a district page's first visit computes its products,
target markets and opportunities, ~0.3-0.5 s of CPU); ``/healthz`` counts them in
``"warm_districts"``. The other districts are built on their first visit.

Only ``dehub serve`` warms (``create_app(warm=True)``); tests and ``create_app()`` stay lazy,
so creating the application costs nothing.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message

from dehub.reference.tables import read_reference

log = logging.getLogger("dehub.web")

WARM_PATHS = (
    "/",
    "/districts",
    "/states",
    "/api/v1/summary",
    "/api/v1/districts",
    "/api/v1/states",
    "/search?q=warm",
    "/api/v1/search?q=warm",
    "/products",
    "/api/v1/products",
    "/markets",
    "/api/v1/markets",
    "/products/01",
    "/products/0904",
    "/markets/USA",
    "/districts/447",
    "/api/v1/districts/447",
    "/api/v1/potential?limit=1",
    "/api/v1/opportunities/447?limit=1",
)
"""Pages that build the shared structures (then every state page is asked for too)."""

TOP_DISTRICTS = 100
"""How many of the largest exporting districts have their pages built after the warm-up."""


async def _get(app: ASGIApp, target: str, body: list[bytes] | None = None) -> int:
    """GET ``target`` from ``app`` in-process; the status, and the body's chunks in ``body``."""
    path, _, query = target.partition("?")
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"dehub-warm-up")],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
    }
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body" and body is not None:
            body.append(message.get("body", b""))

    await app(scope, receive, send)
    return status


def warm_paths() -> list[str]:
    """Every path :func:`warm` requests, in order."""
    states = read_reference("states.csv")["state_code"].astype(str)
    return [*WARM_PATHS, *(f"/states/{code}" for code in states)]


async def warm(app: Any) -> None:
    """Request every :func:`warm_paths` page from ``app`` (in-process, one at a time) and set
    ``app.state.warm``; a failing page is logged and skipped."""
    start = time.perf_counter()
    failed = []
    for path in warm_paths():
        try:
            status = await _get(app, path)
        except Exception:  # a broken page must not stop the server
            log.exception("warm-up of %s failed", path)
            status = 500
        if status >= 400:
            failed.append(path)
    app.state.warm = True
    log.info(
        "caches warm in %.1f s%s",
        time.perf_counter() - start,
        f" ({len(failed)} pages failed: {', '.join(failed)})" if failed else "",
    )
    await warm_districts(app)


async def warm_districts(app: Any) -> None:
    """Build the pages of the :data:`TOP_DISTRICTS` largest exporting districts, one at a
    time, counting them in ``app.state.warm_districts``; a failing page is logged and skipped."""
    chunks: list[bytes] = []
    try:
        status = await _get(app, f"/api/v1/districts?limit={TOP_DISTRICTS}", chunks)
        codes = (
            [d["lgd_code"] for d in json.loads(b"".join(chunks))["items"]] if status == 200 else []
        )
    except Exception:
        log.exception("warm-up: the list of districts failed")
        return
    for code in codes:
        try:
            await _get(app, f"/districts/{code}")
        except Exception:
            log.exception("warm-up of /districts/%s failed", code)
        app.state.warm_districts += 1
