"""Records fixtures: every records test runs against SQLite and PostgreSQL.

``records_engine`` is parametrised: ``sqlite`` (a copy of a migrated template file per test)
and ``postgresql`` (the server at ``DEHUB_TEST_POSTGRES_URL``, default the CI server; skipped
with the reason when it cannot be reached). On PostgreSQL each xdist worker migrates its own
schema once (``search_path``), and every test starts from empty tables (DELETE), so two
workers never collide and no test sees another's rows.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from dehub.records import db
from dehub.records.models import Base
from dehub.services.places import DistrictFrame, district_frame
from dehub.settings import Settings
from tests.records.world import World, build_world

POSTGRES_URL = os.environ.get(
    "DEHUB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite records file migrated to head (copied by each test)."""
    path = tmp_path_factory.mktemp("records") / "template.sqlite"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()
    return path


@contextmanager
def migrated_postgres_schema(label: str) -> Iterator[tuple[str, str]]:
    """(url, schema): a new schema on the test server, migrated to head, dropped afterwards;
    skips the test with the reason when the server cannot be reached."""
    admin = db.make_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any connection failure means: no server here
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}")
    schema = f"dehub_test_{label}_{uuid.uuid4().hex[:8]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = db.make_engine(POSTGRES_URL, schema=schema)
    db.upgrade(engine)
    engine.dispose()
    try:
        yield POSTGRES_URL, schema
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_schema(worker_id: str) -> Iterator[tuple[str, str]]:
    """(url, schema): this xdist worker's schema on the test server, migrated to head."""
    with migrated_postgres_schema(worker_id) as found:
        yield found


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def records_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty, migrated records database (SQLite or PostgreSQL)."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "records.sqlite"
        shutil.copyfile(template, path)
        engine = db.make_engine(f"sqlite:///{path}")
    else:
        url, schema = request.getfixturevalue("postgres_schema")
        engine = db.make_engine(url, schema=schema)
        with engine.begin() as connection:  # DELETE: far cheaper than TRUNCATE on tiny tables
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
    yield engine
    engine.dispose()


@pytest.fixture
def session(records_engine: Engine) -> Iterator[Session]:
    """A session on the test's records database (tests commit through the services)."""
    with Session(records_engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def world(session: Session) -> World:
    """The small records world of :mod:`tests.records.world`, committed."""
    return build_world(session)


@pytest.fixture(scope="session")
def facts_settings(initialised_home: Path) -> Settings:
    """Settings on the session's initialised facts store (read only)."""
    return Settings(home=initialised_home, env="test")


@pytest.fixture(scope="session")
def frame(facts_settings: Settings) -> DistrictFrame:
    """The district frame of the bundled district-wise data (latest financial year)."""
    return district_frame(facts_settings)


@pytest.fixture
def records_url(request: pytest.FixtureRequest, records_engine: Engine) -> str:
    """A ``DEHUB_DATABASE_URL`` for the test's records database (PostgreSQL: the worker's
    schema through the connection's ``options``)."""
    if records_engine.dialect.name == "sqlite":
        return records_engine.url.render_as_string(hide_password=False)
    url, schema = request.getfixturevalue("postgres_schema")
    return f"{url}?options=-csearch_path%3D{schema}"


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def shared_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Iterator[tuple[Engine, World]]:
    """One world per module and database (its own SQLite file or PostgreSQL schema), for
    tests that roll back every change they make."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("shared") / "records.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        engine = db.make_engine(f"sqlite:///{path}")
        with Session(engine, expire_on_commit=False) as s:
            world = build_world(s)
        yield engine, world
        engine.dispose()
        return
    with migrated_postgres_schema(f"{worker_id}_shared") as (url, schema):
        engine = db.make_engine(url, schema=schema)
        with Session(engine, expire_on_commit=False) as s:
            world = build_world(s)
        yield engine, world
        engine.dispose()
