"""What every data-build script shares: default folders, the error type, CSV reading and
writing, main()."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RAW = REPO.parent / "shared" / "data" / "raw"
DEFAULT_OUT = REPO / "src" / "dehub" / "reference" / "data"
FACTS_OUT = REPO / "src" / "dehub" / "facts" / "bundled"
"""Where the facts' bundled files go (the ``--out`` of the facts builds)."""


class BuildError(RuntimeError):
    """A raw input that cannot be processed as documented (unmatched spellings, ...)."""


def read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with every column as a string and empty cells as ``""``."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as UTF-8 CSV with ``\\n`` line ends and report the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    print(f"wrote {path.name}: {len(frame):,} rows")


def run_main(
    build: Callable[[Path, Path], None],
    name: str,
    doc: str,
    argv: list[str] | None = None,
    out: Path = DEFAULT_OUT,
) -> int:
    """The command line of a build script: ``--raw`` and ``--out`` (default ``out``); exit
    code 1 on BuildError."""
    parser = argparse.ArgumentParser(prog=name, description=doc.strip().splitlines()[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="raw snapshots folder")
    parser.add_argument("--out", type=Path, default=out, help="output folder")
    args = parser.parse_args(argv)
    try:
        build(args.raw, args.out)
    except BuildError as err:
        print(f"{name}: FAILED: {err}", file=sys.stderr)
        return 1
    return 0
