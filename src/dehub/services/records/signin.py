"""Web sign-in: server-side sessions and login rate limiting.

- :func:`sign_in` checks the rate limits, the password (:func:`accounts.authenticate`) and
  opens a session: a random token the browser keeps (the web layer signs it into a cookie);
  the database stores only its SHA-256, with an expiry that slides with use.
- Rate limits: at most :data:`MAX_ACCOUNT_FAILURES` failed sign-ins per account and
  :data:`MAX_ADDRESS_FAILURES` per client address within :data:`WINDOW`; beyond that
  :class:`RateLimited` (HTTP 429) with the seconds until the oldest failure leaves the window.
  Failures are stored (not kept in memory) so that every server process sees them; a success
  clears the account's failures.
- :func:`actor_of_session` gives the signed-in :class:`Actor` (None for an unknown, expired or
  disabled session); :func:`sign_out` ends a session.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dehub.errors import AuthenticationFailed, RateLimited
from dehub.records.accounts import User
from dehub.records.base import utcnow
from dehub.records.policy import Actor
from dehub.records.sessions import LoginFailure, WebSession
from dehub.services.records import accounts

MAX_ACCOUNT_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
WINDOW = timedelta(minutes=15)
TOUCH_EVERY = timedelta(minutes=5)
"""A session's last use and expiry are written at most this often (not on every request)."""


@dataclass(frozen=True)
class SignedIn:
    """A new session: the ``token`` for the browser, the account's :class:`Actor` and name."""

    token: str
    actor: Actor
    name: str


def token_id(token: str) -> str:
    """What the database stores of a session token (SHA-256, hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _retry_after(oldest: datetime | None, now: datetime) -> int:
    if oldest is None:
        return int(WINDOW.total_seconds())
    return max(1, int((oldest + WINDOW - now).total_seconds()) + 1)


def check_rate(session: Session, email: str, ip: str, now: datetime | None = None) -> None:
    """Raise :class:`RateLimited` when the account or the address has too many recent
    failures."""
    now = now or utcnow()
    since = now - WINDOW
    for column, value, limit, what in (
        (LoginFailure.email, email, MAX_ACCOUNT_FAILURES, "this account"),
        (LoginFailure.ip, ip, MAX_ADDRESS_FAILURES, "this address"),
    ):
        count, oldest = session.execute(
            select(func.count(), func.min(LoginFailure.at)).where(
                column == value, LoginFailure.at > since
            )
        ).one()
        if count >= limit:
            error = RateLimited(
                f"too many failed sign-ins for {what}: try again in "
                f"{_retry_after(oldest, now) // 60 + 1} minutes"
            )
            error.retry_after = _retry_after(oldest, now)
            raise error


def sign_in(
    session: Session,
    email: str,
    password: str,
    *,
    ip: str,
    user_agent: str = "",
    hours: float = 12,
) -> SignedIn:
    """Open a session for the account with this email and password.

    :class:`RateLimited` before any password check when the limits are reached;
    :class:`AuthenticationFailed` for a wrong email or password or a disabled account — the
    failure is committed before raising, so the caller's rollback does not forget it.
    """
    email = email.strip().lower()
    now = utcnow()
    check_rate(session, email, ip, now)
    try:
        user = accounts.authenticate(session, email, password)
    except AuthenticationFailed:
        session.rollback()
        session.add(LoginFailure(at=now, email=email[:254], ip=ip[:64]))
        session.commit()
        raise
    session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - WINDOW))
    session.execute(delete(WebSession).where(WebSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            id=token_id(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=hours),
            ip=ip[:64],
            user_agent=user_agent[:300],
        )
    )
    session.flush()
    return SignedIn(token, accounts.actor_for(session, user), user.name or user.email)


def actor_of_session(session: Session, token: str, *, hours: float = 12) -> Actor | None:
    """The :class:`Actor` of a session token; None when the session is unknown or expired or
    the account disabled. Extends the session (sliding expiry)."""
    found = session.get(WebSession, token_id(token))
    now = utcnow()
    if found is None:
        return None
    if found.expires_at <= now:
        session.delete(found)
        return None
    user = session.get(User, found.user_id)
    if user is None or not user.active:
        return None
    if now - found.last_seen_at >= TOUCH_EVERY:
        found.last_seen_at = now
        found.expires_at = now + timedelta(hours=hours)
    return accounts.actor_for(session, user)


def sign_out(session: Session, token: str) -> None:
    """End the session of this token (nothing when it is unknown)."""
    session.execute(delete(WebSession).where(WebSession.id == token_id(token)))
