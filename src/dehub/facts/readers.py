"""Read an input file (CSV, gzipped CSV, XLSX or Parquet) into a staging table of strings.

The staging table has the file's columns, all VARCHAR, plus ``_line``: the line of the row in
the file as a person sees it: for CSV the physical text line (1-based, the header's line counted,
blank lines and cells spanning several lines included), for XLSX the spreadsheet row, for Parquet
the row number. Nothing is converted here: the checks (:mod:`dehub.facts.checks`) decide what
each value means.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import math
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from dehub.errors import InvalidInput, Problem
from dehub.facts.csv_lines import (
    LineCount,
    count_lines,
    insertion_order,
    lines_source,
    physical_lines,
)
from dehub.facts.sql import literal, quote_ident

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_BYTES = 1 << 20


@dataclass
class StagedFile:
    """What was read: the staging table, the header as found, and notes for the report."""

    path: Path
    table: str
    columns: list[str]
    header_line: int
    row_count: int
    notes: list[str] = field(default_factory=list)
    fix_lines: Callable[[], None] | None = None
    """Set when ``_line`` was taken as the record's position below the header (staged with
    ``exact_lines=False``): call it to make ``_line`` the physical line before showing one."""

    def ensure_exact_lines(self) -> None:
        """Make ``_line`` the physical line of every row (a no-op when it already is)."""
        if self.fix_lines is not None:
            self.fix_lines()
            self.fix_lines = None


def check_file(path: Path) -> None:
    """Refuse what is not a readable, non-empty regular file, naming it."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a file; name the files to load")
    if not path.is_file():
        raise InvalidInput(f"{path}: not a regular file")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if path.stat().st_size == 0:
        raise InvalidInput(f"{path.name}: the file is empty")


_READER_ENCODINGS = {"utf-8": "utf-8", "iso8859-1": "latin-1", "utf-16": "utf-16", "ascii": "utf-8"}
"""Python codec name -> the encoding DuckDB's CSV reader is given (ASCII is a subset of UTF-8)."""


def csv_encoding(name: str) -> str:
    """The Python codec of ``--encoding`` (one the CSV reader supports), or InvalidInput."""
    try:
        codec = codecs.lookup(name).name
    except LookupError as exc:
        raise InvalidInput(
            f"--encoding {name!r}: unknown encoding; use utf-8 (the default), latin-1 or utf-16"
        ) from exc
    if codec == "utf-8-sig":
        codec = "utf-8"
    if codec not in _READER_ENCODINGS:
        raise InvalidInput(
            f"--encoding {name!r}: the CSV reader reads utf-8, latin-1 and utf-16 only; "
            "re-save the file as UTF-8"
        )
    return codec


