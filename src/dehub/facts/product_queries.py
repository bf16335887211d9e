"""Set-based reads for the product and market pages, over the facts of one chosen release.

Like :mod:`dehub.facts.queries`, each function takes a :class:`~dehub.facts.catalog.Choice`
(one release: sources are never mixed) and one geography level, and returns tidy long data with
codes as strings and values in US$ (``value_usd``) as published.

A *product* is an HS code of 2 to 8 digits (every code it prefixes) or a sector slug of the
district data (``reference/data/sectors.csv``; a sector is the HS chapters mapped to it in
``hs2_sectors.csv``). Ingestion keeps, for each place, product and period, either all-partner
(``WLD``) rows or rows by country, so summing over partners never adds a total to its parts.
"""

from __future__ import annotations

import pandas as pd

from dehub.facts.catalog import Choice
from dehub.facts.store import FactStore


def _product_condition(product: str, column: str = "product_code") -> str:
    """SQL condition (one ``?`` parameter: ``product``) selecting HS facts of a product."""
    if product.isdigit():
        return f"starts_with({column}, ?)"
    return f"left({column}, 2) IN (SELECT hs2 FROM ref_hs2_sectors WHERE sector = ?)"


def national_product_series(
    store: FactStore, choice: Choice, product: str, periods: list[str]
) -> pd.DataFrame:
    """India's exports of one product (all partners) in each period.

    Columns: ``period``, ``value_usd`` (US$), ``partners`` (countries with exports > 0).
    National rows only; periods without data are absent."""
    return store.con.execute(
        f"""
        SELECT period, sum(value_usd) AS value_usd,
               count(DISTINCT partner_code) FILTER (WHERE value_usd > 0 AND partner_code <> 'WLD')
                   AS partners
        FROM facts
        WHERE release_id = ? AND list_contains(?, period) AND geo_level = 'national'
              AND product_level LIKE 'HS%' AND {_product_condition(product)}
        GROUP BY ALL ORDER BY period
        """,
        [choice.release.release_id, periods, product],
    ).df()


def national_products_to(
    store: FactStore, choice: Choice, periods: list[str], partner: str, level: str
) -> pd.DataFrame:
    """India's exports to one partner (ISO3) by product at ``level`` (HS2..HS8, longer codes
    truncated), in several periods. Columns: ``period``, ``product_code``, ``value_usd``."""
    return store.con.execute(
        """
        SELECT period, left(product_code, ?) AS product_code, sum(value_usd) AS value_usd
        FROM facts
        WHERE release_id = ? AND list_contains(?, period) AND geo_level = 'national'
              AND product_level LIKE 'HS%' AND partner_code = ?
        GROUP BY ALL
        """,
        [int(level[2:]), choice.release.release_id, periods, partner],
    ).df()


def national_hs2_values(store: FactStore, choice: Choice, periods: list[str]) -> pd.DataFrame:
    """India's exports by HS chapter and the chapter's sector, in several periods.

    Columns: ``period``, ``hs2``, ``sector`` (None for chapters outside the 22 sectors, e.g.
    37), ``value_usd``."""
    return store.con.execute(
        """
        SELECT f.period, left(f.product_code, 2) AS hs2, h.sector, sum(f.value_usd) AS value_usd
        FROM facts f LEFT JOIN ref_hs2_sectors h ON h.hs2 = left(f.product_code, 2)
        WHERE f.release_id = ? AND list_contains(?, f.period) AND f.geo_level = 'national'
              AND f.product_level LIKE 'HS%'
        GROUP BY ALL
        """,
        [choice.release.release_id, periods],
    ).df()


def district_values_of(
    store: FactStore, choice: Choice, period: str, product: str, *, as_sector: bool
) -> pd.DataFrame:
    """District-wise exports of one product (all partners) in one period.

    ``as_sector``: read sector facts whose code is ``product`` (a sector slug), or HS facts of
    the sector's chapters; otherwise HS facts whose code starts with ``product`` (an HS code).
    Columns: ``geo_level`` (``district`` or ``unattributed``), ``state_code``,
    ``district_code``, ``value_usd`` (US$)."""
    if as_sector:
        condition = (
            "CASE WHEN product_level = 'sector' THEN product_code = ? ELSE left(product_code, 2)"
            " IN (SELECT hs2 FROM ref_hs2_sectors WHERE sector = ?) END"
        )
        params: list[object] = [product, product]
    else:
        condition = "product_level LIKE 'HS%' AND starts_with(product_code, ?)"
        params = [product]
    return store.con.execute(
        f"""
        SELECT geo_level, state_code, district_code, sum(value_usd) AS value_usd
        FROM facts
        WHERE release_id = ? AND period = ? AND geo_level IN ('district', 'unattributed')
              AND {condition}
        GROUP BY ALL
        """,
        [choice.release.release_id, period, *params],
    ).df()


def state_values_to(store: FactStore, choice: Choice, period: str, partner: str) -> pd.DataFrame:
    """State-wise exports (all products, all ports) to one partner (ISO3) in one period.

    Columns: ``geo_level`` (``state``, or ``unattributed``: not attributed to a state),
    ``state_code`` (LGD; None when unattributed), ``value_usd`` (US$), ``ports`` (customs ports
    with exports > 0)."""
    return store.con.execute(
        """
        SELECT geo_level, state_code, sum(value_usd) AS value_usd,
               count(DISTINCT port_code) FILTER (WHERE value_usd > 0) AS ports
        FROM facts
        WHERE release_id = ? AND period = ? AND geo_level IN ('state', 'unattributed')
              AND partner_code = ?
        GROUP BY ALL
        """,
        [choice.release.release_id, period, partner],
    ).df()


def national_values_of_codes(
    store: FactStore, choice: Choice, codes: list[str], periods: list[str]
) -> pd.DataFrame:
    """India's exports of several HS codes (2, 4, 6 or 8 digits; each code covers every finer
    code it prefixes) to each partner, in several periods, in one pass over the facts.

    A fact counts once for each listed code that prefixes it (``0804`` and ``080450`` both
    count a fact of ``08045020``). Columns: ``code``, ``period``, ``partner_code`` (ISO3;
    ``WLD`` rows excluded: national data by partner is kept without its total), ``value_usd``."""
    codes = sorted(set(codes))
    if not codes:
        return pd.DataFrame(columns=["code", "period", "partner_code", "value_usd"])
    # one starts_with per code: DuckDB prunes row groups on it (a join on a prefix cannot)
    prefixes = " OR ".join("starts_with(product_code, ?)" for _ in codes)
    joins = " UNION ALL ".join(
        f"SELECT c.code, f.period, f.partner_code, f.value_usd FROM f "
        f"JOIN c ON length(c.code) = {n} AND c.code = left(f.product_code, {n})"
        for n in sorted({len(c) for c in codes})
    )
    return store.con.execute(
        f"""
        WITH c AS (SELECT unnest(?::VARCHAR[]) AS code),
        f AS (
            SELECT product_code, period, partner_code, value_usd FROM facts
            WHERE release_id = ? AND list_contains(?, period) AND geo_level = 'national'
                  AND product_level LIKE 'HS%' AND partner_code <> 'WLD' AND ({prefixes})
        )
        SELECT code, period, partner_code, sum(value_usd) AS value_usd
        FROM ({joins})
        GROUP BY ALL
        """,
        [codes, choice.release.release_id, periods, *codes],
    ).df()
