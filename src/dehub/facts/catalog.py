"""Choosing one release per question, so that sources are never added together.

A question names a geography level (``district``, ``state`` or ``national``), a period, and
optionally a product granularity, whether it is by partner, and a source. Among the *active*
releases that can answer it, the caller's source wins; otherwise the most recently loaded one
(an official file a user ingested is newer than the bundled data). The choice is returned with
its provenance so that every answer can say which source and release it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dehub.errors import NotFound
from dehub.facts.store import FactStore, Release

HS_LEVELS = ("HS2", "HS4", "HS6", "HS8")


@dataclass(frozen=True)
class Choice:
    """The release chosen for a question, and why."""

    release: Release
    reason: str

    def provenance(self) -> dict[str, Any]:
        r = self.release
        return {
            "source": r.source,
            "release": r.release,
            "release_id": r.release_id,
            "loaded_at": r.loaded_at.isoformat(timespec="seconds"),
            "choice": self.reason,
        }


def _answers(
    r: Release, geo: str, period: str, products: tuple[str, ...] | None, by_partner: bool | None
) -> bool:
    if period not in r.periods or geo not in r.geo_levels:
        return False
    if products is not None and not set(products) & set(r.product_levels):
        return False
    return by_partner is None or r.by_partner == by_partner


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
    candidates = [
        r
        for r in store.releases(include_superseded=False)
        if _answers(r, geo, period, products, by_partner)
    ]
    if source is not None:
        candidates = [r for r in candidates if r.source == source]
    if not candidates:
        wanted = f"source {source!r}, " if source else ""
        loaded = sorted({p for r in store.releases(include_superseded=False) for p in r.periods})
        raise NotFound(
            f"no loaded data answers this: {wanted}{geo} level, period {period}"
            + (f", product level {'/'.join(products)}" if products else "")
            + f"; periods loaded: {', '.join(loaded) or 'none (run `dehub init`)'}"
        )
    chosen = max(candidates, key=lambda r: (r.loaded_at, r.release_id))
    reason = (
        "the source asked for"
        if source
        else "the only release that answers this"
        if len(candidates) == 1
        else f"the most recently loaded of {len(candidates)} releases that answer this"
    )
    return Choice(chosen, reason)
