"""Officers' entries on a district's products (issue #5): add a product with its HS codes,
correct a bundled product's HS mapping, or hide a bundled mapping as wrong; update or withdraw
an entry; list them. :func:`dehub.services.district_products.apply_records` shows the active
entries on top of the bundled ODOP, GI and PMFME lists (entries win), wherever a district's
products appear: ``dehub products list``, ``dehub district``, the district page and
``/api/v1/districts/{lgd}``.

Writes need ``product.manage`` (:mod:`dehub.records.policy`: officers whose scope covers the
district) and write their audit entry; updates carry the ``version`` (409 when stale).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from dehub.records.accounts import User
from dehub.records.policy import Actor, Resource, can, require
from dehub.records.products import ProductRecord
from dehub.services.district_products import bundled_codes
from dehub.services.records import common
from dehub.services.records.schemas import (
    Page,
    ProductRecordCreate,
    ProductRecordPublic,
    ProductRecordUpdate,
)


def of_record(r: ProductRecord) -> Resource:
    """The policy resource of an entry: its district."""
    return Resource("product_record", r.state_code, r.district_code)


def _author(session: Session, actor: Actor) -> str:
    """How an entry names its author: the account's name, else its email."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    return (user.name if user is not None and user.name else None) or actor.email


def _bundled(district_code: str, data: ProductRecordCreate) -> tuple[str, str, list[str]]:
    """The bundled product of the district an entry refers to (by key or name): its key, name
    and curated codes; :class:`InvalidInput` when the district has no such product."""
    products = bundled_codes(district_code)
    wanted = (data.product_key or "").strip().upper()
    name = data.product.strip().casefold()
    for key, (product, codes) in products.items():
        if key == wanted or (not wanted and product.casefold() == name):
            return key, product, codes
    known = "; ".join(f"{k} ({p})" for k, (p, _) in products.items()) or "none"
    raise common.invalid(
        "product_key", f"not a bundled product of the district: use one of {known}"
    )


def create_record(session: Session, actor: Actor, data: ProductRecordCreate) -> ProductRecordPublic:
    """An entry of any kind (:func:`add_product`, :func:`correct_product`, :func:`hide_mapping`
    are this with the kind fixed)."""
    d = common.district(data.district_code)
    require(actor, "product.manage", Resource("product_record", d.state_code, d.code))
    key: str | None = None
    product = data.product.strip()
    if data.kind == "add":
        if not product:
            raise common.invalid("product", "name the product")
        if not data.hs_codes:
            raise common.invalid("hs_codes", "give at least one HS code")
    else:
        key, product, codes = _bundled(d.code, data)
        if data.kind == "correct" and not data.hs_codes:
            raise common.invalid("hs_codes", "give the replacement HS codes (or hide the mapping)")
        wrong = [c for c in data.hs_codes if c not in codes]
        if data.kind == "hide" and wrong:
            raise common.invalid(
                "hs_codes", f"not in the bundled mapping of {product}: {', '.join(wrong)}"
            )
    author = _author(session, actor)
    record = ProductRecord(
        district_code=d.code,
        state_code=d.state_code,
        kind=data.kind,
        product=product,
        product_key=key,
        hs_codes=list(data.hs_codes),
        note=data.note,
        active=True,
        created_by=actor.user_id,
        author=author,
        updated_by=author,
    )
    common.create(session, actor, record)
    return ProductRecordPublic.model_validate(record)


def add_product(session: Session, actor: Actor, data: ProductRecordCreate) -> ProductRecordPublic:
    """Add a product to the district: name, HS codes (their level is their length), note."""
    return create_record(session, actor, data.model_copy(update={"kind": "add"}))


def correct_product(
    session: Session, actor: Actor, data: ProductRecordCreate
) -> ProductRecordPublic:
    """Replace a bundled product's HS codes in the district, with the rationale in ``note``."""
    return create_record(session, actor, data.model_copy(update={"kind": "correct"}))


