"""Resolve the distinct raw labels of a staged file to codes, with a reason for every failure.

Each ``build_*`` function creates a small TEMP table keyed by the raw label(s) — one row per
distinct value, not per fact — so resolution costs the same for 1,000 or 100 million rows. Unknown
labels get a "did you mean" message computed in Python over that handful of distinct values.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dehub.facts.schema import period_kind
from dehub.reference.names import name_key_sql, suggest
from dehub.reference.tables import read_reference

UNSPECIFIED_KEYS = ("UNSPECIFIED", "UNSPECIFIEDDISTRICT", "NOTSPECIFIED", "OTHERS", "UNKNOWN")
"""DGCI&S bucket of exports not attributed to a district or state (kept, never ranked)."""

_TOTAL_SQL = "(k IN ('TOTAL', 'GRANDTOTAL', 'SUBTOTAL') OR k LIKE 'TOTAL%')"
_FORMULA_SQL = "left(ltrim(raw), 1) IN ('=', '+', '-', '@')"


def _common_checks(what: str, required: bool = True) -> str:
    """SQL CASE arms shared by every label: missing (when ``required``), formula-like, totals."""
    missing = f"'missing {what}'" if required else "NULL"
    return (
        f"WHEN raw IS NULL OR trim(raw) = '' THEN {missing} "
        f"WHEN {_FORMULA_SQL} THEN 'starts with ' || left(ltrim(raw), 1) || "
        "' like a spreadsheet formula; refused' "
        f"WHEN {_TOTAL_SQL} THEN 'looks like a totals row; totals are computed by dehub and "
        "would be double counted — remove totals rows' "
    )


def _did_you_mean(value: str, spellings: list[str]) -> str:
    found = suggest(value, spellings)
    return f" (did you mean {', '.join(repr(s) for s in found)}?)" if found else ""


def _fill_unknown(
    con: duckdb.DuckDBPyConnection, table: str, key_cols: list[str], messages: pd.DataFrame
) -> None:
    """Write Python-made messages back into ``table.problem`` for the given keys."""
    if messages.empty:
        return
    con.register("_msgs", messages)
    cond = " AND ".join(f"t.{c} IS NOT DISTINCT FROM m.{c}" for c in key_cols)
    con.execute(f"UPDATE {table} t SET problem = m.problem FROM _msgs m WHERE {cond}")
    con.unregister("_msgs")


def build_state_map(con: duckdb.DuckDBPyConnection, norm: str, required: bool) -> None:
    """``m_state(state_raw, state_code, unspecified, problem)``."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE m_state AS
        WITH d AS (SELECT DISTINCT state_raw AS raw FROM {norm}),
        k AS (SELECT raw, {name_key_sql("raw")} AS k FROM d)
        SELECT raw AS state_raw,
               CASE WHEN k.k IN {UNSPECIFIED_KEYS} THEN NULL
                    ELSE coalesce(s.state_code, a.state_code) END AS state_code,
               k.k IN {UNSPECIFIED_KEYS} AS unspecified,
               CASE {_common_checks("state", required)}
                    WHEN k.k IN {UNSPECIFIED_KEYS} THEN NULL
                    WHEN coalesce(s.state_code, a.state_code) IS NULL THEN '?'
               END AS problem
        FROM k LEFT JOIN ref_state_aliases a ON a.key = k.k
               LEFT JOIN ref_states s ON s.state_code = trim(k.raw)
    """)
    unknown = con.execute("SELECT state_raw FROM m_state WHERE problem = '?'").fetchall()
    spellings = read_reference("states.csv")["state_name"].dropna().tolist()
    _fill_unknown(
        con,
        "m_state",
        ["state_raw"],
        pd.DataFrame(
            {
                "state_raw": [r[0] for r in unknown],
                "problem": [
                    f"unknown state {r[0]!r}{_did_you_mean(r[0], spellings)}" for r in unknown
                ],
            }
        ),
    )


def build_district_map(con: duckdb.DuckDBPyConnection, norm: str, required: bool) -> None:
    """``m_district(state_raw, district_raw, district_code, unspecified, problem)``.

    Districts are resolved within their state (AURANGABAD is in Bihar and in Maharashtra).
    """
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE m_district AS
        WITH d AS (SELECT DISTINCT state_raw, district_raw AS raw FROM {norm}),
        k AS (SELECT d.*, ms.state_code, ms.unspecified AS state_unspecified,
                     ms.problem AS state_problem, {name_key_sql("raw")} AS k
              FROM d JOIN m_state ms ON ms.state_raw IS NOT DISTINCT FROM d.state_raw)
        SELECT k.state_raw, k.raw AS district_raw, k.state_code,
               CASE WHEN k.k IN {UNSPECIFIED_KEYS} THEN NULL
                    ELSE coalesce(dd.district_code, a.district_code) END AS district_code,
               k.k IN {UNSPECIFIED_KEYS} AS unspecified,
               CASE {_common_checks("district", required)}
                    WHEN k.k IN {UNSPECIFIED_KEYS} THEN NULL
                    WHEN k.state_problem IS NOT NULL THEN NULL
                    WHEN k.state_unspecified THEN 'a district is named but the state is '
                         || 'unspecified; give the state'
                    WHEN coalesce(dd.district_code, a.district_code) IS NULL THEN '?'
               END AS problem
        FROM k LEFT JOIN ref_district_aliases a ON a.state_code = k.state_code AND a.key = k.k
               LEFT JOIN ref_districts dd
                      ON dd.district_code = trim(k.raw) AND dd.state_code = k.state_code
    """)
    unknown = con.execute(
        "SELECT state_raw, district_raw, state_code FROM m_district WHERE problem = '?'"
    ).fetchall()
    if not unknown:
        return
    aliases = read_reference("district_aliases.csv")
    rows = []
    for state_raw, district_raw, state_code in unknown:
        spellings = aliases.loc[aliases["state_code"] == state_code, "spelling"].dropna().tolist()
        rows.append(
            (
                state_raw,
                district_raw,
                f"unknown district {district_raw!r} in state {state_raw!r}"
                f"{_did_you_mean(district_raw, spellings)}",
            )
        )
    _fill_unknown(
        con,
        "m_district",
        ["state_raw", "district_raw"],
        pd.DataFrame(rows, columns=["state_raw", "district_raw", "problem"]),
    )


