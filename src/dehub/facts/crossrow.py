"""Checks across the rows of a file, over the ``checked`` table (see :mod:`dehub.facts.checks`).

Each adds to ``problems`` the rows that would be double counted or cannot be added:

- product levels: one HS level per file; and one product level (``TOTAL``, sectors or HS codes)
  per geography level (district rows, with those not attributed to a district; state rows;
  national rows);
- partners: rows for all partners (``WLD``) never beside rows by country for the same place,
  product and period;
- ports: rows without a port (the total over ports) never beside rows by port for the same
  place, product, partner and period;
- one quantity unit per product;
- no two rows describing the same fact (``dup_groups``; rows whose different names resolve to
  the same codes are kept there with ``n_raw = n``, to be added together).

Only rows that passed the row checks (``NOT bad``) take part.
"""

from __future__ import annotations

import duckdb

from dehub.facts.layouts import Normalised
from dehub.facts.sql import literal, scalar

OK = "NOT bad"
_GEO_GROUP = "CASE WHEN geo_level = 'unattributed' THEN 'district' ELSE geo_level END"
_PRODUCT_CLASS = "CASE WHEN product_level LIKE 'HS%' THEN 'HS' ELSE product_level END"
_PLACE = ("period", "geo_level", "state_code", "district_code", "product_code")


def _column(norm: Normalised, field: str) -> str:
    return literal(norm.fields.get(field) or field)


def cross_row_checks(con: duckdb.DuckDBPyConnection, norm: Normalised) -> None:
    """Add the cross-row problems (see the module docstring) to ``problems``."""
    row = con.execute(f"""
        SELECT count(DISTINCT product_level) FILTER (product_level LIKE 'HS%'),
               count(DISTINCT {_PRODUCT_CLASS}) > 1,
               bool_or(partner_code = 'WLD') AND bool_or(partner_code <> 'WLD'),
               bool_or(port_code IS NULL) AND bool_or(port_code IS NOT NULL)
        FROM checked WHERE {OK}
    """).fetchone()
    hs_levels, classes_mixed, partners_mixed, ports_mixed = row if row else (0, False, False, False)
    if hs_levels and hs_levels > 1:
        _mixed_hs_levels(con, norm)
    if classes_mixed:
        _mixed_product_levels(con, norm)
    if partners_mixed:
        _world_beside_countries(con, norm)
    if ports_mixed:
        _port_total_beside_ports(con, norm)
    if not norm.unit_from_reference:  # one ITC-HS unit per code: units cannot be mixed
        _mixed_units(con, norm)
    _duplicates(con)


def _mixed_hs_levels(con: duckdb.DuckDBPyConnection, norm: Normalised) -> None:
    """HS codes at the file's main HS level only (the level of most rows)."""
    main, n_main = con.execute(
        f"SELECT product_level, count(*) AS n FROM checked WHERE {OK} AND product_level LIKE 'HS%'"
        " GROUP BY ALL ORDER BY n DESC, product_level LIMIT 1"
    ).fetchone() or ("", 0)
    con.execute(f"""
        INSERT INTO problems
        SELECT n._line, {_column(norm, "product")}, n.product_raw,
               'HS code at ' || substr(c.product_level, 3) || ' digits, but this file''s '
               || 'codes are at {main[2:]} digits ({n_main} rows); a file must use one HS '
               || 'level (mixed levels would be double counted)'
        FROM checked c JOIN norm n USING (_line, period)
        WHERE {OK} AND c.product_level LIKE 'HS%' AND c.product_level <> '{main}'
    """)


def _mixed_product_levels(con: duckdb.DuckDBPyConnection, norm: Normalised) -> None:
    """A TOTAL, sectors or HS codes: one of them per geography level (that of most rows)."""
    one = "CASE {} WHEN 'total' THEN 'a TOTAL row' WHEN 'sector' THEN 'a sector' "
    one += "ELSE 'an HS code' END"
    many = "CASE {} WHEN 'total' THEN 'TOTAL rows' WHEN 'sector' THEN 'sectors' "
    many += "ELSE 'HS codes' END"
    con.execute(f"""
        INSERT INTO problems
        WITH c AS (SELECT _line, period, {_GEO_GROUP} AS geo, {_PRODUCT_CLASS} AS cls
                   FROM checked WHERE {OK}),
        k AS (SELECT geo, cls, count(*) AS n FROM c GROUP BY ALL),
        main AS (SELECT geo, first(cls ORDER BY n DESC, cls) AS cls, max(n) AS n
                 FROM k GROUP BY geo HAVING count(*) > 1)
        SELECT c._line, {_column(norm, "product")}, n.product_raw,
               {one.format("c.cls")} || ', but this file''s ' || c.geo || ' rows are '
               || {many.format("m.cls")} || ' (' || m.n || ' rows); a file holds one product '
               || 'level per geography level (a TOTAL, sectors and HS codes of one place '
               || 'would be double counted)'
        FROM c JOIN main m USING (geo) JOIN norm n ON n._line = c._line AND n.period = c.period
        WHERE c.cls <> m.cls
    """)


