"""Validated, all-or-nothing ingestion of one file into the facts store.

Steps (all set-based in DuckDB; Python only touches distinct labels and the summary):

1. stage the file as strings (:mod:`dehub.facts.readers`; a CSV's lines are not counted yet)
   and hash its bytes beside the read;
2. recognise the layout and normalise it (:mod:`dehub.facts.layouts`);
3. resolve the distinct labels (:mod:`dehub.facts.resolve`);
4. a file whose labels show nothing to report is written in one pass that checks every value as
   it writes it (:mod:`dehub.facts.single_pass`); at the first broken rule it is rolled back
   and the file goes to step 5;
5. otherwise every row is checked (:mod:`dehub.facts.checks`: values are plain non-negative
   numbers, every row has a value, units are units; :mod:`dehub.facts.crossrow`: one product
   level per geography level, no world total beside rows by country, no port total beside rows
   by port, one quantity unit per product, no duplicate rows), with the physical line of each
   problem; if any row is rejected the quarantine report is written and
   :class:`IngestRejected` raised — the store is untouched — unless ``accept_partial``;
6. the facts are written to a pending table (one transaction), then rows that are different
   names of one place or partner are added together, what the facts cover is read back, and the
   release is recorded, superseding an older one only when ``replace`` (a second transaction;
   the pending table is dropped if it fails). See :class:`_Load`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from dehub.errors import Conflict, IngestRejected, InvalidInput, Problem, StoreError
from dehub.facts import single_pass
from dehub.facts.checks import build_maps, check_rows, constant_columns, skipped_cells
from dehub.facts.layouts import HEADER_HINTS, Normalised, check_period_use, detect_layout
from dehub.facts.quarantine import write_quarantine
from dehub.facts.readers import check_file, stage_file
from dehub.facts.schema import FACT_COLUMNS, release_select_sql
from dehub.facts.sql import quote_ident, scalar
from dehub.facts.store import FactStore, Release

Progress = Callable[[str, duckdb.DuckDBPyConnection], None]
"""Called with the name of each stage and the connection running it."""
MAX_SHOWN = 20


@dataclass
class IngestResult:
    """What an ingestion did, for the CLI, the API and tests."""

    file: str
    layout: str
    source: str
    status: str  # loaded | partial | unchanged
    release_id: int | None
    release: str | None
    periods: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_rejected: int = 0
    facts_loaded: int = 0
    total_usd: float | None = None
    quarantine: str | None = None
    replaced: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 8 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 23):
            digest.update(chunk)
    return digest.hexdigest()


def _geo_granularity(levels: list[str]) -> set[str]:
    """The geography levels that define a release's granularity: exports not attributed to a
    district belong to the district-level data they came with."""
    named = set(levels) - {"unattributed"}
    return named or {"unattributed"}


def _conflicting(store: FactStore, source: str, norm_meta: dict[str, Any]) -> list[Release]:
    """Active releases of the same source covering any of the periods with any of the same
    product levels and geography levels (overlapping releases would be double counted)."""
    return [
        r
        for r in store.releases(include_superseded=False)
        if r.source == source
        and set(r.product_levels) & set(norm_meta["product_levels"])
        and _geo_granularity(r.geo_levels) & _geo_granularity(norm_meta["geo_levels"])
        and r.by_partner == norm_meta["by_partner"]
        and r.by_port == norm_meta["by_port"]
        and set(r.periods) & set(norm_meta["periods"])
    ]


@contextmanager
def _out_of_memory_as_store_error(path: Path) -> Iterator[None]:
    try:
        yield
    except duckdb.OutOfMemoryException as exc:
        raise StoreError(
            f"{path.name}: the facts engine ran out of memory ({str(exc).splitlines()[0]}); "
            "raise DEHUB_DUCKDB_MEMORY_LIMIT or free disk space under DEHUB_HOME for spilling"
        ) from exc


@dataclass(frozen=True)
class IngestOptions:
    """How to read and record a file (the options of ``dehub ingest``)."""

    layout: str | None = None
    """Layout name; detected from the header when None."""
    period: str | None = None
    """Period for layouts whose file does not state it."""
    source_name: str | None = None
    """Source id to record (default: the layout's)."""
    release: str | None = None
    """Release label (default: file name and content hash)."""
    accept_partial: bool = False
    replace: bool = False
    encoding: str = "utf-8"


def ingest_file(
    store: FactStore,
    path: Path,
    *,
    quarantine_dir: Path,
    options: IngestOptions | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Load one file into ``store``; see the module docstring for the steps and guarantees."""
    try:
        with _out_of_memory_as_store_error(path):
            return _ingest(store, path, quarantine_dir, options or IngestOptions(), progress)
    finally:
        with suppress(duckdb.Error):  # never hide the load's own error
            _drop_work_tables(store.con)


_WORK_VIEWS = ("staged", "norm", "clean", "passed")


def _drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what loading a file left on the connection: its temporary tables (the staged rows,
    label maps, checked rows...; the reference tables are registered views, kept) and views."""
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND database_name = 'temp'"
    ).fetchall()
    for (name,) in tables:
        con.execute(f"DROP TABLE IF EXISTS temp.main.{quote_ident(name)}")
    for name in _WORK_VIEWS:
        con.execute(f"DROP VIEW IF EXISTS temp.main.{name}")


def _ingest(
    store: FactStore,
    path: Path,
    quarantine_dir: Path,
    opts: IngestOptions,
    progress: Progress | None,
) -> IngestResult:
    say = progress or (lambda _stage, _con: None)
    con = store.con
    check_file(path)
    say("reading", con)
    con.execute("SET preserve_insertion_order = true")  # staging numbers rows in file order
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dehub-hash") as pool:
        hashing = pool.submit(file_sha256, path)  # hashlib releases the GIL: beside the read
        staged = stage_file(
            con, path, "staged", encoding=opts.encoding, header_names=HEADER_HINTS,
            exact_lines=False,
        )  # fmt: skip
        try:
            sha = hashing.result()
        except OSError as exc:
            raise InvalidInput(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    # every later step carries the line number as a column: order no longer matters, and
    # DuckDB inserts faster and with less memory without preserving it
    con.execute("SET preserve_insertion_order = false")
    if staged.row_count == 0:
        raise InvalidInput(f"{path.name}: the file has a header but no data rows")
    chosen = detect_layout(staged, opts.layout)
    check_period_use(staged, chosen, opts.period)
    source = opts.source_name or chosen.source
    previous = store.release_by_hash(sha)
    if previous is not None:
        state = (
            ""
            if previous.status == "active"
            else f", since superseded by release #{previous.superseded_by}"
        )
        return IngestResult(
            file=str(path),
            layout=chosen.name,
            source=previous.source,
            status="unchanged",
            release_id=previous.release_id,
            release=previous.release,
            periods=previous.periods,
            notes=[
                f"this file (sha256 {sha[:12]}) was already loaded as release "
                f"#{previous.release_id} on {previous.loaded_at:%Y-%m-%d %H:%M}{state}; "
                "nothing to do"
            ],
        )
    norm = chosen.normalise(staged, opts.period)
    con.execute(f"CREATE OR REPLACE TEMP VIEW norm AS {norm.sql}")
    say("checking", con)
    unknown_ports = build_maps(con, norm)
    notes = [f"layout {chosen.name}" + (" detected" if opts.layout is None else "")]
    notes += staged.notes + norm.notes + _label_notes(con, norm, unknown_ports)
    target = _Target(
        path, chosen.name, source, opts.release or f"{path.name} ({sha[:12]})", sha, opts.replace
    )
    constants = constant_columns(con, norm)
    load = _Load(store, target, norm, constants, notes, staged.row_count)
    if single_pass.maps_clean(con, norm):
        say("loading", con)
        try:
            return load.single_pass()
        except single_pass.Recheck:
            pass
    # not clean: the full checks, which name each problem and its line
    staged.ensure_exact_lines()
    check_rows(con, norm)
    n_bad = int(scalar(con, "SELECT count(DISTINCT _line) FROM problems"))
    con.execute(
        "CREATE OR REPLACE TEMP VIEW passed AS SELECT * FROM checked WHERE NOT bad"
        + (" AND _line NOT IN (SELECT _line FROM problems)" if n_bad else "")
    )
    n_good = int(scalar(con, "SELECT count(*) FROM passed"))
    quarantine: Path | None = None
    if n_bad:
        quarantine = write_quarantine(con, staged, quarantine_dir)
        if not opts.accept_partial or n_good == 0:
            _reject(con, path, n_bad, staged.row_count, quarantine)
    say("loading", con)
    return load.checked("passed", n_bad, quarantine)


def _label_notes(con: duckdb.DuckDBPyConnection, norm: Normalised, unknown_ports: int) -> list[str]:
    """Notes on what the labels and empty cells were (before any row is checked)."""
    notes = []
    skipped = skipped_cells(con, norm)
    if skipped:
        notes.append(f"{skipped} period cell(s) with no value at all were skipped")
    restored = con.execute(
        "SELECT count(*), min(product_raw), min_by(product_code, product_raw) FROM m_product "
        "WHERE restored"
    ).fetchone()
    if restored and restored[0]:
        notes.append(
            f"{restored[0]} HS code(s) had lost a leading zero, restored "
            f"(e.g. {restored[1]} -> {restored[2]})"
        )
    if unknown_ports:
        notes.append(
            f"{unknown_ports} port label(s) are not in the reference list of customs ports; "
            "kept under their own name"
        )
    return notes


def _reject(
    con: duckdb.DuckDBPyConnection, path: Path, n_bad: int, n_rows: int, quarantine: Path
) -> None:
    """Raise :class:`IngestRejected` with the first problems and the quarantine report path."""
    shown = con.execute(
        f"SELECT _line, col, value, message FROM problems ORDER BY _line, col LIMIT {MAX_SHOWN}"
    ).fetchall()
    raise IngestRejected(
        f"{path.name}: {n_bad} of {n_rows} rows rejected; nothing was loaded. "
        f"Rejected rows and reasons: {quarantine}",
        [
            Problem(
                f"{path.name}, line {line}, column {col!r}",
                (f"value {value!r}: " if value is not None else "") + message,
            )
            for line, col, value, message in shown
        ],
    )


def _sum_or_none(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


@dataclass(frozen=True)
class _Target:
    """Where a file's facts go: its release's identity."""

    path: Path
    layout: str
    source: str
    release: str
    sha: str
    replace: bool


CODE_KEY = "code_key"
"""The column written beside the facts while a file loads (the packed codes of a row, see
:func:`dehub.facts.checks.packed_key`), dropped before the release is recorded."""


def _merge_written(
    con: duckdb.DuckDBPyConnection, table: str, stored: list[str], file_name: str
) -> int:
    """Add together, in ``table`` (with the fact columns ``stored`` and :data:`CODE_KEY`), the
    rows of each ``dup_groups`` group written differently (different names of one place or
    partner): they are replaced by one row with their sums. Return how many rows were added to
    another. Sums too large to be finite are refused (InvalidInput)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE merge_keys AS SELECT code_key FROM dup_groups WHERE n_raw = n"
    )
    if not scalar(con, "SELECT count(*) FROM merge_keys"):
        return 0
    sums = {"value_usd", "value_inr", "quantity"}
    picked = ", ".join(
        f"sum({c}) AS {c}" if c in sums else c if c == CODE_KEY else f"any_value({c}) AS {c}"
        for c in [*stored, CODE_KEY]
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE merged AS
        SELECT {picked}, count(*) AS n FROM {table}
        WHERE code_key IN (SELECT code_key FROM merge_keys) GROUP BY code_key
    """)
    finite = [f"isfinite({c})" for c in sums if c in stored]
    if finite and scalar(con, f"SELECT count(*) FROM merged WHERE NOT ({' AND '.join(finite)})"):
        raise InvalidInput(
            f"{file_name}: rows with different names of one place or partner add up to a value "
            "too large to be finite; check the file's values"
        )
    con.execute(f"DELETE FROM {table} WHERE code_key IN (SELECT code_key FROM merge_keys)")
    con.execute(f"INSERT INTO {table} SELECT * EXCLUDE (n) FROM merged")
    return int(scalar(con, "SELECT sum(n - 1) FROM merged"))


def _merge_note(con: duckdb.DuckDBPyConnection, norm: Normalised, merged: int, rows_of: str) -> str:
    """The note on rows added together, with an example group's differing names (read from
    ``rows_of``, with ``_line`` and the name columns of ``norm``)."""
    lines = scalar(con, "SELECT lines FROM dup_groups WHERE n_raw = n ORDER BY lines LIMIT 1")
    fields = dict(
        zip(single_pass.NAME_COLUMNS, ("state", "district", "partner", "port"), strict=True)
    )
    rows = con.execute(
        f"SELECT DISTINCT {', '.join(fields)} FROM {rows_of} WHERE _line IN "
        f"({', '.join(str(int(line)) for line in lines)})"
    ).fetchall()
    names = []
    for i, (column, field_name) in enumerate(fields.items()):
        spellings = sorted({r[i] for r in rows if r[i] is not None})
        if len(spellings) > 1:
            shown = " and ".join(repr(v) for v in spellings[:3])
            names.append(f"{shown} in column {norm.fields.get(field_name) or column!r}")
    example = f" (e.g. {'; '.join(names)})" if names else ""
    return (
        f"{merged} row(s) were added to another row with the same codes: different names of "
        f"one place or partner{example}"
    )


@dataclass
class _Load:
    """Writing a file's facts and recording its release, in two transactions: the first writes
    the rows (with :data:`CODE_KEY`) to the store's pending table; the second adds together the
    rows that are different names of one thing, reads back what the facts cover and records the
    release, or rolls back on a clash with another release. Until the second commits nothing is
    visible: the pending table is no release's, and is dropped if the second fails. (Deleting
    rows from a table written in the same transaction makes DuckDB rewrite it at commit.)"""

    store: FactStore
    target: _Target
    norm: Normalised
    constants: dict[str, str | None]
    notes: list[str]
    n_rows: int

    def single_pass(self) -> IngestResult:
        """Load a file whose label maps are clean (:mod:`dehub.facts.single_pass`); raise
        :class:`~dehub.facts.single_pass.Recheck` when it turns out not to be clean."""
        con = self.store.con
        try:
            with self.store.transaction():
                types = single_pass.prepare(con, self.norm, self.constants)
                pending = self.store.write_facts_table("clean", self.constants, extra=(CODE_KEY,))
                for name in types:  # the table has its own copy of each ENUM
                    con.execute(f"DROP TYPE {name}")
        except duckdb.Error as exc:
            if single_pass.is_recheck(exc):
                raise single_pass.Recheck from exc
            raise
        return self._record(pending, single=True)

    def checked(self, rows: str, n_bad: int, quarantine: Path | None) -> IngestResult:
        """Load the rows that passed the full checks (``dup_groups`` made by them)."""
        with self.store.transaction():
            pending = self.store.write_facts_table(rows, self.constants, extra=(CODE_KEY,))
        return self._record(pending, n_bad=n_bad, quarantine=quarantine)

    def _record(
        self,
        pending: str,
        *,
        single: bool = False,
        n_bad: int = 0,
        quarantine: Path | None = None,
    ) -> IngestResult:
        """The second transaction; ``single`` when the rows came from the single pass, whose
        checks over the written rows run here."""
        try:
            with self.store.transaction():
                return self._record_in_transaction(pending, single, n_bad, quarantine)
        finally:  # renamed when recorded; else dropped (a failure here is the open's to clear)
            with suppress(duckdb.Error):
                self.store.con.execute(f"DROP TABLE IF EXISTS {pending}")

    def _record_in_transaction(
        self, pending: str, single: bool, n_bad: int, quarantine: Path | None
    ) -> IngestResult:
        store, target, norm, constants = self.store, self.target, self.norm, self.constants
        con = store.con
        path = target.path
        notes = list(self.notes)
        written = release_select_sql(pending, 0, constants)
        if single:  # what the full checks would have found, before any rows are added up
            if single_pass.shared_codes(con, norm, pending):
                raise single_pass.Recheck
            single_pass.after_write(con, norm, written)
        stored = [name for name, _ in FACT_COLUMNS if name not in constants]
        merged = _merge_written(con, pending, stored, path.name)
        con.execute(f"ALTER TABLE {pending} DROP COLUMN {CODE_KEY}")
        groups = con.execute(f"""
            SELECT period, geo_level, product_level, count(*), sum(value_usd), sum(value_inr),
                   bool_or(partner_code <> 'WLD'), bool_or(port_code IS NOT NULL),
                   count(*) FILTER (value_usd IS NULL AND value_inr IS NULL
                                    AND quantity IS NOT NULL)
            FROM ({written}) GROUP BY ALL
        """).fetchall()
        if not groups:
            raise InvalidInput(f"{path.name}: no values to load: every value cell is empty")
        quantity_only = sum(g[8] for g in groups)
        if quantity_only and norm.quantity_without_value:
            notes.append(
                f"{quantity_only} row(s) have a quantity but no value, as the source "
                "publishes them; loaded with an empty value"
            )
        if merged:
            notes.append(_merge_note(con, norm, merged, "shared_rows" if single else "norm"))
        periods = sorted({g[0] for g in groups})
        meta = {
            "periods": periods,
            "geo_levels": sorted({g[1] for g in groups}),
            "product_levels": sorted({g[2] for g in groups}),
            "by_partner": any(g[6] for g in groups),
            "by_port": any(g[7] for g in groups),
        }
        n_facts = sum(g[3] for g in groups)
        usd = _sum_or_none([g[4] for g in groups])
        inr = _sum_or_none([g[5] for g in groups])
        clashing = _check_clashes(store, target, meta)
        row = con.execute(
            "INSERT INTO releases (source, release, layout, file_name, content_sha256, periods, "
            "geo_levels, product_levels, by_partner, by_port, row_count, total_usd, total_inr, "
            "notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING release_id",
            [
                target.source,
                target.release,
                target.layout,
                path.name,
                target.sha,
                meta["periods"],
                meta["geo_levels"],
                meta["product_levels"],
                meta["by_partner"],
                meta["by_port"],
                n_facts,
                usd,
                inr,
                "; ".join(notes),
            ],
        ).fetchone()
        assert row is not None
        release_id = int(row[0])
        store.attach_release_facts(release_id, pending, constants)
        con.executemany(
            "INSERT INTO release_groups VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[release_id, *g[:6]] for g in groups],
        )
        for old in clashing:
            con.execute(
                "UPDATE releases SET status = 'superseded', superseded_by = ? WHERE release_id = ?",
                [release_id, old.release_id],
            )
        return IngestResult(
            file=str(path),
            layout=target.layout,
            source=target.source,
            status="partial" if n_bad else "loaded",
            release_id=release_id,
            release=target.release,
            periods=periods,
            rows_read=self.n_rows,
            rows_rejected=n_bad,
            facts_loaded=n_facts,
            total_usd=usd,
            quarantine=str(quarantine) if quarantine else None,
            replaced=[r.release_id for r in clashing],
            notes=notes,
        )


def _check_clashes(store: FactStore, target: _Target, meta: dict[str, Any]) -> list[Release]:
    """The active releases this file replaces; Conflict when it may not replace them."""
    clashing = _conflicting(store, target.source, meta)
    periods = meta["periods"]
    if clashing and not target.replace:
        old = clashing[0]
        raise Conflict(
            f"{target.path.name}: source {target.source!r} already has release "
            f"#{old.release_id} ({old.release!r}, file {old.file_name}, loaded "
            f"{old.loaded_at:%Y-%m-%d %H:%M}) for period(s) "
            f"{sorted(set(old.periods) & set(periods))}; pass --replace to supersede it (the "
            "old release stays in history)"
        )
    for old in clashing:
        uncovered = sorted(set(old.periods) - set(periods))
        if uncovered:
            raise Conflict(
                f"{target.path.name}: release #{old.release_id} also covers {uncovered}, which "
                "this file does not; replacing it would drop those periods from queries"
            )
    return clashing
