"""Row checks of a normalised file, set-based in DuckDB.

:func:`check_rows` creates two TEMP tables over the view ``norm``:

- ``checked``: one typed row per (line, period): codes, values, and two flags, ``bad`` (a label or
  a value of the row failed) and ``restored`` (an HS code regained a lost leading zero);
- ``problems``: one row per problem, ``(_line, col, value, message)``, naming the column as the
  file names it.

Cross-row checks then add to ``problems``: one HS level per file, one quantity unit per product,
and no two rows describing the same fact. Rows whose *different* spellings resolve to the same
codes (two former UTs now one, two names of one country) are not duplicates; they are listed in
``merge_lines`` to be added together, and reported.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb

from dehub.facts import resolve
from dehub.facts.layouts import Normalised
from dehub.facts.schema import GEO_LEVELS

KEY = "period, geo_level, state_code, district_code, product_code, partner_code, port_code"
_MAPS = (
    # table, alias, raw key columns, field, raw column shown, code columns
    ("m_state", "ms", ("state_raw",), "state", "state_raw", "state_code, unspecified"),
    (
        "m_district",
        "md",
        ("state_raw", "district_raw"),
        "district",
        "district_raw",
        "state_code, district_code, unspecified",
    ),
    ("m_product", "mp", ("product_raw",), "product", "product_raw", "product_level, product_code"),
    ("m_partner", "mpa", ("partner_raw",), "partner", "partner_raw", "partner_code"),
    ("m_port", "mpo", ("port_raw",), "port", "port_raw", "port_code"),
    ("m_period", "mper", ("period",), "period", "period", "period"),
    ("m_geo", "mg", ("geo_level_raw",), "geo_level", "geo_level_raw", "geo"),
)
"""Label maps: each resolves distinct raw labels to codes. ``rid`` numbers the distinct raw
labels and ``cid`` the distinct codes, so that a row's raw and code identities pack into one
integer each (``raw_key``, ``code_key``) and duplicates are found by grouping one column."""


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    return row[0] if row else None


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _join(con: duckdb.DuckDBPyConnection, alias: str, table: str, keys: tuple[str, ...]) -> str:
    """Join a label map; a map of one row (a column the layout lacks) is a cross join."""
    if _one(con, f"SELECT count(*) FROM {table}_ids") == 1:
        return f"CROSS JOIN {table}_ids {alias}"
    cond = " AND ".join(f"{alias}.{k} IS NOT DISTINCT FROM n.{k}" for k in keys)
    return f"JOIN {table}_ids {alias} ON {cond}"


def _packed(con: duckdb.DuckDBPyConnection, column: str) -> str:
    """SQL packing the maps' ``rid`` or ``cid`` of a row into one integer (UBIGINT when the
    product of the maps' sizes fits in 64 bits, else HUGEINT)."""
    sizes = [int(_one(con, f"SELECT max({column}) + 1 FROM {table}_ids")) for table, *_ in _MAPS]
    kind = "UBIGINT" if math.prod(sizes) < 2**63 else "HUGEINT"
    expr = f"0::{kind}"
    for (_, alias, *_rest), size in zip(_MAPS, sizes, strict=True):
        expr = f"({expr} * {size} + {alias}.{column})"
    return expr


def _geo_level_sql(norm: Normalised) -> str:
    if norm.geo_level == "district":
        return "CASE WHEN md.unspecified OR ms.unspecified THEN 'unattributed' ELSE 'district' END"
    if norm.geo_level == "state":
        return "CASE WHEN ms.unspecified THEN 'unattributed' ELSE 'state' END"
    if norm.geo_level == "national":
        return "'national'"
    return (
        "CASE WHEN lower(trim(n.geo_level_raw)) = 'district' AND md.unspecified "
        "THEN 'unattributed' ELSE lower(trim(n.geo_level_raw)) END"
    )


def _value_bad(raw: str, typed: str) -> str:
    return (
        f"(coalesce(trim(n.{raw}), '') <> '' AND ({typed} IS NULL OR NOT isfinite({typed})"
        f" OR {typed} < 0))"
    )


