"""The DuckDB facts store: one file under ``DEHUB_HOME`` holding ``releases`` and ``facts``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from dehub.errors import StoreError
from dehub.facts.schema import DDL, SCHEMA_VERSION
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
        self._check_schema(read_only)
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
        if found is not None and found != str(SCHEMA_VERSION):
            self.con.close()
            raise StoreError(
                f"the facts store {self.path} has schema version {found}, this dehub needs "
                f"{SCHEMA_VERSION}: move the file away (or delete it) and run `dehub init`, then "
                "ingest your own files again"
            )
        if not read_only:
            self.con.execute(DDL)
            self.con.execute(
                "INSERT OR REPLACE INTO dehub_meta VALUES ('schema_version', ?)",
                [str(SCHEMA_VERSION)],
            )

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
