"""Analytics use cases over the facts store: concentration and the district profile.

Each function opens the store read-only, picks one release per question
(:func:`dehub.facts.catalog.choose_release`), reads tidy data (:mod:`dehub.facts.queries`),
runs the pure functions of :mod:`dehub.analytics`, and returns plain dicts with a ``source``
block saying which release answered.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dehub.analytics.complexity import complexity_long
from dehub.analytics.concentration import concentration_summary
from dehub.analytics.diversification import (
    count_rca_at_least_one,
    margins,
    n_products,
    normalised_entropy,
    shannon_entropy,
    top_share,
)
from dehub.analytics.dominance import composition, dominant, product_dominance
from dehub.analytics.rca import rca_long
from dehub.errors import InvalidInput, NotFound
from dehub.facts.catalog import SECTOR_PRODUCTS, choose_latest, hs_levels_from
from dehub.facts.queries import (
    district_products,
    district_sector_values,
    product_partner_values,
    release_periods,
)
from dehub.facts.schema import WORLD, period_kind
from dehub.facts.store import FactStore
from dehub.reference.geography import resolve_district, resolve_state
from dehub.reference.tables import read_reference
from dehub.settings import Settings

CONCENTRATION_BY = ("district", "state", "product", "partner")
CONCENTRATION_LEVELS = SECTOR_PRODUCTS


def _names(kind: str) -> dict[str, str]:
    """Code -> display name for districts, states, countries, sectors or HS codes."""
    if kind == "product":
        hs = read_reference("hs_codes.csv")
        itc = read_reference("itchs8.csv")
        return dict(zip(hs["code"], hs["description"], strict=True)) | dict(
            zip(itc["hs8"], itc["description"], strict=True)
        )
    table, code, name = {
        "district": ("districts.csv", "district_code", "district_name"),
        "state": ("states.csv", "state_code", "state_name"),
        "partner": ("countries.csv", "iso3", "name"),
        "sector": ("sectors.csv", "sector", "label"),
    }[kind]
    ref = read_reference(table)
    return dict(zip(ref[code].astype(str), ref[name].astype(str), strict=True))


def _series(df: pd.DataFrame, key: str) -> pd.Series:
    return df.groupby(key, observed=True)["value_usd"].sum().astype(float)


def concentration_level(by: str, level: str | None) -> str | None:
    """Check a ``by``/``level`` pair of :func:`concentration_report`: the product level for
    ``by="product"`` (``sector`` or HS2..HS8, default HS8, case-insensitive), ``None`` for the
    other units, which take no level; :class:`InvalidInput` for any other combination."""
    if by not in CONCENTRATION_BY:
        raise InvalidInput(f"--by must be one of {', '.join(CONCENTRATION_BY)}, got {by!r}")
    allowed = (
        f"--level goes only with --by product ({', '.join(CONCENTRATION_LEVELS)}; default HS8);"
        " --by district, state and partner take no --level"
    )
    if by != "product":
        if level is not None:
            raise InvalidInput(f"--level {level} does not apply to --by {by}: {allowed}")
        return None
    chosen = (level or "HS8").strip()
    chosen = chosen.upper() if chosen.upper().startswith("HS") else chosen.lower()
    if chosen not in CONCENTRATION_LEVELS:
        raise InvalidInput(f"unknown --level {level!r}: {allowed}")
    return chosen


def concentration_report(
    settings: Settings,
    *,
    by: str = "district",
    period: str | None = None,
    level: str | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """Concentration of India's exports across districts, states, products or partners.

    Shares are of India's total in the chosen release *including* exports not attributed to a
    unit (reported as ``unattributed``, never ranked). ``level`` is the product level for
    ``by="product"`` only (HS2..HS8 from national data, default HS8, or ``sector`` from the
    district-wise data); districts and states come from the district-wise data, partners from
    national data by partner (see :func:`concentration_level`).
    """
    product_level = concentration_level(by, level)
    with FactStore.open(settings, read_only=True) as store:
        if by in ("district", "state") or product_level == "sector":
            choice = choose_latest(
                store, geo="district", period=period, products=SECTOR_PRODUCTS, source=source
            )
            per = str(choice.period)
            df = district_sector_values(store, choice, per)
            key = {"district": "district_code", "state": "state_code"}.get(by, "sector")
            # not a unit: exports not attributed to a district or a state, or outside the
            # 22 sectors (HS chapter 37, say)
            located = df["geo_level"] == "district" if by == "district" else df[key].notna()
        else:
            hs = product_level or "HS2"  # by partner: products of any HS level are summed
            choice = choose_latest(
                store,
                geo="national",
                period=period,
                products=hs_levels_from(hs),
                by_partner=True if by == "partner" else None,
                source=source,
            )
            per = str(choice.period)
            df = product_partner_values(store, choice, per, hs)
            key = "product_code" if by == "product" else "partner_code"
            # exports without a partner country (WLD rows) are not a partner
            located = pd.Series(True, index=df.index) if by == "product" else df[key] != WORLD
    values, unattributed = _series(df[located], key), df[~located]
    unit = "sector" if product_level == "sector" else by
    summary: dict[str, Any] = dict(
        concentration_summary(
            values,
            unattributed=float(unattributed["value_usd"].sum()),
            period=per,
            unit_label=f"product ({product_level})" if by == "product" else by,
        )
    )
    names = _names(unit)
    top = values.sort_values(ascending=False).head(10)
    total = summary["total"]
    summary["top_units"] = [
        {
            "code": code,
            "name": names.get(str(code), str(code)),
            "value_usd": float(v),
            "share": float(v / total) if total else None,
        }
        for code, v in top.items()
    ]
    summary["currency"] = "USD"
    summary["source"] = choice.provenance()
    return summary


def _district_matrix(df: pd.DataFrame) -> pd.DataFrame:
    """Locations x sectors in long form, the unattributed part as one pseudo-location so that
    India's totals include it (domestic RCA uses India as the 'world')."""
    located = df["geo_level"] == "district"
    loc = df["district_code"].where(located, "unattributed")
    out = (
        df.assign(loc=loc)
        .groupby(["loc", "sector"], observed=True, as_index=False)["value_usd"]
        .sum()
    )
    located_rows: pd.DataFrame = out[out["sector"].notna()]
    return located_rows


