"""District reports: the printable export profile of a district as PDF, HTML or XLSX.

The content is assembled once by :mod:`dehub.services.district_report`; :mod:`.content` turns
it into key figures, tables and charts, and one module per format lays them out. The CLI
(``dehub report``) and the web routes (``/districts/{lgd}/report.{pdf,html,xlsx}``) both call
:func:`render_report`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dehub.errors import InvalidInput
from dehub.services.district_report import DistrictReport


@dataclass(frozen=True)
class ReportFormat:
    """A report format: its name (``--format``), file suffix and media type."""

    name: str
    suffix: str
    media_type: str
    inline: bool  # shown in the browser (PDF, HTML) rather than downloaded (XLSX)
    other_suffixes: tuple[str, ...] = ()

    @property
    def suffixes(self) -> tuple[str, ...]:
        return (self.suffix, *self.other_suffixes)


FORMATS = {
    "pdf": ReportFormat("pdf", ".pdf", "application/pdf", True),
    "html": ReportFormat("html", ".html", "text/html; charset=utf-8", True, (".htm",)),
    "xlsx": ReportFormat(
        "xlsx",
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        False,
    ),
}


def report_format(name: str) -> ReportFormat:
    """The format called ``name`` (case-insensitive); :class:`InvalidInput` otherwise."""
    found = FORMATS.get(name.strip().lower())
    if found is None:
        raise InvalidInput(f"unknown report format {name!r}: use one of {', '.join(FORMATS)}")
    return found


def check_output(path: Path, fmt: ReportFormat) -> Path:
    """Refuse an output file whose suffix disagrees with the format, or whose folder does not
    exist (or is a file), before any data is read."""
    suffix = path.suffix.lower()
    if suffix not in fmt.suffixes:
        raise InvalidInput(
            f"--out {str(path)!r} does not end in {fmt.suffix} as --format {fmt.name} writes "
            f"(it ends in {suffix or 'nothing'}); name the file *{fmt.suffix} or change --format"
        )
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(f"--out {str(path)!r}: the folder {str(folder)!r} does not exist")
    if path.is_dir():
        raise InvalidInput(f"--out {str(path)!r} is a folder; give a file name")
    return path


def render_report(report: DistrictReport, fmt: ReportFormat) -> bytes:
    """The report in ``fmt`` as bytes."""
    from dehub.reports.html import render_html
    from dehub.reports.pdf import render_pdf
    from dehub.reports.xlsx import render_xlsx

    renderers: dict[str, Callable[[DistrictReport], bytes]] = {
        "pdf": render_pdf,
        "html": lambda r: render_html(r).encode("utf-8"),
        "xlsx": render_xlsx,
    }
    return renderers[fmt.name](report)
