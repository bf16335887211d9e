"""Diversification and growth margins against hand-computed examples, scipy's entropy and
invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import entropy as scipy_entropy

from dehub.analytics.concentration import hhi, theil
from dehub.analytics.diversification import (
    count_rca_at_least_one,
    diversification_table,
    margins,
    n_partners,
    n_products,
    normalised_entropy,
    shannon_entropy,
    top_share,
)
from dehub.errors import InvalidInput

pytestmark = pytest.mark.filterwarnings("error")  # no division-by-zero or invalid warnings

# One district's exports by HS4 product: shares 0.5, 0.25, 0.25 and one product not exported.
PRODUCTS = pd.Series({"0901": 40.0, "0902": 20.0, "1006": 20.0, "5208": 0.0})


def test_counts() -> None:
    assert n_products(PRODUCTS) == 3
    assert n_partners(pd.Series({"USA": 2.0, "ARE": 0.0, "GBR": 0.5})) == 2
    assert n_products(pd.Series({"0901": 0.0})) == 0


def test_entropy_by_hand() -> None:
    # H = -(0.5 ln 0.5 + 2 * 0.25 ln 0.25) = 0.5 ln 2 + ln 2 = 1.5 ln 2 = 1.0397208
    assert shannon_entropy(PRODUCTS) == pytest.approx(1.5 * math.log(2))
    # J = H / ln 3 (3 products exported) = 1.0397208 / 1.0986123 = 0.9463946
    assert normalised_entropy(PRODUCTS) == pytest.approx(0.9463946, abs=1e-7)
    # over the 4 potential products: 1.5 ln 2 / ln 4 = 1.5 ln 2 / (2 ln 2) = 0.75
    assert normalised_entropy(PRODUCTS, n_potential=4) == pytest.approx(0.75)
    assert top_share(PRODUCTS) == pytest.approx(0.5)


def test_entropy_edge_cases() -> None:
    one = pd.Series({"0901": 7.0, "0902": 0.0})
    assert shannon_entropy(one) == 0.0
    assert normalised_entropy(one) == 0.0  # N = 1: no diversification (0/0 defined as 0)
    assert top_share(one) == 1.0
    equal = pd.Series([2.0] * 6, index=list("abcdef"))
    assert shannon_entropy(equal) == pytest.approx(math.log(6))
    assert normalised_entropy(equal) == pytest.approx(1.0)


amounts = st.one_of(st.just(0.0), st.floats(min_value=1e-2, max_value=1e9))
value_lists = st.lists(amounts, min_size=1, max_size=30).filter(lambda v: any(x > 0 for x in v))


def _series(values: list[float]) -> pd.Series[float]:
    return pd.Series(values, index=[f"p{i:03d}" for i in range(len(values))], dtype="float64")


@settings(max_examples=50)
@given(value_lists)
def test_entropy_matches_scipy(values: list[float]) -> None:
    # scipy.stats.entropy normalises pk and uses the natural log
    assert shannon_entropy(_series(values)) == pytest.approx(float(scipy_entropy(values)), abs=1e-9)


@settings(max_examples=50)
@given(value_lists, st.integers(min_value=0, max_value=20))
def test_normalised_entropy_is_one_minus_theil_over_ln_n(values: list[float], extra: int) -> None:
    # Theil (1967): T = ln n - H over n potential units
    n = len(values) + extra
    if n < 2:
        return
    padded = _series(values + [0.0] * extra)
    j = normalised_entropy(_series(values), n_potential=n)
    assert j == pytest.approx(1 - theil(padded) / math.log(n), abs=1e-9)
    assert 0.0 <= j <= 1.0


def test_count_rca_at_least_one() -> None:
    rca = pd.Series({"0901": 1.0, "0902": 0.99, "1006": 2.5, "5208": 0.0})
    assert count_rca_at_least_one(rca) == 2  # RCA >= 1: 0901 (exactly 1) and 1006
    assert count_rca_at_least_one(rca, threshold=0.5) == 3
    with pytest.raises(InvalidInput, match=r"rca: missing \(NaN\) value for 1 unit\(s\): '0902'"):
        count_rca_at_least_one(pd.Series({"0901": 1.2, "0902": np.nan}))


def test_errors() -> None:
    with pytest.raises(InvalidInput, match="negative value for 1 unit.*'USA' \\(-3.0\\)"):
        shannon_entropy(pd.Series({"USA": -3.0, "GBR": 1.0}))
    with pytest.raises(InvalidInput, match="no unit has exports"):
        top_share(pd.Series({"USA": 0.0}))
    with pytest.raises(InvalidInput, match=r"n_potential \(2\) is smaller"):
        normalised_entropy(PRODUCTS, n_potential=2)


# ------------------------------------------------------------------------------------------
# Many locations at once
# ------------------------------------------------------------------------------------------


def test_diversification_table_matches_the_single_location_functions() -> None:
    df = pd.DataFrame(
        {
            "district_code": ["603", "603", "603", "604", "605", "605"],
            "hs4": ["0901", "0902", "1006", "0901", "0901", "0902"],
            "value_usd": [40.0, 20.0, 20.0, 9.0, 0.0, 0.0],
        }
    )
    out = diversification_table(df, location="district_code", item="hs4")
    assert list(out.columns) == [
        "district_code",
        "total",
        "n_items",
        "entropy",
        "normalised_entropy",
        "hhi",
        "top_share",
    ]
    assert list(out["district_code"]) == ["603", "604", "605"]
    row = out.set_index("district_code").loc["603"]
    assert row["total"] == 80.0
    assert row["n_items"] == 3
    assert row["entropy"] == pytest.approx(shannon_entropy(PRODUCTS))
    assert row["normalised_entropy"] == pytest.approx(normalised_entropy(PRODUCTS))
    assert row["hhi"] == pytest.approx(hhi(PRODUCTS))
    assert row["top_share"] == pytest.approx(0.5)
    one = out.set_index("district_code").loc["604"]
    assert (one["n_items"], one["entropy"], one["normalised_entropy"]) == (1, 0.0, 0.0)
    nothing = out.set_index("district_code").loc["605"]
    assert nothing["n_items"] == 0 and nothing["total"] == 0.0
    assert np.isnan(nothing[["entropy", "normalised_entropy", "hhi", "top_share"]]).all()


@settings(max_examples=40)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["603", "604", "605"]), st.sampled_from(["a", "b", "c", "d"])),
        amounts,
        min_size=1,
        max_size=12,
    )
)
def test_diversification_table_agrees_with_the_functions(
    data: dict[tuple[str, str], float],
) -> None:
    df = pd.DataFrame(
        [(loc, item, v) for (loc, item), v in data.items()], columns=["loc", "item", "v"]
    )
    out = diversification_table(df, location="loc", item="item", value="v").set_index("loc")
    for loc, group in df.groupby("loc"):
        values = group.set_index("item")["v"]
        row = out.loc[loc]
        assert row["n_items"] == n_products(values)
        if values.sum() > 0:
            assert row["entropy"] == pytest.approx(shannon_entropy(values), abs=1e-12)
            assert row["normalised_entropy"] == pytest.approx(normalised_entropy(values), abs=1e-12)
            assert row["hhi"] == pytest.approx(hhi(values))
            assert row["top_share"] == pytest.approx(top_share(values))
        else:
            assert np.isnan(row["entropy"])


def test_diversification_table_refuses_duplicates_and_missing_codes() -> None:
    dup = pd.DataFrame({"loc": ["a", "a"], "p": ["x", "x"], "v": [1.0, 2.0]})
    with pytest.raises(InvalidInput, match="listed more than once: \\('a', 'x'\\)"):
        diversification_table(dup, location="loc", item="p", value="v")
    unplaced = pd.DataFrame({"loc": ["a", None], "p": ["x", "x"], "v": [1.0, 2.0]})
    with pytest.raises(InvalidInput, match="1 row\\(s\\) have no 'loc' or 'p' code"):
        diversification_table(unplaced, location="loc", item="p", value="v")
    with pytest.raises(InvalidInput, match="columns \\['value_usd'\\] not in the table"):
        diversification_table(dup, location="loc", item="p")


# ------------------------------------------------------------------------------------------
# Margins
# ------------------------------------------------------------------------------------------


def test_margins_by_hand() -> None:
    prev = pd.Series({"USA": 10.0, "GBR": 5.0, "ARE": 4.0})
    curr = pd.Series({"USA": 12.0, "ARE": 3.0, "NLD": 6.0})
    m = margins(prev, curr)
    # totals 19 -> 21, change +2
    assert (m["prev_total"], m["curr_total"], m["change"]) == (19.0, 21.0, 2.0)
    assert m["new"] == 6.0  # NLD, new market
    assert m["lost"] == 5.0  # GBR, lost market (what it bought in prev)
    assert m["continuing_change"] == 1.0  # USA +2, ARE -1
    assert m["extensive_net"] == 1.0  # 6 - 5
    assert m["change"] == m["new"] - m["lost"] + m["continuing_change"]  # 2 = 6 - 5 + 1
    assert (m["n_new"], m["n_lost"], m["n_continuing"]) == (1, 1, 2)
    # percentage points of growth on 19: 600/19, -500/19, 100/19; sum 200/19 = 10.526%
    assert m["new_pct_points"] == pytest.approx(600 / 19)
    assert m["lost_pct_points"] == pytest.approx(-500 / 19)
    assert m["continuing_pct_points"] == pytest.approx(100 / 19)


def test_margins_from_nothing_have_undefined_rates() -> None:
    m = margins(pd.Series({"USA": 0.0}), pd.Series({"USA": 3.0}))
    assert m["new"] == 3.0 and m["n_new"] == 1
    assert math.isnan(m["new_pct_points"]) and math.isnan(m["continuing_pct_points"])


def test_margins_refuse_nan() -> None:
    with pytest.raises(InvalidInput, match=r"curr: missing \(NaN\) value for 1 unit\(s\): 'GBR'"):
        margins(pd.Series({"USA": 1.0}), pd.Series({"USA": 1.0, "GBR": np.nan}))


pairs = st.dictionaries(
    st.sampled_from([f"c{i}" for i in range(12)]),
    st.tuples(amounts, amounts),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60)
@given(pairs)
def test_margins_identity(data: dict[str, tuple[float, float]]) -> None:
    prev = pd.Series({k: a for k, (a, _) in data.items()}, dtype="float64")
    curr = pd.Series({k: b for k, (_, b) in data.items()}, dtype="float64")
    m = margins(prev, curr)
    scale = max(m["prev_total"], m["curr_total"], 1.0)
    assert m["change"] == pytest.approx(
        m["new"] - m["lost"] + m["continuing_change"], abs=1e-9 * scale
    )
    active = sum(1 for a, b in data.values() if a > 0 or b > 0)
    assert m["n_new"] + m["n_lost"] + m["n_continuing"] == active
    if m["prev_total"] > 0:
        total_pct = 100 * m["change"] / m["prev_total"]
        parts = m["new_pct_points"] + m["lost_pct_points"] + m["continuing_pct_points"]
        assert parts == pytest.approx(total_pct, rel=1e-9, abs=1e-6)
