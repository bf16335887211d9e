"""Growth rates, period arithmetic and contributions against hand-computed examples and
invariants; growth from zero is NaN without any warning."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dehub.analytics.growth import (
    cagr,
    contribution_to_growth,
    top_movers,
    years_between,
    yoy,
)
from dehub.errors import InvalidInput

pytestmark = pytest.mark.filterwarnings("error")  # no division-by-zero or invalid warnings


# ------------------------------------------------------------------------------------------
# Periods
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p1", "p2", "years"),
    [
        ("2019-20", "2024-25", 5.0),  # five annual steps (six years covered)
        ("2024-25", "2024-25", 0.0),
        ("2024-25", "2019-20", -5.0),
        ("1999-00", "2000-01", 1.0),  # century rollover of the two-digit end year
        ("2024-04", "2025-04", 1.0),
        ("2024-04", "2024-10", 0.5),  # 6 months
        ("2024-11", "2025-02", 0.25),  # 3 months across the calendar year
    ],
)
def test_years_between(p1: str, p2: str, years: float) -> None:
    assert years_between(p1, p2) == pytest.approx(years)


@pytest.mark.parametrize(
    ("p1", "p2", "message"),
    [
        ("2024-25", "2024-04", "financial years and months are mixed"),
        ("2024-26", "2025-26", "not a period: '2024-26'"),
        ("FY2024", "2024-25", "not a period: 'FY2024'"),
    ],
)
def test_years_between_refuses(p1: str, p2: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        years_between(p1, p2)


# ------------------------------------------------------------------------------------------
# Year on year
# ------------------------------------------------------------------------------------------


def test_yoy_financial_years_with_a_gap_and_a_zero() -> None:
    s = pd.Series({"2024-25": 121.0, "2021-22": 0.0, "2022-23": 100.0, "2020-21": 80.0})
    out = yoy(s)
    assert list(out.columns) == [
        "period",
        "value",
        "previous_period",
        "previous_value",
        "change",
        "growth",
    ]
    assert list(out["period"]) == ["2020-21", "2021-22", "2022-23", "2024-25"]
    assert list(out["previous_period"]) == ["2019-20", "2020-21", "2021-22", "2023-24"]
    # 2021-22: (0 - 80) / 80 = -1.0, a fall to zero
    assert out["growth"].iloc[1] == -1.0
    # 2022-23: growth from zero is undefined -> NaN (change is still +100)
    assert out["change"].iloc[2] == 100.0 and math.isnan(out["growth"].iloc[2])
    # 2024-25: 2023-24 not given -> NaN previous value, change and growth
    assert out[["previous_value", "change", "growth"]].iloc[3].isna().all()
    assert math.isnan(out["growth"].iloc[0])  # 2019-20 not given


def test_yoy_months_compare_the_same_month_a_year_earlier() -> None:
    s = pd.Series({"2024-04": 10.0, "2025-03": 7.0, "2025-04": 15.0})
    out = yoy(s).set_index("period")
    assert out.loc["2025-04", "previous_period"] == "2024-04"
    assert out.loc["2025-04", "growth"] == pytest.approx(0.5)  # (15 - 10) / 10
    assert out.loc["2025-03", "previous_period"] == "2024-03"
    assert math.isnan(out["growth"]["2025-03"])


def test_yoy_refuses_bad_input() -> None:
    with pytest.raises(InvalidInput, match="financial years and months are mixed"):
        yoy(pd.Series({"2024-25": 1.0, "2024-04": 2.0}))
    with pytest.raises(InvalidInput, match=r"missing \(NaN\) value for 1 unit\(s\): '2023-24'"):
        yoy(pd.Series({"2024-25": 1.0, "2023-24": np.nan}))


# ------------------------------------------------------------------------------------------
# CAGR
# ------------------------------------------------------------------------------------------


def test_cagr_by_hand() -> None:
    # 100 * 1.1^5 = 161.051 -> 10% a year over FY2019-20 .. FY2024-25
    years = years_between("2019-20", "2024-25")
    assert cagr(100.0, 161.051, years) == pytest.approx(0.10)
    # doubling in 2 years: sqrt(2) - 1 = 0.4142136
    assert cagr(50, 100, 2) == pytest.approx(0.4142136, abs=1e-7)
    assert cagr(5.0, 0.0, 3) == -1.0  # a fall to zero is -100%
    assert math.isnan(cagr(0.0, 5.0, 3))  # growth from zero is undefined
    assert math.isnan(cagr(0.0, 0.0, 3))
    # half a year of monthly data: 100 -> 110 in 6 months = 1.1^2 - 1 = 21% a year
    assert cagr(100, 110, years_between("2024-04", "2024-10")) == pytest.approx(0.21)


def test_cagr_of_series() -> None:
    first = pd.Series({"603": 100.0, "604": 0.0, "605": 8.0})
    last = pd.Series({"603": 121.0, "604": 4.0, "606": 1.0})
    out = cagr(first, last, 2)
    assert out.name == "cagr"
    assert out["603"] == pytest.approx(0.1)  # sqrt(1.21) - 1
    assert math.isnan(out["604"])  # from zero
    assert out["605"] == -1.0  # absent in last = 0
    assert math.isnan(out["606"])  # absent in first = 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((100.0, 110.0, 0), "years must be a positive number"),
        ((100.0, 110.0, -5.0), "years must be a positive number"),
        ((-1.0, 110.0, 5), "first must be a finite, non-negative"),
        ((1.0, float("nan"), 5), "last must be a finite, non-negative"),
        ((pd.Series({"a": 1.0}), 2.0, 5), "two numbers or two Series"),
    ],
)
def test_cagr_refuses(args: tuple[object, object, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        cagr(*args)  # type: ignore[call-overload]


# ------------------------------------------------------------------------------------------
# Contributions and movers
# ------------------------------------------------------------------------------------------

PREV = pd.Series({"a": 60.0, "b": 40.0})
CURR = pd.Series({"a": 75.0, "b": 30.0, "c": 15.0})


def test_contribution_to_growth_by_hand() -> None:
    # total 100 -> 120: +20%. a +15 -> 15 pp, b -10 -> -10 pp, c (new) +15 -> 15 pp
    out = contribution_to_growth(PREV, CURR)
    assert list(out.columns) == [
        "unit",
        "prev",
        "curr",
        "change",
        "contribution_pct_points",
        "share_of_change",
        "growth",
    ]
    assert list(out["unit"]) == ["a", "c", "b"]  # by change; a and c tie at +15: by code
    assert list(out["change"]) == [15.0, 15.0, -10.0]
    assert list(out["contribution_pct_points"]) == pytest.approx([15.0, 15.0, -10.0])
    assert out["contribution_pct_points"].sum() == pytest.approx(20.0)
    # shares of the +20 change: 15/20, 15/20, -10/20
    assert list(out["share_of_change"]) == pytest.approx([0.75, 0.75, -0.5])
    # own growth: a 15/60 = 0.25; c from zero: NaN; b -10/40 = -0.25
    assert out["growth"].iloc[0] == pytest.approx(0.25)
    assert math.isnan(out["growth"].iloc[1])
    assert out["growth"].iloc[2] == pytest.approx(-0.25)


def test_contribution_when_nothing_changed_or_nothing_before() -> None:
    same = contribution_to_growth(pd.Series({"a": 0.1, "b": 0.2}), pd.Series({"a": 0.3}))
    # change +0.2 and -0.2 sum to ~0 (rounding): no shares of a zero change
    assert same["share_of_change"].isna().all()
    fresh = contribution_to_growth(pd.Series({"a": 0.0}), pd.Series({"a": 5.0}))
    assert fresh["contribution_pct_points"].isna().all()  # growth of a zero total


def test_top_movers() -> None:
    gainers, losers = top_movers(PREV, CURR, n=1)
    assert list(gainers["unit"]) == ["a"]
    assert list(losers["unit"]) == ["b"]
    g2, _ = top_movers(PREV, CURR, n=5)
    assert list(g2["unit"]) == ["a", "c"]
    prev = pd.Series({"x": 10.0, "y": 10.0, "z": 10.0, "w": 1.0})
    curr = pd.Series({"x": 9.0, "y": 0.0, "z": 5.0, "w": 1.0})
    gainers, losers = top_movers(prev, curr, n=2)
    assert gainers.empty  # w did not change: neither list
    assert list(losers["unit"]) == ["y", "z"]  # largest fall first
    with pytest.raises(InvalidInput, match="n must be a positive integer"):
        top_movers(prev, curr, n=0)


def test_contribution_refuses_negative_values() -> None:
    with pytest.raises(InvalidInput, match=r"prev: negative value for 1 unit\(s\): 'b' \(-4.0\)"):
        contribution_to_growth(pd.Series({"a": 1.0, "b": -4.0}), CURR)


amounts = st.one_of(st.just(0.0), st.floats(min_value=1e-2, max_value=1e9))
pairs = st.dictionaries(
    st.sampled_from([f"u{i:02d}" for i in range(15)]),
    st.tuples(amounts, amounts),
    min_size=1,
    max_size=15,
)


@settings(max_examples=60)
@given(pairs)
def test_contributions_sum_to_the_total_growth_rate(data: dict[str, tuple[float, float]]) -> None:
    prev = pd.Series({k: a for k, (a, _) in data.items()}, dtype="float64")
    curr = pd.Series({k: b for k, (_, b) in data.items()}, dtype="float64")
    out = contribution_to_growth(prev, curr)
    p, c = prev.sum(), curr.sum()
    if p > 0:
        total_rate_pct = 100 * (c - p) / p
        assert out["contribution_pct_points"].sum() == pytest.approx(
            total_rate_pct, rel=1e-9, abs=1e-9 * max(c / p, 1.0)
        )
    if abs(c - p) > 1e-6 * max(p, c):  # a change well above rounding: shares sum to 1
        assert out["share_of_change"].sum() == pytest.approx(1.0, rel=1e-6)
    assert (np.diff(out["change"].to_numpy()) <= 0).all()
