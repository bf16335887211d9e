"""Economic complexity: every column against py-ecomplexity, invariants, bad input, the CLI."""

from __future__ import annotations

import contextlib
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import typer
from ecomplexity import ecomplexity
from ecomplexity import proximity as ec_proximity
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from typer.testing import CliRunner

from dehub.analytics.complexity import (
    OUTPUT_COLUMNS,
    ComplexityResult,
    complexity_long,
    complexity_matrix,
    proximity,
    subnational_eci,
)
from dehub.analytics.rca import rca_matrix
from dehub.cli.complexity_cmd import register
from dehub.errors import InvalidInput

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")

BUNDLED = (
    Path(__file__).resolve().parents[2]
    / "src/dehub/facts/bundled/district_sector_exports_2024-25.csv.gz"
)
TOL = 1e-6


def _long(x: np.ndarray, year: int | None = None, drop_zeros: bool = True) -> pd.DataFrame:
    """A locations x products matrix as long rows with string codes ("L007", "P012")."""
    n_l, n_p = x.shape
    df = pd.DataFrame(
        {
            "loc": np.repeat([f"L{i:03d}" for i in range(n_l)], n_p),
            "prod": np.tile([f"P{j:03d}" for j in range(n_p)], n_l),
            "val": x.ravel(),
        }
    )
    if drop_zeros:
        df = df[df["val"] > 0]
    if year is not None:
        df = df.assign(year=year)
    return df.reset_index(drop=True)


def _random(seed: int, n_l: int, n_p: int, zeros: float = 0.6) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.lognormal(10, 2, size=(n_l, n_p)) * (rng.random((n_l, n_p)) >= zeros)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def _reference(df: pd.DataFrame, time: str | None, threshold: float = 1.0) -> pd.DataFrame:
    """py-ecomplexity on the same rows (its log-supermodularity check only prints)."""
    data = df if time else df.assign(year=0)
    cols = {"time": time or "year", "loc": "loc", "prod": "prod", "val": "val"}
    with _quiet():
        ref: pd.DataFrame = ecomplexity(
            data,
            cols,
            rca_mcp_threshold=threshold,
            verbose=False,
            check_logsupermodularity=False,
        )
    return ref if time else ref.drop(columns="year")


def _assert_same(ours: pd.DataFrame, ref: pd.DataFrame, keys: list[str]) -> None:
    assert len(ours) == len(ref)
    merged = ours.merge(ref, on=keys, how="outer", suffixes=("", "_ref"), indicator=True)
    assert (merged["_merge"] == "both").all(), "row sets differ"
    np.testing.assert_allclose(merged["val"], merged["val_ref"], rtol=0, atol=0)
    for col in OUTPUT_COLUMNS:
        a = merged[col].astype("float64").to_numpy(na_value=np.nan)
        b = merged[f"{col}_ref"].astype("float64").to_numpy()
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=col)
        diff = np.abs(a - b)[~np.isnan(a)]
        assert diff.size == 0 or diff.max() <= TOL, f"{col}: max abs diff {diff.max():.3g}"


# --- (a) golden comparison with py-ecomplexity ---------------------------------------------


@pytest.mark.parametrize(
    ("seed", "n_l", "n_p", "zeros"),
    [(13, 30, 45, 0.6), (2, 70, 12, 0.5), (3, 25, 25, 0.2), (4, 12, 80, 0.7)],
)
def test_every_column_matches_py_ecomplexity(seed: int, n_l: int, n_p: int, zeros: float) -> None:
    df = _long(_random(seed, n_l, n_p, zeros))
    ours = complexity_long(df, "loc", "prod", "val")
    assert list(ours.columns) == ["loc", "prod", "val", *OUTPUT_COLUMNS]
    # the full grid of the codes in the input: absent cells are exports of 0
    assert len(ours) == df["loc"].nunique() * df["prod"].nunique() > len(df)
    _assert_same(ours, _reference(df, None), ["loc", "prod"])


