"""Access to the reference tables shipped in ``dehub/reference/data``.

The files are built by ``data-build/`` from public sources (see DATA-SOURCES.md). They are read
with DuckDB (into a connection, for set-based joins) or pandas (for small look-ups), always as
strings so that codes keep their leading zeros.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import duckdb
import pandas as pd

from dehub.errors import StoreError

REFERENCE_TABLES: dict[str, str] = {
    "ref_states": "states.csv",
    "ref_districts": "districts.csv",
    "ref_state_aliases": "state_aliases.csv",
    "ref_district_aliases": "district_aliases.csv",
    "ref_countries": "countries.csv",
    "ref_country_aliases": "country_aliases.csv",
    "ref_hs_codes": "hs_codes.csv",
    "ref_itchs8": "itchs8.csv",
    "ref_sectors": "sectors.csv",
    "ref_hs2_sectors": "hs2_sectors.csv",
    "ref_customs_ports": "customs_ports.csv",
}
"""DuckDB table name -> file in the package's reference data folder."""


def reference_file(name: str) -> Path:
    """Path of a bundled reference file; :class:`StoreError` if the package lacks it."""
    path = Path(str(files("dehub.reference") / "data" / name))
    if not path.exists():
        raise StoreError(f"reference file {name} is missing from the dehub package")
    return path


@lru_cache(maxsize=32)
def read_reference(name: str) -> pd.DataFrame:
    """A bundled reference CSV as a DataFrame of strings (empty cells as ``<NA>``)."""
    return pd.read_csv(reference_file(name), dtype="string", keep_default_na=False, na_values=[""])


def attach_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Make every reference table visible to ``con`` under its ``ref_*`` name.

    The files are parsed once per process (:func:`read_reference` is cached) and registered as
    views over the in-memory frames, so opening a store costs microseconds, not a CSV parse.
    All columns are strings (codes keep their leading zeros)."""
    for table, file_name in REFERENCE_TABLES.items():
        con.register(table, _sql_frame(file_name))


@lru_cache(maxsize=32)
def _sql_frame(name: str) -> pd.DataFrame:
    """The reference table as plain Python strings and None, as DuckDB reads VARCHAR."""
    frame = read_reference(name)
    return frame.astype(object).where(frame.notna(), None)
