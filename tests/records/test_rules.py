"""Business rules through the services: the audit log, optimistic concurrency, the plan
lifecycle, accounts and passwords, scope validation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dehub.errors import AuthenticationFailed, Conflict, ConflictError, InvalidInput, NotFound
from dehub.records import db
from dehub.records.accounts import AuditEntry, User
from dehub.records.exporters import Exporter
from dehub.records.passwords import verify_password
from dehub.records.plans import ActionPlan, PlanSection
from dehub.records.policy import Actor
from dehub.services.records import (
    accounts,
    committees,
    exporters,
    feedback,
    interventions,
    plans,
)
from dehub.services.records import schemas as s
from tests.records.world import DISTRICT, PASSWORD, SYSTEM, World


def _actor(world: World, who: str) -> Actor:
    actor = world.actors[who]
    assert actor is not None
    return actor


def _entries(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
    return list(session.scalars(stmt.order_by(AuditEntry.id)))


def test_audit_log_records_who_when_before_and_after(records_engine: Engine, world: World) -> None:
    officer = _actor(world, "district")
    with db.session_scope(records_engine) as session:
        out = exporters.update_exporter(
            session,
            officer,
            world.ids["exporter"],
            s.ExporterUpdate(version=1, phone="0261 123456", hs_codes=["5605", "71.02"]),
        )
    assert out.version == 2 and out.hs_codes == ["5605", "7102"]
    with Session(records_engine) as session:
        create, update = _entries(session, "exporters", world.ids["exporter"])
        assert create.action == "create" and create.before is None
        assert create.after is not None and create.after["name"] == "Surat Zari Works"
        assert update.action == "update" and update.actor_email == "district@test.dehub"
        assert update.actor_id == world.users["district"]
        assert update.before is not None and update.after is not None
        assert update.before["phone"] is None and update.after["phone"] == "0261 123456"
        assert (update.before["version"], update.after["version"]) == (1, 2)
        assert update.after["hs_codes"] == ["5605", "7102"]
        assert update.at >= create.at


def test_the_audit_log_never_holds_password_hashes(session: Session, world: World) -> None:
    user = accounts.add_user(
        session,
        SYSTEM,
        s.UserCreate(
            email="New@Test.Dehub",
            password="a long password",
            role="state_officer",
            state_code="24",
        ),
    )
    assert user.email == "new@test.dehub"
    (entry,) = _entries(session, "users", user.id)
    assert entry.after is not None and "password_hash" not in entry.after
    assert entry.actor_email == "system:tests"


def test_a_stale_update_is_a_409_and_loses_nothing(records_engine: Engine, world: World) -> None:
    alice, bob = _actor(world, "district"), _actor(world, "depc")
    plan_id = world.ids["draft"]
    with db.session_scope(records_engine) as session:
        loaded = plans.get_plan(session, alice, plan_id)
    version = next(x.version for x in loaded.sections if x.key == "finance")
    with db.session_scope(records_engine) as session:
        plans.update_section(
            session,
            bob,
            plan_id,
            "finance",
            s.SectionUpdate(version=version, body="Bob: interest equalisation"),
        )
    with pytest.raises(ConflictError) as caught, db.session_scope(records_engine) as session:
        plans.update_section(
            session,
            alice,
            plan_id,
            "finance",
            s.SectionUpdate(version=version, body="Alice: overwrites Bob"),
        )
    assert caught.value.status == 409 and caught.value.exit_code == 7
    assert caught.value.code == "edit_conflict"
    with Session(records_engine) as session:
        section = session.scalars(
            select(PlanSection).where(PlanSection.plan_id == plan_id, PlanSection.key == "finance")
        ).one()
        assert section.body == "Bob: interest equalisation"
        assert section.version == version + 1
        updates = [
            e for e in _entries(session, "plan_sections", section.id) if e.action == "update"
        ]
        assert len(updates) == 1  # Alice's failed save wrote no audit entry


def test_two_sessions_racing_on_one_version_only_one_wins(
    records_engine: Engine, world: World
) -> None:
    """Both load version 1; the check passes for both; the UPDATE's version match stops the
    second (SQLAlchemy version_id_col)."""
    officer = _actor(world, "district")
    first, second = Session(records_engine), Session(records_engine)
    try:
        a = first.get(Exporter, world.ids["exporter"])
        b = second.get(Exporter, world.ids["exporter"])
        assert a is not None and b is not None and a.version == b.version == 1
        exporters.update_exporter(first, officer, a.id, s.ExporterUpdate(version=1, phone="1"))
        first.commit()
        with pytest.raises(ConflictError):
            exporters.update_exporter(second, officer, b.id, s.ExporterUpdate(version=1, phone="2"))
        second.rollback()
    finally:
        first.close()
        second.close()
    with Session(records_engine) as session:
        stored = session.get(Exporter, world.ids["exporter"])
        assert stored is not None and stored.phone == "1" and stored.version == 2


def test_the_lifecycle_is_taken_in_order_and_records_who_and_when(
    session: Session, world: World
) -> None:
    district, state, admin = (_actor(world, w) for w in ("district", "state", "admin"))
    plan_id = world.ids["draft"]
    version = session.get(ActionPlan, plan_id).version  # type: ignore[union-attr]
    for actor, step in [(state, "endorse"), (admin, "notify")]:
        with pytest.raises(Conflict, match="can be"):
            plans.transition(session, actor, plan_id, step, version)  # type: ignore[arg-type]
    plan = plans.transition(session, district, plan_id, "approve", version)
    assert plan.status == "depc_approved" and plan.depc_approved_by == world.users["district"]
    assert plan.depc_approved_at is not None
    with pytest.raises(Conflict):
        plans.update_section(
            session, district, plan_id, "finance", s.SectionUpdate(version=1, body="too late")
        )
    with pytest.raises(Conflict):
        plans.transition(session, admin, plan_id, "notify", plan.version)
    plan = plans.transition(session, state, plan_id, "endorse", plan.version)
    plan = plans.transition(session, admin, plan_id, "notify", plan.version)
    assert plan.status == "notified" and plan.notified_by == world.users["admin"]
    assert plan.sepc_endorsed_by == world.users["state"]
    assert plan.depc_approved_at <= plan.sepc_endorsed_at <= plan.notified_at  # type: ignore[operator]
    steps = [e.action for e in _entries(session, "action_plans", plan_id)]
    assert steps == ["create", "approve", "endorse", "notify"]
    assert plans.get_plan(session, None, plan_id).status == "notified"  # public now


def test_returning_to_draft_clears_the_approvals(session: Session, world: World) -> None:
    state = _actor(world, "state")
    plan_id = world.ids["approved"]
    version = session.get(ActionPlan, plan_id).version  # type: ignore[union-attr]
    plan = plans.transition(session, state, plan_id, "return", version)
    assert plan.status == "draft" and plan.depc_approved_by is None
    with pytest.raises(Conflict):
        plans.transition(session, state, plan_id, "return", plan.version)


def test_one_plan_per_district_and_period_and_revisions(session: Session, world: World) -> None:
    officer = _actor(world, "district")
    with pytest.raises(Conflict, match="already"):
        plans.create_plan(session, officer, s.PlanCreate(district_code=DISTRICT, period="2025-26"))
    with pytest.raises(Conflict, match="only a notified plan"):
        plans.revise_plan(session, officer, world.ids["draft"])
    revised = plans.revise_plan(session, officer, world.ids["notified"])
    assert (revised.revision, revised.status, revised.period) == (2, "draft", "2022-23")
    assert len(revised.sections) == 11


def test_a_revision_copies_interventions_and_kpis_but_not_progress(
    session: Session, world: World
) -> None:
    plan_id = world.ids["draft"]
    version = plans.get_plan(session, SYSTEM, plan_id).version
    for who, step in (("district", "approve"), ("state", "endorse"), ("admin", "notify")):
        actor = world.actors[who]
        assert actor is not None
        version = plans.transition(session, actor, plan_id, step, version).version  # type: ignore[arg-type]
    interventions.add_progress(
        session, SYSTEM, world.ids["kpi"], s.ProgressCreate(on_date=date(2025, 9, 30), value=1.5)
    )
    old = plans.get_plan(session, SYSTEM, plan_id)
    new = plans.revise_plan(session, SYSTEM, plan_id)
    skip = {"id", "plan_id", "version", "created_at", "updated_at", "kpis"}
    assert [i.model_dump(exclude=skip) for i in new.interventions] == [
        i.model_dump(exclude=skip) for i in old.interventions
    ]
    (old_kpi,), (new_kpi,) = old.interventions[0].kpis, new.interventions[0].kpis
    keys = {"name", "unit", "baseline", "target", "target_date", "indicator", "indicator_sector"}
    assert new_kpi.model_dump(include=keys) == old_kpi.model_dump(include=keys)
    assert old_kpi.progress and not new_kpi.progress


def test_unknown_places_and_bad_inputs_are_refused(session: Session, world: World) -> None:
    with pytest.raises(NotFound):
        plans.create_plan(session, SYSTEM, s.PlanCreate(district_code="99999", period="2025-26"))
    with pytest.raises(InvalidInput):
        accounts.add_user(
            session,
            SYSTEM,
            s.UserCreate(email="x@y.in", password="long enough", role="state_officer"),
        )
    with pytest.raises(ValueError):
        s.ExporterCreate(name="X", kind="msme", district_code=DISTRICT, hs_codes=["123"])
    with pytest.raises(Conflict, match="IEC"):
        exporters.create_exporter(
            session,
            SYSTEM,
            s.ExporterCreate(name="Dup", kind="msme", district_code=DISTRICT, iec="AB12345678"),
        )


def test_passwords_are_argon2id_and_authenticate(session: Session, world: World) -> None:
    user = accounts.add_user(
        session,
        SYSTEM,
        s.UserCreate(
            email="officer@test.dehub",
            password="s3cret passphrase",
            role="district_officer",
            district_code=DISTRICT,
        ),
    )
    stored = session.get(User, user.id)
    assert stored is not None and stored.password_hash.startswith("$argon2id$")
    assert verify_password(stored.password_hash, "s3cret passphrase")
    assert not verify_password(stored.password_hash, "wrong")
    found = accounts.authenticate(session, "Officer@Test.Dehub", "s3cret passphrase")
    assert found.id == user.id and found.last_login_at is not None
    actor = accounts.actor_for(session, found)
    assert (actor.role, actor.state_code, actor.district_code) == (
        "district_officer",
        "24",
        DISTRICT,
    )
    for email, password in [("officer@test.dehub", "wrong"), ("nobody@test.dehub", PASSWORD)]:
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(session, email, password)


def test_the_depc_chair_account_carries_its_district(world: World) -> None:
    assert _actor(world, "depc_chair").chairs == frozenset({DISTRICT})
    assert _actor(world, "depc").chairs == frozenset()


def test_feedback_resolution_time_and_assignee_scope(session: Session, world: World) -> None:
    officer = _actor(world, "district")
    fid = world.ids["feedback"]
    with pytest.raises(InvalidInput):  # an officer of another district cannot be assigned
        feedback.respond(
            session,
            officer,
            fid,
            s.FeedbackUpdate(version=1, assignee_id=world.users["district_other"]),
        )
    out = feedback.respond(
        session,
        officer,
        fid,
        s.FeedbackUpdate(
            version=1, assignee_id=world.users["depc"], status="resolved", response="Rake booked"
        ),
    )
    assert out.resolved_at is not None and out.resolution_hours is not None
    assert out.resolution_hours >= 0
    mine = feedback.list_feedback(session, _actor(world, "exporter"))
    assert [f.id for f in mine.data] == [fid]
    assert feedback.list_feedback(session, _actor(world, "exporter_other")).count == 0


def test_exporter_funnel_and_stage(session: Session, world: World) -> None:
    officer = _actor(world, "district")
    exporters.set_stage(session, officer, world.ids["exporter"], "first_shipment", 1)
    funnel = exporters.funnel(session, district_code=DISTRICT)
    assert funnel == {
        "identified": 1,
        "trained": 0,
        "registered": 0,
        "first_shipment": 1,
        "regular": 0,
    }
    event = exporters.record_attendance(
        session, officer, world.ids["event"], world.ids["exporter"], attended=False
    )
    again = exporters.record_attendance(
        session,
        officer,
        world.ids["event"],
        world.ids["exporter"],
        attended=True,
        version=event.version,
    )
    assert again.attended and again.version == 2
    assert date(2025, 6, 1) == exporters.list_events(session, officer).data[0].starts_on


def test_monitoring_reads(session: Session, world: World) -> None:
    officer = _actor(world, "state")
    overdue = committees.overdue_action_items(session, officer, today=date(2025, 6, 1))
    assert [a.id for a in overdue.data] == [world.ids["action_item"]]  # due 2025-05-31
    assert committees.overdue_action_items(session, None, today=date(2025, 6, 1)).count == 0
    table = plans.latest_plans(session)
    assert [(r["district_code"], r["period"], r["status"]) for r in table] == [
        (DISTRICT, "2025-26", "draft")
    ]
    assert plans.plan_status_counts(session) == {
        "draft": 1,
        "depc_approved": 1,
        "sepc_endorsed": 1,
        "notified": 1,
    }
