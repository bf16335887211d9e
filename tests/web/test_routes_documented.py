"""Every route of the application (pages and API) is documented in docs/ (the data pages and
API in web.md, the records workspace and API in records.md, HS finder in hs-find.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute

from dehub.settings import Settings
from dehub.web.app import create_app

DOCS = Path(__file__).resolve().parents[2] / "docs"
API = "/api/v1"


def _pattern(path: str) -> re.Pattern[str]:
    """``/districts/{key}/report.{fmt}`` matches ``/districts/{lgd_code}/report.pdf``: each
    parameter stands for any ``{name}`` or a literal value."""
    parts = re.split(r"\{[^}]+\}", path.removeprefix(API))
    any_value = r"(?:\{[^}]+\}|[\w.-]+)"
    body = any_value.join(re.escape(p) for p in parts)
    # API tables may name routes without the /api/v1 prefix their section states
    prefix = f"(?:{re.escape(API)})?" if path.startswith(API) else r"(?<![\w/])"
    return re.compile(prefix + body + r"(?![\w/])")


def _paths(routes: list[Any], prefix: str = "") -> Iterator[str]:
    """The full path of every API route and page, also inside included routers (FastAPI keeps
    them nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            path = prefix + route.path
            # every API route, and every page a browser opens (the workspace's form posts are
            # documented together as "Forms post to /workspace/... routes")
            if path.startswith(API) or "GET" in route.methods:
                yield path
        elif (inner := getattr(route, "original_router", None)) is not None:
            yield from _paths(inner.routes, prefix + route.include_context.prefix)


def test_every_route_is_documented(tmp_path: Path) -> None:
    app = create_app(Settings(home=tmp_path, env="test"))
    docs = "\n".join(p.read_text() for p in sorted(DOCS.glob("*.md")))
    paths = sorted(set(_paths(app.routes)))
    assert "/api/v1/districts/{lgd_code}" in paths and "/" in paths
    missing = [p for p in paths if p != "/" and not _pattern(p).search(docs)]
    assert missing == []
