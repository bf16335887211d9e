"""Row checks of a normalised file, set-based in DuckDB.

:func:`check_rows` creates two TEMP tables over the view ``norm``:

- ``checked``: one typed row per (line, period): codes, values, and two flags, ``bad`` (a label,
  a value or the unit of the row failed) and ``restored`` (an HS code regained a lost leading
  zero);
- ``problems``: one row per (line, column, problem), ``(_line, col, value, message)``, naming the
  column as the file names it (a problem of a wide file's row is reported once, not once per
  period).

Cross-row checks (:mod:`dehub.facts.crossrow`) then add to ``problems``. Rows whose *different*
names resolve to the same codes (two former UTs now one, two names of one country) are not
duplicates: ``dup_groups`` lists them with ``n_raw = n`` and the loader adds them together, and
reports it. Names that differ only in case, spaces or punctuation, and HS codes that differ only
in dots, spaces or a lost leading zero, are the same name: such rows are duplicates.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import duckdb

from dehub.facts import resolve
from dehub.facts.crossrow import cross_row_checks
from dehub.facts.layouts import Normalised
from dehub.facts.schema import GEO_LEVELS
from dehub.facts.sql import literal, scalar
from dehub.reference.names import name_key_sql


class LabelMap(NamedTuple):
    """A map resolving the distinct raw labels of some columns of ``norm`` to codes."""

    table: str
    alias: str
    keys: tuple[str, ...]
    """The raw columns of ``norm`` it is keyed by."""
    field: str
    """The standard field (for the file's column name in messages)."""
    raw: str
    """The raw column shown in messages."""
    codes: str
    """The code columns: rows with equal codes describe the same fact."""
    identity: str
    """The raw label as a name: rows with equal identities were written the same way."""


MAPS = (
    LabelMap(
        "m_state",
        "ms",
        ("state_raw",),
        "state",
        "state_raw",
        "state_code, unspecified",
        name_key_sql("state_raw"),
    ),
    LabelMap(
        "m_district",
        "md",
        ("state_raw", "district_raw"),
        "district",
        "district_raw",
        "state_code, district_code, unspecified",
        f"{name_key_sql('state_raw')}, {name_key_sql('district_raw')}",
    ),
    LabelMap(
        "m_product",
        "mp",
        ("product_raw",),
        "product",
        "product_raw",
        "product_level, product_code",
        "product_level, product_code",
    ),
    LabelMap(
        "m_partner",
        "mpa",
        ("partner_raw",),
        "partner",
        "partner_raw",
        "partner_code",
        name_key_sql("partner_raw"),
    ),
    LabelMap("m_port", "mpo", ("port_raw",), "port", "port_raw", "port_code", "port_code"),
    LabelMap("m_period", "mper", ("period",), "period", "period", "period", "period"),
    LabelMap("m_geo", "mg", ("geo_level_raw",), "geo_level", "geo_level_raw", "geo", "geo"),
)
"""Label maps. ``rid`` numbers the distinct raw identities and ``cid`` the distinct codes, so that
a row's raw and code identities pack into one integer each (``raw_key``, ``code_key``) and
duplicates are found by grouping one column. A product's identity is its code: HS codes are
written in one way only once dots, spaces and lost leading zeros are set aside."""

NUMBER = r"[0-9]+(\.[0-9]+)?|\.[0-9]+"
"""A value or quantity cell: digits and at most one decimal point. No sign (a minus is refused
as negative), exponent, thousands separator, currency or inner space."""
_NOT_FINITE = ("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity")
UNIT = "[A-Za-z0-9][A-Za-z0-9 ./%()-]{0,29}"
"""A unit of quantity cell (``KGS``, ``NOS``, ``1000 NOS``...): never formula-like."""


def _join(con: duckdb.DuckDBPyConnection, m: LabelMap, relation: str | None = None) -> str:
    """Join a label map (or ``relation``, a query over it); a map of one row (a column the
    layout lacks) is a cross join."""
    source = relation or f"{m.table}_ids"
    if scalar(con, f"SELECT count(*) FROM {m.table}_ids") == 1:
        return f"CROSS JOIN {source} {m.alias}"
    cond = " AND ".join(f"{m.alias}.{k} IS NOT DISTINCT FROM n.{k}" for k in m.keys)
    return f"JOIN {source} {m.alias} ON {cond}"


def label_joins(
    con: duckdb.DuckDBPyConnection,
    only: tuple[str, ...] | None = None,
    relations: dict[str, str] | None = None,
) -> str:
    """The joins of ``norm n`` to every label map (aliases as in :data:`MAPS`), or to those
    whose alias is in ``only``; ``relations`` replaces a map by a query over it, by alias.
    Every row of ``norm`` has one row in each map."""
    over = relations or {}
    return "\n".join(
        _join(con, m, over.get(m.alias)) for m in MAPS if only is None or m.alias in only
    )


def key_terms(con: duckdb.DuckDBPyConnection, column: str) -> list[tuple[LabelMap, int, int]]:
    """The maps that make up the packed ``rid`` or ``cid`` key, with their size and stride (the
    key is the sum of ``id * stride``); maps of one value add nothing and are left out."""
    found = dict(
        con.execute(
            " UNION ALL ".join(
                f"SELECT {i} AS i, max({column}) + 1 FROM {m.table}_ids" for i, m in enumerate(MAPS)
            )
        ).fetchall()
    )
    sizes = [int(found[i]) for i in range(len(MAPS))]
    terms = []
    stride = 1
    for m, size in reversed(list(zip(MAPS, sizes, strict=True))):
        if size > 1:
            terms.append((m, size, stride))
            stride *= size
    return terms[::-1]


def key_space(con: duckdb.DuckDBPyConnection, column: str) -> int:
    """How many values the packed ``rid`` or ``cid`` key can take."""
    return math.prod(size for _, size, _ in key_terms(con, column))


def packed_key(con: duckdb.DuckDBPyConnection, column: str) -> str:
    """SQL packing the maps' ``rid`` or ``cid`` (0-based) of a row into one integer, in mixed
    radix (:func:`key_terms`; UBIGINT when the key space fits in 63 bits, else HUGEINT)."""
    kind = "UBIGINT" if key_space(con, column) < 2**63 else "HUGEINT"
    parts = [f"{m.alias}.{column}::{kind} * {stride}" for m, _, stride in key_terms(con, column)]
    return "(" + (" + ".join(parts) or "0") + f")::{kind}"


def geo_level_sql(norm: Normalised) -> str:
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


def filled_sql(raw: str) -> str:
    return f"(coalesce(trim(n.{raw}), '') <> '')"


def _typed(raw: str, scale: float) -> str:
    """The number in a cell (NULL unless it is digits with at most one decimal point)."""
    return (
        f"(TRY_CAST(CASE WHEN regexp_full_match(trim(n.{raw}), '{NUMBER}') THEN trim(n.{raw}) "
        f"END AS DOUBLE) * {scale})"
    )


def _value_bad(raw: str, typed: str) -> str:
    """A filled cell whose number (``typed``) is missing or not finite."""
    return f"({filled_sql(raw)} AND ({typed} IS NULL OR NOT isfinite({typed})))"


UNIT_BAD = f"({filled_sql('unit_raw')} AND NOT regexp_full_match(trim(n.unit_raw), '{UNIT}'))"


def build_maps(con: duckdb.DuckDBPyConnection, norm: Normalised) -> int:
    """Resolve the distinct labels of ``norm`` (see :mod:`dehub.facts.resolve`); return how many
    port labels are not in the reference list."""
    resolve.build_product_map(con, "norm", norm.product_kind)
    resolve.build_partner_map(con, "norm")
    unknown_ports = resolve.build_port_map(con, "norm")
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
    for m in MAPS:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {m.table}_ids AS SELECT *, "
            f"(dense_rank() OVER (ORDER BY {m.identity}) - 1)::UBIGINT AS rid, "
            f"(dense_rank() OVER (ORDER BY {m.codes}) - 1)::UBIGINT AS cid FROM {m.table}"
        )
    # the ITC-HS unit of each product, for layouts without a unit column
    con.execute(
        "CREATE OR REPLACE TEMP TABLE m_product_ids AS SELECT m.*, i.unit AS ref_unit "
        "FROM m_product_ids m LEFT JOIN ref_itchs8 i ON i.hs8 = m.product_code"
    )
    return unknown_ports


