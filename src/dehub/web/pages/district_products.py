"""The "ODOP and GI products" section of the district page and API.

A district's ODOP, GI and PMFME products with their curated HS codes, India's exports of each
code and the district's sector figures (:func:`dehub.services.district_products.district_products`),
computed once per district, period and release and kept in the application cache.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from dehub.reference.geography import District
from dehub.services.district_products import district_products
from dehub.web import section_tables
from dehub.web.pages.links import product_url, row_link
from dehub.web.rendering import cached
from dehub.web.tables import with_links

PRODUCT_COLUMNS = with_links(section_tables.PRODUCT_COLUMNS, code=row_link("code", product_url))


def products_section(
    request: Request, district: District, profile: dict[str, Any]
) -> dict[str, Any]:
    """The district's products section for ``profile`` (a district profile of one period)."""
    source = profile["source"]
    return cached(
        request,
        ("district-products", district.code, profile["period"], str(source["release_id"])),
        lambda settings: district_products(settings, district, profile["sectors"], source),
    )
