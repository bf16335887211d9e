"""International RCA (India vs the world): a hand-computed example, py-ecomplexity on an
[India, rest of world] x product matrix built from the bundled data, invariants, bad input."""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pandas as pd
import pytest
from ecomplexity.ComplexityData import ComplexityData
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dehub.analytics.international import INTERNATIONAL_COLUMNS, international_rca
from dehub.analytics.rca import rca_matrix
from dehub.errors import InvalidInput
from dehub.facts.world import to_world_codes, world_product_values

BUNDLED = files("dehub.facts") / "bundled"
pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::UserWarning")


def test_hand_computed_example() -> None:
    # India exports a 30, b 10, c 0 (X = 40); world a 100, b 300, c 100 (W = 500).
    # RCA_a = (30/40)/(100/500) = 3.75; RCA_b = (10/40)/(300/500) = 5/12; RCA_c = 0.
    # "z" is India's code the world data lacks; "y" a product the world trades for 0.
    india = pd.Series({"a": 30.0, "b": 10.0, "z": 2.0})
    world = pd.Series({"a": 100.0, "b": 300.0, "c": 100.0, "y": 0.0})
    out = international_rca(india, world)
    assert tuple(out.columns) == INTERNATIONAL_COLUMNS
    got = out.set_index("product_code")
    assert got.loc["a", "rca"] == pytest.approx((30 / 42) / (100 / 500), rel=1e-15)
    assert got.loc["b", "rca"] == pytest.approx((10 / 42) / (300 / 500), rel=1e-15)
    assert got.loc["c", "rca"] == 0.0 and got.loc["c", "mcp"] == 0
    assert got["status"].to_dict() == {
        "a": "ok",
        "b": "ok",
        "c": "ok",
        "y": "world_zero",
        "z": "not_in_world",
    }
    assert np.isnan(got.loc["z", "rca"]) and pd.isna(got.loc["z", "mcp"])
    assert np.isnan(got.loc["y", "rca"]) and got.loc["z", "value"] == 2.0
    # India's published total given: shares of it
    given_total = international_rca(india, world, exports_total=80.0).set_index("product_code")
    assert given_total.loc["a", "rca"] == pytest.approx((30 / 80) / (100 / 500), rel=1e-15)
    assert given_total.loc["a", "mcp"] == 1 and given_total.loc["b", "mcp"] == 0


def _india_hs6_2024_25() -> pd.Series:
    """India's FY2024-25 exports by HS6 straight from the bundled EIDB parquet (US$)."""
    eidb = pd.read_parquet(
        BUNDLED / "india_exports_hs8_country_fy.parquet",
        columns=["hs8", "value_usd_mn"],
        filters=[("fy", "==", "2024-25")],
    )
    usd = pd.to_numeric(eidb["value_usd_mn"]) * 1e6
    return usd.groupby(to_world_codes(eidb["hs8"].str[:6])).sum()


def test_matches_py_ecomplexity_on_india_and_rest_of_world() -> None:
    """RCA of India's row of the [India, rest of world] matrix, by py-ecomplexity, from the
    bundled data: products in both, with India's value within the world total."""
    india = _india_hs6_2024_25()
    world = world_product_values(2024).set_index("product_code")["world_value_usd"]
    common = world.index[(world > 0)].intersection(india.index)
    x = india.reindex(world.index[world > 0], fill_value=0.0)
    w = world[world > 0]
    keep = x <= w  # where India's figure exceeds the world's, the rest of the world is < 0
    x, w = x[keep], w[keep]
    assert len(common) > 4000 and keep.mean() > 0.99
    long = pd.DataFrame(
        {
            "year": 2024,
            "loc": np.repeat(["IND", "ROW"], len(x)),
            "prod": np.tile(x.index.to_numpy(), 2),
            "val": np.concatenate([x.to_numpy(), (w - x).to_numpy()]),
        }
    )
    # py-ecomplexity's own RCA step (``ecomplexity()`` also builds a 5,000 x 5,000 proximity
    # in pandas, minutes for nothing here): the same class and calls, without the rest.
    cdata = ComplexityData(
        long, {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}, "raise"
    )
    cdata.create_full_df(2024)
    cdata.calculate_rca()
    cdata.calculate_mcp(1, 1, "rca", None, 2024)
    locs, prods = cdata.data_t.index.levels
    ref = pd.DataFrame(
        {"rca": cdata.rca_t[list(locs).index("IND")], "mcp": cdata.mcp_t[list(locs).index("IND")]},
        index=prods,
    )
    ours = international_rca(x, w).set_index("product_code")
    np.testing.assert_allclose(ours["rca"], ref.loc[ours.index, "rca"], rtol=1e-9, atol=1e-12)
    assert (ours["mcp"].astype(int) == ref.loc[ours.index, "mcp"].astype(int)).all()


