"""Builders of bad (and a few good) input files for the ingestion tests.

Each builder writes one small file into ``folder`` and returns its path. Everything is built at
test time (CSV with the csv module, XLSX with openpyxl, gzip with the gzip module): no binary file
is committed. Line numbers in the comments are the file's text lines (the header is line 1).
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Sequence
from pathlib import Path

FY_USD = "April, 24 To March, 25 Value(US $)"
FY_INR = "April, 24 To March, 25 Value(INR)"
FY_QTY = "April, 24 To March, 25 Quantity"
PREV_USD = "April, 23 To March, 24 Value(US $)"
PREV_INR = "April, 23 To March, 24 Value(INR)"

HEADER = ["State", "District", "HS Code", "Commodity Description", FY_USD, FY_INR]
"""The official DGCI&S district-wise layout, one financial year."""

GOOD_ROWS = [
    ["GUJARAT", "AHMADABAD", "01012100", "PURE-BRED BREEDING HORSES", "1000", "83000"],
    ["MEGHALAYA", "RI BHOI", "12119080", "AGARWOOD", "2000000", "166000000"],
    ["GUJARAT", "UNSPECIFIED", "12119080", "AGARWOOD", "5", "400"],
]
"""Three valid rows (lines 2-4 of a file): US$ 2,001,005 in total."""

HORSES = ["GUJARAT", "AHMADABAD", "01012100", "PURE-BRED BREEDING HORSES"]
AGARWOOD = ["MEGHALAYA", "RI BHOI", "12119080", "AGARWOOD"]

Row = Sequence[str]


def csv_text(rows: Sequence[Row], header: Row = HEADER, delimiter: str = ",") -> str:
    """CSV text (``\\n`` line ends) of a header and rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_csv(
    folder: Path,
    name: str,
    rows: Sequence[Row],
    header: Row = HEADER,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write a CSV file of a header and rows; return its path."""
    path = folder / name
    path.write_bytes(csv_text(rows, header, delimiter).encode(encoding))
    return path


def write_bytes(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# --- good files ---------------------------------------------------------------------------


def good_file(folder: Path, name: str = "good.csv") -> Path:
    """Three valid rows of the DGCI&S district layout (loads: 3 facts)."""
    return write_csv(folder, name, GOOD_ROWS)


def same_period_other_values(folder: Path) -> Path:
    """A valid file of the same source, period and granularity as :func:`good_file` (district
    and unattributed rows, HS8, all partners) with other values: clashes with it."""
    rows = [
        [*HORSES, "2000", "166000"],
        ["GUJARAT", "UNSPECIFIED", "12119080", "AGARWOOD", "6", "500"],
    ]
    return write_csv(folder, "good_again.csv", rows)


def same_period_districts_only(folder: Path) -> Path:
    """Like :func:`same_period_other_values` but without an UNSPECIFIED (unattributed) row."""
    return write_csv(folder, "good_districts.csv", [[*HORSES, "2000", "166000"]])


# --- file-level problems (exit 2) ---------------------------------------------------------


def empty_file(folder: Path) -> Path:
    """0 bytes."""
    return write_bytes(folder, "empty.csv", b"")


def whitespace_only(folder: Path) -> Path:
    """Spaces, tabs and blank lines only."""
    return write_bytes(folder, "blank.csv", b"   \n\t\n  \r\n\n")


def header_only(folder: Path) -> Path:
    """The header and no data row."""
    return write_csv(folder, "header_only.csv", [])


def single_column_header(folder: Path) -> Path:
    """Space-separated text: the header (line 1) is one column (no , ; tab or |)."""
    text = "State District HSCode Value\nGUJARAT AHMADABAD 01012100 1000\n"
    return write_bytes(folder, "spaces.txt", text.encode())


def latin1_file(folder: Path) -> Path:
    """Latin-1 bytes: the é of line 3 (byte 0xe9) is not UTF-8."""
    rows = [
        [*HORSES, "1000", "83000"],
        ["MEGHALAYA", "RI BHOI", "12119080", "AGARWOOD (café grade)", "2000000", "166000000"],
    ]
    return write_csv(folder, "latin1.csv", rows, encoding="latin-1")


def truncated_gzip(folder: Path) -> Path:
    """A tiny .csv.gz cut in half (the reader's first look already fails)."""
    data = gzip.compress(csv_text(GOOD_ROWS).encode())
    return write_bytes(folder, "cut.csv.gz", data[: len(data) // 2])


def truncated_big_gzip(folder: Path) -> Path:
    """A .csv.gz of ~3 MB of text cut in half: the first MiB decompresses, the rest does not."""
    rows = [[*HORSES, str(i), str(i * 83)] for i in range(60_000)]
    data = gzip.compress(csv_text(rows).encode(), compresslevel=1)
    return write_bytes(folder, "cut_big.csv.gz", data[: len(data) // 2])


def ragged_line(folder: Path) -> Path:
    """Line 3 has 7 fields for a 6-column header."""
    text = csv_text(GOOD_ROWS[:1]) + "MEGHALAYA,RI BHOI,12119080,AGARWOOD,2000000,166000000,99\n"
    return write_bytes(folder, "ragged.csv", text.encode())


def duplicate_column_names(folder: Path) -> Path:
    """``State`` twice in the header."""
    header = ["State", "District", "HS Code", "State", FY_USD, FY_INR]
    return write_csv(
        folder,
        "dupcols.csv",
        [["GUJARAT", "AHMADABAD", "01012100", "GUJARAT", "1000", "83000"]],
        header,
    )


def part_year_column(folder: Path) -> Path:
    """A period column of April to September 2024 (neither a whole FY nor one month)."""
    header = [
        "State",
        "District",
        "HS Code",
        "Commodity Description",
        "April, 24 To September, 24 Value(US $)",
        "April, 24 To September, 24 Value(INR)",
    ]
    return write_csv(folder, "half_year.csv", [[*HORSES, "1000", "83000"]], header)


def unknown_value_unit(folder: Path) -> Path:
    """A value column in euros."""
    header = [
        "State",
        "District",
        "HS Code",
        "Commodity Description",
        "April, 24 To March, 25 Value(EUR)",
    ]
    return write_csv(folder, "euros.csv", [[*HORSES, "1000"]], header)


def header_fits_no_layout(folder: Path) -> Path:
    """A CSV whose columns belong to no layout."""
    return write_csv(
        folder, "people.csv", [["Asha", "42", "2024-04-01"]], ["Name", "Amount", "Date"]
    )


def district_sector_without_period(folder: Path) -> Path:
    """The dgcis-district-sector layout, which needs ``--period``."""
    header = ["State", "District", "sector", "export_usd", "export_inr"]
    return write_csv(
        folder, "sectors.csv", [["GUJARAT", "AHMADABAD", "footwear", "1000", "83000"]], header
    )


def xlsx_merged_header(folder: Path) -> Path:
    """A two-row header: the period spans E1:F1 (merged), the measures are in row 2."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        ["State", "District", "HS Code", "Commodity Description", "April, 24 To March, 25", None]
    )
    ws.append([None, None, None, None, "Value(US $)", "Value(INR)"])
    ws.merge_cells("E1:F1")
    for col in "ABCD":
        ws.merge_cells(f"{col}1:{col}2")
    ws.append([*HORSES, 1000, 83000])
    path = folder / "merged.xlsx"
    wb.save(path)
    return path


def xlsx_with_title_rows(folder: Path, bad_value: str | None = None) -> Path:
    """Two title rows and a blank row above the header (spreadsheet row 4); data in rows 5-7.

    With ``bad_value``, the US$ cell of spreadsheet row 6 holds it (the row is rejected).
    """
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Districts"
    ws["A1"] = "District-wise exports (DGCI&S)"
    ws["A2"] = "Period: April 2024 to March 2025"
    # row 3 is left blank
    for col, name in enumerate(HEADER, start=1):
        ws.cell(row=4, column=col, value=name)
    data = [
        [*HORSES, 1000, 83000],
        [*AGARWOOD, bad_value if bad_value is not None else 2000000, 166000000],
        ["GUJARAT", "UNSPECIFIED", "12119080", "AGARWOOD", 5, 400],
    ]
    for r, values in enumerate(data, start=5):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    path = folder / ("titled_bad.xlsx" if bad_value is not None else "titled.xlsx")
    wb.save(path)
    return path


def xlsx_title_rows_bad_row(folder: Path) -> Path:
    """:func:`xlsx_with_title_rows` with the text ``abc`` as the US$ value of row 6."""
    return xlsx_with_title_rows(folder, bad_value="abc")


# --- files that load (with a note) --------------------------------------------------------


def semicolon_delimited(folder: Path) -> Path:
    """The good rows separated by ``;``."""
    return write_csv(folder, "semicolon.csv", GOOD_ROWS, delimiter=";")


def semicolon_two_periods(folder: Path) -> Path:
    """``;``-separated with two financial years: the header holds 8 commas (inside quoted
    period names) and only 7 semicolons."""
    header = [
        "State",
        "District",
        "HS Code",
        "Commodity Description",
        PREV_USD,
        PREV_INR,
        FY_USD,
        FY_INR,
    ]
    rows = [
        [*HORSES, "900", "75000", "1000", "83000"],
        [*AGARWOOD, "100", "8300", "2000000", "166000000"],
    ]
    return write_csv(folder, "semicolon2.csv", rows, header, delimiter=";")


def utf8_bom(folder: Path) -> Path:
    """The good file with a UTF-8 byte-order mark."""
    return write_csv(folder, "bom.csv", GOOD_ROWS, encoding="utf-8-sig")


def hs_lost_leading_zero(folder: Path) -> Path:
    """HS code ``1012100`` (7 digits): Excel dropped the leading zero of 01012100."""
    return write_csv(
        folder,
        "lost_zero.csv",
        [
            ["GUJARAT", "AHMADABAD", "1012100", "PURE-BRED BREEDING HORSES", "1000", "83000"],
            GOOD_ROWS[1],
        ],
    )


def formula_in_description_only(folder: Path) -> Path:
    """A formula-like Commodity Description: a free-text column, not refused."""
    return write_csv(
        folder,
        "desc_formula_ok.csv",
        [["GUJARAT", "AHMADABAD", "01012100", "=1+1", "1000", "83000"]],
    )


# --- row-level problems (exit 3) ----------------------------------------------------------


def with_bad_row(folder: Path, name: str, bad: Row, header: Row = HEADER) -> Path:
    """Good rows on lines 2 and 4, ``bad`` on line 3."""
    return write_csv(folder, name, [GOOD_ROWS[0], bad, GOOD_ROWS[2]], header)


def totals_row(folder: Path, where: str = "State") -> Path:
    """A totals row on line 3: ``TOTAL`` as State, ``Grand Total`` as District, or ``Total``
    as HS Code."""
    bad = {
        "State": ["TOTAL", "", "", "", "2001005", "166083400"],
        "District": ["GUJARAT", "Grand Total", "", "", "1005", "83400"],
        "HS Code": ["GUJARAT", "AHMADABAD", "Total", "", "1000", "83000"],
    }[where]
    return with_bad_row(folder, f"totals_{where.replace(' ', '_').lower()}.csv", bad)


def duplicate_rows(folder: Path) -> Path:
    """Lines 2 and 3 are the same row."""
    return write_csv(folder, "dups.csv", [GOOD_ROWS[0], GOOD_ROWS[0], GOOD_ROWS[1]])


def bad_value(folder: Path, value: str = "abc", column: str = FY_USD) -> Path:
    """Line 3 holds ``value`` in ``column`` (a US$ or INR value column)."""
    bad = [*AGARWOOD, "2000000", "166000000"]
    bad[HEADER.index(column)] = value
    safe = "".join(ch if ch.isalnum() else "_" for ch in value)
    return with_bad_row(folder, f"value_{safe}.csv", bad)


def unknown_district(folder: Path) -> Path:
    """``AHMEDABD`` (a typo of AHMADABAD) on line 3."""
    return with_bad_row(
        folder, "typo_district.csv", ["GUJARAT", "AHMEDABD", "12119080", "AGARWOOD", "7", "580"]
    )


def unknown_state(folder: Path) -> Path:
    """``GUJRAT`` on line 3."""
    return with_bad_row(
        folder, "typo_state.csv", ["GUJRAT", "SURAT", "12119080", "AGARWOOD", "7", "580"]
    )


COUNTRY_HEADER = [
    "State",
    "District",
    "HS Code",
    "Commodity Description",
    "Country",
    FY_USD,
    FY_INR,
]


def unknown_country(folder: Path) -> Path:
    """``GERMNY`` in the Country column of line 3 (line 2 is ``U S A``, valid)."""
    rows = [
        [*HORSES, "U S A", "1000", "83000"],
        [*HORSES, "GERMNY", "500", "41500"],
        [*AGARWOOD, "U S A", "2000000", "166000000"],
    ]
    return write_csv(folder, "typo_country.csv", rows, COUNTRY_HEADER)


def bad_hs_code(folder: Path, code: str = "0101A100") -> Path:
    """Line 3 has HS code ``code`` (letters, 10 digits, an unknown chapter...)."""
    return with_bad_row(
        folder, f"hs_{code}.csv", ["GUJARAT", "SURAT", code, "SOMETHING", "7", "580"]
    )


def mixed_hs_levels(folder: Path) -> Path:
    """Lines 2 and 4 at 8 digits, line 3 at 4 digits (``0101``)."""
    return with_bad_row(
        folder, "mixed_levels.csv", ["GUJARAT", "SURAT", "0101", "HORSES", "7", "580"]
    )


def mixed_units(folder: Path) -> Path:
    """HS 01012100 in KGS on line 2 and in NOS on line 3; line 4 is another code."""
    header = [
        "State",
        "District",
        "HS Code",
        "Commodity Description",
        "Unit",
        FY_USD,
        FY_INR,
        FY_QTY,
    ]
    rows = [
        ["GUJARAT", "AHMADABAD", "01012100", "HORSES", "KGS", "1000", "83000", "500"],
        ["GUJARAT", "SURAT", "01012100", "HORSES", "NOS", "2000", "166000", "2"],
        [*AGARWOOD, "KGS", "2000000", "166000000", "10"],
    ]
    return write_csv(folder, "mixed_units.csv", rows, header)


FORMULAS = {
    "State": "=1+2",
    "District": "+AHMADABAD",
    "District-minus": "-AHMADABAD",
    "Country": "@SUM(A1)",
}


def formula_cell(folder: Path, where: str = "State") -> Path:
    """A formula-like cell on line 3 in State, District or Country (see :data:`FORMULAS`)."""
    row = [*HORSES, "U S A", "500", "41500"]
    column = where.split("-")[0]
    row[COUNTRY_HEADER.index(column)] = FORMULAS[where]
    rows = [
        [*HORSES, "GERMANY", "1000", "83000"],
        row,
        [*AGARWOOD, "U S A", "2000000", "166000000"],
    ]
    return write_csv(folder, f"formula_{where.lower()}.csv", rows, COUNTRY_HEADER)


DESCRIPTION_FORMULA = '=HYPERLINK("http://example.invalid","click")'


def formula_description_in_bad_row(folder: Path) -> Path:
    """Line 3: a formula-like Commodity Description and a negative US$ value (the reason)."""
    return with_bad_row(
        folder,
        "desc_formula.csv",
        ["MEGHALAYA", "RI BHOI", "12119080", DESCRIPTION_FORMULA, "-5", "400"],
    )


def all_values_empty(folder: Path) -> Path:
    """One financial year, and every value cell of every row is empty."""
    rows = [[*HORSES, "", ""], [*AGARWOOD, "", ""]]
    return write_csv(folder, "no_values.csv", rows)


def all_values_empty_two_periods(folder: Path) -> Path:
    """Two financial years, and every value cell of every row is empty."""
    header = [
        "State",
        "District",
        "HS Code",
        "Commodity Description",
        PREV_USD,
        PREV_INR,
        FY_USD,
        FY_INR,
    ]
    rows = [[*HORSES, "", "", "", ""], [*AGARWOOD, "", "", "", ""]]
    return write_csv(folder, "no_values2.csv", rows, header)


CANONICAL_HEADER = [
    "period",
    "geo_level",
    "state",
    "district",
    "product_code",
    "value_usd",
    "value_inr",
]


def canonical(folder: Path, period: str = "2024-25", geo_level: str = "district") -> Path:
    """Canonical layout: line 2 valid, line 3 with ``period`` and ``geo_level``."""
    rows = [
        ["2024-25", "district", "GUJARAT", "AHMADABAD", "01012100", "1000", "83000"],
        [period, geo_level, "GUJARAT", "SURAT", "01012100", "2000", "166000"],
    ]
    safe = "".join(ch if ch.isalnum() else "_" for ch in f"{period}_{geo_level}")
    return write_csv(folder, f"canonical_{safe}.csv", rows, CANONICAL_HEADER)


def one_bad_of_three(folder: Path) -> Path:
    """Lines 2 and 4 valid; line 3 has US$ ``abc`` (for ``--accept-partial``)."""
    return bad_value(folder, "abc")


def every_row_bad(folder: Path) -> Path:
    """Every row has a non-numeric US$ value (``--accept-partial`` has nothing to load)."""
    rows = [[*HORSES, "abc", "83000"], [*AGARWOOD, "xyz", "166000000"]]
    return write_csv(folder, "all_bad.csv", rows)


def rejected_then_corrected(folder: Path, corrected: bool) -> Path:
    """``fixme.csv``: a district typo on line 3, or (``corrected``) the fixed file."""
    rows = [list(r) for r in GOOD_ROWS]
    if not corrected:
        rows[1][1] = "RIBOI"
    return write_csv(folder, "fixme.csv", rows)


# --- review findings: double counting, identities, values, lines, workbooks ----------------

CANONICAL_PARTNER_HEADER = [
    "period",
    "geo_level",
    "state",
    "district",
    "product_code",
    "partner",
    "value_usd",
]


def mixed_product_levels(folder: Path) -> Path:
    """Canonical district rows: HS codes on lines 2 and 5, a TOTAL on line 3 and a sector on
    line 4, for the same district (the TOTAL and the sector would double count the HS rows)."""
    rows = [
        ["2024-25", "district", "GUJARAT", "AHMADABAD", "0101", "", "1000"],
        ["2024-25", "district", "GUJARAT", "AHMADABAD", "TOTAL", "", "5000"],
        ["2024-25", "district", "GUJARAT", "AHMADABAD", "footwear", "", "3000"],
        ["2024-25", "district", "GUJARAT", "SURAT", "0102", "", "700"],
    ]
    return write_csv(folder, "mixed_product_levels.csv", rows, CANONICAL_PARTNER_HEADER)


def nested_hs_levels(folder: Path) -> Path:
    """HS 0101 (4 digits) on line 3 beside its own 8-digit codes on lines 2 and 4."""
    rows = [
        [*HORSES, "1000", "83000"],
        ["GUJARAT", "AHMADABAD", "0101", "HORSES", "1500", "124500"],
        ["GUJARAT", "AHMADABAD", "01012900", "OTHER HORSES", "500", "41500"],
    ]
    return write_csv(folder, "nested_levels.csv", rows)


def world_beside_countries(folder: Path) -> Path:
    """Line 3 is the WORLD total of AHMADABAD's horses, lines 2 and 4 the same by country."""
    rows = [
        [*HORSES, "U S A", "600", "49800"],
        [*HORSES, "WORLD", "1000", "83000"],
        [*HORSES, "GERMANY", "400", "33200"],
    ]
    return write_csv(folder, "world_and_countries.csv", rows, COUNTRY_HEADER)


STATE_PORT_HEADER = ["State", "Port", "Country", "AM24_USD", "AM24_INR"]


def port_total_beside_ports(folder: Path) -> Path:
    """Line 3 has no port (Gujarat's total to the USA), lines 2 and 4 the same by port."""
    rows = [
        ["GUJARAT", "MUNDRA", "U S A", "10", "830"],
        ["GUJARAT", "", "U S A", "15", "1245"],
        ["GUJARAT", "KANDLA SEA", "U S A", "5", "415"],
    ]
    return write_csv(folder, "port_total.csv", rows, STATE_PORT_HEADER)


def same_source_overlapping_levels(folder: Path) -> Path:
    """A canonical file recorded as source ``dgcis_district`` (``--source-name``): district HS8
    rows of 2024-25, as :func:`good_file`, plus a national TOTAL: its product and geography
    levels overlap those of :func:`good_file` without being equal."""
    rows = [
        ["2024-25", "district", "GUJARAT", "AHMADABAD", "01012100", "", "1000"],
        ["2024-25", "national", "", "", "TOTAL", "", "437000000000"],
    ]
    return write_csv(folder, "overlapping.csv", rows, CANONICAL_PARTNER_HEADER)


def duplicate_spellings(folder: Path) -> Path:
    """Line 3 repeats line 2's fact written differently: ``0101.21.00`` for ``01012100`` and
    `` ahmadabad `` for ``AHMADABAD``."""
    rows = [
        [*HORSES, "1000", "83000"],
        ["GUJARAT", " ahmadabad ", "0101.21.00", "PURE-BRED BREEDING HORSES", "1000", "83000"],
        GOOD_ROWS[1],
    ]
    return write_csv(folder, "dup_spellings.csv", rows)


def duplicate_lost_zero(folder: Path) -> Path:
    """Line 3 repeats line 2's HS code without its leading zero (``1012100``)."""
    rows = [[*HORSES, "1000", "83000"], ["Gujarat", "Ahmadabad", "1012100", "H", "5", "400"]]
    return write_csv(folder, "dup_lost_zero.csv", rows)


def district_sector(folder: Path) -> Path:
    """The dgcis-district-sector layout (its period comes from ``--period``)."""
    return district_sector_without_period(folder)


def quantity_only(folder: Path) -> Path:
    """Line 3 has a quantity and no value in US$ or INR."""
    header = [*HEADER, FY_QTY]
    rows = [[*HORSES, "1000", "83000", "2"], [*AGARWOOD, "", "", "10"], [*GOOD_ROWS[2], "1"]]
    return write_csv(folder, "quantity_only.csv", rows, header)


UNIT_HEADER = ["State", "District", "HS Code", "Commodity Description", "Unit", FY_USD, FY_QTY]


def formula_unit(folder: Path) -> Path:
    """Line 3's unit is ``=SUM(A1)``."""
    rows = [
        [*HORSES, "NOS", "1000", "2"],
        [*AGARWOOD, "=SUM(A1)", "2000000", "10"],
        [*GOOD_ROWS[2][:4], "KGS", "5", "1"],
    ]
    return write_csv(folder, "formula_unit.csv", rows, UNIT_HEADER)


def row_text(row: Row) -> str:
    """One CSV record (``\\n``-terminated)."""
    return csv_text([], header=row)


def blank_lines(folder: Path) -> Path:
    """Blank lines 3, 5 and 6; the bad row (US$ ``abc``) is physical line 7 (the 3rd record)."""
    text = (
        csv_text([GOOD_ROWS[0]])
        + "\n"
        + row_text(GOOD_ROWS[2])
        + "\n\n"
        + row_text([*AGARWOOD, "abc", "166000000"])
    )
    return write_bytes(folder, "blank_lines.csv", text.encode())


def multiline_cell(folder: Path) -> Path:
    """Line 2's description spans lines 2-4 (a quoted cell with an empty line inside); after a
    blank line 5, the bad row (US$ ``abc``) is physical line 6."""
    text = (
        csv_text([["GUJARAT", "AHMADABAD", "01012100", "HORSES\n\nPURE-BRED", "1000", "83000"]])
        + "\n"
        + row_text([*AGARWOOD, "abc", "166000000"])
    )
    return write_bytes(folder, "multiline.csv", text.encode())


def a_folder(folder: Path) -> Path:
    """A folder named as the file to load."""
    path = folder / "exports.csv"
    path.mkdir()
    return path


def xlsx_workbook(folder: Path, name: str, rows: Sequence[Sequence[object]]) -> Path:
    """A one-sheet workbook of ``rows`` (spreadsheet rows 1, 2, ...)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    path = folder / name
    wb.save(path)
    return path


def xlsx_duplicate_columns(folder: Path) -> Path:
    """A header row (row 2, under a title) naming ``State`` twice, once as ``STATE``."""
    header = ["State", "District", "HS Code", "STATE", FY_USD]
    return xlsx_workbook(folder, "dupcols.xlsx", [["Exports"], header, [*HORSES, 1000]])


def xlsx_cell_beyond_header(folder: Path) -> Path:
    """Row 3 has a value in column H, right of the header's last column (F)."""
    rows = [HEADER, [*HORSES, 1000, 83000], [*AGARWOOD, 2000000, 166000000, None, "99"]]
    return xlsx_workbook(folder, "beyond.xlsx", rows)


def xlsx_lower_case_header(folder: Path) -> Path:
    """A header in lower case under a title row; a US$ value of 0.00001 (a float Python writes
    as ``1e-05``); row 5 without its last (INR) cell."""
    header = [h.lower() for h in HEADER]
    rows = [
        ["Exports"],
        header,
        [*HORSES, 0.00001, 0.00083],
        [*AGARWOOD, 2000000, 166000000],
        [*GOOD_ROWS[2][:4], 5],
    ]
    return xlsx_workbook(folder, "lower.xlsx", rows)


def canonical_with_extra_column(folder: Path) -> Path:
    """A valid canonical file with a ``remarks`` column no layout reads."""
    header = [*CANONICAL_HEADER, "remarks"]
    rows = [["2024-25", "district", "GUJARAT", "AHMADABAD", "01012100", "1000", "83000", "ok"]]
    return write_csv(folder, "canonical_remarks.csv", rows, header)


def eidb_with_quantity_only(folder: Path) -> Path:
    """The EIDB layout: line 3 has a quantity and no value (as EIDB publishes some rows), line 4
    a column ``source`` no layout reads."""
    header = ["hs8", "fy", "country", "value_usd_mn", "quantity", "source"]
    rows = [
        ["01012100", "2024-25", "U S A", "0.5", "2", "eidb"],
        ["12119080", "2024-25", "U S A", "", "3", "eidb"],
    ]
    return write_csv(folder, "eidb.csv", rows, header)


def two_periods_unknown_district(folder: Path) -> Path:
    """Two financial years; line 3's district (``AHMEDABD``) is unknown: one problem, not one
    per period."""
    header = ["State", "District", "HS Code", "Commodity Description", PREV_USD, FY_USD]
    rows = [[*HORSES, "900", "1000"], ["GUJARAT", "AHMEDABD", "12119080", "AGARWOOD", "1", "2"]]
    return write_csv(folder, "two_periods_typo.csv", rows, header)
