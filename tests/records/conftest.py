"""Records fixtures: every records test runs against SQLite and PostgreSQL.

``records_engine`` is parametrised: ``sqlite`` (a copy of a migrated template file per test)
and ``postgresql`` (the server at ``DEHUB_TEST_POSTGRES_URL``, default the CI server; skipped
with the reason when it cannot be reached). On PostgreSQL each xdist worker migrates its own
schema once (``search_path``), and every test starts from empty tables (TRUNCATE), so two
workers never collide and no test sees another's rows.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from dehub.records import db
from dehub.records.models import Base

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


@pytest.fixture(scope="session")
def postgres_schema(worker_id: str) -> Iterator[tuple[str, str]]:
    """(url, schema): a schema of this worker on the test server, migrated to head."""
    admin = db.make_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any connection failure means: no server here
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}")
    schema = f"dehub_test_{worker_id}_{uuid.uuid4().hex[:8]}"
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
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield engine
    engine.dispose()


@pytest.fixture
def session(records_engine: Engine) -> Iterator[Session]:
    """A session on the test's records database (tests commit through the services)."""
    with Session(records_engine, expire_on_commit=False) as s:
        yield s
