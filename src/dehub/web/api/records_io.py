"""What every records API route shares: the list envelope ``{ok, data, count, limit, offset}``
of a use case's :class:`Page`, one record as ``{ok, data}``, and saving under optimistic
concurrency — a stale ``version`` answers 409 with the record as it now is (``current``), and
nothing is saved."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from dehub.errors import ConflictError
from dehub.records.base import Base
from dehub.services.records import common
from dehub.web.api.pagination import PageParams
from dehub.web.auth import transaction


def listing(page: Any, paging: PageParams) -> dict[str, Any]:
    """A use case's ``Page`` as the list envelope: one slice of ``data``, ``count`` of all."""
    items = [item.model_dump(mode="json") for item in page.data]
    return {
        "ok": True,
        "data": items[paging.offset : paging.offset + paging.limit],
        "count": page.count,
        "limit": paging.limit,
        "offset": paging.offset,
    }


def one(record: BaseModel | None) -> dict[str, Any]:
    """One record as ``{ok, data}``."""
    return {"ok": True, "data": None if record is None else record.model_dump(mode="json")}


@contextmanager
def saving(request: Request, model: type[Base], record_id: int) -> Iterator[Session]:
    """A transaction for an update of the ``model`` record ``record_id``: on a stale version
    the :class:`ConflictError` (409) carries the record as it now is, for the client to
    reapply its change to."""
    try:
        with transaction(request) as session:
            yield session
    except ConflictError as error:
        with transaction(request) as session:
            found = session.get(model, record_id)
            error.current = None if found is None else common.snapshot(found)
        raise