def test_several_years_with_zero_totals_match_py_ecomplexity() -> None:
    frames = []
    for k, year in enumerate((2021, 2022, 2023)):
        x = _random(10 + k, 40 + 5 * k, 30 - 4 * k)
        if year == 2022:
            x[3] = 0.0  # a location with rows but no exports this year
            x[:, 7] = 0.0  # a product nobody exports this year
        frames.append(_long(x, year, drop_zeros=year != 2022))
    df = pd.concat(frames, ignore_index=True).sample(frac=1.0, random_state=0)
    ours = complexity_long(df, "loc", "prod", "val", time="year")
    assert list(ours.columns) == ["loc", "prod", "year", "val", *OUTPUT_COLUMNS]
    assert ours["year"].is_monotonic_increasing
    left_out = ours[ours["rca"].isna()]
    assert set(left_out["year"]) == {2022}
    assert len(left_out) == 26 + 45 - 1  # the input rows of L003 and of P007 in 2022
    assert left_out[list(OUTPUT_COLUMNS)].isna().all().all()
    _assert_same(ours, _reference(df, "year"), ["loc", "prod", "year"])


def test_other_thresholds_match_py_ecomplexity() -> None:
    df = _long(_random(5, 35, 20))
    for threshold in (0.5, 0.8):
        ours = complexity_long(df, "loc", "prod", "val", rca_threshold=threshold)
        _assert_same(ours, _reference(df, None, threshold), ["loc", "prod"])


def _districts() -> pd.DataFrame:
    raw = pd.read_csv(BUNDLED, dtype={"State": str, "District": str, "sector": str})
    raw = raw[raw["District"] != "UNSPECIFIED"]
    return pd.DataFrame(
        {
            "loc": raw["State"] + " / " + raw["District"],
            "prod": raw["sector"],
            "val": raw["export_usd"].astype(float),
        }
    ).reset_index(drop=True)


def test_bundled_district_sector_data_matches_py_ecomplexity() -> None:
    df = _districts()
    ours = complexity_long(df, "loc", "prod", "val")
    assert ours["loc"].nunique() > 600 and ours["prod"].nunique() == 22
    _assert_same(ours, _reference(df, None), ["loc", "prod"])


