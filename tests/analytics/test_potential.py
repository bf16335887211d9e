"""The Export Potential Indicator (Decreux & Spies 2016) against a hand-computed example and its
published properties (Hypothesis), the district attribution, and missing-data behaviour."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dehub.analytics.complexity import complexity_long
from dehub.analytics.potential import (
    POTENTIAL_COLUMNS,
    attribute_to_supplier,
    basis_codes,
    export_potential,
    opportunities,
    supplier_shares,
)
from dehub.errors import InvalidInput


def _small() -> pd.DataFrame:
    """Markets A and B, India's own imports (IND), products p and q (US$)."""
    return pd.DataFrame(
        {
            "market": ["A", "A", "B", "IND", "IND"],
            "product": ["p", "q", "p", "p", "q"],
            "imports_usd": [100.0, 100.0, 200.0, 50.0, 300.0],
            "actual_usd": [20.0, 10.0, 20.0, 0.0, 0.0],
        }
    )


def test_hand_computed_example() -> None:
    # World trade: v_p = 100 + 200 + 50 = 350, v_q = 100 + 300 = 400 (India's imports count).
    # India's exports: v_ip = 40, v_iq = 10 -> world shares 4/35 and 1/40.
    # Net-importer penalty: min(1, 40/50) = 0.8; min(1, 10/300) = 1/30.
    # Supply: p 4/35 * 0.8 = 16/175; q 1/40 * 1/30 = 1/1200.
    # Expected bilateral trade: A = 100 * 4/35 + 100 * 1/40 = 195/14; B = 200 * 4/35 = 160/7.
    # Bilateral factor: A = 30 / (195/14) = 28/13; B = 20 / (160/7) = 7/8.
    # Raw potential: Ap = 16/175*100*28/13 = 5376/273; Aq = 1/1200*100*28/13 = 49/273;
    # Bp = 16/175*200*7/8 = 4368/273; sum 9793/273; India's actual total 50.
    # Scaled: Ap = 268800/9793, Aq = 2450/9793, Bp = 218400/9793 (sum 50).
    # Untapped: Ap = 268800/9793 - 20 = 72940/9793; Aq = 0 (actual 10 > potential);
    # Bp = 218400/9793 - 20 = 22540/9793.
    out = export_potential(_small(), "IND").set_index(["market", "product"])
    assert list(out.reset_index().columns) == list(POTENTIAL_COLUMNS)
    assert "IND" not in out.index.get_level_values("market")
    expect = {
        ("A", "p"): dict(
            world_usd=350,
            world_share=4 / 35,
            net_importer_penalty=0.8,
            supply=16 / 175,
            bilateral_factor=28 / 13,
            raw_potential_usd=5376 / 273,
            potential_usd=268800 / 9793,
            untapped_usd=72940 / 9793,
            share_of_market=0.2,
        ),
        ("A", "q"): dict(
            world_usd=400,
            world_share=1 / 40,
            net_importer_penalty=1 / 30,
            supply=1 / 1200,
            expected_bilateral_usd=195 / 14,
            raw_potential_usd=49 / 273,
            potential_usd=2450 / 9793,
            untapped_usd=0.0,
        ),
        ("B", "p"): dict(
            expected_bilateral_usd=160 / 7,
            bilateral_factor=7 / 8,
            raw_potential_usd=16.0,
            potential_usd=218400 / 9793,
            untapped_usd=22540 / 9793,
        ),
    }
    for key, values in expect.items():
        for column, value in values.items():
            assert out.loc[key, column] == pytest.approx(value, rel=1e-12), (key, column)
    assert (out["distance_factor"] == 1).all() and (out["demand_factor"] == 1).all()
    assert out.attrs["scale"] == pytest.approx(13650 / 9793)
    assert list(out.index[:2]) == [("A", "p"), ("B", "p")]  # largest untapped first


def test_distance_term_when_supplier_distances_are_given() -> None:
    trade = _small().assign(log_dist_suppliers=np.log(1000.0), log_dist_exporter=np.log(2000.0))
    out = export_potential(trade, "IND")
    assert out["distance_factor"].to_numpy() == pytest.approx(np.full(3, 0.5))  # exp(-ln 2)
    # a uniform distance factor changes raw potentials, not the scaled ones
    base = export_potential(_small(), "IND")
    assert out["potential_usd"].sum() == pytest.approx(base["potential_usd"].sum())