_MAP_CODES = (
    ("period", "m_period"),
    ("state_code", "m_state"),
    ("district_code", "m_district"),
    ("product_level", "m_product"),
    ("product_code", "m_product"),
    ("partner_code", "m_partner"),
    ("port_code", "m_port"),
)


def constant_columns(con: duckdb.DuckDBPyConnection, norm: Normalised) -> dict[str, str | None]:
    """The fact columns with one value for every row of the file, read off the label maps
    (built by :func:`build_maps`): a map whose labels all resolve to one code gives that code to
    every row. A label that failed to resolve (NULL code) counts as a value of its own. Value,
    quantity and unit columns are constant (empty) when no cell of the file fills them."""
    constants: dict[str, str | None] = {}
    if norm.geo_level == "national":
        constants["geo_level"] = "national"
    for column, table in _MAP_CODES:
        row = con.execute(
            f"SELECT count(DISTINCT {column}) + (count(*) > count({column}))::INTEGER, "
            f"any_value({column}) FROM {table}"
        ).fetchone()
        if row is not None and row[0] == 1:
            constants[column] = row[1]
    # a value (or unit) column the file does not fill at all is empty in every fact
    raw = {"value_usd": "usd_raw", "value_inr": "inr_raw", "quantity": "qty_raw"}
    if not norm.unit_from_reference:
        raw["unit"] = "unit_raw"
    filled = con.execute(  # each stops at the first filled cell
        "SELECT "
        + ", ".join(f"EXISTS (SELECT 1 FROM norm WHERE {r} IS NOT NULL)" for r in raw.values())
    ).fetchone()
    constants |= {c: None for c, f in zip(raw, filled or (), strict=True) if not f}
    return constants


