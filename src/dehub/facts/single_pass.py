"""The single-pass load of a file with nothing to report.

Most files are clean: every label resolves, every value is a plain number, no two rows describe
the same fact. For them the row checks of :mod:`dehub.facts.checks` (a typed copy of every row,
then the problems) cost as much again as writing the facts, so this path checks while it writes:

1. from the label maps alone (one row per distinct label): no label failed, the layout fixes the
   geography level, one product level, not both all-partner (``WLD``) rows and rows by country,
   not both port totals and rows by port (:func:`maps_clean`);
2. the view ``clean`` (:func:`prepare`) parses every value by the rules of the row checks; a
   cell that breaks them (a value that is not a plain number, a unit that is not a unit) or a
   row without a value where the layout needs one stops the statement writing the facts with
   :data:`SENTINEL` (DuckDB's ``error()``), and its transaction is rolled back;
3. after the facts are written, over the written rows: no duplicates (rows sharing codes must
   all be written differently: different names of one place or partner, added together), no
   value too large to be finite, one quantity unit per product (:func:`after_write` and the
   loader).

When any of these fails the caller runs the full checks, which name every problem with its line.
This path only decides that a file is clean; it never reports a problem itself. Line numbers are
never shown here, so a CSV's lines need not be counted (see :class:`~dehub.facts.readers.
StagedFile`).
"""

from __future__ import annotations

import duckdb

from dehub.facts.checks import (
    MAPS,
    NUMBER,
    UNIT,
    failed_maps,
    filled_sql,
    geo_level_sql,
    key_space,
    label_joins,
    packed_key,
    row_sql,
)
from dehub.facts.crossrow import duplicate_groups
from dehub.facts.layouts import Normalised
from dehub.facts.sql import literal, scalar

NAME_COLUMNS = ("state_raw", "district_raw", "partner_raw", "port_raw")
"""The name columns of ``norm`` whose spellings may differ for one code."""

SENTINEL = "dehub: this file needs the full row checks"
"""The message of the ``error()`` that stops a statement reading ``clean`` at a broken rule."""


class Recheck(Exception):
    """The file is not clean: run the full checks."""


def is_recheck(exc: duckdb.Error) -> bool:
    """Whether a DuckDB error is the stop of :data:`SENTINEL`."""
    return SENTINEL in str(exc)


_STOP = f"error('{SENTINEL}')"


def maps_clean(con: duckdb.DuckDBPyConnection, norm: Normalised) -> bool:
    """Step 1: what the label maps alone show."""
    if norm.geo_level is None:  # the canonical layout's geo_level column is checked per row
        return False
    if failed_maps(con):
        return False
    row = con.execute("""
        SELECT (SELECT count(DISTINCT product_level) FROM m_product),
               (SELECT bool_or(partner_code = 'WLD') AND bool_or(partner_code <> 'WLD')
                FROM m_partner),
               (SELECT bool_or(port_code IS NULL) AND bool_or(port_code IS NOT NULL) FROM m_port)
    """).fetchone()
    return row is not None and row[0] == 1 and not row[1] and not row[2]


def _value(raw: str, scale: float) -> str:
    """A value cell: NULL when empty, else its plain non-negative number, else stop. The cell
    is matched with its surrounding spaces (as the row checks match it trimmed) and cast as it
    is (the cast ignores them); a number too large to be finite is caught after writing."""
    cell = f"n.{raw}"
    return (
        f"CASE WHEN regexp_full_match({cell}, ' *({NUMBER}) *') "
        f"THEN TRY_CAST({cell} AS DOUBLE) * {scale} "
        f"WHEN NOT {filled_sql(raw)} THEN NULL ELSE {_STOP} END"
    )


_ENUM_CODES = (
    ("period", "mper", "m_period_ids", "period"),
    ("product_code", "mp", "m_product_ids", "product_code"),
    ("partner_code", "mpa", "m_partner_ids", "partner_code"),
    ("unit", "mp", "m_product_ids", "ref_unit"),
)
"""Text columns written as an ENUM of the file's values, with the map (alias, table, column)
that lists them: DuckDB stores a small integer per row instead of a string (several times
cheaper to write), and the ``facts`` view reads them back as text. The unit is one only when it
comes from the ITC-HS reference (the file has no unit column)."""


