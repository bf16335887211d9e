"""Who may do what: the ONE place where permissions are decided.

Every write use case in :mod:`dehub.services.records` calls :func:`require` with the acting
:class:`Actor`, an :data:`Action` and the :class:`Resource` it acts on (its scope); the web
layer calls :func:`can` to decide what to show. Nothing else checks roles.

Rules (docs/records.md has the full matrix):

- a **national administrator** may do everything except the committee decisions: approving a
  plan for the DEPC and endorsing it for the SEPC;
- a **state officer** acts within the own state (committees, plans, exporters, events,
  feedback of its districts; accounts of district roles and exporters of the state) and
  **endorses** plans for the SEPC;
- a **district officer** acts within the own district, manages the district's DEPC and
  **approves** the plan for the DEPC; a **DEPC member** acts within the own district like a
  district officer but does not manage the committee, and approves the plan only as the DEPC's
  chair (a member row with role ``chair`` linked to the account);
- an **exporter** edits the own enterprise's profile (not its onboarding stage) and raises
  feedback for it;
- a district's products and HS mappings (``product.manage``: add, correct, hide) are
  corrected by officers in scope (national, the state's, the district's officers and DEPC
  members);
- the **public** (no account, ``actor=None``) only views notified plans;
- **notifying** a plan, and reading the audit log, are the national administrator's. Sending
  a plan back to draft is for whoever may take its next step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal, get_args

from dehub.errors import Forbidden
from dehub.records.vocab import DISTRICT_ROLES, Role

Action = Literal[
    "view",
    "user.create",
    "user.update",
    "committee.manage",
    "meeting.manage",
    "plan.create",
    "plan.edit",
    "plan.approve",
    "plan.endorse",
    "plan.notify",
    "plan.return",
    "plan.revise",
    "intervention.manage",
    "kpi.progress",
    "kpi.refresh",
    "exporter.create",
    "exporter.update",
    "exporter.stage",
    "event.manage",
    "feedback.create",
    "feedback.respond",
    "product.manage",
    "audit.view",
]
ACTIONS: Final = get_args(Action)
WRITE_ACTIONS: Final = tuple(a for a in ACTIONS if a not in ("view", "audit.view"))


@dataclass(frozen=True)
class Actor:
    """Who acts: the account (``user_id``, ``email``), its ``role`` and scope. ``chairs`` are
    the districts (LGD codes) whose DEPC the account chairs. Build one from a user with
    :func:`dehub.services.records.accounts.actor_for`."""

    user_id: int | None
    email: str
    role: Role
    state_code: str | None = None
    district_code: str | None = None
    exporter_id: int | None = None
    chairs: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def system(cls, what: str = "command line") -> Actor:
        """The local operator (``dehub user add``, ``dehub demo``): a national administrator
        without an account, recorded in the audit log as ``system:<what>``."""
        return cls(user_id=None, email=f"system:{what}", role="national_admin")


@dataclass(frozen=True)
class Resource:
    """What an action applies to, reduced to what permissions depend on: its ``kind``, scope
    (``state_code``, ``district_code``, ``exporter_id``), and where relevant the committee
    ``committee_kind``, the plan ``status`` or the account ``target_role``."""

    kind: str
    state_code: str | None = None
    district_code: str | None = None
    exporter_id: int | None = None
    committee_kind: str | None = None
    status: str | None = None
    target_role: str | None = None


def _officer(actor: Actor, res: Resource) -> bool:
    """An officer whose scope covers the resource (administrators cover everything)."""
    if actor.role == "national_admin":
        return True
    if actor.role == "state_officer":
        return actor.state_code is not None and res.state_code == actor.state_code
    if actor.role in DISTRICT_ROLES:
        return actor.district_code is not None and res.district_code == actor.district_code
    return False


def _own_enterprise(actor: Actor, res: Resource) -> bool:
    return (
        actor.role == "exporter"
        and actor.exporter_id is not None
        and res.exporter_id == actor.exporter_id
    )


def _manages_committee(actor: Actor, res: Resource) -> bool:
    if actor.role in ("national_admin", "state_officer"):
        return _officer(actor, res)
    return (
        actor.role == "district_officer" and res.committee_kind == "depc" and _officer(actor, res)
    )


def _meets(actor: Actor, res: Resource) -> bool:
    if res.committee_kind == "sepc":
        return actor.role in ("national_admin", "state_officer") and _officer(actor, res)
    return _officer(actor, res)


def _approves(actor: Actor, res: Resource) -> bool:
    if res.district_code is None:
        return False
    if actor.role == "district_officer" and actor.district_code == res.district_code:
        return True
    return actor.role != "exporter" and res.district_code in actor.chairs


def _endorses(actor: Actor, res: Resource) -> bool:
    return actor.role == "state_officer" and _officer(actor, res)


def _notifies(actor: Actor, _res: Resource) -> bool:
    return actor.role == "national_admin"


def _returns(actor: Actor, res: Resource) -> bool:
    if res.status == "depc_approved":
        return _endorses(actor, res)
    if res.status == "sepc_endorsed":
        return _notifies(actor, res)
    return False


def _manages_users(actor: Actor, res: Resource) -> bool:
    if actor.role == "national_admin":
        return True
    return (
        actor.role == "state_officer"
        and res.target_role in (*DISTRICT_ROLES, "exporter")
        and _officer(actor, res)
    )


def _views(actor: Actor | None, res: Resource) -> bool:
    if res.kind == "plan" and res.status == "notified":
        return True
    if actor is None:
        return False
    if _officer(actor, res):
        return True
    if actor.role != "exporter":
        return False
    if res.kind in ("exporter", "feedback"):
        return _own_enterprise(actor, res)
    return (
        res.kind == "event"
        and res.district_code is not None
        and res.district_code == (actor.district_code)
    )


_RULES = {
    "user.create": _manages_users,
    "user.update": _manages_users,
    "committee.manage": _manages_committee,
    "meeting.manage": _meets,
    "plan.create": _officer,
    "plan.edit": _officer,
    "plan.approve": _approves,
    "plan.endorse": _endorses,
    "plan.notify": _notifies,
    "plan.return": _returns,
    "plan.revise": _officer,
    "intervention.manage": _officer,
    "kpi.progress": _officer,
    "kpi.refresh": _officer,
    "exporter.create": _officer,
    "exporter.update": lambda a, r: _officer(a, r) or _own_enterprise(a, r),
    "exporter.stage": _officer,
    "event.manage": _officer,
    "feedback.create": lambda a, r: _officer(a, r) or _own_enterprise(a, r),
    "feedback.respond": _officer,
    "product.manage": _officer,
}
_RULES["audit.view"] = _notifies  # the audit log: national administrators
assert set(_RULES) == set(ACTIONS) - {"view"}


def can(actor: Actor | None, action: Action, resource: Resource) -> bool:
    """Whether ``actor`` (None: the public, not signed in) may do ``action`` on ``resource``."""
    if action == "view":
        return _views(actor, resource)
    if actor is None:
        return False
    return bool(_RULES[action](actor, resource))


def require(actor: Actor | None, action: Action, resource: Resource) -> None:
    """Raise :class:`Forbidden` unless :func:`can`; the message names the action and scope."""
    if can(actor, action, resource):
        return
    who = "the public" if actor is None else f"{actor.email} ({actor.role})"
    where = resource.district_code or resource.state_code
    scope = f" of {where}" if where else ""
    raise Forbidden(f"{who} may not {action} on this {resource.kind}{scope}")
