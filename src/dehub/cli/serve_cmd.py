"""``dehub serve``: the web platform (pages and the JSON API) on the embedded stores."""

from __future__ import annotations

from typing import Annotated

import typer

from dehub.cli.output import handle_errors, out
from dehub.services.records.database import upgrade_database
from dehub.settings import get_settings


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (1 = one process; each has its caches).")
    ] = 1,
    warm: Annotated[
        bool, typer.Option(help="Fill the caches in the background right after start-up.")
    ] = True,
) -> None:
    """Start the web platform: pages at /, the JSON API at /api/v1, its docs at /api/docs."""
    import uvicorn

    settings = get_settings()
    upgrade_database(settings)
    out.print(f"dehub: serving {settings.facts_path} on http://{host}:{port}/", markup=False)
    if workers > 1:
        uvicorn.run(
            "dehub.web.app:create_served_app" if warm else "dehub.web.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
        return
    from dehub.web.app import create_app

    uvicorn.run(create_app(settings, warm=warm), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``dehub`` command."""
    app.command("serve")(handle_errors()(serve))
