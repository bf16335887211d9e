"""``dehub complexity``: economic complexity of any long CSV or Parquet file.

Thin: read the file (codes as strings), :func:`dehub.analytics.complexity.complexity_long` (or,
with ``--pci``, :func:`dehub.analytics.subnational.subnational_eci_long`), write CSV or Parquet
by the output's extension, print one line (or JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import pyarrow.parquet as pq
import typer

from dehub.analytics.complexity import complexity_long
from dehub.analytics.subnational import subnational_eci_long
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


def _header(path: Path, option: str) -> pd.Index:
    """The column names of a CSV/Parquet file (``option`` names it in errors)."""
    kind = _kind(path, option)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file", [Problem(option, "file not found")])
    try:
        if kind == "csv":
            sep = "\t" if ".tsv" in path.name.lower() else ","
            names: list[str] = pd.read_csv(path, sep=sep, nrows=0).columns.tolist()
        else:
            names = list(pq.read_schema(path).names)
        return pd.Index(names)
    except Exception as exc:  # any parser/IO error: the file is unreadable as that format
        raise InvalidInput(f"{path}: cannot read as {kind}: {exc}") from None


def read_long(path: Path, columns: list[str], val: str, option: str = "INPUT") -> pd.DataFrame:
    """Read ``columns`` of a long CSV/Parquet file: codes as strings, ``val`` as numbers.

    A value that is not a number is refused (never coerced), naming its line.
    """
    header = _header(path, option)
    kind = _kind(path, option)
    sep = "\t" if ".tsv" in path.name.lower() else ","
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


def read_pci(path: Path, prod: str) -> pd.Series:
    """An external PCI file (CSV/Parquet): columns ``product`` (or the ``--prod`` column's
    name) and ``pci``, one row per product; the PCI as floats indexed by product code."""
    header = _header(path, "--pci")
    product = "product" if "product" in header else prod
    missing = [c for c in (product, "pci") if c not in header]
    if missing:
        missing = [f"'product' / {c!r}" if c == product else repr(c) for c in missing]
        raise InvalidInput(
            f"{path.name}: a PCI file needs the columns 'product' (or {prod!r}, as --prod) and "
            f"'pci'; missing {', '.join(missing)}; the file has "
            f"{', '.join(repr(str(c)) for c in header)}",
            [Problem("--pci", f"column {c} not found") for c in missing],
        )
    df = read_long(path, [product, "pci"], "pci", option="--pci")
    if df[product].isna().any():
        raise InvalidInput(f"{path.name}: {int(df[product].isna().sum())} rows have no product")
    return pd.Series(df["pci"].to_numpy(), index=pd.Index(df[product], name="product"))


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
        pci_path: Annotated[
            Path | None,
            typer.Option(
                "--pci",
                help="External PCI (CSV/Parquet with 'product' and 'pci' columns): write each "
                "location's subnational ECI instead.",
            ),
        ] = None,
        as_json: JsonFlag = False,
    ) -> None:
        """Economic complexity (RCA, M, diversity, ubiquity, ECI, PCI, density, COI, COG) of
        a long file with one row per location x product (x period); with --pci, subnational
        ECI from an external PCI; see docs/complexity.md."""
        _kind(out_path, "--out")
        columns = [loc, prod] + ([time] if time else []) + [val]
        if pci_path is not None:
            pci = read_pci(pci_path, prod)
            df = read_long(input_path, list(dict.fromkeys(columns)), val)
            _subnational(df, loc, prod, val, time, pci, rca_threshold, out_path, as_json)
            return
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


def _subnational(
    df: pd.DataFrame,
    loc: str,
    prod: str,
    val: str,
    time: str | None,
    pci: pd.Series,
    rca_threshold: float,
    out_path: Path,
    as_json: bool,
) -> None:
    """``dehub complexity --pci``: write the locations' ECI, report the products without PCI."""
    eci, missing = subnational_eci_long(
        df, loc, prod, val, pci, time=time, rca_threshold=rca_threshold
    )
    _write(eci, out_path)
    total = float(df[val].sum())
    summary = {
        "rows": len(eci),
        "locations": int(eci[loc].nunique()),
        "locations_with_eci": int(eci.loc[eci["eci"].notna(), loc].nunique()),
        "products": int(df[prod].nunique()),
        "products_without_pci": int(missing[prod].nunique()),
        "value_share_without_pci": float(missing["value"].sum()) / total if total else 0.0,
        "out": str(out_path),
    }
    if as_json:
        missing_rows = missing.astype({prod: str} | ({time: str} if time else {}))
        print_json({"ok": True, **summary, "without_pci": missing_rows.to_dict("records")})
        return
    out.print(
        f"wrote subnational ECI of {summary['locations']:,} locations ({summary['rows']:,} rows) "
        f"to {out_path}; {summary['locations_with_eci']:,} have a product with M = 1 and a PCI",
        markup=False,
    )
    if len(missing):
        codes = ", ".join(map(str, missing[prod].drop_duplicates()[:10]))
        out.print(
            f"note: {summary['products_without_pci']:,} product(s) are not in the PCI file "
            f"({summary['value_share_without_pci']:.1%} of the value): counted in RCA, left out "
            f"of the mean; largest: {codes}",
            markup=False,
        )
