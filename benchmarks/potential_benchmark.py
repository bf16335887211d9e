"""Export potential benchmark: every district x HS6 x market in one run.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/potential_benchmark.py [--home DEHUB_HOME]

Steps, each timed: read the bundled world file (820,362 importer x HS6 rows); India's Export
Potential Indicator for every market x HS6 (:func:`dehub.analytics.potential.export_potential`);
the districts' supplier shares from the district-wise data of the store
(:func:`dehub.services.potential.supplier_basis`, after ``dehub init`` in a temporary home
unless ``--home`` names one); then the potential, attributed actual and untapped potential of
**every district x HS6 x market** (district share x India's value, the attribution of
``attribute_to_supplier``), in blocks of districts, keeping each district's totals and its top
10 pairs. Checks: the districts' potentials plus the unattributed part add up to India's, and
three districts' top pairs equal ``dehub potential --district``. Reports time and peak memory
(the process's peak resident set size; tracemalloc was left out: it slows pandas several-fold)
and writes
benchmarks/results/potential.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from dehub.analytics.potential import export_potential
from dehub.facts.world_markets import world_trade
from dehub.services.facts import init_store
from dehub.services.potential import india_potential, potential_report, supplier_basis
from dehub.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
BLOCK = 8
TOP = 10


def every_district(settings: Settings) -> dict[str, Any]:
    """District x HS6 x market potential for every district with exports, in blocks."""
    epi = india_potential()
    basis = supplier_basis(settings)
    shares = basis.shares
    districts = np.array(sorted(shares["loc"].unique()))
    column = epi[basis.column()]
    codes = list(column.cat.categories.astype(str))
    code_pos = {c: i for i, c in enumerate(codes)}
    matrix = np.zeros((districts.size, len(codes) + 1))  # last column: no basis code (share 0)
    d_idx = np.searchsorted(districts, shares["loc"].to_numpy())
    c_idx = shares["code"].map(code_pos).fillna(len(codes)).to_numpy(dtype=int)
    matrix[d_idx, c_idx] = shares["supplier_share"].to_numpy()
    matrix[:, -1] = 0.0
    row_code = column.cat.codes.to_numpy().astype(np.int64)
    row_code[row_code < 0] = len(codes)
    potential = epi["potential_usd"].to_numpy()
    actual = epi["actual_usd"].to_numpy()
    untapped = epi["untapped_usd"].to_numpy()
    totals = np.zeros((districts.size, 3))
    # Each district's top pairs are among the top pairs of each basis code (its untapped
    # potential is its share of the code times India's), so they are picked from those
    # candidates; every cell is still computed for the totals.
    order = np.argsort(-untapped, kind="stable")
    by_code = np.argsort(row_code[order], kind="stable")
    firsts = np.searchsorted(row_code[order][by_code], np.arange(len(codes) + 1))
    candidates = np.concatenate(
        [order[by_code[f : f + TOP]] for f in firsts[:-1]] if len(firsts) > 1 else [order[:TOP]]
    )
    top_rows = np.zeros((districts.size, TOP), dtype=np.int64)
    pairs = 0
    for start in range(0, districts.size, BLOCK):
        block = matrix[start : start + BLOCK][:, row_code]  # every district x row: its share
        pairs += int(np.count_nonzero(block))
        totals[start : start + BLOCK, 0] = block @ potential
        totals[start : start + BLOCK, 1] = block @ actual
        totals[start : start + BLOCK, 2] = block @ untapped
        scores = block[:, candidates] * untapped[candidates]
        best = np.argsort(-scores, axis=1, kind="stable")[:, :TOP]
        top_rows[start : start + BLOCK] = candidates[best]
    return {
        "districts": districts,
        "totals": totals,
        "top_rows": top_rows,
        "pairs": pairs,
        "rows_per_district": len(epi),
        "level": basis.level,
        "matrix": matrix,
        "row_code": row_code,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=args.home or Path(tmp) / "home")
        if args.home is None:
            init_store(settings)
        timings: dict[str, float] = {}
        start = time.perf_counter()
        trade = world_trade()
        timings["read world file"] = time.perf_counter() - start
        start = time.perf_counter()
        export_potential(trade, "IND")
        timings["India EPI, every market x HS6"] = time.perf_counter() - start
        india_potential()  # the service's cached copy (with its filter columns)
        start = time.perf_counter()
        supplier_basis(settings)
        timings["district supplier shares"] = time.perf_counter() - start
        start = time.perf_counter()
        result = every_district(settings)
        timings["every district x HS6 x market"] = time.perf_counter() - start
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

        epi = india_potential()
        unattributed = 1.0 - result["matrix"].sum(axis=0)  # share of no district, per code
        check = float(
            result["totals"][:, 0].sum()
            + (unattributed[result["row_code"]] * epi["potential_usd"].to_numpy()).sum()
        )
        india = float(epi["potential_usd"].sum())
        assert abs(check - india) <= 1e-6 * india, (check, india)
        for name in ("459", "447", "603"):  # Surat, Jamnagar, Nicobars
            pos = int(np.searchsorted(result["districts"], name))
            report = potential_report(settings, district=name, top=TOP)
            mine = [
                (str(epi["market"].iloc[r]), str(epi["product"].iloc[r]))
                for r in result["top_rows"][pos]
            ]
            theirs = [(r["market"], r["product"]) for r in report["rows"]]
            assert mine[: len(theirs)] == theirs, (name, mine, theirs)

    n_d = int(result["districts"].size)
    out = {
        "districts": n_d,
        "rows_per_district": result["rows_per_district"],
        "district_product_market_cells": n_d * result["rows_per_district"],
        "cells_with_positive_share": result["pairs"],
        "supplier_level": result["level"],
        "seconds": {k: round(v, 3) for k, v in timings.items()},
        "total_seconds": round(sum(timings.values()), 3),
        "peak_rss_mb": round(peak_rss, 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
    }
    print("| step | seconds |\n|---|---|")
    for k, v in out["seconds"].items():
        print(f"| {k} | {v} |")
    print(
        f"\n{n_d} districts x {out['rows_per_district']:,} market x HS6 rows = "
        f"{out['district_product_market_cells']:,} cells ({out['cells_with_positive_share']:,} "
        f"with a positive district share, basis {out['supplier_level']}); total "
        f"{out['total_seconds']} s; peak RSS "
        f"{out['peak_rss_mb']} MB (load average {out['load_average_1min']} on "
        f"{out['cpus']} CPUs)"
    )
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "potential.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
