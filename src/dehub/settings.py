"""Typed settings, read from the environment when first asked for (never at import time).

- ``DEHUB_HOME``: folder of the facts store, quarantine reports and the records database
  (default: the platform's per-user data folder, ``platformdirs.user_data_dir("dehub")``).
- ``DEHUB_ENV``: ``development`` (default), ``test`` or ``production``.
- ``DEHUB_DATABASE_URL``: SQLAlchemy URL of the records database
  (default: ``sqlite:///$DEHUB_HOME/records.sqlite``; required in production).
- ``DEHUB_DUCKDB_MEMORY_LIMIT``: memory the facts engine may use before spilling to disk
  (default ``1GB``).
- ``DEHUB_DUCKDB_THREADS``: threads of the facts engine (default 0 = one per core).
- ``DEHUB_HS_SEMANTIC``: whether the HS finder uses its embedding model when installed
  (default true; false = lexical only).
- ``DEHUB_SECRET_KEY``: the key signing the web sessions and their CSRF tokens (required in
  production, at least 32 characters; a fixed, public development key otherwise).
- ``DEHUB_SESSION_HOURS``: how long a web session lasts without use (default 12).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dehub.errors import ConfigError

DEVELOPMENT_SECRET = "dehub-development-secret-not-for-production"
"""The default ``DEHUB_SECRET_KEY``: public, refused when ``DEHUB_ENV=production``."""


class Settings(BaseSettings):
    """dehub's settings; see the module docstring for each variable."""

    model_config = SettingsConfigDict(env_prefix="DEHUB_", extra="ignore")

    home: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("dehub")))
    env: Literal["development", "test", "production"] = "development"
    database_url: str | None = None
    duckdb_memory_limit: str = "1GB"
    duckdb_threads: int = Field(default=0, ge=0)
    hs_semantic: bool = True
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    session_hours: float = Field(default=12, gt=0)

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.env == "production" and not self.database_url:
            raise ValueError("DEHUB_DATABASE_URL must be set when DEHUB_ENV=production")
        secret = self.secret_key.get_secret_value()
        if self.env == "production" and (secret == DEVELOPMENT_SECRET or len(secret) < 32):
            raise ValueError(
                "DEHUB_SECRET_KEY must be set to a random value of at least 32 characters "
                "when DEHUB_ENV=production (e.g. the output of openssl rand -hex 32)"
            )
        return self

    @property
    def facts_path(self) -> Path:
        """The DuckDB file holding the trade facts."""
        return self.home / "facts.duckdb"

    @property
    def quarantine_dir(self) -> Path:
        """Where ingestion writes the reports of rejected rows."""
        return self.home / "quarantine"

    @property
    def cache_path(self) -> Path:
        """Computed files that can be rebuilt at any time (``$DEHUB_HOME/cache``)."""
        return self.home / "cache"

    @property
    def records_url(self) -> str:
        """SQLAlchemy URL of the records database (SQLite under ``home`` by default)."""
        return self.database_url or f"sqlite:///{self.home / 'records.sqlite'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once; raise :class:`ConfigError` with the reason when they are invalid."""
    try:
        return Settings()
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        raise ConfigError(f"invalid settings: {exc}") from exc
