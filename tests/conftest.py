"""Shared fixtures: a fresh DEHUB_HOME per test, and one initialised store per session.

Hypothesis runs without a per-example deadline everywhere (the properties, not timings, are
under test on busy machines). ``DEHUB_HYPOTHESIS_PROFILE=ci`` (set by .ci/run) also derandomises
it, so CI always tries the same examples; local runs keep searching for new ones.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from dehub.facts.store import FactStore
from dehub.settings import Settings, get_settings

hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("DEHUB_HYPOTHESIS_PROFILE", "dev"))


def _use_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> Settings:
    monkeypatch.setenv("DEHUB_HOME", str(home))
    monkeypatch.setenv("DEHUB_ENV", "test")
    monkeypatch.delenv("DEHUB_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings pointing at an empty DEHUB_HOME of this test."""
    yield _use_home(monkeypatch, tmp_path / "home")
    get_settings.cache_clear()


@pytest.fixture
def store(settings: Settings) -> Iterator[FactStore]:
    """An empty facts store of this test (writable)."""
    with FactStore.open(settings) as st:
        yield st


@pytest.fixture(scope="session")
def initialised_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DEHUB_HOME where `dehub init` has loaded the bundled data (built once per session)."""
    from dehub.services.facts import init_store

    home = tmp_path_factory.mktemp("initialised") / "home"
    init_store(Settings(home=home, env="test"))
    return home


@pytest.fixture
def initialised_settings(
    initialised_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """Settings on a private copy of the initialised store (tests may write to it)."""
    home = tmp_path / "home"
    shutil.copytree(initialised_home, home)
    yield _use_home(monkeypatch, home)
    get_settings.cache_clear()