def hide_mapping(session: Session, actor: Actor, data: ProductRecordCreate) -> ProductRecordPublic:
    """Hide a bundled product's codes (or, with no codes, its entry) in the district as wrong."""
    return create_record(session, actor, data.model_copy(update={"kind": "hide"}))


def update_record(
    session: Session, actor: Actor, record_id: int, data: ProductRecordUpdate
) -> ProductRecordPublic:
    """Change an entry's name, codes or note, or withdraw it (``active=False``); 409 when
    ``version`` is stale."""
    record = common.get(session, ProductRecord, record_id)
    require(actor, "product.manage", of_record(record))
    changes = common.changes_of(data)
    if record.kind != "add":
        changes.pop("product", None)  # a bundled product keeps its name
    if "hs_codes" in changes and not changes["hs_codes"] and record.kind != "hide":
        raise common.invalid("hs_codes", "give at least one HS code")
    changes["updated_by"] = _author(session, actor)
    common.save(session, actor, record, data.version, changes)
    return ProductRecordPublic.model_validate(record)


def list_records(
    session: Session,
    actor: Actor | None,
    *,
    district_code: str | None = None,
    state_code: str | None = None,
    active: bool | None = None,
) -> Page[ProductRecordPublic]:
    """The entries the actor may see (officers in scope), newest first."""
    stmt = select(ProductRecord).order_by(ProductRecord.id.desc())
    if district_code is not None:
        stmt = stmt.where(ProductRecord.district_code == district_code)
    if state_code is not None:
        stmt = stmt.where(ProductRecord.state_code == state_code)
    if active is not None:
        stmt = stmt.where(ProductRecord.active == active)
    data = [
        ProductRecordPublic.model_validate(r)
        for r in session.scalars(stmt)
        if can(actor, "view", of_record(r))
    ]
    return Page(data=data, count=len(data))


def applied(session: Session, district_code: str) -> list[dict[str, Any]]:
    """The district's active entries, oldest first, as :func:`apply_records` takes them
    (kind, product, product_key, hs_codes, note, author, date): what everyone sees of them."""
    rows = session.scalars(
        select(ProductRecord)
        .where(ProductRecord.district_code == district_code, ProductRecord.active.is_(True))
        .order_by(ProductRecord.id)
    )
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "product": r.product,
            "product_key": r.product_key,
            "hs_codes": list(r.hs_codes),
            "note": r.note,
            "by": r.updated_by,
            "at": r.updated_at.date().isoformat(),
        }
        for r in rows
    ]


def change_stamp(session: Session, district_code: str) -> tuple[int, int]:
    """A counter that changes with every entry of the district (entries are never deleted and
    every change raises a version): (entries, sum of versions). Caches key on it."""
    count, total = session.execute(
        select(
            func.count(ProductRecord.id), func.coalesce(func.sum(ProductRecord.version), 0)
        ).where(ProductRecord.district_code == district_code)
    ).one()
    return int(count), int(total)


def read_applied(
    bind: Engine | Connection, district_code: str
) -> tuple[tuple[int, int], list[dict[str, Any]]]:
    """:func:`change_stamp` and :func:`applied` of a district from a records database; a
    database without the table (not yet migrated, or unreachable) has no entries."""
    try:
        with Session(bind=bind, join_transaction_mode="create_savepoint") as session:
            return change_stamp(session, district_code), applied(session, district_code)
    except SQLAlchemyError:
        return (0, 0), []


def read_stamp(bind: Engine | Connection, district_code: str) -> tuple[int, int]:
    """:func:`change_stamp` of a district from a records database (one aggregate query, for
    caches that key on it); ``(0, 0)`` like :func:`read_applied` without the table."""
    try:
        with Session(bind=bind, join_transaction_mode="create_savepoint") as session:
            return change_stamp(session, district_code)
    except SQLAlchemyError:
        return (0, 0)
