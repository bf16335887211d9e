"""Committees (an SEPC per state, a DEPC per district), their members and meetings, and the
action items decided at meetings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dehub.records.base import Base, Versioned


class Committee(Versioned, Base):
    """An SEPC (``kind='sepc'``, ``district_code`` None) or a DEPC (``kind='depc'``).
    ``scope_code`` is the state's LGD code for an SEPC, the district's for a DEPC; one
    committee per kind and scope."""

    __tablename__ = "committees"
    __table_args__ = (UniqueConstraint("kind", "scope_code"),)

    kind: Mapped[str] = mapped_column(String(8))
    scope_code: Mapped[str] = mapped_column(String(8))
    state_code: Mapped[str] = mapped_column(String(8), index=True)
    district_code: Mapped[str | None] = mapped_column(String(8), index=True)
    name: Mapped[str] = mapped_column(String(200))

    members: Mapped[list[Member]] = relationship(
        back_populates="committee", order_by="Member.id", cascade="all, delete-orphan"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="committee", order_by="Meeting.held_on", cascade="all, delete-orphan"
    )


class Member(Versioned, Base):
    """A committee member: name, ``role`` (chair, co_chair, convener, member), organisation and
    designation; ``user_id`` links the member to an account (a DEPC chair with an account may
    approve the district's plan)."""

    __tablename__ = "committee_members"

    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    designation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    committee: Mapped[Committee] = relationship(back_populates="members")


class Meeting(Versioned, Base):
    """A committee meeting: date, title, agenda, minutes and decisions (text)."""

    __tablename__ = "meetings"

    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    agenda: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")

    committee: Mapped[Committee] = relationship(back_populates="meetings")
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="meeting", order_by="ActionItem.id", cascade="all, delete-orphan"
    )


class ActionItem(Versioned, Base):
    """An action decided at a meeting: what, who owns it, by when, and its status (open,
    in_progress, done, dropped)."""

    __tablename__ = "action_items"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="open")

    meeting: Mapped[Meeting] = relationship(back_populates="action_items")
