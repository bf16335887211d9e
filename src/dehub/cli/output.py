"""How the CLI prints: results, JSON, and errors (one line each, no traceback)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from dehub.errors import DehubError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
"""The ``--json`` option every command takes."""


def usd(value: float | None) -> str:
    """US$ for people: ``US$ 1.23 bn`` from a billion up, else ``US$ 4.56 mn``; ``-`` for None."""
    if value is None:
        return "-"
    if abs(value) >= 1e9:
        return f"US$ {value / 1e9:,.2f} bn"
    return f"US$ {value / 1e6:,.2f} mn"


def pct(fraction: float | None) -> str:
    """A fraction as a percentage with one decimal (``0.342`` -> ``34.2%``); ``-`` for None."""
    return "-" if fraction is None else f"{fraction:.1%}"


def print_json(data: Any) -> None:
    """Write ``data`` as JSON to standard output (plain, machine-readable)."""
    typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def handle_errors(json_flag: str = "as_json") -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Map :class:`DehubError` to its exit code and a message without a traceback.

    With ``--json`` the error is the JSON envelope on standard output; otherwise a line on
    standard error, then one line per detail.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return func(*args, **kwargs)
            except DehubError as exc:
                if kwargs.get(json_flag):
                    print_json(exc.envelope())
                else:
                    err.print(Text("error: ", style="bold red") + Text(exc.message))
                    for problem in exc.details:
                        where = f"{problem.field}: " if problem.field else ""
                        err.print(f"  {where}{problem.message}", markup=False)
                raise typer.Exit(exc.exit_code) from None

        return wrapper

    return decorate
