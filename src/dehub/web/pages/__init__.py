"""Server-rendered pages, one module per page kind. Each module has a ``router``."""

from __future__ import annotations

from fastapi import FastAPI

PAGE_MODULES = ("national",)


def include_all(app: FastAPI) -> None:
    """Add every page module's routes to ``app``."""
    from importlib import import_module

    for name in PAGE_MODULES:
        module = import_module(f"dehub.web.pages.{name}")
        app.include_router(module.router)