def _open_text_head(path: Path) -> bytes:
    """The first bytes of a file, decompressed if it is gzip."""
    if path.suffix == ".gz":
        try:
            with gzip.open(path, "rb") as fh:
                return fh.read(_SNIFF_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            raise InvalidInput(f"{path.name}: not a readable gzip file ({exc})") from exc
    with path.open("rb") as fh:
        return fh.read(_SNIFF_BYTES)


def _decode_head(path: Path, head: bytes, codec: str) -> str:
    try:
        return head.decode(codec)
    except UnicodeDecodeError as exc:
        if len(head) == _SNIFF_BYTES and exc.start >= len(head) - 4:  # cut by the sniff window
            return head[: exc.start].decode(codec)
        line = head[: exc.start].count(b"\n") + 1
        advice = (
            "the file looks like Latin-1/Windows-1252 — re-save it as UTF-8, "
            "or pass --encoding latin-1"
            if codec == "utf-8"
            else "pass the file's encoding with --encoding (e.g. utf-8 or latin-1)"
        )
        name = "UTF-8" if codec == "utf-8" else codec
        raise InvalidInput(
            f"{path.name}: line {line} is not valid {name} "
            f"(byte 0x{head[exc.start]:02x}); {advice}",
            [Problem(f"{path.name}:{line}", f"not {name}")],
        ) from exc


def _check_columns(where: str, columns: list[str]) -> None:
    """Refuse a header with unnamed or repeated columns; ``where`` names file and line/row."""
    blanks = [i + 1 for i, c in enumerate(columns) if not c]
    if blanks:
        raise InvalidInput(f"{where}: header column(s) {blanks} have no name")
    folded = [c.casefold() for c in columns]
    dupes = sorted({c for c, f in zip(columns, folded, strict=True) if folded.count(f) > 1})
    if dupes:
        raise InvalidInput(
            f"{where}: duplicate column name(s) {dupes} (names are compared ignoring case)"
        )


def _find_header(path: Path, text: str, header_names: set[str]) -> tuple[list[str], int, str]:
    """Parse the header line: (columns, header line number, delimiter)."""
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise InvalidInput(f"{path.name}: the file is empty")
    header_idx = next(i for i, line in enumerate(lines) if line.strip())
    header = lines[header_idx].lstrip("\ufeff")
    unquoted = re.sub(r'"[^"]*"', "", header)  # delimiters inside quoted names do not count
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    hints = {h.casefold() for h in header_names}

    def known_names(delim: str) -> int:
        cells = next(csv.reader([header], delimiter=delim))
        return sum(c.strip().casefold() in hints for c in cells)

    # the delimiter that splits out the most known column names; then the most frequent one
    delimiter = max(DELIMITERS, key=lambda d: (known_names(d), counts[d]))
    if counts[delimiter] == 0:
        raise InvalidInput(
            f"{path.name}: line {header_idx + 1}: the header has a single column "
            f"({header[:80]!r}); expected columns separated by one of , ; tab |"
        )
    columns = [c.strip() for c in next(csv.reader([header], delimiter=delimiter))]
    _check_columns(f"{path.name}: line {header_idx + 1}", columns)
    return columns, header_idx + 1, delimiter


def stage_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    *,
    encoding: str = "utf-8",
    header_names: set[str] | None = None,
    exact_lines: bool = True,
) -> StagedFile:
    """Stage a CSV (optionally gzip-compressed) file; see the module docstring. With
    ``exact_lines=False`` the lines are not counted (see :attr:`StagedFile.fix_lines`)."""
    codec = csv_encoding(encoding)
    head = _open_text_head(path)
    if not head.strip():
        raise InvalidInput(f"{path.name}: the file is empty")
    text = _decode_head(path, head, codec)
    columns, header_line, delimiter = _find_header(path, text, header_names or set())
    notes = []
    if text.startswith("\ufeff"):
        notes.append("a UTF-8 byte-order mark (BOM) at the start of the file was skipped")
    if delimiter != ",":
        notes.append(f"the delimiter {delimiter!r} was detected from the header")
    reader_encoding = _READER_ENCODINGS[codec]
    # the lines are counted in a thread (gzip and byte counting release the GIL) while DuckDB
    # reads the records; ASCII-compatible encodings only, where byte 0x0A is always a line end
    counting = LineCount.start(path) if exact_lines and codec != "utf-16" else None
    _read_csv(con, path, path.name, table, columns, header_line, delimiter, reader_encoding)
    n_rows = _count(con, f"{table}_csv")

    def number_lines() -> None:
        count = counting if counting is not None or codec == "utf-16" else LineCount.start(path)
        with insertion_order(con):  # the lines of the file are numbered by their rowid
            if count is not None and count.one_record_per_line(header_line, n_rows):
                line, source = f"c.rowid + {header_line + 1}", f"FROM {table}_csv c"
            else:  # blank lines, cells over several lines or odd line ends: count with DuckDB
                lines = lines_source(path, reader_encoding)
                total, blanks = count_lines(con, lines)
                above = sum(1 for line in text.splitlines()[: header_line - 1] if not line)
                line, source = physical_lines(
                    con, lines, table, (total, blanks - above), header_line, n_rows, columns
                )
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT {line} AS _line, c.* {source}"
            )

    staged = StagedFile(path, table, columns, header_line, n_rows, notes)
    if exact_lines:
        number_lines()
    else:  # the record's position; the physical lines on demand
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT c.rowid + {header_line + 1} AS _line, "
            f"c.* FROM {table}_csv c"
        )
        staged.fix_lines = number_lines
    return staged


def _read_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    shown: str,
    table: str,
    columns: list[str],
    header_line: int,
    delimiter: str,
    encoding: str,
) -> None:
    """Read ``path`` into the TEMP table ``{table}_csv``; errors name the file ``shown``."""
    col_spec = "{" + ", ".join(f"{literal(c)}: 'VARCHAR'" for c in columns) + "}"
    rejects = f"{table}_rejects"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table}_csv AS SELECT * FROM read_csv("
            f"{literal(str(path))}, header=true, skip={header_line - 1}, "
            f"delim={literal(delimiter)}, quote='\"', escape='\"', columns={col_spec}, "
            f"auto_detect=false, encoding={literal(encoding)}, null_padding=false, "
            f"store_rejects=true, rejects_table={literal(rejects)}, "
            f"rejects_scan={literal(rejects + '_scan')})"
        )
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error as exc:
        if "gzip" in str(exc).lower():
            raise InvalidInput(
                f"{shown}: the gzip stream is truncated or corrupt ({_first_line(exc)}); "
                "nothing was loaded — re-download or re-compress the file"
            ) from exc
        raise InvalidInput(f"{shown}: could not read the file: {_first_line(exc)}") from exc
    bad = con.execute(
        f"SELECT line, error_type, error_message, csv_line FROM {rejects} ORDER BY line"
    ).fetchall()
    if bad:
        problems = [
            Problem(f"{shown}:{line}", f"{etype.lower()}: {msg.splitlines()[0]}")
            for line, etype, msg, _ in bad[:20]
        ]
        raise InvalidInput(
            f"{shown}: {len(bad)} line(s) could not be split into the {len(columns)} "
            f"columns of the header (first: line {bad[0][0]}: {bad[0][2].splitlines()[0]}); "
            "nothing was loaded",
            problems,
        )


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0]


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


