"""The national overview: every district's and state's exports in one period, the
concentration curve, the sector mix. Used by the web pages and the API.

Like the other services, each function opens the store read-only, answers from one release
(:func:`dehub.facts.catalog.choose_release`) and says which (``source``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dehub.analytics.concentration import concentration_summary, lorenz_curve
from dehub.errors import NotFound
from dehub.facts.catalog import HS_LEVELS, choose_release
from dehub.facts.queries import district_sector_values, latest_period
from dehub.facts.store import FactStore
from dehub.reference.tables import read_reference
from dehub.settings import Settings

SECTOR_PRODUCTS = ("sector", *HS_LEVELS)


def _district_frame(settings: Settings, period: str | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """District x sector values of one release, with the chosen period and provenance."""
    with FactStore.open(settings, read_only=True) as store:
        per = period or latest_period(store, "district")
        if per is None:
            raise NotFound("no district-level data is loaded; run `dehub init` or `dehub ingest`")
        choice = choose_release(store, geo="district", period=per, products=SECTOR_PRODUCTS)
        df = district_sector_values(store, choice, per)
    return df, {"period": per, "source": choice.provenance()}


def district_table(settings: Settings, period: str | None = None) -> dict[str, Any]:
    """Every district of the reference list with its exports in one period.

    Output: ``period``, ``currency`` (USD), ``india_total_usd`` (including exports not
    attributed to a district), ``unattributed_usd``, ``source``, and ``districts``: a list of
    ``lgd_code``, ``name``, ``state_code``, ``state_name``, ``value_usd`` (0 where the data has
    none), ``share_of_india`` and ``rank`` (1 = largest; None without exports).
    """
    df, meta = _district_frame(settings, period)
    total = float(df["value_usd"].sum())
    located = df[df["geo_level"] == "district"]
    values = located.groupby("district_code")["value_usd"].sum()
    ref = read_reference("districts.csv")[["district_code", "district_name", "state_code"]]
    states = read_reference("states.csv")[["state_code", "state_name"]]
    table = ref.merge(states, on="state_code", how="left")
    table["value_usd"] = table["district_code"].map(values).astype("float64").fillna(0.0)
    table["share_of_india"] = table["value_usd"] / total if total else float("nan")
    ranks = table["value_usd"].where(table["value_usd"] > 0).rank(ascending=False, method="min")
    table["rank"] = ranks.astype("Int64")
    table = table.sort_values(["value_usd", "district_name"], ascending=[False, True])
    table = table.rename(columns={"district_code": "lgd_code", "district_name": "name"})
    records = table.astype(object).where(table.notna(), None).to_dict("records")
    return {
        **meta,
        "currency": "USD",
        "india_total_usd": total,
        "unattributed_usd": float(df.loc[df["geo_level"] != "district", "value_usd"].sum()),
        "districts": records,
    }


def state_table(settings: Settings, period: str | None = None) -> dict[str, Any]:
    """Every state and UT with its exports (sum of its districts and of its exports not
    attributed to a district), share of India, rank and number of districts with exports."""
    df, meta = _district_frame(settings, period)
    total = float(df["value_usd"].sum())
    in_state = df[df["state_code"].notna()]
    values = in_state.groupby("state_code")["value_usd"].sum()
    per_district = in_state[in_state["geo_level"] == "district"].groupby("district_code")
    district_state = per_district["state_code"].first()
    active = per_district["value_usd"].sum()
    n_active = district_state[active > 0].value_counts()
    table = read_reference("states.csv")[["state_code", "state_name", "kind"]].copy()
    table["value_usd"] = table["state_code"].map(values).astype("float64").fillna(0.0)
    table["share_of_india"] = table["value_usd"] / total if total else float("nan")
    table["districts_with_exports"] = (
        table["state_code"].map(n_active).astype("float64").fillna(0).astype(int)
    )
    ranks = table["value_usd"].where(table["value_usd"] > 0).rank(ascending=False, method="min")
    table["rank"] = ranks.astype("Int64")
    table = table.sort_values(["value_usd", "state_name"], ascending=[False, True])
    table = table.rename(columns={"state_code": "lgd_code", "state_name": "name"})
    return {
        **meta,
        "currency": "USD",
        "india_total_usd": total,
        "not_located_usd": float(df.loc[df["state_code"].isna(), "value_usd"].sum()),
        "states": table.astype(object).where(table.notna(), None).to_dict("records"),
    }


def national_overview(settings: Settings, period: str | None = None) -> dict[str, Any]:
    """The national page's figures: India's total, the district concentration summary and its
    Lorenz curve (districts ranked by exports, largest first; shares of India's total
    including unattributed exports), and the sector mix.

    ``lorenz``: list of ``{"units": k, "share": cumulative share of the top k districts}``
    starting at ``(0, 0)``; see :func:`dehub.analytics.concentration.lorenz_curve`.
    """
    df, meta = _district_frame(settings, period)
    located = df[df["geo_level"] == "district"]
    values = located.groupby("district_code")["value_usd"].sum().astype(float)
    unattributed = float(df.loc[df["geo_level"] != "district", "value_usd"].sum())
    total = float(values.sum()) + unattributed
    summary = dict(
        concentration_summary(
            values, unattributed=unattributed, period=meta["period"], unit_label="district"
        )
    )
    curve = lorenz_curve(values[values > 0], total=total)
    sectors_ref = read_reference("sectors.csv")
    by_sector = df.groupby("sector", dropna=False)["value_usd"].sum()
    sectors = pd.DataFrame({"sector": by_sector.index, "value_usd": by_sector.to_numpy()})
    sectors = sectors.merge(sectors_ref, on="sector", how="left")
    sectors["label"] = sectors["label"].fillna("Other")
    sectors["broad_sector"] = sectors["broad_sector"].fillna("other")
    sectors["share"] = sectors["value_usd"] / total if total else float("nan")
    sectors = sectors.sort_values("value_usd", ascending=False)
    broad = sectors.groupby("broad_sector")["value_usd"].sum().reset_index()
    broad["share"] = broad["value_usd"] / total if total else float("nan")
    return {
        **meta,
        "currency": "USD",
        "total_usd": total,
        "unattributed_usd": unattributed,
        "concentration": summary,
        "lorenz": curve.to_dict("records"),
        "sectors": sectors.astype(object).where(sectors.notna(), None).to_dict("records"),
        "broad_sectors": broad.sort_values("value_usd", ascending=False).to_dict("records"),
    }
