"""Input and output schemas of the records use cases: ``*Create`` (new records), ``*Update``
(every field optional but ``version``, the version the editor loaded) and ``*Public`` (what
the interfaces show; never a password hash). Lists are ``{"data": [...], "count": n}``
(:class:`Page`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dehub.records.vocab import (
    ActionStatus,
    Channel,
    CommitteeKind,
    EventKind,
    ExporterKind,
    FeedbackCategory,
    FeedbackStatus,
    Indicator,
    InterventionStatus,
    MemberRole,
    PlanStatus,
    Role,
    SectionKey,
    Stage,
)

T = TypeVar("T")

HS_CODE = r"^\d{2}(\d{2}){0,3}$"
IEC = r"^[0-9A-Z]{10}$"
PERIOD = r"^\d{4}-\d{2}(\d{2})?$"
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]


class Input(BaseModel):
    """Base of the input schemas: unknown fields are refused, strings stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Update(Input):
    """Base of the update schemas: ``version`` is the version the editor loaded."""

    version: int = Field(ge=1)


class Public(BaseModel):
    """Base of the output schemas (read from the ORM objects)."""

    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    """A list answer."""

    data: list[T]
    count: int


class Record(Public):
    id: int
    version: int
    created_at: datetime
    updated_at: datetime


# accounts


class UserCreate(Input):
    email: Email
    password: str = Field(min_length=8, max_length=200)
    name: str = ""
    role: Role
    state_code: str | None = None
    district_code: str | None = None
    exporter_id: int | None = None

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class UserUpdate(Update):
    name: str | None = None
    password: str | None = Field(default=None, min_length=8, max_length=200)
    active: bool | None = None


class UserPublic(Record):
    email: str
    name: str
    role: Role
    state_code: str | None
    district_code: str | None
    exporter_id: int | None
    active: bool
    is_demo: bool
    last_login_at: datetime | None


class AuditPublic(Public):
    id: int
    at: datetime
    actor_id: int | None
    actor_email: str
    action: str
    entity: str
    entity_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


# committees


class CommitteeCreate(Input):
    kind: CommitteeKind
    state_code: str | None = None
    district_code: str | None = None
    name: str | None = None


class CommitteeUpdate(Update):
    name: str | None = None


class MemberCreate(Input):
    name: str = Field(min_length=1)
    role: MemberRole = "member"
    organisation: str = ""
    designation: str = ""
    email: Email | None = None
    user_id: int | None = None


class MemberUpdate(Update):
    name: str | None = None
    role: MemberRole | None = None
    organisation: str | None = None
    designation: str | None = None
    email: Email | None = None
    user_id: int | None = None


class MemberPublic(Record):
    committee_id: int
    name: str
    role: MemberRole
    organisation: str
    designation: str
    email: str | None
    user_id: int | None


class ActionItemCreate(Input):
    description: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    due_date: date | None = None
    status: ActionStatus = "open"


class ActionItemUpdate(Update):
    description: str | None = None
    owner: str | None = None
    due_date: date | None = None
    status: ActionStatus | None = None


class ActionItemPublic(Record):
    meeting_id: int
    description: str
    owner: str
    due_date: date | None
    status: ActionStatus


class MeetingCreate(Input):
    held_on: date
    title: str = Field(min_length=1)
    agenda: str = ""
    minutes: str = ""
    decisions: str = ""


class MeetingUpdate(Update):
    held_on: date | None = None
    title: str | None = None
    agenda: str | None = None
    minutes: str | None = None
    decisions: str | None = None


class MeetingPublic(Record):
    committee_id: int
    held_on: date
    title: str
    agenda: str
    minutes: str
    decisions: str
    action_items: list[ActionItemPublic]


class CommitteePublic(Record):
    kind: CommitteeKind
    state_code: str
    district_code: str | None
    name: str
    members: list[MemberPublic]
    meetings: list[MeetingPublic]


# plans


class PlanCreate(Input):
    district_code: str
    period: str = Field(pattern=PERIOD)
    title: str | None = None


class PlanUpdate(Update):
    title: str | None = None


class SectionUpdate(Update):
    body: str | None = None
    data: dict[str, Any] | None = None


class SectionPublic(Record):
    plan_id: int
    key: SectionKey
    position: int
    title: str
    body: str
    data: dict[str, Any] | None


class KpiCreate(Input):
    name: str = Field(min_length=1)
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    target_date: date | None = None
    indicator: Indicator | None = None
    indicator_sector: str | None = None


class KpiUpdate(Update):
    name: str | None = None
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    target_date: date | None = None


class ProgressCreate(Input):
    on_date: date
    value: float
    note: str = ""


class ProgressPublic(Public):
    id: int
    kpi_id: int
    on_date: date
    value: float
    note: str
    recorded_by: int | None
    recorded_at: datetime


class KpiPublic(Record):
    intervention_id: int
    name: str
    unit: str
    baseline: float | None
    target: float | None
    target_date: date | None
    indicator: Indicator | None
    indicator_sector: str | None
    actual: float | None
    actual_period: str | None
    actual_source: dict[str, Any] | None
    actual_refreshed_at: datetime | None
    progress: list[ProgressPublic]


class InterventionCreate(Input):
    category: SectionKey
    title: str = Field(min_length=1)
    description: str = ""
    owner_agency: str = ""
    budget_inr: Decimal | None = Field(default=None, ge=0)
    start_date: date | None = None
    end_date: date | None = None
    status: InterventionStatus = "planned"