_PLAIN_NUMBER_MACRO = r"""
CREATE OR REPLACE TEMP MACRO dehub_plain_number(s) AS
CASE WHEN NOT regexp_full_match(s, '-?[0-9](\.[0-9]+)?e[+-][0-9]+') THEN s
ELSE regexp_extract(s, '^(-?)', 1) || CASE
  WHEN TRY_CAST(regexp_extract(s, 'e([+-][0-9]+)$', 1) AS INTEGER) < 0 THEN
    '0.' || repeat('0', -TRY_CAST(regexp_extract(s, 'e([+-][0-9]+)$', 1) AS INTEGER) - 1)
    || replace(regexp_extract(s, '([0-9.]+)e', 1), '.', '')
  ELSE replace(regexp_extract(s, '([0-9.]+)e', 1), '.', '')
    || repeat('0', TRY_CAST(regexp_extract(s, 'e([+-][0-9]+)$', 1) AS INTEGER)
                   - length(regexp_extract(s, '\.([0-9]+)e', 1)))
  END END
"""
"""The text of a DuckDB float without an exponent (``1e-05`` -> ``0.00001``, ``1e+20`` ->
``100000000000000000000``; the same digits): value cells must be plain decimals."""


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> StagedFile:
    """Stage a Parquet file; every column is cast to VARCHAR (floats written without an
    exponent), ``_line`` is the row number."""
    source = f"read_parquet({literal(str(path))}, file_row_number=true)"
    try:
        con.execute(_PLAIN_NUMBER_MACRO)
        described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        types = {str(r[0]): str(r[1]) for r in described if r[0] != "file_row_number"}
        columns = list(types)
        casts = ", ".join(
            (
                f"dehub_plain_number(CAST({quote_ident(c)} AS VARCHAR))"
                if t in ("FLOAT", "DOUBLE")
                else f"CAST({quote_ident(c)} AS VARCHAR)"
            )
            + f" AS {quote_ident(c)}"
            for c, t in types.items()
        )
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT file_row_number + 1 AS _line, "
            f"{casts} FROM {source}"
        )
        count = _count(con, table)
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error as exc:
        raise InvalidInput(f"{path.name}: not a readable Parquet file: {_first_line(exc)}") from exc
    if count == 0:
        raise InvalidInput(f"{path.name}: the file has no data rows")
    return StagedFile(path, table, columns, 0, count, [])


_MERGE_CELL = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _merged_rows(path: Path, sheet_xml: str) -> set[int]:
    """Spreadsheet rows touched by merged cells (read from the sheet XML's <mergeCells>)."""
    with zipfile.ZipFile(path) as zf, zf.open(sheet_xml) as fh:
        data = fh.read()
    rows: set[int] = set()
    for m in _MERGE_CELL.finditer(data):
        rows.update(range(int(m.group(2)), int(m.group(4)) + 1))
    return rows


