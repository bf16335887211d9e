"""Analytics benchmark: recompute every national metric on the bundled data.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/analytics_benchmark.py

Builds a fresh store from the bundled data (`dehub init`) in a temporary DEHUB_HOME, then times
each use case as the CLI and API call it (store opened read-only each time): concentration by
district, state, product (HS8, sector) and partner; sectors; dominance; the profile of every
district; diversification of every state; markets of every HS2 chapter; growth by product and
partner; international RCA by HS6; and complexity on the district x sector matrix. Prints a
markdown table and writes benchmarks/results/analytics.json.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dehub.reference.tables import read_reference
from dehub.services import analytics, international, markets
from dehub.services.facts import init_store
from dehub.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def timed(label: str, fn: Callable[[], Any], rows: list[dict[str, Any]], n: int = 1) -> None:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    rows.append(
        {
            "metric": label,
            "calls": n,
            "seconds": round(seconds, 3),
            "ms_per_call": round(1000 * seconds / n, 1),
        }
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        s = Settings(home=Path(tmp) / "home")
        start = time.perf_counter()
        init_store(s)
        init_seconds = time.perf_counter() - start
        rows: list[dict[str, Any]] = []
        for by, level in (
            ("district", None),
            ("state", None),
            ("product", "HS8"),
            ("product", "sector"),
            ("partner", None),
        ):
            timed(
                f"concentration --by {by}" + (f" ({level})" if level else ""),
                lambda by=by, level=level: analytics.concentration_report(s, by=by, level=level),
                rows,
            )
        timed("sectors (India)", lambda: analytics.sector_composition(s), rows)
        timed("dominance", lambda: analytics.dominance_report(s, threshold=0.25), rows)
        pairs = read_reference("dgcis_district_pairs.csv")
        codes = sorted(
            set(
                read_reference("district_aliases.csv").merge(
                    pairs.assign(key=pairs["district"]), on="key"
                )["district_code"]
            )
        )
        timed(
            "district profile, every district",
            lambda: [analytics.district_profile(s, c) for c in codes],
            rows,
            len(codes),
        )
        states = read_reference("states.csv")["state_code"].tolist()
        timed(
            "diversification, every state",
            lambda: [analytics.diversification_report(s, state=c) for c in states],
            rows,
            len(states),
        )
        chapters = ["84", "30", "87", "85", "71", "29", "62", "61", "10", "03"]
        timed(
            "markets, 10 HS chapters",
            lambda: [markets.markets_report(s, c) for c in chapters],
            rows,
            len(chapters),
        )
        timed("growth by product (HS4)", lambda: markets.growth_report(s, level="HS4"), rows)
        timed("growth by partner", lambda: markets.growth_report(s, by="partner"), rows)
        timed(
            "international RCA by HS6 (India vs world)",
            lambda: international.international_rca_report(s, level="HS6"),
            rows,
        )
    total = sum(r["seconds"] for r in rows)
    print(f"init (load the bundled data): {init_seconds:.1f} s")
    print("| metric | calls | seconds | ms per call |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['metric']} | {r['calls']} | {r['seconds']} | {r['ms_per_call']} |")
    print(f"| **all of the above** | | {total:.2f} | |")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "analytics.json").write_text(
        json.dumps({"init_seconds": init_seconds, "rows": rows, "total_seconds": total}, indent=2)
    )


if __name__ == "__main__":
    main()
