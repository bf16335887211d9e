"""Sign-in and sign-out pages: ``GET/POST /login``, ``POST /logout``.

The sign-in form is protected against cross-site submission by a random ``dehub_login``
cookie whose HMAC the form carries; failures re-show the form (401, or 429 when rate-limited).
After signing in the browser goes to ``next`` (a path on this site) or ``/workspace``.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from dehub.errors import AuthenticationFailed, RateLimited
from dehub.web.auth import (
    LOGIN_COOKIE,
    CurrentActor,
    close_session,
    csrf_for,
    new_login_nonce,
    open_session,
    set_cookie,
    set_session_cookie,
)
from dehub.web.rendering import settings_of, templates

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else ``/workspace`` (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/workspace"


def _form(
    request: Request, *, next_: str, email: str = "", message: str = "", status: int = 200
) -> Response:
    settings = settings_of(request)
    nonce = new_login_nonce()
    response = templates().TemplateResponse(
        request,
        "login.html",
        {
            "csrf": csrf_for(settings, nonce),
            "next": safe_next(next_),
            "email": email,
            "message": message,
            "path": "/login",
        },
        status_code=status,
    )
    set_cookie(response, settings, LOGIN_COOKIE, nonce, 3600)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/login")
def login_page(request: Request, next: str = "/workspace") -> Response:  # noqa: A002
    """The sign-in form."""
    return _form(request, next_=next)


@router.post("/login")
def login_submit(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/workspace",  # noqa: A002
) -> Response:
    """Check the form's token, then the password; a session cookie and a redirect on
    success."""
    settings = settings_of(request)
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    if not nonce or not hmac.compare_digest(csrf_token, csrf_for(settings, nonce)):
        message = "The form expired or was not sent from this site: please sign in again."
        return _form(request, next_=next, email=email, message=message, status=403)
    try:
        done = open_session(request, email, password)
    except (AuthenticationFailed, RateLimited) as error:
        response = _form(request, next_=next, email=email, message=error.message)
        response.status_code = error.status
        if isinstance(error, RateLimited):
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, settings, done.token)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, actor: CurrentActor) -> Response:
    """End the session (the form carries its CSRF token) and go to the home page."""
    response = RedirectResponse("/", status_code=303)
    close_session(request, response)
    return response
