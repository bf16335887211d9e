"""Rows that are different names of one place (added together) meet the other rules the same
way on both roads of a load (the single pass and the full checks): two units for one product are
refused before anything is added up, sums too large to be finite are refused, and a load leaves
no work tables on the connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dehub.errors import IngestRejected, InvalidInput
from dehub.facts import single_pass
from dehub.facts.ingest import ingest_file
from dehub.facts.store import FactStore
from tests.facts import corpus as c

HEADER = [*c.HEADER[:4], c.FY_USD, c.FY_QTY, "Unit"]
AHMADABAD = ["GUJARAT", "AHMADABAD", "01012100", "HORSES"]
AHMEDABAD = ["GUJARAT", "AHMEDABAD", "01012100", "HORSES"]  # a documented alias: added up


@contextmanager
def road(monkeypatch: pytest.MonkeyPatch, single: bool) -> Iterator[None]:
    """The single pass as usual, or the full checks only."""
    if not single:
        monkeypatch.setattr(single_pass, "maps_clean", lambda _con, _norm: False)
    yield
    monkeypatch.undo()


@pytest.mark.parametrize("single", [True, False], ids=["single-pass", "full-checks"])
def test_two_units_for_one_product_are_refused_before_rows_are_added_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, single: bool
) -> None:
    """Two spellings of one district with the same product in KGS and in NOS: the quantities
    cannot be added, so the file is refused naming both lines (it was once loaded by the single
    pass as 5 KGS)."""
    path = c.write_csv(
        tmp_path,
        "units.csv",
        [[*AHMADABAD, "1", "2", "KGS"], [*AHMEDABAD, "1", "3", "NOS"]],
        HEADER,
    )
    with road(monkeypatch, single), FactStore(tmp_path / "facts.duckdb") as store:
        with pytest.raises(IngestRejected) as caught:
            ingest_file(store, path, quarantine_dir=tmp_path / "q")
        assert store.fact_count() == 0
    shown = " ".join(str(p) for p in caught.value.details)
    assert "mixed units for product 01012100" in shown
    assert "line 2" in shown and "line 3" in shown


@pytest.mark.parametrize("single", [True, False], ids=["single-pass", "full-checks"])
def test_rows_added_up_beyond_a_finite_value_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, single: bool
) -> None:
    """Each value is finite (just under 1e308 US$), their sum is not: refused, nothing loaded."""
    rows = [[*AHMADABAD, "9" * 308, "", ""], [*AHMEDABAD, "9" * 308, "", ""]]
    path = c.write_csv(tmp_path, "huge.csv", rows, HEADER)
    with road(monkeypatch, single), FactStore(tmp_path / "facts.duckdb") as store:
        with pytest.raises(InvalidInput, match="too large to be finite"):
            ingest_file(store, path, quarantine_dir=tmp_path / "q")
        assert store.fact_count() == 0


@pytest.mark.parametrize("good", [True, False], ids=["loaded", "refused"])
def test_a_load_leaves_no_work_tables_on_the_connection(tmp_path: Path, good: bool) -> None:
    """After a load, loaded or refused, the connection holds only the store's own tables and the
    reference views: the staged rows, label maps and checked rows are gone."""
    rows = [[*AHMADABAD, "1", "2", "KGS"], [*AHMEDABAD, "1" if good else "x", "3", "KGS"]]
    path = c.write_csv(tmp_path, "f.csv", rows, HEADER)
    with FactStore(tmp_path / "facts.duckdb") as store:
        if good:
            ingest_file(store, path, quarantine_dir=tmp_path / "q")
        else:
            with pytest.raises(IngestRejected):
                ingest_file(store, path, quarantine_dir=tmp_path / "q")
        temporary = store.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary UNION ALL "
            "SELECT view_name FROM duckdb_views() "
            "WHERE temporary AND NOT internal AND view_name NOT LIKE 'ref_%'"
        ).fetchall()
        assert temporary == []
