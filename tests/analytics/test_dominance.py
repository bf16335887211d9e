"""Dominance and composition against hand-computed examples and invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dehub.analytics.dominance import composition, dominant, product_dominance
from dehub.errors import InvalidInput


def test_dominance_counts_unattributed_exports_in_the_product_total() -> None:
    df = pd.DataFrame(
        {
            "loc": ["RiBhoi", "Karimganj", None, "RiBhoi"],
            "prod": ["agarwood", "agarwood", "agarwood", "tea"],
            "usd": [96.0, 2.0, 2.0, 5.0],
        }
    )
    out = product_dominance(df, "loc", "prod", "usd", located=df["loc"].notna())
    agar = out[out["prod"] == "agarwood"].set_index("loc")
    # India's agarwood = 96 + 2 + 2 (unattributed) = 100
    assert agar.loc["RiBhoi", "share_of_product"] == pytest.approx(0.96)
    assert agar.loc["Karimganj", "share_of_product"] == pytest.approx(0.02)
    assert list(agar["rank_in_product"]) == [1, 2]
    assert None not in set(out["loc"])
    hits = dominant(out, 0.9)
    assert list(zip(hits["loc"], hits["prod"], strict=True)) == [
        ("RiBhoi", "tea"),  # 5 of India's 5
        ("RiBhoi", "agarwood"),  # 96 of 100
    ]


def test_composition_shares() -> None:
    df = pd.DataFrame({"sector": ["a", "b", "a", "c"], "usd": [1.0, 2.0, 3.0, 0.0]})
    out = composition(df, "sector", "usd").set_index("sector")
    assert out.loc["a", "share"] == pytest.approx(4 / 6)
    assert out.loc["c", "share"] == 0.0


@given(st.lists(st.floats(min_value=0, max_value=1e9), min_size=1, max_size=30))
def test_composition_shares_sum_to_one(values: list[float]) -> None:
    df = pd.DataFrame({"part": [f"p{i % 7}" for i in range(len(values))], "v": values})
    out = composition(df, "part", "v")
    if sum(values) > 0:
        assert out["share"].sum() == pytest.approx(1.0)
    else:
        assert out["share"].isna().all()


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 3), st.floats(min_value=0.01, max_value=1e6)),
        min_size=1,
        max_size=40,
        unique_by=lambda t: (t[0], t[1]),
    )
)
def test_dominance_shares_of_located_rows_sum_to_one_per_product(rows) -> None:  # type: ignore[no-untyped-def]
    df = pd.DataFrame(rows, columns=["loc", "prod", "v"])
    out = product_dominance(df, "loc", "prod", "v")
    sums = out.groupby("prod")["share_of_product"].sum()
    assert np.allclose(sums.to_numpy(), 1.0)


def test_negative_values_are_refused() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        composition(pd.DataFrame({"p": ["a"], "v": [-1.0]}), "p", "v")
