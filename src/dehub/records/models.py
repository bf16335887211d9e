"""Every records model, imported in one place (Alembic's target metadata is ``Base.metadata``)."""

from __future__ import annotations

from dehub.records.accounts import AuditEntry, User
from dehub.records.base import Base
from dehub.records.committees import ActionItem, Committee, Meeting, Member
from dehub.records.exporters import Attendance, Event, Exporter, Feedback
from dehub.records.plans import ActionPlan, Intervention, Kpi, KpiProgress, PlanSection
from dehub.records.products import ProductRecord
from dehub.records.sessions import LoginFailure, WebSession

__all__ = [
    "ActionItem",
    "ActionPlan",
    "Attendance",
    "AuditEntry",
    "Base",
    "Committee",
    "Event",
    "Exporter",
    "Feedback",
    "Intervention",
    "Kpi",
    "KpiProgress",
    "LoginFailure",
    "Meeting",
    "Member",
    "PlanSection",
    "ProductRecord",
    "User",
    "WebSession",
]
