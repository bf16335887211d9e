"""Every role x every write use case, through the services: allowed ones succeed, the others
raise Forbidden and change nothing. Expectations come from the policy table of
test_policy.py (the specification in docs/records.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dehub.errors import Forbidden
from dehub.records.accounts import AuditEntry
from dehub.records.committees import Committee
from dehub.records.policy import Actor
from dehub.services.places import DistrictFrame
from dehub.services.records import (
    accounts,
    committees,
    drafting,
    exporters,
    feedback,
    interventions,
    plans,
    product_records,
)
from dehub.services.records import schemas as s
from dehub.settings import Settings
from tests.records.test_policy import EXPECTED, OFFICERS
from tests.records.world import DISTRICT, World

Case = Callable[[Session, Any, World, dict[str, Any]], object]


def _version(session: Session, model: Any, record_id: int) -> int:
    return int(session.get(model, record_id).version)  # type: ignore[union-attr]


def _new_depc(session: Session, actor: Actor, w: World, _: dict[str, Any]) -> object:
    depc = session.get(Committee, w.ids["depc"])
    session.delete(depc)
    session.flush()
    return committees.create_committee(
        session, actor, s.CommitteeCreate(kind="depc", district_code=DISTRICT)
    )


def _v(session: Session, w: World, key: str, model_name: str) -> int:
    from dehub.records import models

    return _version(session, getattr(models, model_name), w.ids[key])


CASES: dict[str, tuple[str, Case]] = {
    "add_user": (
        "user.create",
        lambda ss, a, w, x: accounts.add_user(
            ss,
            a,
            s.UserCreate(
                email="new@test.dehub",
                password="long enough pw",
                role="exporter",
                exporter_id=w.ids["exporter_other"],
            ),
        ),
    ),
    "update_user": (
        "user.update",
        lambda ss, a, w, x: accounts.update_user(
            ss, a, w.users["exporter_other"], s.UserUpdate(version=1, name="Renamed")
        ),
    ),
    "create_committee": ("committee.manage", _new_depc),
    "update_committee": (
        "committee.manage",
        lambda ss, a, w, x: committees.update_committee(
            ss,
            a,
            w.ids["depc"],
            s.CommitteeUpdate(version=_v(ss, w, "depc", "Committee"), name="DEPC Surat"),
        ),
    ),
    "add_member": (
        "committee.manage",
        lambda ss, a, w, x: committees.add_member(
            ss, a, w.ids["depc"], s.MemberCreate(name="GM DIC")
        ),
    ),
    "update_member": (
        "committee.manage",
        lambda ss, a, w, x: committees.update_member(
            ss, a, w.ids["member"], s.MemberUpdate(version=1, organisation="District")
        ),
    ),
    "remove_member": (
        "committee.manage",
        lambda ss, a, w, x: committees.remove_member(ss, a, w.ids["member"], 1),
    ),
    "create_meeting": (
        "meeting.manage",
        lambda ss, a, w, x: committees.create_meeting(
            ss, a, w.ids["depc"], s.MeetingCreate(held_on=date(2025, 8, 1), title="Second")
        ),
    ),
    "update_meeting": (
        "meeting.manage",
        lambda ss, a, w, x: committees.update_meeting(
            ss, a, w.ids["meeting"], s.MeetingUpdate(version=1, minutes="Noted.")
        ),
    ),
    "add_action_item": (
        "meeting.manage",
        lambda ss, a, w, x: committees.add_action_item(
            ss, a, w.ids["meeting"], s.ActionItemCreate(description="Visit", owner="EPC")
        ),
    ),
    "update_action_item": (
        "meeting.manage",
        lambda ss, a, w, x: committees.update_action_item(
            ss, a, w.ids["action_item"], s.ActionItemUpdate(version=1, status="done")
        ),
    ),
    "create_plan": (
        "plan.create",
        lambda ss, a, w, x: plans.create_plan(
            ss, a, s.PlanCreate(district_code=DISTRICT, period="2026-27")
        ),
    ),
    "draft_plan": (
        "plan.create",
        lambda ss, a, w, x: drafting.draft_plan(
            ss, a, x["settings"], DISTRICT, "2026-27", prepared=x["prepared"]
        ),
    ),
    "update_plan": (
        "plan.edit",
        lambda ss, a, w, x: plans.update_plan(
            ss,
            a,
            w.ids["draft"],
            s.PlanUpdate(version=_v(ss, w, "draft", "ActionPlan"), title="DEAP Surat"),
        ),
    ),
    "update_section": (
        "plan.edit",
        lambda ss, a, w, x: plans.update_section(
            ss, a, w.ids["draft"], "finance", s.SectionUpdate(version=1, body="RoDTEP")
        ),
    ),
    "approve": (
        "plan.approve",
        lambda ss, a, w, x: plans.transition(
            ss, a, w.ids["draft"], "approve", _v(ss, w, "draft", "ActionPlan")
        ),
    ),
    "endorse": (
        "plan.endorse",
        lambda ss, a, w, x: plans.transition(
            ss, a, w.ids["approved"], "endorse", _v(ss, w, "approved", "ActionPlan")
        ),
    ),
    "notify": (
        "plan.notify",
        lambda ss, a, w, x: plans.transition(
            ss, a, w.ids["endorsed"], "notify", _v(ss, w, "endorsed", "ActionPlan")
        ),
    ),
    "return": (
        "plan.return",
        lambda ss, a, w, x: plans.transition(
            ss, a, w.ids["approved"], "return", _v(ss, w, "approved", "ActionPlan")
        ),
    ),
    "revise": ("plan.revise", lambda ss, a, w, x: plans.revise_plan(ss, a, w.ids["notified"])),
    "add_intervention": (
        "intervention.manage",
        lambda ss, a, w, x: interventions.add_intervention(
            ss, a, w.ids["draft"], s.InterventionCreate(category="ecommerce", title="Onboard")
        ),
    ),
    "update_intervention": (
        "intervention.manage",
        lambda ss, a, w, x: interventions.update_intervention(
            ss, a, w.ids["intervention"], s.InterventionUpdate(version=1, status="in_progress")
        ),
    ),
    "add_kpi": (
        "intervention.manage",
        lambda ss, a, w, x: interventions.add_kpi(
            ss, a, w.ids["intervention"], s.KpiCreate(name="Units trained", target=50)
        ),
    ),
    "update_kpi": (
        "intervention.manage",
        lambda ss, a, w, x: interventions.update_kpi(
            ss, a, w.ids["kpi"], s.KpiUpdate(version=1, target=3.0)
        ),
    ),
    "add_progress": (
        "kpi.progress",
        lambda ss, a, w, x: interventions.add_progress(
            ss, a, w.ids["kpi"], s.ProgressCreate(on_date=date(2025, 9, 30), value=1.2)
        ),
    ),
    "refresh_actuals": (
        "kpi.refresh",
        lambda ss, a, w, x: interventions.refresh_actuals(
            ss, a, x["settings"], plan_id=w.ids["draft"], frame=x["frame"]
        ),
    ),
    "create_exporter": (
        "exporter.create",
        lambda ss, a, w, x: exporters.create_exporter(
            ss, a, s.ExporterCreate(name="New FPO", kind="fpo", district_code=DISTRICT)
        ),
    ),
    "update_exporter": (
        "exporter.update",
        lambda ss, a, w, x: exporters.update_exporter(
            ss, a, w.ids["exporter"], s.ExporterUpdate(version=1, phone="0261 000000")
        ),
    ),
    "set_stage": (
        "exporter.stage",
        lambda ss, a, w, x: exporters.set_stage(ss, a, w.ids["exporter"], "trained", 1),
    ),
    "create_event": (
        "event.manage",
        lambda ss, a, w, x: exporters.create_event(
            ss,
            a,
            s.EventCreate(
                kind="fair", title="Expo", district_code=DISTRICT, starts_on=date(2025, 12, 1)
            ),
        ),
    ),
    "update_event": (
        "event.manage",
        lambda ss, a, w, x: exporters.update_event(
            ss, a, w.ids["event"], s.EventUpdate(version=1, venue="SGCCI")
        ),
    ),
    "record_attendance": (
        "event.manage",
        lambda ss, a, w, x: exporters.record_attendance(
            ss, a, w.ids["event"], w.ids["exporter"], attended=True
        ),
    ),
    "raise_feedback": (
        "feedback.create",
        lambda ss, a, w, x: feedback.raise_feedback(
            ss,
            a,
            s.FeedbackCreate(category="finance", subject="Credit", exporter_id=w.ids["exporter"]),
        ),
    ),
    "respond_feedback": (
        "feedback.respond",
        lambda ss, a, w, x: feedback.respond(
            ss, a, w.ids["feedback"], s.FeedbackUpdate(version=1, status="in_progress")
        ),
    ),
    "add_product": (
        "product.manage",
        lambda ss, a, w, x: product_records.add_product(
            ss,
            a,
            s.ProductRecordCreate(
                district_code=DISTRICT, kind="add", product="Textiles", hs_codes=["5407"]
            ),
        ),
    ),
    "correct_product": (
        "product.manage",
        lambda ss, a, w, x: product_records.correct_product(
            ss,
            a,
            s.ProductRecordCreate(
                district_code=DISTRICT,
                kind="correct",
                product_key="GEMSANDJEWELLERY",
                hs_codes=["7102"],
                note="cut and polished diamonds",
            ),
        ),
    ),
    "hide_mapping": (
        "product.manage",
        lambda ss, a, w, x: product_records.hide_mapping(
            ss,
            a,
            s.ProductRecordCreate(
                district_code=DISTRICT,
                kind="hide",
                product_key="SURATSADELICRAFT",
                note="not this district's",
            ),
        ),
    ),
    "update_product_record": (
        "product.manage",
        lambda ss, a, w, x: product_records.update_record(
            ss, a, w.ids["product_record"], s.ProductRecordUpdate(version=1, note="checked")
        ),
    ),
}


def _audit_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.fixture(scope="module")
def prepared(facts_settings: Settings, frame: DistrictFrame) -> Any:
    """The drafted sections of the district, computed once (draft_plan's ``prepared``)."""
    return drafting.draft_sections(facts_settings, frame, DISTRICT)


@pytest.mark.parametrize("case", CASES)
def test_every_role_for_every_write_use_case(
    case: str,
    shared_world: tuple[Engine, World],
    facts_settings: Settings,
    frame: DistrictFrame,
    prepared: Any,
) -> None:
    """Each actor's attempt runs in a transaction rolled back afterwards, so every actor
    meets the same world."""
    engine, world = shared_world
    action, run = CASES[case]
    allowed = EXPECTED[action]  # type: ignore[index]
    extra = {"settings": facts_settings, "frame": frame, "prepared": prepared}
    outcomes = {}
    with Session(engine) as session:
        for who, actor in world.actors.items():
            before = _audit_count(session)
            try:
                run(session, actor, world, extra)
                session.flush()
                outcomes[who] = True
                assert _audit_count(session) > before, f"{case} by {who} wrote no audit entry"
            except Forbidden:
                outcomes[who] = False
                assert _audit_count(session) == before
            finally:
                session.rollback()
    assert {w for w, ok in outcomes.items() if ok} == allowed, case


def test_cases_cover_every_write_action() -> None:
    from dehub.records.policy import WRITE_ACTIONS

    assert {a for a, _ in CASES.values()} == set(WRITE_ACTIONS)
    assert OFFICERS
