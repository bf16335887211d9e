"""The store's schema 3: a schema-2 store (every release's facts in one ``facts`` table) is
upgraded in place when opened for writing, keeping every fact, and refused with advice when
opened read-only; the ``facts`` view has the canonical columns even with no release at all."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dehub.errors import StoreError
from dehub.facts.ingest import IngestOptions, ingest_file
from dehub.facts.schema import FACT_COLUMNS, facts_view_sql
from dehub.facts.store import FactStore
from tests.facts import corpus

V2_FACTS = """
CREATE TABLE facts (
    release_id    INTEGER NOT NULL,
    period        VARCHAR NOT NULL,
    geo_level     VARCHAR NOT NULL,
    state_code    VARCHAR,
    district_code VARCHAR,
    product_level VARCHAR NOT NULL,
    product_code  VARCHAR NOT NULL,
    partner_code  VARCHAR NOT NULL,
    port_code     VARCHAR,
    value_usd     DOUBLE,
    value_inr     DOUBLE,
    quantity      DOUBLE,
    unit          VARCHAR
)
"""
"""The ``facts`` table of schema 2 (one table for every release)."""

V2_RELEASES = [
    ("dgcis_district", "r1", "dgcis-district", "a.csv", "aaa", ["2024-25"], ["district"], ["HS8"]),
    ("eidb_hs8_country", "r2", "eidb-hs8-country", "b.csv", "bbb", ["2023-24"], ["national"],
     ["HS8"]),
]  # fmt: skip
V2_ROWS = [
    ("2024-25", "district", "24", "438", "HS8", "01012100", "WLD", None, 1000.0, 83000.0, None,
     None),
    ("2024-25", "district", "17", "276", "HS8", "12119080", "WLD", None, 2e6, 1.66e8, None, None),
    ("2024-25", "unattributed", "24", None, "HS8", "12119080", "WLD", None, 5.0, 400.0, None,
     None),
    ("2023-24", "national", None, None, "HS8", "01012100", "USA", None, 5e5, None, 2.0, "NOS"),
    ("2023-24", "national", None, None, "HS8", "12119080", "DEU", None, 1.25e6, None, 10.0,
     "KGS"),
]  # fmt: skip
"""Facts of the two releases: the first three rows are release 1's, the others release 2's."""


def make_v2_store(path: Path, n_releases: int = 2) -> list[tuple[object, ...]]:
    """A schema-2 store at ``path`` holding the first ``n_releases`` of :data:`V2_RELEASES` and
    their :data:`V2_ROWS` (built from a new schema-3 store: its ``releases`` and ``dehub_meta``
    tables are those of schema 2); return its facts as schema 2 showed them (``release_id``
    first), sorted."""
    FactStore(path).close()
    con = duckdb.connect(str(path))
    con.execute("DROP VIEW facts_active; DROP VIEW facts; DROP TABLE release_constants")
    con.execute(V2_FACTS)
    con.execute("""
        CREATE VIEW facts_active AS SELECT r.source, r.release, f.*
        FROM facts f JOIN releases r USING (release_id) WHERE r.status = 'active'
    """)
    ids = []
    for release in V2_RELEASES[:n_releases]:
        row = con.execute(
            "INSERT INTO releases (source, release, layout, file_name, content_sha256, periods, "
            "geo_levels, product_levels, by_partner, by_port, row_count) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, false, false, 0) RETURNING release_id",
            list(release),
        ).fetchone()
        assert row is not None
        ids.append(int(row[0]))
    facts = [(ids[0], *r) for r in V2_ROWS[:3]] + [
        (rid, *r) for rid in ids[1:] for r in V2_ROWS[3:]
    ]
    con.executemany(f"INSERT INTO facts VALUES ({', '.join(['?'] * 13)})", facts)
    con.execute("UPDATE dehub_meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    return sorted(facts, key=repr)


def tables(store: FactStore) -> dict[str, str]:
    """Every table and view of the store's main database, by name, with its kind."""
    rows = store.con.execute(
        "SELECT table_name, 'table' FROM duckdb_tables() WHERE database_name = current_database()"
        " UNION ALL SELECT view_name, 'view' FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT internal"
    ).fetchall()
    return dict(rows)


