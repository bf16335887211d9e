"""Web fixtures over the records world (:mod:`tests.records.world`), on SQLite and PostgreSQL.

One world per module and database, committed, with a signed-in web session for every account
(no argon2 per test). Each test runs inside one outer transaction on one connection that the
application's transactions nest in (savepoints) and that is rolled back afterwards, so every
test starts from the same world whatever it writes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from dehub.records import db
from dehub.records.base import utcnow
from dehub.records.sessions import WebSession
from dehub.services.records.signin import token_id
from dehub.settings import Settings
from dehub.web.app import create_app
from dehub.web.auth import CSRF_HEADER, SESSION_COOKIE, cookie_value, csrf_for
from tests.records.conftest import migrated_postgres_schema
from tests.records.world import World, build_world


def _savepoints_on_sqlite(engine: Engine) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN (the
    documented recipe)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def _sign_in_everyone(engine: Engine, world: World) -> dict[str, str]:
    tokens = {name: f"test-session-{name}" for name in world.users}
    with Session(engine) as session:
        for name, user_id in world.users.items():
            session.add(
                WebSession(
                    id=token_id(tokens[name]),
                    user_id=user_id,
                    expires_at=utcnow() + timedelta(days=1),
                )
            )
        session.commit()
    return tokens


@dataclass
class WebWorld:
    """The world, its engine, and each account's session token."""

    engine: Engine
    world: World
    tokens: dict[str, str]
    dialect: str


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def web_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Iterator[WebWorld]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("webworld") / "records.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        engine = db.make_engine(f"sqlite:///{path}")
        _savepoints_on_sqlite(engine)
        with Session(engine, expire_on_commit=False) as s:
            world = build_world(s)
        yield WebWorld(engine, world, _sign_in_everyone(engine, world), "sqlite")
        engine.dispose()
        return
    with migrated_postgres_schema(f"{worker_id}_web") as (url, schema):
        engine = db.make_engine(url, schema=schema)
        with Session(engine, expire_on_commit=False) as s:
            world = build_world(s)
        yield WebWorld(engine, world, _sign_in_everyone(engine, world), "postgresql")
        engine.dispose()


@pytest.fixture(scope="module")
def web_settings(initialised_home: Path) -> Settings:
    return Settings(home=initialised_home, env="test")


@pytest.fixture(scope="module")
def web_app(web_settings: Settings) -> FastAPI:
    return create_app(web_settings)


@pytest.fixture
def web(web_world: WebWorld, web_app: FastAPI, web_settings: Settings) -> Iterator[Web]:
    """A client of the application on the world, rolled back after the test."""
    connection = web_world.engine.connect()
    outer = connection.begin()
    web_app.state.records_engine = connection
    try:
        yield Web(TestClient(web_app, base_url="https://testserver"), web_world, web_settings)
    finally:
        web_app.state.records_engine = None
        outer.rollback()
        connection.close()


@dataclass
class Web:
    """An HTTP client plus the headers of each account's session (cookie and CSRF token)."""

    client: TestClient
    ww: WebWorld
    settings: Settings

    @property
    def ids(self) -> dict[str, int]:
        return self.ww.world.ids

    @property
    def users(self) -> dict[str, int]:
        return self.ww.world.users

    def headers(self, who: str, *, csrf: bool = True) -> dict[str, str]:
        """The request headers of account ``who`` (``public``: none)."""
        if who == "public":
            return {}
        token = self.ww.tokens[who]
        out = {"Cookie": f"{SESSION_COOKIE}={cookie_value(self.settings, token)}"}
        if csrf:
            out[CSRF_HEADER] = csrf_for(self.settings, token)
        return out

    def call(self, who: str, method: str, url: str, **kwargs: Any) -> Any:
        headers = self.headers(who, csrf=kwargs.pop("csrf", True)) | kwargs.pop("headers", {})
        return self.client.request(method, url, headers=headers, **kwargs)
