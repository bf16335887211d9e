"""The records database: engines from the settings, sessions, and migrations applied
programmatically (the Alembic scripts ship in ``dehub/records/migrations``).

- :func:`engine_for` gives one engine per URL (``DEHUB_DATABASE_URL``, default a SQLite file
  under ``DEHUB_HOME``); SQLite enforces foreign keys.
- :func:`upgrade` brings a database to the latest migration (``dehub db upgrade``, and
  ``dehub init`` / ``dehub serve`` at start-up).
- :func:`session_scope` is one transaction: the services write the change and its audit entry
  in it, it commits on success and rolls back on any error.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from dehub.errors import StoreError
from dehub.settings import Settings

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, *, schema: str | None = None) -> Engine:
    """A new engine on ``url``. ``schema`` (PostgreSQL only) puts every table, including
    Alembic's version table, in that schema through the connection's ``search_path``."""
    kwargs: dict[str, Any] = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    elif url.startswith("postgresql"):
        kwargs["connect_args"] = {"connect_timeout": 10}
        if schema is not None:
            kwargs["connect_args"]["options"] = f"-csearch_path={schema}"
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


@lru_cache(maxsize=8)
def _cached_engine(url: str) -> Engine:
    return make_engine(url)


def engine_for(settings: Settings) -> Engine:
    """The engine of the settings' records database (one per URL in a process)."""
    return _cached_engine(settings.records_url)


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Apply the migrations up to ``revision``; return the database's revision afterwards.
    Idempotent. :class:`StoreError` when the database cannot be reached."""
    from alembic import command

    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), revision)
        return current_revision(engine)
    except OperationalError as exc:
        url = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"cannot open the records database {url}: {exc.orig}") from None


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None before the first)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The latest migration shipped in the package."""
    from alembic.script import ScriptDirectory

    config = _alembic_config(None)
    return ScriptDirectory.from_config(config).get_current_head()


def table_names(engine: Engine) -> list[str]:
    """The tables in the database (for status and tests)."""
    return sorted(inspect(engine).get_table_names())


@lru_cache(maxsize=8)
def _sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def committed(session: Session) -> Iterator[Session]:
    """The block as one transaction of ``session``: commit when it ends, roll back (and
    re-raise) on an error; the session is closed either way."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back (and re-raise) on an error."""
    with committed(_sessions(engine)()) as session:
        yield session
