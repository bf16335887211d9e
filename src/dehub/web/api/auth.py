"""Sign-in for API clients: ``POST /auth/login`` (JSON email and password; sets the session
cookie and answers the CSRF token to send as ``X-CSRF-Token`` on every write),
``POST /auth/logout`` and ``GET /auth/me``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from dehub.records.policy import Actor
from dehub.web.auth import (
    CurrentActor,
    close_session,
    csrf_for,
    no_store,
    open_session,
    set_session_cookie,
)

router = APIRouter(prefix="/auth", tags=["accounts"], dependencies=[Depends(no_store)])


class Login(BaseModel):
    """Email and password of an account."""

    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=200)


def actor_json(actor: Actor) -> dict[str, Any]:
    """The signed-in account as the API shows it."""
    return {
        "id": actor.user_id,
        "email": actor.email,
        "role": actor.role,
        "state_code": actor.state_code,
        "district_code": actor.district_code,
        "exporter_id": actor.exporter_id,
        "chairs": sorted(actor.chairs),
    }


@router.post("/login")
def login(body: Login, request: Request, response: Response) -> dict[str, Any]:
    """Open a session (cookie ``dehub_session``). 401 for a wrong email or password, 429 after
    too many failures (5 per account, 20 per address, in 15 minutes)."""
    settings = request.app.state.settings
    done = open_session(request, body.email, body.password)
    set_session_cookie(response, settings, done.token)
    return {
        "ok": True,
        "user": actor_json(done.actor),
        "csrf_token": csrf_for(settings, done.token),
    }


@router.post("/logout")
def logout(actor: CurrentActor, request: Request, response: Response) -> dict[str, Any]:
    """End the session (needs its CSRF token like every write)."""
    close_session(request, response)
    return {"ok": True}


@router.get("/me")
def me(actor: CurrentActor, request: Request) -> dict[str, Any]:
    """The signed-in account and the session's CSRF token."""
    return {"ok": True, "user": actor_json(actor), "csrf_token": request.state.csrf}
