"""Every role x every write route of the workspace pages (the HTML forms): allowed (303, back
to a page) or refused (the error page with 403, or 401 for the public), on SQLite and
PostgreSQL; every form route refused without the form's CSRF token; no form route missing
from the table. Expected roles written out from docs/records.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from dehub.records.committees import ActionItem
from dehub.records.exporters import Exporter, Feedback
from dehub.records.plans import ActionPlan
from dehub.web.pages import account, workspace_forms
from tests.records.web.conftest import Web
from tests.records.web.test_write_matrix import OFFICERS, ROLES, section_version, version

Form = Callable[[Web], dict[str, str]]


@dataclass(frozen=True)
class FormCase:
    name: str
    path: str
    form: Form
    allowed: frozenset[str]

    def url(self, web: Web) -> str:
        return self.path.format(**web.ids)


def const(**values: str) -> Form:
    return lambda w: values


def with_version(model: type[Any], key: str, **values: str) -> Form:
    return lambda w: {"version": str(version(w, model, w.ids[key])), **values}


SIGNED_IN = frozenset(r for r in ROLES if r != "public")
CASES = [
    FormCase(
        "new plan",
        "/workspace/districts/459/plans",
        const(period="2030-31", mode="empty"),
        OFFICERS,
    ),
    FormCase(
        "save section",
        "/workspace/plans/{draft}/sections/finance",
        lambda w: {"version": str(section_version(w, "draft", "finance")), "body": "Text"},
        OFFICERS,
    ),
    FormCase(
        "approve",
        "/workspace/plans/{draft}/transitions",
        with_version(ActionPlan, "draft", step="approve"),
        frozenset({"district", "depc_chair"}),
    ),
    FormCase(
        "endorse",
        "/workspace/plans/{approved}/transitions",
        with_version(ActionPlan, "approved", step="endorse"),
        frozenset({"state"}),
    ),
    FormCase(
        "notify",
        "/workspace/plans/{endorsed}/transitions",
        with_version(ActionPlan, "endorsed", step="notify"),
        frozenset({"admin"}),
    ),
    FormCase("revise", "/workspace/plans/{notified}/revisions", const(), OFFICERS),
    FormCase(
        "add intervention",
        "/workspace/plans/{draft}/interventions",
        const(category="ecommerce", title="Marketplace onboarding", budget_inr="250000"),
        OFFICERS,
    ),
    FormCase(
        "KPI progress",
        "/workspace/kpis/{kpi}/progress",
        const(on_date="2025-12-31", value="1.7"),
        OFFICERS,
    ),
    FormCase(
        "record meeting",
        "/workspace/committees/{depc}/meetings",
        const(held_on="2025-09-01", title="Third DEPC"),
        OFFICERS,
    ),
    FormCase(
        "add action",
        "/workspace/meetings/{meeting}/action-items",
        const(description="Book a stall", owner="DIC", due_date="2025-10-01"),
        OFFICERS,
    ),
    FormCase(
        "action status",
        "/workspace/action-items/{action_item}",
        with_version(ActionItem, "action_item", status="in_progress"),
        OFFICERS,
    ),
    FormCase(
        "exporter stage",
        "/workspace/exporters/{exporter}/stage",
        with_version(Exporter, "exporter", stage="registered"),
        OFFICERS,
    ),
    FormCase(
        "raise feedback",
        "/workspace/districts/459/feedback",
        const(category="logistics", subject="ICD slots"),
        OFFICERS | {"exporter", "exporter_other"},  # exporters: for their own enterprise
    ),
    FormCase(
        "respond to feedback",
        "/workspace/feedback/{feedback}",
        with_version(Feedback, "feedback", status="resolved", response="Done"),
        OFFICERS,
    ),
    FormCase("sign out", "/logout", const(), SIGNED_IN),
]


def _post(web: Web, case: FormCase, who: str, *, csrf: bool = True) -> Any:
    form = case.form(web)
    if csrf and who != "public":
        form = form | {"csrf_token": web.headers(who)["X-CSRF-Token"]}
    headers = web.headers(who, csrf=False) | {"Referer": "https://testserver/workspace"}
    return web.client.post(case.url(web), data=form, headers=headers, follow_redirects=False)


@pytest.mark.parametrize(
    ("case", "who"),
    [pytest.param(c, w, id=f"{c.name}-{w}") for c in CASES for w in ROLES],
)
def test_role_x_form_route(web: Web, case: FormCase, who: str) -> None:
    response = _post(web, case, who)
    if who in case.allowed:
        assert response.status_code == 303, response.text
        assert response.headers["location"].startswith("/")
    else:
        assert response.status_code == (401 if who == "public" else 403), response.text
        assert "text/html" in response.headers["content-type"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_form_without_csrf_token_is_refused(web: Web, case: FormCase) -> None:
    who = sorted(case.allowed)[0]
    assert _post(web, case, who, csrf=False).status_code == 403
    assert _post(web, case, who).status_code == 303  # the same form with its token works


def test_every_form_route_is_in_the_matrix() -> None:
    routes = {
        route.path  # type: ignore[attr-defined]
        for router in (workspace_forms.router, account.router)
        for route in router.routes
        if "POST" in getattr(route, "methods", set()) and route.path != "/login"  # type: ignore[attr-defined]
    }
    covered = {
        c.path.replace("/459/", "/{lgd_code}/")
        .replace("{draft}", "{plan_id}")
        .replace("{approved}", "{plan_id}")
        .replace("{endorsed}", "{plan_id}")
        .replace("{notified}", "{plan_id}")
        .replace("/sections/finance", "/sections/{key}")
        .replace("{kpi}", "{kpi_id}")
        .replace("{depc}", "{committee_id}")
        .replace("{meeting}", "{meeting_id}")
        .replace("{action_item}", "{item_id}")
        .replace("{exporter}", "{exporter_id}")
        .replace("{feedback}", "{feedback_id}")
        for c in CASES
    }
    assert routes - covered == set()
