"""The policy alone: every role (in and out of scope) x every action, table-driven.

The same matrix is asserted through the use cases in test_permissions.py; this table is the
specification both follow (docs/records.md)."""

from __future__ import annotations

import pytest

from dehub.errors import Forbidden
from dehub.records.policy import ACTIONS, WRITE_ACTIONS, Action, Actor, Resource, can, require

STATE, DISTRICT, OTHER_STATE, OTHER_DISTRICT, ENTERPRISE = "24", "474", "27", "475", 7

ACTORS: dict[str, Actor | None] = {
    "admin": Actor(1, "admin@x", "national_admin"),
    "state": Actor(2, "state@x", "state_officer", state_code=STATE),
    "state_other": Actor(3, "so@x", "state_officer", state_code=OTHER_STATE),
    "district": Actor(4, "do@x", "district_officer", STATE, DISTRICT),
    "district_other": Actor(5, "doo@x", "district_officer", STATE, OTHER_DISTRICT),
    "depc": Actor(6, "depc@x", "depc_member", STATE, DISTRICT),
    "depc_chair": Actor(7, "chair@x", "depc_member", STATE, DISTRICT, chairs=frozenset({DISTRICT})),
    "exporter": Actor(8, "ex@x", "exporter", STATE, DISTRICT, exporter_id=ENTERPRISE),
    "exporter_other": Actor(9, "exo@x", "exporter", STATE, DISTRICT, exporter_id=ENTERPRISE + 1),
    "public": None,
}
OFFICERS = {"admin", "state", "district", "depc", "depc_chair"}

EXPECTED: dict[Action, set[str]] = {
    "user.create": {"admin", "state"},
    "user.update": {"admin", "state"},
    "committee.manage": {"admin", "state", "district"},
    "meeting.manage": OFFICERS,
    "plan.create": OFFICERS,
    "plan.edit": OFFICERS,
    "plan.approve": {"district", "depc_chair"},
    "plan.endorse": {"state"},
    "plan.notify": {"admin"},
    "plan.return": {"state"},  # a depc_approved plan goes back to draft by whoever endorses
    "plan.revise": OFFICERS,
    "intervention.manage": OFFICERS,
    "kpi.progress": OFFICERS,
    "kpi.refresh": OFFICERS,
    "exporter.create": OFFICERS,
    "exporter.update": OFFICERS | {"exporter"},
    "exporter.stage": OFFICERS,
    "event.manage": OFFICERS,
    "feedback.create": OFFICERS | {"exporter"},
    "feedback.respond": OFFICERS,
    "product.manage": OFFICERS,
    "view": OFFICERS | {"exporter"},
    "audit.view": {"admin"},
}

RESOURCE = Resource(
    kind="exporter",
    state_code=STATE,
    district_code=DISTRICT,
    exporter_id=ENTERPRISE,
    committee_kind="depc",
    status="depc_approved",
    target_role="exporter",
)


def test_every_action_has_an_expectation() -> None:
    assert set(EXPECTED) == set(ACTIONS)
    assert "view" not in WRITE_ACTIONS


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ACTORS)
def test_matrix(who: str, action: Action) -> None:
    actor = ACTORS[who]
    allowed = who in EXPECTED[action]
    assert can(actor, action, RESOURCE) is allowed
    if allowed:
        require(actor, action, RESOURCE)
    else:
        with pytest.raises(Forbidden):
            require(actor, action, RESOURCE)


def test_sepc_is_managed_by_state_officers_and_admins_only() -> None:
    sepc = Resource("committee", state_code=STATE, committee_kind="sepc")
    allowed = {w for w, a in ACTORS.items() if can(a, "committee.manage", sepc)}
    assert allowed == {"admin", "state"}
    assert {w for w, a in ACTORS.items() if can(a, "meeting.manage", sepc)} == {"admin", "state"}


def test_returning_an_endorsed_plan_is_the_notifiers() -> None:
    plan = Resource("plan", STATE, DISTRICT, status="sepc_endorsed")
    assert {w for w, a in ACTORS.items() if can(a, "plan.return", plan)} == {"admin"}
    draft = Resource("plan", STATE, DISTRICT, status="draft")
    assert not any(can(a, "plan.return", draft) for a in ACTORS.values())


def test_state_officers_create_only_district_and_exporter_accounts() -> None:
    state = ACTORS["state"]
    for role, allowed in [
        ("district_officer", True),
        ("depc_member", True),
        ("exporter", True),
        ("state_officer", False),
        ("national_admin", False),
    ]:
        res = Resource("user", STATE, DISTRICT, target_role=role)
        assert can(state, "user.create", res) is allowed, role


def test_the_public_sees_notified_plans_only() -> None:
    assert can(None, "view", Resource("plan", STATE, DISTRICT, status="notified"))
    assert not can(None, "view", Resource("plan", STATE, DISTRICT, status="draft"))
    assert can(ACTORS["exporter"], "view", Resource("event", STATE, DISTRICT))
    assert not can(ACTORS["exporter"], "view", Resource("plan", STATE, DISTRICT, status="draft"))