class RowSql(NamedTuple):
    """SQL over a row ``n`` of ``norm`` joined to the label maps, shared by the row checks and
    :mod:`dehub.facts.single_pass`."""

    unit: str
    """The unit of quantity (from the ITC-HS reference where the layout has none)."""
    empty: str
    """Every value cell of the row is empty."""
    quantity_only: str
    """A quantity but no value."""


def row_sql(norm: Normalised) -> RowSql:
    no_value = f"NOT {filled_sql('usd_raw')} AND NOT {filled_sql('inr_raw')}"
    return RowSql(
        "coalesce(n.unit_raw, mp.ref_unit)" if norm.unit_from_reference else "n.unit_raw",
        f"({no_value} AND NOT {filled_sql('qty_raw')})",
        f"({no_value} AND {filled_sql('qty_raw')})",
    )


def skipped_cells(con: duckdb.DuckDBPyConnection, norm: Normalised) -> int:
    """Period cells of a wide file with no value at all (skipped, not refused)."""
    if not norm.skip_empty_values:
        return 0
    return int(scalar(con, f"SELECT count(*) FROM norm n WHERE {row_sql(norm).empty}"))


def failed_maps(con: duckdb.DuckDBPyConnection) -> list[LabelMap]:
    """The label maps (built by :func:`build_maps`) with a label that failed to resolve, in one
    query over the small map tables."""
    counts = con.execute(
        " UNION ALL ".join(
            f"SELECT {i}, count(*) FROM {m.table} WHERE problem IS NOT NULL"
            for i, m in enumerate(MAPS)
        )
    ).fetchall()
    return [MAPS[i] for i, n in sorted(counts) if n]


