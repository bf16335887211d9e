"""Staged CSV rows carry the physical line they start on, whatever the file's shape: the fast
path (one record per line, proved by a byte count in a thread) and DuckDB's count agree with
Python's csv module on random files with blank lines, CRLF ends, cells over several lines,
gzip and a missing final line end (one kind of line end per file: DuckDB's CSV reader refuses
a CRLF file with a bare LF inside a quoted cell)."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dehub.facts.csv_lines import LineCount
from dehub.facts.readers import stage_file
from tests.facts.test_bad_files import records_by_line

HEADER = "State,District,Value"
cell = st.sampled_from(["A", "B C", '"x|y"', '"m||n"', "12", ""])  # | is the file's line end
row = st.tuples(cell, cell, cell).map(",".join)
piece = st.one_of(row, row, row, st.just(""))  # "" is a blank line


@settings(max_examples=60)
@given(
    pieces=st.lists(piece, min_size=1, max_size=12).filter(lambda p: any(p)),
    crlf=st.booleans(),
    final_newline=st.booleans(),
    gzipped=st.booleans(),
)
def test_staged_lines_match_the_csv_module(
    tmp_path_factory: object, pieces: list[str], crlf: bool, final_newline: bool, gzipped: bool
) -> None:
    end = "\r\n" if crlf else "\n"
    body = end.join([HEADER, *pieces]).replace("|", end) + (end if final_newline else "")
    assume(not body.endswith(end + end))  # a trailing blank line is a different test's business
    folder = Path(tmp_path_factory.mktemp("lines"))  # type: ignore[attr-defined]
    path = folder / ("f.csv.gz" if gzipped else "f.csv")
    data = body.encode()
    path.write_bytes(gzip.compress(data) if gzipped else data)
    con = duckdb.connect()
    stage_file(con, path, "staged")
    got = dict(con.execute('SELECT _line, [State, District, "Value"] FROM staged').fetchall())
    expected = {
        line: [c if c != "" else None for c in rec]
        for line, rec in records_by_line(body).items()
        if line > 1 and rec
    }
    assert got == expected


def test_line_count_proves_one_record_per_line_only_for_plain_files(tmp_path: Path) -> None:
    cases = {
        "plain": (b"h\na\nb\n", True),
        "no final line end": (b"h\na\nb", True),
        "crlf": (b"h\r\na\r\nb\r\n", True),
        "blank line": (b"h\na\n\nb\n", False),
        "blank crlf line": (b"h\r\na\r\n\r\nb\r\n", False),
        "leading blank line": (b"\nh\na\nb\n", False),
        "stray carriage return": (b"h\na\rb\n", False),
    }
    for name, (data, one_per_line) in cases.items():
        for gzipped in (False, True):
            path = tmp_path / f"{name}.csv{'.gz' if gzipped else ''}"
            path.write_bytes(gzip.compress(data) if gzipped else data)
            assert LineCount.start(path).one_record_per_line(1, 2) is one_per_line, (name, gzipped)


def test_line_count_of_a_corrupt_gzip_proves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress(b"h\na\nb\n" * 1000)[:50])
    assert LineCount.start(path).one_record_per_line(1, 2) is False


@pytest.mark.slow
def test_lines_counted_on_demand_stay_in_file_order(tmp_path: Path) -> None:
    """A CSV staged without counting its lines, then numbered on demand after the ingest has
    turned DuckDB's insertion order off (as it does), still gets every record's physical line:
    4 M records with a blank line every 1,000 (large enough for DuckDB to read it in parallel,
    which scrambled the rowids the numbering relies on before it kept the order itself)."""
    path = tmp_path / "big.csv"
    n = 4_000_000
    with path.open("w", encoding="utf-8") as fh:
        fh.write("k,v\n")
        for start in range(0, n, 1000):
            fh.write("".join(f"{i},x\n" for i in range(start, start + 1000)) + "\n")
    con = duckdb.connect()
    con.execute("SET threads = 2")
    staged = stage_file(con, path, "staged", header_names={"k"}, exact_lines=False)
    con.execute("SET preserve_insertion_order = false")
    staged.ensure_exact_lines()
    # record k is on line 2 + k, moved down by the blank line after every 1,000 records
    wrong = con.execute(
        "SELECT count(*) FROM staged WHERE _line <> 2 + k::BIGINT + k::BIGINT // 1000"
    ).fetchone()
    assert wrong == (0,)
    assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (False,)
