"""Bundle world trade by HS6 for international RCA (see DATA-SOURCES.md).

From `world_imports_top6_hs6/` (CEPII BACI HS2022 V202601, year 2024, summarised by product
in github.com/sabinevolve-hue/nepal-hs-code-finder @ 879c8d8, see its PROVENANCE.md):

- `world_imports_by_hs6_2024.csv`: world trade by HS6 (`w`, whole US$ million as published;
  in BACI world imports = world exports, India's exports included);
- `exporters_top6_by_hs6_2024.csv`: India's own BACI exports of the products where India is
  among the six largest exporters (a cross-check of coverage of India's data; blank elsewhere).

Writes `src/dehub/facts/bundled/world_trade_hs6_2024.csv` with columns `hs6`,
`world_value_usd_mn`, `india_baci_value_usd_mn` (integers as published). Fails if a code is
not six digits, repeats, or a value is not a non-negative integer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from buildkit import FACTS_OUT, BuildError, run_main, write_csv  # noqa: E402

NAME = "world_trade_hs6_2024.csv"


def _integers(column: pd.Series, what: str) -> pd.Series:
    numbers = pd.to_numeric(column, errors="coerce")
    bad = numbers.isna() | (numbers < 0) | (numbers % 1 != 0)
    if bad.any():
        raise BuildError(f"{what}: {int(bad.sum())} values are not non-negative integers")
    return numbers.astype("int64")


def build(raw: Path, out: Path = FACTS_OUT) -> None:
    """Write the world trade file into ``out`` (the facts' bundled folder)."""
    folder = raw / "world_imports_top6_hs6"
    world = pd.read_csv(folder / "world_imports_by_hs6_2024.csv", dtype=str)
    exporters = pd.read_csv(folder / "exporters_top6_by_hs6_2024.csv", dtype=str)
    if set(world["year"]) != {"2024"} or set(exporters["year"]) != {"2024"}:
        raise BuildError("expected year 2024 only")
    codes = world["hs6"]
    if not codes.str.fullmatch(r"\d{6}").all() or codes.duplicated().any():
        raise BuildError("world HS6 codes must be unique 6-digit strings")
    india = exporters[exporters["exporter"] == "IND"]
    if india["hs6"].duplicated().any() or not india["hs6"].isin(codes).all():
        raise BuildError("India's top-6 exporter rows repeat a code or name an unknown one")
    india_mn = _integers(india["value_usd_mn"], "India's exports").set_axis(india["hs6"])
    table = pd.DataFrame(
        {
            "hs6": codes,
            "world_value_usd_mn": _integers(world["world_import_value_usd_mn"], "world values"),
            "india_baci_value_usd_mn": codes.map(india_mn).astype("Int64"),
        }
    ).sort_values("hs6")
    write_csv(table, out / NAME)


if __name__ == "__main__":
    raise SystemExit(run_main(build, "build_world", __doc__ or "", out=FACTS_OUT))
