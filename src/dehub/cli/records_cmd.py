"""``dehub db`` (the records database), ``dehub user`` (accounts) and ``dehub demo``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dehub.cli.output import JsonFlag, handle_errors, out, print_json
from dehub.errors import InvalidInput, Problem
from dehub.records import db
from dehub.records.policy import Actor
from dehub.records.vocab import ROLES
from dehub.services.records.accounts import add_user, scope_codes
from dehub.services.records.database import upgrade_database
from dehub.services.records.demo import create_demo
from dehub.services.records.schemas import UserCreate
from dehub.settings import get_settings

db_app = typer.Typer(help="The records database (committees, plans, exporters, accounts).")
user_app = typer.Typer(help="Accounts of the records workspace.")


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


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InvalidInput("no terminal to prompt for the password: use --password-stdin")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
@handle_errors()
def user_add(
    email: Annotated[str, typer.Argument(help="The login (an email address).")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")],
    state: Annotated[
        str | None, typer.Option(help="State (LGD code or name): state officers.")
    ] = None,
    district: Annotated[
        str | None,
        typer.Option(help="District (LGD code or name): district officers, DEPC members."),
    ] = None,
    enterprise: Annotated[
        str | None, typer.Option(help="Exporter id, IEC or name: exporter accounts.")
    ] = None,
    name: Annotated[str, typer.Option(help="The person's name.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Create an account (the password is prompted for, or read with --password-stdin)."""
    if role not in ROLES:
        raise InvalidInput(
            f"unknown role {role!r}", [Problem("--role", f"one of: {', '.join(ROLES)}")]
        )
    settings = get_settings()
    engine = db.engine_for(settings)
    db.upgrade(engine)
    with db.session_scope(engine) as session:
        scope = scope_codes(session, state=state, district=district, enterprise=enterprise)
        password = _password(password_stdin)
        try:
            data = UserCreate.model_validate(
                {"email": email, "password": password, "name": name, "role": role, **scope}
            )
        except ValueError as exc:
            raise InvalidInput(f"invalid account: {exc}") from None
        user = add_user(session, Actor.system("dehub user add"), data)
    if as_json:
        print_json({"ok": True, "user": user.model_dump(mode="json")})
        return
    where = (
        user.district_code
        or user.state_code
        or (user.exporter_id and f"exporter {user.exporter_id}")
    )
    out.print(
        f"created account #{user.id} {user.email} ({user.role}"
        + (f", {where}" if where else "")
        + ")",
        markup=False,
    )


@handle_errors()
def demo(as_json: JsonFlag = False) -> None:
    """Create clearly labelled demo accounts for every role (one known password) and demo
    records for Moradabad (idempotent; refused in production)."""
    settings = get_settings()
    engine = db.engine_for(settings)
    db.upgrade(engine)
    with db.session_scope(engine) as session:
        result = create_demo(session, settings)
    if as_json:
        print_json({"ok": True, **result})
        return
    state = "created" if result["created"] else "already present (nothing changed)"
    out.print(f"demo data for Moradabad (LGD {result['district']}): {state}", markup=False)
    out.print("DEMO accounts (for trying the platform only; never use them for real work):")
    for account in result["accounts"]:
        out.print(
            f"  {account['email']:<32} {account['role']:<18} password: {account['password']}",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    """Add ``db``, ``user`` and ``demo`` to the ``dehub`` command."""
    app.add_typer(db_app, name="db")
    app.add_typer(user_app, name="user")
    app.command("demo")(demo)
