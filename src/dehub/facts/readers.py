"""Read an input file (CSV, gzipped CSV, XLSX or Parquet) into a staging table of strings.

The staging table has the file's columns, all VARCHAR, plus ``_line``: the line of the row in
the file as a person sees it (the spreadsheet row number for XLSX; for CSV the header line plus the
row's position, which is the text line unless a cell spans several lines). Nothing is converted
here: validation (:mod:`dehub.facts.validation`) decides what each value means.
"""

from __future__ import annotations

import csv
import gzip
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dehub.errors import InvalidInput, Problem

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


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """Quote a column name for DuckDB (file headers can hold any character)."""
    return '"' + name.replace('"', '""') + '"'


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


def _decode_head(path: Path, head: bytes, encoding: str) -> str:
    if encoding.lower().replace("-", "") in ("utf8", "utf8sig"):
        try:
            return head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut by the sniff window
                return head[: exc.start].decode("utf-8")
            line = head[: exc.start].count(b"\n") + 1
            raise InvalidInput(
                f"{path.name}: line {line} is not valid UTF-8 (byte 0x{head[exc.start]:02x}); "
                "the file looks like Latin-1/Windows-1252 — re-save it as UTF-8, "
                "or pass --encoding latin-1",
                [Problem(f"{path.name}:{line}", "not UTF-8")],
            ) from exc
    return head.decode(encoding, errors="strict")


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
    blanks = [i + 1 for i, c in enumerate(columns) if not c]
    if blanks:
        raise InvalidInput(
            f"{path.name}: line {header_idx + 1}: header column(s) {blanks} have no name"
        )
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    if dupes:
        raise InvalidInput(f"{path.name}: line {header_idx + 1}: duplicate column name(s) {dupes}")
    return columns, header_idx + 1, delimiter


