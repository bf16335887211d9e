"""Market use cases: what India sells to a partner country (products, trend, the states that
ship to it, distance, region, income group) and the index of partners.

National figures come from national HS data by partner (the bundled EIDB HS8 x country
release); the states from state x port x country data (the bundled DGCI&S FY2023-24 release),
which may cover another period: each part names its release (``source``:
:meth:`dehub.facts.catalog.Choice.provenance`) and period, and values of two releases are never
added together. Values are US$ as published; distances in km (CEPII GeoDist, capital to
capital ``dist_km`` and population-weighted ``distw_km``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dehub.analytics.growth import years_between
from dehub.errors import NotFound
from dehub.facts.catalog import HS_LEVELS, Choice, choose_latest
from dehub.facts.product_queries import national_products_to, state_values_to
from dehub.facts.queries import national_values_by, release_periods
from dehub.facts.schema import WORLD, period_kind
from dehub.facts.store import FactStore
from dehub.reference.names import name_key, suggest
from dehub.reference.tables import read_reference
from dehub.services.products import growth_summary, hs_label
from dehub.settings import Settings

COUNTRY_FIELDS = (
    "iso3",
    "iso2",
    "name",
    "region",
    "sub_region",
    "income_group",
    "ldc",
    "lldc",
    "sids",
    "dist_km",
    "distw_km",
    "contig",
)


def _countries() -> pd.DataFrame:
    return read_reference("countries.csv").set_index("iso3")


def resolve_market(text: str) -> str:
    """The ISO3 code of the country named by ``text``: an ISO3 or ISO2 code, its name or a
    DGCI&S spelling (``U S A``, ``United States`` -> ``USA``), matched on
    :func:`~dehub.reference.names.name_key` through ``country_aliases.csv``.
    :class:`NotFound` with suggestions otherwise."""
    value = text.strip()
    countries = _countries()
    if value.upper() in countries.index:
        return value.upper()
    aliases = read_reference("country_aliases.csv")
    hit = aliases.loc[aliases["key"] == name_key(value), "iso3"]
    if not hit.empty:
        return str(hit.iloc[0])
    found = suggest(value, [*countries["name"].dropna(), *aliases["spelling"].dropna()])
    hint = f"; did you mean {', '.join(repr(s) for s in found)}?" if found else ""
    raise NotFound(f"unknown country {text!r}{hint}")


def _country(iso3: str) -> dict[str, Any]:
    row = _countries().loc[iso3]
    out: dict[str, Any] = {"iso3": iso3}
    for key in COUNTRY_FIELDS[1:]:
        value = row[key]
        if pd.isna(value):
            out[key] = None
        elif key in ("dist_km", "distw_km"):
            out[key] = float(value)
        elif key in ("ldc", "lldc", "sids", "contig"):
            out[key] = str(value) == "true"
        else:
            out[key] = str(value)
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = frame.astype(object).where(frame.notna(), None).to_dict("records")  # type: ignore[assignment]
    return out


def _with_growth(
    now: pd.Series, prev: pd.Series | None, key: str, total: float | None = None
) -> pd.DataFrame:
    """``key``, ``value_usd``, ``share`` (of ``total`` or the sum), ``yoy``, ``rank``; units
    with exports in the current period only, largest first."""
    now = now[now > 0].sort_values(ascending=False)
    total = float(now.sum()) if total is None else total
    frame = pd.DataFrame({key: now.index.astype(str), "value_usd": now.to_numpy(dtype=float)})
    frame["share"] = frame["value_usd"] / total if total else None
    if prev is not None:
        before = frame[key].map(prev).astype(float)
        frame["previous_usd"] = before
        frame["yoy"] = (frame["value_usd"] / before - 1).where(before > 0)
    else:
        frame["previous_usd"] = None
        frame["yoy"] = None
    frame["rank"] = range(1, len(frame) + 1)
    return frame


def _national_release(
    store: FactStore, period: str | None
) -> tuple[Choice, str, list[str], str | None]:
    """The national release by partner answering ``period`` (default: its latest financial
    year), that period, the release's periods of the same kind up to it, and the year before
    it (None when the release lacks it)."""
    choice = choose_latest(
        store, geo="national", period=period, products=HS_LEVELS, by_partner=True
    )
    current = str(choice.period)
    periods = [
        p
        for p in release_periods(store, choice, "national", HS_LEVELS)
        if period_kind(p) == period_kind(current) and p <= current
    ]
    previous = next((p for p in periods if years_between(p, current) == 1), None)
    return choice, current, periods, previous


def market_profile(settings: Settings, text: str, *, top: int = 1000) -> dict[str, Any]:
    """Everything the market page shows about India's exports to one country.

    Output: ``country`` (``iso3``, ``name``, ``region``, ``sub_region``, ``income_group``,
    ``ldc``/``lldc``/``sids``, ``dist_km``/``distw_km`` from India, ``contig``), ``currency``
    (USD), ``period``, ``previous_period``, ``national`` (``series``: ``period``,
    ``value_usd``, ``share_of_india`` (of India's exports to all partners), ``rank`` among
    partners; ``growth``: ``yoy``, ``base_period``, ``years``, ``cagr``; ``source``),
    ``products`` (``HS2`` and ``HS4``: ``code``, ``label``, ``value_usd``, ``share`` (of India's
    exports to the country), ``previous_usd``, ``yoy``, ``rank``; up to ``top`` each) and
    ``states`` (``period``, ``total_usd``, ``unattributed_usd``, ``states``: ``lgd_code``,
    ``name``, ``value_usd``, ``share``, ``ports``, ``rank``; ``source``).
    :class:`NotFound` for an unknown country."""
    iso3 = resolve_market(text)
    country = _country(iso3)
    with FactStore.open(settings, read_only=True) as store:
        choice, current, periods, previous = _national_release(store, None)
        totals = national_values_by(store, choice, periods, "partner")
        wanted = [p for p in (previous, current) if p]
        by_hs4 = national_products_to(store, choice, wanted, iso3, "HS4")
        states = _states(store, iso3)
    series = _series(totals, iso3)
    wide = by_hs4.pivot_table(
        index="product_code", columns="period", values="value_usd", aggfunc="sum", fill_value=0.0
    )
    products: dict[str, list[dict[str, Any]]] = {}
    for level in ("HS2", "HS4"):
        grouped = wide.groupby(wide.index.str[: int(level[2:])]).sum()
        now = grouped[current] if current in grouped else pd.Series(dtype=float)
        prev = grouped[previous] if previous and previous in grouped else None
        frame = _with_growth(now, prev, "code").head(top)
        frame.insert(1, "label", frame["code"].map(hs_label))
        products[level] = _records(frame)
    return {
        "country": country,
        "currency": "USD",
        "period": current,
        "previous_period": previous,
        "national": {
            "series": series,
            "growth": growth_summary(pd.DataFrame(series, columns=["period", "value_usd"])),
            "source": choice.provenance(),
        },
        "products": products,
        "states": states,
        "source": choice.provenance(),
    }


def _series(totals: pd.DataFrame, iso3: str) -> list[dict[str, Any]]:
    """India's exports to ``iso3`` per period, its share of India's exports to all partners
    and its rank among them."""
    located = totals[totals["unit"] != WORLD]
    wide = located.pivot_table(index="unit", columns="period", values="value_usd", aggfunc="sum")
    rows = []
    for period in sorted(wide.columns):
        col = wide[period].fillna(0.0)
        value = float(col.get(iso3, 0.0))
        total = float(totals.loc[totals["period"] == period, "value_usd"].sum())
        rank = int((col > value).sum()) + 1 if value > 0 else None
        rows.append(
            {
                "period": str(period),
                "value_usd": value,
                "share_of_india": value / total if total else None,
                "rank": rank,
            }
        )
    return rows


def _states(store: FactStore, iso3: str) -> dict[str, Any]:
    """Indian states' exports to ``iso3`` in the latest period of state x country data."""
    try:
        choice = choose_latest(store, geo="state", period=None, by_partner=True)
    except NotFound as exc:
        return {"period": None, "states": [], "note": str(exc), "source": None}
    period = str(choice.period)
    df = state_values_to(store, choice, period, iso3)
    total = float(df["value_usd"].sum())
    located = df[df["geo_level"] == "state"].groupby("state_code")
    values = located["value_usd"].sum()
    frame = _with_growth(values, None, "lgd_code", total).drop(columns=["previous_usd", "yoy"])
    names = read_reference("states.csv").set_index("state_code")["state_name"]
    frame.insert(1, "name", frame["lgd_code"].map(names).fillna(frame["lgd_code"]))
    frame["ports"] = frame["lgd_code"].map(located["ports"].sum()).astype(int)
    return {
        "period": period,
        "total_usd": total,
        "unattributed_usd": float(df.loc[df["geo_level"] != "state", "value_usd"].sum()),
        "states": _records(frame),
        "source": choice.provenance(),
    }


def market_index(settings: Settings, period: str | None = None) -> dict[str, Any]:
    """India's partners ranked by exports in the latest period (or ``period``) of one national
    release by partner, with growth on the year before.

    Output: ``period``, ``previous_period``, ``currency``, ``total_usd`` (all partners),
    ``markets`` (``iso3``, ``name``, ``region``, ``income_group``, ``dist_km``, ``value_usd``,
    ``share``, ``previous_usd``, ``yoy``, ``rank``; partners with exports in ``period``),
    ``source``."""
    with FactStore.open(settings, read_only=True) as store:
        choice, current, _, previous = _national_release(store, period)
        df = national_values_by(store, choice, [p for p in (previous, current) if p], "partner")
    df = df[df["unit"] != WORLD]
    wide = df.pivot_table(index="unit", columns="period", values="value_usd", aggfunc="sum")
    now = wide[current].fillna(0.0) if current in wide else pd.Series(dtype=float)
    prev = wide[previous].fillna(0.0) if previous and previous in wide else None
    frame = _with_growth(now, prev, "iso3")
    countries = _countries()
    frame.insert(1, "name", frame["iso3"].map(countries["name"]).fillna(frame["iso3"]))
    for key in ("region", "income_group"):
        frame[key] = frame["iso3"].map(countries[key])
    frame["dist_km"] = pd.to_numeric(frame["iso3"].map(countries["dist_km"]), errors="coerce")
    return {
        "period": current,
        "previous_period": previous,
        "currency": "USD",
        "total_usd": float(now.sum()),
        "markets": _records(frame),
        "source": choice.provenance(),
    }
