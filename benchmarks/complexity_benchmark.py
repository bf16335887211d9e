"""Complexity benchmark: dehub's complexity_long vs py-ecomplexity, side by side, same run.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/complexity_benchmark.py [--repeat 5]

Cases:
  (a) the bundled DGCI&S district x sector exports, FY2024-25 (District == 'UNSPECIFIED' left
      out; a location is State / District);
  (b) a generated 700 x 1,200 matrix (seed 2025): lognormal(10, 2) values, each cell zero with
      probability 0.6, given as long rows of the non-zero cells (as a trade file would be).

Both tools get the same long DataFrame and return one row per location x product. Timings are
wall time in this process, the median of ``--repeat`` runs after one warm-up, runs of the two
tools interleaved. py-ecomplexity is called with ``verbose=False`` and
``check_logsupermodularity=False`` (a diagnostic that only prints and warns and does not change
any output); one run with its defaults is timed too. Differences are the max absolute
difference per output column after joining on (location, product).
Target (issue #3): >= 20x faster than py-ecomplexity on (b), identical to 1e-6.

Prints a markdown table and writes benchmarks/results/complexity.json.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import io
import json
import os
import platform
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy
from ecomplexity import ecomplexity

from dehub.analytics.complexity import OUTPUT_COLUMNS, complexity_long

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "src/dehub/facts/bundled/district_sector_exports_2024-25.csv.gz"
RESULTS = ROOT / "benchmarks/results/complexity.json"
COLS = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}


def district_sector() -> pd.DataFrame:
    raw = pd.read_csv(BUNDLED, dtype={"State": str, "District": str, "sector": str})
    raw = raw[raw["District"] != "UNSPECIFIED"]
    return pd.DataFrame(
        {
            "loc": raw["State"] + " / " + raw["District"],
            "prod": raw["sector"],
            "val": raw["export_usd"].astype(float),
            "year": "2024-25",
        }
    ).reset_index(drop=True)


def generated(n_loc: int = 700, n_prod: int = 1200, zeros: float = 0.6) -> pd.DataFrame:
    rng = np.random.default_rng(2025)
    values = rng.lognormal(10, 2, size=(n_loc, n_prod)) * (rng.random((n_loc, n_prod)) >= zeros)
    df = pd.DataFrame(
        {
            "loc": np.repeat([f"L{i:04d}" for i in range(n_loc)], n_prod),
            "prod": np.tile([f"P{j:05d}" for j in range(n_prod)], n_loc),
            "val": values.ravel(),
            "year": "2024-25",
        }
    )
    return df[df["val"] > 0].reset_index(drop=True)


def run_dehub(df: pd.DataFrame) -> pd.DataFrame:
    return complexity_long(df, "loc", "prod", "val", time="year")


def run_ecomplexity(df: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
    options = {"verbose": False, "check_logsupermodularity": False, **kwargs}
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        result: pd.DataFrame = ecomplexity(df, COLS, **options)
    return result


def timed(func: Callable[[], pd.DataFrame]) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def max_abs_diff(ours: pd.DataFrame, ref: pd.DataFrame) -> dict[str, float | None]:
    keys = ["loc", "prod", "year"]
    merged = ours.merge(ref, on=keys, how="outer", suffixes=("", "_ref"), indicator=True)
    if not (merged["_merge"] == "both").all():
        raise SystemExit("the two tools return different rows")
    diffs: dict[str, float | None] = {}
    for col in ("val", *OUTPUT_COLUMNS):
        a = merged[col].astype("float64").to_numpy(na_value=np.nan)
        b = merged[f"{col}_ref"].astype("float64").to_numpy()
        if not (np.isnan(a) == np.isnan(b)).all():
            raise SystemExit(f"{col}: NaN in different cells")
        finite = ~np.isnan(a)
        diffs[col] = float(np.abs(a[finite] - b[finite]).max()) if finite.any() else None
    return diffs


def bench(name: str, df: pd.DataFrame, repeat: int) -> dict[str, Any]:
    print(f"{name}: {len(df):,} input rows ...", flush=True)
    run_dehub(df)  # warm-up (imports, BLAS threads)
    ours_t: list[float] = []
    ec_t: list[float] = []
    ours = ref = pd.DataFrame()
    for _ in range(repeat):
        seconds, ours = timed(lambda: run_dehub(df))
        ours_t.append(seconds)
        seconds, ref = timed(lambda: run_ecomplexity(df))
        ec_t.append(seconds)
    default_t, _ = timed(lambda: run_ecomplexity(df, check_logsupermodularity=True))
    ours_med, ec_med = statistics.median(ours_t), statistics.median(ec_t)
    return {
        "case": name,
        "locations": int(ours["loc"].nunique()),
        "products": int(ours["prod"].nunique()),
        "input_rows": len(df),
        "output_rows": len(ours),
        "dehub_seconds": ours_t,
        "ecomplexity_seconds": ec_t,
        "ecomplexity_defaults_seconds": default_t,
        "dehub_median": ours_med,
        "ecomplexity_median": ec_med,
        "speedup": ec_med / ours_med,
        "max_abs_diff": max_abs_diff(ours, ref),
    }


def markdown(cases: list[dict[str, Any]]) -> str:
    lines = [
        "| case | locations x products | input rows | dehub (s) | py-ecomplexity (s) | speed-up |",
        "|---|---|---|---|---|---|",
    ]
    for c in cases:
        lines.append(
            f"| {c['case']} | {c['locations']:,} x {c['products']:,} | {c['input_rows']:,} | "
            f"{c['dehub_median']:.3f} | {c['ecomplexity_median']:.2f} "
            f"(defaults: {c['ecomplexity_defaults_seconds']:.2f}) | {c['speedup']:.1f}x |"
        )
    cols = ["val", *OUTPUT_COLUMNS]
    lines += ["", "| case | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for c in cases:
        cells = ["-" if v is None else f"{v:.1e}" for v in c["max_abs_diff"].values()]
        lines.append(f"| {c['case']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per tool and case")
    args = parser.parse_args()
    cases = [
        bench("(a) district x sector, FY2024-25", district_sector(), args.repeat),
        bench("(b) generated 700 x 1,200, 60% zeros", generated(), args.repeat),
    ]
    table = markdown(cases)
    print()
    print(table)
    worst = max(v for c in cases for v in c["max_abs_diff"].values() if v is not None)
    target = cases[1]["speedup"] >= 20 and worst <= 1e-6
    print(f"\nmax abs difference, all columns: {worst:.1e}; target (>= 20x on (b), <= 1e-6): "
          f"{'met' if target else 'NOT met'}")  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "complexity_long vs py-ecomplexity",
                "repeat": args.repeat,
                "machine": {
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "python": platform.python_version(),
                    "numpy": np.__version__,
                    "scipy": scipy.__version__,
                    "pandas": pd.__version__,
                    "ecomplexity": importlib.metadata.version("ecomplexity"),
                    "load_average": os.getloadavg(),
                },
                "cases": cases,
                "target_met": target,
                "table": table,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
