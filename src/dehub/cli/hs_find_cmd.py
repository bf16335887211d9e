"""``dehub hs-find``: free text -> ranked HS6 / ITC-HS 8-digit codes, with why each matched."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from dehub.cli.output import JsonFlag, err, handle_errors, out, print_json
from dehub.services import hs_finder
from dehub.settings import get_settings


def hs_find(
    text: Annotated[list[str], typer.Argument(help="Words describing the product.")],
    top: Annotated[int, typer.Option("--top", help=f"Codes to list (1-{hs_finder.MAX_TOP}).")] = 10,
    level: Annotated[
        str, typer.Option("--level", help="HS6 (HS 2022 subheadings) or HS8 (ITC-HS codes).")
    ] = "HS6",
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="combined (lexical and semantic, fused), lexical or semantic.",
        ),
    ] = "combined",
    as_json: JsonFlag = False,
) -> None:
    """Find the HS codes of a product described in words ("brass puja lamps"): BM25 over the
    HS 2022 and ITC-HS texts fused with a small embedding model's similarity (see
    docs/hs-find.md)."""
    settings = get_settings()
    query = " ".join(text)
    found = hs_finder.find_hs(query, settings, top=top, level=level, mode=mode)
    if as_json:
        print_json({"ok": True, **found})
        return
    for note in found["notes"]:
        err.print(f"note: {note}", markup=False)
    table = Table(
        "#", found["level"], "description", "why", title=f"{found['query']} ({found['method']})"
    )
    for r in found["results"]:
        description = r["description"]
        if found["level"] == "HS8":
            description += f" [HS6: {r['hs6_description']}]"
        table.add_row(str(r["rank"]), r["code"], description, r["why"])
    if not found["results"]:
        out.print(f"no HS code matches {found['query']!r}", markup=False)
        return
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``hs-find`` to the ``dehub`` command."""
    app.command("hs-find")(handle_errors()(hs_find))
