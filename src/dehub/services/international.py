"""International RCA use case: India's exports by product against world trade.

India's exports come from one release of the facts store (national HS rows, e.g. the bundled
EIDB HS8 x country release, summed over partners and truncated to HS6/HS4/HS2); world trade from
the bundled CEPII BACI file of the matching calendar year (:mod:`dehub.facts.world`); the RCA
from :func:`dehub.analytics.international.international_rca`. The answer names both sources,
the period mismatch, the codes that do not match, and how much of India's total the product
detail covers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dehub.analytics.international import international_rca
from dehub.errors import InvalidInput, NotFound
from dehub.facts.catalog import choose_latest, choose_release, hs_levels_from
from dehub.facts.queries import national_total, national_values_by
from dehub.facts.store import FactStore
from dehub.facts.world import (
    BACI_AGGREGATES,
    WORLD_LEVELS,
    to_world_codes,
    world_data,
    world_product_values,
    world_year,
)
from dehub.reference.tables import read_reference
from dehub.settings import Settings

INDIA_TOTALS = ("reported", "covered")
GAP_RATIO = 0.5
"""A product is a likely coverage gap when India's data has less than this share of India's
own exports of it in the world data (where the world data lists India among the top six)."""


def _level(level: str) -> str:
    chosen = level.strip().upper()
    if chosen not in WORLD_LEVELS:
        raise InvalidInput(f"--level must be one of {', '.join(WORLD_LEVELS)}, got {level!r}")
    return chosen


def _descriptions() -> dict[str, str]:
    hs = read_reference("hs_codes.csv")
    names = dict(zip(hs["code"].astype(str), hs["description"].astype(str), strict=True))
    for heading, code in BACI_AGGREGATES.items():
        names[code] = f"{names.get(heading, heading)} (heading {heading} as one BACI code)"
    return names


def _none(value: Any) -> Any:
    """NaN/NA as None, numpy scalars as Python numbers (for JSON)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _india_total(store: FactStore, period: str) -> tuple[float, dict[str, Any]]:
    try:
        choice = choose_release(store, geo="national", period=period, products=("total",))
    except NotFound:
        raise NotFound(
            f"India's reported total exports for {period} are not loaded (a national 'total' "
            "release such as the bundled EIDB totals): load them, or use --india-total "
            "covered to divide by the sum of the products in the data"
        ) from None
    total = national_total(store, choice, period)
    if total is None or total <= 0:
        raise NotFound(f"the release chosen for India's total has no total for {period}")
    return total, choice.provenance()