def _beside(
    con: duckdb.DuckDBPyConnection,
    keys: tuple[str, ...],
    flagged: str,
    column: str,
    raw: str,
    message: tuple[str, str],
) -> None:
    """Report the rows matching ``flagged`` in groups of ``keys`` that also hold rows not
    matching it; an example line of the others goes between the two parts of ``message``."""
    same = " AND ".join(f"c.{k} IS NOT DISTINCT FROM g.{k}" for k in keys)
    before, after = (literal(part) for part in message)
    con.execute(f"""
        INSERT INTO problems
        WITH g AS (SELECT {", ".join(keys)}, min(_line) FILTER (NOT ({flagged})) AS example
                   FROM checked WHERE {OK} GROUP BY ALL
                   HAVING bool_or({flagged}) AND bool_or(NOT ({flagged})))
        SELECT c._line, {column}, n.{raw},
               {before} || ' (e.g. line ' || g.example || '): ' || {after}
        FROM checked c JOIN g ON {same} JOIN norm n ON n._line = c._line AND n.period = c.period
        WHERE {OK} AND c.{flagged}
    """)


def _world_beside_countries(con: duckdb.DuckDBPyConnection, norm: Normalised) -> None:
    _beside(
        con,
        _PLACE,
        "partner_code = 'WLD'",
        _column(norm, "partner"),
        "partner_raw",
        (
            "all partners (WLD) beside rows by country for the same place, product and period",
            "they would be double counted; a file holds either totals over all partners or "
            "rows by country, not both",
        ),
    )


def _port_total_beside_ports(con: duckdb.DuckDBPyConnection, norm: Normalised) -> None:
    _beside(
        con,
        (*_PLACE, "partner_code"),
        "port_code IS NULL",
        _column(norm, "port"),
        "port_raw",
        (
            "no port (a total over ports) beside rows by port for the same place, product, "
            "partner and period",
            "they would be double counted; a file holds either totals over ports or rows by "
            "port, not both",
        ),
    )


def _mixed_units(con: duckdb.DuckDBPyConnection, norm: Normalised) -> None:
    con.execute(f"""
        INSERT INTO problems
        WITH mixed AS (
            SELECT product_code, string_agg(DISTINCT unit, ', ' ORDER BY unit) AS units
            FROM checked WHERE {OK} AND unit IS NOT NULL
            GROUP BY product_code HAVING count(DISTINCT unit) > 1)
        SELECT c._line, {_column(norm, "unit")}, c.unit,
               'mixed units for product ' || c.product_code || ' in this file (' || m.units ||
               '); quantities in different units cannot be added'
        FROM checked c JOIN mixed m USING (product_code) WHERE {OK}
    """)


_LISTED_LINES = 10_000
"""Up to this many lines are named in the SQL, which lets DuckDB read only them."""


def _lines_filter(lines: list[int]) -> str:
    """A WHERE clause keeping the rows on ``lines`` when they are few enough to name (DuckDB
    then skips the other row groups by their line statistics), else nothing."""
    if not lines or len(lines) > _LISTED_LINES:
        return ""
    return f"WHERE _line IN ({', '.join(str(int(line)) for line in sorted(set(lines)))})"


def duplicate_groups(con: duckdb.DuckDBPyConnection, rows: str) -> bool:
    """Create ``dup_groups`` from ``rows`` (a table or parenthesised query with ``_line``,
    ``period``, ``raw_key`` and ``code_key``): one row per group of rows with the same codes,
    with their ``lines`` and ``periods``, ``n`` rows and ``n_raw`` ways of writing them. Rows
    written the same way (``raw_key``) are duplicates; rows whose names all differ are different
    names of one place or partner (added together by the loader). Return whether any group holds
    a duplicate.

    One grouping of the packed codes finds the groups and their first and last lines; the
    details are then read from the rows of those lines only (from every row when a group has
    more than two rows, or the lines are many)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE dup_pairs AS
        SELECT code_key, count(*) AS n, min(_line) AS l1, max(_line) AS l2
        FROM {rows} GROUP BY code_key HAVING count(*) > 1
    """)
    found = con.execute("SELECT count(*), max(n) FROM dup_pairs").fetchone()
    if not found or not found[0]:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE dup_groups (code_key HUGEINT, lines BIGINT[], "
            "periods VARCHAR[], n BIGINT, n_raw BIGINT)"
        )
        return False
    lines = [] if found[1] > 2 else [
        int(line) for pair in con.execute("SELECT l1, l2 FROM dup_pairs").fetchall()
        for line in pair
    ]  # fmt: skip
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE dup_groups AS
        SELECT code_key, list(_line ORDER BY _line, period) AS lines,
               list(period ORDER BY _line, period) AS periods,
               count(*) AS n, count(DISTINCT raw_key) AS n_raw
        FROM (SELECT * FROM {rows} {_lines_filter(lines)}) SEMI JOIN dup_pairs USING (code_key)
        GROUP BY code_key
    """)
    return bool(scalar(con, "SELECT count(*) FROM dup_groups WHERE n_raw < n"))


def _duplicates(con: duckdb.DuckDBPyConnection) -> None:
    """Report the duplicates of :func:`duplicate_groups` over the rows that passed."""
    if not duplicate_groups(con, f"(SELECT * FROM checked WHERE {OK})"):
        return
    con.execute("""
        INSERT INTO problems
        SELECT l, 'row', NULL,
               'duplicate row: lines ' || array_to_string(g.lines[1:5], ', ') ||
               CASE WHEN len(g.lines) > 5 THEN ', ...' ELSE '' END ||
               ' describe the same fact (same place, product, partner, port and period; names '
               || 'are compared ignoring case, spaces and punctuation, HS codes ignoring dots '
               || 'and a lost leading zero)'
        FROM dup_groups g, unnest(g.lines) AS u(l) WHERE g.n_raw < g.n
    """)
