"""Bundle the real trade data that `dehub init` loads (see DATA-SOURCES.md).

- district x sector exports FY2024-25 (DGCI&S district-wise data aggregated to 22 sectors):
  copied unchanged, gzip-compressed;
- state x customs port x country exports FY2023-24 (DGCI&S): copied unchanged, gzip-compressed;
- India HS8 x country exports FY2017-18..FY2024-25 (EIDB, flattened): the same columns and
  text values, stored as Parquet (zstd) — 10 MB instead of 19 MB for the gzip CSV;
- India's total exports by FY (EIDB report totals): rewritten in dehub's canonical layout
  (US$ million -> US$).
"""

from __future__ import annotations

import argparse
import gzip
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "src" / "dehub" / "facts" / "bundled"


def _gzip_copy(src: Path, dst: Path) -> None:
    with src.open("rb") as fin, gzip.GzipFile(dst, "wb", compresslevel=9, mtime=0) as fout:
        shutil.copyfileobj(fin, fout)


def build(raw: Path, out: Path = OUT) -> None:
    """Write the bundled trade files into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    _gzip_copy(
        raw / "dist_complexity_tiru" / "district_sector_clusters.csv",
        out / "district_sector_exports_2024-25.csv.gz",
    )
    _gzip_copy(
        raw / "districtsexports_tiru" / "state_exp_by_ports_and_countries.csv",
        out / "state_port_country_exports_2023-24.csv.gz",
    )
    src = (raw / "eidb_tradestat" / "india_exports_hs8_country_fy.csv.gz").as_posix()
    dst = (out / "india_exports_hs8_country_fy.parquet").as_posix()
    duckdb.execute(
        f"COPY (SELECT * FROM read_csv('{src}', all_varchar=true)) TO '{dst}' "
        "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19, ROW_GROUP_SIZE 500000)"
    )
    totals = pd.read_csv(raw / "eidb_tradestat" / "india_total_exports_usd_mn_by_fy.csv", dtype=str)
    canonical = pd.DataFrame(
        {
            "period": totals["fy"],
            "geo_level": "national",
            "product_code": "TOTAL",
            "value_usd": [
                format(Decimal(v) * 1_000_000, "f").split(".")[0]
                for v in totals["india_total_usd_mn"]
            ],
        }
    )
    canonical.to_csv(out / "india_total_exports_by_fy.csv", index=False)
    print(f"wrote bundled trade data to {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=Path("../shared/data/raw"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    build(args.raw, args.out)
