"""Exporters, events (trainings, buyer-seller meets, fairs) with attendance, and feedback."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dehub.records.base import Base, Versioned, utcnow


class Exporter(Versioned, Base):
    """An enterprise of a district: ``kind`` (msme, artisan, fpo, cooperative, company), IEC
    (Importer-Exporter Code, 10 characters), products as HS codes, certifications, channels
    (direct, merchant_exporter, ecommerce) and the onboarding ``stage`` (identified -> trained
    -> registered -> first_shipment -> regular) with the time it was reached."""

    __tablename__ = "exporters"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    iec: Mapped[str | None] = mapped_column(String(10), unique=True)
    district_code: Mapped[str] = mapped_column(String(8), index=True)
    state_code: Mapped[str] = mapped_column(String(8), index=True)
    hs_codes: Mapped[list[str]] = mapped_column(default=list)
    certifications: Mapped[list[str]] = mapped_column(default=list)
    channels: Mapped[list[str]] = mapped_column(default=list)
    stage: Mapped[str] = mapped_column(String(16), default="identified")
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))


class Event(Versioned, Base):
    """A training, buyer-seller meet or fair in a district."""

    __tablename__ = "events"

    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(300))
    district_code: Mapped[str] = mapped_column(String(8), index=True)
    state_code: Mapped[str] = mapped_column(String(8), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    venue: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="event", order_by="Attendance.id", cascade="all, delete-orphan"
    )


class Attendance(Versioned, Base):
    """An exporter registered for an event, and whether it attended."""

    __tablename__ = "event_attendance"
    __table_args__ = (UniqueConstraint("event_id", "exporter_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    exporter_id: Mapped[int] = mapped_column(ForeignKey("exporters.id"), index=True)
    attended: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    event: Mapped[Event] = relationship(back_populates="attendance")


class Feedback(Versioned, Base):
    """An issue raised by an exporter or an officer: ``category`` (logistics, finance,
    compliance, certification, market_access, other), subject and text, ``status`` (open,
    in_progress, resolved, closed), assignee, response; ``resolved_at`` minus ``created_at`` is
    the time to resolution."""

    __tablename__ = "feedback"

    district_code: Mapped[str] = mapped_column(String(8), index=True)
    state_code: Mapped[str] = mapped_column(String(8), index=True)
    exporter_id: Mapped[int | None] = mapped_column(ForeignKey("exporters.id"), index=True)
    category: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    raised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    response: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None]
