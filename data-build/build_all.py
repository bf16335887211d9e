"""Rebuild every bundled file from the raw snapshots (see data-build/README.md)."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from buildkit import DEFAULT_OUT, DEFAULT_RAW, FACTS_OUT  # noqa: E402

PARTS = (
    "build_geography",
    "build_products",
    "build_countries",
    "build_district_products",
    "build_product_hs",
    "build_ports",
    "build_facts",
    "build_world_markets",
    "build_world",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    args = parser.parse_args()
    for part in PARTS:
        spec = importlib.util.spec_from_file_location(part, HERE / f"{part}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[part] = module
        spec.loader.exec_module(module)
        print(f"== {part}")
        facts = part in ("build_facts", "build_world_markets", "build_world")
        module.build(args.raw, FACTS_OUT if facts else DEFAULT_OUT)


if __name__ == "__main__":
    main()
