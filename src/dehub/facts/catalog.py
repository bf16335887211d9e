"""Choosing one release per question, so that sources are never added together.

A question names a geography level (``district``, ``state`` or ``national``), a period, and
optionally the product levels that can answer it, whether it is by partner, and a source. Among
the *active* releases that can answer it, the caller's source wins; otherwise the most recently
loaded one (an official file a user ingested is newer than the bundled data). The choice is
returned with its provenance so that every answer can say which source and release it used.

A question without a period is asked of the latest financial year that a release able to answer
it covers (:func:`latest_period`, :func:`choose_latest`): releases of other geography levels,
product levels, partner breakdowns or sources never decide the default period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dehub.errors import NotFound
from dehub.facts.schema import period_kind
from dehub.facts.store import FactStore, Release

HS_LEVELS = ("HS2", "HS4", "HS6", "HS8")
SECTOR_PRODUCTS = ("sector", *HS_LEVELS)
"""Product levels that answer a question about the data's 22 sectors (HS codes map to sectors
through their chapter)."""


def hs_levels_from(level: str) -> tuple[str, ...]:
    """The HS levels that can answer a question at ``level`` (``HS4`` -> HS4, HS6, HS8): codes
    can be truncated to a coarser level, never refined."""
    return HS_LEVELS[HS_LEVELS.index(level) :]


@dataclass(frozen=True)
class Choice:
    """The release chosen for a question, and why (``period``: the period it was chosen for)."""

    release: Release
    reason: str
    period: str | None = None

    def provenance(self) -> dict[str, Any]:
        r = self.release
        return {
            "source": r.source,
            "release": r.release,
            "release_id": r.release_id,
            "loaded_at": r.loaded_at.isoformat(timespec="seconds"),
            "choice": self.reason,
            "period": self.period,
        }


def _answers(
    r: Release,
    geo: str,
    period: str | None,
    products: tuple[str, ...] | None,
    by_partner: bool | None,
    source: str | None,
) -> bool:
    if geo not in r.geo_levels or (period is not None and period not in r.periods):
        return False
    if products is not None and not set(products) & set(r.product_levels):
        return False
    if source is not None and r.source != source:
        return False
    return by_partner is None or r.by_partner == by_partner


def answering_releases(
    store: FactStore,
    *,
    geo: str,
    period: str | None = None,
    products: tuple[str, ...] | None = None,
    by_partner: bool | None = None,
    source: str | None = None,
) -> list[Release]:
    """The active releases that can answer a question (any period when ``period`` is None)."""
    return [
        r
        for r in store.releases(include_superseded=False)
        if _answers(r, geo, period, products, by_partner, source)
    ]


def _question(
    geo: str,
    period: str | None,
    products: tuple[str, ...] | None,
    by_partner: bool | None,
    source: str | None,
) -> str:
    return (
        (f"source {source!r}, " if source else "")
        + f"{geo} level"
        + (f", period {period}" if period else "")
        + (f", product level {'/'.join(products)}" if products else "")
        + (", by partner country" if by_partner else "")
    )


def _loaded_periods(store: FactStore) -> str:
    loaded = sorted({p for r in store.releases(include_superseded=False) for p in r.periods})
    return ", ".join(loaded) or "none (run `dehub init`)"


def latest_period(
    store: FactStore,
    *,
    geo: str,
    products: tuple[str, ...] | None = None,
    by_partner: bool | None = None,
    source: str | None = None,
) -> str | None:
    """The latest financial year covered by an active release that can answer the question
    (same geography level, product levels, partner breakdown and source), or None."""
    periods = [
        p
        for r in answering_releases(
            store, geo=geo, products=products, by_partner=by_partner, source=source
        )
        for p in r.periods
        if period_kind(p) == "FY"
    ]
    return max(periods) if periods else None


def choose_release(
    store: FactStore,
    *,
    geo: str,
    period: str,
    products: tuple[str, ...] | None = None,
    by_partner: bool | None = None,
    source: str | None = None,
) -> Choice:
    """The release to answer a question (see the module docstring); :class:`NotFound` if none.

    ``products``: acceptable product levels, e.g. ``("sector",) + HS_LEVELS`` for a question
    about sectors that HS-level data can also answer.
    """
    candidates = answering_releases(
        store, geo=geo, period=period, products=products, by_partner=by_partner, source=source
    )
    if not candidates:
        raise NotFound(
            "no loaded data answers this: "
            + _question(geo, period, products, by_partner, source)
            + f"; periods loaded: {_loaded_periods(store)}"
        )
    chosen = max(candidates, key=lambda r: (r.loaded_at, r.release_id))
    reason = (
        "the source asked for"
        if source
        else "the only release that answers this"
        if len(candidates) == 1
        else f"the most recently loaded of {len(candidates)} releases that answer this"
    )
    return Choice(chosen, reason, period)


def choose_latest(
    store: FactStore,
    *,
    geo: str,
    period: str | None,
    products: tuple[str, ...] | None = None,
    by_partner: bool | None = None,
    source: str | None = None,
) -> Choice:
    """:func:`choose_release` for ``period``, or for the :func:`latest_period` of the releases
    that can answer the question when ``period`` is None. The choice's ``period`` says which."""
    chosen = period or latest_period(
        store, geo=geo, products=products, by_partner=by_partner, source=source
    )
    if chosen is None:
        raise NotFound(
            "no loaded financial-year data answers this: "
            + _question(geo, None, products, by_partner, source)
            + f"; periods loaded: {_loaded_periods(store)}; run `dehub init` or `dehub ingest`"
        )
    return choose_release(
        store, geo=geo, period=chosen, products=products, by_partner=by_partner, source=source
    )
