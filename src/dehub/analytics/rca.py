"""Revealed comparative advantage (Balassa 1965).

Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage. *The Manchester
School*, 33(2), 99-123.

For exports ``X_cp`` of location ``c`` in product ``p``::

    RCA_cp = (X_cp / X_c) / (X_p / X)

where ``X_c`` is the location's total, ``X_p`` the product's total over all locations and ``X``
the grand total. RCA is a pure number (a ratio of two shares), so the unit of ``X`` (US$, INR,
tonnes) does not matter as long as one unit is used throughout. ``M_cp = 1[RCA_cp >= threshold]``
(threshold 1 by default) marks the products a location exports "with comparative advantage".

The "world" is whatever the rows of the matrix add up to:

* **domestic RCA** (a district against India) is :func:`rca_matrix` / :func:`rca_long` applied
  to a district x product matrix of India's exports: ``X_p / X`` is then the product's share of
  India's exports;
* **international RCA** (India against the world) is the same function on a country x product
  matrix of world trade.

For dense input the arithmetic follows py-ecomplexity (``ComplexityData.calculate_rca``)
operation by operation, so the two give bit-identical RCA (and M) on the same matrix.

The rest of the module is the plumbing RCA shares with :mod:`dehub.analytics.complexity`:
input checks that refuse (never coerce) bad values and duplicate keys, integer encoding of
key columns, and matrix products through SciPy's BLAS.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.linalg import blas

from dehub.errors import InvalidInput, Problem

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

__all__ = [
    "as_categorical",
    "check_long",
    "check_matrix",
    "check_threshold",
    "check_unique",
    "code_type",
    "dense_matrix",
    "encode",
    "local_codes",
    "matmul",
    "matvec",
    "rca_long",
    "rca_matrix",
    "vecmat",
]


def check_matrix(values: NDArray[np.generic]) -> FloatArray:
    """``values`` as a 2-D float64 array, refusing NaN, infinite and negative entries.

    Raises :class:`~dehub.errors.InvalidInput` (never coerces): RCA and complexity are defined
    only for non-negative, finite values.
    """
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 2:
        raise InvalidInput(f"expected a 2-D locations x products matrix, got {arr.ndim} dimensions")
    low, high = (arr.min(), arr.max()) if arr.size else (0.0, 0.0)
    if low >= 0 and np.isfinite(high):  # one pass each; NaN fails both comparisons
        return arr
    if np.isnan(arr).any():
        raise InvalidInput(f"the matrix has {int(np.isnan(arr).sum())} NaN values")
    if np.isinf(arr).any():
        raise InvalidInput(f"the matrix has {int(np.isinf(arr).sum())} infinite values")
    if (arr < 0).any():
        raise InvalidInput(f"the matrix has {int((arr < 0).sum())} negative values")
    return arr


@overload
def rca_matrix(values: NDArray[Any]) -> FloatArray: ...
@overload
def rca_matrix(values: Any) -> Any: ...
def rca_matrix(values: Any) -> Any:
    """Balassa's RCA of every cell of a locations x products matrix (Balassa 1965).

    ``RCA_cp = (X_cp / X_c) / (X_p / X)``: the product's share in the location's exports over
    the product's share in the total of all rows (India for a district x product matrix, i.e.
    *domestic* RCA; the world for a country x product matrix).

    Args:
        values: non-negative export values, locations in rows, products in columns, one unit
            (e.g. US$) throughout; a numpy 2-D array or a ``scipy.sparse`` matrix/array.

    Returns:
        RCA, a pure number >= 0, of the same shape (and, for sparse input, the same sparse
        format, with the same stored cells). Rows (locations) or columns (products) whose total
        is zero have RCA 0 in every cell: ``0 / 0`` is undefined and such a location or product
        has no advantage to reveal. An all-zero matrix gives all zeros.

    Raises:
        InvalidInput: NaN, infinite or negative values, or not 2-D.
    """
    if sp.issparse(values):
        data = np.asarray(values.data, dtype=np.float64)
        if not np.isfinite(data).all() or (data < 0).any():
            raise InvalidInput("the matrix has NaN, infinite or negative values")
        row = np.asarray(values.sum(axis=1), dtype=np.float64).ravel()
        col = np.asarray(values.sum(axis=0), dtype=np.float64).ravel()
        total = col.sum()
        inv_row = np.divide(1.0, row, out=np.zeros_like(row), where=row > 0)
        share = col / total if total > 0 else np.zeros_like(col)
        inv_share = np.divide(1.0, share, out=np.zeros_like(share), where=share > 0)
        scaled = sp.diags_array(inv_row) @ values.astype(np.float64) @ sp.diags_array(inv_share)
        return type(values)(scaled.asformat(values.format))

    arr = check_matrix(values)
    row = np.sum(arr, axis=1)
    col = np.sum(arr, axis=0)
    total = np.sum(col)
    # Same operations in the same order as py-ecomplexity: (X / X_c) / (X_p / X). Zero totals
    # are replaced by 1 in the divisors; their cells are 0 / 1 = 0.
    rca = arr / np.where(row > 0, row, 1.0)[:, np.newaxis]
    den = col / total if total > 0 else np.zeros_like(col)
    rca /= np.where(den > 0, den, 1.0)[np.newaxis, :]
    return rca


def rca_long(
    df: pd.DataFrame,
    loc: str,
    prod: str,
    val: str,
    *,
    time: str | None = None,
    threshold: float = 1.0,
) -> pd.DataFrame:
    """Balassa RCA (Balassa 1965) and ``M_cp`` for long data, one row per location x product.

    Computed set-based (group totals, no pivot), so a location x product pair absent from
    ``df`` is simply absent from the output (its RCA would be 0). Domestic RCA of districts is
    this function on district x product rows of India's exports.

    Args:
        df: one row per (``loc``, ``prod``[, ``time``]); duplicates are refused.
        loc, prod: columns of location and product codes.
        val: column of non-negative export values (one unit, e.g. US$).
        time: optional period column; RCA is then computed within each period.
        threshold: ``mcp = 1`` where ``rca >= threshold`` (default 1).

    Returns:
        A new DataFrame with the input's rows and columns ``loc, prod, [time,] val, rca, mcp``:
        ``rca`` (float, >= 0; 0 where the location's or product's total is zero) and ``mcp``
        (int8, 0/1).

    Raises:
        InvalidInput: missing columns, NaN / negative / non-numeric values, duplicate keys,
            a threshold that is not a positive number.
    """
    keys = [loc, prod] + ([time] if time else [])
    check_long(df, keys, val)
    check_threshold(threshold)
    if {"rca", "mcp"} & {*keys, val}:
        raise InvalidInput("input columns named 'rca' or 'mcp' clash with the output columns")
    out = df[[*keys, val]].reset_index(drop=True)
    x = out[val].to_numpy(dtype=np.float64)
    groups_c = [loc] + ([time] if time else [])
    groups_p = [prod] + ([time] if time else [])
    x_c = out.groupby(groups_c, sort=False)[val].transform("sum").to_numpy(dtype=np.float64)
    x_p = out.groupby(groups_p, sort=False)[val].transform("sum").to_numpy(dtype=np.float64)
    if time:
        x_all = out.groupby(time, sort=False)[val].transform("sum").to_numpy(dtype=np.float64)
    else:
        x_all = np.full(len(out), x.sum())
    num = x / np.where(x_c > 0, x_c, 1.0)
    den = np.divide(x_p, x_all, out=np.zeros_like(x_p), where=x_all > 0)
    rca = num / np.where(den > 0, den, 1.0)
    out["rca"] = rca
    out["mcp"] = (rca >= threshold).astype(np.int8)
    return out


def _operand(x: NDArray[Any]) -> tuple[NDArray[Any], int]:
    """``(array, trans)`` with ``op(array) == x.T`` and ``array`` Fortran-ordered (no copy
    for C- or Fortran-ordered ``x``)."""
    if x.flags.c_contiguous:
        return x.T, 0
    if x.flags.f_contiguous:
        return x, 1
    return np.ascontiguousarray(x).T, 0


def matmul(a: NDArray[Any], b: NDArray[Any]) -> NDArray[Any]:
    """``a @ b`` through SciPy's BLAS (``sgemm`` for two float32 operands, else ``dgemm``).

    numpy and SciPy wheels each bundle an OpenBLAS with its own thread pool, whose idle threads
    spin after a call: alternating numpy ``@`` with SciPy's eigensolver oversubscribed the
    cores (2-10x slower). ``(a @ b)' = b' a'`` in column-major order avoids copies.
    """
    if a.dtype == np.float32 and b.dtype == np.float32:
        gemm = blas.sgemm
    else:
        gemm = blas.dgemm
        a, b = a.astype(np.float64, copy=False), b.astype(np.float64, copy=False)
    op_b, trans_b = _operand(b)
    op_a, trans_a = _operand(a)
    result: NDArray[Any] = gemm(1.0, op_b, op_a, trans_a=trans_b, trans_b=trans_a).T
    return result


def matvec(a: NDArray[Any], v: NDArray[Any]) -> FloatArray:
    """``a @ v`` for a vector ``v``, through :func:`matmul`."""
    result: FloatArray = matmul(a, v.astype(np.float64).reshape(-1, 1)).ravel()
    return result


def vecmat(v: NDArray[Any], a: NDArray[Any]) -> FloatArray:
    """``v @ a`` for a vector ``v``, through :func:`matmul`."""
    result: FloatArray = matmul(v.astype(np.float64).reshape(1, -1), a).ravel()
    return result


def dense_matrix(values: Any) -> FloatArray:
    """A numpy 2-D array or scipy.sparse matrix as a checked dense float64 array (the
    aggregated locations x products matrix is small enough to hold densely)."""
    if sp.issparse(values):
        values = values.toarray()
    return check_matrix(np.asarray(values))


def check_threshold(threshold: float) -> None:
    """Refuse an RCA threshold that is not a positive number."""
    if not (np.isfinite(threshold) and threshold > 0):
        raise InvalidInput(f"the RCA threshold must be a positive number, got {threshold}")


def check_long(df: pd.DataFrame, keys: list[str], val: str, *, duplicates: bool = True) -> None:
    """Refuse long data that RCA or complexity cannot use, naming what is wrong.

    Checks: the columns exist; ``val`` is numeric (never coerced), finite and non-negative;
    key columns have no missing values; each key combination appears once (unless
    ``duplicates`` is False: the caller checks that on integer codes).
    """
    missing = [c for c in [*keys, val] if c not in df.columns]
    if missing:
        raise InvalidInput(
            f"missing column(s): {', '.join(missing)}",
            [Problem(c, "column not found") for c in missing],
        )
    if len(set([*keys, val])) != len(keys) + 1:
        raise InvalidInput(f"the columns must be distinct, got {[*keys, val]}")
    if len(df) == 0:
        raise InvalidInput("no rows")
    column = df[val]
    if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
        raise InvalidInput(f"column {val!r} is not numeric (dtype {column.dtype})")
    values = column.to_numpy(dtype=np.float64, na_value=np.nan)
    for bad, what in ((np.isnan(values), "missing (NaN)"), (np.isinf(values), "infinite")):
        if bad.any():
            raise InvalidInput(
                f"column {val!r} has {int(bad.sum())} {what} value(s)", _examples(df, keys, bad)
            )
    negative = values < 0
    if negative.any():
        raise InvalidInput(
            f"column {val!r} has {int(negative.sum())} negative value(s)",
            _examples(df, keys, negative),
        )
    for key in keys:
        absent = df[key].isna().to_numpy()
        if absent.any():
            raise InvalidInput(f"column {key!r} has {int(absent.sum())} missing value(s)")
    dup = df.duplicated(subset=keys, keep=False).to_numpy() if duplicates else np.zeros(1, bool)
    if dup.any():
        raise InvalidInput(
            f"{int(dup.sum())} rows repeat a ({', '.join(keys)}) combination; aggregate first",
            _examples(df, keys, dup),
        )


def encode(column: pd.Series) -> tuple[IntArray, pd.Index]:
    """Integer codes of a key column and its distinct values, sorted (codes index them)."""
    codes, labels = pd.factorize(column, sort=True)
    return codes.astype(np.int64), labels


def check_unique(
    df: pd.DataFrame,
    keys: list[str],
    t: IntArray,
    lc: IntArray,
    pc: IntArray,
    n_l: int,
    n_p: int,
) -> None:
    """Refuse repeated (loc, prod[, time]) keys, on integer codes (fast, set-based)."""
    key = (t * n_l + lc) * n_p + pc
    n_keys = (int(t.max()) + 1) * n_l * n_p
    if n_keys <= 50_000_000:
        counts = np.bincount(key, minlength=n_keys)
        if counts.max() <= 1:
            return
        dup = counts[key] > 1
    else:
        _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        dup = counts[inverse] > 1
    if dup.any():
        rows = np.flatnonzero(dup)[:5]
        raise InvalidInput(
            f"{int(dup.sum())} rows repeat a ({', '.join(keys)}) combination; aggregate first",
            [
                Problem(f"row {int(i)}", ", ".join(f"{k}={df[k].iloc[i]!r}" for k in keys))
                for i in rows
            ],
        )


def code_type(n: int) -> type[np.signedinteger[Any]]:
    """The integer type pandas uses for the codes of a Categorical with ``n`` categories."""
    for kind in (np.int8, np.int16, np.int32):
        if n < np.iinfo(kind).max:
            return kind
    return np.int64


def as_categorical(codes: NDArray[np.signedinteger[Any]], labels: pd.Index) -> Any:
    """Codes as a Categorical of the (sorted) input labels: a full grid repeats each label
    many times, so this keeps large outputs small (and is much faster than strings)."""
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(labels), validate=False)


def local_codes(codes: IntArray, n: int) -> tuple[IntArray, IntArray]:
    """The sorted distinct codes present and each row's position among them (no sort)."""
    seen = np.bincount(codes, minlength=n) > 0
    position = np.cumsum(seen) - 1
    return np.flatnonzero(seen), position[codes]


def _examples(df: pd.DataFrame, keys: list[str], mask: NDArray[np.bool_]) -> list[Problem]:
    """Up to five offending rows, named by position and key values."""
    rows = np.flatnonzero(mask)[:5]
    sub = df.iloc[rows]
    return [
        Problem(
            f"row {int(i)}",
            ", ".join(f"{k}={v!r}" for k, v in zip(keys, sub[keys].iloc[j], strict=True)),
        )
        for j, i in enumerate(rows)
    ]