def test_no_net_importer_penalty_without_own_imports() -> None:
    trade = _small()
    out = export_potential(trade[trade["market"] != "IND"], "IND")
    assert (out["net_importer_penalty"] == 1).all()
    assert (out["exporter_imports_usd"] == 0).all()


def test_refusals() -> None:
    trade = _small()
    with pytest.raises(InvalidInput, match="above the market's imports"):
        export_potential(trade.assign(actual_usd=[200.0, 0, 0, 0, 0]), "IND")
    with pytest.raises(InvalidInput, match="no exports"):
        export_potential(trade.assign(actual_usd=0.0), "IND")
    with pytest.raises(InvalidInput, match="both"):
        export_potential(trade.assign(log_dist_suppliers=1.0), "IND")
    with pytest.raises(InvalidInput, match="repeat"):
        export_potential(pd.concat([trade, trade.head(1)]), "IND")
    with pytest.raises(InvalidInput, match="negative"):
        export_potential(trade.assign(imports_usd=-1.0), "IND")
    with pytest.raises(InvalidInput, match="demand_factor"):
        export_potential(trade.assign(demand_factor=0.0), "IND")


def test_a_market_without_trade_has_no_potential() -> None:
    trade = pd.concat(
        [
            _small(),
            pd.DataFrame(
                {"market": ["C"], "product": ["p"], "imports_usd": [80.0], "actual_usd": [0.0]}
            ),
        ]
    )
    out = export_potential(trade, "IND").set_index(["market", "product"])
    assert out.loc[("C", "p"), "ease"] == 0
    assert out.loc[("C", "p"), "potential_usd"] == 0


# ---- Hypothesis: the published properties ---------------------------------------------------


@st.composite
def worlds(draw: st.DrawFn) -> pd.DataFrame:
    n_m = draw(st.integers(1, 5))
    n_p = draw(st.integers(1, 6))
    markets = [f"M{i}" for i in range(n_m)] + ["IND"]
    rows = [(m, f"p{k}") for m in markets for k in range(n_p)]
    keep = draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    rows = [r for r, k in zip(rows, keep, strict=True) if k]
    amount = st.floats(1.0, 1e9, allow_nan=False)
    imports = draw(st.lists(amount, min_size=len(rows), max_size=len(rows)))
    fraction = st.sampled_from([0.0, 0.0, 0.1, 0.5, 1.0]) | st.floats(1e-6, 1)
    share = draw(st.lists(fraction, min_size=len(rows), max_size=len(rows)))
    df = pd.DataFrame(rows, columns=["market", "product"]).assign(
        imports_usd=imports, actual_usd=np.array(imports) * np.array(share)
    )
    df.loc[df["market"] == "IND", "actual_usd"] = 0.0
    from hypothesis import assume

    assume(df["actual_usd"].sum() > 0)
    return df


@settings(max_examples=60, deadline=None)
@given(worlds())
def test_untapped_is_never_negative_and_potentials_sum_to_actual(trade: pd.DataFrame) -> None:
    out = export_potential(trade, "IND")
    assert (out["untapped_usd"] >= 0).all()
    assert (out["untapped_usd"] <= out["potential_usd"] + 1e-9).all()
    assert out["potential_usd"].sum() == pytest.approx(out["actual_usd"].sum(), rel=1e-9)
    assert ((out["supply"] >= 0) & (out["supply"] <= 1)).all()


@settings(max_examples=60, deadline=None)
@given(worlds(), st.floats(0.01, 100), st.data())
def test_potential_scales_with_demand(trade: pd.DataFrame, c: float, data: st.DataObject) -> None:
    base = export_potential(trade, "IND").set_index(["market", "product"]).sort_index()
    # a uniform demand factor multiplies raw potentials by c and leaves the scaled ones
    uniform = export_potential(trade.assign(demand_factor=c), "IND")
    uniform = uniform.set_index(["market", "product"]).sort_index()
    assert uniform["raw_potential_usd"].to_numpy() == pytest.approx(
        c * base["raw_potential_usd"].to_numpy(), rel=1e-9
    )
    assert uniform["potential_usd"].to_numpy() == pytest.approx(
        base["potential_usd"].to_numpy(), rel=1e-9, abs=1e-6
    )
    # per row, raw potential is linear in demand
    factors = data.draw(st.lists(st.floats(0.01, 100), min_size=len(trade), max_size=len(trade)))
    varied = export_potential(trade.assign(demand_factor=factors), "IND")
    varied = varied.set_index(["market", "product"]).sort_index()
    assert varied["raw_potential_usd"].to_numpy() == pytest.approx(
        base["raw_potential_usd"].to_numpy() * varied["demand_factor"].to_numpy(),
        rel=1e-9,
        abs=1e-9,
    )