def check_rows(con: duckdb.DuckDBPyConnection, norm: Normalised) -> None:
    """Create ``checked`` and ``problems`` (see the module docstring) over ``norm`` and the
    label maps of :func:`build_maps`."""
    unit_sql, empty, quantity_only = row_sql(norm)
    failing = failed_maps(con)
    label_bad = " OR ".join(f"{m.alias}.problem IS NOT NULL" for m in failing) or "FALSE"
    value_bad = " OR ".join(
        [
            _value_bad("usd_raw", "n.value_usd"),
            _value_bad("inr_raw", "n.value_inr"),
            _value_bad("qty_raw", "n.quantity"),
            UNIT_BAD,
            empty,
            "FALSE" if norm.quantity_without_value else quantity_only,
        ]
    )
    joins = label_joins(con)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE checked AS
        SELECT n._line, n.period, {geo_level_sql(norm)} AS geo_level,
               ms.state_code, md.district_code, mp.product_level, mp.product_code,
               mpa.partner_code, mpo.port_code, n.value_usd, n.value_inr, n.quantity,
               {unit_sql} AS unit, ({label_bad}) OR ({value_bad}) AS bad, mp.restored,
               {packed_key(con, "rid")} AS raw_key, {packed_key(con, "cid")} AS code_key
        FROM (SELECT *, {_typed("usd_raw", norm.usd_scale)} AS value_usd,
                     {_typed("inr_raw", norm.inr_scale)} AS value_inr,
                     {_typed("qty_raw", 1.0)} AS quantity FROM norm n) n
             {joins}
        {f"WHERE NOT {empty}" if norm.skip_empty_values else ""}
    """)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE problems "
        "(_line BIGINT, col VARCHAR, value VARCHAR, message VARCHAR)"
    )
    _label_problems(con, norm, failing)
    if scalar(con, "SELECT bool_or(bad) FROM checked"):
        _value_problems(con, norm, empty, quantity_only)
    cross_row_checks(con, norm)
    # a wide file's row is normalised once per period: report each problem once
    con.execute("CREATE OR REPLACE TEMP TABLE problems AS SELECT DISTINCT * FROM problems")


def _label_problems(
    con: duckdb.DuckDBPyConnection, norm: Normalised, failing: list[LabelMap]
) -> None:
    """One problem per row whose label failed to resolve, over the ``failing`` maps (maps with
    problems are tiny)."""
    for m in failing:
        column = literal(norm.fields.get(m.field) or m.field)
        con.execute(f"""
            INSERT INTO problems
            SELECT DISTINCT n._line, {column}, n.{m.raw}, {m.alias}.problem
            FROM norm n JOIN (SELECT * FROM {m.table} WHERE problem IS NOT NULL) {m.alias}
                 ON {" AND ".join(f"{m.alias}.{k} IS NOT DISTINCT FROM n.{k}" for k in m.keys)}
        """)
    if norm.geo_level is None:  # canonical: the geo_level column decides what is required
        state_col = literal(norm.fields.get("state") or "state")
        district_col = literal(norm.fields.get("district") or "district")
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


def _value_problems(
    con: duckdb.DuckDBPyConnection, norm: Normalised, empty: str, quantity_only: str
) -> None:
    """Problems of value cells (not a plain number, not finite, negative), of the unit, and of
    rows with no value (every cell empty, or only a quantity)."""
    for raw, col, scale in (
        ("usd_raw", "usd_col", norm.usd_scale),
        ("inr_raw", "inr_col", norm.inr_scale),
        ("qty_raw", "qty_col", 1.0),
    ):
        cell = f"trim(n.{raw})"
        con.execute(f"""
            INSERT INTO problems
            SELECT n._line, n.{col}, n.{raw},
                   CASE WHEN regexp_full_match({cell}, '-({NUMBER})') THEN
                             'expected a value of zero or more (negative values are refused)'
                        WHEN lower({cell}) IN {_NOT_FINITE} THEN 'expected a finite number'
                        WHEN regexp_full_match({cell}, '{NUMBER}') THEN
                             'expected a finite number (too large)'
                        ELSE 'expected a number such as 1234.5: digits and at most one decimal '
                             || 'point (no thousands separators, signs, exponents, spaces or '
                             || 'currency)' END
            FROM norm n WHERE {_value_bad(raw, _typed(raw, scale))}
        """)
    unit_col = literal(norm.fields.get("unit") or "unit")
    con.execute(f"""
        INSERT INTO problems
        SELECT n._line, {unit_col}, n.unit_raw,
               CASE WHEN left(ltrim(n.unit_raw), 1) IN ('=', '+', '-', '@') THEN 'starts with '
                         || left(ltrim(n.unit_raw), 1) || ' like a spreadsheet formula; refused'
                    ELSE 'expected a unit of quantity such as KGS, NOS or SQM' END
        FROM norm n WHERE {UNIT_BAD}
    """)
    if not norm.quantity_without_value:
        con.execute(f"""
            INSERT INTO problems
            SELECT n._line, coalesce(n.usd_col, n.inr_col, 'value'), NULL,
                   'no value: a quantity without a value in US$ or INR; every row needs a value'
            FROM norm n WHERE {quantity_only}
        """)
    if not norm.skip_empty_values:
        con.execute(f"""
            INSERT INTO problems
            SELECT n._line, coalesce(n.usd_col, n.inr_col, 'value'), NULL,
                   'no value: every value cell of the row is empty'
            FROM norm n WHERE {empty}
        """)
