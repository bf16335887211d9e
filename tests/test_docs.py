"""Docs kept true: every command, option, setting and exit code is documented."""

from __future__ import annotations

from pathlib import Path

import typer.main

from dehub.cli.main import app
from dehub.errors import DehubError
from dehub.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = (ROOT / "docs" / "cli.md").read_text()
README = (ROOT / "README.md").read_text()


def _sections() -> dict[str, str]:
    parts = CLI_DOC.split("\n## dehub ")[1:]
    return {p.split("\n", 1)[0].strip(): p for p in parts}


def test_every_command_and_option_is_documented() -> None:
    group = typer.main.get_command(app)
    sections = _sections()
    commands = group.commands  # type: ignore[attr-defined]
    assert set(commands) == set(sections), "docs/cli.md sections differ from the commands"
    for name, command in commands.items():
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert f"`{opt}`" in sections[name], f"{name}: {opt} not in docs/cli.md"


def test_every_setting_is_in_the_readme() -> None:
    for field in Settings.model_fields:
        assert f"DEHUB_{field.upper()}" in README, field


def test_every_exit_code_is_documented() -> None:
    def subclasses(cls: type[DehubError]) -> set[type[DehubError]]:
        return {cls} | {s for c in cls.__subclasses__() for s in subclasses(c)}

    for cls in subclasses(DehubError) - {DehubError}:
        assert f"| {cls.exit_code} | `{cls.code}` |" in CLI_DOC, cls.__name__
