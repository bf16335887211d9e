"""Every route of the application (pages and API) is documented in docs/web.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute

from dehub.settings import Settings
from dehub.web.app import create_app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"


def _pattern(path: str) -> re.Pattern[str]:
    """``/districts/{key}/report.{fmt}`` matches ``/districts/{lgd_code}/report.pdf``: each
    parameter stands for any ``{name}`` or a literal value."""
    parts = re.split(r"\{[^}]+\}", path)
    any_value = r"(?:\{[^}]+\}|[\w.-]+)"
    return re.compile(any_value.join(re.escape(p) for p in parts) + r"(?![\w/])")


def _paths(routes: list[Any], prefix: str = "") -> Iterator[str]:
    """Every route's full path, also inside included routers (kept nested by FastAPI)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path
        elif (inner := getattr(route, "original_router", None)) is not None:
            yield from _paths(inner.routes, prefix + route.include_context.prefix)


def test_every_route_is_in_docs_web_md(tmp_path: Path) -> None:
    app = create_app(Settings(home=tmp_path, env="test"))
    docs = DOCS.read_text()
    paths = sorted(set(_paths(app.routes)))
    assert "/api/v1/districts/{lgd_code}" in paths and "/" in paths
    missing = [p for p in paths if p != "/" and not _pattern(p).search(docs)]
    assert missing == []
