"""The single-pass load (:mod:`dehub.facts.single_pass`) is only a faster road to the outcome of
the full row checks: on random DGCI&S district files (good rows, duplicates, aliases that merge,
bad, huge, empty or spaced values, blank lines) a store loaded with it and a store loaded with it
turned off end up identical, or refuse the file with identical problems. Directed tests show a
clean file really takes it, a bad one falls back with exact physical lines, nothing is left
behind by a refused or conflicting load, and how a release is stored (ENUM codes read back as
text through the ``facts`` view, constant columns recorded once in ``release_constants``)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from dehub.errors import Conflict, DehubError, IngestRejected
from dehub.facts import single_pass
from dehub.facts.checks import check_rows
from dehub.facts.ingest import ingest_file
from dehub.facts.schema import CONSTANT_COLUMNS
from dehub.facts.store import PENDING_FACTS, FactStore
from tests.facts import corpus as c

PLACES = [
    ("GUJARAT", "AHMADABAD"),
    ("GUJARAT", "AHMEDABAD"),  # a documented alias of AHMADABAD: rows of both are added up
    ("Gujarat", "Ahmadabad"),  # the same name in another case: a duplicate, not an alias
    ("MEGHALAYA", "RI BHOI"),
    ("GUJARAT", "SURAT"),
    ("GUJARAT", "UNSPECIFIED"),
]
PRODUCTS = [("01012100", "PURE-BRED BREEDING HORSES"), ("12119080", "AGARWOOD")]

# values are integers or halves/quarters: every sum is exact, whatever order rows are added in
good_value = st.one_of(
    st.integers(0, 10**7).map(str), st.sampled_from(["0", "007", "12.5", ".25", "3.75"])
)
spaced_value = good_value.map(lambda v: f" {v} ") | good_value.map(lambda v: f"{v}  ")
bad_value = st.sampled_from(
    ["-5", "abc", "9" * 400, "1e5", "1,000", "+5", "5 5", "\t5", "nan", "inf"]
)
empty_value = st.sampled_from(["", "   "])


@st.composite
def district_file(draw: st.DrawFn) -> str:
    """A district-layout CSV of one or two financial years: records of :data:`PLACES` x
    :data:`PRODUCTS` with values, maybe bad ones, maybe repeated records, blank lines above some
    records."""
    header = (
        [*c.HEADER[:4], c.PREV_USD, c.PREV_INR, *c.HEADER[4:]] if draw(st.booleans()) else c.HEADER
    )
    cells = [good_value, good_value, good_value, spaced_value, empty_value]
    if draw(st.booleans()):  # half the files may hold values the checks refuse
        cells.append(bad_value)
    record = st.tuples(
        st.integers(0, len(PLACES) - 1),
        st.integers(0, len(PRODUCTS) - 1),
        st.lists(st.one_of(cells), min_size=len(header) - 4, max_size=len(header) - 4),
        st.sampled_from([0, 0, 0, 0, 1, 2]),  # blank lines above the record
    )
    unique = draw(st.booleans())  # else two records may share a place and a product
    records = draw(
        st.lists(record, min_size=1, max_size=6, unique_by=(lambda r: r[:2]) if unique else None)
    )
    repeats = draw(st.lists(st.integers(0, 5), max_size=1 if draw(st.booleans()) else 0))
    chosen = records + [records[i % len(records)] for i in repeats]
    text = c.csv_text([], header)
    for place, product, values, blanks in chosen:
        text += "\n" * blanks + c.row_text([*PLACES[place], *PRODUCTS[product], *values])
    return text


@contextmanager
def spies() -> Iterator[dict[str, int]]:
    """Count the calls of ``single_pass.prepare`` and of the full row checks while active."""
    calls = {"prepare": 0, "check_rows": 0}
    prepare = single_pass.prepare

    def counted(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(single_pass, "prepare", counted("prepare", prepare))
        # the loader's own name for the full row checks (imported from dehub.facts.checks)
        mp.setattr("dehub.facts.ingest.check_rows", counted("check_rows", check_rows))
        yield calls


def outcome(path: Path, folder: Path) -> tuple[Any, ...]:
    """Ingest ``path`` into a fresh store in ``folder``: what a user and the store can see."""
    with FactStore(folder / "facts.duckdb") as store:
        try:
            result = ingest_file(store, path, quarantine_dir=folder / "quarantine")
        except DehubError as exc:
            reports = sorted((folder / "quarantine").glob("*.rejected.csv"))
            message = re.sub(r"\S+\.rejected\.csv", "<report>", exc.message)
            return (
                "refused",
                type(exc),
                message,
                exc.details,
                [p.read_text() for p in reports],
                store.con.execute("SELECT count(*) FROM releases").fetchall(),
            )
        facts = store.con.execute("SELECT * FROM facts_active ORDER BY ALL").fetchall()
        releases = store.con.execute(
            "SELECT release_id, source, release, layout, periods, geo_levels, product_levels, "
            "by_partner, by_port, row_count, total_usd, total_inr, status, notes FROM releases"
        ).fetchall()
        groups = store.con.execute("SELECT * FROM release_groups ORDER BY ALL").fetchall()
        assert (
            groups
            == store.con.execute(
                "SELECT release_id, period, geo_level, product_level, count(*), sum(value_usd), "
                "sum(value_inr) FROM facts GROUP BY ALL ORDER BY ALL"
            ).fetchall()
        )
        return "loaded", result.as_dict(), facts, releases, groups


def assert_both_roads_agree(text: str, name: str) -> None:
    """Ingest ``text`` (as file ``name``) with the single pass allowed and with it turned off
    (the full checks alone), each into a fresh store: the outcomes are equal."""
    with tempfile.TemporaryDirectory(prefix="dehub-sp-") as tmp:
        folder = Path(tmp)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        with spies() as calls:
            fast = outcome(path, folder / "fast")
        event(f"{fast[0]} by the single pass" if calls["check_rows"] == 0 else f"{fast[0]}")
        if fast[0] == "loaded" and any("added to another row" in n for n in fast[1]["notes"]):
            event("loaded with rows added together")
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(single_pass, "maps_clean", lambda _con, _norm: False)
            full = outcome(path, folder / "full")
        assert fast == full


@settings(max_examples=20)
@given(text=district_file())
def test_single_pass_and_full_checks_agree(text: str) -> None:
    """Whatever the file, the store and the answer are the same with the single pass as with the
    full checks alone: same facts, release metadata and notes, or the same refusal (exception,
    problems with their physical lines, quarantine report)."""
    assert_both_roads_agree(text, "dist.csv")


# --- directed tests ---------------------------------------------------------------------------


def open_store(tmp_path: Path) -> FactStore:
    return FactStore(tmp_path / "store" / "facts.duckdb")


def aliases_file(folder: Path) -> Path:
    """AHMADABAD and its alias AHMEDABAD for one product (added together), and RI BHOI."""
    rows = [[*c.HORSES, "1", "80"], ["GUJARAT", "AHMEDABAD", *c.HORSES[2:], "2", "160"]]
    return c.write_csv(folder, "aliases.csv", [*rows, c.GOOD_ROWS[1]])


@pytest.mark.parametrize(("build", "n_facts"), [(c.good_file, 3), (aliases_file, 2)])
def test_a_clean_file_takes_the_single_pass(
    tmp_path: Path, build: Callable[[Path], Path], n_facts: int
) -> None:
    """A clean file (aliases included) is loaded by the single pass: its view ``clean`` is
    prepared and the full row checks never run."""
    path = build(tmp_path)
    with open_store(tmp_path) as store, spies() as calls:
        result = ingest_file(store, path, quarantine_dir=tmp_path / "q")
        assert result.status == "loaded" and result.facts_loaded == n_facts
        assert store.fact_count() == n_facts
    assert calls == {"prepare": 1, "check_rows": 0}


def test_a_bad_value_falls_back_and_names_the_physical_line(tmp_path: Path) -> None:
    """Line 7 (after blank lines 3, 5 and 6) holds US$ ``abc``: the single pass starts (the
    labels are clean), stops at the value, and the full checks name physical line 7."""
    path = c.blank_lines(tmp_path)
    with open_store(tmp_path) as store, spies() as calls:
        with pytest.raises(IngestRejected) as caught:
            ingest_file(store, path, quarantine_dir=tmp_path / "q")
        assert store.fact_count() == 0 and store.releases() == []
    assert calls == {"prepare": 1, "check_rows": 1}
    [problem] = caught.value.details
    assert problem.field == f"blank_lines.csv, line 7, column {c.FY_USD!r}"
    assert problem.message.startswith("value 'abc': ")


def leftovers(store: FactStore) -> tuple[set[str], list[str]]:
    """The ``facts*`` tables that are no release's, and the ENUM types of a load."""
    tables = {
        r[0]
        for r in store.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'facts%'"
        ).fetchall()
    }
    owned = {f"facts_{r.release_id}" for r in store.releases()}
    types = store.con.execute(
        "SELECT type_name FROM duckdb_types() WHERE type_name LIKE 'dehub_enum_%'"
    ).fetchall()
    return tables - owned, [t[0] for t in types]


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (c.one_bad_of_three, IngestRejected),  # stopped while writing (first transaction)
        (c.duplicate_rows, IngestRejected),  # found after writing (second transaction)
        (
            lambda folder: c.write_csv(folder, "huge.csv", [[*c.AGARWOOD, "9" * 400, "1"]]),
            IngestRejected,
        ),  # not finite: found after writing
        (c.same_period_other_values, Conflict),  # clashes with the release already loaded
    ],
)
def test_a_refused_load_leaves_nothing_behind(
    tmp_path: Path, build: Callable[[Path], Path], error: type[DehubError]
) -> None:
    """After a refused or conflicting load the store holds only its releases' tables: no
    pending table, no stray ``facts_N``, no ENUM type of the load; a clean load leaves no ENUM
    type either."""
    with open_store(tmp_path) as store:
        ingest_file(store, c.good_file(tmp_path), quarantine_dir=tmp_path / "q")
        assert leftovers(store) == (set(), [])
        before = store.con.execute("SELECT * FROM facts ORDER BY ALL").fetchall()
        with pytest.raises(error):
            ingest_file(store, build(tmp_path), quarantine_dir=tmp_path / "q")
        assert leftovers(store) == (set(), [])
        assert PENDING_FACTS not in {t for (t,) in store.con.execute("SHOW TABLES").fetchall()}
        assert len(store.releases()) == 1
        assert store.con.execute("SELECT * FROM facts ORDER BY ALL").fetchall() == before