@settings(max_examples=40, deadline=None)
@given(worlds(), st.lists(st.floats(0, 1e6), min_size=3, max_size=3))
def test_supplier_potentials_add_up_to_india(trade: pd.DataFrame, parts: list[float]) -> None:
    """District shares of a product (incl. unattributed exports) sum to 1, so the districts'
    potentials of a product add up to India's."""
    out = export_potential(trade, "IND")
    products = sorted(out["product"].unique())
    values = pd.DataFrame(
        [(loc, p, v + 1.0) for p in products for loc, v in zip("abu", parts, strict=True)],
        columns=["loc", "code", "value_usd"],
    )
    shares = supplier_shares(values, values["loc"] != "u")
    total = np.zeros(len(out))
    for loc in "ab":
        mine = shares[shares["loc"] == loc].set_index("code")["supplier_share"]
        part = attribute_to_supplier(out, out["product"].astype(str).map(mine).fillna(0.0))
        total += part["supplier_potential_usd"].to_numpy()
        assert (part["supplier_untapped_usd"] >= 0).all()
    unattributed = (parts[2] + 1) / (np.array(parts) + 1).sum()
    assert total + unattributed * out["potential_usd"].to_numpy() == pytest.approx(
        out["potential_usd"].to_numpy(), rel=1e-9, abs=1e-6
    )


# ---- District as supplier -------------------------------------------------------------------


def test_basis_codes_and_shares() -> None:
    hs6 = pd.Series(["090411", "610910", "370110"])
    sectors = pd.Series({"09": "spices", "61": "apparel"})
    assert list(basis_codes(hs6, "HS4")) == ["0904", "6109", "3701"]
    assert list(basis_codes(hs6, "HS6")) == ["090411", "610910", "370110"]
    assert basis_codes(hs6, "sector", sectors).tolist()[:2] == ["spices", "apparel"]
    assert pd.isna(basis_codes(hs6, "sector", sectors).iloc[2])
    with pytest.raises(InvalidInput):
        basis_codes(hs6, "HS8")
    values = pd.DataFrame(
        {"loc": ["d1", "d2", "u"], "code": ["x", "x", "x"], "value_usd": [30.0, 10.0, 10.0]}
    )
    shares = supplier_shares(values, values["loc"] != "u").set_index("loc")
    assert shares.loc["d1", "supplier_share"] == pytest.approx(0.6)  # 30 of 50 (incl. 10 u)
    assert "u" not in shares.index


def test_attribute_to_supplier_hand_example() -> None:
    out = export_potential(_small(), "IND")
    share = out["product"].astype(str).map({"p": 0.25, "q": 0.0})
    part = attribute_to_supplier(out, share).set_index(["market", "product"])
    assert part.loc[("A", "p"), "supplier_potential_usd"] == pytest.approx(0.25 * 268800 / 9793)
    assert part.loc[("A", "p"), "supplier_untapped_usd"] == pytest.approx(0.25 * 72940 / 9793)
    assert part.loc[("A", "p"), "supplier_supply"] == pytest.approx(0.25 * 16 / 175)
    assert part.loc[("A", "q"), "supplier_potential_usd"] == 0
    with pytest.raises(InvalidInput):
        attribute_to_supplier(out, share * 5)
    with pytest.raises(InvalidInput):
        attribute_to_supplier(out, share.iloc[:1])


def test_opportunities_rank_unexported_products_by_density() -> None:
    x = np.random.default_rng(0).lognormal(0, 2, size=(8, 6))
    df = pd.DataFrame(
        {
            "loc": np.repeat(list("abcdefgh"), 6),
            "prod": np.tile(list("uvwxyz"), 8),
            "usd": x.ravel(),
        }
    )
    cx = complexity_long(df, "loc", "prod", "usd")
    out = opportunities(cx, "loc", "a")
    assert set(out["prod"].astype(str)) == set(
        cx[(cx["loc"] == "a") & (cx["mcp"] == 0)]["prod"].astype(str)
    )
    assert list(out["density"]) == sorted(out["density"], reverse=True)
    with pytest.raises(InvalidInput):
        opportunities(cx, "loc", "zz")