def build_maps(con: duckdb.DuckDBPyConnection, norm: Normalised) -> None:
    """Resolve the distinct labels of ``norm`` (see :mod:`dehub.facts.resolve`)."""
    resolve.build_product_map(con, "norm", norm.product_kind)
    resolve.build_partner_map(con, "norm")
    resolve.build_port_map(con, "norm")
    resolve.build_state_map(con, "norm", required=norm.geo_level in ("state", "district"))
    resolve.build_district_map(con, "norm", required=norm.geo_level == "district")
    if norm.periods:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE m_period AS "
            "SELECT DISTINCT period, NULL::VARCHAR AS problem FROM norm"
        )
    else:
        resolve.build_period_map(con, "norm")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE m_geo AS SELECT DISTINCT geo_level_raw, "
        "lower(trim(geo_level_raw)) AS geo, NULL::VARCHAR AS problem FROM norm"
    )
    for table, *_, codes in _MAPS:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table}_ids AS SELECT *, "
            f"row_number() OVER () AS rid, dense_rank() OVER (ORDER BY {codes}) AS cid "
            f"FROM {table}"
        )


def check_rows(con: duckdb.DuckDBPyConnection, norm: Normalised) -> int:
    """Create ``checked`` and ``problems``; return how many empty period cells were skipped."""
    build_maps(con, norm)
    unit_sql = "coalesce(n.unit_raw, i.unit)" if norm.unit_from_reference else "n.unit_raw"
    unit_join = (
        "LEFT JOIN ref_itchs8 i ON i.hs8 = mp.product_code" if norm.unit_from_reference else ""
    )
    empty = (
        "coalesce(trim(n.usd_raw), '') = '' AND coalesce(trim(n.inr_raw), '') = '' "
        "AND coalesce(trim(n.qty_raw), '') = ''"
    )
    usd = f"TRY_CAST(n.usd_raw AS DOUBLE) * {norm.usd_scale}"
    inr = f"TRY_CAST(n.inr_raw AS DOUBLE) * {norm.inr_scale}"
    qty = "TRY_CAST(n.qty_raw AS DOUBLE)"
    failing = [
        alias
        for table, alias, *_ in _MAPS
        if _one(con, f"SELECT count(*) FROM {table} WHERE problem IS NOT NULL")
    ]
    label_bad = " OR ".join(f"{alias}.problem IS NOT NULL" for alias in failing) or "FALSE"
    value_bad = " OR ".join(
        [
            _value_bad("usd_raw", usd),
            _value_bad("inr_raw", inr),
            _value_bad("qty_raw", qty),
            f"({empty})",
        ]
    )
    joins = "\n".join(_join(con, alias, table, keys) for table, alias, keys, *_ in _MAPS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE checked AS
        SELECT n._line, n.period, {_geo_level_sql(norm)} AS geo_level,
               ms.state_code, md.district_code, mp.product_level, mp.product_code,
               mpa.partner_code, mpo.port_code, {usd} AS value_usd, {inr} AS value_inr,
               {qty} AS quantity, {unit_sql} AS unit,
               ({label_bad}) OR ({value_bad}) AS bad, mp.restored,
               {_packed(con, "rid")} AS raw_key, {_packed(con, "cid")} AS code_key
        FROM norm n {joins} {unit_join}
        {f"WHERE NOT ({empty})" if norm.skip_empty_values else ""}
    """)
    skipped = (
        int(_one(con, f"SELECT count(*) FROM norm n WHERE {empty}"))
        if norm.skip_empty_values
        else 0
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE problems "
        "(_line BIGINT, col VARCHAR, value VARCHAR, message VARCHAR)"
    )
    _label_problems(con, norm)
    if _one(con, "SELECT bool_or(bad) FROM checked"):
        _value_problems(con, norm, empty)
    _cross_row_checks(con, norm)
    return skipped


def _label_problems(con: duckdb.DuckDBPyConnection, norm: Normalised) -> None:
    """One problem per row whose label failed to resolve (maps with problems are tiny)."""
    for table, alias, keys, field, raw, _ in _MAPS:
        if not _one(con, f"SELECT count(*) FROM {table} WHERE problem IS NOT NULL"):
            continue
        column = _lit(norm.fields.get(field) or field)
        con.execute(f"""
            INSERT INTO problems
            SELECT n._line, {column}, n.{raw}, {alias}.problem
            FROM norm n JOIN (SELECT * FROM {table} WHERE problem IS NOT NULL) {alias}
                 ON {" AND ".join(f"{alias}.{k} IS NOT DISTINCT FROM n.{k}" for k in keys)}
        """)
    if norm.geo_level is None:  # canonical: the geo_level column decides what is required
        state_col = _lit(norm.fields.get("state") or "state")
        district_col = _lit(norm.fields.get("district") or "district")
        con.execute(f"""
            INSERT INTO problems
            SELECT _line, 'geo_level', geo_level, 'expected one of {", ".join(GEO_LEVELS)}'
            FROM checked WHERE geo_level IS NULL OR geo_level NOT IN {GEO_LEVELS}
            UNION ALL
            SELECT _line, {state_col}, NULL, 'a ' || geo_level || ' row needs a state'
            FROM checked WHERE geo_level IN ('state', 'district') AND state_code IS NULL
                  AND _line NOT IN (SELECT _line FROM problems)
            UNION ALL
            SELECT _line, {district_col}, NULL, 'a district row needs a district'
            FROM checked WHERE geo_level = 'district' AND district_code IS NULL
                  AND _line NOT IN (SELECT _line FROM problems)
        """)


def _value_problems(con: duckdb.DuckDBPyConnection, norm: Normalised, empty: str) -> None:
    """Problems of value cells: not a number, not finite, negative, or every value empty."""
    for raw, col, scale in (
        ("usd_raw", "usd_col", norm.usd_scale),
        ("inr_raw", "inr_col", norm.inr_scale),
        ("qty_raw", "qty_col", 1.0),
    ):
        typed = f"TRY_CAST(n.{raw} AS DOUBLE) * {scale}"
        con.execute(f"""
            INSERT INTO problems
            SELECT n._line, n.{col}, n.{raw},
                   CASE WHEN {typed} IS NULL THEN 'expected a number such as 1234.5 (no '
                             || 'thousands separators or currency signs)'
                        WHEN NOT isfinite({typed}) THEN 'expected a finite number'
                        ELSE 'expected a value of zero or more' END
            FROM norm n WHERE {_value_bad(raw, typed)}
        """)
    if not norm.skip_empty_values:
        con.execute(f"""
            INSERT INTO problems
            SELECT n._line, coalesce(n.usd_col, n.inr_col, 'value'), NULL,
                   'no value: every value cell of the row is empty'
            FROM norm n WHERE {empty}
        """)


def _cross_row_checks(con: duckdb.DuckDBPyConnection, norm: Normalised) -> None:
    """One HS level per file, one unit per product, no duplicate facts (see module docstring)."""
    ok = "NOT bad"
    product_col = _lit(norm.fields.get("product") or "product")
    levels = con.execute(
        f"SELECT product_level, count(*) AS n FROM checked WHERE {ok} AND product_level LIKE 'HS%'"
        " GROUP BY ALL ORDER BY n DESC, product_level"
    ).fetchall()
    if len(levels) > 1:
        main, n_main = levels[0]
        con.execute(f"""
            INSERT INTO problems
            SELECT n._line, {product_col}, n.product_raw,
                   'HS code at ' || substr(c.product_level, 3) || ' digits, but this file''s '
                   || 'codes are at {main[2:]} digits ({n_main} rows); a file must use one HS '
                   || 'level (mixed levels would be double counted)'
            FROM checked c JOIN norm n USING (_line, period)
            WHERE {ok} AND c.product_level LIKE 'HS%' AND c.product_level <> '{main}'
        """)
    if norm.unit_from_reference:  # one ITC-HS unit per code: units cannot be mixed
        _duplicate_checks(con, ok)
        return
    unit_col = _lit(norm.fields.get("unit") or "unit")
    con.execute(f"""
        INSERT INTO problems
        WITH mixed AS (
            SELECT product_code, string_agg(DISTINCT unit, ', ' ORDER BY unit) AS units
            FROM checked WHERE {ok} AND unit IS NOT NULL
            GROUP BY product_code HAVING count(DISTINCT unit) > 1)
        SELECT c._line, {unit_col}, c.unit,
               'mixed units for product ' || c.product_code || ' in this file (' || m.units ||
               '); quantities in different units cannot be added'
        FROM checked c JOIN mixed m USING (product_code) WHERE {ok}
    """)
    _duplicate_checks(con, ok)


def _duplicate_checks(con: duckdb.DuckDBPyConnection, ok: str) -> None:
    """Same codes twice: group one packed integer; the details are computed on those rows only."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE dup_groups AS
        WITH k AS (SELECT code_key FROM checked WHERE {ok} GROUP BY 1 HAVING count(*) > 1)
        SELECT code_key, list(_line ORDER BY _line) AS lines, list(period) AS periods,
               count(*) AS n, count(DISTINCT raw_key) AS n_raw
        FROM checked SEMI JOIN k USING (code_key) WHERE {ok} GROUP BY code_key
    """)
    con.execute("""
        INSERT INTO problems
        SELECT l, 'row', NULL,
               'duplicate row: lines ' || array_to_string(g.lines[1:5], ', ') ||
               CASE WHEN len(g.lines) > 5 THEN ', ...' ELSE '' END ||
               ' describe the same fact (same place, product, partner, port and period)'
        FROM dup_groups g, unnest(g.lines) AS u(l) WHERE g.n_raw < g.n
    """)