EIDB_HEADER = ["hs8", "fy", "country", "value_usd_mn", "quantity"]


def eidb_file(folder: Path) -> Path:
    """The EIDB commodity x country layout (as the bundled file): two years, two HS8 codes,
    three countries; national, no port."""
    rows = [
        ["01012100", "2023-24", "U S A", "0.5", "2"],
        ["01012100", "2024-25", "U S A", "0.75", "3"],
        ["12119080", "2024-25", "GERMANY", "1.25", "10"],
        ["12119080", "2024-25", "BANGLADESH PR", "0.25", "1"],
    ]
    return c.write_csv(folder, "eidb.csv", rows, EIDB_HEADER)


def column_types(store: FactStore, table: str) -> dict[str, str]:
    return dict(
        store.con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?", [table]
        ).fetchall()
    )


def test_eidb_release_stores_codes_as_enum_and_the_view_reads_text(tmp_path: Path) -> None:
    """The release table of an EIDB file keeps product_code, partner_code and period as ENUM
    types of the file's values; the ``facts`` view returns them (and every text column) as
    VARCHAR with the codes as text."""
    with open_store(tmp_path) as store:
        result = ingest_file(store, eidb_file(tmp_path), quarantine_dir=tmp_path / "q")
        assert result.status == "loaded" and result.facts_loaded == 4
        table = f"facts_{result.release_id}"
        stored = column_types(store, table)
        for column in ("product_code", "partner_code", "period"):
            assert stored[column].startswith("ENUM("), (column, stored)
        view = dict(
            (r[0], r[1]) for r in store.con.execute("DESCRIBE SELECT * FROM facts").fetchall()
        )
        text = [n for n in view if n not in ("release_id", "value_usd", "value_inr", "quantity")]
        assert {view[n] for n in text} == {"VARCHAR"}, view
        rows = store.con.execute(
            "SELECT period, product_code, partner_code, typeof(product_code), value_usd "
            "FROM facts ORDER BY ALL"
        ).fetchall()
    assert rows == [
        ("2023-24", "01012100", "USA", "VARCHAR", 500000.0),
        ("2024-25", "01012100", "USA", "VARCHAR", 750000.0),
        ("2024-25", "12119080", "BGD", "VARCHAR", 250000.0),
        ("2024-25", "12119080", "DEU", "VARCHAR", 1250000.0),
    ]


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (
            eidb_file,
            {
                "geo_level": "national",
                "state_code": None,
                "district_code": None,
                "product_level": "HS8",
                "port_code": None,
                "value_inr": None,  # the layout has no INR column
            },
        ),
        (
            c.good_file,
            {
                "period": "2024-25",
                "product_level": "HS8",
                "partner_code": "WLD",
                "port_code": None,
                "quantity": None,  # no quantity or unit column
                "unit": None,
            },
        ),
    ],
)
def test_constant_columns_are_recorded_once(
    tmp_path: Path, build: Callable[[Path], Path], expected: dict[str, str | None]
) -> None:
    """Columns with one value for the whole release go to ``release_constants`` and are not
    columns of the release table; the ``facts`` view gives every row that value."""
    with open_store(tmp_path) as store:
        result = ingest_file(store, build(tmp_path), quarantine_dir=tmp_path / "q")
        release_id = result.release_id
        constants = dict(
            store.con.execute(
                "SELECT column_name, value FROM release_constants WHERE release_id = ?",
                [release_id],
            ).fetchall()
        )
        stored = set(column_types(store, f"facts_{release_id}"))
        assert constants == expected
        assert not stored & set(constants)
        assert stored & CONSTANT_COLUMNS == CONSTANT_COLUMNS - set(constants)
        for column, value in expected.items():
            seen = store.con.execute(
                f"SELECT DISTINCT {column} FROM facts WHERE release_id = ?", [release_id]
            ).fetchall()
            assert seen == [(value,)], column
