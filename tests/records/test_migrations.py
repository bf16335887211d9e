"""The shipped migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from dehub.records import db
from dehub.records.models import Base


def test_migrations_match_the_models(records_engine: Engine) -> None:
    with records_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent_and_at_head(records_engine: Engine) -> None:
    head = db.head_revision()
    assert head is not None
    assert db.current_revision(records_engine) == head
    assert db.upgrade(records_engine) == head
    assert set(db.table_names(records_engine)) >= set(Base.metadata.tables)


def test_upgrade_creates_the_sqlite_file_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "records.sqlite"
    engine = db.make_engine(f"sqlite:///{path}")
    assert db.upgrade(engine) == db.head_revision()
    assert path.exists()
    engine.dispose()
