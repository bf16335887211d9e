"""The district report as an XLSX workbook: one sheet per table (key figures, sectors,
dominance, peers, the state's districts and sectors, ``products`` (ODOP, GI, PMFME with their
HS codes) and ``target_markets`` (every pair the report holds, every column)) and an ``about``
sheet with the report's
provenance, sources, licences and methods. Written by :func:`dehub.web.tables.xlsx_workbook`
(numbers as numbers; text a spreadsheet would run as a formula is neutralised)."""

from __future__ import annotations

from dehub.reports import content
from dehub.services.district_report import DistrictReport
from dehub.web.tables import xlsx_workbook


def render_xlsx(report: DistrictReport) -> bytes:
    """The report as XLSX bytes."""
    return xlsx_workbook(list(content.tables(report).values()))