def stage_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    *,
    encoding: str = "utf-8",
    header_names: set[str] | None = None,
) -> StagedFile:
    """Stage a CSV (optionally gzip-compressed) file; see the module docstring."""
    head = _open_text_head(path)
    if not head.strip():
        raise InvalidInput(f"{path.name}: the file is empty")
    text = _decode_head(path, head, encoding)
    columns, header_line, delimiter = _find_header(path, text, header_names or set())
    notes = []
    if text.startswith("\ufeff"):
        notes.append("a UTF-8 byte-order mark (BOM) at the start of the file was skipped")
    if delimiter != ",":
        notes.append(f"the delimiter {delimiter!r} was detected from the header")
    col_spec = "{" + ", ".join(f"{_sql_str(c)}: 'VARCHAR'" for c in columns) + "}"
    enc = "utf-8" if encoding.lower().replace("-", "") in ("utf8", "utf8sig") else encoding
    rejects = f"{table}_rejects"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table}_csv AS SELECT * FROM read_csv("
            f"{_sql_str(str(path))}, header=true, skip={header_line - 1}, "
            f"delim={_sql_str(delimiter)}, quote='\"', escape='\"', columns={col_spec}, "
            f"auto_detect=false, encoding={_sql_str(enc)}, null_padding=false, "
            f"store_rejects=true, rejects_table={_sql_str(rejects)}, "
            f"rejects_scan={_sql_str(rejects + '_scan')})"
        )
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error as exc:
        if "gzip" in str(exc).lower():
            raise InvalidInput(
                f"{path.name}: the gzip stream is truncated or corrupt ({_first_line(exc)}); "
                "nothing was loaded — re-download or re-compress the file"
            ) from exc
        raise InvalidInput(f"{path.name}: could not read the file: {_first_line(exc)}") from exc
    bad = con.execute(
        f"SELECT line, error_type, error_message, csv_line FROM {rejects} ORDER BY line"
    ).fetchall()
    if bad:
        shown = [
            Problem(f"{path.name}:{line}", f"{etype.lower()}: {msg.splitlines()[0]}")
            for line, etype, msg, _ in bad[:20]
        ]
        raise InvalidInput(
            f"{path.name}: {len(bad)} line(s) could not be split into the {len(columns)} "
            f"columns of the header (first: line {bad[0][0]}: {bad[0][2].splitlines()[0]}); "
            "nothing was loaded",
            shown,
        )
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {table} AS "
        f"SELECT rowid + {header_line + 1} AS _line, * FROM {table}_csv"
    )
    return StagedFile(path, table, columns, header_line, _count(con, table), notes)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0]


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> StagedFile:
    """Stage a Parquet file; every column is cast to VARCHAR, ``_line`` is the row number."""
    try:
        rel = con.sql(f"SELECT * FROM read_parquet({_sql_str(str(path))}) LIMIT 0")
        columns = list(rel.columns)
        casts = ", ".join(f"CAST({quote_ident(c)} AS VARCHAR) AS {quote_ident(c)}" for c in columns)
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT file_row_number + 1 AS _line, "
            f"{casts} FROM read_parquet({_sql_str(str(path))}, file_row_number=true)"
        )
        count = _count(con, table)
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

    The header is the first row (of the first 30) holding at least two of ``header_names``;
    title rows above it are skipped and reported. A header row that is part of merged cells is
    refused, since its column names cannot be read unambiguously.
    """
    import openpyxl  # heavy: imported only when a workbook is read

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header: list[str] | None = None
    header_row = 0
    for number, values in enumerate(rows, start=1):
        cells = ["" if v is None else str(v).strip() for v in values]
        if len(set(cells) & header_names) >= 2:
            header, header_row = cells, number
            break
        if number >= 30:
            break
    if header is None:
        wb.close()
        raise InvalidInput(
            f"{path.name}: no header row found in the first 30 rows of sheet {ws.title!r}; "
            f"expected a row with columns such as {sorted(header_names)[:4]}"
        )
    sheet_xml = f"xl/worksheets/sheet{wb.worksheets.index(ws) + 1}.xml"
    try:
        merged = _merged_rows(path, sheet_xml)
    except KeyError:
        merged = set()
    if header_row in merged or header_row + 1 in merged:
        wb.close()
        raise InvalidInput(
            f"{path.name}: sheet {ws.title!r} row {header_row}: the header is part of merged "
            "cells (a multi-row header); unmerge it into a single header row with one name "
            "per column"
        )
    while header and not header[-1]:
        header.pop()
    columns = header
    tmp = tempfile.NamedTemporaryFile(
        "w", suffix=".csv", delete=False, newline="", encoding="utf-8"
    )
    with tmp:
        writer = csv.writer(tmp)
        writer.writerow(["_line", *columns])
        for number, values in enumerate(rows, start=header_row + 1):
            cells = ["" if v is None else _cell_text(v) for v in values[: len(columns)]]
            if any(cells):
                writer.writerow([number, *cells])
    wb.close()
    try:
        staged = stage_csv(con, Path(tmp.name), table + "_x")
        con.execute(
            f'CREATE OR REPLACE TEMP VIEW {table} AS SELECT CAST("_line" AS BIGINT) AS _line, '
            + ", ".join(quote_ident(c) for c in columns)
            + f" FROM {table}_x_csv"
        )
    finally:
        Path(tmp.name).unlink(missing_ok=True)
    notes = [f"read sheet {ws.title!r}"]
    if header_row > 1:
        notes.append(f"skipped {header_row - 1} title row(s) above the header")
    return StagedFile(path, table, columns, header_row, staged.row_count, notes)


def _cell_text(value: object) -> str:
    """Text of a spreadsheet cell; whole floats (HS codes read as numbers) lose the '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    *,
    encoding: str = "utf-8",
    header_names: set[str] | None = None,
) -> StagedFile:
    """Stage any supported file by its extension (.csv, .csv.gz, .txt, .xlsx, .parquet)."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise InvalidInput(f"{path.name}: the file is empty")
    name = path.name.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return stage_xlsx(con, path, table, header_names=header_names or set())
    if name.endswith(".parquet"):
        return stage_parquet(con, path, table)
    if name.endswith(".xls"):
        raise InvalidInput(f"{path.name}: old .xls workbooks are not read; save it as .xlsx or CSV")
    return stage_csv(con, path, table, encoding=encoding, header_names=header_names)


__all__ = ["StagedFile", "stage_file", "quote_ident"]
