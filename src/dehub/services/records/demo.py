"""``dehub demo``: clearly labelled demo accounts for every role, with one known password,
and demo records for one real district (Moradabad, Uttar Pradesh: brass and metal
handicrafts), so a new user can try every view. Idempotent: a second run changes nothing.
Refused when ``DEHUB_ENV=production``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dehub.errors import ConfigError, DehubError
from dehub.records.accounts import User
from dehub.records.base import utcnow
from dehub.records.policy import Actor
from dehub.services.records import committees, exporters, feedback, interventions, plans
from dehub.services.records.accounts import actor_for, add_user
from dehub.services.records.drafting import draft_plan
from dehub.services.records.schemas import (
    ActionItemCreate,
    CommitteeCreate,
    EventCreate,
    ExporterCreate,
    FeedbackCreate,
    FeedbackUpdate,
    InterventionCreate,
    KpiCreate,
    MeetingCreate,
    MemberCreate,
    PlanCreate,
    ProgressCreate,
    UserCreate,
)
from dehub.settings import Settings

DEMO_PASSWORD = "dehub-demo"
DEMO_STATE, DEMO_DISTRICT = "9", "171"  # Uttar Pradesh, Moradabad
DEMO_PERIOD = "2025-26"
DOMAIN = "demo.dehub.invalid"
ACCOUNTS: dict[str, tuple[str, str]] = {
    "admin": ("national_admin", "DEMO national administrator"),
    "state": ("state_officer", "DEMO state officer, Uttar Pradesh"),
    "district": ("district_officer", "DEMO district officer, Moradabad"),
    "depc": ("depc_member", "DEMO DEPC chair, Moradabad"),
    "exporter": ("exporter", "DEMO exporter, Moradabad Brass Crafts"),
}


def demo_email(who: str) -> str:
    return f"{who}@{DOMAIN}"


def _accounts_table() -> list[dict[str, str]]:
    return [
        {"email": demo_email(w), "role": role, "name": name, "password": DEMO_PASSWORD}
        for w, (role, name) in ACCOUNTS.items()
    ]


def create_demo(session: Session, settings: Settings) -> dict[str, Any]:
    """Create the demo accounts and records (once); the accounts and whether anything was
    created."""
    if settings.env == "production":
        raise ConfigError("dehub demo is refused when DEHUB_ENV=production (known passwords)")
    existing = session.scalars(select(User).where(User.email == demo_email("admin"))).first()
    if existing is not None:
        return {"created": False, "accounts": _accounts_table(), "district": DEMO_DISTRICT}
    system = Actor.system("dehub demo")
    ex = [
        exporters.create_exporter(
            session,
            system,
            ExporterCreate.model_validate(
                dict(
                    name=f"DEMO {name}",
                    kind=kind,
                    district_code=DEMO_DISTRICT,
                    hs_codes=hs,
                    channels=channels,
                    certifications=certs,
                    stage=stage,
                )
            ),
        )
        for name, kind, hs, channels, certs, stage in [
            (
                "Moradabad Brass Crafts",
                "msme",
                ["7418", "8306"],
                ["direct"],
                ["ISO 9001"],
                "registered",
            ),
            (
                "Peetal Nagri Artisans Collective",
                "artisan",
                ["8306"],
                ["merchant_exporter"],
                [],
                "trained",
            ),
            ("Ramganga Farmers Producer Co.", "fpo", ["0703"], [], [], "identified"),
            (
                "Metal Home Decor Exports",
                "company",
                ["7323", "9403"],
                ["direct", "ecommerce"],
                ["BSCI"],
                "regular",
            ),
        ]
    ]
    users: dict[str, User] = {}
    for who, (role, name) in ACCOUNTS.items():
        data = UserCreate.model_validate(
            dict(
                email=demo_email(who),
                password=DEMO_PASSWORD,
                name=name,
                role=role,
                state_code=DEMO_STATE if role == "state_officer" else None,
                district_code=DEMO_DISTRICT
                if role in ("district_officer", "depc_member")
                else None,
                exporter_id=ex[0].id if role == "exporter" else None,
            )
        )
        created = add_user(session, system, data, is_demo=True)
        user = session.get(User, created.id)
        assert user is not None
        users[who] = user
    depc = committees.create_committee(
        session, system, CommitteeCreate(kind="depc", district_code=DEMO_DISTRICT)
    )
    committees.create_committee(
        session, system, CommitteeCreate(kind="sepc", state_code=DEMO_STATE)
    )
    for name, role, org, user_id in [
        ("DEMO District Magistrate", "chair", "District administration", users["depc"].id),
        (
            "DEMO General Manager, DIC",
            "convener",
            "District Industries Centre",
            users["district"].id,
        ),
        ("DEMO EPCH representative", "member", "Export Promotion Council for Handicrafts", None),
        ("DEMO Lead bank manager", "member", "Lead bank", None),
    ]:
        committees.add_member(
            session,
            system,
            depc.id,
            MemberCreate.model_validate(
                dict(name=name, role=role, organisation=org, user_id=user_id)
            ),
        )
    district = actor_for(session, users["district"])
    meeting = committees.create_meeting(
        session,
        district,
        depc.id,
        MeetingCreate(
            held_on=date(2025, 5, 15),
            title="DEMO DEPC meeting: DEAP kick-off",
            agenda="1. Export profile\n2. Priority products\n3. Onboarding drive",
            minutes="DEMO minutes.",
            decisions="Draft the DEAP from the data; onboard 50 artisans.",
        ),
    )
    for text, owner, due, status in [
        ("Circulate the draft DEAP", "GM DIC", date(2025, 6, 15), "done"),
        ("List artisans for an export training", "EPCH", date(2025, 7, 31), "in_progress"),
        ("Survey testing lab needs for metal lacquers", "DIC", date(2025, 4, 30), "open"),
    ]:
        committees.add_action_item(
            session,
            district,
            meeting.id,
            ActionItemCreate.model_validate(
                dict(description=text, owner=owner, due_date=due, status=status)
            ),
        )
    try:
        plan = draft_plan(session, district, settings, DEMO_DISTRICT, DEMO_PERIOD)
    except DehubError:  # no facts store: an empty draft
        plan = plans.create_plan(
            session, district, PlanCreate(district_code=DEMO_DISTRICT, period=DEMO_PERIOD)
        )
    for category, title, agency, budget, indicator, sector in [
        (
            "export_potential",
            "DEMO Brassware design and lacquer upgrade",
            "EPCH",
            "2500000",
            "district_sector_exports_usd",
            "metals",
        ),
        (
            "onboarding_capacity",
            "DEMO Export training for 50 artisans",
            "DGFT RA Moradabad",
            "400000",
            None,
            None,
        ),
        ("ecommerce", "DEMO Onboard 20 units to e-commerce export", "DIC", "300000", None, None),
    ]:
        item = interventions.add_intervention(
            session,
            district,
            plan.id,
            InterventionCreate.model_validate(
                dict(
                    category=category,
                    title=title,
                    owner_agency=agency,
                    budget_inr=Decimal(budget),
                    start_date=date(2025, 7, 1),
                    end_date=date(2026, 3, 31),
                )
            ),
        )
        kpi = interventions.add_kpi(
            session,
            district,
            item.id,
            KpiCreate.model_validate(
                dict(
                    name=title.replace("DEMO ", "") + " — KPI",
                    indicator=indicator,
                    indicator_sector=sector,
                    unit="" if indicator else "units",
                    baseline=0 if indicator is None else None,
                    target=50 if indicator is None else None,
                )
            ),
        )
        if indicator is None:
            for days, value in [(30, 8), (90, 21)]:
                interventions.add_progress(
                    session,
                    district,
                    kpi.id,
                    ProgressCreate(on_date=date(2025, 7, 1) + timedelta(days=days), value=value),
                )
    try:
        interventions.refresh_actuals(session, district, settings, plan_id=plan.id)
    except DehubError:
        pass
    event = exporters.create_event(
        session,
        district,
        EventCreate(
            kind="training",
            title="DEMO Export procedures and RoDTEP",
            district_code=DEMO_DISTRICT,
            starts_on=date(2025, 8, 20),
            venue="DEMO DIC Moradabad",
        ),
    )
    for e in ex[:3]:
        exporters.record_attendance(session, district, event.id, e.id, attended=e.id != ex[2].id)
    exporter = actor_for(session, users["exporter"])
    first = feedback.raise_feedback(
        session,
        exporter,
        FeedbackCreate(
            category="logistics", subject="DEMO Container availability at ICD Moradabad"
        ),
    )
    second = feedback.raise_feedback(
        session,
        exporter,
        FeedbackCreate(
            category="certification", subject="DEMO Lead-free lacquer test certificates"
        ),
    )
    feedback.respond(
        session,
        district,
        first.id,
        FeedbackUpdate(
            version=first.version,
            assignee_id=users["district"].id,
            status="resolved",
            response="DEMO: the ICD added rakes on Tuesdays.",
        ),
    )
    feedback.respond(
        session,
        district,
        second.id,
        FeedbackUpdate(version=second.version, assignee_id=users["depc"].id, status="in_progress"),
    )
    return {
        "created": True,
        "accounts": _accounts_table(),
        "district": DEMO_DISTRICT,
        "plan_id": plan.id,
        "at": utcnow().isoformat(timespec="seconds"),
    }