class InterventionUpdate(Update):
    category: SectionKey | None = None
    title: str | None = None
    description: str | None = None
    owner_agency: str | None = None
    budget_inr: Decimal | None = Field(default=None, ge=0)
    start_date: date | None = None
    end_date: date | None = None
    status: InterventionStatus | None = None


class InterventionPublic(Record):
    plan_id: int
    category: SectionKey
    title: str
    description: str
    owner_agency: str
    budget_inr: Decimal | None
    start_date: date | None
    end_date: date | None
    status: InterventionStatus
    kpis: list[KpiPublic]


class PlanSummary(Record):
    district_code: str
    state_code: str
    period: str
    revision: int
    title: str
    status: PlanStatus
    created_by: int | None
    depc_approved_by: int | None
    depc_approved_at: datetime | None
    sepc_endorsed_by: int | None
    sepc_endorsed_at: datetime | None
    notified_by: int | None
    notified_at: datetime | None


class PlanPublic(PlanSummary):
    source: dict[str, Any] | None
    sections: list[SectionPublic]
    interventions: list[InterventionPublic]


# exporters, events, feedback


class ExporterCreate(Input):
    name: str = Field(min_length=1)
    kind: ExporterKind
    district_code: str
    iec: str | None = Field(default=None, pattern=IEC)
    hs_codes: list[str] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    stage: Stage = "identified"
    contact_name: str = ""
    contact_email: Email | None = None
    phone: str | None = None

    @field_validator("hs_codes")
    @classmethod
    def _hs(cls, codes: list[str]) -> list[str]:
        return _hs_codes(codes)


class ExporterUpdate(Update):
    name: str | None = None
    kind: ExporterKind | None = None
    iec: str | None = Field(default=None, pattern=IEC)
    hs_codes: list[str] | None = None
    certifications: list[str] | None = None
    channels: list[Channel] | None = None
    contact_name: str | None = None
    contact_email: Email | None = None
    phone: str | None = None

    @field_validator("hs_codes")
    @classmethod
    def _hs(cls, codes: list[str] | None) -> list[str] | None:
        return None if codes is None else _hs_codes(codes)


def _hs_codes(codes: list[str]) -> list[str]:
    import re

    cleaned = [c.replace(".", "").strip() for c in codes]
    bad = [c for c in cleaned if not re.fullmatch(HS_CODE, c)]
    if bad:
        raise ValueError(f"HS codes have 2, 4, 6 or 8 digits: {', '.join(bad)}")
    return cleaned


class ExporterPublic(Record):
    name: str
    kind: ExporterKind
    iec: str | None
    district_code: str
    state_code: str
    hs_codes: list[str]
    certifications: list[str]
    channels: list[Channel]
    stage: Stage
    stage_changed_at: datetime
    contact_name: str
    contact_email: str | None
    phone: str | None


class EventCreate(Input):
    kind: EventKind
    title: str = Field(min_length=1)
    district_code: str
    starts_on: date
    ends_on: date | None = None
    venue: str = ""
    description: str = ""


class EventUpdate(Update):
    kind: EventKind | None = None
    title: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    venue: str | None = None
    description: str | None = None


class AttendancePublic(Record):
    event_id: int
    exporter_id: int
    attended: bool
    note: str


class EventPublic(Record):
    kind: EventKind
    title: str
    district_code: str
    state_code: str
    starts_on: date
    ends_on: date | None
    venue: str
    description: str
    attendance: list[AttendancePublic]


class FeedbackCreate(Input):
    category: FeedbackCategory
    subject: str = Field(min_length=1)
    body: str = ""
    district_code: str | None = None
    exporter_id: int | None = None


class FeedbackUpdate(Update):
    status: FeedbackStatus | None = None
    assignee_id: int | None = None
    response: str | None = None


class FeedbackPublic(Record):
    district_code: str
    state_code: str
    exporter_id: int | None
    category: FeedbackCategory
    subject: str
    body: str
    status: FeedbackStatus
    raised_by: int | None
    assignee_id: int | None
    response: str
    resolved_at: datetime | None
    resolution_hours: float | None = None


# a district's products: officers' entries over the bundled lists

ProductRecordKind = Literal["add", "correct", "hide"]


class ProductRecordCreate(Input):
    """``add``: a product (``product`` name, ``hs_codes``, ``note``); ``correct``: the bundled
    product ``product_key`` (or its name in ``product``) gets ``hs_codes`` instead of its
    curated codes, ``note`` the rationale; ``hide``: the bundled product's ``hs_codes`` are
    dropped as wrong (none: the whole entry)."""

    district_code: str
    kind: ProductRecordKind
    product: str = Field(default="", max_length=200)
    product_key: str | None = Field(default=None, max_length=120)
    hs_codes: list[str] = Field(default_factory=list, max_length=40)
    note: str = Field(default="", max_length=4000)

    @field_validator("hs_codes")
    @classmethod
    def _hs(cls, codes: list[str]) -> list[str]:
        return list(dict.fromkeys(_hs_codes(codes)))


class ProductRecordUpdate(Update):
    product: str | None = Field(default=None, max_length=200)
    hs_codes: list[str] | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=4000)
    active: bool | None = None

    @field_validator("hs_codes")
    @classmethod
    def _hs(cls, codes: list[str] | None) -> list[str] | None:
        return None if codes is None else list(dict.fromkeys(_hs_codes(codes)))


class ProductRecordPublic(Record):
    district_code: str
    state_code: str
    kind: ProductRecordKind
    product: str
    product_key: str | None
    hs_codes: list[str]
    note: str
    active: bool
    author: str
    updated_by: str
