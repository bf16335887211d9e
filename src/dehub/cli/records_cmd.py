"""``dehub db`` (the records database), ``dehub user`` (accounts) and ``dehub demo``."""

from __future__ import annotations

import typer

from dehub.cli.output import JsonFlag, handle_errors, out, print_json
from dehub.services.records.database import upgrade_database
from dehub.settings import get_settings

db_app = typer.Typer(help="The records database (committees, plans, exporters, accounts).")


@db_app.command("upgrade")
@handle_errors()
def db_upgrade(as_json: JsonFlag = False) -> None:
    """Apply the records database migrations (idempotent)."""
    result = upgrade_database(get_settings())
    if as_json:
        print_json({"ok": True, **result})
        return
    what = "upgraded" if result["changed"] else "already at the latest migration"
    out.print(
        f"records database {result['database']}: {what} (revision {result['revision']})",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``db``, ``user`` and ``demo`` to the ``dehub`` command."""
    app.add_typer(db_app, name="db")
