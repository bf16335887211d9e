"""Web benchmark: latency of every route and throughput under load, on the embedded data.

Run on demand (not part of the test suite):

    .venv/bin/python benchmarks/web_benchmark.py [--home DIR] [--duration 20] [--workers N]

Builds a store from the bundled data (`dehub init`) in a temporary DEHUB_HOME (or uses
``--home``), starts ``dehub serve`` as the README's first command does (one process, or
``--workers N``), waits until its start-up warm-up is done (``/healthz`` says ``warm`` and has
built the largest exporters' district pages), then:

1. **latency**: for each route (every page kind and every ``/api/v1`` route), 5 warm-up
   requests then 200 sequential keep-alive requests; p50 / p99 / max in ms and the server's
   CPU time per request (user + system of the server processes, which other programs on the
   machine disturb far less than wall-clock latency);
2. **first requests**: right after a restart (and its warm-up), every district's page and API
   profile requested once (p50 / p99 / max; ``--first-requests N`` times an even sample of N);
3. **throughput**: ``wrk -t2 -c32 -d20s`` (Debian package ``wrk``) on the district profile
   page (plain and with ``Accept-Encoding: gzip``, as browsers ask), its API route, and
   rotating over every district's page; requests/s, p99 and errors (socket errors and
   non-2xx answers).

Targets (issue 4, on a 2-core machine): p99 < 150 ms for every route, >= 300 requests/s on the
district profile route, zero errors. The load average before and after each part is printed:
other programs on the machine make the numbers worse. Prints markdown tables and writes
benchmarks/results/web.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from dehub.web.warmup import TOP_DISTRICTS

ROOT = Path(__file__).resolve().parents[1]
ROUTES = [
    "/",
    "/districts",
    "/states",
    "/states/24",
    "/districts/447",
    "/districts/447?table=sectors&format=csv",
    "/districts/447/report.pdf",
    "/districts/447/report.html",
    "/districts/447/report.xlsx",
    "/products",
    "/products/pharma",
    "/products/0904",
    "/markets",
    "/markets/USA",
    "/search?q=agra",
    "/api/docs",
    "/api/v1/openapi.json",
    "/api/v1/summary",
    "/api/v1/districts",
    "/api/v1/districts?limit=1000",
    "/api/v1/districts/447",
    "/api/v1/states",
    "/api/v1/states/24",
    "/api/v1/products",
    "/api/v1/products/pharma",
    "/api/v1/products/0904",
    "/api/v1/markets",
    "/api/v1/markets/USA",
    "/api/v1/search?q=jam",
    "/api/v1/search?q=U%20S%20A&limit=8",
    "/api/v1/potential",
    "/api/v1/potential?district=447",
    "/api/v1/opportunities/447",
    "/api/v1/rca/international",
]
TARGET_P99_MS = 150.0
TARGET_RPS = 300.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``dehub serve`` on ``port``, returned once every worker has warmed its caches."""
    env = {**os.environ, "DEHUB_HOME": str(home)}
    dehub = str(Path(sys.executable).with_name("dehub"))
    proc = subprocess.Popen(
        [dehub, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    warm_in_a_row = 0
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            health = json.loads(response.read()) if response.status == 200 else {}
            # the shared warm-up, then the largest exporters' pages (built in the background)
            warm = health.get("warm") and health.get("warm_districts", 0) >= TOP_DISTRICTS
            # with several workers each answers for itself: ask until many say warm in a row
            warm_in_a_row = warm_in_a_row + 1 if warm else 0
            if warm_in_a_row >= 4 * workers:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("dehub serve did not start and warm up within 600 s")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its children (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def timed_requests(port: int, path: str, n: int) -> tuple[list[float], list[int]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times, statuses = [], []
    for _ in range(n):
        start = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        statuses.append(response.status)
    conn.close()
    return times, statuses


def summarise(times: list[float]) -> dict[str, float]:
    a = np.array(times)
    return {
        "p50_ms": round(float(np.percentile(a, 50)), 2),
        "p99_ms": round(float(np.percentile(a, 99)), 2),
        "max_ms": round(float(a.max()), 2),
    }


def load() -> str:
    """The 1-minute load average (other programs competing for the CPU)."""
    return f"{os.getloadavg()[0]:.1f}"


def district_codes(port: int) -> list[str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/api/v1/districts?limit=1000")
    data = json.loads(conn.getresponse().read())
    return [d["lgd_code"] for d in data["items"] if d.get("rank")]


def distinct_queries(port: int, n: int = 200) -> list[str]:
    """``n`` different autocomplete queries (prefixes of district names, 3 to 6 letters), so
    that search answers are computed, not read from the server's cache of answers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/api/v1/districts?limit=1000")
    names = [d["name"] for d in json.loads(conn.getresponse().read())["items"]]
    found = sorted({name[:k] for name in names for k in (3, 4, 5, 6) if len(name) >= k})
    return [f"/api/v1/search?limit=8&q={quote(q)}" for q in found[:: max(1, len(found) // n)][:n]]


def timed_distinct(port: int, paths: list[str]) -> tuple[list[float], list[int]]:
    times, statuses = [], []
    for path in paths:
        t, st = timed_requests(port, path, 1)
        times += t
        statuses += st
    return times, statuses


def run_wrk(
    port: int, path: str, seconds: int, paths: list[str] | None = None, gzip: bool = False
) -> dict[str, Any]:
    if shutil.which("wrk") is None:
        return {"route": path, "error": "wrk is not installed (apt-get install wrk)"}
    cmd = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency"]
    if gzip:
        cmd += ["-H", "Accept-Encoding: gzip"]
    script = None
    if paths:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        listed = ",".join(f'"{p}"' for p in paths)
        script.write(
            f"paths = {{{listed}}}\ni = 0\n"
            "request = function()\n  i = i % #paths + 1\n"
            "  return wrk.format('GET', paths[i])\nend\n"
            "done = function(summary, latency, requests)\n"
            "  io.write(string.format('NON2XX %d\\n', summary.errors.status))\nend\n"
        )
        script.close()
        cmd += ["-s", script.name]
    cmd.append(f"http://127.0.0.1:{port}{path}")
    before = load()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    if script:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = None
    if p99:
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
        p99_ms = round(float(p99.group(1)) * scale, 2)
    route = path if not paths else f"{path} (rotating over {len(paths)} districts)"
    return {
        "route": route + (" (gzip)" if gzip else ""),
        "load_before": before,
        "load_after": load(),
        "requests_per_s": rps,
        "p99_ms": p99_ms,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="an initialised DEHUB_HOME (default: fresh)")
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=1, help="dehub serve --workers N")
    parser.add_argument(
        "--first-requests",
        type=int,
        default=0,
        help="districts whose first request is timed after the restart (default 0: all)",
    )
    args = parser.parse_args()
    tmp = None
    home = args.home
    if home is None:
        from dehub.services.facts import init_store
        from dehub.settings import Settings

        tmp = tempfile.TemporaryDirectory()
        home = Path(tmp.name) / "home"
        init_store(Settings(home=home))
    port = free_port()
    started = time.perf_counter()
    proc = start_server(home, port, args.workers)
    results: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "workers": args.workers,
        "start_and_warm_s": round(time.perf_counter() - started, 1),
        "routes": [],
        "cold": {},
        "load": [],
    }
    try:
        results["load_before_latency"] = load()
        for route in ROUTES:
            first, _ = timed_requests(port, route, 1)
            timed_requests(port, route, 4)
            cpu = process_tree_cpu(proc.pid)
            times, statuses = timed_requests(port, route, 200)
            cpu_ms = (process_tree_cpu(proc.pid) - cpu) * 1000 / len(times)
            errors = sum(1 for s in statuses if s >= 400)
            row = {"route": route, "first_ms": round(first[0], 1), **summarise(times)}
            results["routes"].append({**row, "server_cpu_ms": round(cpu_ms, 2), "errors": errors})
        queries = distinct_queries(port)
        cpu = process_tree_cpu(proc.pid)
        times, statuses = timed_distinct(port, queries)
        cpu_ms = (process_tree_cpu(proc.pid) - cpu) * 1000 / len(times)
        results["routes"].append(
            {
                "route": f"/api/v1/search?q=... ({len(queries)} different queries, uncached)",
                "first_ms": round(times[0], 1),
                **summarise(times),
                "server_cpu_ms": round(cpu_ms, 2),
                "errors": sum(1 for s in statuses if s >= 400),
            }
        )
        results["load_after_latency"] = load()
        codes = district_codes(port)
        proc.terminate()
        proc.wait()
        proc = start_server(home, port, args.workers)  # fresh caches, warmed as at start-up
        sample = codes
        if args.first_requests:  # an even sample, largest to smallest
            sample = codes[:: max(1, len(codes) // args.first_requests)][: args.first_requests]
        for kind, template in (("page", "/districts/{}"), ("api", "/api/v1/districts/{}")):
            cold: list[float] = []
            bad = 0
            for code in sample:
                t, s = timed_requests(port, template.format(code), 1)
                cold += t
                bad += s[0] >= 400
            results["cold"][kind] = {"districts": len(sample), **summarise(cold), "errors": bad}
        for path, gzip in (("/districts/447", False), ("/districts/447", True)):
            results["load"].append(run_wrk(port, path, args.duration, gzip=gzip))
        results["load"].append(run_wrk(port, "/api/v1/districts/447", args.duration))
        rotating = [f"/districts/{c}" for c in codes]
        results["load"].append(run_wrk(port, "/districts/", args.duration, rotating))
    finally:
        proc.terminate()
        proc.wait()
        if tmp:
            tmp.cleanup()
    report(results)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "web.json").write_text(json.dumps(results, indent=2))


def report(results: dict[str, Any]) -> None:
    print(
        f"Web benchmark ({results['cpus']} CPUs, dehub serve --workers {results['workers']}; "
        f"start-up and warm-up {results['start_and_warm_s']} s)\n"
    )
    print(
        "Warm caches, 200 sequential keep-alive requests per route; load average "
        f"{results['load_before_latency']} before, {results['load_after_latency']} after\n"
    )
    print(
        "| route | first request ms | p50 ms | p99 ms | max ms | server CPU ms | errors "
        "| p99 < 150 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results["routes"]:
        ok = "yes" if r["p99_ms"] < TARGET_P99_MS and not r["errors"] else "NO"
        print(
            f"| `{r['route']}` | {r['first_ms']} | {r['p50_ms']} | {r['p99_ms']} | "
            f"{r['max_ms']} | {r['server_cpu_ms']} | {r['errors']} | {ok} |"
        )
    print("\nFirst request of every district after a restart (caches warmed at start-up)\n")
    print("| route | districts | p50 ms | p99 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, c in results["cold"].items():
        print(
            f"| {kind} | {c['districts']} | {c['p50_ms']} | {c['p99_ms']} | {c['max_ms']} | "
            f"{c['errors']} |"
        )
    print("\nThroughput, wrk -t2 -c32 (wrk runs on the same machine)\n")
    print(
        "| route | requests/s | p99 ms | non-2xx | socket errors | load before/after "
        "| >= 300 req/s |"
    )
    print("|---|---:|---:|---:|---|---|---|")
    for r in results["load"]:
        if "error" in r:
            print(f"| `{r['route']}` | {r['error']} | | | | | |")
            continue
        ok = "yes" if r["requests_per_s"] >= TARGET_RPS and not r["non_2xx"] else "NO"
        print(
            f"| `{r['route']}` | {r['requests_per_s']:.0f} | {r['p99_ms']} | {r['non_2xx']} | "
            f"{r['socket_errors']} | {r['load_before']} / {r['load_after']} | {ok} |"
        )


if __name__ == "__main__":
    main()
