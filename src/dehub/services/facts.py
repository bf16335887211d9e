"""Use cases over the facts store: initialise it, ingest files, report what is loaded."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dehub.facts.bundled import BUNDLED
from dehub.facts.ingest import IngestOptions, IngestResult, Progress, ingest_file
from dehub.facts.store import FactStore
from dehub.settings import Settings


def init_store(settings: Settings, progress: Progress | None = None) -> list[IngestResult]:
    """Create the store if needed and load every bundled file (a no-op for files already in)."""
    with FactStore.open(settings) as store:
        return [
            ingest_file(
                store,
                bundled.path,
                quarantine_dir=settings.quarantine_dir,
                options=IngestOptions(
                    layout=bundled.layout,
                    period=bundled.period,
                    source_name=bundled.source,
                    release=bundled.release,
                ),
                progress=progress,
            )
            for bundled in BUNDLED
        ]


def ingest_files(
    settings: Settings,
    paths: Sequence[Path],
    options: IngestOptions | None = None,
    progress: Progress | None = None,
) -> list[IngestResult]:
    """Ingest files one after the other; each file is all-or-nothing on its own."""
    with FactStore.open(settings) as store:
        return [
            ingest_file(
                store,
                path,
                quarantine_dir=settings.quarantine_dir,
                options=options,
                progress=progress,
            )
            for path in paths
        ]


def store_status(settings: Settings) -> dict[str, Any]:
    """What is loaded: one entry per release, with periods, row counts and US$ totals."""
    with FactStore.open(settings, read_only=True) as store:
        releases = [r.as_dict() for r in store.releases()]
        facts = store.fact_count()
    active = [r for r in releases if r["status"] == "active"]
    return {
        "store": str(settings.facts_path),
        "facts": facts,
        "releases": releases,
        "sources": sorted({r["source"] for r in active}),
        "periods": sorted({p for r in active for p in r["periods"]}),
    }


def national_summary(settings: Settings, period: str = "2024-25") -> dict[str, Any]:
    """Headline figures of the district data for a period: India's total, how much of it is
    attributed to districts, and the share of the top 10 districts (of India's total, including
    exports not attributed to a district)."""
    with FactStore.open(settings, read_only=True) as store:
        row = store.con.execute(
            """
            WITH d AS (
                SELECT geo_level, district_code, sum(value_usd) AS usd
                FROM facts_active
                WHERE source = 'dgcis_district_sector' AND period = ?
                GROUP BY ALL
            ), ranked AS (
                SELECT usd, row_number() OVER (ORDER BY usd DESC) AS rank
                FROM d WHERE geo_level = 'district' AND usd > 0
            )
            SELECT (SELECT sum(usd) FROM d),
                   (SELECT sum(usd) FROM d WHERE geo_level = 'unattributed'),
                   (SELECT count(*) FROM ranked),
                   (SELECT sum(usd) FROM ranked WHERE rank <= 10)
            """,
            [period],
        ).fetchone()
    total, unattributed, n_districts, top10 = row if row else (None, None, 0, None)
    return {
        "period": period,
        "source": "dgcis_district_sector",
        "unit": "USD",
        "total_usd": total,
        "unattributed_usd": unattributed,
        "districts_with_exports": n_districts,
        "top10_share": (top10 / total) if total and top10 else None,
    }
