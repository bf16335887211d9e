"""Reads of the state x customs port x country data (DGCI&S port-wise exports).

A release "by port" (``releases.by_port``) holds exports of a state through a customs port to a
partner country (``geo_level = 'state'``; rows whose state DGCI&S could not name are
``unattributed`` with no state). Its periods and source are usually not those of the
district-wise data, so its figures are shown beside district figures, never added to them.
"""

from __future__ import annotations

import pandas as pd

from dehub.errors import NotFound
from dehub.facts.catalog import Choice, answering_releases
from dehub.facts.schema import period_kind
from dehub.facts.store import FactStore, Release


def _port_releases(store: FactStore, period: str | None) -> list[Release]:
    return [
        r
        for r in answering_releases(store, geo="state", period=period, by_partner=True)
        if r.by_port
    ]


def choose_port_release(store: FactStore, period: str | None = None) -> Choice:
    """The release answering "a state's exports by port and country" in ``period`` (default:
    the latest financial year any such release covers): the most recently loaded one.
    :class:`NotFound` when no active release has exports by port."""
    if period is None:
        years = [
            p for r in _port_releases(store, None) for p in r.periods if period_kind(p) == "FY"
        ]
        if not years:
            raise NotFound("no loaded data has exports by customs port; run `dehub init`")
        period = max(years)
    candidates = _port_releases(store, period)
    if not candidates:
        raise NotFound(f"no loaded data has exports by customs port for {period}")
    chosen = max(candidates, key=lambda r: (r.loaded_at, r.release_id))
    reason = (
        "the only release with exports by port for this period"
        if len(candidates) == 1
        else f"the most recently loaded of {len(candidates)} releases with exports by port"
    )
    return Choice(chosen, reason, period)


def state_port_partner_values(store: FactStore, choice: Choice, state_code: str) -> pd.DataFrame:
    """One state's exports by customs port and partner country in the chosen release and
    period, largest first.

    Columns: ``port_code`` (the port's name key), ``port_name`` (reference name, else the
    code), ``port_kind`` (``seaport``, ``air_cargo``, ``icd_cfs``, ``sez``, ``land_customs``,
    ``other``; None for a port not in the reference list), ``partner_code`` (ISO3),
    ``partner_name``, ``value_usd`` (US$), ``value_inr`` (rupees as published).
    """
    return store.con.execute(
        """
        SELECT f.port_code, coalesce(p.port_name, f.port_code) AS port_name,
               p.kind AS port_kind, f.partner_code,
               coalesce(c.name, f.partner_code) AS partner_name,
               sum(f.value_usd) AS value_usd, sum(f.value_inr) AS value_inr
        FROM facts f
        LEFT JOIN ref_customs_ports p ON p.key = f.port_code
        LEFT JOIN ref_countries c ON c.iso3 = f.partner_code
        WHERE f.release_id = ? AND f.period = ? AND f.geo_level = 'state'
              AND f.state_code = ? AND f.port_code IS NOT NULL
        GROUP BY ALL
        ORDER BY value_usd DESC, port_code, partner_code
        """,
        [choice.release.release_id, choice.period, state_code],
    ).df()
