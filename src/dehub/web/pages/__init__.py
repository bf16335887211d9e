"""Server-rendered pages, one module per page kind; every module with a ``router`` is
included by :func:`include_all`."""

from __future__ import annotations

import pkgutil
from importlib import import_module

from fastapi import APIRouter, FastAPI


def include_all(app: FastAPI) -> None:
    """Add every page module's routes to ``app``."""
    for module in pkgutil.iter_modules(__path__):
        found = getattr(import_module(f"{__name__}.{module.name}"), "router", None)
        if isinstance(found, APIRouter):
            app.include_router(found)
