"""``dehub complexity``: economic complexity of any long CSV or Parquet file.

Thin: read the file (codes as strings), :func:`dehub.analytics.complexity.complexity_long`,
write CSV or Parquet by the output's extension, print one line (or JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import pyarrow.parquet as pq
import typer

from dehub.analytics.complexity import complexity_long
from dehub.cli.output import JsonFlag, handle_errors, out, print_json
from dehub.errors import InvalidInput, Problem

_CSV = (".csv", ".csv.gz", ".tsv", ".tsv.gz")
_PARQUET = (".parquet", ".pq")


def _kind(path: Path, option: str) -> str:
    name = path.name.lower()
    if name.endswith(_CSV):
        return "csv"
    if name.endswith(_PARQUET):
        return "parquet"
    raise InvalidInput(
        f"{path}: unsupported file type (use {', '.join(_CSV + _PARQUET)})",
        [Problem(option, f"unsupported extension of {path.name}")],
    )


def read_long(path: Path, columns: list[str], val: str) -> pd.DataFrame:
    """Read ``columns`` of a long CSV/Parquet file: codes as strings, ``val`` as numbers.

    A value that is not a number is refused (never coerced), naming its line.
    """
    kind = _kind(path, "INPUT")
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file", [Problem("INPUT", "file not found")])
    sep = "\t" if ".tsv" in path.name.lower() else ","
    try:
        if kind == "csv":
            header = pd.read_csv(path, sep=sep, nrows=0).columns
        else:
            header = pd.Index(pq.read_schema(path).names)
    except Exception as exc:  # any parser/IO error: the file is unreadable as that format
        raise InvalidInput(f"{path}: cannot read as {kind}: {exc}") from None
    missing = [c for c in columns if c not in header]
    if missing:
        raise InvalidInput(
            f"{path.name}: missing column(s) {', '.join(repr(c) for c in missing)}; the file "
            f"has {', '.join(repr(str(c)) for c in header)}",
            [Problem(c, "column not found") for c in missing],
        )
    try:
        if kind == "csv":
            df = pd.read_csv(
                path, sep=sep, usecols=columns, dtype=str, keep_default_na=False, na_values=[""]
            )
        else:
            df = pd.read_parquet(path, columns=columns)
    except Exception as exc:
        raise InvalidInput(f"{path}: cannot read as {kind}: {exc}") from None
    keys = [c for c in columns if c != val]
    for key in keys:
        df[key] = df[key].astype("str").where(df[key].notna())
    if not pd.api.types.is_numeric_dtype(df[val]) or pd.api.types.is_bool_dtype(df[val]):
        text = df[val].astype("str").str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        bad = numbers.isna() & df[val].notna()
        if bad.any():
            first = bad.to_numpy().nonzero()[0][:5]
            offset = 2 if kind == "csv" else 0  # CSV: line 1 is the header
            where = "line" if kind == "csv" else "row"
            raise InvalidInput(
                f"{path.name}: column {val!r} has {int(bad.sum())} value(s) that are not numbers",
                [
                    Problem(f"{where} {i + offset}, column {val!r}", repr(text.iloc[i]))
                    for i in first
                ],
            )
        df[val] = numbers.astype("float64")
    return df


def _write(df: pd.DataFrame, path: Path) -> None:
    kind = _kind(path, "--out")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "csv":
            df.to_csv(path, index=False, sep="\t" if ".tsv" in path.name.lower() else ",")
        else:
            df.to_parquet(path, index=False)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write: {exc}", [Problem("--out", str(exc))]) from None


def register(app: typer.Typer) -> None:
    """Add ``dehub complexity`` to ``app``."""

    @app.command("complexity")
    @handle_errors()
    def complexity(
        input_path: Annotated[
            Path, typer.Argument(metavar="INPUT", help="Long CSV (.csv, .csv.gz) or Parquet.")
        ],
        loc: Annotated[str, typer.Option("--loc", help="Column of location codes.")],
        prod: Annotated[str, typer.Option("--prod", help="Column of product codes.")],
        val: Annotated[str, typer.Option("--val", help="Column of export values (one unit).")],
        out_path: Annotated[
            Path, typer.Option("--out", help="Output file: .csv, .csv.gz or .parquet.")
        ],
        time: Annotated[
            str | None, typer.Option("--time", help="Column of periods (each computed alone).")
        ] = None,
        rca_threshold: Annotated[
            float, typer.Option("--rca-threshold", help="M = 1 where RCA >= this.")
        ] = 1.0,
        as_json: JsonFlag = False,
    ) -> None:
        """Economic complexity (RCA, M, diversity, ubiquity, ECI, PCI, density, COI, COG) of
        a long file with one row per location x product (x period); see docs/complexity.md."""
        _kind(out_path, "--out")
        columns = [loc, prod] + ([time] if time else []) + [val]
        df = read_long(input_path, list(dict.fromkeys(columns)), val)
        result = complexity_long(df, loc, prod, val, time=time, rca_threshold=rca_threshold)
        _write(result, out_path)
        computed = result["rca"].notna()
        summary = {
            "rows": len(result),
            "locations": int(result.loc[computed, loc].nunique()),
            "products": int(result.loc[computed, prod].nunique()),
            "periods": int(result[time].nunique()) if time else 1,
            "rows_left_out": int(result["rca"].isna().sum()),
            "out": str(out_path),
        }
        if as_json:
            print_json({"ok": True, **summary})
            return
        left_out = summary["rows_left_out"]
        out.print(
            f"wrote {summary['rows']:,} rows to {out_path}: {summary['locations']:,} locations x "
            f"{summary['products']:,} products"
            + (f", {summary['periods']} period(s)" if time else "")
            + (f"; {left_out:,} input rows left out (zero totals)" if left_out else ""),
            markup=False,
        )
