"""URLs of the pages, in one place (templates, tables and charts link with these)."""

from __future__ import annotations

from typing import Any


def district_url(lgd_code: str) -> str:
    return f"/districts/{lgd_code}"


def report_url(lgd_code: str, fmt: str) -> str:
    """A district's printable report in ``fmt`` (pdf, html or xlsx)."""
    return f"{district_url(lgd_code)}/report.{fmt}"


def state_url(lgd_code: str) -> str:
    return f"/states/{lgd_code}"


def product_url(code: str) -> str:
    """A product page: an HS code (2 to 8 digits) or a sector name of the district data."""
    return f"/products/{code}"


def market_url(iso3: str) -> str:
    return f"/markets/{iso3}"


def row_link(key: str, url: Any) -> Any:
    """A :class:`~dehub.web.tables.Column` ``href`` that links a row by its ``key`` value."""
    return lambda row: url(str(row[key])) if row.get(key) is not None else None
