"""The product space: proximity (Hidalgo et al. 2007), density, and the Complexity Outlook
Index and Gain (Hausmann et al. 2014).

Sources:

* Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007). The product space
  conditions the development of nations. *Science* 317(5837), 482-487 — proximity, density.
* Hausmann, R., Hidalgo, C. A., Bustos, S., Coscia, M., Chung, S., Jimenez, J., Simoes, A. &
  Yildirim, M. A. (2014). *The Atlas of Economic Complexity*. MIT Press — Complexity Outlook
  Index (COI) and Complexity Outlook Gain (COG).

Conventions follow py-ecomplexity 0.5 (see docs/complexity.md); :func:`outlook` is the part of
:func:`dehub.analytics.complexity.complexity_matrix` that needs the PCI, so it is called from
there with the matrix's own PCI.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from dehub.analytics.rca import (
    check_long,
    check_threshold,
    encode,
    matmul,
    matvec,
    rca_matrix,
    vecmat,
)
from dehub.errors import InvalidInput

FloatArray = NDArray[np.float64]

__all__ = ["outlook", "proximity", "proximity_matrix"]


def proximity_matrix(mcp: NDArray[Any]) -> FloatArray:
    """Product proximity (Hidalgo, Klinger, Barabási & Hausmann 2007, *Science*).

    ``phi_pp' = min(P(M_cp = 1 | M_cp' = 1), P(M_cp' = 1 | M_cp = 1))
    = C_pp' / max(k_p, k_p')`` with ``C = M'M`` the number of locations exporting both
    (``k_p`` = ubiquity), as py-ecomplexity's ``calc_discrete_proximity`` (bit for bit).

    Args:
        mcp: locations x products 0/1 matrix ``M``.

    Returns:
        Products x products, symmetric, values in [0, 1] (a conditional probability), diagonal
        1 for every product with ubiquity > 0 (py-ecomplexity keeps the self-proximity; the 2014
        Atlas Stata code set it to 0). A product with ubiquity 0 has an undefined (0 / 0) row
        and column: NaN, as in py-ecomplexity.
    """
    m: NDArray[Any] = np.asarray(mcp)
    if m.ndim != 2 or (m.dtype != np.bool_ and not np.isin(m, (0, 1)).all()):
        raise InvalidInput("proximity needs a 2-D 0/1 matrix M")
    ubiquity = np.count_nonzero(m, axis=0).astype(np.float64)
    # Counts of 0/1 products are exact in float32 below 2**24 locations (sgemm: half the cost).
    dtype = np.float32 if m.shape[0] < 2**24 else np.float64
    mf = m.astype(dtype)
    co = matmul(mf.T, mf)
    phi: FloatArray = np.maximum.outer(ubiquity, ubiquity)
    with np.errstate(divide="ignore", invalid="ignore"):
        # min(C/k_p', C/k_p) == C / max(k_p, k_p'), identically rounded.
        np.divide(co, phi, out=phi)
    none = ubiquity == 0
    if none.any():
        phi[none, :] = np.nan
        phi[:, none] = np.nan
    return phi


def outlook(
    stacked: FloatArray, present: NDArray[np.bool_], pci_raw: FloatArray, scale: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Proximity, density, COI and COG of one matrix given its (raw) PCI.

    Hidalgo et al. (2007) for proximity and density; Hausmann et al. (2014, *Atlas*) for COI
    and COG; py-ecomplexity 0.5's conventions:

    * ``density_cp = sum_p' M_cp' phi_pp' / sum_p' phi_pp'`` (0-1);
    * ``COI_c = sum_p d_cp (1 - M_cp) PCI_p`` (raw PCI), standardised over locations;
    * ``COG_cp = (1 - M_cp) sum_p' (1 - M_cp') phi_p'p PCI_p' / sum_p'' phi_p'p''``, divided
      by ``scale`` (the std of the raw ECI), in units of PCI; 0 where M = 1.

    Args:
        stacked: a (2L x P) float buffer whose first L rows hold ``M`` as 0.0/1.0; the other
            L rows are overwritten (one ``gemm`` gives both density's and COG's numerators).
        present: the L x P boolean ``M``.
        pci_raw: raw PCI per product (NaN for a product with ubiquity 0).
        scale: the std of the raw ECI.

    Returns:
        ``(proximity, density, coi, cog)``: P x P, L x P, L, L x P. COG is NaN in the columns
        of products with ubiquity 0; COI is NaN when it does not vary across locations.
    """
    n_loc = present.shape[0]
    ok_p = ~np.isnan(pci_raw)
    all_ok = bool(ok_p.all())
    phi = proximity_matrix(present)
    phi0 = phi if all_ok else np.where(np.isnan(phi), 0.0, phi)
    den = phi0.sum(axis=1)  # = nansum: the proximity mass of each product
    # COI and COG use the raw PCI (as py-ecomplexity); COG is then divided by the raw ECI's
    # std, folded into its weights here: w_p' = PCI_p' / (sum_p'' phi_p'p'' * std).
    pci0 = np.where(ok_p, pci_raw, 0.0)
    weight = np.divide(pci0, den * scale, out=np.zeros_like(pci0), where=den > 0)
    # One gemm for density's numerator (M phi) and COG's (M diag(w) phi); phi is symmetric.
    np.multiply(stacked[:n_loc], weight[np.newaxis, :], out=stacked[n_loc:])
    both = matmul(stacked, phi0)
    density = both[:n_loc]
    with np.errstate(divide="ignore", invalid="ignore"):
        density /= den[np.newaxis, :]
    # COG_cp = (1 - M_cp) [sum_p' (1 - M_cp') phi_p'p w_p'] = (1 - M_cp) [1'B - (M B)]_cp
    cog = both[n_loc:]
    np.subtract(vecmat(weight, phi0)[np.newaxis, :], cog, out=cog)
    np.copyto(cog, 0.0, where=present)  # only products not exported count (and no -0.0)
    unexported = present if all_ok else present | np.isnan(density)
    coi_raw = matvec(np.where(unexported, 0.0, density), pci0)
    if not all_ok:
        cog[:, ~ok_p] = np.nan
    coi_std = float(coi_raw.std())
    coi = (coi_raw - coi_raw.mean()) / coi_std if coi_std > 0 else np.full(n_loc, np.nan)
    return phi, density, coi, cog