def test_proximity_matches_py_ecomplexity() -> None:
    df = _long(_random(6, 40, 25))
    ours = proximity(df, "loc", "prod", "val")
    assert ours.shape == (25, 25) and list(ours.index) == sorted(df["prod"].unique())
    with _quiet():
        ref = ec_proximity(
            df.assign(year=0), {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
        )
    wide = ref.pivot(index="prod_1", columns="prod_2", values="proximity")
    np.testing.assert_allclose(ours.to_numpy(), wide.loc[ours.index, ours.columns].to_numpy())


# --- (b) invariants --------------------------------------------------------------------------

# Export values with about one cell in five zero (one_of would make half of them zero).
matrices = arrays(
    np.float64,
    st.tuples(st.integers(3, 14), st.integers(3, 12)),
    elements=st.floats(0.0, 1e6).map(lambda v: 0.0 if v < 2e5 else v),
)


def _compute(x: np.ndarray, threshold: float = 1.0) -> ComplexityResult:
    try:
        return complexity_matrix(x, threshold)
    except InvalidInput:
        assume(False)  # degenerate: too few exporters, split network, repeated eigenvalue
        raise


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(matrices)
def test_complexity_invariants(x: np.ndarray) -> None:
    r = _compute(x)
    m = r.mcp.astype(bool)
    # RCA >= 0, M is 0/1 and marks RCA >= 1; diversity and ubiquity count M = 1.
    assert (r.rca >= 0).all() and set(np.unique(r.mcp)) <= {0, 1}
    assert (m == (r.rca >= 1)).all()
    np.testing.assert_array_equal(r.diversity, r.mcp.sum(axis=1))
    np.testing.assert_array_equal(r.ubiquity, r.mcp.sum(axis=0))
    # With threshold 1 every kept location and product has at least one M = 1.
    assert (r.diversity > 0).all() and (r.ubiquity > 0).all()
    # Normalisation: ECI has mean 0 and std 1 (ddof 0); PCI is shifted and scaled by the
    # same numbers, so ECI_c = mean PCI of c's products with M = 1 holds exactly ...
    assert abs(r.eci.mean()) < 1e-9 and abs(r.eci.std() - 1) < 1e-9
    np.testing.assert_allclose(r.eci, (r.mcp @ r.pci) / r.diversity, atol=1e-8)
    np.testing.assert_allclose(subnational_eci(r.mcp, r.pci), r.eci, atol=1e-8)
    # ... while the reverse reflection holds up to the eigenvalue: the mean ECI of the
    # locations exporting p is lambda_2 * PCI_p + a constant (the same for every product).
    reverse = (r.eci @ r.mcp) / r.ubiquity - r.eigenvalue * r.pci
    np.testing.assert_allclose(reverse, reverse.mean(), atol=1e-7)
    assert 0 < r.eigenvalue < 1
    # Sign: ECI increases with diversity; where that correlation is 0 (or undefined: constant
    # diversity), PCI decreases with ubiquity instead.
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.corrcoef(r.eci, r.diversity)[0, 1]
    if abs(corr) > 1e-9:
        assert corr > 0
    else:
        assert np.corrcoef(r.pci, r.ubiquity)[0, 1] < 0
    # Proximity: symmetric conditional probabilities with unit self-proximity.
    phi = r.proximity
    np.testing.assert_array_equal(phi, phi.T)
    np.testing.assert_array_equal(np.diag(phi), 1.0)
    assert ((phi >= 0) & (phi <= 1)).all()
    # Density: a proximity-weighted share in [0, 1], positive where M = 1 (self-proximity).
    assert ((r.density >= -1e-12) & (r.density <= 1 + 1e-12)).all()
    assert (r.density[m] > 0).all()
    # COG only counts products not yet exported; COI is standardised.
    assert (r.cog[m] == 0).all()
    if np.isfinite(r.coi).all():
        assert abs(r.coi.mean()) < 1e-9 and abs(r.coi.std() - 1) < 1e-9


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(matrices)
def test_long_and_matrix_agree_and_codes_are_kept(x: np.ndarray) -> None:
    r = _compute(x)
    df = _long(x)
    out = complexity_long(df, "loc", "prod", "val")
    grid = out.dropna(subset=["rca"])
    assert len(grid) == r.locations.size * r.products.size
    np.testing.assert_allclose(grid["eci"].to_numpy(), np.repeat(r.eci, r.products.size))
    np.testing.assert_allclose(grid["cog"].to_numpy(), r.cog.ravel())
    assert set(out["loc"]) <= set(df["loc"]) and out["loc"].str.startswith("L").all()


def test_a_threshold_above_one_leaves_nan_only_where_undefined() -> None:
    x = _random(7, 30, 20, zeros=0.3)
    x[0] = x[1:].sum(axis=0) / 10  # the national mix: RCA 1 everywhere, no M = 1 at 2
    x[:, 0] = 0.0
    x[:, 0] = x.sum(axis=1) / 10  # every location's own mix: RCA 1 everywhere
    r = complexity_matrix(x, rca_threshold=2.0)
    none_l, none_p = r.diversity == 0, r.ubiquity == 0
    assert none_l[0] and none_p[0]
    assert np.isnan(r.eci[none_l]).all() and np.isfinite(r.eci[~none_l]).all()
    assert np.isnan(r.pci[none_p]).all() and np.isfinite(r.pci[~none_p]).all()
    assert np.isnan(r.proximity[0]).all() and np.isnan(r.density[:, none_p]).all()
    assert np.isfinite(r.density[:, ~none_p]).all() and np.isfinite(r.coi).all()
    assert np.isnan(r.cog[:, none_p]).all() and np.isfinite(r.cog[:, ~none_p]).all()
    ok = ~none_l
    assert abs(r.eci[ok].mean()) < 1e-9 and abs(r.eci[ok].std() - 1) < 1e-9
    np.testing.assert_allclose(
        r.eci[ok], (r.mcp[ok][:, ~none_p] @ r.pci[~none_p]) / r.diversity[ok], atol=1e-8
    )
    # py-ecomplexity returns NaN for every ECI, PCI, density and COG of such a year.
    ref = _reference(_long(x), None, threshold=2.0)
    assert ref[["eci", "pci", "density", "cog"]].isna().all().all()


def test_constant_diversity_takes_the_sign_from_ubiquity() -> None:
    # Every location has diversity 2, so corr(ECI, diversity) is undefined (py-ecomplexity
    # returns NaN); the sign then makes PCI fall with ubiquity.
    x = np.zeros((6, 6))
    for row, products in enumerate([(0, 1), (0, 2), (0, 3), (1, 2), (3, 4), (4, 5)]):
        x[row, list(products)] = 1.0
    r = complexity_matrix(x)
    assert (r.diversity == 2).all() and np.isfinite(r.eci).all()
    assert np.corrcoef(r.pci, r.ubiquity)[0, 1] < 0
    assert np.isnan(_reference(_long(x), None)["eci"]).all()
    # A symmetric network (a path) has no sign at all: refused.
    path = np.zeros((6, 7))
    path[np.arange(6), np.arange(6)] = path[np.arange(6), np.arange(6) + 1] = 1.0
    with pytest.raises(InvalidInput, match="sign of ECI is undefined"):
        complexity_matrix(path)


# --- degenerate input: clear errors -----------------------------------------------------------


def test_bad_input_is_refused_with_a_clear_message() -> None:
    df = _long(_random(11, 10, 8))
    with pytest.raises(InvalidInput, match=r"missing column\(s\): usd"):
        complexity_long(df, "loc", "prod", "usd")
    with pytest.raises(InvalidInput, match="negative") as err:
        complexity_long(df.assign(val=-df["val"]), "loc", "prod", "val")
    assert err.value.details and "loc=" in err.value.details[0].message
    with pytest.raises(InvalidInput, match="NaN"):
        complexity_long(df.assign(val=df["val"].where(df.index != 3)), "loc", "prod", "val")
    with pytest.raises(InvalidInput, match="not numeric"):
        complexity_long(df.assign(val=df["val"].astype(str)), "loc", "prod", "val")
    with pytest.raises(InvalidInput, match="repeat"):
        complexity_long(pd.concat([df, df.iloc[:2]]), "loc", "prod", "val")
    with pytest.raises(InvalidInput, match="clash"):
        complexity_long(df.rename(columns={"val": "eci"}), "loc", "prod", "eci")
    with pytest.raises(InvalidInput, match="at least 2 locations"):
        complexity_long(df[df["loc"] == "L000"], "loc", "prod", "val")
    with pytest.raises(InvalidInput, match="threshold"):
        complexity_long(df, "loc", "prod", "val", rca_threshold=-1)
    with pytest.raises(InvalidInput, match="at least 2 locations and 2 products with M = 1"):
        complexity_matrix(np.array([[1.0, 1.0], [1.0, 1.0]]), rca_threshold=1.5)
    with pytest.raises(InvalidInput, match="not defined: the second-largest eigenvalue"):
        complexity_matrix(np.array([[1.0, 1.0], [1.0, 1.0]]))


def test_a_split_network_or_a_bad_period_is_named() -> None:
    # L005 exports only P005, which nobody else exports: a group of its own. py-ecomplexity
    # would return the indicator of that group as "ECI".
    x = _random(14, 12, 8, zeros=0.2)
    x[5] = 0.0
    x[:, 5] = 0.0
    x[5, 5] = 1e6
    df = _long(x, 2024)
    with pytest.raises(InvalidInput, match="splits into 2 separate groups") as err:
        complexity_long(df, "loc", "prod", "val")
    assert [(d.field, d.message) for d in err.value.details] == [
        ("group of 1 location(s)", "L005 with M = 1 only in P005")
    ]
    good = _long(_random(11, 10, 8), 2023)
    with pytest.raises(InvalidInput, match="period 2024: .*separate groups"):
        complexity_long(pd.concat([good, df]), "loc", "prod", "val", time="year")


# --- subnational ECI from an external PCI -----------------------------------------------------


def test_subnational_eci_aligns_by_product_and_uses_world_shares() -> None:
    m = pd.DataFrame(
        [[1, 0, 1], [0, 1, 0], [0, 0, 0]], index=["D1", "D2", "D3"], columns=list("abc")
    )
    pci = pd.Series({"c": 2.0, "a": -1.0, "b": 0.5, "z": 9.0})  # any order; extras ignored
    eci = subnational_eci(m, pci)
    assert eci.name == "eci" and list(eci.index) == ["D1", "D2", "D3"]
    np.testing.assert_allclose(eci.to_numpy(), [0.5, 0.5, np.nan])
    # From export values and world shares (RCA against the world, as the OEC does).
    values = pd.DataFrame(
        [[8.0, 1.0, 1.0], [1.0, 1.0, 8.0]], index=["D1", "D2"], columns=list("abc")
    )
    world = pd.Series({"a": 0.5, "b": 0.25, "c": 0.25})
    # shares D1: .8 .1 .1 -> RCA 1.6 .4 .4; D2: .1 .1 .8 -> RCA .2 .4 3.2
    np.testing.assert_allclose(
        subnational_eci(values, pci, world_product_shares=world).to_numpy(), [-1.0, 2.0]
    )
    with pytest.raises(InvalidInput, match="not a 0/1 matrix"):
        subnational_eci(values, pci)
    with pytest.raises(InvalidInput, match="lacks 1 product"):
        subnational_eci(m, pci.drop("b"))
    with pytest.raises(InvalidInput, match="NaN"):
        subnational_eci(m.to_numpy(), np.array([1.0, np.nan, 0.0]))
    with pytest.raises(InvalidInput, match="world share of 0"):
        subnational_eci(values, pci, world_product_shares=world.replace(0.25, 0.0))


def test_domestic_rca_of_districts_gives_their_eci_back() -> None:
    df = _districts()
    wide = df.pivot(index="loc", columns="prod", values="val").fillna(0.0)
    wide = wide[wide.sum(axis=1) > 0]
    r = complexity_matrix(wide.to_numpy())
    mcp = pd.DataFrame((rca_matrix(wide.to_numpy()) >= 1).astype(int), wide.index, wide.columns)
    pci = pd.Series(r.pci, index=wide.columns)
    np.testing.assert_allclose(subnational_eci(mcp, pci).to_numpy(), r.eci, atol=1e-9)


# --- (d) the command line ---------------------------------------------------------------------


@pytest.fixture
def cli() -> Iterator[Any]:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:  # a group, so the command is invoked by name as in `dehub`
        """test app"""

    runner = CliRunner()
    yield lambda *args: runner.invoke(app, ["complexity", *map(str, args)])


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    x = _random(12, 9, 6, zeros=0.3)
    df = _long(x, 2024)
    df["district"] = df["loc"].str.replace("L", "0")  # codes with leading zeros: "0003"
    df["hs2"] = df["prod"].str.replace("P", "0")
    path = tmp_path / "district hs2.csv"
    df[["district", "hs2", "year", "val"]].rename(columns={"val": "usd"}).to_csv(path, index=False)
    return path


def test_cli_writes_csv_and_parquet_keeping_codes(
    cli: Any, small_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "complexity.parquet"
    res = cli(small_csv, "--loc", "district", "--prod", "hs2", "--val", "usd", "--out", out)
    assert res.exit_code == 0, res.output
    assert "wrote 54 rows" in res.output and "9 locations x 6 products" in res.output
    table = pd.read_parquet(out)
    assert table["district"].str.match(r"^0\d{3}$").all()
    raw = pd.read_csv(small_csv, dtype={"district": str, "hs2": str})
    expected = complexity_long(raw, "district", "hs2", "usd")
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)

    csv_out = tmp_path / "c.csv"
    res = cli(small_csv, "--loc", "district", "--prod", "hs2", "--val", "usd", "--time", "year",
              "--out", csv_out, "--json")  # fmt: skip
    assert res.exit_code == 0, res.output
    body = json.loads(res.output)
    assert body == {"ok": True, "rows": 54, "locations": 9, "products": 6, "periods": 1,
                    "rows_left_out": 0, "out": str(csv_out)}  # fmt: skip
    back = pd.read_csv(csv_out, dtype={"district": str, "hs2": str})
    assert list(back.columns) == ["district", "hs2", "year", "usd", *OUTPUT_COLUMNS]
    assert back["hs2"].str.startswith("0").all()


def test_cli_errors_exit_2_with_the_problem_named(
    cli: Any, small_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "o.csv"
    res = cli(small_csv, "--loc", "district", "--prod", "sector", "--val", "usd", "--out", out)
    assert res.exit_code == 2
    assert "missing column(s) 'sector'" in res.output and "Traceback" not in res.output
    res = cli(small_csv, "--loc", "district", "--prod", "sector", "--val", "usd", "--out", out,
              "--json")  # fmt: skip
    assert res.exit_code == 2
    assert json.loads(res.output)["errors"] == [{"field": "sector", "message": "column not found"}]

    text = small_csv.read_text().splitlines()
    text[3] = text[3].rsplit(",", 1)[0] + ",n/a"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(text) + "\n")
    res = cli(bad, "--loc", "district", "--prod", "hs2", "--val", "usd", "--out", out)
    assert res.exit_code == 2 and "not numbers" in res.output and "line 4" in res.output
    res = cli(tmp_path / "nope.csv", "--loc", "a", "--prod", "b", "--val", "c", "--out", out)
    assert res.exit_code == 2 and "no such file" in res.output
    res = cli(small_csv, "--loc", "district", "--prod", "hs2", "--val", "usd", "--out", "o.xlsx")
    assert res.exit_code == 2 and "unsupported" in res.output
    assert not out.exists()
