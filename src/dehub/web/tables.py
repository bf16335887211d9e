"""Data tables shown on pages and downloadable as CSV or XLSX.

Every chart on a page has a :class:`DataTable` with the numbers behind it. A page answers
``?table=NAME&format=csv|xlsx`` with that table as a file (raw numbers, not formatted text),
through :func:`table_download`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from fastapi.responses import Response
from openpyxl import Workbook

from dehub.errors import InvalidInput, NotFound
from dehub.web import formatting

Kind = Literal["text", "usd", "share", "number", "ratio"]
DOWNLOAD_FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """A column: the row key, its heading, how to show it, and an optional link per row."""

    key: str
    label: str
    kind: Kind = "text"
    href: Callable[[dict[str, Any]], str | None] | None = None

    def show(self, row: dict[str, Any]) -> str:
        """The cell as text on the page."""
        value = row.get(self.key)
        if self.kind == "usd":
            return formatting.usd(value)
        if self.kind == "share":
            return formatting.pct(value)
        if self.kind == "number":
            return formatting.number(value)
        if self.kind == "ratio":
            return formatting.ratio(value)
        return "–" if value is None else str(value)

    def link(self, row: dict[str, Any]) -> str | None:
        """Where the cell links to, if anywhere."""
        return self.href(row) if self.href else None


def with_links(
    columns: Sequence[Column], **links: Callable[[dict[str, Any]], str | None]
) -> tuple[Column, ...]:
    """``columns`` with a link on the columns named in ``links`` (the same table on a page,
    where cells link, and in a report, where they do not)."""
    return tuple(replace(c, href=links[c.key]) if c.key in links else c for c in columns)


@dataclass
class DataTable:
    """A named table of a page (``name`` is the ``?table=`` key and part of the file name)."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    caption: str = ""
    limit: int | None = None  # rows shown on the page (downloads always have every row)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def shown(self) -> list[dict[str, Any]]:
        return self.rows if self.limit is None else self.rows[: self.limit]

    def header(self) -> list[str]:
        return [c.key for c in self.columns]

    def records(self) -> list[list[Any]]:
        """Rows as raw values in column order (what the downloads contain)."""
        return [[row.get(c.key) for c in self.columns] for row in self.rows]


def csv_bytes(table: DataTable) -> bytes:
    """The table as UTF-8 CSV (with BOM, so spreadsheet programs read Indian names right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header())
    for row in table.records():
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def xlsx_bytes(table: DataTable) -> bytes:
    """The table as an XLSX workbook with one sheet, numbers as numbers."""
    return xlsx_workbook([table])


def xlsx_workbook(tables: Sequence[DataTable]) -> bytes:
    """Tables as one XLSX workbook, a sheet per table named by ``table.name`` (the first 31
    characters), the column keys as header row, raw numbers as numbers and formula-like text
    neutralised."""
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(title=table.name[:31])
        sheet.append(table.header())
        for row in table.records():
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_download(tables: Sequence[DataTable], name: str, fmt: str, *, file_stem: str) -> Response:
    """The response for ``?table=name&format=fmt``: 404 for an unknown table, 422 for a format."""
    if fmt not in DOWNLOAD_FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(DOWNLOAD_FORMATS)}, got {fmt!r}")
    found = next((t for t in tables if t.name == name), None)
    if found is None:
        known = ", ".join(t.name for t in tables) or "none"
        raise NotFound(f"no table {name!r} on this page (tables: {known})")
    filename = f"{file_stem}-{found.name}.{fmt}"
    body = csv_bytes(found) if fmt == "csv" else xlsx_bytes(found)
    media = "text/csv; charset=utf-8" if fmt == "csv" else XLSX_TYPE
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
