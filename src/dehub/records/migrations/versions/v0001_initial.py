"""Initial records schema: accounts, committees, plans, exporters, feedback, audit log.

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_email", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "committees",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("scope_code", sa.String(length=8), nullable=False),
        sa.Column("state_code", sa.String(length=8), nullable=False),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committees")),
        sa.UniqueConstraint("kind", "scope_code", name=op.f("uq_committees_kind")),
    )
    with op.batch_alter_table("committees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committees_district_code"), ["district_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_committees_state_code"), ["state_code"], unique=False)

    op.create_table(
        "events",
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("district_code", sa.String(length=8), nullable=False),
        sa.Column("state_code", sa.String(length=8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_events_district_code"), ["district_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_events_state_code"), ["state_code"], unique=False)

    op.create_table(
        "exporters",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("iec", sa.String(length=10), nullable=True),
        sa.Column("district_code", sa.String(length=8), nullable=False),
        sa.Column("state_code", sa.String(length=8), nullable=False),
        sa.Column("hs_codes", sa.JSON(), nullable=False),
        sa.Column("certifications", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("stage_changed_at", sa.DateTime(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exporters")),
        sa.UniqueConstraint("iec", name=op.f("uq_exporters_iec")),
    )
    with op.batch_alter_table("exporters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exporters_district_code"), ["district_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_exporters_state_code"), ["state_code"], unique=False)

    op.create_table(
        "event_attendance",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("exporter_id", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_attendance_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["exporter_id"],
            ["exporters.id"],
            name=op.f("fk_event_attendance_exporter_id_exporters"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_attendance")),
        sa.UniqueConstraint("event_id", "exporter_id", name=op.f("uq_event_attendance_event_id")),
    )
    with op.batch_alter_table("event_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_attendance_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_attendance_exporter_id"), ["exporter_id"], unique=False
        )

    op.create_table(
        "meetings",
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"], ["committees.id"], name=op.f("fk_meetings_committee_id_committees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meetings_committee_id"), ["committee_id"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("state_code", sa.String(length=8), nullable=True),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("exporter_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exporter_id"], ["exporters.id"], name=op.f("fk_users_exporter_id_exporters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "action_items",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_action_items_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
    )
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_items_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "action_plans",
        sa.Column("district_code", sa.String(length=8), nullable=False),
        sa.Column("state_code", sa.String(length=8), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("depc_approved_by", sa.Integer(), nullable=True),
        sa.Column("depc_approved_at", sa.DateTime(), nullable=True),
        sa.Column("sepc_endorsed_by", sa.Integer(), nullable=True),
        sa.Column("sepc_endorsed_at", sa.DateTime(), nullable=True),
        sa.Column("notified_by", sa.Integer(), nullable=True),
        sa.Column("notified_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_action_plans_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["depc_approved_by"], ["users.id"], name=op.f("fk_action_plans_depc_approved_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["notified_by"], ["users.id"], name=op.f("fk_action_plans_notified_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["sepc_endorsed_by"], ["users.id"], name=op.f("fk_action_plans_sepc_endorsed_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plans")),
        sa.UniqueConstraint(
            "district_code", "period", "revision", name=op.f("uq_action_plans_district_code")
        ),
    )
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_plans_district_code"), ["district_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_action_plans_state_code"), ["state_code"], unique=False
        )

    op.create_table(
        "committee_members",
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("designation", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committees.id"],
            name=op.f("fk_committee_members_committee_id_committees"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_committee_members_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_members")),
    )
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_members_committee_id"), ["committee_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_committee_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "feedback",
        sa.Column("district_code", sa.String(length=8), nullable=False),
        sa.Column("state_code", sa.String(length=8), nullable=False),
        sa.Column("exporter_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("raised_by", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_feedback_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["exporter_id"], ["exporters.id"], name=op.f("fk_feedback_exporter_id_exporters")
        ),
        sa.ForeignKeyConstraint(
            ["raised_by"], ["users.id"], name=op.f("fk_feedback_raised_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_district_code"), ["district_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_feedback_exporter_id"), ["exporter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_state_code"), ["state_code"], unique=False)

    op.create_table(
        "interventions",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_agency", sa.String(length=200), nullable=False),
        sa.Column("budget_inr", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["action_plans.id"], name=op.f("fk_interventions_plan_id_action_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interventions")),
    )
    with op.batch_alter_table("interventions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interventions_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_sections",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["action_plans.id"], name=op.f("fk_plan_sections_plan_id_action_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_sections")),
        sa.UniqueConstraint("plan_id", "key", name=op.f("uq_plan_sections_plan_id")),
    )
    with op.batch_alter_table("plan_sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_sections_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "kpis",
        sa.Column("intervention_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("indicator", sa.String(length=40), nullable=True),
        sa.Column("indicator_sector", sa.String(length=40), nullable=True),
        sa.Column("actual", sa.Float(), nullable=True),
        sa.Column("actual_period", sa.String(length=16), nullable=True),
        sa.Column("actual_source", sa.JSON(), nullable=True),
        sa.Column("actual_refreshed_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["interventions.id"],
            name=op.f("fk_kpis_intervention_id_interventions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpis")),
    )
    with op.batch_alter_table("kpis", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kpis_intervention_id"), ["intervention_id"], unique=False
        )

    op.create_table(
        "kpi_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["kpi_id"], ["kpis.id"], name=op.f("fk_kpi_progress_kpi_id_kpis")),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_kpi_progress_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_progress")),
    )
    with op.batch_alter_table("kpi_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kpi_progress_kpi_id"), ["kpi_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kpi_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpi_progress_kpi_id"))

    op.drop_table("kpi_progress")
    with op.batch_alter_table("kpis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpis_intervention_id"))

    op.drop_table("kpis")
    with op.batch_alter_table("plan_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_sections_plan_id"))

    op.drop_table("plan_sections")
    with op.batch_alter_table("interventions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interventions_plan_id"))

    op.drop_table("interventions")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_state_code"))
        batch_op.drop_index(batch_op.f("ix_feedback_exporter_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_district_code"))

    op.drop_table("feedback")
    with op.batch_alter_table("committee_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_committee_members_committee_id"))

    op.drop_table("committee_members")
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plans_state_code"))
        batch_op.drop_index(batch_op.f("ix_action_plans_district_code"))

    op.drop_table("action_plans")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_meeting_id"))

    op.drop_table("action_items")
    op.drop_table("users")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_committee_id"))

    op.drop_table("meetings")
    with op.batch_alter_table("event_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_attendance_exporter_id"))
        batch_op.drop_index(batch_op.f("ix_event_attendance_event_id"))

    op.drop_table("event_attendance")
    with op.batch_alter_table("exporters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exporters_state_code"))
        batch_op.drop_index(batch_op.f("ix_exporters_district_code"))

    op.drop_table("exporters")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_state_code"))
        batch_op.drop_index(batch_op.f("ix_events_district_code"))

    op.drop_table("events")
    with op.batch_alter_table("committees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committees_state_code"))
        batch_op.drop_index(batch_op.f("ix_committees_district_code"))

    op.drop_table("committees")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")

    op.drop_table("audit_log")