def stage_xlsx(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, *, header_names: set[str]
) -> StagedFile:
    """Stage the first sheet of an XLSX workbook.

    The header is the first row (of the first 30) holding at least two of ``header_names``
    (compared ignoring case); title rows above it are skipped and reported. A header row that is
    part of merged cells is refused, since its column names cannot be read unambiguously; so is
    a value in a cell right of the header's last column (as a CSV line with extra cells is).
    """
    import openpyxl  # heavy: imported only when a workbook is read

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        columns, header_row = _xlsx_header(path, ws.title, rows, header_names)
        sheet_xml = f"xl/worksheets/sheet{wb.worksheets.index(ws) + 1}.xml"
        try:
            merged = _merged_rows(path, sheet_xml)
        except KeyError:
            merged = set()
        if header_row in merged or header_row + 1 in merged:
            raise InvalidInput(
                f"{path.name}: sheet {ws.title!r} row {header_row}: the header is part of merged "
                "cells (a multi-row header); unmerge it into a single header row with one name "
                "per column"
            )
        tmp = tempfile.NamedTemporaryFile(
            "w", suffix=".csv", delete=False, newline="", encoding="utf-8"
        )
        try:
            with tmp:
                _write_rows(path, ws.title, rows, header_row, columns, csv.writer(tmp).writerow)
            _read_csv(con, Path(tmp.name), path.name, table, ["_line", *columns], 1, ",", "utf-8")
        finally:
            Path(tmp.name).unlink(missing_ok=True)
    finally:
        wb.close()
    con.execute(
        f'CREATE OR REPLACE TEMP VIEW {table} AS SELECT CAST("_line" AS BIGINT) AS _line, '
        + ", ".join(quote_ident(c) for c in columns)
        + f" FROM {table}_csv"
    )
    notes = [f"read sheet {ws.title!r}"]
    if header_row > 1:
        notes.append(f"skipped {header_row - 1} title row(s) above the header")
    return StagedFile(path, table, columns, header_row, _count(con, table), notes)


def _xlsx_header(
    path: Path, sheet: str, rows: Iterator[tuple[object, ...]], header_names: set[str]
) -> tuple[list[str], int]:
    """The header's column names and spreadsheet row (see :func:`stage_xlsx`)."""
    hints = {h.casefold() for h in header_names}
    for number, values in enumerate(rows, start=1):
        cells = ["" if v is None else str(v).strip() for v in values]
        if len({c.casefold() for c in cells} & hints) >= 2:
            while cells and not cells[-1]:
                cells.pop()
            _check_columns(f"{path.name}: sheet {sheet!r} row {number}", cells)
            return cells, number
        if number >= 30:
            break
    raise InvalidInput(
        f"{path.name}: no header row found in the first 30 rows of sheet {sheet!r}; "
        f"expected a row with columns such as {sorted(header_names)[:4]}"
    )


def _write_rows(
    path: Path,
    sheet: str,
    rows: Iterator[tuple[object, ...]],
    header_row: int,
    columns: list[str],
    write_row: Callable[[list[object]], object],
) -> None:
    """Write the data rows below the header as CSV (``_line`` first); refuse values beyond the
    header's last column."""
    from openpyxl.utils import get_column_letter

    width = len(columns)
    write_row(["_line", *columns])
    beyond: list[Problem] = []
    n_beyond = 0
    for number, values in enumerate(rows, start=header_row + 1):
        cells = ["" if v is None else _cell_text(v) for v in values[:width]]
        extra = [(i, v) for i, v in enumerate(values[width:], start=width + 1) if _filled(v)]
        if extra:
            n_beyond += 1
            column, value = extra[0]
            if len(beyond) < 20:
                beyond.append(
                    Problem(
                        f"{path.name}, row {number}, column {get_column_letter(column)}",
                        f"value {_cell_text(value)!r} right of the header's last column "
                        f"({get_column_letter(width)}, {columns[-1]!r})",
                    )
                )
        if any(cells):
            write_row([number, *cells, *[""] * (width - len(cells))])
    if beyond:
        raise InvalidInput(
            f"{path.name}: sheet {sheet!r}: {n_beyond} row(s) have values right of the "
            f"header's {width} columns (first: {beyond[0].field}); give every column a name "
            "in the header or delete the stray cells; nothing was loaded",
            beyond,
        )


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def _cell_text(value: object) -> str:
    """Text of a spreadsheet cell: floats as plain decimals (``1e-05`` -> ``0.00001``), whole
    floats (HS codes read as numbers) without the ``.0``."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        if math.isfinite(value):
            return format(Decimal(repr(value)), "f")
    return str(value)


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    *,
    encoding: str = "utf-8",
    header_names: set[str] | None = None,
    exact_lines: bool = True,
) -> StagedFile:
    """Stage any supported file by its extension (.csv, .csv.gz, .txt, .xlsx, .parquet);
    ``exact_lines`` as for :func:`stage_csv` (other formats always have exact lines)."""
    check_file(path)
    csv_encoding(encoding)  # a wrong --encoding is named whatever the file
    name = path.name.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return stage_xlsx(con, path, table, header_names=header_names or set())
    if name.endswith(".parquet"):
        return stage_parquet(con, path, table)
    if name.endswith(".xls"):
        raise InvalidInput(f"{path.name}: old .xls workbooks are not read; save it as .xlsx or CSV")
    return stage_csv(
        con, path, table, encoding=encoding, header_names=header_names, exact_lines=exact_lines
    )


__all__ = ["StagedFile", "check_file", "csv_encoding", "stage_file", "quote_ident"]
