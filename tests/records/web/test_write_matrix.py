"""Every role x every write route of the API: allowed (the route's success status) or refused
(403 in the error envelope for a signed-in account, 401 for the public), on SQLite and
PostgreSQL. The expected roles are written out here from docs/records.md, not computed from
the policy module. A second test refuses every write route without its CSRF token and checks
that nothing was written; a third that no write route is missing from the table.

World (tests/records/world.py): Surat (459), Gujarat (24); ``*_other`` accounts are of
another state (Uttar Pradesh) or district (Navsari, 453) or enterprise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dehub.records.accounts import AuditEntry, User
from dehub.records.committees import ActionItem, Committee, Meeting, Member
from dehub.records.exporters import Event, Exporter, Feedback
from dehub.records.plans import ActionPlan, Intervention, Kpi, PlanSection
from dehub.records.products import ProductRecord
from tests.records.web.conftest import Web

ROLES = (
    "admin",
    "state",
    "state_other",
    "district",
    "district_other",
    "depc",
    "depc_chair",
    "exporter",
    "exporter_other",
    "public",
)
OFFICERS = frozenset({"admin", "state", "district", "depc", "depc_chair"})
"""National admin, and state / district / DEPC accounts whose scope covers Surat."""
COMMITTEE = frozenset({"admin", "state", "district"})
STATE_ONLY = frozenset({"admin", "state"})


def version(web: Web, model: type[Any], record_id: int) -> int:
    bind = web.client.app.state.records_engine  # type: ignore[attr-defined]
    with Session(bind=bind, join_transaction_mode="create_savepoint") as s:
        found = s.get(model, record_id)
        assert found is not None
        return int(found.version)


def section_version(web: Web, plan: str, key: str = "export_profile") -> int:
    bind = web.client.app.state.records_engine  # type: ignore[attr-defined]
    with Session(bind=bind, join_transaction_mode="create_savepoint") as s:
        found = s.scalars(
            select(PlanSection).where(PlanSection.plan_id == web.ids[plan], PlanSection.key == key)
        ).one()
        return int(found.version)


Body = Callable[[Web], dict[str, Any] | None]


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # format fields: ids of the world, u_* user ids
    body: Body
    allowed: frozenset[str]
    success: int = 200
    params: Callable[[Web], dict[str, Any]] | None = None

    def url(self, web: Web) -> str:
        return self.path.format(**web.ids, **{f"u_{k}": v for k, v in web.users.items()})


def v(model: type[Any], key: str, **extra: Any) -> Body:
    return lambda w: {"version": version(w, model, w.ids[key]), **extra}


def plan_step(key: str, step: str) -> Body:
    return lambda w: {"step": step, "version": version(w, ActionPlan, w.ids[key])}


CASES = [
    Case(
        "create DEPC of Navsari",
        "POST",
        "/api/v1/committees",
        lambda w: {"kind": "depc", "district_code": "453"},
        frozenset({"admin", "state", "district_other"}),
        201,
    ),
    Case(
        "rename DEPC",
        "PATCH",
        "/api/v1/committees/{depc}",
        v(Committee, "depc", name="D"),
        COMMITTEE,
    ),
    Case(
        "rename SEPC",
        "PATCH",
        "/api/v1/committees/{sepc}",
        v(Committee, "sepc", name="S"),
        STATE_ONLY,
    ),
    Case(
        "add DEPC member",
        "POST",
        "/api/v1/committees/{depc}/members",
        lambda w: {"name": "GM, DIC", "role": "convener"},
        COMMITTEE,
        201,
    ),
    Case(
        "edit member",
        "PATCH",
        "/api/v1/members/{member}",
        v(Member, "member", organisation="DIC"),
        COMMITTEE,
    ),
    Case(
        "remove member",
        "DELETE",
        "/api/v1/members/{member}",
        lambda w: None,
        COMMITTEE,
        params=lambda w: {"version": version(w, Member, w.ids["member"])},
    ),
    Case(
        "DEPC meeting",
        "POST",
        "/api/v1/committees/{depc}/meetings",
        lambda w: {"held_on": "2025-08-01", "title": "Second DEPC"},
        OFFICERS,
        201,
    ),
    Case(
        "SEPC meeting",
        "POST",
        "/api/v1/committees/{sepc}/meetings",
        lambda w: {"held_on": "2025-08-01", "title": "SEPC"},
        STATE_ONLY,
        201,
    ),
    Case(
        "edit meeting",
        "PATCH",
        "/api/v1/meetings/{meeting}",
        v(Meeting, "meeting", minutes="m"),
        OFFICERS,
    ),
    Case(
        "add action item",
        "POST",
        "/api/v1/meetings/{meeting}/action-items",
        lambda w: {"description": "Buyer meet", "owner": "EPC"},
        OFFICERS,
        201,
    ),
    Case(
        "edit action item",
        "PATCH",
        "/api/v1/action-items/{action_item}",
        v(ActionItem, "action_item", status="done"),
        OFFICERS,
    ),
    Case(
        "create plan",
        "POST",
        "/api/v1/plans",
        lambda w: {"district_code": "459", "period": "2030-31"},
        OFFICERS,
        201,
    ),
    Case(
        "draft plan from data",
        "POST",
        "/api/v1/plans/draft",
        lambda w: {"district_code": "459", "period": "2031-32"},
        OFFICERS,
        201,
    ),
    Case(
        "edit plan title",
        "PATCH",
        "/api/v1/plans/{draft}",
        v(ActionPlan, "draft", title="T"),
        OFFICERS,
    ),
    Case(
        "edit section",
        "PATCH",
        "/api/v1/plans/{draft}/sections/export_profile",
        lambda w: {"version": section_version(w, "draft"), "body": "Edited"},
        OFFICERS,
    ),
    Case(
        "approve (DEPC)",
        "POST",
        "/api/v1/plans/{draft}/transitions",
        plan_step("draft", "approve"),
        frozenset({"district", "depc_chair"}),
    ),
    Case(
        "endorse (SEPC)",
        "POST",
        "/api/v1/plans/{approved}/transitions",
        plan_step("approved", "endorse"),
        frozenset({"state"}),
    ),
    Case(
        "notify",
        "POST",
        "/api/v1/plans/{endorsed}/transitions",
        plan_step("endorsed", "notify"),
        frozenset({"admin"}),
    ),
    Case(
        "return approved",
        "POST",
        "/api/v1/plans/{approved}/transitions",
        plan_step("approved", "return"),
        frozenset({"state"}),
    ),
    Case(
        "return endorsed",
        "POST",
        "/api/v1/plans/{endorsed}/transitions",
        plan_step("endorsed", "return"),
        frozenset({"admin"}),
    ),
    Case(
        "revise notified",
        "POST",
        "/api/v1/plans/{notified}/revisions",
        lambda w: None,
        OFFICERS,
        201,
    ),
    Case("refresh KPIs", "POST", "/api/v1/plans/{draft}/kpis/refresh", lambda w: None, OFFICERS),
    Case(
        "add intervention",
        "POST",
        "/api/v1/plans/{draft}/interventions",
        lambda w: {"category": "finance", "title": "Export credit camp"},
        OFFICERS,
        201,
    ),
    Case(
        "edit intervention",
        "PATCH",
        "/api/v1/interventions/{intervention}",
        v(Intervention, "intervention", status="in_progress"),
        OFFICERS,
    ),
    Case(
        "add KPI",
        "POST",
        "/api/v1/interventions/{intervention}/kpis",
        lambda w: {"name": "Units trained", "target": 50},
        OFFICERS,
        201,
    ),
    Case("edit KPI", "PATCH", "/api/v1/kpis/{kpi}", v(Kpi, "kpi", target=3.0), OFFICERS),
    Case(
        "KPI progress",
        "POST",
        "/api/v1/kpis/{kpi}/progress",
        lambda w: {"on_date": "2025-09-30", "value": 1.4},
        OFFICERS,
        201,
    ),
    Case(
        "add exporter",
        "POST",
        "/api/v1/exporters",
        lambda w: {"name": "New Weavers", "kind": "msme", "district_code": "459"},
        OFFICERS,
        201,
    ),
    Case(
        "edit exporter profile",
        "PATCH",
        "/api/v1/exporters/{exporter}",
        v(Exporter, "exporter", phone="+91 261 000000"),
        OFFICERS | {"exporter"},
    ),
    Case(
        "exporter stage",
        "POST",
        "/api/v1/exporters/{exporter}/stage",
        v(Exporter, "exporter", stage="trained"),
        OFFICERS,
    ),
    Case(
        "add event",
        "POST",
        "/api/v1/events",
        lambda w: {
            "kind": "fair",
            "title": "Textile fair",
            "district_code": "459",
            "starts_on": "2025-10-01",
        },
        OFFICERS,
        201,
    ),
    Case(
        "edit event", "PATCH", "/api/v1/events/{event}", v(Event, "event", venue="Hall"), OFFICERS
    ),
    Case(
        "attendance",
        "PUT",
        "/api/v1/events/{event}/attendance/{exporter}",
        lambda w: {"attended": True},
        OFFICERS,
    ),
    Case(
        "raise feedback",
        "POST",
        "/api/v1/feedback",
        lambda w: {
            "category": "finance",
            "subject": "PCFC rates",
            "exporter_id": w.ids["exporter"],
        },
        OFFICERS | {"exporter"},
        201,
    ),
    Case(
        "respond to feedback",
        "PATCH",
        "/api/v1/feedback/{feedback}",
        v(Feedback, "feedback", status="in_progress", response="Taken up"),
        OFFICERS,
    ),
    Case(
        "add a district product",
        "POST",
        "/api/v1/product-records",
        lambda w: {
            "district_code": "459",
            "kind": "add",
            "product": "Man-made fibre fabrics",
            "hs_codes": ["5407"],
        },
        OFFICERS,
        201,
    ),
    Case(
        "correct a product mapping",
        "PATCH",
        "/api/v1/product-records/{product_record}",
        v(ProductRecord, "product_record", hs_codes=["5605"], note="wider"),
        OFFICERS,
    ),
    Case(
        "add district officer",
        "POST",
        "/api/v1/users",
        lambda w: {
            "email": "new.officer@test.dehub",
            "password": "long enough password",
            "role": "district_officer",
            "district_code": "459",
        },
        STATE_ONLY,
        201,
    ),
    Case(
        "add state officer",
        "POST",
        "/api/v1/users",
        lambda w: {
            "email": "new.state@test.dehub",
            "password": "long enough password",
            "role": "state_officer",
            "state_code": "24",
        },
        frozenset({"admin"}),
        201,
    ),
    Case(
        "disable district officer",
        "PATCH",
        "/api/v1/users/{u_district}",
        lambda w: {"version": version(w, User, w.users["district"]), "active": False},
        STATE_ONLY,
    ),
]


def _send(web: Web, case: Case, who: str, *, csrf: bool = True) -> Any:
    body = case.body(web)
    kwargs: dict[str, Any] = {"csrf": csrf}
    if body is not None:
        kwargs["json"] = body
    if case.params is not None:
        kwargs["params"] = case.params(web)
    return web.call(who, case.method, case.url(web), **kwargs)


MATRIX = [pytest.param(case, who, id=f"{case.name}-{who}") for case in CASES for who in ROLES]


@pytest.mark.parametrize(("case", "who"), MATRIX)
def test_role_x_write_route(web: Web, case: Case, who: str) -> None:
    response = _send(web, case, who)
    got = response.json()
    if who in case.allowed:
        assert response.status_code == case.success, got
        assert got["ok"] is True
    else:
        expected = 401 if who == "public" else 403
        assert response.status_code == expected, got
        assert got == {
            "ok": False,
            "status": expected,
            "code": "unauthenticated" if who == "public" else "forbidden",
            "errors": got["errors"],
        }


def _audit_count(web: Web) -> int:
    bind = web.client.app.state.records_engine  # type: ignore[attr-defined]
    with Session(bind=bind, join_transaction_mode="create_savepoint") as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_write_without_csrf_token_is_refused_and_writes_nothing(web: Web, case: Case) -> None:
    before = _audit_count(web)
    who = next(iter(sorted(case.allowed)))
    response = _send(web, case, who, csrf=False)
    assert response.status_code == 403
    assert response.json()["code"] == "csrf"
    wrong = web.call(who, case.method, case.url(web), headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    assert _audit_count(web) == before


def test_every_write_route_is_in_the_matrix(web: Web) -> None:
    paths = web.client.app.openapi()["paths"]  # type: ignore[attr-defined]
    routes = {
        (method.upper(), path)
        for path, methods in paths.items()
        for method in methods
        if method in ("post", "put", "patch", "delete") and not path.startswith("/api/v1/auth/")
    }
    covered = {(c.method, _template(c.path)) for c in CASES}
    assert routes - covered == set()


def _template(path: str) -> str:
    """The OpenAPI path of a case's path (its world ids back to parameter names)."""
    import re

    names = {
        "/api/v1/committees/{depc}": "/api/v1/committees/{committee_id}",
        "/api/v1/committees/{sepc}": "/api/v1/committees/{committee_id}",
    }
    for old, new in names.items():
        path = path.replace(old, new)
    replacements = [
        (r"/members/\{member\}", "/members/{member_id}"),
        (r"/meetings/\{meeting\}", "/meetings/{meeting_id}"),
        (r"/action-items/\{action_item\}", "/action-items/{item_id}"),
        (r"/plans/\{(draft|approved|endorsed|notified)\}", "/plans/{plan_id}"),
        (r"/sections/export_profile", "/sections/{key}"),
        (r"/interventions/\{intervention\}", "/interventions/{intervention_id}"),
        (r"/kpis/\{kpi\}", "/kpis/{kpi_id}"),
        (r"/exporters/\{exporter\}", "/exporters/{exporter_id}"),
        (r"/events/\{event\}", "/events/{event_id}"),
        (r"/attendance/\{exporter\}", "/attendance/{exporter_id}"),
        (r"/feedback/\{feedback\}", "/feedback/{feedback_id}"),
        (r"/users/\{u_district\}", "/users/{user_id}"),
        (r"/product-records/\{product_record\}", "/product-records/{record_id}"),
    ]
    for pattern, new in replacements:
        path = re.sub(pattern, new, path)
    return path
