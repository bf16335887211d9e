"""Balassa RCA: a hand-computed example, invariants, sparse input, long data, bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dehub.analytics.rca import rca_long, rca_matrix
from dehub.errors import InvalidInput

# Two districts x three sectors (US$ mn). Totals: districts 40, 60; sectors 30, 20, 50; all 100.
X = np.array([[10.0, 0.0, 30.0], [20.0, 20.0, 20.0]])
# RCA = (X_cp / X_c) / (X_p / X), by hand:
#   (10/40)/(30/100) = 5/6   (0/40)/(20/100) = 0   (30/40)/(50/100) = 3/2
#   (20/60)/(30/100) = 10/9  (20/60)/(20/100) = 5/3  (20/60)/(50/100) = 2/3
EXPECTED = np.array([[5 / 6, 0.0, 3 / 2], [10 / 9, 5 / 3, 2 / 3]])


def test_hand_computed_example() -> None:
    np.testing.assert_allclose(rca_matrix(X), EXPECTED, rtol=1e-15)


def test_long_matches_the_matrix_and_thresholds_m() -> None:
    df = pd.DataFrame(
        {
            "district": ["A", "A", "A", "B", "B", "B"],
            "sector": ["01", "02", "03", "01", "02", "03"],
            "usd": X.ravel(),
        }
    )
    out = rca_long(df, "district", "sector", "usd")
    assert list(out.columns) == ["district", "sector", "usd", "rca", "mcp"]
    np.testing.assert_allclose(out["rca"], EXPECTED.ravel(), rtol=1e-15)
    assert out["mcp"].tolist() == [0, 0, 1, 1, 1, 0]
    assert rca_long(df, "district", "sector", "usd", threshold=0.8)["mcp"].tolist() == [
        1,
        0,
        1,
        1,
        1,
        0,
    ]


def test_long_by_period_is_rca_within_each_period() -> None:
    one = pd.DataFrame({"d": ["A", "A", "B", "B"], "p": ["x", "y", "x", "y"], "v": [1.0, 3, 2, 2]})
    two = one.assign(v=[5.0, 1, 1, 5])
    both = pd.concat([one.assign(fy="2023-24"), two.assign(fy="2024-25")], ignore_index=True)
    out = rca_long(both, "d", "p", "v", time="fy")
    np.testing.assert_allclose(
        out["rca"][:4], rca_matrix(one["v"].to_numpy().reshape(2, 2)).ravel()
    )
    np.testing.assert_allclose(
        out["rca"][4:], rca_matrix(two["v"].to_numpy().reshape(2, 2)).ravel()
    )


def test_zero_rows_and_columns_give_zero() -> None:
    x = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 2.0], [3.0, 0.0, 1.0]])
    r = rca_matrix(x)
    assert np.isfinite(r).all()
    assert (r[0] == 0).all() and (r[:, 1] == 0).all()
    np.testing.assert_array_equal(rca_matrix(np.zeros((2, 2))), np.zeros((2, 2)))


@pytest.mark.parametrize("fmt", [sp.csr_array, sp.csc_matrix, sp.coo_array])
def test_sparse_input_gives_the_same_rca_in_the_same_format(fmt: Any) -> None:
    rng = np.random.default_rng(3)
    x = rng.lognormal(size=(20, 15)) * (rng.random((20, 15)) < 0.4)
    x[4] = 0.0
    r = rca_matrix(fmt(x))
    assert type(r) is fmt and r.shape == x.shape
    np.testing.assert_allclose(r.toarray(), rca_matrix(x), rtol=1e-13)


@pytest.mark.parametrize(
    ("bad", "message"),
    [(-1.0, "negative"), (np.nan, "NaN"), (np.inf, "infinite")],
)
def test_bad_values_are_refused_not_coerced(bad: float, message: str) -> None:
    x = X.copy()
    x[0, 1] = bad
    with pytest.raises(InvalidInput, match=message):
        rca_matrix(x)
    df = pd.DataFrame({"d": ["A", "B"], "p": ["x", "x"], "v": [1.0, bad]})
    with pytest.raises(InvalidInput, match=message) as err:
        rca_long(df, "d", "p", "v")
    if message != "infinite":
        assert err.value.details[0].message == "d='B', p='x'"


def test_long_input_problems_are_named() -> None:
    df = pd.DataFrame({"d": ["A", "A"], "p": ["x", "x"], "v": [1.0, 2.0]})
    with pytest.raises(InvalidInput, match="repeat"):
        rca_long(df, "d", "p", "v")
    with pytest.raises(InvalidInput, match="missing column.*usd") as err:
        rca_long(df, "d", "p", "usd")
    assert err.value.details[0].field == "usd"
    with pytest.raises(InvalidInput, match="not numeric"):
        rca_long(df.assign(v=["1", "2"]), "d", "p", "v")
    with pytest.raises(InvalidInput, match="threshold"):
        rca_long(df.iloc[:1], "d", "p", "v", threshold=0)
    with pytest.raises(InvalidInput, match="clash"):
        rca_long(df.iloc[:1].rename(columns={"v": "rca"}), "d", "p", "rca")
    with pytest.raises(InvalidInput, match="2-D"):
        rca_matrix(np.ones(3))


def test_bit_identical_to_py_ecomplexity_arithmetic() -> None:
    rng = np.random.default_rng(11)
    x = rng.lognormal(10, 2, size=(40, 30))
    # ComplexityData.calculate_rca, verbatim
    num = x / np.nansum(x, axis=1)[:, np.newaxis]
    loc_total = np.nansum(x, axis=0)[np.newaxis, :]
    world_total = np.nansum(loc_total, axis=1)[:, np.newaxis]
    np.testing.assert_array_equal(rca_matrix(x), num / (loc_total / world_total))


matrices = arrays(
    np.float64,
    st.tuples(st.integers(1, 8), st.integers(1, 8)),
    elements=st.one_of(st.just(0.0), st.floats(1e-3, 1e9)),
)


@settings(max_examples=150, deadline=None)
@given(matrices)
def test_rca_invariants(x: np.ndarray) -> None:
    r = rca_matrix(x)
    assert r.shape == x.shape and (r >= 0).all() and np.isfinite(r).all()
    assert ((r > 0) == (x > 0)).all()
    row, col, total = x.sum(axis=1), x.sum(axis=0), x.sum()
    if total > 0:
        # Shares average to one: sum_p (X_p / X) RCA_cp = 1 for every exporting location, and
        # sum_c (X_c / X) RCA_cp = 1 for every exported product.
        np.testing.assert_allclose((r @ (col / total))[row > 0], 1.0, rtol=1e-9)
        np.testing.assert_allclose(((row / total) @ r)[col > 0], 1.0, rtol=1e-9)
