"""District Export Action Plans, their sections, interventions and KPIs.

A plan belongs to one district and plan period (e.g. ``2025-26``); ``revision`` numbers the
plans of the same district and period (a notified plan is revised by a new revision, the
old one is kept). Its lifecycle is draft -> depc_approved -> sepc_endorsed -> notified, with
who and when of each step on the plan (and every change in the audit log).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dehub.records.base import Base, Versioned, utcnow


class ActionPlan(Versioned, Base):
    """One revision of a district's action plan for a plan period. ``source`` records the
    analytics provenance of a plan drafted from data."""

    __tablename__ = "action_plans"
    __table_args__ = (UniqueConstraint("district_code", "period", "revision"),)

    district_code: Mapped[str] = mapped_column(String(8), index=True)
    state_code: Mapped[str] = mapped_column(String(8), index=True)
    period: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    source: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    depc_approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    depc_approved_at: Mapped[datetime | None]
    sepc_endorsed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sepc_endorsed_at: Mapped[datetime | None]
    notified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notified_at: Mapped[datetime | None]

    sections: Mapped[list[PlanSection]] = relationship(
        back_populates="plan", order_by="PlanSection.position", cascade="all, delete-orphan"
    )
    interventions: Mapped[list[Intervention]] = relationship(
        back_populates="plan", order_by="Intervention.id", cascade="all, delete-orphan"
    )


class PlanSection(Versioned, Base):
    """A section of a plan (``key`` from :data:`dehub.records.vocab.PLAN_SECTIONS`): text the
    officers edit, and ``data`` (tables pre-filled from the analytics, JSON)."""

    __tablename__ = "plan_sections"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    plan: Mapped[ActionPlan] = relationship(back_populates="sections")


class Intervention(Versioned, Base):
    """An intervention of a plan: ``category`` (a section key), title and description, owner
    agency, budget in rupees, start and end dates, status."""

    __tablename__ = "interventions"

    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_agency: Mapped[str] = mapped_column(String(200), default="")
    budget_inr: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="planned")

    plan: Mapped[ActionPlan] = relationship(back_populates="interventions")
    kpis: Mapped[list[Kpi]] = relationship(
        back_populates="intervention", order_by="Kpi.id", cascade="all, delete-orphan"
    )


class Kpi(Versioned, Base):
    """A KPI of an intervention: name, unit, baseline and target, dated progress entries.
    Bound to an analytics ``indicator`` (with ``indicator_sector`` for a sector indicator),
    its ``actual`` is read from the facts store (``actual_period``, ``actual_source``,
    ``actual_refreshed_at`` say from where and when)."""

    __tablename__ = "kpis"

    intervention_id: Mapped[int] = mapped_column(ForeignKey("interventions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    target_date: Mapped[date | None]
    indicator: Mapped[str | None] = mapped_column(String(40))
    indicator_sector: Mapped[str | None] = mapped_column(String(40))
    actual: Mapped[float | None] = mapped_column(Float)
    actual_period: Mapped[str | None] = mapped_column(String(16))
    actual_source: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    actual_refreshed_at: Mapped[datetime | None]

    intervention: Mapped[Intervention] = relationship(back_populates="kpis")
    progress: Mapped[list[KpiProgress]] = relationship(
        back_populates="kpi", order_by="KpiProgress.on_date", cascade="all, delete-orphan"
    )


class KpiProgress(Base):
    """A dated progress value of a KPI (entries are added, never edited)."""

    __tablename__ = "kpi_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"), index=True)
    on_date: Mapped[date]
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    kpi: Mapped[Kpi] = relationship(back_populates="progress")
