"""One family of errors for every layer.

Each error carries a user-facing ``message``, a stable machine ``code``, the CLI ``exit_code``
and the HTTP ``status`` the interfaces map it to, and optional ``details`` (field-level problems)
that become the ``errors`` list of the JSON envelope
``{"ok": false, "status": 422, "errors": [{"field": ..., "message": ...}]}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Problem:
    """One field-level problem: which field (or file/row/column) and what is wrong."""

    field: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message}


@dataclass
class DehubError(Exception):
    """Base of every error dehub raises on purpose (never for bugs)."""

    message: str
    details: list[Problem] = field(default_factory=list)

    code: ClassVar[str] = "error"
    exit_code: ClassVar[int] = 1
    status: ClassVar[int] = 500

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def envelope(self) -> dict[str, Any]:
        """The JSON error envelope shared by the API and ``--json`` CLI output."""
        errors = [p.as_dict() for p in self.details] or [{"field": None, "message": self.message}]
        return {"ok": False, "status": self.status, "code": self.code, "errors": errors}


class ConfigError(DehubError):
    """Settings are missing or unsafe."""

    code = "config"
    exit_code = 78  # EX_CONFIG
    status = 500


class NotFound(DehubError):
    """A code or name that is not known (a district, a country, a release...)."""

    code = "not_found"
    exit_code = 4
    status = 404


class InvalidInput(DehubError):
    """Parameters or a file that do not have the expected form."""

    code = "invalid"
    exit_code = 2
    status = 422


class IngestRejected(InvalidInput):
    """A file had rejected rows: nothing was loaded, and a quarantine report was written."""

    code = "ingest_rejected"
    exit_code = 3


class Conflict(DehubError):
    """The request clashes with what is stored (e.g. a release already loaded for a period)."""

    code = "conflict"
    exit_code = 5
    status = 409


class StoreError(DehubError):
    """The store cannot be opened or is not initialised."""

    code = "store"
    exit_code = 6
    status = 503


class ConflictError(Conflict):
    """A record changed since it was loaded: the update carried a stale ``version`` and
    nothing was saved (reload, reapply the change, save again). The web layer sets
    ``current`` (the record as it now is), which the envelope then carries."""

    code = "edit_conflict"
    exit_code = 7
    status = 409
    current: dict[str, Any] | None = None

    def envelope(self) -> dict[str, Any]:
        found = super().envelope()
        if self.current is not None:
            found["current"] = self.current
        return found


class Forbidden(DehubError):
    """The signed-in user's role or scope does not allow this action."""

    code = "forbidden"
    exit_code = 8
    status = 403


class AuthenticationFailed(DehubError):
    """Unknown account, wrong password or a disabled account (never says which)."""

    code = "unauthenticated"
    exit_code = 9
    status = 401


class Unavailable(DehubError):
    """An optional part of dehub is not installed (e.g. the semantic model of the HS finder)."""

    code = "unavailable"
    exit_code = 69  # EX_UNAVAILABLE
    status = 503


class RateLimited(DehubError):
    """Too many failed attempts (e.g. sign-in): wait ``retry_after`` seconds."""

    code = "rate_limited"
    exit_code = 10
    status = 429
    retry_after: int = 900
