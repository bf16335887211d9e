"""The quarantine report: every rejected row of a file, as it was, with the reasons.

One CSV row per rejected input row: ``line`` (in the file), ``reasons`` (every problem of that
row, ``column: message`` joined by `` | ``), then the row's original cells. Cells that begin with
``=``, ``+``, ``-`` or ``@`` are written with a leading apostrophe so that a spreadsheet opening
the report does not run them as formulas (OWASP "CSV injection").
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from dehub.facts.readers import StagedFile, quote_ident


def _neutralise(expr: str) -> str:
    return f"CASE WHEN left({expr}, 1) IN ('=', '+', '-', '@') THEN '''' || {expr} ELSE {expr} END"


def write_quarantine(con: duckdb.DuckDBPyConnection, staged: StagedFile, folder: Path) -> Path:
    """Write the report for the rows listed in the ``problems`` table; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    stem = staged.path.name.split(".")[0]
    path = folder / f"{stem}.{stamp}.rejected.csv"
    cells = ", ".join(
        f"{_neutralise('s.' + quote_ident(c))} AS {quote_ident(c)}" for c in staged.columns
    )
    reasons = (
        "string_agg(coalesce(p.col || ': ', '') || coalesce('value ''' || p.value || ''': ',"
        " '') || p.message, ' | ' ORDER BY p.col)"
    )
    target = path.as_posix().replace("'", "''")
    con.execute(f"""
        COPY (
            WITH r AS (SELECT _line, {reasons} AS reasons FROM problems p GROUP BY _line)
            SELECT r._line AS line, {_neutralise("r.reasons")} AS reasons, {cells}
            FROM r JOIN {staged.table} s USING (_line) ORDER BY r._line
        ) TO '{target}' (HEADER, DELIMITER ',')
    """)
    return path
