"""The canonical long table of trade facts and its release catalogue (DuckDB DDL).

One row of ``facts`` is one published number: the exports of a reporter geography (India, a
state, a district, or exports not attributed to a district) of a product (all goods, a sector, or
an HS code at 2 to 8 digits) to a partner (a country, or ``WLD`` for all partners), optionally
through a customs port, in one period, in US$ and/or INR as published, with quantity and unit.

Each release's facts are stored in a table of their own, ``facts_<release_id>``, holding only
the columns whose value differs between its rows; a column with one value for the whole release
(``geo_level`` 'national', ``port_code`` NULL...) is recorded once in ``release_constants``.
``release_groups`` counts and totals each release's facts by period, geography level and product
level (what the catalogue answers without reading the facts). The
view ``facts`` puts them together (:func:`facts_view_sql`), with the canonical columns
(:data:`FACT_COLUMNS`); a filter on ``release_id`` skips the other releases' tables unread.

Every fact belongs to exactly one release (``releases``: the source, its release label, the file
it came from, its content hash). Facts of different sources are never added together: queries pick
one release per granularity (see :mod:`dehub.facts.catalog`).
"""

from __future__ import annotations

import re

from dehub.facts.sql import literal_or_null

GEO_LEVELS = ("national", "state", "district", "unattributed")
"""``unattributed`` = exports in district-wise data not attributed to any district (DGCI&S
"UNSPECIFIED"), kept with their state where one is known; never ranked as a district."""

PRODUCT_LEVELS = ("total", "sector", "HS2", "HS4", "HS6", "HS8")
WORLD = "WLD"
"""Partner code for 'all partners'."""

FY_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def period_kind(period: str) -> str | None:
    """``"FY"`` for an Indian financial year such as ``2024-25`` (April 2024 - March 2025),
    ``"month"`` for ``2024-04``, ``None`` for anything else.

    ``2011-12`` would be both; it is read as the financial year (no data here is that old).
    """
    fy = FY_PATTERN.match(period)
    if fy and (int(fy.group(1)) + 1) % 100 == int(fy.group(2)):
        return "FY"
    return "month" if MONTH_PATTERN.match(period) else None


SCHEMA_VERSION = 3
"""Bump when the DDL changes; a store of another version is refused with advice."""

DDL = """
CREATE TABLE IF NOT EXISTS dehub_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE SEQUENCE IF NOT EXISTS release_id_seq START 1;
CREATE TABLE IF NOT EXISTS releases (
    release_id     INTEGER PRIMARY KEY DEFAULT nextval('release_id_seq'),
    source         VARCHAR NOT NULL,
    release        VARCHAR NOT NULL,
    layout         VARCHAR NOT NULL,
    file_name      VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    periods        VARCHAR[] NOT NULL,
    geo_levels     VARCHAR[] NOT NULL,
    product_levels VARCHAR[] NOT NULL,
    by_partner     BOOLEAN NOT NULL,
    by_port        BOOLEAN NOT NULL,
    row_count      BIGINT NOT NULL,
    total_usd      DOUBLE,
    total_inr      DOUBLE,
    loaded_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    status         VARCHAR NOT NULL DEFAULT 'active',
    superseded_by  INTEGER,
    notes          VARCHAR
);
CREATE TABLE IF NOT EXISTS release_groups (
    release_id    INTEGER NOT NULL,
    period        VARCHAR NOT NULL,
    geo_level     VARCHAR NOT NULL,
    product_level VARCHAR NOT NULL,
    facts         BIGINT NOT NULL,
    total_usd     DOUBLE,
    total_inr     DOUBLE,
    PRIMARY KEY (release_id, period, geo_level, product_level)
);
CREATE TABLE IF NOT EXISTS release_constants (
    release_id  INTEGER NOT NULL,
    column_name VARCHAR NOT NULL,
    value       VARCHAR,
    PRIMARY KEY (release_id, column_name)
);
"""

FACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("period", "VARCHAR NOT NULL"),
    ("geo_level", "VARCHAR NOT NULL"),
    ("state_code", "VARCHAR"),
    ("district_code", "VARCHAR"),
    ("product_level", "VARCHAR NOT NULL"),
    ("product_code", "VARCHAR NOT NULL"),
    ("partner_code", "VARCHAR NOT NULL"),
    ("port_code", "VARCHAR"),
    ("value_usd", "DOUBLE"),
    ("value_inr", "DOUBLE"),
    ("quantity", "DOUBLE"),
    ("unit", "VARCHAR"),
)
"""The columns of a fact after ``release_id``, in order, with their DuckDB types."""

CONSTANT_COLUMNS = frozenset(
    ("period", "geo_level", "state_code", "district_code", "product_level", "product_code")
    + ("partner_code", "port_code", "value_usd", "value_inr", "quantity", "unit")
)
"""Columns that a release may record once (in ``release_constants``, as text) instead of per
row; the values and the unit only when they are empty for the whole release."""


def release_table(release_id: int) -> str:
    """The table holding one release's facts."""
    return f"facts_{int(release_id)}"


def release_select_sql(table: str, release_id: int, constants: dict[str, str | None]) -> str:
    """SELECT the canonical fact columns (``release_id`` first) of one release stored in
    ``table``, its constant columns filled in as literals, its text columns as VARCHAR."""
    cols = [f"{int(release_id)}::INTEGER AS release_id"]
    for name, kind in FACT_COLUMNS:
        base = kind.split()[0]
        if name in constants:
            cols.append(f"{literal_or_null(constants[name])}::{base} AS {name}")
        else:  # a text column may be stored as an ENUM of the release's values
            cols.append(f"{name}::{base} AS {name}" if base == "VARCHAR" else name)
    return f"SELECT {', '.join(cols)} FROM {table}"


def facts_view_sql(releases: list[tuple[int, dict[str, str | None]]]) -> str:
    """``CREATE OR REPLACE VIEW facts``: the union of the release tables, each release's constant
    columns (``{column: value}``) filled in as literals. With no release, an empty view of the
    same columns."""
    if not releases:
        empty = ", ".join(f"NULL::{kind.split()[0]} AS {name}" for name, kind in FACT_COLUMNS)
        body = f"SELECT NULL::INTEGER AS release_id, {empty} WHERE false"
    else:
        body = "\nUNION ALL ".join(
            release_select_sql(release_table(rid), rid, consts) for rid, consts in releases
        )
    return f"CREATE OR REPLACE VIEW facts AS\n{body}"


FACTS_ACTIVE_VIEW = """
CREATE OR REPLACE VIEW facts_active AS
    SELECT r.source, r.release, f.*
    FROM facts f JOIN releases r USING (release_id)
    WHERE r.status = 'active'
"""