def district_profile(
    settings: Settings, text: str, *, state: str | None = None, period: str | None = None
) -> dict[str, Any]:
    """Everything dehub knows about a district's exports in one period (see docs/cli.md)."""
    district = resolve_district(text, state)
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="district", period=period, products=SECTOR_PRODUCTS)
        per = str(choice.period)
        df = district_sector_values(store, choice, per)
    india_total = float(df["value_usd"].sum())
    by_district = _series(df[df["geo_level"] == "district"], "district_code")
    by_district = by_district[by_district > 0].sort_values(ascending=False)
    own = float(by_district.get(district.code, 0.0))
    rank = (
        int(by_district.rank(ascending=False, method="min")[district.code])
        if district.code in by_district.index
        else None
    )
    matrix = _district_matrix(df)
    rca = rca_long(matrix, "loc", "sector", "value_usd")
    dom = product_dominance(
        matrix, "loc", "sector", "value_usd", located=matrix["loc"] != "unattributed"
    )
    mine = (
        matrix[matrix["loc"] == district.code]
        .merge(rca[["loc", "sector", "rca", "mcp"]], on=["loc", "sector"], how="left")
        .merge(
            dom[["loc", "sector", "share_of_product", "rank_in_product"]],
            on=["loc", "sector"],
            how="left",
        )
    )
    sectors_ref = read_reference("sectors.csv").set_index("sector")
    mine = mine[mine["value_usd"] > 0].sort_values("value_usd", ascending=False)
    records: list[dict[str, Any]] = mine.to_dict("records")  # type: ignore[assignment]
    sectors = [
        {
            "sector": row["sector"],
            "label": str(sectors_ref.loc[row["sector"], "label"]),
            "broad_sector": str(sectors_ref.loc[row["sector"], "broad_sector"]),
            "value_usd": float(row["value_usd"]),
            "share_of_district": float(row["value_usd"]) / own if own else None,
            "share_of_india": float(row["share_of_product"]),
            "rank_among_districts": int(row["rank_in_product"]),
            "domestic_rca": float(row["rca"]),
        }
        for row in records
    ]
    broad = composition(
        pd.DataFrame(sectors, columns=["broad_sector", "value_usd"]), "broad_sector", "value_usd"
    )
    state_rows = df[df["state_code"] == district.state_code]
    state_total = float(state_rows["value_usd"].sum())
    in_state = _series(state_rows[state_rows["geo_level"] == "district"], "district_code")
    in_state = in_state[in_state > 0]
    return {
        "district": {"lgd_code": district.code, "name": district.name},
        "state": {"lgd_code": district.state_code, "name": district.state_name},
        "period": per,
        "currency": "USD",
        "total_usd": own,
        "total_inr": float(df.loc[df["district_code"] == district.code, "value_inr"].sum()),
        "rank": rank,
        "districts_with_exports": int(len(by_district)),
        "share_of_india": own / india_total if india_total else None,
        "india_total_usd": india_total,
        "sectors": sectors,
        "broad_sectors": broad.to_dict("records"),
        "competitive_sectors": [s["sector"] for s in sectors if float(s["domestic_rca"]) >= 1],
        "dominance": sorted(
            (s for s in sectors if float(s["share_of_india"]) >= 0.05),
            key=lambda s: -float(s["share_of_india"]),
        ),
        "state_context": {
            "state_total_usd": state_total,
            "share_of_state": own / state_total if state_total else None,
            "rank_in_state": (
                int(in_state.rank(ascending=False, method="min")[district.code])
                if district.code in in_state.index
                else None
            ),
            "districts_in_state_with_exports": int(len(in_state)),
        },
        "eci": _district_eci(matrix, district.code),
        "source": choice.provenance(),
    }


