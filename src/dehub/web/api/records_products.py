"""Officers' entries on a district's products over the API: add a product, correct a bundled
product's HS mapping, hide a bundled mapping as wrong, update or withdraw an entry; thin over
:mod:`dehub.services.records.product_records`. The district page and
``/api/v1/districts/{lgd_code}`` show the entries at once (their caches key on a change
stamp)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from dehub.records.products import ProductRecord
from dehub.services.records import product_records
from dehub.services.records.schemas import ProductRecordCreate, ProductRecordUpdate
from dehub.web.api.pagination import Paging
from dehub.web.api.records_io import listing, one, saving
from dehub.web.auth import CurrentActor, no_store, transaction

router = APIRouter(tags=["district products (records)"], dependencies=[Depends(no_store)])


@router.get("/product-records")
def list_product_records(
    request: Request,
    actor: CurrentActor,
    paging: Paging,
    district_code: str | None = None,
    state_code: str | None = None,
    active: bool | None = None,
) -> dict[str, Any]:
    """Officers' entries on districts' products the caller may see (officers in scope),
    newest first."""
    with transaction(request) as session:
        page = product_records.list_records(
            session, actor, district_code=district_code, state_code=state_code, active=active
        )
    return listing(page, paging)


@router.post("/product-records", status_code=201)
def create_product_record(
    body: ProductRecordCreate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """An entry: ``kind`` ``add`` (a product with HS codes), ``correct`` (a bundled product's
    replacement codes and rationale) or ``hide`` (a bundled mapping dropped as wrong)."""
    with transaction(request) as session:
        return one(product_records.create_record(session, actor, body))


@router.patch("/product-records/{record_id}")
def update_product_record(
    record_id: int, body: ProductRecordUpdate, request: Request, actor: CurrentActor
) -> dict[str, Any]:
    """Change an entry's codes, note or name, or withdraw it (``active: false``); 409 with the
    entry as it now is when ``version`` is stale."""
    with saving(request, ProductRecord, record_id) as session:
        return one(product_records.update_record(session, actor, record_id, body))
