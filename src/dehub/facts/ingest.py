"""Validated, all-or-nothing ingestion of one file into the facts store.

Steps (all set-based in DuckDB; Python only touches distinct labels and the summary):

1. stage the file as strings (:mod:`dehub.facts.readers`) and hash its bytes;
2. recognise the layout and normalise it (:mod:`dehub.facts.layouts`);
3. resolve the distinct labels (:mod:`dehub.facts.resolve`) and check every row
   (:mod:`dehub.facts.checks`): values are plain non-negative numbers, every row has a value,
   units are units; then across rows (:mod:`dehub.facts.crossrow`): one product level per
   geography level, no world total beside rows by country, no port total beside rows by port,
   one quantity unit per product, no duplicate rows;
4. if any row is rejected: write the quarantine report (the rejected rows with their reasons) and
   raise :class:`IngestRejected` — the store is untouched — unless ``accept_partial``;
5. in one transaction: record the release (superseding an older one only when ``replace``) and
   insert the facts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from dehub.errors import Conflict, IngestRejected, InvalidInput, Problem, StoreError
from dehub.facts.checks import KEY, check_rows
from dehub.facts.layouts import HEADER_HINTS, check_period_use, detect_layout
from dehub.facts.quarantine import write_quarantine
from dehub.facts.readers import check_file, stage_file
from dehub.facts.sql import scalar
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
    with _out_of_memory_as_store_error(path):
        return _ingest(store, path, quarantine_dir, options or IngestOptions(), progress)


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
    say("hashing", con)
    sha = file_sha256(path)
    say("reading", con)
    con.execute("SET preserve_insertion_order = true")  # staging numbers rows in file order
    staged = stage_file(con, path, "staged", encoding=opts.encoding, header_names=HEADER_HINTS)
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
    summary = check_rows(con, norm)
    notes = [f"layout {chosen.name}" + (" detected" if opts.layout is None else "")]
    notes += staged.notes + norm.notes
    if summary.skipped:
        notes.append(f"{summary.skipped} period cell(s) with no value at all were skipped")
    if summary.quantity_only:
        notes.append(
            f"{summary.quantity_only} row(s) have a quantity but no value, as the source "
            "publishes them; loaded with an empty value"
        )
    restored = int(scalar(con, "SELECT count(*) FROM checked WHERE restored"))
    if restored:
        example = con.execute(
            "SELECT product_raw, product_code FROM m_product WHERE restored LIMIT 1"
        ).fetchone()
        assert example is not None
        notes.append(
            f"{restored} HS code(s) had lost a leading zero, restored "
            f"(e.g. {example[0]} -> {example[1]})"
        )
    if summary.unknown_ports:
        notes.append(
            f"{summary.unknown_ports} port label(s) are not in the reference list of customs "
            "ports; kept under their own name"
        )
    n_bad = int(scalar(con, "SELECT count(DISTINCT _line) FROM problems"))
    n_rows = staged.row_count
    n_good = int(
        scalar(
            con,
            "SELECT count(*) FROM checked WHERE NOT bad"
            + (" AND _line NOT IN (SELECT _line FROM problems)" if n_bad else ""),
        )
    )
    quarantine: Path | None = None
    if n_bad:
        quarantine = write_quarantine(con, staged, quarantine_dir)
        if not opts.accept_partial or n_good == 0:
            _reject(con, path, n_bad, n_rows, quarantine)
    if n_good == 0:
        raise InvalidInput(f"{path.name}: no values to load: every value cell is empty")
    say("loading", con)
    return _load(
        store,
        path,
        chosen.name,
        source,
        opts.release or f"{path.name} ({sha[:12]})",
        sha,
        opts.replace,
        notes,
        n_rows,
        n_bad,
        quarantine,
    )


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


def _load(
    store: FactStore,
    path: Path,
    layout: str,
    source: str,
    release: str,
    sha: str,
    replace: bool,
    notes: list[str],
    n_rows: int,
    n_bad: int,
    quarantine: Path | None,
) -> IngestResult:
    con = store.con
    good = "NOT bad" + (" AND _line NOT IN (SELECT _line FROM problems)" if n_bad else "")
    # rows whose different spellings resolve to the same codes are added together
    con.execute("""
        CREATE OR REPLACE TEMP TABLE merge_rows AS
        SELECT code_key FROM dup_groups WHERE n_raw = n
    """)
    merging = bool(scalar(con, "SELECT count(*) FROM merge_rows"))
    values = "value_usd, value_inr, quantity, unit"
    if merging:
        con.execute(f"""
            CREATE OR REPLACE TEMP VIEW good AS
            SELECT {KEY}, product_level, {values}, 1 AS n FROM checked
            WHERE {good} AND code_key NOT IN (SELECT code_key FROM merge_rows)
            UNION ALL
            SELECT {KEY}, product_level, sum(value_usd), sum(value_inr), sum(quantity),
                   any_value(unit), count(*) FROM checked SEMI JOIN merge_rows USING (code_key)
            WHERE {good} GROUP BY ALL
        """)
    else:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW good AS "
            f"SELECT {KEY}, product_level, {values}, 1 AS n FROM checked WHERE {good}"
        )
    groups = con.execute("""
        SELECT period, geo_level, product_level, count(*), sum(value_usd), sum(value_inr),
               sum(n) - count(*), bool_or(partner_code <> 'WLD'), bool_or(port_code IS NOT NULL)
        FROM good GROUP BY ALL
    """).fetchall()
    periods = sorted({g[0] for g in groups})
    geo_levels = sorted({g[1] for g in groups})
    product_levels = sorted({g[2] for g in groups})
    n_facts = sum(g[3] for g in groups)
    usd = _sum_or_none([g[4] for g in groups])
    inr = _sum_or_none([g[5] for g in groups])
    merged = sum(g[6] for g in groups)
    by_partner, by_port = any(g[7] for g in groups), any(g[8] for g in groups)
    if merged:
        example = scalar(con, "SELECT lines FROM dup_groups WHERE n_raw = n ORDER BY lines LIMIT 1")
        notes.append(
            f"{merged} row(s) were added to another row with the same codes: different names of "
            "one place or partner (e.g. two former UTs now one; lines "
            f"{', '.join(map(str, example[:5]))})"
        )
    meta = {
        "periods": periods,
        "geo_levels": geo_levels,
        "product_levels": product_levels,
        "by_partner": bool(by_partner),
        "by_port": bool(by_port),
    }
    clashing = _conflicting(store, source, meta)
    if clashing and not replace:
        old = clashing[0]
        raise Conflict(
            f"{path.name}: source {source!r} already has release #{old.release_id} "
            f"({old.release!r}, file {old.file_name}, loaded {old.loaded_at:%Y-%m-%d %H:%M}) for "
            f"period(s) {sorted(set(old.periods) & set(periods))}; pass --replace to supersede "
            "it (the old release stays in history)"
        )
    for old in clashing:
        uncovered = sorted(set(old.periods) - set(periods))
        if uncovered:
            raise Conflict(
                f"{path.name}: release #{old.release_id} also covers {uncovered}, which this file "
                "does not; replacing it would drop those periods from queries"
            )
    with store.transaction():
        row = con.execute(
            "INSERT INTO releases (source, release, layout, file_name, content_sha256, periods, "
            "geo_levels, product_levels, by_partner, by_port, row_count, total_usd, total_inr, "
            "notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING release_id",
            [
                source,
                release,
                layout,
                path.name,
                sha,
                periods,
                geo_levels,
                product_levels,
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
        con.execute(
            f"INSERT INTO facts SELECT {release_id}, period, geo_level, state_code, district_code,"
            " product_level, product_code, partner_code, port_code, value_usd, value_inr,"
            " quantity, unit FROM good"
        )
        for old in clashing:
            con.execute(
                "UPDATE releases SET status = 'superseded', superseded_by = ? WHERE release_id = ?",
                [release_id, old.release_id],
            )
    return IngestResult(
        file=str(path),
        layout=layout,
        source=source,
        status="partial" if n_bad else "loaded",
        release_id=release_id,
        release=release,
        periods=periods,
        rows_read=n_rows,
        rows_rejected=n_bad,
        facts_loaded=n_facts,
        total_usd=usd,
        quarantine=str(quarantine) if quarantine else None,
        replaced=[r.release_id for r in clashing],
        notes=notes,
    )
