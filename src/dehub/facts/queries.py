"""Set-based reads of the facts of one chosen release, as DataFrames for the analytics.

Each function takes a :class:`~dehub.facts.catalog.Choice` (one release: sources are never mixed)
and returns tidy long data with codes as strings and values in US$ (``value_usd``) and rupees
(``value_inr``) as published.
"""

from __future__ import annotations

import pandas as pd

from dehub.facts.catalog import Choice
from dehub.facts.schema import period_kind
from dehub.facts.store import FactStore


def _product_to_sector_sql() -> str:
    """SQL expression mapping a fact's product to the data's 22 sectors (HS codes via HS2)."""
    return (
        "CASE WHEN f.product_level = 'sector' THEN f.product_code "
        "ELSE (SELECT h.sector FROM ref_hs2_sectors h WHERE h.hs2 = left(f.product_code, 2)) END"
    )


def district_sector_values(store: FactStore, choice: Choice, period: str) -> pd.DataFrame:
    """District-wise exports by sector, all partners.

    Columns: ``geo_level`` (``district`` or ``unattributed``), ``state_code``, ``district_code``,
    ``sector``, ``value_usd``, ``value_inr``. HS-level releases are aggregated to sectors through
    their HS2 chapter (``reference/data/hs2_sectors.csv``); products outside the 22 sectors
    (chapter 37, say) get sector ``None``.
    """
    return store.con.execute(
        f"""
        SELECT f.geo_level, f.state_code, f.district_code, {_product_to_sector_sql()} AS sector,
               sum(f.value_usd) AS value_usd, sum(f.value_inr) AS value_inr
        FROM facts f
        WHERE f.release_id = ? AND f.period = ? AND f.geo_level IN ('district', 'unattributed')
        GROUP BY ALL
        """,
        [choice.release.release_id, period],
    ).df()


def district_products(store: FactStore, choice: Choice, period: str) -> pd.DataFrame:
    """District-wise exports at the release's own product level, all partners.

    Columns: ``geo_level``, ``state_code``, ``district_code``, ``product_level``,
    ``product_code``, ``value_usd``."""
    return store.con.execute(
        """
        SELECT geo_level, state_code, district_code, product_level, product_code,
               sum(value_usd) AS value_usd
        FROM facts
        WHERE release_id = ? AND period = ? AND geo_level IN ('district', 'unattributed')
        GROUP BY ALL
        """,
        [choice.release.release_id, period],
    ).df()


def product_partner_values(
    store: FactStore, choice: Choice, period: str, level: str = "HS8"
) -> pd.DataFrame:
    """National exports by product (at ``level``: HS2/HS4/HS6/HS8, truncating longer codes)
    and partner. Columns: ``product_code``, ``partner_code``, ``value_usd``, ``quantity``."""
    digits = int(level[2:])
    return store.con.execute(
        """
        SELECT left(product_code, ?) AS product_code, partner_code,
               sum(value_usd) AS value_usd, sum(quantity) AS quantity
        FROM facts
        WHERE release_id = ? AND period = ? AND product_level LIKE 'HS%'
        GROUP BY ALL
        """,
        [digits, choice.release.release_id, period],
    ).df()


def state_values(store: FactStore, choice: Choice, period: str) -> pd.DataFrame:
    """Exports by state (all products, all partners) from one release, including the part of
    district-wise data not attributed to a district (it belongs to its state).
    Columns: ``state_code`` (None = not attributed to any state), ``value_usd``, ``value_inr``."""
    return store.con.execute(
        """
        SELECT state_code, sum(value_usd) AS value_usd, sum(value_inr) AS value_inr
        FROM facts WHERE release_id = ? AND period = ? GROUP BY ALL
        """,
        [choice.release.release_id, period],
    ).df()


def latest_period(store: FactStore, geo: str, source: str | None = None) -> str | None:
    """The latest financial year with active data at ``geo`` level (optionally of a source)."""
    periods = [
        p
        for r in store.releases(include_superseded=False)
        if geo in r.geo_levels and (source is None or r.source == source)
        for p in r.periods
        if period_kind(p) == "FY"
    ]
    return max(periods) if periods else None


def national_partner_values(
    store: FactStore, choice: Choice, periods: list[str], product: str
) -> pd.DataFrame:
    """India's exports of one product to each partner, in several periods.

    ``product``: an HS code of 2 to 8 digits (every code it prefixes) or a sector slug (HS
    chapters of that sector). Columns: ``period``, ``partner_code``, ``value_usd``."""
    is_sector = not product.isdigit()
    condition = (
        "left(product_code, 2) IN (SELECT hs2 FROM ref_hs2_sectors WHERE sector = ?)"
        if is_sector
        else "starts_with(product_code, ?)"
    )
    return store.con.execute(
        f"""
        SELECT period, partner_code, sum(value_usd) AS value_usd
        FROM facts
        WHERE release_id = ? AND list_contains(?, period) AND product_level LIKE 'HS%'
              AND partner_code <> 'WLD' AND {condition}
        GROUP BY ALL
        """,
        [choice.release.release_id, periods, product],
    ).df()


def national_values_by(
    store: FactStore, choice: Choice, periods: list[str], by: str, level: str = "HS2"
) -> pd.DataFrame:
    """India's exports in several periods by product (at ``level``) or by partner.
    Columns: ``period``, ``unit``, ``value_usd``."""
    key = f"left(product_code, {int(level[2:])})" if by == "product" else "partner_code"
    return store.con.execute(
        f"""
        SELECT period, {key} AS unit, sum(value_usd) AS value_usd
        FROM facts
        WHERE release_id = ? AND list_contains(?, period) AND product_level LIKE 'HS%'
        GROUP BY ALL
        """,
        [choice.release.release_id, periods],
    ).df()