def prepare(
    con: duckdb.DuckDBPyConnection, norm: Normalised, constants: dict[str, str | None]
) -> list[str]:
    """Step 2: the view ``clean`` (the rows with ``code_key`` and the fact columns), for a file
    whose maps are clean (step 1).
    Run inside the transaction that writes the facts: the ENUM types it creates (whose names it
    returns, to drop once written) go with it."""
    unit = row_sql(norm).unit
    codes = {"period": "n.period", "product_code": "mp.product_code"}
    codes |= {"partner_code": "mpa.partner_code", "unit": unit}
    units_from_reference = norm.unit_from_reference and not scalar(
        con, "SELECT EXISTS (SELECT 1 FROM norm WHERE unit_raw IS NOT NULL)"
    )
    types: list[str] = []
    typed: dict[str, list[str]] = {}
    for column, alias, table, source in _ENUM_CODES:
        if column in constants or (column == "unit" and not units_from_reference):
            continue
        name = f"dehub_enum_{column}"
        con.execute(
            f"CREATE TYPE {name} AS ENUM (SELECT DISTINCT {source} FROM {table} "
            f"WHERE {source} IS NOT NULL ORDER BY 1)"
        )
        types.append(name)
        typed.setdefault(alias, []).append(f"{source}::{name} AS {column}_e")
        codes[column] = f"{alias}.{column}_e"
    tables = {alias: table for _, alias, table, _ in _ENUM_CODES}
    typed_maps = {
        alias: f"(SELECT *, {', '.join(casts)} FROM {tables[alias]})"
        for alias, casts in typed.items()
    }
    # every value parsed: a cell is NULL exactly when it is empty
    no_value = "value_usd IS NULL AND value_inr IS NULL"
    refused = [] if norm.skip_empty_values else [f"{no_value} AND quantity IS NULL"]
    if not norm.quantity_without_value:
        refused.append(f"{no_value} AND quantity IS NOT NULL")
    skipped = f"{no_value} AND quantity IS NULL" if norm.skip_empty_values else "FALSE"
    unit_ok = f"NOT {filled_sql('unit_raw')} OR regexp_full_match(trim(n.unit_raw), '{UNIT}')"
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW clean AS
        SELECT * FROM (
            SELECT {packed_key(con, "cid")} AS code_key,
                   {codes["period"]} AS period, {geo_level_sql(norm)} AS geo_level,
                   ms.state_code, md.district_code, mp.product_level,
                   {codes["product_code"]} AS product_code,
                   {codes["partner_code"]} AS partner_code, mpo.port_code,
                   {_value("usd_raw", norm.usd_scale)} AS value_usd,
                   {_value("inr_raw", norm.inr_scale)} AS value_inr,
                   {_value("qty_raw", 1.0)} AS quantity,
                   CASE WHEN {unit_ok} THEN {codes["unit"]} ELSE {_STOP} END AS unit
            FROM norm n {label_joins(con, relations=typed_maps)})
        WHERE CASE WHEN {" OR ".join(refused) or "FALSE"} THEN {_STOP} ELSE NOT ({skipped}) END
    """)
    return types


_BITMAP_BITS = 1 << 27
"""Largest key space checked with a bitmap (16 MiB per thread) rather than a distinct count."""


def shared_codes(con: duckdb.DuckDBPyConnection, norm: Normalised, written: str) -> bool:
    """Step 3's duplicates: create ``dup_groups`` (see :func:`~dehub.facts.crossrow.
    duplicate_groups`) over ``shared_rows`` (the rows of ``norm`` that may share their codes
    with another: line, period, keys and names), and return whether two of them are written the
    same way (duplicates: the full checks report them). ``written`` holds the ``code_key`` of
    every row written.

    Rather than grouping every row by its codes: a bitmap of the code keys (or a distinct count,
    when the key space is large) counts the rows that share codes, usually none. Rows written
    differently can share codes only through a code that several spellings resolve to (read off
    the label maps); only the rows with such a code are read again and grouped. If they do not
    account for every row that shares codes, the others are written the same way as another."""
    space = key_space(con, "cid")
    distinct = (
        f"bit_count(bitstring_agg(code_key, 0::UBIGINT, {space - 1}::UBIGINT))"
        if space <= _BITMAP_BITS
        else "count(DISTINCT code_key)"
    )
    sharing = int(scalar(con, f"SELECT count(*) - coalesce({distinct}, 0) FROM {written}"))
    spelt, labels = [], []  # the codes that several spellings resolve to, and those spellings
    for m in MAPS:
        codes = ", ".join(
            str(int(c[0]))
            for c in con.execute(
                f"SELECT cid FROM {m.table}_ids GROUP BY cid HAVING count(DISTINCT rid) > 1"
            ).fetchall()
        )
        if not codes:
            continue
        spelt.append(f"{m.alias}.cid IN ({codes})")
        key = m.keys[-1]  # the spellings, read before any join (a superset for 2-column keys)
        names = [r[0] for r in con.execute(
            f"SELECT DISTINCT {key} FROM {m.table}_ids WHERE cid IN ({codes})"
        ).fetchall()]  # fmt: skip
        listed = ", ".join(literal(v) for v in names if v is not None) or "NULL"
        labels.append(f"n.{key} IN ({listed})" + (f" OR n.{key} IS NULL" if None in names else ""))
    where = [" OR ".join(labels) or "false", " OR ".join(spelt) or "false"]
    if norm.skip_empty_values:
        where.append(f"NOT {row_sql(norm).empty}")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE shared_rows AS
        SELECT n._line, n.period, {packed_key(con, "rid")} AS raw_key,
               {packed_key(con, "cid")} AS code_key, {", ".join(f"n.{r}" for r in NAME_COLUMNS)}
        FROM norm n {label_joins(con)}
        WHERE {" AND ".join(f"({w})" for w in where) if sharing else "false"}
    """)
    if duplicate_groups(con, "shared_rows"):
        return True
    return bool(scalar(con, "SELECT coalesce(sum(n - 1), 0) FROM dup_groups") != sharing)


def after_write(con: duckdb.DuckDBPyConnection, norm: Normalised, facts: str) -> None:
    """Step 3 over the written ``facts`` (a SELECT of the release's canonical columns; the
    duplicates are the loader's): raise :class:`Recheck` when a value is too large to be finite
    or a product has more than one unit."""
    if scalar(
        con,
        f"SELECT count(*) FROM ({facts}) WHERE NOT isfinite(value_usd) OR NOT isfinite(value_inr)"
        " OR NOT isfinite(quantity)",
    ):
        raise Recheck
    if not norm.unit_from_reference and scalar(
        con,
        f"SELECT count(*) FROM (SELECT product_code FROM ({facts}) WHERE unit IS NOT NULL "
        "GROUP BY 1 HAVING count(DISTINCT unit) > 1)",
    ):
        raise Recheck
