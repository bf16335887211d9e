"""District report benchmark: time to build each format for big districts.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/report_benchmark.py [--home DEHUB_HOME] [--repeat 5]

Uses an initialised DEHUB_HOME if given (else builds one from the bundled data in a temporary
folder). Times, per district (Surat, Jamnagar, and the smallest exporter): the national
district frame (built once per period; the web keeps it cached), the products and target
markets sections (India's export potential and the districts' supplier shares computed
beforehand, as the web keeps them), the report content from the frame, and each format's
rendering; the median of ``--repeat`` runs, plus the cold end-to-end time of ``dehub report``
(a fresh process: imports, frame, content, render, write). Prints a markdown table
and writes benchmarks/results/report.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dehub.reference.geography import resolve_district
from dehub.reports import FORMATS, render_report
from dehub.services import places
from dehub.services.district_report import district_report, report_sections
from dehub.services.facts import init_store
from dehub.services.potential import india_potential, supplier_basis
from dehub.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DISTRICTS = ("Surat", "Jamnagar")


def median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return round(1000 * statistics.median(times), 1), result


def cold_cli(home: Path, district: str, fmt: str, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "dehub.cli.main",
            "report",
            district,
            "--format",
            fmt,
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        env={"DEHUB_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )
    return round(time.perf_counter() - start, 2)


def run(home: Path, repeat: int) -> list[dict[str, Any]]:
    settings = Settings(home=home)
    frame_ms, frame = median_ms(lambda: places.district_frame(settings), repeat)
    smallest = str(frame.by_district.index[-1])
    basis = supplier_basis(settings, frame.period)  # the web keeps one per period
    india_potential()  # computed once per process
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in (*DISTRICTS, smallest):
            district = resolve_district(name)
            sections_ms, (products, target) = median_ms(
                lambda d=district: report_sections(settings, frame, d, basis), repeat
            )
            content_ms, report = median_ms(
                lambda d=district, p=products, t=target: district_report(
                    frame, d, products=p, target_markets=t
                ),
                repeat,
            )
            row: dict[str, Any] = {
                "district": f"{district.name} ({district.code})",
                "frame_ms": frame_ms,
                "sections_ms": sections_ms,
                "content_ms": content_ms,
            }
            for fmt in FORMATS.values():
                ms, body = median_ms(lambda f=fmt, r=report: render_report(r, f), repeat)
                row[f"{fmt.name}_ms"] = ms
                row[f"{fmt.name}_kib"] = round(len(body) / 1024)
                row[f"{fmt.name}_cli_cold_s"] = cold_cli(
                    home, district.code, fmt.name, Path(tmp) / f"r{fmt.suffix}"
                )
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.home:
        rows = run(args.home, args.repeat)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            init_store(Settings(home=home))
            rows = run(home, args.repeat)
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "report.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
