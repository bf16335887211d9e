"""World imports by importer x HS6 with India's exports (BACI 2024, HS2017), bundled for the
Export Potential Indicator and read here (not loaded into the facts store: it is world trade,
not India's statistics). Provenance and caveats: DATA-SOURCES.md, "World markets".

Also the set-based read of India's exports by HS6 x partner in two periods (the growth shown
next to each target market), from the national HS x country release of the facts store.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pandas as pd

from dehub.errors import StoreError
from dehub.facts.catalog import Choice
from dehub.facts.store import FactStore

WORLD_FILE = "world_imports_importer_hs6_2024.parquet"
WORLD_YEAR = "2024"
WORLD_SOURCE = (
    "CEPII BACI (HS2017, 2024) importer x HS6 imports and India's exports, via "
    "matheusrosa-obs/export-potential@ae43078 (see DATA-SOURCES.md)"
)
MISSING_IMPORTERS = ("USA", "DEU", "FRA", "GBR", "NLD", "ESP")
"""Importers absent from the bundled world file (their upstream files were not stored)."""


def world_file() -> Path:
    path = Path(str(files("dehub.facts") / "bundled" / WORLD_FILE))
    if not path.exists():
        raise StoreError(f"bundled file {WORLD_FILE} is missing from the dehub package")
    return path


@lru_cache(maxsize=1)
def world_trade() -> pd.DataFrame:
    """The bundled world file as the input of
    :func:`dehub.analytics.potential.export_potential`: ``market`` (ISO3), ``product``
    (HS6, HS2017), ``imports_usd`` (US$, the market's imports from all suppliers),
    ``actual_usd`` (US$, India's exports to the market; 0 where none). Rows of market ``IND``
    are India's own imports. Read once per process."""
    df = pd.read_parquet(world_file())
    return pd.DataFrame(
        {
            "market": df["importer"].astype(str).to_numpy(),
            "product": df["hs6"].astype(str).to_numpy(),
            "imports_usd": df["import_value_usd"].to_numpy(dtype="float64"),
            "actual_usd": df["india_usd"].to_numpy(dtype="float64"),
        }
    )


def hs6_partner_values(
    store: FactStore,
    choice: Choice,
    periods: list[str],
    products: list[str] | None,
    partners: list[str] | None,
) -> pd.DataFrame:
    """India's exports by HS6 (HS8 codes summed to their first 6 digits) and partner in
    ``periods``, for the given HS6 codes and ISO3 partners (``None``: all), from national HS
    rows of the chosen release. Columns: ``period``, ``hs6``, ``partner_code``, ``value_usd``."""
    return store.con.execute(
        """
        SELECT period, left(product_code, 6) AS hs6, partner_code, sum(value_usd) AS value_usd
        FROM facts
        WHERE release_id = ? AND list_contains(?, period) AND geo_level = 'national'
              AND product_level IN ('HS6', 'HS8')
              AND (? IS NULL OR list_contains(?, left(product_code, 6)))
              AND (? IS NULL OR list_contains(?, partner_code))
        GROUP BY ALL
        """,
        [choice.release.release_id, periods, products, products, partners, partners],
    ).df()
