"""Who is asking: signed session cookies, CSRF tokens and the current actor of a request.

- The session cookie ``dehub_session`` holds a random token and its HMAC-SHA256 under
  ``DEHUB_SECRET_KEY`` (``token.signature``); the records database keeps only the token's hash
  (:mod:`dehub.services.records.signin`). The cookie is ``HttpOnly``, ``SameSite=Lax``, and
  ``Secure`` outside development.
- The CSRF token of a session is an HMAC of its token (nothing more to store): forms carry it
  in a hidden ``csrf_token`` field, scripts and API clients in the ``X-CSRF-Token`` header.
  Every POST, PUT, PATCH or DELETE that comes with a session cookie must carry it, or it is
  refused (403, code ``csrf``). The sign-in form, sent before there is a session, is checked
  against a random ``dehub_login`` cookie the same way.
- :func:`current_actor` resolves the actor once per request (cached on ``request.state``);
  :func:`signed_in` is the same but answers 401 when nobody is signed in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from dehub.errors import AuthenticationFailed, Forbidden
from dehub.records import db
from dehub.records.policy import Actor
from dehub.services.records import signin
from dehub.settings import Settings

SESSION_COOKIE = "dehub_session"
LOGIN_COOKIE = "dehub_login"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfRefused(Forbidden):
    """A state-changing request from a cookie session without its CSRF token."""

    code = "csrf"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def records_engine(request: Request) -> Engine | Connection:
    """The records database of the application: an engine (or a connection, whose outer
    transaction tests roll back) given to ``create_app``, else the settings' engine."""
    found: Engine | Connection | None = getattr(request.app.state, "records_engine", None)
    return found if found is not None else db.engine_for(_settings(request))


@contextmanager
def transaction(request: Request) -> Iterator[Session]:
    """One records transaction for a route: commits at the end of the block, rolls back on an
    error (a use case and its audit entries are saved together or not at all). On a
    connection, the transaction is a savepoint inside the connection's own."""
    bind = records_engine(request)
    if isinstance(bind, Engine):
        with db.session_scope(bind) as session:
            yield session
        return
    savepoint = Session(bind=bind, join_transaction_mode="create_savepoint", expire_on_commit=False)
    with db.committed(savepoint) as session:
        yield session


def _mac(settings: Settings, purpose: str, value: str) -> str:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def cookie_value(settings: Settings, token: str) -> str:
    """The signed session cookie of a token."""
    return f"{token}.{_mac(settings, 'session', token)}"


def token_of(settings: Settings, cookie: str | None) -> str | None:
    """The token of a session cookie whose signature is valid (None otherwise)."""
    if not cookie or "." not in cookie:
        return None
    token, _, mac = cookie.rpartition(".")
    return token if hmac.compare_digest(mac, _mac(settings, "session", token)) else None


def csrf_for(settings: Settings, token: str) -> str:
    """The CSRF token of a session (or of a sign-in form's ``dehub_login`` cookie)."""
    return _mac(settings, "csrf", token)


def set_cookie(
    response: Response, settings: Settings, name: str, value: str, max_age: int | None
) -> None:
    """Set a cookie with dehub's flags: HttpOnly, SameSite=Lax, Secure unless development."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.env != "development",
        path="/",
    )


def open_session(request: Request, email: str, password: str) -> signin.SignedIn:
    """Check the password and open a session for this client (:func:`signin.sign_in`:
    :class:`AuthenticationFailed`, or :class:`RateLimited` after too many failures)."""
    settings = _settings(request)
    with transaction(request) as session:
        return signin.sign_in(
            session,
            email,
            password,
            ip=client_ip(request),
            user_agent=request.headers.get("user-agent", ""),
            hours=settings.session_hours,
        )


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    """Set the signed session cookie of a new session, kept as long as the session lasts."""
    max_age = int(settings.session_hours * 3600)
    set_cookie(response, settings, SESSION_COOKIE, cookie_value(settings, token), max_age)


def close_session(request: Request, response: Response) -> None:
    """End the request's session (if any) and delete its cookie on ``response``."""
    token = session_token(request)
    if token is not None:
        with transaction(request) as session:
            signin.sign_out(session, token)
    response.delete_cookie(SESSION_COOKIE, path="/")


def session_token(request: Request) -> str | None:
    """The (validly signed) session token the request carries."""
    return token_of(_settings(request), request.cookies.get(SESSION_COOKIE))


async def _sent_csrf(request: Request) -> str:
    sent = request.headers.get(CSRF_HEADER, "")
    if sent:
        return sent
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # parsed once; the route's Form fields reuse it
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def check_csrf(request: Request, token: str) -> None:
    """Refuse (403 ``csrf``) an unsafe request that does not carry the token's CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = csrf_for(_settings(request), token)
    if not hmac.compare_digest(await _sent_csrf(request), expected):
        raise CsrfRefused(
            "this form or request lacks its CSRF token (reload the page and try again; API "
            f"clients send the {CSRF_HEADER} header from /api/v1/auth/me)"
        )


async def current_actor(request: Request) -> Actor | None:
    """The signed-in actor (None: the public), resolved once per request. An unsafe request
    with a session cookie must carry the session's CSRF token."""
    if hasattr(request.state, "actor"):
        cached: Actor | None = request.state.actor
        return cached
    token = session_token(request)
    actor: Actor | None = None
    if token is not None:
        await check_csrf(request, token)
        settings = _settings(request)
        with transaction(request) as session:
            actor = signin.actor_of_session(session, token, hours=settings.session_hours)
    request.state.actor = actor
    request.state.csrf = csrf_for(_settings(request), token) if actor and token else ""
    return actor


async def signed_in(actor: Annotated[Actor | None, Depends(current_actor)]) -> Actor:
    """The signed-in actor; 401 when nobody is signed in."""
    if actor is None:
        raise AuthenticationFailed("sign in first (POST /api/v1/auth/login or /login)")
    return actor


MaybeActor = Annotated[Actor | None, Depends(current_actor)]
"""A route parameter: the actor or None (the public)."""
CurrentActor = Annotated[Actor, Depends(signed_in)]
"""A route parameter: the signed-in actor (401 otherwise)."""


PRIVATE = "private, no-store"
"""``Cache-Control`` of every answer that depends on the account (never kept by a cache)."""


def no_store(response: Response) -> None:
    """A router dependency: its answers carry ``Cache-Control: private, no-store``."""
    response.headers["Cache-Control"] = PRIVATE


def client_ip(request: Request) -> str:
    """The client's address (the direct peer; a reverse proxy should pass the real one to
    uvicorn with ``--proxy-headers``)."""
    return request.client.host if request.client else "unknown"


def new_login_nonce() -> str:
    """A random value for the ``dehub_login`` cookie of a sign-in form."""
    return secrets.token_urlsafe(24)