def proximity(
    df: pd.DataFrame, loc: str, prod: str, val: str, *, rca_threshold: float = 1.0
) -> pd.DataFrame:
    """Product x product proximity of one period's long data (Hidalgo et al. 2007, *Science*).

    ``M`` from Balassa RCA >= ``rca_threshold`` over the locations and products with a positive
    total (as py-ecomplexity's ``proximity()``), then :func:`proximity_matrix`.

    Returns:
        A square DataFrame, index and columns the product codes (sorted), values in [0, 1]
        (conditional probabilities), symmetric, diagonal 1; NaN rows/columns for products with
        no location at M = 1.

    Raises:
        InvalidInput: as :func:`complexity_long` (one row per ``loc`` x ``prod``; filter one
            period first).
    """
    check_long(df, [loc, prod], val)
    check_threshold(rca_threshold)
    lc, loc_labels = encode(df[loc])
    pc, prod_labels = encode(df[prod])
    x = np.zeros((len(loc_labels), len(prod_labels)))
    x[lc, pc] = df[val].to_numpy(dtype=np.float64)
    keep_l, keep_p = x.sum(axis=1) > 0, x.sum(axis=0) > 0
    present = rca_matrix(x[np.ix_(keep_l, keep_p)]) >= rca_threshold
    labels = prod_labels[keep_p]
    labels.name = prod
    return pd.DataFrame(proximity_matrix(present), index=labels, columns=labels.copy())
