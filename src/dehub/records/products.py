"""Officers' entries on a district's products (issue #5): a product added to the district, a
correction of a bundled product's HS mapping, or a bundled mapping hidden as wrong. The bundled
ODOP, GI and PMFME lists stay as shipped; :mod:`dehub.services.district_products` applies the
active entries on top of them (entries win)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dehub.records.base import Base, Versioned


class ProductRecord(Versioned, Base):
    """One officer's entry on a district's products: ``kind`` ``add`` (a product with its HS
    codes), ``correct`` (replacement HS codes of the bundled product ``product_key``) or
    ``hide`` (the bundled product's ``hs_codes`` dropped as wrong; no codes: the whole entry);
    ``note`` is the description or the rationale; ``active`` False when withdrawn. Who wrote it
    (``created_by``, ``author``) and who last changed it (``updated_by``)."""

    __tablename__ = "district_product_records"

    district_code: Mapped[str] = mapped_column(String(8), index=True)
    state_code: Mapped[str] = mapped_column(String(8), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    product: Mapped[str] = mapped_column(String(200))
    product_key: Mapped[str | None] = mapped_column(String(120))
    hs_codes: Mapped[list[str]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author: Mapped[str] = mapped_column(String(254))
    updated_by: Mapped[str] = mapped_column(String(254))
