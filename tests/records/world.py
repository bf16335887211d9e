"""A small records world in one district (Surat, Gujarat) built through the services: an
account for every role in and out of scope, the DEPC (with a chair account) and SEPC, a
meeting, plans in each lifecycle status, an intervention with KPIs, exporters, an event and
feedback. Passwords are hashed once per session (argon2 is deliberately slow)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sqlalchemy.orm import Session

from dehub.records.accounts import User
from dehub.records.passwords import hash_password
from dehub.records.policy import Actor
from dehub.services.records import (
    committees,
    exporters,
    feedback,
    interventions,
    plans,
    product_records,
)
from dehub.services.records.accounts import actor_for
from dehub.services.records.schemas import (
    ActionItemCreate,
    CommitteeCreate,
    EventCreate,
    ExporterCreate,
    FeedbackCreate,
    InterventionCreate,
    KpiCreate,
    MeetingCreate,
    MemberCreate,
    PlanCreate,
    ProductRecordCreate,
)

STATE, DISTRICT = "24", "459"  # Gujarat, Surat
OTHER_STATE, OTHER_DISTRICT = "9", "453"  # Uttar Pradesh; Navsari (Gujarat)
PASSWORD = "correct horse battery"
SYSTEM = Actor.system("tests")


@lru_cache(maxsize=1)
def password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class World:
    actors: dict[str, Actor | None] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)


ACCOUNTS = {
    "admin": ("national_admin", None, None, None),
    "state": ("state_officer", STATE, None, None),
    "state_other": ("state_officer", OTHER_STATE, None, None),
    "district": ("district_officer", STATE, DISTRICT, None),
    "district_other": ("district_officer", STATE, OTHER_DISTRICT, None),
    "depc": ("depc_member", STATE, DISTRICT, None),
    "depc_chair": ("depc_member", STATE, DISTRICT, None),
    "exporter": ("exporter", STATE, DISTRICT, "exporter"),
    "exporter_other": ("exporter", STATE, DISTRICT, "exporter_other"),
}


def build_world(session: Session) -> World:
    w = World()
    ex = exporters.create_exporter(
        session,
        SYSTEM,
        ExporterCreate(
            name="Surat Zari Works", kind="artisan", district_code=DISTRICT, hs_codes=["5605"]
        ),
    )
    ex2 = exporters.create_exporter(
        session,
        SYSTEM,
        ExporterCreate(
            name="Diamond Polishers Co-op",
            kind="cooperative",
            district_code=DISTRICT,
            iec="AB12345678",
        ),
    )
    w.ids |= {"exporter": ex.id, "exporter_other": ex2.id}
    for name, (role, st, di, enterprise) in ACCOUNTS.items():
        user = User(
            email=f"{name}@test.dehub",
            name=name,
            password_hash=password_hash(),
            role=role,
            state_code=st,
            district_code=di,
            exporter_id=w.ids[enterprise] if enterprise else None,
        )
        session.add(user)
        session.flush()
        w.users[name] = user.id
    depc = committees.create_committee(
        session, SYSTEM, CommitteeCreate(kind="depc", district_code=DISTRICT)
    )
    sepc = committees.create_committee(
        session, SYSTEM, CommitteeCreate(kind="sepc", state_code=STATE)
    )
    chair = committees.add_member(
        session,
        SYSTEM,
        depc.id,
        MemberCreate(name="Collector", role="chair", user_id=w.users["depc_chair"]),
    )
    meeting = committees.create_meeting(
        session, SYSTEM, depc.id, MeetingCreate(held_on=date(2025, 5, 2), title="First DEPC")
    )
    item = committees.add_action_item(
        session,
        SYSTEM,
        meeting.id,
        ActionItemCreate(description="List exporters", owner="DIC", due_date=date(2025, 5, 31)),
    )
    w.ids |= {
        "depc": depc.id,
        "sepc": sepc.id,
        "member": chair.id,
        "meeting": meeting.id,
        "action_item": item.id,
    }
    for name, u in w.users.items():
        user = session.get(User, u)
        assert user is not None
        w.actors[name] = actor_for(session, user)
    w.actors["public"] = None
    a = w.actors
    draft = plans.create_plan(session, SYSTEM, PlanCreate(district_code=DISTRICT, period="2025-26"))
    approved = plans.create_plan(
        session, SYSTEM, PlanCreate(district_code=DISTRICT, period="2024-25")
    )
    endorsed = plans.create_plan(
        session, SYSTEM, PlanCreate(district_code=DISTRICT, period="2023-24")
    )
    notified = plans.create_plan(
        session, SYSTEM, PlanCreate(district_code=DISTRICT, period="2022-23")
    )
    district, state, admin = a["district"], a["state"], a["admin"]
    assert district and state and admin
    for plan, steps in [
        (approved, [(district, "approve")]),
        (endorsed, [(district, "approve"), (state, "endorse")]),
        (notified, [(district, "approve"), (state, "endorse"), (admin, "notify")]),
    ]:
        version = plan.version
        for actor, step in steps:
            version = plans.transition(session, actor, plan.id, step, version).version  # type: ignore[arg-type]
    intervention = interventions.add_intervention(
        session,
        SYSTEM,
        draft.id,
        InterventionCreate(category="export_potential", title="Zari cluster common facility"),
    )
    kpi = interventions.add_kpi(
        session,
        SYSTEM,
        intervention.id,
        KpiCreate(
            name="Gems and jewellery exports",
            indicator="district_sector_exports_usd",
            indicator_sector="gems_jewellery",
            baseline=1.0,
            target=2.0,
        ),
    )
    event = exporters.create_event(
        session,
        SYSTEM,
        EventCreate(
            kind="training",
            title="Export procedures",
            district_code=DISTRICT,
            starts_on=date(2025, 6, 1),
        ),
    )
    issue = feedback.raise_feedback(
        session,
        SYSTEM,
        FeedbackCreate(category="logistics", subject="Container shortage", exporter_id=ex.id),
    )
    correction = product_records.correct_product(
        session,
        SYSTEM,
        ProductRecordCreate(
            district_code=DISTRICT,
            kind="correct",
            product_key="SURATZARICRAFT",
            hs_codes=["56050010"],
            note="zari thread of the district is real or imitation zari (ITC-HS 5605 00 10)",
        ),
    )
    w.ids |= {
        "product_record": correction.id,
        "draft": draft.id,
        "approved": approved.id,
        "endorsed": endorsed.id,
        "notified": notified.id,
        "intervention": intervention.id,
        "kpi": kpi.id,
        "event": event.id,
        "feedback": issue.id,
    }
    session.commit()
    return w
