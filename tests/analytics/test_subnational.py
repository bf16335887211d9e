"""Subnational ECI of long data from an external PCI: a hand-computed example, the reflection
identity against :func:`complexity_long`, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dehub.analytics.complexity import complexity_long
from dehub.analytics.subnational import subnational_eci_long
from dehub.errors import InvalidInput


def _hand() -> pd.DataFrame:
    # A: 8, 2, 0; B: 0, 5, 5; C: 2, 3, 5 -> every location and product totals 10 of 30, so
    # RCA = 3 x the location's share: A (2.4, 0.6, 0), B (0, 1.5, 1.5), C (0.6, 0.9, 1.5).
    rows = [("A", "p1", 8), ("A", "p2", 2), ("B", "p2", 5), ("B", "p3", 5)]
    rows += [("C", "p1", 2), ("C", "p2", 3), ("C", "p3", 5)]
    return pd.DataFrame(rows, columns=["district", "hs", "usd"]).astype({"usd": float})


def test_hand_computed_example_reports_products_without_pci() -> None:
    pci = pd.Series({"p1": -1.0, "p2": 0.5, "p9": 3.0})  # p3 has no PCI; p9 is not exported
    eci, missing = subnational_eci_long(_hand(), "district", "hs", "usd", pci)
    got = eci.set_index("district")
    assert got["n_mcp"].tolist() == [1, 2, 1]
    assert got["n_mcp_with_pci"].tolist() == [1, 1, 0]
    assert got.loc["A", "eci"] == -1.0  # M = {p1}
    assert got.loc["B", "eci"] == 0.5  # M = {p2, p3}; p3 has no PCI
    assert np.isnan(got.loc["C", "eci"])  # M = {p3} only
    assert got["value_share_without_pci"].tolist() == [0.0, 0.5, 0.5]
    assert got["value"].tolist() == [10.0, 10.0, 10.0]
    assert missing.to_dict("records") == [{"hs": "p3", "value": 10.0, "n_locations_mcp": 2}]


def test_with_periods_each_period_alone() -> None:
    one = _hand().assign(year="2024")
    two = _hand().assign(year="2025", usd=lambda d: d["usd"].where(d["district"] != "A", 0.0))
    pci = pd.Series({"p1": -1.0, "p2": 0.5, "p3": 2.0})
    eci, missing = subnational_eci_long(
        pd.concat([one, two]), "district", "hs", "usd", pci, time="year"
    )
    assert missing.empty
    first = eci[eci["year"] == "2024"].set_index("district")["eci"]
    assert first.tolist() == [-1.0, 1.25, 2.0]
    later = eci[eci["year"] == "2025"].set_index("district")
    # 2025 without A: B (0, 5, 5) and C (2, 3, 5) of totals (2, 8, 10) / 20
    assert later.loc["A", "n_mcp"] == 0 and np.isnan(later.loc["A", "eci"])
    assert later.loc["C", "eci"] == pytest.approx((-1.0 + 2.0) / 2)  # RCA p1 2.0, p3 1.0


def test_own_pci_gives_back_the_matrix_eci() -> None:
    """The reflection identity ECI_c = mean PCI over M = 1 (Hidalgo & Hausmann 2009) holds
    exactly for py-ecomplexity's normalisation, so the matrix's own PCI reproduces its ECI."""
    rng = np.random.default_rng(7)
    x = rng.gamma(0.6, 1.0, size=(12, 9)) * (rng.random((12, 9)) < 0.7)
    df = pd.DataFrame(
        {
            "loc": np.repeat([f"L{i:02d}" for i in range(12)], 9),
            "prod": np.tile([f"P{j}" for j in range(9)], 12),
            "val": x.ravel(),
        }
    )
    df = df[df["val"] > 0]
    full = complexity_long(df, "loc", "prod", "val")
    pci = full.drop_duplicates("prod").set_index(full.drop_duplicates("prod")["prod"].astype(str))
    eci, missing = subnational_eci_long(df, "loc", "prod", "val", pci["pci"])
    assert missing.empty
    own = full.drop_duplicates("loc").set_index(full.drop_duplicates("loc")["loc"].astype(str))
    np.testing.assert_allclose(eci.set_index("loc")["eci"], own["eci"], atol=1e-12)


@pytest.mark.parametrize(
    ("pci", "message"),
    [
        (pd.Series(dtype=float), "no products"),
        (pd.Series({"p1": np.nan, "p2": 1.0}), "missing or infinite"),
        (pd.Series([1.0, 2.0], index=["p1", "p1"]), "repeats 1 product"),
        (pd.Series({"p1": "high"}), "not numeric"),
    ],
)
def test_bad_pci_is_refused(pci: pd.Series, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        subnational_eci_long(_hand(), "district", "hs", "usd", pci)


def test_output_name_clash_is_refused() -> None:
    df = _hand().rename(columns={"usd": "value"})
    with pytest.raises(InvalidInput, match="clash"):
        subnational_eci_long(df, "district", "hs", "value", pd.Series({"p1": 1.0}))
