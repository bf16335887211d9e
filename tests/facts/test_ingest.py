"""Loading good files: every layout, releases, idempotency, replacement, merges."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import openpyxl
import pytest
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.facts.store import FactStore
from dehub.settings import Settings
from tests.helpers import store_snapshot

runner = CliRunner()
FY = "April, 24 To March, 25"
FY23 = "April, 23 To March, 24"
HEADER = (
    f'State,District,HS Code,Commodity Description,Country,"{FY} Value(US $)","{FY} Value(INR)"'
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def ingest(*args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["ingest", *args, "--json"])
    return result.exit_code, json.loads(result.output)


def facts(settings: Settings, where: str = "TRUE") -> list[tuple]:
    with FactStore.open(settings, read_only=True) as st:
        return st.con.execute(
            "SELECT period, geo_level, state_code, district_code, product_level, product_code,"
            f" partner_code, value_usd, value_inr FROM facts_active WHERE {where} ORDER BY ALL"
        ).fetchall()


def test_official_district_file_with_country_loads_to_codes(settings: Settings, tmp_path: Path):
    path = write(
        tmp_path / "dist.csv",
        "\n".join(
            [
                HEADER,
                "GUJARAT,AHMADABAD,01012100,PURE-BRED BREEDING HORSES,U S A,1000,83000",
                "MEGHALAYA,RI BHOI,12119080,AGARWOOD,SAUDI ARAB,2000000,166000000",
                "GUJARAT,UNSPECIFIED,12119080,AGARWOOD,BANGLADESH PR,5,400",
                "ANDHRA PRADESH,Y.S.R.,12119080,AGARWOOD,U S A,7,560",
            ]
        )
        + "\n",
    )
    code, out = ingest(str(path))
    assert code == 0, out
    [result] = out["results"]
    assert result["status"] == "loaded" and result["layout"] == "dgcis-district"
    assert result["facts_loaded"] == 4 and result["periods"] == ["2024-25"]
    rows = facts(settings)
    assert ("2024-25", "district", "24", "438", "HS8", "01012100", "USA", 1000.0, 83000.0) in rows
    assert ("2024-25", "district", "17", "276", "HS8", "12119080", "SAU", 2e6, 1.66e8) in rows
    # DGCI&S "UNSPECIFIED" stays a bucket of its own, with its state, never a district
    assert ("2024-25", "unattributed", "24", None, "HS8", "12119080", "BGD", 5.0, 400.0) in rows
    with FactStore.open(settings, read_only=True) as st:
        [release] = st.releases()
    assert release.product_levels == ["HS8"] and release.by_partner and not release.by_port
    assert release.geo_levels == ["district", "unattributed"]


def test_two_periods_unpivot_and_empty_cells_are_skipped(settings: Settings, tmp_path: Path):
    header = (
        f'State,District,HS Code,Commodity Description,"{FY23} Value(US $)",'
        f'"{FY23} Value(INR)","{FY} Value(US $)","{FY} Value(INR)"'
    )
    path = write(
        tmp_path / "two.csv",
        "\n".join(
            [
                header,
                "GUJARAT,AHMADABAD,0101,HORSES,10,800,20,1700",
                "GUJARAT,SURAT,0101,HORSES,,,30,2500",
            ]
        )
        + "\n",
    )
    code, out = ingest(str(path))
    assert code == 0, out
    assert out["results"][0]["periods"] == ["2023-24", "2024-25"]
    assert any("1 period cell" in n for n in out["results"][0]["notes"])
    assert len(facts(settings)) == 3


def test_xlsx_with_title_rows_and_numeric_hs_codes(settings: Settings, tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["District-wise exports, April 2024 to March 2025"])
    ws.append([])
    ws.append(
        [
            "State",
            "District",
            "HS Code",
            "Commodity Description",
            f"{FY} Value(US $)",
            f"{FY} Value(INR)",
        ]
    )
    ws.append(["GUJARAT", "AHMADABAD", 1012100, "HORSES", 1000, 83000])  # leading zero lost
    ws.append(["MEGHALAYA", "RI BHOI", "12119080", "AGARWOOD", 2000000.5, 166000000])
    path = tmp_path / "dist.xlsx"
    wb.save(path)
    code, out = ingest(str(path))
    assert code == 0, out
    notes = " ".join(out["results"][0]["notes"])
    assert "skipped 3 title row(s)" in notes or "skipped 2 title row(s)" in notes
    assert "1 HS code(s) had lost a leading zero, restored (e.g. 1012100 -> 01012100)" in notes
    codes = {r[5] for r in facts(settings)}
    assert codes == {"01012100", "12119080"}


def test_same_file_twice_is_a_no_op(settings: Settings, tmp_path: Path):
    path = write(tmp_path / "a.csv", HEADER + "\nGUJARAT,AHMADABAD,0101,HORSES,U S A,1,80\n")
    assert ingest(str(path))[0] == 0
    before = store_snapshot(settings)
    code, out = ingest(str(path))
    assert code == 0 and out["results"][0]["status"] == "unchanged"
    assert store_snapshot(settings) == before


def test_new_release_of_same_period_needs_replace_and_keeps_history(
    settings: Settings, tmp_path: Path
):
    old = write(tmp_path / "old.csv", HEADER + "\nGUJARAT,AHMADABAD,0101,HORSES,U S A,1,80\n")
    new = write(tmp_path / "new.csv", HEADER + "\nGUJARAT,AHMADABAD,0101,HORSES,U S A,2,160\n")
    assert ingest(str(old))[0] == 0
    before = store_snapshot(settings)
    code, out = ingest(str(new))
    assert code == 5 and out["status"] == 409
    assert "--replace" in out["errors"][0]["message"]
    assert store_snapshot(settings) == before
    code, out = ingest(str(new), "--replace")
    assert code == 0 and out["results"][0]["replaced"] == [1]
    assert [r[7] for r in facts(settings)] == [2.0]  # queries see the new release only
    with FactStore.open(settings, read_only=True) as st:
        releases = st.releases()
        assert [(r.release_id, r.status, r.superseded_by) for r in releases] == [
            (1, "superseded", 2),
            (2, "active", None),
        ]
        assert st.fact_count() == 2  # the old facts stay in history


def test_replace_refuses_to_drop_periods_the_new_file_lacks(settings: Settings, tmp_path: Path):
    header = f'State,District,HS Code,Commodity Description,"{FY23} Value(US $)","{FY} Value(US $)"'
    both = write(tmp_path / "both.csv", header + "\nGUJARAT,AHMADABAD,0101,HORSES,1,2\n")
    one = write(tmp_path / "one.csv", HEADER + "\nGUJARAT,AHMADABAD,0101,HORSES,U S A,1,80\n")
    assert ingest(str(both))[0] == 0
    one_wld = write(
        tmp_path / "one_wld.csv",
        "\n".join(
            [
                f'State,District,HS Code,Commodity Description,"{FY} Value(US $)"',
                "GUJARAT,AHMADABAD,0101,HORSES,3",
            ]
        )
        + "\n",
    )
    code, out = ingest(str(one_wld), "--replace")
    assert code == 5 and "2023-24" in out["errors"][0]["message"]
    # a file by partner is another granularity: no conflict with the all-partner release
    assert ingest(str(one))[0] == 0


def test_hs4_and_hs8_files_of_one_period_coexist(settings: Settings, tmp_path: Path):
    hs4 = write(tmp_path / "hs4.csv", HEADER + "\nGUJARAT,AHMADABAD,0101,HORSES,U S A,1,80\n")
    hs8 = write(tmp_path / "hs8.csv", HEADER + "\nGUJARAT,AHMADABAD,01012100,HORSES,U S A,1,80\n")
    assert ingest(str(hs4))[0] == 0
    assert ingest(str(hs8))[0] == 0
    with FactStore.open(settings, read_only=True) as st:
        assert sorted(r.product_levels[0] for r in st.releases()) == ["HS4", "HS8"]


def test_spellings_of_one_place_are_added_together_and_reported(settings: Settings, tmp_path: Path):
    path = write(
        tmp_path / "ports.csv",
        "\n".join(
            [
                "State ,Port,Country,AM24_INR,AM24_USD",
                "DADRA & NAGAR HAVELI,NHAVA SHEVA SEA,U S A,830,10",
                "DAMAN & DIU,NHAVA SHEVA SEA,U S A,1660,20",
                "GUJARAT,MUNDRA,U S A,83,1",
            ]
        )
        + "\n",
    )
    code, out = ingest(str(path))
    assert code == 0, out
    result = out["results"][0]
    assert result["layout"] == "dgcis-state-port" and result["periods"] == ["2023-24"]
    assert result["facts_loaded"] == 2
    assert any("1 row(s) were added to another row" in n for n in result["notes"])
    rows = facts(settings, "state_code = '38'")
    assert rows == [("2023-24", "state", "38", None, "total", "TOTAL", "USA", 30.0, 2490.0)]


def test_canonical_parquet(settings: Settings, tmp_path: Path):
    path = tmp_path / "canon.parquet"
    duckdb.execute(f"""
        COPY (SELECT * FROM (VALUES
            ('2024-04', 'district', 'Gujarat', 'Ahmedabad', '0101', 'USA', 10.0),
            ('2024-04', 'state', '24', NULL, 'TOTAL', 'World', 99.0),
            ('2024-04', 'national', NULL, NULL, 'footwear', NULL, 5.0)
        ) t(period, geo_level, state, district, product_code, partner, value_usd))
        TO '{path}' (FORMAT parquet)
    """)
    code, out = ingest(str(path))
    assert code == 0, out
    assert sorted(r[1:7] for r in facts(settings)) == sorted(
        [
            ("district", "24", "438", "HS4", "0101", "USA"),
            ("state", "24", None, "total", "TOTAL", "WLD"),
            ("national", None, None, "sector", "footwear", "WLD"),
        ]
    )


def test_missing_file_is_a_clear_error(settings: Settings, tmp_path: Path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_init_loads_the_bundled_data_idempotently(initialised_settings: Settings):
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    by_source = {r["source"]: r for r in status["releases"]}
    assert set(by_source) == {
        "dgcis_district_sector",
        "dgcis_state_port",
        "eidb_hs8_country",
        "eidb_india_total",
    }
    # totals as documented in the sources' PROVENANCE (US$ bn)
    assert by_source["dgcis_district_sector"]["total_usd"] / 1e9 == pytest.approx(437.66, abs=0.01)
    assert by_source["dgcis_state_port"]["total_usd"] / 1e9 == pytest.approx(437.08, abs=0.01)
    assert by_source["eidb_hs8_country"]["row_count"] >= 2_842_000
    assert by_source["eidb_hs8_country"]["periods"][0] == "2017-18"
    with FactStore.open(initialised_settings, read_only=True) as st:
        n_districts, unattributed = st.con.execute(
            "SELECT count(DISTINCT district_code) FILTER (geo_level = 'district'),"
            " sum(value_usd) FILTER (geo_level = 'unattributed')"
            " FROM facts_active WHERE source = 'dgcis_district_sector'"
        ).fetchone()
        agarwood = st.con.execute(
            "SELECT period, value_usd FROM facts_active WHERE source = 'eidb_hs8_country' AND "
            "product_code = '12119080' AND period IN ('2021-22', '2022-23') AND partner_code <> "
            "'WLD'"
        ).fetchall()
    assert n_districts == 675  # 676 named DGCI&S districts, one alias folds HARYANA/SOUTH
    assert unattributed > 0
    by_fy: dict[str, float] = {}
    for fy, usd in agarwood:
        by_fy[fy] = by_fy.get(fy, 0.0) + usd
    # PROVENANCE: agarwood national exports US$ 2.90 mn (FY2021-22), 3.98 mn (FY2022-23)
    assert by_fy["2021-22"] / 1e6 == pytest.approx(2.90, abs=0.02)
    assert by_fy["2022-23"] / 1e6 == pytest.approx(3.98, abs=0.02)
    before = store_snapshot(initialised_settings)
    again = runner.invoke(app, ["init", "--json"])
    assert again.exit_code == 0
    assert {r["status"] for r in json.loads(again.output)["results"]} == {"unchanged"}
    assert store_snapshot(initialised_settings) == before


@pytest.mark.slow
def test_a_file_larger_than_the_memory_limit_loads(tmp_path: Path, monkeypatch):
    """2.8 M rows (~400 MB as strings in memory) under a 150 MB limit: DuckDB spills to disk."""
    from dehub.facts.bundled import BUNDLED
    from dehub.services.facts import ingest_files

    eidb = next(b for b in BUNDLED if b.layout == "eidb-hs8-country")
    src = tmp_path / "eidb.csv.gz"
    duckdb.execute(f"COPY (SELECT * FROM '{eidb.path}') TO '{src}' (HEADER)")
    small = Settings(home=tmp_path / "home", duckdb_memory_limit="150MB")
    [result] = ingest_files(small, [src])
    assert result.status == "loaded" and result.facts_loaded == 2_842_584


def test_a_store_of_another_schema_version_is_refused_with_advice(settings: Settings):
    settings.home.mkdir(parents=True)
    con = duckdb.connect(str(settings.facts_path))
    con.execute("CREATE TABLE facts (x INTEGER)")  # a store made before schema versions
    con.close()
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 6
    assert "schema version 1" in result.output and "dehub init" in result.output


def test_parquet_floats_with_exponents_load_exactly(settings: Settings, tmp_path: Path):
    """DuckDB writes 1e-05 and 1e+20 for these doubles; value cells must be plain decimals,
    so the reader writes them out (0.00001, 100000000000000000000) rather than refusing them."""
    path = tmp_path / "floats.parquet"
    duckdb.execute(f"""
        COPY (SELECT * FROM (VALUES
            ('2024-25', 'district', 'Gujarat', 'Ahmedabad', '0101', 1e-5::DOUBLE),
            ('2024-25', 'district', 'Gujarat', 'Surat', '0101', 1e20::DOUBLE)
        ) t(period, geo_level, state, district, product_code, value_usd))
        TO '{path}' (FORMAT parquet)
    """)
    code, out = ingest(str(path))
    assert code == 0, out
    assert sorted(r[7] for r in facts(settings)) == [1e-5, 1e20]


def test_unknown_port_labels_are_kept_and_counted_once(settings: Settings, tmp_path: Path):
    path = write(
        tmp_path / "ports.csv",
        "State,Port,Country,AM24_USD,AM24_INR\n"
        "GUJARAT,MUNDRA,U S A,10,830\n"
        "GUJARAT,NOWHERE HARBOUR,U S A,5,415\n"
        "GUJARAT,NOWHERE HARBOUR,GERMANY,5,415\n",
    )
    code, out = ingest(str(path))
    assert code == 0, out
    notes = out["results"][0]["notes"]
    assert [n for n in notes if "port label" in n] == [
        "1 port label(s) are not in the reference list of customs ports; kept under their own name"
    ]


def test_different_names_of_one_place_are_still_added_together(settings: Settings, tmp_path):
    """Names that are documented aliases of one district (not mere case or spacing variants)
    are added together and reported with the names; the same name twice is a duplicate."""
    header = f'State,District,HS Code,Commodity Description,"{FY} Value(US $)"'
    path = write(
        tmp_path / "aliases.csv",
        f"{header}\nGUJARAT,AHMADABAD,0101,HORSES,1\nGUJARAT,AHMEDABAD,0101,HORSES,2\n",
    )
    code, out = ingest(str(path))
    assert code == 0, out
    notes = " ".join(out["results"][0]["notes"])
    assert "1 row(s) were added to another row" in notes
    assert "'AHMADABAD' and 'AHMEDABAD' in column 'District'" in notes
    assert [r[7] for r in facts(settings)] == [3.0]


def test_a_problem_of_a_wide_file_is_reported_once(settings: Settings, tmp_path: Path):
    """Line 3 of a two-period file has an unknown district: one problem, not one per period."""
    from tests.facts import corpus

    result = runner.invoke(app, ["ingest", str(corpus.two_periods_unknown_district(tmp_path))])
    assert result.exit_code == 3, result.output
    assert result.output.count("unknown district 'AHMEDABD'") == 1, result.output
    report = next((settings.quarantine_dir).glob("*.rejected.csv")).read_text()
    assert report.count("unknown district") == 1, report