values = arrays(
    np.float64,
    st.integers(2, 30),
    # trade values in US$: zero or at least a thousandth (subnormal floats overflow the ratio)
    elements=st.floats(1e-3, 1e6, allow_nan=False) | st.just(0.0),
)


@settings(max_examples=60)
@given(values, st.floats(0, 1), st.floats(1.01, 1e3))
def test_invariants_with_india_in_the_world(x: np.ndarray, seed: float, rest_scale: float):
    """With the world = India + the rest (r >= 0): (1) the world-share-weighted mean of RCA is
    1 (sum_p (w_p / W) RCA_p = sum_p x_p / X); (2) for each product the country-weighted mean
    over [India, rest] is 1: (X / W) RCA_ind,p + (R / W) RCA_rest,p = 1, so RCA_p <= W / X;
    (3) it equals rca_matrix of the [India; rest] matrix; (4) scaling either side changes
    nothing."""
    if x.sum() <= 0:
        return
    rng = np.random.default_rng(int(seed * 1e6))
    r = rng.random(x.size) * rest_scale * x.max() + (rng.random(x.size) < 0.5)
    codes = [f"{i:06d}" for i in range(x.size)]
    w = x + r
    out = international_rca(pd.Series(x, index=codes), pd.Series(w, index=codes))
    rca = out["rca"].to_numpy()
    big_x, big_w = x.sum(), w.sum()
    assert np.isclose(np.sum(w / big_w * rca), 1.0, rtol=1e-9)
    rest = international_rca(pd.Series(r, index=codes), pd.Series(w, index=codes))
    np.testing.assert_allclose(
        big_x / big_w * rca + (big_w - big_x) / big_w * rest["rca"].to_numpy(), 1.0, rtol=1e-9
    )
    assert (rca <= big_w / big_x * (1 + 1e-12)).all()
    np.testing.assert_allclose(rca, rca_matrix(np.vstack([x, r]))[0], rtol=1e-9, atol=1e-15)
    scaled = international_rca(pd.Series(x * 7.0, index=codes), pd.Series(w / 3.0, index=codes))
    np.testing.assert_allclose(scaled["rca"], rca, rtol=1e-9)
    assert (out["mcp"].to_numpy() == (rca >= 1)).all()


@pytest.mark.parametrize(
    ("india", "world", "kwargs", "message"),
    [
        (pd.Series({"a": -1.0}), pd.Series({"a": 1.0}), {}, "negative"),
        (pd.Series({"a": np.nan}), pd.Series({"a": 1.0}), {}, "missing"),
        (pd.Series([1.0, 2.0], index=["a", "a"]), pd.Series({"a": 1.0}), {}, "repeat"),
        (pd.Series({"a": "x"}), pd.Series({"a": 1.0}), {}, "not numeric"),
        (pd.Series({"a": 5.0}), pd.Series({"a": 1.0}), {"exports_total": 4.0}, "below"),
        (pd.Series({"a": 0.0}), pd.Series({"a": 1.0}), {}, "positive"),
        (pd.Series({"a": 1.0}), pd.Series({"a": 1.0}), {"threshold": 0}, "threshold"),
    ],
)
def test_bad_input_is_refused(india, world, kwargs, message) -> None:
    with pytest.raises(InvalidInput, match=message):
        international_rca(india, world, **kwargs)