def build_product_map(con: duckdb.DuckDBPyConnection, norm: str, kind: str) -> None:
    """``m_product(product_raw, product_level, product_code, restored, problem)``.

    HS codes: spaces and dots are removed (``0101.21.00`` -> ``01012100``); a code with an odd
    number of digits has lost its leading zero (HS codes have 2, 4, 6 or 8 digits), which is
    restored and reported; the chapter must exist in HS 2022. ``kind`` is ``hs``, ``sector`` or
    ``any`` (``TOTAL``, a sector slug or an HS code).
    """
    hs_ok = "kind IN ('hs', 'any')"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE m_product AS
        WITH d AS (SELECT DISTINCT product_raw AS raw FROM {norm}),
        c AS (SELECT raw, {name_key_sql("raw")} AS k,
                     regexp_replace(trim(raw), '[.\\s]', '', 'g') AS digits,
                     lower(trim(raw)) AS slug, '{kind}' AS kind FROM d),
        p AS (SELECT *, regexp_full_match(digits, '[0-9]+') AS numeric,
                     CASE WHEN length(digits) % 2 = 1 THEN '0' || digits ELSE digits END AS hs
              FROM c)
        SELECT raw AS product_raw,
               CASE WHEN kind = 'any' AND k = 'TOTAL' THEN 'total'
                    WHEN kind = 'sector' OR (kind = 'any' AND s.sector IS NOT NULL) THEN 'sector'
                    ELSE 'HS' || length(hs) END AS product_level,
               CASE WHEN kind = 'any' AND k = 'TOTAL' THEN 'TOTAL'
                    WHEN kind = 'sector' OR (kind = 'any' AND s.sector IS NOT NULL) THEN slug
                    ELSE hs END AS product_code,
               numeric AND length(digits) % 2 = 1 AS restored,
               CASE WHEN raw IS NULL OR trim(raw) = '' THEN 'missing product code'
                    WHEN kind = 'any' AND k = 'TOTAL' THEN NULL
                    WHEN left(ltrim(raw), 1) IN ('=', '+', '-', '@') THEN
                         'starts with ' || left(ltrim(raw), 1) ||
                         ' like a spreadsheet formula; refused'
                    WHEN k LIKE 'TOTAL%' OR k IN ('GRANDTOTAL', 'SUBTOTAL') THEN
                         'looks like a totals row; totals are computed by dehub and would be '
                         || 'double counted — remove totals rows'
                    WHEN s.sector IS NOT NULL AND kind IN ('sector', 'any') THEN NULL
                    WHEN kind = 'sector' THEN 'unknown sector ' || '''' || raw || ''''
                    WHEN NOT numeric THEN 'expected an HS code of 2, 4, 6 or 8 digits, got '
                         || '''' || raw || ''''
                    WHEN length(hs) NOT IN (2, 4, 6, 8) THEN 'expected an HS code of 2, 4, 6 '
                         || 'or 8 digits, got ' || length(digits) || ' digits'
                    WHEN h.hs2 IS NULL THEN 'unknown HS chapter ' || left(hs, 2)
                         || ' (HS 2022 has chapters 01-97, 77 reserved)'
               END AS problem
        FROM p LEFT JOIN ref_sectors s ON s.sector = p.slug
               LEFT JOIN ref_hs2_sectors h ON {hs_ok} AND h.hs2 = left(p.hs, 2)
    """)


def build_partner_map(con: duckdb.DuckDBPyConnection, norm: str) -> None:
    """``m_partner(partner_raw, partner_code, problem)``; no partner column means ``WLD``."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE m_partner AS
        WITH d AS (SELECT DISTINCT partner_raw AS raw FROM {norm}),
        k AS (SELECT raw, {name_key_sql("raw")} AS k FROM d)
        SELECT raw AS partner_raw,
               CASE WHEN raw IS NULL THEN 'WLD' ELSE a.iso3 END AS partner_code,
               CASE WHEN raw IS NULL THEN NULL
                    {_common_checks("country").replace("WHEN raw IS NULL OR ", "WHEN ")}
                    WHEN a.iso3 IS NULL THEN '?' END AS problem
        FROM k LEFT JOIN ref_country_aliases a ON a.key = k.k
    """)
    unknown = [
        r[0]
        for r in con.execute("SELECT partner_raw FROM m_partner WHERE problem = '?'").fetchall()
    ]
    spellings = read_reference("countries.csv")["name"].dropna().tolist()
    spellings += read_reference("country_aliases.csv")["spelling"].dropna().tolist()
    _fill_unknown(
        con,
        "m_partner",
        ["partner_raw"],
        pd.DataFrame(
            {
                "partner_raw": unknown,
                "problem": [f"unknown country {u!r}{_did_you_mean(u, spellings)}" for u in unknown],
            }
        ),
    )


def build_port_map(con: duckdb.DuckDBPyConnection, norm: str) -> int:
    """``m_port(port_raw, port_code, known, problem)``; returns how many labels are not in the
    reference list (kept under their name key, and reported)."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE m_port AS
        WITH d AS (SELECT DISTINCT port_raw AS raw FROM {norm}),
        k AS (SELECT raw, {name_key_sql("raw")} AS k FROM d)
        SELECT raw AS port_raw, CASE WHEN raw IS NULL THEN NULL ELSE k.k END AS port_code,
               p.key IS NOT NULL AS known,
               CASE WHEN raw IS NULL THEN NULL
                    {_common_checks("port").replace("WHEN raw IS NULL OR ", "WHEN ")}
               END AS problem
        FROM k LEFT JOIN ref_customs_ports p ON p.key = k.k
    """)
    row = con.execute(
        "SELECT count(*) FROM m_port WHERE port_raw IS NOT NULL AND NOT known AND problem IS NULL"
    ).fetchone()
    return int(row[0]) if row else 0


def build_period_map(con: duckdb.DuckDBPyConnection, norm: str) -> None:
    """``m_period(period, problem)`` for layouts whose period is a column."""
    values = [r[0] for r in con.execute(f"SELECT DISTINCT period FROM {norm}").fetchall()]
    problems = [
        None
        if v is not None and period_kind(v)
        else f"expected a financial year such as 2024-25 or a month such as 2024-04, got {v!r}"
        for v in values
    ]
    con.register("_periods", pd.DataFrame({"period": values, "problem": problems}))
    con.execute("CREATE OR REPLACE TEMP TABLE m_period AS SELECT * FROM _periods")
    con.unregister("_periods")
