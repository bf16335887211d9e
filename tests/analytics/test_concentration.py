"""Concentration indices against hand-computed examples, published properties, an independent
Gini implementation and Hypothesis invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dehub.analytics.concentration import (
    DEFAULT_TOP_NS,
    concentration_summary,
    gini,
    hhi,
    hhi_normalised,
    lorenz_curve,
    shares,
    theil,
    theil_decomposition,
    top_shares,
    unctad_concentration_index,
    units_for_share,
    validate_values,
)
from dehub.errors import InvalidInput

pytestmark = pytest.mark.filterwarnings("error")  # no division-by-zero or invalid warnings

# Four districts: 50, 30, 20 and one without exports (US$ million, say).
ABCZ = pd.Series({"a": 50.0, "b": 30.0, "c": 20.0, "z": 0.0})


def _series(values: list[float]) -> pd.Series[float]:
    return pd.Series(values, index=[f"u{i:03d}" for i in range(len(values))], dtype="float64")


# ------------------------------------------------------------------------------------------
# Hand-computed examples
# ------------------------------------------------------------------------------------------


def test_shares_of_the_units_own_total() -> None:
    # 50/100, 30/100, 20/100, 0/100
    s = shares(ABCZ)
    assert s.name == "share"
    assert s.to_dict() == pytest.approx({"a": 0.5, "b": 0.3, "c": 0.2, "z": 0.0})


def test_shares_of_a_total_including_unattributed_exports() -> None:
    # India's total = 100 attributed + 25 unattributed = 125: a = 50/125 = 0.4
    s = shares(ABCZ, total=125.0)
    assert s["a"] == pytest.approx(0.4)
    assert s.sum() == pytest.approx(100 / 125)


def test_lorenz_curve_from_the_top_with_unattributed_part() -> None:
    curve = lorenz_curve(ABCZ, total=120.0)
    assert list(curve.columns) == [
        "rank",
        "unit",
        "value",
        "share",
        "cumulative_share",
        "cumulative_units_share",
    ]
    assert list(curve["unit"]) == ["a", "b", "c", "z"]
    assert list(curve["rank"]) == [1, 2, 3, 4]
    # 50/120, 80/120, 100/120, 100/120
    assert list(curve["cumulative_share"]) == pytest.approx([5 / 12, 8 / 12, 10 / 12, 10 / 12])
    assert list(curve["cumulative_units_share"]) == pytest.approx([0.25, 0.5, 0.75, 1.0])


def test_lorenz_curve_breaks_ties_by_unit_code() -> None:
    curve = lorenz_curve(pd.Series({"b": 1.0, "c": 2.0, "a": 1.0}))
    assert list(curve["unit"]) == ["c", "a", "b"]


def test_top_shares_and_units_for_share() -> None:
    # of 120: top 1 = 50/120; top 2 = 80/120; top 5 (more than the 4 units) = all = 100/120
    got = top_shares(ABCZ, ns=(1, 2, 5), total=120.0)
    assert got == pytest.approx({1: 50 / 120, 2: 80 / 120, 5: 100 / 120})
    assert list(got) == [1, 2, 5]
    # 50% of 120 = 60: a alone ships 50 < 60, a + b = 80 >= 60 -> 2 units
    assert units_for_share(ABCZ, 0.5, total=120.0) == 2
    # 90% of 120 = 108 > the 100 attributed: unreachable
    assert units_for_share(ABCZ, 0.9, total=120.0) is None
    # two equal units: exactly half at one unit (the comparison allows rounding)
    assert units_for_share(pd.Series({"x": 0.1, "y": 0.1}), 0.5) == 1
    assert units_for_share(ABCZ, 1.0) == 3  # the zero unit adds nothing


def test_hhi_family_by_hand() -> None:
    # HHI = 0.5^2 + 0.3^2 + 0.2^2 = 0.25 + 0.09 + 0.04 = 0.38 (the zero unit adds nothing)
    assert hhi(ABCZ) == pytest.approx(0.38)
    # N = 3 units with exports: (0.38 - 1/3) / (1 - 1/3) = 0.046667 / 0.666667 = 0.07
    assert hhi_normalised(ABCZ) == pytest.approx(0.07)
    # UNCTAD: (sqrt(0.38) - sqrt(1/3)) / (1 - sqrt(1/3))
    #       = (0.6164414 - 0.5773503) / (1 - 0.5773503) = 0.0390911 / 0.4226497 = 0.092491
    assert unctad_concentration_index(ABCZ) == pytest.approx(0.092491, abs=1e-6)


def test_gini_by_hand_counts_the_zero_unit() -> None:
    # sorted 0, 20, 30, 50; weights 2i - n - 1 = -3, -1, 1, 3; sum = 100, n = 4
    # (0*-3 + 20*-1 + 30*1 + 50*3) / (4 * 100) = 160 / 400 = 0.4
    assert gini(ABCZ) == pytest.approx(0.4)
    # among exporting units only: 20, 30, 50; weights -2, 0, 2: (−40 + 100) / 300 = 0.2
    assert gini(ABCZ[ABCZ > 0]) == pytest.approx(0.2)


def test_theil_and_its_decomposition_by_hand() -> None:
    # mean 25; x/mean = 2, 1.2, 0.8, 0
    # (2 ln 2 + 1.2 ln 1.2 + 0.8 ln 0.8 + 0) / 4
    # = (1.3862944 + 0.2187859 - 0.1785148) / 4 = 1.4265655 / 4 = 0.3566414
    assert theil(ABCZ) == pytest.approx(0.3566414, abs=1e-7)
    d = theil_decomposition(ABCZ, n_potential=4)
    # extensive: ln(4 / 3) = 0.2876821
    assert d["extensive"] == pytest.approx(0.2876821, abs=1e-7)
    # intensive: mean 100/3; x/mean = 1.5, 0.9, 0.6
    # (1.5 ln 1.5 + 0.9 ln 0.9 + 0.6 ln 0.6) / 3 = (0.6081977 - 0.0948245 - 0.3064954) / 3
    # = 0.2068778 / 3 = 0.0689593
    assert d["intensive"] == pytest.approx(0.0689593, abs=1e-7)
    assert d["theil"] == pytest.approx(0.3566414, abs=1e-7)
    assert (d["n_potential"], d["n_active"]) == (4, 3)
    # six more potential units that did not export: extensive = ln(10/3), intensive unchanged
    d10 = theil_decomposition(ABCZ, n_potential=10)
    assert d10["extensive"] == pytest.approx(math.log(10 / 3))
    assert d10["intensive"] == pytest.approx(d["intensive"])


def test_concentration_summary() -> None:
    got = concentration_summary(ABCZ, unattributed=20.0, period="2024-25", unit_label="district")
    assert got["period"] == "2024-25"
    assert got["unit"] == "district"
    assert got["total"] == 120.0
    assert got["attributed"] == 100.0
    assert got["unattributed"] == 20.0
    assert got["unattributed_share"] == pytest.approx(20 / 120)
    assert (got["units"], got["units_with_exports"]) == (4, 3)
    assert list(got["top_shares"]) == list(DEFAULT_TOP_NS) == [1, 5, 10, 15, 25, 50, 100]
    assert got["top_shares"][1] == pytest.approx(50 / 120)
    assert got["top_shares"][100] == pytest.approx(100 / 120)
    assert got["units_for_half"] == 2
    # indices over the attributed units only
    assert got["hhi"] == pytest.approx(0.38)
    assert got["hhi_normalised"] == pytest.approx(0.07)
    assert got["unctad"] == pytest.approx(unctad_concentration_index(ABCZ))
    assert got["gini"] == pytest.approx(0.4)
    assert got["theil"] == pytest.approx(theil(ABCZ))


# ------------------------------------------------------------------------------------------
# Published properties
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 7, 50])
def test_equal_shares(n: int) -> None:
    v = _series([3.5] * n)
    assert hhi(v) == pytest.approx(1 / n)  # HHI of N equal shares = 1/N
    assert hhi_normalised(v) == pytest.approx(1.0 if n == 1 else 0.0, abs=1e-12)
    assert unctad_concentration_index(v) == pytest.approx(1.0 if n == 1 else 0.0, abs=1e-12)
    assert gini(v) == pytest.approx(0.0, abs=1e-12)
    assert theil(v) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("n", [1, 2, 5, 40])
def test_one_unit_has_everything(n: int) -> None:
    v = _series([0.0] * (n - 1) + [9.0])
    assert hhi(v) == 1.0
    assert hhi_normalised(v) == 1.0
    assert unctad_concentration_index(v) == 1.0
    assert gini(v) == pytest.approx((n - 1) / n)  # population formula
    assert theil(v) == pytest.approx(math.log(n))  # the maximum, ln N


def test_one_exporting_unit_among_others_is_maximal_for_the_normalised_indices() -> None:
    # N counts units with exports, so zeros do not change the N = 1 convention
    v = pd.Series({"a": 5.0, "b": 0.0})
    assert hhi_normalised(v) == unctad_concentration_index(v) == 1.0


# ------------------------------------------------------------------------------------------
# Independent Gini: mean absolute difference, by numpy broadcasting
# ------------------------------------------------------------------------------------------


def _gini_mean_abs_difference(v: np.ndarray) -> float:
    # G = sum_i sum_j |x_i - x_j| / (2 n^2 mean)
    n = len(v)
    return float(np.abs(v[:, None] - v[None, :]).sum() / (2 * n * n * v.mean()))


amounts = st.one_of(st.just(0.0), st.floats(min_value=1e-2, max_value=1e9))
value_lists = st.lists(amounts, min_size=1, max_size=40).filter(lambda v: any(x > 0 for x in v))


@settings(max_examples=50)
@given(value_lists)
def test_gini_equals_the_mean_absolute_difference_formula(values: list[float]) -> None:
    v = np.asarray(values)
    assert gini(_series(values)) == pytest.approx(_gini_mean_abs_difference(v), abs=1e-9)


def test_gini_cross_check_on_a_fixed_example() -> None:
    v = np.array([3.0, 0.0, 8.0, 1.0, 1.0, 12.5])
    assert gini(_series(list(v))) == pytest.approx(_gini_mean_abs_difference(v))


def test_unctad_index_against_an_independent_formula() -> None:
    values = [7.0, 1.0, 0.0, 2.0, 40.0]
    s = np.array([7.0, 1.0, 2.0, 40.0]) / 50.0  # shares of the 4 exporting units
    n = 4
    expected = (math.sqrt((s**2).sum()) - math.sqrt(1 / n)) / (1 - math.sqrt(1 / n))
    assert unctad_concentration_index(_series(values)) == pytest.approx(expected)


# ------------------------------------------------------------------------------------------
# Hypothesis properties
# ------------------------------------------------------------------------------------------


@settings(max_examples=50)
@given(value_lists)
def test_shares_sum_to_one(values: list[float]) -> None:
    assert shares(_series(values)).sum() == pytest.approx(1.0)


@settings(max_examples=50)
@given(value_lists, st.floats(min_value=0.0, max_value=1e9))
def test_lorenz_curve_is_monotone_and_ends_at_the_attributed_share(
    values: list[float], unattributed: float
) -> None:
    v = _series(values)
    curve = lorenz_curve(v)
    cum = curve["cumulative_share"].to_numpy()
    assert (np.diff(cum) >= 0).all()
    assert cum[-1] == 1.0
    assert (np.diff(curve["value"].to_numpy()) <= 0).all()
    total = float(v.sum()) + unattributed
    cum_t = lorenz_curve(v, total=total)["cumulative_share"].to_numpy()
    assert (np.diff(cum_t) >= 0).all()
    assert cum_t[-1] == pytest.approx(float(v.sum()) / total)


@settings(max_examples=50)
@given(value_lists)
def test_index_ranges(values: list[float]) -> None:
    v = _series(values)
    n_all, n_active = len(values), sum(x > 0 for x in values)
    assert 1 / n_active - 1e-12 <= hhi(v) <= 1.0
    assert 0.0 <= hhi_normalised(v) <= 1.0
    assert 0.0 <= unctad_concentration_index(v) <= 1.0
    # UNCTAD normalises sqrt(HHI): never below the normalised HHI (algebra: see docs)
    assert unctad_concentration_index(v) >= hhi_normalised(v) - 1e-12
    assert 0.0 <= gini(v) <= (n_all - 1) / n_all + 1e-12 < 1.0
    assert 0.0 <= theil(v) <= math.log(n_all) + 1e-12


@settings(max_examples=50)
@given(value_lists, st.integers(min_value=0, max_value=60))
def test_theil_decomposition_identity(values: list[float], extra: int) -> None:
    v = _series(values)
    d = theil_decomposition(v, n_potential=len(values) + extra)
    assert d["theil"] == pytest.approx(d["extensive"] + d["intensive"], abs=1e-9)
    # the total is Theil's T over the potential units, the unlisted ones as zeros
    padded = _series(values + [0.0] * extra)
    assert d["theil"] == pytest.approx(theil(padded), abs=1e-12)
    assert d["intensive"] == pytest.approx(theil(v[v > 0]), abs=1e-12)


def _indices(v: pd.Series[float]) -> list[float]:
    tops = top_shares(v, ns=(1, 3, 10))
    return [
        hhi(v),
        hhi_normalised(v),
        unctad_concentration_index(v),
        gini(v),
        theil(v),
        *tops.values(),
        float(units_for_share(v, 0.5) or 0),
        float(units_for_share(v, 0.8) or 0),
    ]


@settings(max_examples=50)
@given(value_lists, st.floats(min_value=1e-3, max_value=1e3))
def test_scale_invariance(values: list[float], c: float) -> None:
    v = _series(values)
    assert _indices(v * c) == pytest.approx(_indices(v), rel=1e-9, abs=1e-12)


@settings(max_examples=50)
@given(st.data())
def test_permutation_invariance(data: st.DataObject) -> None:
    values = data.draw(value_lists)
    perm = data.draw(st.permutations(list(range(len(values)))))
    v = _series(values)
    shuffled = pd.Series([values[i] for i in perm], index=[v.index[i] for i in perm])
    assert _indices(shuffled) == pytest.approx(_indices(v), rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(
        lorenz_curve(shuffled)["cumulative_share"], lorenz_curve(v)["cumulative_share"]
    )


# ------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------


def test_negative_values_are_refused_naming_the_units() -> None:
    with pytest.raises(InvalidInput) as err:
        hhi(pd.Series({"603": 5.0, "604": -2.0}))
    assert "negative value for 1 unit(s): '604' (-2.0)" in str(err.value)
    assert err.value.envelope()["errors"][0]["field"] == "values"


def test_nan_values_are_refused_not_read_as_zero() -> None:
    with pytest.raises(InvalidInput, match=r"missing \(NaN\) value for 2 unit\(s\): 'b'.*'c'"):
        gini(pd.Series({"a": 1.0, "b": np.nan, "c": None}, dtype="float64"))


def test_every_fault_is_reported_at_once() -> None:
    bad = pd.Series([1.0, -1.0, np.nan, np.inf], index=["a", "b", "a", "d"])
    with pytest.raises(InvalidInput) as err:
        validate_values(bad)
    messages = [p["message"] for p in err.value.envelope()["errors"]]
    assert len(messages) == 4
    assert "listed more than once: 'a'" in messages[0]
    assert "missing (NaN)" in messages[1]
    assert "infinite value for 1 unit(s): 'd'" in messages[2]
    assert "negative value for 1 unit(s): 'b'" in messages[3]


def test_long_fault_lists_are_abbreviated() -> None:
    with pytest.raises(InvalidInput, match=r"negative value for 8 unit\(s\): .* and 3 more"):
        validate_values(_series([-1.0] * 8))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([1.0, 2.0], "expected a pandas Series"),
        (pd.Series(["1", "2"]), "values must be numbers"),
        (pd.Series([True, False]), "values must be numbers"),
        (pd.Series([], dtype="float64"), "no units given"),
        (pd.Series([0.0, 0.0]), "every unit has zero exports"),
    ],
)
def test_other_invalid_inputs(bad: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        hhi(bad)  # type: ignore[arg-type]


def test_invalid_parameters() -> None:
    with pytest.raises(InvalidInput, match="total .* is smaller than the sum"):
        shares(ABCZ, total=90.0)
    with pytest.raises(InvalidInput, match="total must be a finite, non-negative"):
        shares(ABCZ, total=float("nan"))
    with pytest.raises(InvalidInput, match="share must be a fraction"):
        units_for_share(ABCZ, 1.5)
    with pytest.raises(InvalidInput, match="ns must be positive integers"):
        top_shares(ABCZ, ns=(0, 5))
    with pytest.raises(InvalidInput, match=r"n_potential \(3\) is smaller"):
        theil_decomposition(ABCZ, n_potential=3)
    with pytest.raises(InvalidInput, match="unattributed must be a finite, non-negative"):
        concentration_summary(ABCZ, unattributed=-1.0, period="2024-25", unit_label="district")


def test_nullable_integer_input_is_accepted_and_na_refused() -> None:
    assert hhi(pd.Series([1, 1], dtype="Int64")) == pytest.approx(0.5)
    with pytest.raises(InvalidInput, match="missing"):
        hhi(pd.Series([1, None], dtype="Int64"))
