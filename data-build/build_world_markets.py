"""Bundle world imports by importer x HS6 (2024) with India's exports, for the Export Potential
Indicator (see DATA-SOURCES.md, "World markets").

Input: ``world_imports_epi_sc/`` (derived from CEPII BACI HS2017, year 2024, by aggregation over
exporters): ``imports_by_importer_hs6_2024.csv.gz`` and
``india_exports_by_importer_hs6_2024.csv.gz``.

Output: ``src/dehub/facts/bundled/world_imports_importer_hs6_2024.parquet`` with one row per
importer x HS6 with imports: ``importer`` (ISO3; BACI's ``S19`` "Other Asia, nes" written ``TWN``),
``hs6`` (HS2017 code, 6 digits), ``import_value_usd`` (US$, integer, all exporters), ``india_usd``
(US$, India's exports to that importer of that HS6; 0 where India has none). Nothing else is
kept (the importer-level India share and the upstream 8-year CAGR are derivable or unused).

Checks (exit 1 on failure): every key unique once exact copies are collapsed (the India file
repeats 1,291 rows of KNA and PNG verbatim); India's published share of each market agrees
with the two values to 0.01 percentage point; every India row has a world row; India never
exceeds the importer's total imports; every importer is a code of ``countries.csv``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
from buildkit import DEFAULT_OUT, FACTS_OUT, BuildError, run_main

FILE = "world_imports_importer_hs6_2024.parquet"
COUNTRIES = DEFAULT_OUT / "countries.csv"
RENAME = {"S19": "TWN"}


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """The number a ``SELECT count(*) ...`` query answers."""
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def build(raw: Path, out: Path = FACTS_OUT) -> None:
    """Write the bundled world imports file into ``out``."""
    src = raw / "world_imports_epi_sc"
    con = duckdb.connect()
    rename = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in RENAME.items())
    importer = f"CASE importer {rename} ELSE importer END"
    con.execute(
        f"""CREATE TABLE m AS SELECT {importer} AS importer, sh6 AS hs6,
                   CAST(import_value_usd AS BIGINT) AS import_value_usd
            FROM read_csv('{(src / "imports_by_importer_hs6_2024.csv.gz").as_posix()}',
                          types={{'sh6': 'VARCHAR', 'importer': 'VARCHAR'}})"""
    )
    # The India file repeats 1,291 importer x HS6 rows of KNA and PNG as exact copies (all
    # columns equal; India's share in them matches the world file's value once): collapse
    # identical copies, refuse copies that differ (the duplicate check below).
    con.execute(
        f"""CREATE TABLE x AS SELECT DISTINCT {importer} AS importer, sh6 AS hs6,
                   CAST(india_export_value_usd AS BIGINT) AS india_usd, india_share_pct
            FROM read_csv('{(src / "india_exports_by_importer_hs6_2024.csv.gz").as_posix()}',
                          types={{'sh6': 'VARCHAR', 'importer': 'VARCHAR'}})"""
    )
    countries = con.execute(
        f"SELECT iso3 FROM read_csv('{COUNTRIES.as_posix()}', all_varchar=true)"
    ).fetchall()
    known = {r[0] for r in countries}
    problems = []
    checks: list[tuple[str, str]] = []
    for table in ("m", "x"):
        checks += [
            (
                f"SELECT count(*) FROM (SELECT importer, hs6 FROM {table} GROUP BY ALL "
                "HAVING count(*) > 1)",
                f"{table}: {{}} repeated importer x HS6 keys",
            ),
            (
                f"SELECT count(*) FROM {table} WHERE NOT regexp_full_match(hs6, '\\d{{6}}')",
                f"{table}: {{}} HS6 codes are not 6 digits",
            ),
        ]
    checks += [
        (
            "SELECT count(*) FROM x ANTI JOIN m USING (importer, hs6)",
            "{} India rows have no world imports row",
        ),
        (
            "SELECT count(*) FROM x JOIN m USING (importer, hs6) "
            "WHERE india_usd > import_value_usd * (1 + 1e-9)",
            "{} India rows exceed the importer's imports",
        ),
        (
            "SELECT count(*) FROM x JOIN m USING (importer, hs6) "
            "WHERE abs(100 * india_usd / import_value_usd - india_share_pct) > 0.0051",
            "{} India rows disagree with their published share",
        ),
    ]
    for sql, problem in checks:
        if n := _count(con, sql):
            problems.append(problem.format(n))
    importers = {r[0] for r in con.execute("SELECT DISTINCT importer FROM m").fetchall()}
    if unknown := sorted(importers - known):
        problems.append(f"importers not in countries.csv: {', '.join(unknown)}")
    if problems:
        raise BuildError("world imports: " + "; ".join(problems))
    out.mkdir(parents=True, exist_ok=True)
    dst = (out / FILE).as_posix()
    con.execute(
        f"""COPY (SELECT importer, hs6, import_value_usd, coalesce(india_usd, 0) AS india_usd
                  FROM m LEFT JOIN x USING (importer, hs6) ORDER BY hs6, importer)
            TO '{dst}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19,
                        ROW_GROUP_SIZE 1000000)"""
    )
    stats = con.execute(
        f"SELECT count(*), count(DISTINCT importer), count(DISTINCT hs6), sum(import_value_usd),"
        f" sum(india_usd) FROM '{dst}'"
    ).fetchone()
    assert stats is not None
    print(
        f"wrote {dst}: {stats[0]:,} rows, {stats[1]} importers, {stats[2]:,} HS6, "
        f"imports US$ {stats[3] / 1e9:,.1f} bn, India US$ {stats[4] / 1e9:,.1f} bn"
    )


if __name__ == "__main__":
    sys.exit(run_main(build, "build_world_markets", __doc__ or "", out=FACTS_OUT))
