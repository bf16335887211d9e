"""Ingest benchmark: dehub vs DuckDB's own read_csv, on the bundled 2.8 M-row HS8 x country file.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/ingest_benchmark.py [--repeat 3]

Each measurement runs in a fresh process with a fresh store, and reports wall time, rows/s and
the process's peak resident memory (ru_maxrss). The input is the EIDB file as CSV.gz (the raw
snapshot from ../shared when present, else the bundled Parquet written back to CSV.gz).
Targets (issue #2): dehub within 2x of DuckDB's time, peak memory under 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared/data/raw/eidb_tradestat/india_exports_hs8_country_fy.csv.gz"
BUNDLED = ROOT / "src/dehub/facts/bundled/india_exports_hs8_country_fy.parquet"

CHILD_DUCKDB = """
import duckdb, json, resource, sys, time
src, db = sys.argv[1], sys.argv[2]
t = time.perf_counter()
con = duckdb.connect(db, config={"memory_limit": "1GB"})
con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{src}')")
rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
con.close()
print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

CHILD_DEHUB = """
import json, resource, sys, time
from pathlib import Path
from dehub.facts.ingest import ingest_file
from dehub.facts.store import FactStore
from dehub.settings import Settings
src, home = Path(sys.argv[1]), Path(sys.argv[2])
settings = Settings(home=home)
t = time.perf_counter()
with FactStore.open(settings) as store:
    result = ingest_file(store, src, quarantine_dir=settings.quarantine_dir)
print(json.dumps({"seconds": time.perf_counter() - t, "rows": result.rows_read,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _input_file(tmp: Path) -> Path:
    if RAW.exists():
        return RAW
    import duckdb

    out = tmp / "india_exports_hs8_country_fy.csv.gz"
    duckdb.execute(f"COPY (SELECT * FROM '{BUNDLED}') TO '{out}' (HEADER)")
    return out


def _run(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = _input_file(tmp)
        runs: dict[str, list[dict[str, float]]] = {"duckdb read_csv": [], "dehub ingest": []}
        for i in range(args.repeat):
            runs["duckdb read_csv"].append(_run(CHILD_DUCKDB, str(src), str(tmp / f"b{i}.duckdb")))
            runs["dehub ingest"].append(_run(CHILD_DEHUB, str(src), str(tmp / f"home{i}")))
    summary = {}
    for name, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        summary[name] = {
            "seconds": round(seconds, 2),
            "rows": int(results[0]["rows"]),
            "rows_per_s": int(results[0]["rows"] / seconds),
            "peak_mb": round(max(r["peak_mb"] for r in results)),
        }
    ratio = summary["dehub ingest"]["seconds"] / summary["duckdb read_csv"]["seconds"]
    pairs = sorted(
        d["seconds"] / b["seconds"]
        for b, d in zip(runs["duckdb read_csv"], runs["dehub ingest"], strict=True)
    )
    print(
        f"input: {src.name} ({summary['dehub ingest']['rows']:,} rows), "
        f"median of {args.repeat} runs"
    )
    print("| run | seconds | rows/s | peak memory |")
    print("|---|---|---|---|")
    for name, s in summary.items():
        print(f"| {name} | {s['seconds']} | {s['rows_per_s']:,} | {s['peak_mb']} MB |")
    print(
        f"\ndehub / duckdb time ratio: {ratio:.2f} (target <= 2.0; run by run "
        f"{pairs[0]:.2f}-{pairs[-1]:.2f}); "
        f"dehub peak memory {summary['dehub ingest']['peak_mb']} MB (target < 1500)"
    )
    out = ROOT / "benchmarks/results"
    out.mkdir(exist_ok=True)
    (out / "ingest.json").write_text(
        json.dumps({"summary": summary, "ratio": ratio, "ratios": pairs}, indent=2)
    )


if __name__ == "__main__":
    main()