def international_rca_report(
    settings: Settings,
    *,
    period: str | None = None,
    level: str = "HS6",
    india_total: str = "reported",
    source: str | None = None,
) -> dict[str, Any]:
    """India's international RCA (Balassa 1965) by product against world trade.

    ``RCA_p = (x_p / X) / (w_p / W)``: ``x_p`` India's exports of ``p`` in the financial year
    (one release, national HS rows), ``w_p`` world trade of ``p`` in the calendar year the
    financial year starts in (bundled BACI; India included), ``W`` world trade in all products.
    ``X`` is India's total as reported (``india_total="reported"``: the national ``total``
    release of the period, so each share is of India's true total even where the product
    detail is incomplete) or the sum of the products in the data (``"covered"``: the 2 x P
    matrix definition, [India, rest of the world]). See docs/analytics-formulas.md.
    """
    chosen_level = _level(level)
    if india_total not in INDIA_TOTALS:
        raise InvalidInput(
            f"--india-total must be one of {', '.join(INDIA_TOTALS)}, got {india_total!r}"
        )
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(
            store, geo="national", period=period, products=hs_levels_from("HS6"), source=source
        )
        per = str(choice.period)
        data = world_data(world_year(per), period=per)
        india6 = national_values_by(store, choice, [per], "product", "HS6")
        reported, total_source = (
            _india_total(store, per) if india_total == "reported" else (None, None)
        )
    if india6.empty:
        raise NotFound(f"the release chosen has no HS-level national exports for {per}")
    codes = to_world_codes(india6["unit"]).str[: int(chosen_level[2:])]
    india = india6.groupby(codes)["value_usd"].sum()
    world = world_product_values(data.year, chosen_level).set_index("product_code")
    res = international_rca(india, world["world_value_usd"], exports_total=reported)
    covered = float(india.sum())
    x_total = reported if reported is not None else covered
    names = _descriptions()
    res["description"] = res["product_code"].map(names)
    if chosen_level == "HS6":
        res["india_baci_value_usd"] = res["product_code"].map(world["india_baci_value_usd"])
    missing = res[res["status"] == "not_in_world"].sort_values("value", ascending=False)
    ok = res[res["status"] == "ok"]
    notes = [
        f"India's exports are for financial year {per} (April {per[:4]} - March "
        f"{int(per[:4]) + 1}); world trade is for calendar {data.year}: 9 of the 12 months "
        "overlap, so shares of fast-growing or seasonal products may differ",
        "world trade includes India's own exports (BACI world imports = world exports)",
    ]
    if reported is not None:
        notes.append(
            f"the product detail covers {covered / reported:.1%} of India's reported total; "
            "products missing from it show RCA 0 though India may export them (see "
            "coverage_gaps)"
        )
    if len(missing):
        lost = float(missing["value"].sum())
        notes.append(
            f"{len(missing)} of India's product codes are not in the world data (US$ "
            f"{lost / 1e6:,.1f} mn, {lost / x_total:.3%} of X; other HS editions or codes "
            "outside BACI): listed in not_in_world, no RCA"
        )
    exceeding = ok[ok["value"] > ok["world_value"]]
    if len(exceeding):
        notes.append(
            f"India's value exceeds the world total in {len(exceeding)} product(s) "
            f"({', '.join(exceeding['product_code'][:10])}): India's customs data and BACI's "
            "reconciled importer data classify or value them differently; their RCA is "
            "above W / X"
        )
    gaps = _gaps(res) if chosen_level == "HS6" else None
    if gaps and gaps["products_flagged"]:
        notes.append(
            f"coverage check: in {gaps['products_flagged']} of the {gaps['products_checked']} "
            "products where the world data lists India among the top six exporters, India's "
            f"data has under {GAP_RATIO:.0%} of that figure (largest: "
            f"{', '.join(g['product_code'] for g in gaps['largest'][:5])}): see coverage_gaps"
        )
    out_rows = res.assign(_r=res["rca"].fillna(-1.0)).sort_values(
        ["_r", "value"], ascending=[False, False], kind="stable"
    )
    rows = [
        {
            "product_code": r["product_code"],
            "description": _none(r["description"]),
            "value_usd": float(r["value"]),
            "world_value_usd": _none(r["world_value"]),
            "share_of_india": float(r["share"]),
            "share_of_world": _none(r["world_share"]),
            "rca": _none(r["rca"]),
            "mcp": _none(r["mcp"]),
            "status": r["status"],
            **(
                {"india_baci_value_usd": _none(r["india_baci_value_usd"])}
                if chosen_level == "HS6"
                else {}
            ),
        }
        for r in out_rows.to_dict("records")
    ]
    return {
        "scope": "international",
        "country": "IND",
        "period": per,
        "world_year": data.year,
        "level": chosen_level,
        "threshold": 1.0,
        "currency": "USD",
        "india_total_basis": india_total,
        "india_total_usd": x_total,
        "india_reported_total_usd": reported,
        "india_products_usd": covered,
        "coverage": covered / reported if reported else None,
        "world_total_usd": float(world["world_value_usd"].sum()),
        "world_includes_india": True,
        "products": int(len(ok)),
        "products_with_exports": int((ok["value"] > 0).sum()),
        "products_mcp": int((ok["mcp"] == 1).sum()),
        "products_exceeding_world": exceeding["product_code"].tolist(),
        "world_zero": int((res["status"] == "world_zero").sum()),
        "not_in_world": [
            {
                "product_code": r["product_code"],
                "description": _none(r["description"]),
                "value_usd": float(r["value"]),
            }
            for r in missing.to_dict("records")
        ],
        "coverage_gaps": gaps,
        "notes": notes,
        "rows": rows,
        "source": choice.provenance(),
        "total_source": total_source,
        "world_source": data.provenance(),
    }


def _gaps(res: pd.DataFrame) -> dict[str, Any]:
    """Products where India is among the top six exporters in the world data, but India's
    data has less than :data:`GAP_RATIO` of that value (codes missing from the detail)."""
    baci = res["india_baci_value_usd"]
    listed = baci.notna() & (baci > 0)
    gap = listed & (res["value"] < GAP_RATIO * baci)
    top = res[gap].assign(_g=baci[gap] - res.loc[gap, "value"]).nlargest(10, "_g")
    return {
        "rule": f"India's value < {GAP_RATIO:.0%} of India's exports in the world data",
        "products_checked": int(listed.sum()),
        "products_flagged": int(gap.sum()),
        "flagged_world_data_usd": float(baci[gap].sum()),
        "largest": [
            {
                "product_code": r["product_code"],
                "value_usd": float(r["value"]),
                "india_baci_value_usd": float(r["india_baci_value_usd"]),
            }
            for r in top.to_dict("records")
        ],
    }
