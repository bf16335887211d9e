"""``dehub user add`` and ``dehub demo`` on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from dehub.cli.main import app
from dehub.records.accounts import AuditEntry, User
from dehub.records.passwords import verify_password
from dehub.records.plans import ActionPlan
from dehub.services.records.demo import DEMO_PASSWORD
from dehub.settings import Settings, get_settings

runner = CliRunner()


@pytest.fixture
def cli_db(settings: Settings, records_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DEHUB_DATABASE_URL", records_url)
    get_settings.cache_clear()
    return records_url


def test_user_add_hashes_the_password_from_stdin(cli_db: str, records_engine: Engine) -> None:
    result = runner.invoke(
        app,
        [
            "user",
            "add",
            "Officer@Example.IN",
            "--role",
            "district_officer",
            "--district",
            "Surat",
            "--password-stdin",
            "--json",
        ],
        input="a long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["user"]["email"] == "officer@example.in"
    assert body["user"]["district_code"] == "459" and body["user"]["state_code"] == "24"
    assert "password" not in result.output
    with Session(records_engine) as session:
        user = session.scalars(select(User)).one()
        assert verify_password(user.password_hash, "a long passphrase")
    again = runner.invoke(
        app,
        ["user", "add", "officer@example.in", "--role", "national_admin", "--password-stdin"],
        input="another passphrase\n",
    )
    assert again.exit_code == 5 and "exists already" in again.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--role", "mayor"], 2, "unknown role"),
        (["--role", "state_officer"], 2, "needs a state"),
        (["--role", "district_officer", "--district", "Aurangabad"], 2, "several districts"),
        (["--role", "exporter", "--enterprise", "Nobody Ltd"], 4, "no exporter"),
    ],
)
def test_user_add_refuses_bad_scopes(cli_db: str, args: list[str], code: int, message: str) -> None:
    result = runner.invoke(
        app,
        ["user", "add", "x@example.in", *args, "--password-stdin"],
        input="long enough password\n",
    )
    assert result.exit_code == code, result.output
    assert message in result.output and "Traceback" not in result.output


def test_user_add_without_a_terminal_asks_for_password_stdin(cli_db: str) -> None:
    result = runner.invoke(app, ["user", "add", "x@example.in", "--role", "national_admin"])
    assert result.exit_code == 2 and "--password-stdin" in result.output


def test_demo_is_labelled_and_idempotent(cli_db: str, records_engine: Engine) -> None:
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "DEMO accounts" in first.output and DEMO_PASSWORD in first.output
    with Session(records_engine) as session:
        users = session.scalars(select(User)).all()
        assert {u.role for u in users} == {
            "national_admin",
            "state_officer",
            "district_officer",
            "depc_member",
            "exporter",
        }
        assert all(u.is_demo and u.name.startswith("DEMO") for u in users)
        assert all(verify_password(u.password_hash, DEMO_PASSWORD) for u in users)
        plan = session.scalars(select(ActionPlan)).one()
        assert plan.district_code == "171" and len(plan.interventions) == 3
        count = session.scalar(select(func.count()).select_from(AuditEntry))
    second = runner.invoke(app, ["demo", "--json"])
    assert second.exit_code == 0 and json.loads(second.output)["created"] is False
    with Session(records_engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == count


def test_demo_is_refused_in_production(cli_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEHUB_ENV", "production")
    get_settings.cache_clear()
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 78 and "production" in result.output