@pytest.mark.parametrize(
    "n_releases",
    [
        1,
        2,
    ],
)
def test_a_v2_store_opened_for_writing_is_upgraded_keeping_every_fact(
    tmp_path: Path, n_releases: int
) -> None:
    """Opened read-write, a schema-2 store becomes schema 3: one table per release, ``facts``
    a view giving back exactly the old rows (and ``facts_active`` the active ones), the old
    table gone; a second opening changes nothing; a new release gets the next id."""
    path = tmp_path / "facts.duckdb"
    before = make_v2_store(path, n_releases)
    counts = {1: 3, 2: 2}
    for _ in range(2):
        with FactStore(path) as store:
            after = store.con.execute("SELECT * FROM facts").fetchall()
            assert sorted(after, key=repr) == before
            active = store.con.execute("SELECT * EXCLUDE (source, release) FROM facts_active")
            assert sorted(active.fetchall(), key=repr) == before
            kinds = tables(store)
            assert kinds["facts"] == "view" and kinds["facts_active"] == "view"
            assert "facts_v2" not in kinds
            assert [r.release_id for r in store.releases()] == list(range(1, n_releases + 1))
            for release_id in range(1, n_releases + 1):
                assert kinds[f"facts_{release_id}"] == "table"
                n = store.con.execute(f"SELECT count(*) FROM facts_{release_id}").fetchall()
                assert n == [(counts[release_id],)]
            version = store.con.execute(
                "SELECT value FROM dehub_meta WHERE key = 'schema_version'"
            ).fetchall()
            assert version == [("3",)]
            assert_groups_match_facts(store)
    with FactStore(path, read_only=True) as store:
        assert sorted(store.con.execute("SELECT * FROM facts").fetchall(), key=repr) == before
    with FactStore(path) as store:
        result = ingest_file(
            store,
            corpus.good_file(tmp_path),
            quarantine_dir=tmp_path / "q",
            options=IngestOptions(source_name="after_upgrade"),
        )
        assert result.release_id == n_releases + 1
        assert store.fact_count() == len(before) + 3
        assert_groups_match_facts(store)


GROUPS = (
    "SELECT release_id, period, geo_level, product_level, count(*), sum(value_usd), "
    "sum(value_inr) FROM facts GROUP BY ALL ORDER BY ALL"
)


def assert_groups_match_facts(store: FactStore) -> None:
    """``release_groups`` (filled by the upgrade and by every load) counts and totals each
    release's facts by period, geography level and product level, as the facts themselves do."""
    groups = store.con.execute("SELECT * FROM release_groups ORDER BY ALL").fetchall()
    assert groups == store.con.execute(GROUPS).fetchall()
    assert groups


def test_a_v2_store_opened_read_only_is_refused_with_advice(tmp_path: Path) -> None:
    """Read-only, a schema-2 store cannot be upgraded: StoreError advising `dehub init`, and
    the file is left as it was."""
    path = tmp_path / "facts.duckdb"
    before = make_v2_store(path)
    with pytest.raises(StoreError) as caught:
        FactStore(path, read_only=True)
    assert "schema version 2" in caught.value.message
    assert "dehub init" in caught.value.message
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert sorted(con.execute("SELECT * FROM facts").fetchall(), key=repr) == before
        assert con.execute(
            "SELECT value FROM dehub_meta WHERE key = 'schema_version'"
        ).fetchall() == [("2",)]
    finally:
        con.close()


def test_the_view_of_no_release_has_the_canonical_columns() -> None:
    """``facts_view_sql([])`` makes an empty view with ``release_id`` and every fact column,
    of their types."""
    con = duckdb.connect()
    con.execute(facts_view_sql([]))
    described = [(r[0], r[1]) for r in con.execute("DESCRIBE facts").fetchall()]
    expected = [("release_id", "INTEGER")] + [(n, kind.split()[0]) for n, kind in FACT_COLUMNS]
    assert described == expected
    assert con.execute("SELECT * FROM facts").fetchall() == []


def test_a_store_without_releases_answers_with_no_rows(tmp_path: Path) -> None:
    """A new store (and the same store reopened read-only) answers ``facts`` and
    ``facts_active`` with no rows."""
    path = tmp_path / "facts.duckdb"
    for read_only in (False, True):
        with FactStore(path, read_only=read_only) as store:
            assert store.con.execute("SELECT * FROM facts").fetchall() == []
            assert store.con.execute("SELECT * FROM facts_active").fetchall() == []
            assert store.fact_count() == 0 and store.releases() == []
