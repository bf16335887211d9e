"""Bad input files, ingested through the CLI as a user would.

For every kind of bad file (built by :mod:`tests.facts.corpus`) the tests check the exit code,
the message (file, line, column, value and what was expected), that the store is unchanged, and
for row-level rejections the quarantine report: exactly the rejected lines, a reason for each,
the original cells, formula-like cells neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from dehub.cli.main import app
from dehub.facts.store import FactStore
from dehub.settings import Settings
from tests.facts import corpus as c
from tests.helpers import store_snapshot

Builder = Callable[[Path], Path]
FORMULA_START = ("=", "+", "-", "@")
_QUARANTINE = re.compile(r"(?:Rejected rows and reasons|report): (\S+\.rejected\.csv)")


def run(path: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["ingest", str(path), *args])


def describe(result: Result) -> str:
    return f"exit {result.exit_code}, exception {result.exception!r}, output:\n{result.output}"


def check_clean_exit(result: Result) -> None:
    """Whatever happened, it was reported as a message, not a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), describe(result)
    assert "Traceback" not in result.output, describe(result)


def neutralised(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def quarantine_path(output: str) -> Path:
    found = _QUARANTINE.search(output)
    assert found, f"no quarantine report path in the message:\n{output}"
    return Path(found.group(1))


def quarantine_files(settings: Settings) -> list[Path]:
    folder = settings.quarantine_dir
    return sorted(folder.glob("*.rejected.csv")) if folder.exists() else []


def records_by_line(text: str) -> dict[int, list[str]]:
    """The CSV records of ``text`` by the physical line they start on (1 = the header)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records, start = {}, 1
    for record in reader:
        records[start] = record
        start = reader.line_num + 1
    return records


def check_quarantine(
    settings: Settings,
    output: str,
    source: Path,
    lines: tuple[int, ...],
    cells: tuple[tuple[int, str, str], ...] = (),
) -> list[dict[str, str]]:
    """The report at the printed path holds exactly ``lines``, each with reasons and its
    original cells (neutralised); return its rows."""
    path = quarantine_path(output)
    assert path.is_file(), f"quarantine report {path} does not exist"
    assert path.parent == settings.quarantine_dir
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["line"]) for r in rows] == sorted(lines)
    for r in rows:
        assert r["reasons"].strip(), f"line {r['line']}: empty reasons"
        for column, cell in r.items():
            assert not cell.startswith(FORMULA_START), (
                f"line {r['line']}, column {column!r}: {cell!r} is not neutralised"
            )
    if source.suffix == ".csv":  # the report repeats the row's cells as they were
        original = records_by_line(source.read_text(encoding="utf-8-sig"))
        header = original[1]
        for r in rows:
            assert [r[col] for col in header] == [
                neutralised(cell) for cell in original[int(r["line"])]
            ]
    by_line = {int(r["line"]): r for r in rows}
    for line, column, text in cells:
        assert by_line[line][column] == text
    return rows


# --- the corpus of rejected files ---------------------------------------------------------


@dataclass(frozen=True)
class Case:
    build: Builder
    exit_code: int | tuple[int, ...]
    says: tuple[str, ...]
    """Substrings of the message (file name, line, column, value, what was expected)."""
    args: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()
    """Row-level rejections: the lines the quarantine report must hold (exactly)."""
    cells: tuple[tuple[int, str, str], ...] = ()
    """(line, column, cell) expected in the quarantine report."""
    absent: tuple[str, ...] = ()
    """Substrings the message must not hold."""
    preload: bool = False
    """Ingest a good file first, so the store being unchanged means something."""


def row3(
    file: str,
    column: str,
    value: str,
    *expected: str,
    build: Builder,
    cells: tuple[tuple[int, str, str], ...] = (),
    absent: tuple[str, ...] = (),
) -> Case:
    """A file rejected (exit 3) for line 3 only, with the good file loaded first: the message
    names the file, line 3, the column and the value, and says what was expected."""
    return Case(
        build,
        3,
        (file, "line 3", repr(column), repr(value), *expected),
        lines=(3,),
        cells=cells,
        absent=absent,
        preload=True,
    )


USD, INR = c.FY_USD, c.FY_INR
NUMBER = "expected a number"
FINITE = "finite"

CASES: dict[str, Case] = {
    # file-level problems: exit 2, nothing read
    "empty-file": Case(c.empty_file, 2, ("empty.csv", "empty"), preload=True),
    "whitespace-only": Case(c.whitespace_only, 2, ("blank.csv", "empty")),
    "header-only": Case(c.header_only, 2, ("header_only.csv", "no data rows"), preload=True),
    "single-column-header": Case(
        c.single_column_header,
        2,
        ("spaces.txt", "line 1", "single column", "State District HSCode Value", ", ; tab |"),
    ),
    "latin-1-as-utf-8": Case(
        c.latin1_file, 2, ("latin1.csv", "line 3", "UTF-8", "--encoding latin-1"), preload=True
    ),
    "truncated-gzip": Case(c.truncated_gzip, 2, ("cut.csv.gz", "gzip")),
    "truncated-gzip-large": Case(
        c.truncated_big_gzip, 2, ("cut_big.csv.gz", "gzip", "truncated"), preload=True
    ),
    "ragged-line": Case(c.ragged_line, 2, ("ragged.csv", "line 3", "6 columns")),
    "duplicate-column-names": Case(
        c.duplicate_column_names, 2, ("dupcols.csv", "line 1", "duplicate column", "'State'")
    ),
    "part-year-period-column": Case(
        c.part_year_column,
        2,
        (
            "half_year.csv",
            "April, 24 To September, 24 Value(US $)",
            "whole financial years",
            "single months",
        ),
        preload=True,
    ),
    "unknown-value-unit": Case(
        c.unknown_value_unit,
        2,
        ("euros.csv", "April, 24 To March, 25 Value(EUR)", "'EUR'", "US $", "INR"),
    ),
    "header-fits-no-layout": Case(
        c.header_fits_no_layout, 2, ("people.csv", "fits no known layout", "'Name'", "HS Code")
    ),
    "district-sector-without-period": Case(
        c.district_sector_without_period,
        2,
        ("sectors.csv", "--period", "2024-25"),
        args=("--source", "dgcis-district-sector"),
    ),
    "xlsx-merged-header": Case(
        c.xlsx_merged_header, 2, ("merged.xlsx", "row 1", "merged"), preload=True
    ),
    "every-value-empty-two-periods": Case(
        c.all_values_empty_two_periods, (2, 3), ("no_values2.csv", "no value"), preload=True
    ),
    # clashes with what is stored: exit 5
    "same-period-already-loaded": Case(
        c.same_period_other_values, 5, ("good_again.csv", "2024-25", "--replace"), preload=True
    ),
    "same-period-already-loaded-no-unattributed-rows": Case(
        c.same_period_districts_only,
        5,
        ("good_districts.csv", "2024-25", "--replace"),
        preload=True,
    ),
    # row-level problems: exit 3, quarantine report
    "totals-row-state-TOTAL": row3(
        "totals_state.csv",
        "State",
        "TOTAL",
        "totals row",
        build=partial(c.totals_row, where="State"),
    ),
    "totals-row-district-grand-total": row3(
        "totals_district.csv",
        "District",
        "Grand Total",
        "totals row",
        build=partial(c.totals_row, where="District"),
    ),
    "totals-row-hs-code-total": row3(
        "totals_hs_code.csv",
        "HS Code",
        "Total",
        "totals row",
        build=partial(c.totals_row, where="HS Code"),
    ),
    "duplicate-rows": Case(
        c.duplicate_rows,
        3,
        ("dups.csv", "line 2", "line 3", "duplicate row"),
        lines=(2, 3),
        preload=True,
    ),
    "negative-value": row3(
        "value__5.csv",
        USD,
        "-5",
        "zero or more",
        cells=((3, USD, "'-5"),),
        build=partial(c.bad_value, value="-5"),
    ),
    "non-numeric-abc": row3(
        "value_abc.csv", USD, "abc", NUMBER, build=partial(c.bad_value, value="abc")
    ),
    "non-numeric-thousands-separator": row3(
        "value_1_234.csv",
        USD,
        "1,234",
        NUMBER,
        "thousands separators",
        build=partial(c.bad_value, value="1,234"),
    ),
    "non-numeric-currency": row3(
        "value_12_USD.csv", USD, "12 USD", NUMBER, build=partial(c.bad_value, value="12 USD")
    ),
    "nan-value": row3("value_NaN.csv", USD, "NaN", FINITE, build=partial(c.bad_value, value="NaN")),
    "inf-value": row3("value_inf.csv", USD, "inf", FINITE, build=partial(c.bad_value, value="inf")),
    "minus-infinity-inr": row3(
        "value__Infinity.csv",
        INR,
        "-Infinity",
        FINITE,
        cells=((3, INR, "'-Infinity"),),
        build=partial(c.bad_value, value="-Infinity", column=INR),
    ),
    "unknown-district": row3(
        "typo_district.csv",
        "District",
        "AHMEDABD",
        "unknown district",
        "did you mean",
        "AHMADABAD",
        build=c.unknown_district,
    ),
    "unknown-state": row3(
        "typo_state.csv",
        "State",
        "GUJRAT",
        "unknown state",
        "did you mean",
        "Gujarat",
        build=c.unknown_state,
    ),
    "unknown-country": row3(
        "typo_country.csv",
        "Country",
        "GERMNY",
        "unknown country",
        "did you mean",
        "Germany",
        build=c.unknown_country,
    ),
    "hs-code-with-letters": row3(
        "hs_0101A100.csv", "HS Code", "0101A100", "2, 4, 6 or 8 digits", build=c.bad_hs_code
    ),
    "hs-code-10-digits": row3(
        "hs_0101210000.csv",
        "HS Code",
        "0101210000",
        "2, 4, 6 or 8 digits",
        "10 digits",
        build=partial(c.bad_hs_code, code="0101210000"),
    ),
    "hs-chapter-77": row3(
        "hs_77010000.csv",
        "HS Code",
        "77010000",
        "unknown HS chapter 77",
        build=partial(c.bad_hs_code, code="77010000"),
    ),
    "hs-chapter-98": row3(
        "hs_98010000.csv",
        "HS Code",
        "98010000",
        "unknown HS chapter 98",
        build=partial(c.bad_hs_code, code="98010000"),
    ),
    "mixed-hs-levels": row3(
        "mixed_levels.csv",
        "HS Code",
        "0101",
        "4 digits",
        "8 digits",
        "one HS level",
        build=c.mixed_hs_levels,
    ),
    "mixed-units": Case(
        c.mixed_units,
        3,
        (
            "mixed_units.csv",
            "line 2",
            "line 3",
            "'Unit'",
            "'KGS'",
            "'NOS'",
            "mixed units",
            "01012100",
        ),
        lines=(2, 3),
        preload=True,
    ),
    "formula-state": row3(
        "formula_state.csv",
        "State",
        "=1+2",
        "formula",
        cells=((3, "State", "'=1+2"),),
        build=partial(c.formula_cell, where="State"),
    ),
    "formula-district-plus": row3(
        "formula_district.csv",
        "District",
        "+AHMADABAD",
        "formula",
        cells=((3, "District", "'+AHMADABAD"),),
        build=partial(c.formula_cell, where="District"),
    ),
    "formula-district-minus": row3(
        "formula_district-minus.csv",
        "District",
        "-AHMADABAD",
        "formula",
        cells=((3, "District", "'-AHMADABAD"),),
        build=partial(c.formula_cell, where="District-minus"),
    ),
    "formula-country-at": row3(
        "formula_country.csv",
        "Country",
        "@SUM(A1)",
        "formula",
        cells=((3, "Country", "'@SUM(A1)"),),
        build=partial(c.formula_cell, where="Country"),
    ),
    "formula-description-neutralised": row3(
        "desc_formula.csv",
        USD,
        "-5",
        "zero or more",
        cells=((3, "Commodity Description", "'" + c.DESCRIPTION_FORMULA), (3, USD, "'-5")),
        absent=("'Commodity Description'",),
        build=c.formula_description_in_bad_row,
    ),
    "xlsx-title-rows-bad-row-line": Case(
        c.xlsx_title_rows_bad_row,
        3,
        ("titled_bad.xlsx", "line 6", repr(USD), "'abc'", NUMBER),
        lines=(6,),
        cells=((6, USD, "abc"), (6, "District", "RI BHOI")),
        preload=True,
    ),
    "every-value-empty": Case(
        c.all_values_empty,
        3,
        ("no_values.csv", "line 2", "line 3", "no value"),
        lines=(2, 3),
        preload=True,
    ),
    "canonical-period-2024-2025": Case(
        partial(c.canonical, period="2024-2025"),
        3,
        ("canonical_2024_2025_district.csv", "line 3", "'period'", "'2024-2025'", "2024-25"),
        lines=(3,),
        preload=True,
    ),
    "canonical-period-FY25": Case(
        partial(c.canonical, period="FY25"),
        3,
        ("canonical_FY25_district.csv", "line 3", "'period'", "'FY25'", "2024-25"),
        lines=(3,),
    ),
    "canonical-geo-level": Case(
        partial(c.canonical, geo_level="city"),
        3,
        ("canonical_2024_25_city.csv", "line 3", "'geo_level'", "'city'", "district"),
        lines=(3,),
        preload=True,
    ),
    # review findings: double counting
    "mixed-product-levels-total-sector-hs": Case(
        c.mixed_product_levels,
        3,
        (
            "mixed_product_levels.csv",
            "line 3",
            "line 4",
            "'product_code'",
            "'TOTAL'",
            "'footwear'",
            "a TOTAL row",
            "district rows are HS codes",
            "one product level per geography level",
        ),
        lines=(3, 4),
        preload=True,
    ),
    "nested-hs-levels-4-and-8": row3(
        "nested_levels.csv",
        "HS Code",
        "0101",
        "4 digits",
        "8 digits",
        "one HS level",
        build=c.nested_hs_levels,
    ),
    "world-total-beside-countries": row3(
        "world_and_countries.csv",
        "Country",
        "WORLD",
        "all partners (WLD)",
        "by country",
        "e.g. line 2",
        "double counted",
        build=c.world_beside_countries,
    ),
    "port-total-beside-ports": Case(
        c.port_total_beside_ports,
        3,
        ("port_total.csv", "line 3", "'Port'", "no port", "by port", "e.g. line 2", "double"),
        lines=(3,),
        preload=True,
    ),
    "same-source-overlapping-levels": Case(
        c.same_source_overlapping_levels,
        5,
        ("overlapping.csv", "dgcis_district", "release #1", "2024-25", "--replace"),
        args=("--source-name", "dgcis_district"),
        preload=True,
    ),
    # review findings: one fact written twice in different ways
    "duplicate-spellings-case-space-hs-dots": Case(
        c.duplicate_spellings,
        3,
        ("dup_spellings.csv", "line 2", "line 3", "duplicate row", "ignoring case"),
        lines=(2, 3),
        preload=True,
    ),
    "duplicate-hs-lost-leading-zero": Case(
        c.duplicate_lost_zero,
        3,
        ("dup_lost_zero.csv", "line 2", "line 3", "duplicate row"),
        lines=(2, 3),
        preload=True,
    ),
    # review findings: --period
    "district-sector-period-not-consecutive": Case(
        c.district_sector,
        2,
        ("sectors.csv", "--period '2024-26'", "2024-25", "consecutive", "2024-04"),
        args=("--source", "dgcis-district-sector", "--period", "2024-26"),
        preload=True,
    ),
    "district-sector-period-FY25": Case(
        c.district_sector,
        2,
        ("sectors.csv", "--period 'FY25'", "financial year"),
        args=("--period", "FY25"),
    ),
    "period-for-a-layout-with-periods-in-the-file": Case(
        c.good_file,
        2,
        ("good.csv", "--period '2023-24'", "'dgcis-district'", "from the file"),
        args=("--period", "2023-24"),
    ),
    # review findings: value, quantity and unit cells
    "non-numeric-plus-sign": row3(
        "value__5000.csv",
        USD,
        "+5000",
        NUMBER,
        cells=((3, USD, "'+5000"),),
        build=partial(c.bad_value, value="+5000"),
    ),
    "non-numeric-underscore": row3(
        "value_1_000.csv", USD, "1_000", NUMBER, build=partial(c.bad_value, value="1_000")
    ),
    "non-numeric-exponent": row3(
        "value_2e6.csv", USD, "2e6", NUMBER, "exponents", build=partial(c.bad_value, value="2e6")
    ),
    "quantity-without-value": Case(
        c.quantity_only,
        3,
        ("quantity_only.csv", "line 3", repr(USD), "no value", "quantity without a value"),
        lines=(3,),
        preload=True,
    ),
    "formula-unit": row3(
        "formula_unit.csv",
        "Unit",
        "=SUM(A1)",
        "formula",
        cells=((3, "Unit", "'=SUM(A1)"),),
        build=c.formula_unit,
    ),
    # review findings: line numbers, workbooks
    "blank-lines-physical-line-numbers": Case(
        c.blank_lines,
        3,
        ("blank_lines.csv", "line 7", repr(USD), "'abc'", NUMBER),
        lines=(7,),
        absent=("line 4,",),
        preload=True,
    ),
    "multi-line-cell-physical-line-numbers": Case(
        c.multiline_cell,
        3,
        ("multiline.csv", "line 6", repr(USD), "'abc'", NUMBER),
        lines=(6,),
        preload=True,
    ),
    "xlsx-duplicate-column-names": Case(
        c.xlsx_duplicate_columns,
        2,
        ("dupcols.xlsx", "row 2", "duplicate column", "'STATE'", "'State'"),
        absent=(".csv",),
        preload=True,
    ),
    "xlsx-cell-beyond-header": Case(
        c.xlsx_cell_beyond_header,
        2,
        ("beyond.xlsx", "row 3, column H", "'99'", "right of the header", "F"),
        preload=True,
    ),
    # review findings: no tracebacks
    "folder-as-file": Case(c.a_folder, 2, ("exports.csv", "is a folder"), preload=True),
    "unknown-encoding-name": Case(
        c.good_file, 2, ("--encoding 'klingon'", "unknown encoding"), args=("--encoding", "klingon")
    ),
    "not-ascii-under-encoding-ascii": Case(
        c.latin1_file,
        2,
        ("latin1.csv", "line 3", "not valid ascii", "0xe9", "--encoding"),
        args=("--encoding", "ascii"),
        preload=True,
    ),
    "encoding-the-reader-lacks": Case(
        c.good_file, 2, ("--encoding 'cp1252'", "utf-8, latin-1"), args=("--encoding", "cp1252")
    ),
    "accept-partial-every-row-bad": Case(
        c.every_row_bad,
        3,
        ("all_bad.csv", "line 2", "line 3", "'abc'", "'xyz'", NUMBER),
        args=("--accept-partial",),
        lines=(2, 3),
        preload=True,
    ),
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_bad_file_is_refused(case: Case, settings: Settings, tmp_path: Path) -> None:
    if case.preload:
        (tmp_path / "first").mkdir()
        loaded = run(c.good_file(tmp_path / "first"))
        assert loaded.exit_code == 0, describe(loaded)
    before = store_snapshot(settings)
    assert before[0] == (3 if case.preload else 0)
    path = case.build(tmp_path)

    result = run(path, *case.args)

    check_clean_exit(result)
    codes = case.exit_code if isinstance(case.exit_code, tuple) else (case.exit_code,)
    assert result.exit_code in codes, describe(result)
    missing = [s for s in case.says if s not in result.output]
    assert not missing, f"message lacks {missing}:\n{result.output}"
    present = [s for s in case.absent if s in result.output]
    assert not present, f"message should not hold {present}:\n{result.output}"
    assert store_snapshot(settings) == before
    if case.lines:
        check_quarantine(settings, result.output, path, case.lines, case.cells)
    elif result.exit_code == 2:
        assert quarantine_files(settings) == [], "a file-level error wrote a quarantine report"


# --- files that load, with a note ---------------------------------------------------------


@dataclass(frozen=True)
class Loads:
    build: Builder
    facts: int
    notes: tuple[tuple[str, ...], ...] = ()
    """Each tuple: substrings that one ``note:`` line must hold together."""
    args: tuple[str, ...] = ()
    total_usd: float | None = None


LOADS: dict[str, Loads] = {
    "semicolon-delimited": Loads(
        c.semicolon_delimited, 3, (("delimiter", "';'"),), total_usd=2_001_005
    ),
    "semicolon-delimited-two-periods": Loads(
        c.semicolon_two_periods, 4, (("delimiter", "';'"),), total_usd=2_002_000
    ),
    "utf-8-bom": Loads(c.utf8_bom, 3, total_usd=2_001_005),
    "latin-1-with-encoding-option": Loads(
        c.latin1_file, 2, args=("--encoding", "latin-1"), total_usd=2_001_000
    ),
    "hs-code-lost-leading-zero": Loads(
        c.hs_lost_leading_zero, 2, (("leading zero", "1012100", "01012100"),), total_usd=2_001_000
    ),
    "xlsx-title-rows": Loads(
        c.xlsx_with_title_rows, 3, (("title row",), ("Districts",)), total_usd=2_001_005
    ),
    "formula-description-not-refused": Loads(c.formula_in_description_only, 1, total_usd=1000),
    "xlsx-lower-case-header-and-small-float": Loads(
        c.xlsx_lower_case_header, 3, (("title row",),), total_usd=2_000_005.00001
    ),
    "canonical-ignored-column-noted": Loads(
        c.canonical_with_extra_column, 1, (("ignored column", "'remarks'"),), total_usd=1000
    ),
    "eidb-quantity-without-value-kept-and-noted": Loads(
        c.eidb_with_quantity_only,
        2,
        (("1 row(s) have a quantity but no value",), ("ignored column", "'source'")),
        total_usd=500_000,
    ),
    "district-sector-with-period": Loads(
        c.district_sector, 1, args=("--period", "2024-25"), total_usd=1000
    ),
}


@pytest.mark.parametrize("case", list(LOADS.values()), ids=list(LOADS))
def test_awkward_file_loads(case: Loads, settings: Settings, tmp_path: Path) -> None:
    path = case.build(tmp_path)
    result = run(path, *case.args)
    check_clean_exit(result)
    assert result.exit_code == 0, describe(result)
    assert f"{path.name}: loaded" in result.output
    note_lines = [line for line in result.output.splitlines() if "note:" in line]
    for wanted in case.notes:
        assert any(all(w in line for w in wanted) for line in note_lines), (
            f"no note with {wanted}:\n{result.output}"
        )
    facts, releases, _ = store_snapshot(settings)
    assert facts == case.facts
    assert len(releases) == 1
    if case.total_usd is not None:
        with FactStore.open(settings, read_only=True) as st:
            row = st.con.execute("SELECT sum(value_usd) FROM facts").fetchone()
        assert row is not None and row[0] == pytest.approx(case.total_usd)
    assert quarantine_files(settings) == []


def test_lost_leading_zero_is_stored_restored(settings: Settings, tmp_path: Path) -> None:
    result = run(c.hs_lost_leading_zero(tmp_path))
    assert result.exit_code == 0, describe(result)
    with FactStore.open(settings, read_only=True) as st:
        codes = {r[0] for r in st.con.execute("SELECT product_code FROM facts").fetchall()}
    assert codes == {"01012100", "12119080"}


def test_bom_header_is_recognised(settings: Settings, tmp_path: Path) -> None:
    """The first column (``State``) is read as such despite the BOM before it."""
    result = run(c.utf8_bom(tmp_path))
    assert result.exit_code == 0, describe(result)
    with FactStore.open(settings, read_only=True) as st:
        rows = st.con.execute(
            "SELECT state_code, geo_level FROM facts ORDER BY value_usd"
        ).fetchall()
    assert [r[1] for r in rows] == ["unattributed", "district", "district"]
    assert all(r[0] is not None for r in rows)


# --- workflows ----------------------------------------------------------------------------


def test_accept_partial_loads_the_good_rows(settings: Settings, tmp_path: Path) -> None:
    path = c.one_bad_of_three(tmp_path)
    result = run(path, "--accept-partial")
    check_clean_exit(result)
    assert result.exit_code == 0, describe(result)
    assert "partial" in result.output
    facts, releases, _ = store_snapshot(settings)
    assert facts == 2 and len(releases) == 1
    with FactStore.open(settings, read_only=True) as st:
        values = sorted(r[0] for r in st.con.execute("SELECT value_usd FROM facts").fetchall())
    assert values == [5, 1000]  # lines 2 and 4
    check_quarantine(settings, result.output, path, (3,))


def test_rejected_file_then_corrected_file_loads(settings: Settings, tmp_path: Path) -> None:
    path = c.rejected_then_corrected(tmp_path, corrected=False)
    rejected = run(path)
    check_clean_exit(rejected)
    assert rejected.exit_code == 3, describe(rejected)
    assert "fixme.csv" in rejected.output and "'RIBOI'" in rejected.output
    assert store_snapshot(settings)[:2] == (0, [])
    check_quarantine(settings, rejected.output, path, (3,))

    c.rejected_then_corrected(tmp_path, corrected=True)
    loaded = run(path)
    check_clean_exit(loaded)
    assert loaded.exit_code == 0, describe(loaded)
    assert "fixme.csv: loaded" in loaded.output
    facts, releases, _ = store_snapshot(settings)
    assert facts == 3 and len(releases) == 1


def test_reingesting_the_same_file_is_a_no_op(settings: Settings, tmp_path: Path) -> None:
    path = c.good_file(tmp_path)
    first = run(path)
    assert first.exit_code == 0, describe(first)
    after_first = store_snapshot(settings)
    assert after_first[0] == 3

    again = run(path)
    check_clean_exit(again)
    assert again.exit_code == 0, describe(again)
    assert "unchanged" in again.output and "good.csv" in again.output
    assert store_snapshot(settings) == after_first


def test_latin1_refused_then_loaded_with_encoding(settings: Settings, tmp_path: Path) -> None:
    path = c.latin1_file(tmp_path)
    refused = run(path)
    check_clean_exit(refused)
    assert refused.exit_code == 2, describe(refused)
    assert "--encoding latin-1" in refused.output
    assert store_snapshot(settings)[:2] == (0, [])

    loaded = run(path, "--encoding", "latin-1")
    check_clean_exit(loaded)
    assert loaded.exit_code == 0, describe(loaded)
    assert store_snapshot(settings)[0] == 2
