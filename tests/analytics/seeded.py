"""Small facts stores seeded from canonical CSV files, for the service tests (not fixtures)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dehub.facts.ingest import IngestOptions
from dehub.services.facts import ingest_files
from dehub.settings import Settings

HEADER = "period,geo_level,state,district,product_code,partner,value_usd"

Row = tuple[str, str, str, str, str, str, float]
"""period, geo_level, state, district, product_code, partner, value_usd"""


def national(period: str, product: str, partner: str, usd: float) -> Row:
    return (period, "national", "", "", product, partner, usd)


def state(period: str, name: str, product: str, partner: str, usd: float) -> Row:
    return (period, "state", name, "", product, partner, usd)


def district(
    period: str, st: str, name: str, product: str, usd: float, partner: str = "WLD"
) -> Row:
    """A district row (all partners by default); ``name`` ``UNSPECIFIED`` makes it
    unattributed."""
    return (period, "district", st, name, product, partner, usd)


def load(settings: Settings, folder: Path, source: str, rows: Sequence[Row]) -> int:
    """Ingest ``rows`` as one canonical file of ``source``; the new release's id."""
    path = folder / f"{source}_{len(list(folder.iterdir()))}.csv"
    lines = [HEADER, *(",".join(str(v) for v in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n")
    (result,) = ingest_files(settings, [path], IngestOptions(source_name=source))
    assert result.status == "loaded", result.as_dict()
    assert result.release_id is not None
    return result.release_id
