"""The DuckDB facts store: one file under ``DEHUB_HOME`` holding ``releases`` and ``facts``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from dehub.errors import StoreError
from dehub.facts.schema import (
    CONSTANT_COLUMNS,
    DDL,
    FACT_COLUMNS,
    FACTS_ACTIVE_VIEW,
    SCHEMA_VERSION,
    facts_view_sql,
    release_table,
)
from dehub.reference.tables import attach_reference
from dehub.settings import Settings, get_settings


@dataclass(frozen=True)
class Release:
    """One loaded file: its source, release label and what it covers."""

    release_id: int
    source: str
    release: str
    layout: str
    file_name: str
    content_sha256: str
    periods: list[str]
    geo_levels: list[str]
    product_levels: list[str]
    by_partner: bool
    by_port: bool
    row_count: int
    total_usd: float | None
    total_inr: float | None
    loaded_at: datetime
    status: str
    superseded_by: int | None
    notes: str | None

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["loaded_at"] = self.loaded_at.isoformat(timespec="seconds")
        return data


PENDING_FACTS = "facts_pending"
"""The table a release's facts are written to before the release is recorded."""
_RELEASE_COLUMNS = ", ".join(Release.__dataclass_fields__)


class FactStore:
    """An open connection to the facts file, with the reference tables attached.

    Use as a context manager; writes go through :meth:`transaction` so that a failed load
    leaves the store as it was.
    """

    def __init__(
        self,
        path: Path,
        *,
        read_only: bool = False,
        memory_limit: str = "1GB",
        threads: int = 0,
    ) -> None:
        self.path = path
        if read_only and not path.exists():
            raise StoreError(f"no facts store at {path}: run `dehub init` first")
        path.parent.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {"memory_limit": memory_limit}
        if threads:
            config["threads"] = threads
        try:
            self.con = duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the facts store {path}: {exc}") from exc
        tmp = path.parent / "duckdb-tmp"
        self.con.execute(f"SET temp_directory = '{tmp.as_posix()}'")
        # track query progress (read by the CLI's progress bar) without DuckDB printing it
        self.con.execute(
            "SET enable_progress_bar = true; SET enable_progress_bar_print = false; "
            "SET progress_bar_time = 0"
        )
        try:
            self._check_schema(read_only)
        except BaseException:
            self.con.close()
            raise
        attach_reference(self.con)

    def _check_schema(self, read_only: bool) -> None:
        """Create the tables of a new store; refuse a store made by another schema version."""
        tables = {
            r[0] for r in self.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
        found: str | None = None
        if "dehub_meta" in tables:
            rows = self.con.execute(
                "SELECT value FROM dehub_meta WHERE key = 'schema_version'"
            ).fetchall()
            found = rows[0][0] if rows else None
        elif "facts" in tables:
            found = "1"
        if found == "2" and not read_only:  # one facts table: split it by release
            self._upgrade_from_v2()
        elif found is not None and found != str(SCHEMA_VERSION):
            advice = (
                "run `dehub init` once to upgrade it (the loaded releases are kept)"
                if found == "2"
                else "move the file away (or delete it) and run `dehub init`, then ingest your "
                "own files again"
            )
            raise StoreError(
                f"the facts store {self.path} has schema version {found}, this dehub needs "
                f"{SCHEMA_VERSION}: {advice}"
            )
        if not read_only:
            self.con.execute(DDL)
            self.con.execute(
                "INSERT OR REPLACE INTO dehub_meta VALUES ('schema_version', ?)",
                [str(SCHEMA_VERSION)],
            )
            self.con.execute(f"DROP TABLE IF EXISTS {PENDING_FACTS}")  # left by a crash
            self.refresh_facts_view()

    def _upgrade_from_v2(self) -> None:
        """Schema 2 kept every release in one ``facts`` table: move each release's rows into a
        table of its own (all columns stored) and count them into ``release_groups``, and stamp
        the new version, in one transaction."""
        with self.transaction() as con:
            con.execute("DROP VIEW IF EXISTS facts_active")
            con.execute("ALTER TABLE facts RENAME TO facts_v2")
            con.execute(DDL)
            ids = [r[0] for r in con.execute("SELECT release_id FROM releases").fetchall()]
            for release_id in ids:
                pending = self.write_facts_table(
                    f"(SELECT * FROM facts_v2 WHERE release_id = {int(release_id)})"
                )
                con.execute(f"ALTER TABLE {pending} RENAME TO {release_table(release_id)}")
            con.execute("""
                INSERT INTO release_groups
                SELECT release_id, period, geo_level, product_level, count(*), sum(value_usd),
                       sum(value_inr)
                FROM facts_v2 GROUP BY ALL
            """)
            con.execute("DROP TABLE facts_v2")
            con.execute(  # in the same transaction: a crash leaves a v2 or a v3 store
                "INSERT OR REPLACE INTO dehub_meta VALUES ('schema_version', ?)",
                [str(SCHEMA_VERSION)],
            )
            self.refresh_facts_view()

    def refresh_facts_view(self) -> None:
        """(Re)create the ``facts`` and ``facts_active`` views over the release tables."""
        constants: dict[int, dict[str, str | None]] = {
            int(r[0]): {}
            for r in self.con.execute("SELECT release_id FROM releases ORDER BY 1").fetchall()
        }
        for release_id, column, value in self.con.execute(
            "SELECT release_id, column_name, value FROM release_constants"
        ).fetchall():
            constants[int(release_id)][column] = value
        self.con.execute(facts_view_sql(sorted(constants.items())))
        self.con.execute(FACTS_ACTIVE_VIEW)

    def write_facts_table(
        self,
        relation: str,
        constants: Mapping[str, str | None] | None = None,
        extra: tuple[str, ...] = (),
    ) -> str:
        """Write the rows of ``relation`` (a table, view or parenthesised query with the columns
        of :data:`~dehub.facts.schema.FACT_COLUMNS`, of those types or, for the VARCHAR ones,
        an ENUM) into a new table, less the ``constants``: columns with one value for every
        row, recorded once; and the ``extra`` columns of ``relation``, for the caller to use and
        drop. Returns the table's name, to pass to :meth:`attach_release_facts` (in this
        transaction or a later one)."""
        fixed = dict(constants or {})
        unknown = set(fixed) - CONSTANT_COLUMNS
        if unknown:
            raise ValueError(f"columns {sorted(unknown)} cannot be constant")
        names = ", ".join([name for name, _ in FACT_COLUMNS if name not in fixed] + list(extra))
        # the relation's types are kept: a code column may be an ENUM of the file's codes
        self.con.execute(
            f"CREATE OR REPLACE TABLE {PENDING_FACTS} AS SELECT {names} FROM {relation}"
        )
        return PENDING_FACTS

    def attach_release_facts(
        self, release_id: int, table: str, constants: Mapping[str, str | None] | None = None
    ) -> None:
        """Make ``table`` (from :meth:`write_facts_table`) the facts of release ``release_id``
        and refresh the ``facts`` view."""
        self.con.execute(f"ALTER TABLE {table} RENAME TO {release_table(release_id)}")
        if constants:
            self.con.executemany(
                "INSERT INTO release_constants VALUES (?, ?, ?)",
                [[release_id, column, value] for column, value in constants.items()],
            )
        self.refresh_facts_view()

    @classmethod
    def open(cls, settings: Settings | None = None, *, read_only: bool = False) -> FactStore:
        """Open the store named by the settings (``DEHUB_HOME/facts.duckdb``)."""
        s = settings or get_settings()
        return cls(
            s.facts_path,
            read_only=read_only,
            memory_limit=s.duckdb_memory_limit,
            threads=s.duckdb_threads,
        )

    def __enter__(self) -> FactStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing: commit if the block completes, roll back on any exception."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def releases(self, *, include_superseded: bool = True) -> list[Release]:
        """Every loaded release, oldest first."""
        where = "" if include_superseded else "WHERE status = 'active'"
        rows = self.con.execute(
            f"SELECT {_RELEASE_COLUMNS} FROM releases {where} ORDER BY release_id"
        ).fetchall()
        return [Release(*row) for row in rows]

    def release_by_hash(self, sha256: str) -> Release | None:
        """The release loaded from a file with this content hash, if any."""
        row = self.con.execute(
            f"SELECT {_RELEASE_COLUMNS} FROM releases WHERE content_sha256 = ? "
            "ORDER BY release_id DESC LIMIT 1",
            [sha256],
        ).fetchone()
        return Release(*row) if row else None

    def fact_count(self) -> int:
        row = self.con.execute("SELECT count(*) FROM facts").fetchone()
        return int(row[0]) if row else 0
