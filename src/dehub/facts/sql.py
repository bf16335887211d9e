"""Small SQL helpers shared by the ingestion modules."""

from __future__ import annotations

from typing import Any

import duckdb


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The first column of the first row of ``sql`` (None when there is no row)."""
    row = con.execute(sql).fetchone()
    return row[0] if row else None


def literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def literal_or_null(text: str | None) -> str:
    """``text`` as a SQL string literal, ``None`` as NULL."""
    return "NULL" if text is None else literal(text)


def quote_ident(name: str) -> str:
    """Quote a column name for DuckDB (file headers can hold any character)."""
    return '"' + name.replace('"', '""') + '"'
