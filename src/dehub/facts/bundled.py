"""The real trade data shipped with dehub, loaded by ``dehub init`` (see DATA-SOURCES.md)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path


@dataclass(frozen=True)
class BundledFile:
    """A bundled file and how to ingest it."""

    file_name: str
    layout: str
    source: str
    release: str
    period: str | None = None

    @property
    def path(self) -> Path:
        return Path(str(files("dehub.facts") / "bundled" / self.file_name))


BUNDLED: tuple[BundledFile, ...] = (
    BundledFile(
        "district_sector_exports_2024-25.csv.gz",
        "dgcis-district-sector",
        "dgcis_district_sector",
        "DGCI&S district-wise exports Apr 2024-Mar 2025 (dgcis_dist_am25), 22 sectors, "
        "via Tiru-Kaggundi/dist_complexity_analysis@5fcb313",
        period="2024-25",
    ),
    BundledFile(
        "state_port_country_exports_2023-24.csv.gz",
        "dgcis-state-port",
        "dgcis_state_port",
        "DGCI&S state x port x country exports Apr 2023-Mar 2024, "
        "via Tiru-Kaggundi/DistrictsExports@a76d414",
    ),
    BundledFile(
        "india_exports_hs8_country_fy.parquet",
        "eidb-hs8-country",
        "eidb_hs8_country",
        "EIDB commodity-wise all countries exports FY2017-18..FY2024-25, scraped 2026-01 "
        "(dassoumyajitsenrysa-dataminer/tradestat-ingestor@33a3bd2)",
    ),
    BundledFile(
        "india_total_exports_by_fy.csv",
        "canonical",
        "eidb_india_total",
        "EIDB India total merchandise exports FY2018-19..FY2024-25 (report totals)",
    ),
)
