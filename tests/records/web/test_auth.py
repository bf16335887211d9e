"""Sign-in: session cookie flags, the current actor, rate limiting (429 in the envelope with
Retry-After), sign-out, tampered cookies; the secret refused in production; 409 conflicts
lose nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dehub.errors import ConfigError
from dehub.records.accounts import AuditEntry
from dehub.records.plans import PlanSection
from dehub.services.records.signin import MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES
from dehub.settings import DEVELOPMENT_SECRET, Settings, get_settings
from dehub.web.auth import SESSION_COOKIE
from tests.records.web.conftest import Web
from tests.records.world import PASSWORD


def _login(web: Web, email: str, password: str) -> object:
    web.client.cookies.clear()
    return web.client.post("/api/v1/auth/login", json={"email": email, "password": password})


def test_login_sets_a_secure_session_cookie_and_me_answers(web: Web) -> None:
    response = _login(web, "District@Test.dehub", PASSWORD)
    assert response.status_code == 200, response.json()  # type: ignore[attr-defined]
    cookie = response.headers["set-cookie"]  # type: ignore[attr-defined]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite=lax", "path=/"} <= flags
    body = response.json()  # type: ignore[attr-defined]
    assert body["user"]["role"] == "district_officer"
    assert body["user"]["district_code"] == "459"
    me = web.client.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["csrf_token"] == body["csrf_token"]
    # a write with the cookie needs the token; with it, it works
    url = f"/api/v1/plans/{web.ids['draft']}"
    version = web.client.get(url).json()["data"]["version"]
    refused = web.client.patch(url, json={"version": version, "title": "New"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf"
    done = web.client.patch(
        url,
        json={"version": version, "title": "New"},
        headers={"X-CSRF-Token": body["csrf_token"]},
    )
    assert done.status_code == 200
    out = web.client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": body["csrf_token"]})
    assert out.status_code == 200
    assert web.client.get("/api/v1/auth/me").status_code == 401


def test_cookie_is_not_secure_in_development(web: Web) -> None:
    app = web.client.app  # type: ignore[attr-defined]
    dev = Settings(home=web.settings.home, env="development")
    app.state.settings = dev
    try:
        response = _login(web, "admin@test.dehub", PASSWORD)
    finally:
        app.state.settings = web.settings
    flags = {p.strip().lower() for p in response.headers["set-cookie"].split(";")}  # type: ignore[attr-defined]
    assert "secure" not in flags
    assert {"httponly", "samesite=lax"} <= flags


def test_tampered_or_unknown_session_is_the_public(web: Web) -> None:
    web.client.cookies.clear()
    forged = {"Cookie": f"{SESSION_COOKIE}=test-session-admin.{'0' * 64}"}
    assert web.client.get("/api/v1/auth/me", headers=forged).status_code == 401
    unknown = web.headers("admin")
    unknown["Cookie"] = unknown["Cookie"].replace("test-session-admin", "test-session-nobody")
    assert web.client.get("/api/v1/auth/me", headers=unknown).status_code == 401


def test_wrong_password_is_401_in_the_envelope(web: Web) -> None:
    response = _login(web, "admin@test.dehub", "wrong password")
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.json()["code"] == "unauthenticated"  # type: ignore[attr-defined]
    assert "set-cookie" not in response.headers  # type: ignore[attr-defined]


def test_rate_limit_per_account(web: Web) -> None:
    for _ in range(MAX_ACCOUNT_FAILURES):
        assert _login(web, "state@test.dehub", "nope").status_code == 401  # type: ignore[attr-defined]
    blocked = _login(web, "state@test.dehub", PASSWORD)  # even the right password
    assert blocked.status_code == 429  # type: ignore[attr-defined]
    body = blocked.json()  # type: ignore[attr-defined]
    assert body["ok"] is False and body["status"] == 429 and body["code"] == "rate_limited"
    assert 0 < int(blocked.headers["retry-after"]) <= 15 * 60  # type: ignore[attr-defined]
    # another account from the same address is not blocked yet
    assert _login(web, "district@test.dehub", PASSWORD).status_code == 200  # type: ignore[attr-defined]


def test_rate_limit_per_address(web: Web) -> None:
    for i in range(MAX_ADDRESS_FAILURES):
        assert _login(web, f"guess{i}@test.dehub", "nope").status_code == 401  # type: ignore[attr-defined]
    assert _login(web, "admin@test.dehub", PASSWORD).status_code == 429  # type: ignore[attr-defined]


def test_login_form_sets_the_session_and_checks_its_token(web: Web) -> None:
    web.client.cookies.clear()
    page = web.client.get("/login")
    assert page.status_code == 200
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"email": "depc@test.dehub", "password": PASSWORD, "next": "/workspace"}
    refused = web.client.post("/login", data=form | {"csrf_token": "x"}, follow_redirects=False)
    assert refused.status_code == 403
    page = web.client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    done = web.client.post("/login", data=form | {"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == "/workspace"
    assert SESSION_COOKIE in done.headers["set-cookie"]
    assert web.client.get("/api/v1/auth/me").json()["user"]["role"] == "depc_member"
    # an off-site next is not followed
    page = web.client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    off = form | {"csrf_token": token, "next": "//evil.example/"}
    assert (
        web.client.post("/login", data=off, follow_redirects=False).headers["location"]
        == "/workspace"
    )
    # sign out without the form's token is refused
    assert web.client.post("/logout", follow_redirects=False).status_code == 403


def test_production_refuses_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEHUB_ENV", "production")
    monkeypatch.setenv("DEHUB_DATABASE_URL", "postgresql+psycopg://x@localhost/db")
    monkeypatch.delenv("DEHUB_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="DEHUB_SECRET_KEY"):
            get_settings()
        monkeypatch.setenv("DEHUB_SECRET_KEY", DEVELOPMENT_SECRET)
        get_settings.cache_clear()
        with pytest.raises(ConfigError, match="DEHUB_SECRET_KEY"):
            get_settings()
        monkeypatch.setenv("DEHUB_SECRET_KEY", "k" * 40)
        get_settings.cache_clear()
        assert get_settings().secret_key.get_secret_value() == "k" * 40
    finally:
        get_settings.cache_clear()


def test_stale_save_is_409_with_the_current_record_and_loses_nothing(web: Web) -> None:
    url = f"/api/v1/plans/{web.ids['draft']}/sections/target_markets"
    plan = web.call("district", "GET", f"/api/v1/plans/{web.ids['draft']}").json()["data"]
    loaded = next(s for s in plan["sections"] if s["key"] == "target_markets")
    first = web.call("district", "PATCH", url, json={"version": loaded["version"], "body": "A"})
    assert first.status_code == 200
    second = web.call("depc", "PATCH", url, json={"version": loaded["version"], "body": "B"})
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "edit_conflict"
    assert body["current"]["body"] == "A"
    assert body["current"]["version"] == loaded["version"] + 1
    bind = web.client.app.state.records_engine  # type: ignore[attr-defined]
    with Session(bind=bind, join_transaction_mode="create_savepoint") as s:
        section = s.get(PlanSection, loaded["id"])
        assert section is not None and section.body == "A"
        audits = s.scalar(
            select(func.count()).where(
                AuditEntry.entity == "plan_sections", AuditEntry.entity_id == loaded["id"]
            )
        )
    assert audits == 1
    # the second editor reapplies on the current version
    retry = web.call(
        "depc", "PATCH", url, json={"version": body["current"]["version"], "body": "A+B"}
    )
    assert retry.status_code == 200 and retry.json()["data"]["body"] == "A+B"