def _district_eci(matrix: pd.DataFrame, code: str) -> dict[str, Any] | None:
    """ECI of the district on the district x sector matrix, where computable."""
    located = matrix[matrix["loc"] != "unattributed"]
    try:
        result = complexity_long(located, "loc", "sector", "value_usd")
    except InvalidInput:
        return None
    row = result[result["loc"] == code]
    if row.empty or np.isnan(row["eci"].iloc[0]):
        return None
    eci = result.drop_duplicates("loc").set_index("loc")["eci"]
    return {
        "value": float(row["eci"].iloc[0]),
        "rank": int(eci.rank(ascending=False, method="min")[code]),
        "of": int(eci.notna().sum()),
        "basis": "district x 22-sector matrix (coarse; HS-level district files give a finer ECI)",
    }


def sector_composition(
    settings: Settings,
    *,
    state: str | None = None,
    district: str | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """Sector mix (the data's 22 sectors, and agriculture and allied / minerals /
    manufacturing) of India, a state or a district, from the district-wise data."""
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="district", period=period, products=SECTOR_PRODUCTS)
        per = str(choice.period)
        df = district_sector_values(store, choice, per)
    scope: dict[str, Any] = {"level": "national", "name": "India"}
    if district:
        d = resolve_district(district, state)
        df = df[df["district_code"] == d.code]
        scope = {"level": "district", "lgd_code": d.code, "name": d.name, "state": d.state_name}
    elif state:
        st = resolve_state(state)
        df = df[df["state_code"] == st.code]
        scope = {"level": "state", "lgd_code": st.code, "name": st.name}
    ref = read_reference("sectors.csv")
    df = df.merge(ref[["sector", "label", "broad_sector"]], on="sector", how="left")
    df["broad_sector"] = df["broad_sector"].fillna("other")
    sectors = composition(df.assign(sector=df["sector"].fillna("other")), "sector", "value_usd")
    labels = dict(zip(ref["sector"], ref["label"], strict=True))
    sectors["label"] = sectors["sector"].map(labels).fillna("Other")
    broad = composition(df, "broad_sector", "value_usd")
    return {
        "scope": scope,
        "period": per,
        "currency": "USD",
        "total_usd": float(df["value_usd"].sum()),
        "sectors": sectors.to_dict("records"),
        "broad_sectors": broad.to_dict("records"),
        "source": choice.provenance(),
    }


def dominance_report(
    settings: Settings, *, threshold: float = 0.5, period: str | None = None
) -> dict[str, Any]:
    """Products in which one district ships at least ``threshold`` of India's exports, at the
    finest product level the district data has (sectors in the bundled data, HS codes when an
    official district x HS file is loaded)."""
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="district", period=period, products=SECTOR_PRODUCTS)
        per = str(choice.period)
        df = district_products(store, choice, per)
    located = df["geo_level"] == "district"
    loc = df["district_code"].where(located, "unattributed")
    data = df.assign(loc=loc)
    dom = product_dominance(data, "loc", "product_code", "value_usd", located=located)
    hits = dominant(dom, threshold)
    names = _names("district")
    level = str(df["product_level"].iloc[0]) if len(df) else None
    return {
        "period": per,
        "threshold": threshold,
        "product_level": level,
        "currency": "USD",
        "products": [
            {
                "product_code": r["product_code"],
                "district": {"lgd_code": r["loc"], "name": names.get(str(r["loc"]), r["loc"])},
                "value_usd": float(r["value_usd"]),
                "india_total_usd": float(r["product_total"]),
                "share_of_india": float(r["share_of_product"]),
            }
            for r in hits.to_dict("records")
        ],
        "source": choice.provenance(),
    }


