"""Physical line numbers of a staged CSV (:mod:`dehub.facts.readers`).

DuckDB's CSV reader gives records, not lines: it skips blank lines and reads quoted cells across
line ends. :class:`LineCount` proves cheaply that a file has one record per line (record k on line
``header + 1 + k``); otherwise :func:`physical_lines` places the records on their lines with set
operations over the file read as plain lines (:func:`lines_source`).
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from dehub.facts.sql import literal, quote_ident

NO_DELIMITER = "\x1f\x1e"
"""A delimiter no text line holds: each line of the file is read as one cell."""


@contextmanager
def insertion_order(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Keep rows in file order (rowid = position) while in the block, then restore the
    connection's setting: a caller may have turned it off since the file was staged."""
    row = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    before = bool(row[0]) if row else True
    con.execute("SET preserve_insertion_order = true")
    try:
        yield
    finally:
        con.execute(f"SET preserve_insertion_order = {str(before).lower()}")


class LineCount:
    """The text lines of a (possibly gzipped) file in an ASCII-compatible encoding, counted in
    a background thread: line ends, empty lines and carriage returns not followed by a line end.

    Only a proof is taken from it: when the file has exactly one line per CSV record after the
    header, no empty line and no stray carriage return, record k is on line ``header + 1 + k``.
    Anything else (or any read error) answers ``False`` and the caller counts with DuckDB.
    """

    _CHUNK = 1 << 20

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = 0
        self.clean = False
        self._thread = threading.Thread(target=self._run, name="dehub-line-count", daemon=True)

    @classmethod
    def start(cls, path: Path) -> LineCount:
        counter = cls(path)
        counter._thread.start()
        return counter

    def _run(self) -> None:
        try:
            with self.path.open("rb") as raw:
                gzipped = raw.read(2) == b"\x1f\x8b"
            opener = gzip.open if gzipped else open
            newlines = empty = crs = crlfs = 0
            last = b"\n"  # the file's start counts as a line start
            with opener(self.path, "rb") as fh:
                while chunk := fh.read(self._CHUNK):
                    joined = last + chunk  # pairs across the chunk boundary count once
                    newlines += chunk.count(b"\n")
                    empty += joined.count(b"\n\n") + joined.count(b"\n\r\n")
                    crs += chunk.count(b"\r")
                    crlfs += joined.count(b"\r\n")
                    last = chunk[-1:]
            self.lines = newlines + (0 if last == b"\n" else 1)
            self.clean = empty == 0 and crs == crlfs
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
            self.clean = False

    def one_record_per_line(self, header_line: int, n_rows: int) -> bool:
        """Wait for the count; True when every line after the header holds one record."""
        self._thread.join()
        return self.clean and self.lines == header_line + n_rows


def lines_source(path: Path, encoding: str) -> str:
    """SQL reading the file as plain lines, one cell each; a blank line is NULL."""
    return (
        f"read_csv({literal(str(path))}, columns={{'l': 'VARCHAR'}}, header=false, "
        f"delim={literal(NO_DELIMITER)}, quote='', escape='', auto_detect=false, "
        f"encoding={literal(encoding)})"
    )


def count_lines(con: duckdb.DuckDBPyConnection, lines: str) -> tuple[int, int]:
    """(lines, blank lines) of the file read by ``lines``."""
    row = con.execute(f"SELECT count(*), count(*) FILTER (l IS NULL) FROM {lines}").fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def physical_lines(
    con: duckdb.DuckDBPyConnection,
    lines: str,
    table: str,
    counts: tuple[int, int],
    header_line: int,
    n_rows: int,
    columns: list[str],
) -> tuple[str, str]:
    """SQL of the physical line of each record of ``{table}_csv``, which has no line numbers:
    the CSV reader skips blank lines and reads quoted cells across line ends.

    ``counts`` are the file's (lines, blank lines below the header), read as plain lines
    (``lines``). With no blank line below the header and as many lines as records, record k is
    on line ``header + 1 + k``. Otherwise the lines inside quoted cells are counted per record
    and blank lines are placed by an ASOF join (both set-based; rare files only). Returns (line
    expression, FROM clause)."""
    total, blanks_below = counts
    spanned = total - header_line - blanks_below - n_rows  # line ends inside quoted cells
    base = f"c.rowid + {header_line + 1}"
    if blanks_below <= 0 and spanned <= 0:
        return base, f"FROM {table}_csv c"
    if spanned > 0:  # lines inside quoted cells, less the empty ones (counted as blank lines)
        inner = " + ".join(
            f"coalesce(length({q}) - length(replace({q}, chr(10), '')) - len(list_filter("
            f"string_split({q}, chr(10))[2:-2], lambda x: x = '' OR x = chr(13))), 0)"
            for q in map(quote_ident, columns)
        )
        base += (
            f" + coalesce(sum({inner}) OVER (ORDER BY c.rowid ROWS BETWEEN UNBOUNDED PRECEDING"
            " AND 1 PRECEDING), 0)"
        )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table}_lines AS SELECT l IS NULL AS blank FROM {lines}"
    )
    # the j-th blank line below the header (0-based), at line b, moves every record whose
    # position counted without blank lines is at least b - j down by j + 1 lines
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_shifts AS
        WITH b AS (SELECT rowid + 1 AS b, row_number() OVER (ORDER BY rowid) AS n
                   FROM {table}_lines WHERE blank AND rowid + 1 > {header_line})
        SELECT b - n + 1 AS q0, max(n) AS shift FROM b GROUP BY 1
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_linemap AS
        WITH q AS (SELECT c.rowid AS k, {base} AS q FROM {table}_csv c)
        SELECT q.k, q.q + coalesce(s.shift, 0) AS line
        FROM q ASOF LEFT JOIN {table}_shifts s ON q.q >= s.q0
    """)
    return "m.line", f"FROM {table}_csv c JOIN {table}_linemap m ON m.k = c.rowid"
