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
from dehub.services.records.product_records import read_applied, read_stamp
from dehub.web import section_tables
from dehub.web.auth import records_engine
from dehub.web.pages.links import product_url, row_link
from dehub.web.rendering import cached
from dehub.web.tables import with_links

PRODUCT_COLUMNS = with_links(section_tables.PRODUCT_COLUMNS, code=row_link("code", product_url))


Applied = tuple[tuple[int, int], list[dict[str, Any]]]


def product_records(request: Request, district_code: str) -> Applied:
    """The officers' entries on the district's products and their change stamp: cached pages
    of the district key on the stamp, so a change shows at once. A request costs one small
    aggregate query (the stamp); the entries are read only when the stamp is new."""
    engine = records_engine(request)
    stamp = read_stamp(engine, district_code)
    # entries read after a newer change are kept under the older stamp, which never recurs
    records = cached(
        request,
        ("district-product-records", district_code, stamp),
        lambda _: read_applied(engine, district_code)[1],
    )
    return stamp, records


def products_section(
    request: Request,
    district: District,
    profile: dict[str, Any],
    applied: Applied | None = None,
) -> dict[str, Any]:
    """The district's products section for ``profile`` (a district profile of one period),
    with the officers' entries ``applied`` (read when not given)."""
    source = profile["source"]
    stamp, records = applied if applied is not None else product_records(request, district.code)
    return cached(
        request,
        ("district-products", district.code, profile["period"], str(source["release_id"]), stamp),
        lambda settings: district_products(
            settings, district, profile["sectors"], source, records=records
        ),
    )
