"""Set-based reads of the facts of one chosen release, as DataFrames for the analytics.

Each function takes a :class:`~dehub.facts.catalog.Choice` (one release: sources are never mixed)
and returns tidy long data with codes as strings and values in US$ (``value_usd``) and rupees
(``value_inr``) as published.

Within one release, each read takes one geography level, so that no export is counted twice:
national questions read ``national`` rows only, never the state or district rows a release may
also hold; district questions read ``district`` and ``unattributed`` rows. Ingestion keeps one
product level per geography level of a file, and for each place, product and period either
all-partner (``WLD``) rows or rows by country, so the sums below never add a total to its parts.
"""

from __future__ import annotations

import pandas as pd

from dehub.facts import catalog
from dehub.facts.catalog import Choice
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
    and partner (``WLD``: all partners, where the release has no breakdown by country).
    Columns: ``product_code``, ``partner_code``, ``value_usd``, ``quantity``."""
    return store.con.execute(
        """
        SELECT left(product_code, ?) AS product_code, partner_code,
               sum(value_usd) AS value_usd, sum(quantity) AS quantity
        FROM facts
        WHERE release_id = ? AND period = ? AND geo_level = 'national'
              AND product_level LIKE 'HS%'
        GROUP BY ALL
        """,
        [int(level[2:]), choice.release.release_id, period],
    ).df()


def latest_period(
    store: FactStore,
    geo: str,
    source: str | None = None,
    *,
    products: tuple[str, ...] | None = None,
    by_partner: bool | None = None,
) -> str | None:
    """The latest financial year of the active releases that can answer a question at ``geo``
    level (of a source, product levels, partner breakdown); see
    :func:`dehub.facts.catalog.latest_period`."""
    return catalog.latest_period(
        store, geo=geo, products=products, by_partner=by_partner, source=source
    )


def release_periods(
    store: FactStore, choice: Choice, geo: str, products: tuple[str, ...]
) -> list[str]:
    """The periods in which the chosen release has facts at ``geo`` level and one of the
    ``products`` levels, sorted (from ``release_groups``: a release's catalogue entry lists its
    periods over all its levels)."""
    rows = store.con.execute(
        """
        SELECT DISTINCT period FROM release_groups
        WHERE release_id = ? AND geo_level = ? AND list_contains(?, product_level)
        ORDER BY period
        """,
        [choice.release.release_id, geo, list(products)],
    ).fetchall()
    return [str(r[0]) for r in rows]


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
        WHERE release_id = ? AND list_contains(?, period) AND geo_level = 'national'
              AND product_level LIKE 'HS%' AND partner_code <> 'WLD' AND {condition}
        GROUP BY ALL
        """,
        [choice.release.release_id, periods, product],
    ).df()


def national_values_by(
    store: FactStore, choice: Choice, periods: list[str], by: str, level: str = "HS2"
) -> pd.DataFrame:
    """India's exports in several periods by product (at ``level``) or by partner (``WLD``:
    all partners, where the release has no breakdown by country).
    Columns: ``period``, ``unit``, ``value_usd``."""
    key = f"left(product_code, {int(level[2:])})" if by == "product" else "partner_code"
    return store.con.execute(
        f"""
        SELECT period, {key} AS unit, sum(value_usd) AS value_usd
        FROM facts
        WHERE release_id = ? AND list_contains(?, period) AND geo_level = 'national'
              AND product_level LIKE 'HS%'
        GROUP BY ALL
        """,
        [choice.release.release_id, periods],
    ).df()


def national_total(store: FactStore, choice: Choice, period: str) -> float | None:
    """India's total exports in one period as the release publishes it (its national
    ``total`` rows, all partners), or None if it has none."""
    row = store.con.execute(
        """
        SELECT sum(value_usd) FROM facts
        WHERE release_id = ? AND period = ? AND geo_level = 'national'
              AND product_level = 'total' AND partner_code = 'WLD'
        """,
        [choice.release.release_id, period],
    ).fetchone()
    return None if row is None or row[0] is None else float(row[0])