def diversification_report(
    settings: Settings,
    *,
    district: str | None = None,
    state: str | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """How diversified a district's (or a state's) exports are, at the finest product level of
    the district-wise data: products with exports, entropy, top product share, products with
    domestic RCA >= 1; margins against the previous period when one is loaded."""
    if not district and not state:
        raise InvalidInput("give --district or --state")
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="district", period=period, products=SECTOR_PRODUCTS)
        per = str(choice.period)
        df = district_products(store, choice, per)
        kind = period_kind(per)
        earlier = [
            p
            for p in release_periods(store, choice, "district", SECTOR_PRODUCTS)
            if p < per and period_kind(p) == kind
        ]
        prev_df = district_products(store, choice, earlier[-1]) if earlier else None
    if prev_df is not None and set(prev_df["product_level"]) != set(df["product_level"]):
        prev_df = None  # products of another level cannot be compared one by one
    if district:
        d = resolve_district(district, state)
        key, code = "district_code", d.code
        scope = {"level": "district", "lgd_code": d.code, "name": d.name, "state": d.state_name}
        loc = df["district_code"].where(df["geo_level"] == "district", "unattributed")
    else:
        st = resolve_state(state or "")
        key, code = "state_code", st.code
        scope = {"level": "state", "lgd_code": st.code, "name": st.name}
        loc = df["state_code"].fillna("unattributed")
    matrix = df.assign(loc=loc).groupby(["loc", "product_code"])["value_usd"].sum().reset_index()
    rca = rca_long(matrix, "loc", "product_code", "value_usd")
    own = matrix[matrix["loc"] == code].set_index("product_code")["value_usd"]
    if own.sum() <= 0:
        raise NotFound(f"{scope['name']} has no exports in {per} in the loaded data")
    own_rca = rca[rca["loc"] == code].set_index("product_code")["rca"]
    result: dict[str, Any] = {
        "scope": scope,
        "period": per,
        "product_level": str(df["product_level"].iloc[0]),
        "currency": "USD",
        "total_usd": float(own.sum()),
        "n_products": n_products(own),
        "n_potential_products": int(matrix["product_code"].nunique()),
        "entropy": shannon_entropy(own),
        "normalised_entropy": normalised_entropy(own),
        "top_product": str(own.idxmax()),
        "top_product_share": top_share(own),
        "products_with_rca_at_least_1": count_rca_at_least_one(own_rca),
        "n_partners": None,
        "margins": None,
        "notes": [],
        "source": choice.provenance(),
    }
    if not choice.release.by_partner:
        result["notes"].append("the district-wise data loaded has no partner countries")
    if prev_df is not None:
        prev_own = prev_df[prev_df[key] == code].groupby("product_code")["value_usd"].sum()
        result["margins"] = dict(margins(prev_own, own))
        result["previous_period"] = earlier[-1]
    else:
        result["notes"].append(
            "no earlier period at the same product level in the release answering "
            f"{per}: no extensive/intensive margins"
        )
    return result


def domestic_rca_report(
    settings: Settings,
    *,
    district: str | None = None,
    state: str | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """Domestic RCA (Balassa 1965, India as the 'world') of districts by product, at the finest
    product level of the district-wise data; filtered to a district or a state's districts.

    India's product totals include exports not attributed to a district. International RCA
    (India vs the world) is :func:`dehub.services.international.international_rca_report`.
    """
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="district", period=period, products=SECTOR_PRODUCTS)
        per = str(choice.period)
        df = district_products(store, choice, per)
    loc = df["district_code"].where(df["geo_level"] == "district", "unattributed")
    matrix = df.assign(loc=loc).groupby(["loc", "product_code"])["value_usd"].sum().reset_index()
    rca = rca_long(matrix, "loc", "product_code", "value_usd")
    rca = rca[(rca["loc"] != "unattributed") & (rca["value_usd"] > 0)]
    states = df.drop_duplicates("district_code").set_index("district_code")["state_code"]
    if district:
        rca = rca[rca["loc"] == resolve_district(district, state).code]
    elif state:
        rca = rca[rca["loc"].map(states) == resolve_state(state).code]
    names = _names("district")
    rows = [
        {
            "district": {"lgd_code": r["loc"], "name": names.get(str(r["loc"]), r["loc"])},
            "product_code": r["product_code"],
            "value_usd": float(r["value_usd"]),
            "rca": float(r["rca"]),
            "mcp": int(r["mcp"]),
        }
        for r in rca.sort_values(["loc", "rca"], ascending=[True, False]).to_dict("records")
    ]
    return {
        "period": per,
        "scope": "domestic",
        "product_level": str(df["product_level"].iloc[0]) if len(df) else None,
        "rows": rows,
        "source": choice.provenance(),
    }
