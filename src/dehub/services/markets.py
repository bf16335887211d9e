"""Markets and growth use cases over India's exports by product and partner."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dehub.analytics.concentration import concentration_summary, shares
from dehub.analytics.diversification import margins
from dehub.analytics.growth import cagr, contribution_to_growth, top_movers, years_between
from dehub.errors import InvalidInput, NotFound
from dehub.facts.catalog import HS_LEVELS, Choice, choose_latest, hs_levels_from
from dehub.facts.queries import national_partner_values, national_values_by, release_periods
from dehub.facts.schema import period_kind
from dehub.facts.store import FactStore
from dehub.reference.tables import read_reference
from dehub.settings import Settings


def _release_periods(
    store: FactStore,
    *,
    products: tuple[str, ...],
    by_partner: bool | None,
    period: str | None,
    base: str | None,
    source: str | None,
) -> tuple[Choice, str, list[str]]:
    """The release answering the current period (``period``, or the latest financial year that
    a release able to answer has), the current period, and the earlier periods of the same kind
    in which that same release has national data: the base and previous periods are taken from
    there, so that every period of an answer comes from one release."""
    choice = choose_latest(
        store,
        geo="national",
        period=period,
        products=products,
        by_partner=by_partner,
        source=source,
    )
    current = str(choice.period)
    kind = period_kind(current)
    loaded = [
        p for p in release_periods(store, choice, "national", products) if period_kind(p) == kind
    ]
    earlier = [p for p in loaded if p < current]
    if base is not None and base not in earlier:
        r = choice.release
        raise InvalidInput(
            f"--base {base} is not a period before {current} of the release answering "
            f"{current} ({r.source}: {r.release}); its earlier periods: "
            f"{', '.join(earlier) or 'none'}. Periods of one answer come from one release; "
            "--source picks another source"
        )
    return choice, current, earlier


def _hs_levels_for(product: str) -> tuple[str, ...]:
    """HS levels whose codes can answer a question about ``product`` (a sector: any)."""
    return hs_levels_from(f"HS{len(product)}") if product.isdigit() else HS_LEVELS


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
    source: str | None = None,
) -> dict[str, Any]:
    """Where India sells a product (HS code or sector): partner shares, growth, concentration,
    markets entered and lost since the base period, distance from India, income group.

    One release answers every period (see :func:`_release_periods`): ``previous_period`` is the
    year before ``period`` and ``base_period`` (default: the earliest period at most 5 years
    before) are periods of that release, or ``None`` when it has none; ``source`` names it.
    """
    label = _product_label(product)
    with FactStore.open(settings, read_only=True) as store:
        choice, current, earlier = _release_periods(
            store,
            products=_hs_levels_for(product),
            by_partner=True,
            period=period,
            base=base,
            source=source,
        )
        previous = next((p for p in earlier if years_between(p, current) == 1), None)
        default_base = next((p for p in earlier if years_between(p, current) <= 5), None)
        base_p = base or default_base
        wanted = [p for p in (current, previous, base_p) if p]
        df = national_partner_values(store, choice, wanted, product)
    # one release covering every period: a partner absent in a period had no exports in it
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
    notes = [] if base_p is None or then is not None else [f"no exports of {product} in {base_p}"]
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
        "notes": notes,
        "source": choice.provenance(),
        "caveat": _CAVEATS.get(choice.release.source),
    }


_CAVEATS = {
    "eidb_hs8_country": "EIDB HS8 data miss codes created after the scraper's list (coverage "
    "of India's total falls to ~68% from FY2022-23); growth of such products is understated",
}


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _rate(prev: pd.Series | None, now: pd.Series, code: str) -> float | None:
    if prev is None or code not in prev.index or prev[code] <= 0:
        return None
    return float(now[code] / prev[code] - 1)


GROWTH_BY = ("product", "partner")


def growth_level(by: str, level: str | None) -> str | None:
    """Check a ``by``/``level`` pair of :func:`growth_report`: the HS level for
    ``by="product"`` (default HS2, case-insensitive), ``None`` for partners, which take no
    level; :class:`InvalidInput` otherwise."""
    if by not in GROWTH_BY:
        raise InvalidInput(f"--by must be product or partner, got {by!r}")
    allowed = f"--level goes only with --by product ({', '.join(HS_LEVELS)}; default HS2)"
    if by == "partner":
        if level is not None:
            raise InvalidInput(f"--level {level} does not apply to --by partner: {allowed}")
        return None
    chosen = (level or "HS2").strip().upper()
    if chosen not in HS_LEVELS:
        raise InvalidInput(f"unknown --level {level!r}: {allowed}")
    return chosen


def growth_report(
    settings: Settings,
    *,
    by: str = "product",
    level: str | None = None,
    period: str | None = None,
    base: str | None = None,
    top: int = 10,
    source: str | None = None,
) -> dict[str, Any]:
    """Growth of India's exports by product (at ``level``, default HS2) or partner between
    ``base`` (default: the latest earlier period of the release answering ``period``) and
    ``period``: total growth, CAGR, contributions, top gainers, losers.

    Both periods come from one release (``source``). A unit with no exports in the base period
    has ``growth`` None (not computed: growth from zero is undefined) and ``status`` ``new``; one
    with none in the current period has status ``gone``; the others ``continuing``.
    """
    hs = growth_level(by, level)
    with FactStore.open(settings, read_only=True) as store:
        choice, current, earlier = _release_periods(
            store,
            products=hs_levels_from(hs) if hs else HS_LEVELS,
            by_partner=True if by == "partner" else None,
            period=period,
            base=base,
            source=source,
        )
        start = base or (earlier[-1] if earlier else None)
        if start is None:
            r = choice.release
            raise InvalidInput(
                f"the release answering {current} ({r.source}: {r.release}) has no earlier "
                "period to compare with; --period or --source picks a release with several"
            )
        df = national_values_by(store, choice, [start, current], by, hs or "HS2")
    # units absent from a period are NaN here, 0 below (the trade table lists what was traded)
    wide = df.pivot_table(index="unit", columns="period", values="value_usd", aggfunc="sum")
    missing = [p for p in (start, current) if p not in wide]
    if missing:
        r = choice.release
        raise NotFound(
            f"the release answering {current} ({r.source}: {r.release}) has no national data "
            f"for {', '.join(missing)} at this product level"
        )
    status = pd.Series("continuing", index=wide.index)
    status[wide[start].isna()] = "new"
    status[wide[current].isna()] = "gone"
    then, now = wide[start].fillna(0.0), wide[current].fillna(0.0)
    gainers, losers = top_movers(then, now, top)
    contributions = contribution_to_growth(then, now)
    years = years_between(start, current)
    total_then, total_now = float(then.sum()), float(now.sum())
    return {
        "by": by,
        "level": hs,
        "period": current,
        "base_period": start,
        "currency": "USD",
        "total_base_usd": total_then,
        "total_usd": total_now,
        "growth": total_now / total_then - 1 if total_then > 0 else None,
        "cagr": _num(cagr(total_then, total_now, years)) if total_then > 0 else None,
        "new_units": int((status == "new").sum()),
        "gone_units": int((status == "gone").sum()),
        "gainers": _records(gainers, status),
        "losers": _records(losers, status),
        "top_contributions": _records(contributions.head(top), status),
        "source": choice.provenance(),
    }


def _records(df: pd.DataFrame, status: pd.Series) -> list[dict[str, Any]]:
    """Rows of :func:`contribution_to_growth` with each unit's status; NaN -> None."""
    rows = df.assign(status=df["unit"].map(status))
    out: list[dict[str, Any]] = rows.replace({np.nan: None}).to_dict("records")  # type: ignore[assignment]
    return out
