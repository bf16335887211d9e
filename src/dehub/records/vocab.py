"""The closed vocabularies of the records (stored as short strings; the services' schemas
validate them with these ``Literal`` types)."""

from __future__ import annotations

from typing import Final, Literal, get_args

Role = Literal["national_admin", "state_officer", "district_officer", "depc_member", "exporter"]
"""Account roles. The public has no account (read-only analytics, no login)."""
ROLES: Final = get_args(Role)
STATE_ROLES: Final = ("state_officer",)
DISTRICT_ROLES: Final = ("district_officer", "depc_member")

CommitteeKind = Literal["sepc", "depc"]
"""SEPC: State Export Promotion Committee (one per state); DEPC: District Export Promotion
Committee (one per district)."""
MemberRole = Literal["chair", "co_chair", "convener", "member"]
ActionStatus = Literal["open", "in_progress", "done", "dropped"]

PlanStatus = Literal["draft", "depc_approved", "sepc_endorsed", "notified"]
PLAN_STATUSES: Final = get_args(PlanStatus)

PLAN_SECTIONS: Final[dict[str, str]] = {
    "export_profile": "District export profile",
    "export_potential": "Products with export potential",
    "target_markets": "Target markets",
    "quantified_targets": "Quantified export targets",
    "infrastructure_logistics": "Infrastructure and logistics gaps",
    "testing_certification": "Testing and certification",
    "packaging_branding": "Packaging, branding and GI",
    "onboarding_capacity": "Exporter onboarding and capacity building",
    "ecommerce": "E-commerce",
    "finance": "Export finance",
    "convergence": "Convergence with schemes",
}
"""The sections of a District Export Action Plan, in order (key -> title)."""
SectionKey = Literal[
    "export_profile",
    "export_potential",
    "target_markets",
    "quantified_targets",
    "infrastructure_logistics",
    "testing_certification",
    "packaging_branding",
    "onboarding_capacity",
    "ecommerce",
    "finance",
    "convergence",
]
InterventionStatus = Literal["planned", "in_progress", "completed", "delayed", "dropped"]

Indicator = Literal["district_exports_usd", "district_sector_exports_usd"]
"""Analytics indicators a KPI can be bound to: a district's exports (US$) in all sectors or in
one sector, read from the facts store (the latest financial year of the district-wise data)."""

ExporterKind = Literal["msme", "artisan", "fpo", "cooperative", "company"]
Channel = Literal["direct", "merchant_exporter", "ecommerce"]
Stage = Literal["identified", "trained", "registered", "first_shipment", "regular"]
STAGES: Final = get_args(Stage)

EventKind = Literal["training", "buyer_seller_meet", "fair"]

FeedbackCategory = Literal[
    "logistics", "finance", "compliance", "certification", "market_access", "other"
]
FeedbackStatus = Literal["open", "in_progress", "resolved", "closed"]

assert tuple(PLAN_SECTIONS) == get_args(SectionKey)
