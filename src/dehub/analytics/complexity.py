"""Economic complexity of any locations x products matrix (districts x sectors, countries x HS).

Sources (each function cites its own):

* Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic complexity. *PNAS*
  106(26), 10570-10575 — diversity, ubiquity, ECI, PCI.
* Hausmann, R., Hidalgo, C. A., Bustos, S., Coscia, M., Chung, S., Jimenez, J., Simoes, A. &
  Yildirim, M. A. (2014). *The Atlas of Economic Complexity*. MIT Press — ECI/PCI as
  eigenvectors, Complexity Outlook Index (COI) and Gain (COG).
* Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007). The product space
  conditions the development of nations. *Science* 317(5837), 482-487 — proximity, density.
* Balassa (1965) for RCA: :mod:`dehub.analytics.rca`.

Proximity, density, COI and COG live in :mod:`dehub.analytics.product_space`, subnational ECI
from an external PCI in :mod:`dehub.analytics.subnational`; ``proximity``, ``proximity_matrix``
and ``subnational_eci`` are re-exported here.

Conventions follow the Growth Lab's py-ecomplexity 0.5 exactly (the tests compare every output
column with it to 1e-6); the differences, all for inputs where py-ecomplexity returns NaN or an
arbitrary answer, are listed in docs/complexity.md. Everything is matrix algebra over the
aggregated matrix (BLAS ``gemm`` and a symmetric eigensolver); the only loop is over periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg as sla
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

from dehub.analytics.product_space import outlook, proximity, proximity_matrix
from dehub.analytics.rca import (
    as_categorical,
    check_long,
    check_threshold,
    check_unique,
    code_type,
    dense_matrix,
    encode,
    local_codes,
    matmul,
    matvec,
    rca_matrix,
    vecmat,
)
from dehub.analytics.subnational import subnational_eci
from dehub.errors import InvalidInput, Problem

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

__all__ = [
    "OUTPUT_COLUMNS",
    "ComplexityResult",
    "complexity_long",
    "complexity_matrix",
    "proximity",
    "proximity_matrix",
    "subnational_eci",
]

#: Columns :func:`complexity_long` adds to the keys and value.
OUTPUT_COLUMNS = ("rca", "mcp", "diversity", "ubiquity", "eci", "pci", "density", "coi", "cog")

_EIGEN_TOL = 1e-9  # eigenvalues (in [0, 1]) closer than this are treated as equal


@dataclass(frozen=True)
class ComplexityResult:
    """Complexity of the locations and products kept from one matrix (one period).

    Arrays cover the kept rows/columns only: ``locations`` and ``products`` are their positions
    in the input matrix (rows and columns whose total is zero are left out, as py-ecomplexity
    does). With ``L`` kept locations and ``P`` kept products:

    * ``rca`` (L x P, pure number >= 0), ``mcp`` (L x P, int8 0/1);
    * ``diversity`` (L, count of products with M = 1), ``ubiquity`` (P, count of locations);
    * ``eci`` (L) and ``pci`` (P): standardised units (ECI has mean 0 and std 1 over the
      locations; PCI uses ECI's mean and std); NaN for a location with diversity 0 or a product
      with ubiquity 0 (possible only with a threshold above 1);
    * ``proximity`` (P x P, in [0, 1], symmetric, diagonal 1; NaN rows/columns for products
      with ubiquity 0), ``density`` (L x P, in [0, 1]);
    * ``coi`` (L, standardised), ``cog`` (L x P, in units of PCI; 0 where M = 1);
    * ``eigenvalue``: the second-largest eigenvalue lambda_2 of ``M~_cc`` / ``M~_pp``.
    """

    locations: IntArray
    products: IntArray
    rca: FloatArray
    mcp: NDArray[np.int8]
    diversity: IntArray
    ubiquity: IntArray
    eci: FloatArray
    pci: FloatArray
    proximity: FloatArray
    density: FloatArray
    coi: FloatArray
    cog: FloatArray
    eigenvalue: float


def _corr_sign(a: FloatArray, b: FloatArray) -> float:
    """Sign of Pearson's correlation, 0 when it is undefined (a constant vector) or zero."""
    da, db = a - a.mean(), b - b.mean()
    cov = float(np.dot(da, db))
    scale = float(np.sqrt(np.dot(da, da) * np.dot(db, db)))
    if scale == 0 or abs(cov) <= 1e-12 * scale:
        return 0.0
    return float(np.sign(cov))


def _check_connected(m: FloatArray, names: tuple[NDArray[Any], NDArray[Any]]) -> None:
    """Refuse a location-product network that falls apart into separate groups.

    Then lambda_1 = 1 is repeated and the "second" eigenvector only labels the groups
    (py-ecomplexity returns an arbitrary mix of them); ECI is not defined across them. The
    error names the locations and products outside the largest group.
    """
    n_loc = m.shape[0]
    bip = sp.csr_array(m)
    adj = sp.block_array([[None, bip], [bip.T, None]], format="csr")
    n, labels = connected_components(adj, directed=False)
    if n <= 1:
        return
    sizes = np.bincount(labels[:n_loc], minlength=n)
    main = int(np.argmax(sizes))
    details = []
    for group in [g for g in range(n) if g != main][:10]:
        locs, prods = names[0][labels[:n_loc] == group], names[1][labels[n_loc:] == group]
        where = f"{', '.join(map(str, locs[:10]))} with M = 1 only in "
        details.append(
            Problem(f"group of {locs.size} location(s)", where + ", ".join(map(str, prods[:10])))
        )
    raise InvalidInput(
        f"the locations x products network (M = 1 links) splits into {n} separate groups "
        f"(locations per group: {sorted(sizes.tolist(), reverse=True)}); ECI/PCI are not "
        "defined across them: leave out the small groups or compute each group on its own",
        details,
    )


def _eigen(
    m: FloatArray,
    k_c: FloatArray,
    k_p: FloatArray,
    names: tuple[NDArray[Any], NDArray[Any]],
    work: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, float]:
    """Raw ECI (kc) and PCI (kp) with ``kc = D_c^-1 M kp``, and lambda_2 (``work``: an
    optional scratch array of ``m``'s shape).

    ``M~_pp = D_p^-1 M' D_c^-1 M`` is similar to the symmetric ``A'A`` with
    ``A = D_c^-1/2 M D_p^-1/2`` (and ``M~_cc`` to ``AA'``), so a symmetric solver on the
    smaller side (only the top three eigenpairs) gives the same eigenvector as
    py-ecomplexity's ``numpy.linalg.eig(M~_pp)``. lambda_1 = 1 always.
    """
    n_loc, n_prod = m.shape
    rc, rp = 1.0 / np.sqrt(k_c), 1.0 / np.sqrt(k_p)
    a = np.multiply(m, rc[:, np.newaxis], out=work)  # work: a free buffer of m's shape
    a *= rp[np.newaxis, :]
    small = matmul(a, a.T) if n_loc <= n_prod else matmul(a.T, a)
    n = small.shape[0]
    top3 = [max(n - 3, 0), n - 1]
    vals, vecs = sla.eigh(small, subset_by_index=top3, driver="evx", overwrite_a=True)
    lam = float(vals[-2])
    if lam > 1 - _EIGEN_TOL:
        _check_connected(m, names)  # raises, naming the groups
    if lam < _EIGEN_TOL:
        raise InvalidInput(
            "ECI/PCI are not defined: the second-largest eigenvalue of the location-product "
            f"matrix is {lam:.3g} (the locations' product mixes do not differ)"
        )
    if (n >= 3 and vals[-2] - vals[-3] < _EIGEN_TOL) or lam > 1 - _EIGEN_TOL:
        lam3 = float(vals[-3]) if n >= 3 else float(vals[-1])
        raise InvalidInput(
            "ECI/PCI are not unique: the second-largest eigenvalue of the location-product "
            f"matrix is repeated ({lam:.9g} and {lam3:.9g}), so any mix of their "
            "eigenvectors is an answer"
        )
    if n_loc <= n_prod:
        kc = vecs[:, -2] * rc
        kp = vecmat(kc, m) / k_p / lam
    else:
        kp = vecs[:, -2] * rp
        kc = matvec(m, kp) / k_c
    return kc, kp, lam


def complexity_matrix(
    values: Any,
    rca_threshold: float = 1.0,
    *,
    location_names: NDArray[Any] | None = None,
    product_names: NDArray[Any] | None = None,
) -> ComplexityResult:
    """Diversity, ubiquity, ECI, PCI, proximity, density, COI and COG of one matrix.

    Hidalgo & Hausmann (2009, *PNAS*) for diversity, ubiquity, ECI and PCI; Hausmann et al.
    (2014, *Atlas of Economic Complexity*) for the eigenvector form, COI and COG; Hidalgo,
    Klinger, Barabási & Hausmann (2007, *Science*) for proximity and density; Balassa (1965)
    for RCA. Conventions: py-ecomplexity 0.5 (see the module docstring).

    * ``ECI``: eigenvector of the second-largest eigenvalue of ``M~_cc = D_c^-1 M D_p^-1 M'``,
      ``PCI`` the matching one of ``M~_pp``, with ``ECI = D_c^-1 M PCI``; sign such that
      ``corr(ECI, diversity) > 0`` (if diversity is constant, that correlation is undefined —
      py-ecomplexity then returns NaN — and the sign makes ``corr(PCI, ubiquity) < 0``);
      normalised with ECI's mean and std (ddof 0).
    * ``density_cp = sum_p' M_cp' phi_pp' / sum_p' phi_pp'``.
    * ``COI_c = sum_p d_cp (1 - M_cp) PCI_p``, standardised over locations.
    * ``COG_cp = (1 - M_cp) sum_p' (1 - M_cp') phi_p'p PCI_p' / sum_p'' phi_p'p''``, divided
      by the std of the raw ECI. (The Atlas Stata code has a commented-out variant that also
      subtracts the product's own term; py-ecomplexity does not, and neither do we.)

    Args:
        values: locations x products, non-negative values in one unit (numpy 2-D or
            scipy.sparse); e.g. a district x sector matrix of US$ exports.
        rca_threshold: ``M_cp = 1[RCA_cp >= rca_threshold]`` (default 1).
        location_names, product_names: labels of the rows and columns, used in error
            messages only (default: row and column numbers).

    Returns:
        A :class:`ComplexityResult` over the rows and columns with a positive total.

    Raises:
        InvalidInput: NaN / infinite / negative values; fewer than 2 locations or products with
            a positive total or with M = 1; a network that splits into separate groups; an
            undefined or repeated second eigenvalue.
    """
    x = dense_matrix(values)
    shape = x.shape
    check_threshold(rca_threshold)
    locations, products = np.flatnonzero(x.sum(axis=1) > 0), np.flatnonzero(x.sum(axis=0) > 0)
    if locations.size < 2 or products.size < 2:
        raise InvalidInput(
            f"complexity needs at least 2 locations and 2 products with exports; got "
            f"{locations.size} location(s) and {products.size} product(s)"
        )
    if locations.size < x.shape[0] or products.size < x.shape[1]:
        x = x[np.ix_(locations, products)]
    n_loc = x.shape[0]
    rca = rca_matrix(x)
    present = rca >= rca_threshold
    # Rows 0..L-1: M; rows L..2L-1 will hold M diag(w) for the one gemm below.
    stacked = np.empty((2 * n_loc, x.shape[1]))
    m = stacked[:n_loc]
    np.copyto(m, present)
    diversity, ubiquity = np.count_nonzero(present, axis=1), np.count_nonzero(present, axis=0)
    ok_l, ok_p = diversity > 0, ubiquity > 0
    if ok_l.sum() < 2 or ok_p.sum() < 2:
        raise InvalidInput(
            f"complexity needs at least 2 locations and 2 products with M = 1 (RCA >= "
            f"{rca_threshold:g}); got {int(ok_l.sum())} location(s) and {int(ok_p.sum())} "
            "product(s)"
        )
    all_ok = bool(ok_l.all() and ok_p.all())
    m_ok = m if all_ok else m[np.ix_(ok_l, ok_p)]
    row_names = np.arange(shape[0]) if location_names is None else np.asarray(location_names)
    col_names = np.arange(shape[1]) if product_names is None else np.asarray(product_names)
    names = (row_names[locations][ok_l], col_names[products][ok_p])
    k_c, k_p = diversity[ok_l].astype(np.float64), ubiquity[ok_p].astype(np.float64)
    kc, kp, lam = _eigen(m_ok, k_c, k_p, names, stacked[n_loc:] if all_ok else None)
    sign = _corr_sign(k_c, kc) or -_corr_sign(k_p, kp)
    if sign == 0:
        raise InvalidInput(
            "the sign of ECI is undefined: ECI is uncorrelated with diversity and PCI with ubiquity"
        )
    eci_raw, pci_raw = np.full(n_loc, np.nan), np.full(x.shape[1], np.nan)
    eci_raw[ok_l], pci_raw[ok_p] = sign * kc, sign * kp

    mean, std = float(eci_raw[ok_l].mean()), float(eci_raw[ok_l].std())
    phi, density, coi, cog = outlook(stacked, present, pci_raw, std)
    return ComplexityResult(
        locations=locations,
        products=products,
        rca=rca,
        mcp=present.view(np.int8),
        diversity=diversity.astype(np.int64),
        ubiquity=ubiquity.astype(np.int64),
        eci=(eci_raw - mean) / std,
        pci=(pci_raw - mean) / std,
        proximity=phi,
        density=density,
        coi=coi,
        cog=cog,
        eigenvalue=lam,
    )


def complexity_long(
    df: pd.DataFrame,
    loc: str,
    prod: str,
    val: str,
    time: str | None = None,
    rca_threshold: float = 1.0,
) -> pd.DataFrame:
    """Economic complexity of long data: one row per location x product (x period).

    Hidalgo & Hausmann (2009, *PNAS*); Hausmann et al. (2014, *Atlas*); Hidalgo et al. (2007,
    *Science*); Balassa (1965) — see :func:`complexity_matrix` for the formulas. Same
    conventions and output as py-ecomplexity's ``ecomplexity()``, column for column.

    Each period is a separate matrix of the locations and products that appear in it; missing
    location x product cells are exports of 0 and get a row (density and COG are defined for
    products a location does not export). Locations or products whose total in a period is 0
    are left out of that period's calculation, and their input rows are returned with NaN in
    every computed column (py-ecomplexity's treatment).

    Args:
        df: one row per (``loc``, ``prod``[, ``time``]).
        loc, prod: columns of location and product codes (kept as they are, e.g. strings).
        val: non-negative export values in one unit (e.g. US$); NaN, negative and non-numeric
            values are refused, never coerced.
        time: optional period column (e.g. ``"2024-25"``); each period is computed on its own.
        rca_threshold: ``mcp = 1[rca >= rca_threshold]`` (default 1).

    Returns:
        Columns ``loc, prod, [time,] val, rca, mcp, diversity, ubiquity, eci, pci, density,
        coi, cog`` (the key and value columns keep their names). The keys are pandas
        Categoricals whose categories are the input's codes, sorted (values unchanged, e.g.
        ``"0101"``; ``.astype(str)`` gives plain strings). ``val`` (the input unit, 0
        for cells absent from the input), ``rca`` (pure number), ``mcp`` (Int8, 0/1),
        ``diversity`` / ``ubiquity`` (Int64 counts), ``eci`` / ``pci`` / ``coi`` (standardised
        units), ``density`` (0-1), ``cog`` (PCI units). Rows are ordered by period, then the
        full location x product grid in sorted code order, then the period's left-out input
        rows.

    Raises:
        InvalidInput: missing or clashing columns, bad values, duplicate keys, or a period
            whose matrix has no defined complexity (message names the period).
    """
    keys = [loc, prod] + ([time] if time else [])
    check_long(df, keys, val, duplicates=False)
    clash = sorted(set([*keys, val]) & set(OUTPUT_COLUMNS))
    if clash:
        raise InvalidInput(f"input column name(s) {clash} clash with output columns")
    loc_codes, loc_labels = encode(df[loc])
    prod_codes, prod_labels = encode(df[prod])
    if time:
        time_codes, time_labels = encode(df[time])
    else:
        time_codes, time_labels = np.zeros(len(df), dtype=np.int64), pd.Index([None])
    check_unique(df, keys, time_codes, loc_codes, prod_codes, len(loc_labels), len(prod_labels))
    values = df[val].to_numpy(dtype=np.float64)

    n_periods = len(time_labels)
    if n_periods == 1:
        order, bounds = np.arange(len(df)), np.array([0, len(df)])
    else:
        order = np.argsort(time_codes, kind="stable")
        bounds = np.searchsorted(time_codes[order], np.arange(n_periods + 1))
    # Output codes in the integer width pandas keeps for Categorical codes (no later copy).
    loc_t, prod_t, time_t = (code_type(len(x)) for x in (loc_labels, prod_labels, time_labels))
    pieces: list[dict[str, NDArray[Any]]] = []
    for t in range(n_periods):
        rows = order[bounds[t] : bounds[t + 1]]
        every = n_periods == 1  # then every row, and every code, is in this period
        lc, pc = (loc_codes, prod_codes) if every else (loc_codes[rows], prod_codes[rows])
        uniq_l, li = (np.arange(len(loc_labels)), lc) if every else local_codes(lc, len(loc_labels))
        uniq_p, pi = (
            (np.arange(len(prod_labels)), pc) if every else local_codes(pc, len(prod_labels))
        )
        x = np.zeros((uniq_l.size, uniq_p.size))
        x.ravel()[li * uniq_p.size + pi] = values if every else values[rows]
        try:
            res = complexity_matrix(
                x,
                rca_threshold,
                location_names=loc_labels.array.take(uniq_l),
                product_names=prod_labels.array.take(uniq_p),
            )
        except InvalidInput as exc:
            if not time:
                raise
            raise InvalidInput(f"period {time_labels[t]}: {exc.message}", exc.details) from None
        n_l, n_p = res.locations.size, res.products.size
        full = n_l == uniq_l.size and n_p == uniq_p.size
        pieces.append(
            {
                "t": np.full(n_l * n_p, t, dtype=time_t),
                "l": np.repeat(uniq_l[res.locations].astype(loc_t), n_p),
                "p": np.tile(uniq_p[res.products].astype(prod_t), n_l),
                "v": (x if full else x[np.ix_(res.locations, res.products)]).ravel(),
                "drop": np.zeros(n_l * n_p, dtype=bool),
                "rca": res.rca.ravel(),
                "mcp": res.mcp.ravel(),
                "diversity": np.repeat(res.diversity, n_p),
                "ubiquity": np.tile(res.ubiquity, n_l),
                "eci": np.repeat(res.eci, n_p),
                "pci": np.tile(res.pci, n_l),
                "density": res.density.ravel(),
                "coi": np.repeat(res.coi, n_p),
                "cog": res.cog.ravel(),
            }
        )
        if not full:  # the input rows of left-out locations/products, with NaN metrics
            kept_l = np.isin(np.arange(uniq_l.size), res.locations)
            kept_p = np.isin(np.arange(uniq_p.size), res.products)
            out = rows[~(kept_l[li] & kept_p[pi])]
            out = out[np.lexsort((prod_codes[out], loc_codes[out]))]
            pieces.append(
                {
                    "t": np.full(out.size, t, dtype=time_t),
                    "l": loc_codes[out].astype(loc_t),
                    "p": prod_codes[out].astype(prod_t),
                    "v": values[out],
                    "drop": np.ones(out.size, dtype=bool),
                    **{name: np.zeros(out.size) for name in OUTPUT_COLUMNS},
                }
            )

    cat = {k: _concat([piece[k] for piece in pieces]) for k in pieces[0]}
    dropped = cat["drop"]
    any_dropped = bool(dropped.any())
    columns: dict[str, Any] = {
        loc: as_categorical(cat["l"], loc_labels),
        prod: as_categorical(cat["p"], prod_labels),
    }
    if time:
        columns[time] = as_categorical(cat["t"], time_labels)
    columns[val] = cat["v"]
    for name in OUTPUT_COLUMNS:
        arr = cat[name]
        if name == "mcp":
            columns[name] = pd.arrays.IntegerArray(arr.astype(np.int8, copy=False), dropped)
        elif name in ("diversity", "ubiquity"):
            columns[name] = pd.arrays.IntegerArray(arr.astype(np.int64, copy=False), dropped)
        else:
            columns[name] = np.where(dropped, np.nan, arr) if any_dropped else arr
    return pd.DataFrame(columns, copy=False)


def _concat(arrays: list[NDArray[Any]]) -> NDArray[Any]:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)
