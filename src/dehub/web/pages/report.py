"""The district report: ``/districts/{lgd_code}/report.pdf``, ``.html`` (print-friendly, self
contained) and ``.xlsx`` (a sheet per table), from :mod:`dehub.reports`.

The report's content is read from the period's cached district frame (see
:mod:`dehub.web.pages.district`), with the district page's cached products and target markets
sections (so page and report agree), and kept in the cache, and so is each rendered file (PDF
~0.2-1 s to draw, ~45 KB; HTML and XLSX tens of milliseconds): a repeated download costs a
cache look-up, which keeps every route's p99 under the 150 ms target of issue 4.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from dehub.errors import NotFound
from dehub.reference.geography import resolve_district
from dehub.reports import FORMATS, render_report
from dehub.reports.content import file_stem
from dehub.services import district_report
from dehub.web.pages.district import (
    PeriodQuery,
    district_frame,
    district_profile,
    lgd_district_codes,
    redirect_to,
)
from dehub.web.pages.district_products import product_records, products_section
from dehub.web.pages.links import report_url
from dehub.web.pages.potential_sections import district_target
from dehub.web.rendering import cached

router = APIRouter(include_in_schema=False)


@router.get("/districts/{key}/report.{fmt}")
def district_report_file(
    request: Request,
    key: str,
    fmt: str,
    period: str | None = PeriodQuery,
    state: str | None = Query(None, description="State of an ambiguous district name"),
) -> Response:
    """A district's printable export profile; a name or other spelling redirects to the LGD
    code; an unknown district or format is a 404 page."""
    chosen = FORMATS.get(fmt)
    if chosen is None:
        raise NotFound(f"no report format {fmt!r}; reports are {', '.join(FORMATS)}")
    if key not in lgd_district_codes() or state:
        found = resolve_district(key, state)
        return redirect_to(report_url(found.code, fmt), period=period)
    frame = district_frame(request, period)
    district = resolve_district(key)
    applied = product_records(request, district.code)  # officers' entries: keys on their stamp
    stamp = tuple(map(str, applied[0]))
    profile = district_profile(request, district, period)
    products = products_section(request, district, profile, applied)
    target = district_target(request, district, period)
    content = cached(
        request,
        ("district-report", key, frame.period, frame.source["release_id"], *stamp),
        lambda _: district_report.district_report(
            frame, district, products=products, target_markets=target
        ),
    )
    disposition = "inline" if chosen.inline else "attachment"
    body = cached(
        request,
        ("district-report-file", key, fmt, frame.period, frame.source["release_id"], *stamp),
        lambda _: render_report(content, chosen),
    )
    return Response(
        body,
        media_type=chosen.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{file_stem(content)}{chosen.suffix}"'
        },
    )
