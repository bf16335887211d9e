"""Web fixtures: the application over the session's initialised store (read-only use)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dehub.settings import Settings
from dehub.web.app import create_app


@pytest.fixture(scope="session")
def web_settings(initialised_home: Path) -> Settings:
    """Settings on the initialised store; web tests only read it."""
    return Settings(home=initialised_home, env="test")


@pytest.fixture(scope="session")
def client(web_settings: Settings) -> TestClient:
    """An HTTP client of the application (no server; requests go straight to the app)."""
    return TestClient(create_app(web_settings))
