"""Use cases over the facts store: initialise it, ingest files, report what is loaded."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dehub.analytics.concentration import top_shares
from dehub.facts.bundled import BUNDLED
from dehub.facts.catalog import SECTOR_PRODUCTS, choose_latest
from dehub.facts.ingest import IngestOptions, IngestResult, Progress, ingest_file
from dehub.facts.queries import district_sector_values
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


def national_summary(
    settings: Settings, period: str | None = None, *, source: str | None = None
) -> dict[str, Any]:
    """Headline figures of the district-wise data: India's total, how much of it is not
    attributed to a district, and the share of the top 10 districts (of India's total,
    including exports not attributed to a district).

    One release answers (:func:`dehub.facts.catalog.choose_latest`: the latest district period
    by default, optionally of ``source``); ``source`` says which.
    """
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(
            store, geo="district", period=period, products=SECTOR_PRODUCTS, source=source
        )
        per = str(choice.period)
        df = district_sector_values(store, choice, per)
    located = df["geo_level"] == "district"
    by_district = df[located].groupby("district_code")["value_usd"].sum().astype(float)
    by_district = by_district[by_district > 0]
    total = float(df["value_usd"].sum())
    top10: float | None = None  # of nothing: undefined
    if total > 0:
        top10 = top_shares(by_district, ns=(10,), total=total)[10] if len(by_district) else 0.0
    return {
        "period": per,
        "source": choice.provenance(),
        "unit": "USD",
        "total_usd": total,
        "unattributed_usd": float(df.loc[~located, "value_usd"].sum()),
        "districts_with_exports": int(len(by_district)),
        "top10_share": top10,
    }
