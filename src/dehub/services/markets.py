"""Markets and growth use cases over India's exports by product and partner."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dehub.analytics.concentration import concentration_summary, shares
from dehub.analytics.diversification import margins
from dehub.analytics.growth import cagr, contribution_to_growth, top_movers, years_between
from dehub.errors import InvalidInput, NotFound
from dehub.facts.catalog import HS_LEVELS, choose_release
from dehub.facts.queries import national_partner_values, national_values_by
from dehub.facts.schema import period_kind
from dehub.facts.store import FactStore
from dehub.reference.tables import read_reference
from dehub.settings import Settings


def _fy_periods(store: FactStore, source: str) -> list[str]:
    return sorted(
        {
            p
            for r in store.releases(include_superseded=False)
            if r.source == source
            for p in r.periods
            if period_kind(p) == "FY"
        }
    )


def _pick_periods(
    available: list[str], period: str | None, base: str | None
) -> tuple[str, str | None, str | None]:
    """(period, previous year, base for CAGR: 5 years earlier or the earliest available)."""
    if not available:
        raise NotFound("no national product x partner data is loaded; run `dehub init`")
    current = period or available[-1]
    if current not in available:
        raise NotFound(f"period {current} is not loaded; loaded: {', '.join(available)}")
    earlier = [p for p in available if p < current]
    previous = earlier[-1] if earlier else None
    if base is not None and base not in earlier:
        raise InvalidInput(f"--base must be a loaded period before {current}: {earlier}")
    default_base = next((p for p in earlier if years_between(p, current) <= 5), None)
    return current, previous, base or default_base


def _product_label(product: str) -> str:
    if not product.isdigit():
        sectors = read_reference("sectors.csv").set_index("sector")
        if product not in sectors.index:
            raise NotFound(f"unknown product {product!r}: give an HS code or a sector slug")
        return str(sectors.loc[product, "label"])
    if len(product) not in (2, 4, 6, 8):
        raise InvalidInput(f"an HS code has 2, 4, 6 or 8 digits, got {product!r}")
    if len(product) == 8:
        itc = read_reference("itchs8.csv").set_index("hs8")
        return str(itc.loc[product, "description"]) if product in itc.index else product
    hs = read_reference("hs_codes.csv").set_index("code")
    return str(hs.loc[product, "description"]) if product in hs.index else product


def markets_report(
    settings: Settings,
    product: str,
    *,
    period: str | None = None,
    base: str | None = None,
    top: int = 20,
) -> dict[str, Any]:
    """Where India sells a product (HS code or sector): partner shares, growth, concentration,
    markets entered and lost since the base period, distance from India, income group."""
    label = _product_label(product)
    with FactStore.open(settings, read_only=True) as store:
        candidates = _fy_periods(store, "eidb_hs8_country")
        current, previous, base_p = _pick_periods(candidates, period, base)
        choice = choose_release(
            store, geo="national", period=current, products=HS_LEVELS, by_partner=True
        )
        wanted = [p for p in (current, previous, base_p) if p]
        df = national_partner_values(store, choice, wanted, product)
    wide = df.pivot_table(
        index="partner_code", columns="period", values="value_usd", aggfunc="sum", fill_value=0.0
    )
    now = wide[current] if current in wide else pd.Series(dtype=float)
    if now.sum() <= 0:
        raise NotFound(f"no exports of {product} ({label}) in {current} in the loaded data")
    countries = read_reference("countries.csv").set_index("iso3")
    share = shares(now)
    prev = wide[previous] if previous and previous in wide else None
    then = wide[base_p] if base_p and base_p in wide else None
    growth = (
        cagr(then, now, years_between(base_p, current))
        if then is not None and base_p is not None
        else None
    )
    rows = []
    for code in now.sort_values(ascending=False).head(top).index:
        c = countries.loc[code] if code in countries.index else None
        rows.append(
            {
                "iso3": code,
                "name": str(c["name"]) if c is not None else code,
                "value_usd": float(now[code]),
                "share": float(share[code]),
                "yoy": _rate(prev, now, code),
                "cagr": _num(growth[code]) if growth is not None else None,
                "dist_km": _num(c["dist_km"]) if c is not None else None,
                "income_group": None
                if c is None or pd.isna(c["income_group"])
                else str(c["income_group"]),
            }
        )
    summary = concentration_summary(now, period=current, unit_label="partner")
    change = margins(then, now) if then is not None else None
    entered = sorted(now[(now > 0) & (then == 0)].index) if then is not None else []
    lost = sorted(then[(then > 0) & (now == 0)].index) if then is not None else []
    return {
        "product": {"code": product, "label": label},
        "period": current,
        "previous_period": previous,
        "base_period": base_p,
        "currency": "USD",
        "total_usd": float(now.sum()),
        "markets": rows,
        "partners_with_exports": summary["units_with_exports"],
        "concentration": {k: summary[k] for k in ("hhi", "hhi_normalised", "gini", "top_shares")},
        "margins": change,
        "markets_entered": entered,
        "markets_lost": lost,
        "source": choice.provenance(),
        "caveat": "EIDB HS8 data miss codes created after the scraper's list (coverage of "
        "India's total falls to ~68% from FY2022-23); growth of such products is understated",
    }


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _rate(prev: pd.Series | None, now: pd.Series, code: str) -> float | None:
    if prev is None or code not in prev.index or prev[code] <= 0:
        return None
    return float(now[code] / prev[code] - 1)


def growth_report(
    settings: Settings,
    *,
    by: str = "product",
    level: str = "HS2",
    period: str | None = None,
    base: str | None = None,
    top: int = 10,
) -> dict[str, Any]:
    """Growth of India's exports by product (at ``level``) or partner between ``base`` (default:
    the previous year) and ``period``: total growth, CAGR, contributions, top gainers, losers."""
    if by not in ("product", "partner"):
        raise InvalidInput(f"--by must be product or partner, got {by!r}")
    if by == "product" and level not in HS_LEVELS:
        raise InvalidInput(f"--level must be one of {', '.join(HS_LEVELS)}")
    with FactStore.open(settings, read_only=True) as store:
        candidates = _fy_periods(store, "eidb_hs8_country")
        current, previous, _ = _pick_periods(candidates, period, None)
        start = base or previous
        if start is None or start not in candidates or start >= current:
            raise InvalidInput(f"--base must be a loaded period before {current}")
        choice = choose_release(store, geo="national", period=current, products=HS_LEVELS)
        df = national_values_by(store, choice, [start, current], by, level)
    wide = df.pivot_table(
        index="unit", columns="period", values="value_usd", aggfunc="sum", fill_value=0.0
    )
    then = wide[start] if start in wide else pd.Series(0.0, index=wide.index)
    now = wide[current] if current in wide else pd.Series(0.0, index=wide.index)
    gainers, losers = top_movers(then, now, top)
    contributions = contribution_to_growth(then, now)
    years = years_between(start, current)
    total_then, total_now = float(then.sum()), float(now.sum())
    return {
        "by": by,
        "level": level if by == "product" else None,
        "period": current,
        "base_period": start,
        "currency": "USD",
        "total_base_usd": total_then,
        "total_usd": total_now,
        "growth": total_now / total_then - 1 if total_then > 0 else None,
        "cagr": _num(cagr(total_then, total_now, years)) if total_then > 0 else None,
        "gainers": _records(gainers),
        "losers": _records(losers),
        "top_contributions": _records(contributions.head(top)),
        "source": choice.provenance(),
    }


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = df.replace({np.nan: None}).to_dict("records")  # type: ignore[assignment]
    return out
