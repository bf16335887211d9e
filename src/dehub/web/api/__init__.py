"""The JSON API under ``/api/v1``: thin routes over :mod:`dehub.services`, answered from the
application's cache. One module per area; every module with a ``router`` is included.

Conventions (every route follows them):

- success: ``{"ok": true, ...}``; lists are paginated with ``limit`` (default 50, max 1000)
  and ``offset`` and answer ``{"ok": true, "total": N, "limit": L, "offset": O, "items": [...]}``
  (see :func:`dehub.web.api.pagination.paginate`);
- errors: the envelope ``{"ok": false, "status": ..., "code": ..., "errors": [...]}``
  (404 for an unknown code, 422 for bad parameters);
- every answer from the facts store carries ``source`` (which release answered).
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

from fastapi import APIRouter

router = APIRouter()

for _module in pkgutil.iter_modules(__path__):
    _found = getattr(import_module(f"{__name__}.{_module.name}"), "router", None)
    if isinstance(_found, APIRouter):
        router.include_router(_found)
