"""HTTP middleware of the web application, as plain ASGI (no per-request task machinery):
security headers on every response, and validators and caching headers on pages and API
answers.

- :class:`SecurityHeaders`: a Content-Security-Policy that allows only this host (the pages
  load nothing from elsewhere, which also keeps them working on an offline intranet) and the
  usual hardening headers.
- :class:`ConditionalGet`: a weak ``ETag`` (a hash of the body) and ``Cache-Control: no-cache``
  on every complete ``200`` answer to a ``GET`` that has none, and ``304 Not Modified`` when the
  request's ``If-None-Match`` names it. The browser keeps the page and asks again each time
  (so new data shows as soon as it is ingested) but the page is not sent again while it is
  unchanged. The hash is of the uncompressed body, so gzip and identity share it (weak ETag).
  Answers that say ``no-store`` (those that depend on the signed-in account) are left alone.
  Static files get ``Cache-Control: public, max-age=STATIC_MAX_AGE`` (their own ETag and
  Last-Modified come from Starlette's StaticFiles).
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'"
)
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
STATIC_MAX_AGE = 3600
"""Seconds a browser may reuse ``/static/`` files without asking (the stylesheet and script
change only with an upgrade of dehub)."""


class SecurityHeaders:
    """Adds the Content-Security-Policy (looser for the Swagger UI page, which needs an inline
    script), ``X-Content-Type-Options`` and ``Referrer-Policy`` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"] == "/api/docs" else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", csp)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "same-origin")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def body_etag(body: bytes) -> str:
    """The weak ETag of a body: ``W/"<128-bit BLAKE2b of the bytes>"``."""
    return f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """``If-None-Match`` weak comparison (RFC 9110 13.1.2): any listed tag, weak or strong,
    with the same opaque value, or ``*``."""
    wanted = etag.removeprefix("W/")
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or wanted in tags


class ConditionalGet:
    """ETag / Cache-Control / 304 for ``GET`` answers (see the module notes)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith("/static/"):
            await self.app(scope, receive, _static_cache_control(send))
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        held: Message | None = None

        async def send_validated(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                private = "no-store" in headers.get("cache-control", "")
                if message["status"] == 200 and "etag" not in headers and not private:
                    held = message  # wait for the body to know its hash
                    return
                await send(message)
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            start, held = held, None
            if message.get("more_body", False):  # a streamed body: no validator
                await send(start)
                await send(message)
                return
            etag = body_etag(message.get("body", b""))
            headers = MutableHeaders(scope=start)
            headers["etag"] = etag
            headers.setdefault("cache-control", "no-cache")
            if if_none_match and etag_matches(if_none_match, etag):
                for name in ("content-length", "content-type", "content-disposition"):
                    if name in headers:
                        del headers[name]
                await send({**start, "status": 304})
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send(message)

        await self.app(scope, receive, send_validated)


def _static_cache_control(send: Send) -> Send:
    async def send_static(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] in (200, 304):
            MutableHeaders(scope=message).setdefault(
                "cache-control", f"public, max-age={STATIC_MAX_AGE}"
            )
        await send(message)

    return send_static
