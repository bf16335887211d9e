"""Draft a District Export Action Plan from the data, for officers to edit.

For a district, the latest financial year of the district-wise data gives the export profile
(total, rank, shares of India and of the state, sectors with domestic RCA and share of India,
ECI) and peers (:mod:`dehub.services.places`); priority sectors are those with domestic RCA >=
1 (Balassa 1965, India as the "world"), largest first, flagged where the district ships >= 5%
of India's exports of the sector (dominance); India's markets for each priority sector, with
their growth, come from the national HS x country data (:func:`dehub.services.markets.
markets_report`), because the bundled district-wise data has no partner breakdown. Every
table names its source release; sections the data cannot fill (infrastructure, testing,
packaging, onboarding, e-commerce, finance, convergence) are left empty for the officers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from dehub.errors import DehubError
from dehub.records.base import utcnow
from dehub.records.policy import Actor, Resource, require
from dehub.services.markets import markets_report
from dehub.services.places import DistrictFrame, district_frame, district_peers, district_profile
from dehub.services.records import common
from dehub.services.records.plans import new_plan
from dehub.services.records.schemas import PlanCreate, PlanPublic
from dehub.settings import Settings

PRIORITY_SECTORS = 5
MARKET_SECTORS = 3
MARKETS_PER_SECTOR = 5


def _usd(value: float | None) -> str:
    if value is None:
        return "-"
    return f"US$ {value / 1e9:,.2f} bn" if abs(value) >= 1e9 else f"US$ {value / 1e6:,.2f} mn"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def priority_sectors(profile: dict[str, Any], n: int = PRIORITY_SECTORS) -> list[dict[str, Any]]:
    """The district's sectors with domestic RCA >= 1, largest first (its largest sectors when
    none has RCA >= 1), at most ``n``, each flagged ``dominant`` when the district ships at
    least 5% of India's exports of it."""
    sectors = profile["sectors"]
    competitive = [s for s in sectors if s["domestic_rca"] is not None and s["domestic_rca"] >= 1]
    chosen = (competitive or sectors)[:n]
    dominant = {s["sector"] for s in profile["dominance"]}
    return [{**s, "dominant": s["sector"] in dominant} for s in chosen]


def _markets(settings: Settings, sector: dict[str, Any]) -> dict[str, Any]:
    try:
        report = markets_report(settings, str(sector["sector"]), top=MARKETS_PER_SECTOR)
    except DehubError as exc:
        return {"sector": sector["sector"], "label": sector["label"], "note": exc.message}
    change = report.get("margins") or {}
    growth = None
    if report["base_period"] and change.get("prev_total"):
        from dehub.analytics.growth import years_between

        years = years_between(report["base_period"], report["period"])
        if years > 0:
            growth = (change["curr_total"] / change["prev_total"]) ** (1 / years) - 1
    return {
        "sector": sector["sector"],
        "label": sector["label"],
        "period": report["period"],
        "base_period": report["base_period"],
        "india_total_usd": report["total_usd"],
        "india_cagr": growth,
        "markets": report["markets"],
        "source": report["source"],
        "caveat": report["caveat"],
    }


def _profile_text(p: dict[str, Any], peers: dict[str, Any]) -> str:
    name, period = p["district"]["name"], p["period"]
    if not p["total_usd"]:
        return f"{name} has no exports recorded in the district-wise data for {period}."
    ctx = p["state_context"]
    top = ", ".join(f"{s['label']} ({_pct(s['share_of_district'])})" for s in p["sectors"][:3])
    peer_names = ", ".join(str(r["name"]) for r in peers["by_mix"][:3])
    return (
        f"In {period} {name} exported {_usd(p['total_usd'])}, rank {p['rank']} of "
        f"{p['districts_with_exports']} districts and {_pct(p['share_of_india'])} of India's "
        f"exports; {_pct(ctx['share_of_state'])} of {p['state']['name']}'s exports (rank "
        f"{ctx['rank_in_state']} in the state). Largest sectors: {top}."
        + (f" Districts with the most similar sector mix: {peer_names}." if peer_names else "")
    )


def _potential_text(priority: list[dict[str, Any]]) -> str:
    if not priority:
        return "No sector with exports in the district-wise data."
    lines = [
        f"- {s['label']}: {_usd(s['value_usd'])}, domestic RCA {s['domestic_rca']:.2f}, "
        f"{_pct(s['share_of_india'])} of India's exports (rank {s['rank_among_districts']})"
        + (" — a dominant supplier" if s["dominant"] else "")
        for s in priority
    ]
    return "Priority sectors (domestic RCA >= 1, largest first):\n" + "\n".join(lines)


def _markets_text(markets: list[dict[str, Any]]) -> str:
    lines = []
    for m in markets:
        if "markets" not in m:
            lines.append(f"- {m['label']}: {m['note']}")
            continue
        names = ", ".join(f"{r['name']} ({_pct(r['share'])})" for r in m["markets"])
        growth = f"; India's exports grew {_pct(m['india_cagr'])} a year since {m['base_period']}"
        lines.append(f"- {m['label']}: {names}" + (growth if m["india_cagr"] is not None else ""))
    return (
        "India's largest markets for the district's priority sectors (the district-wise data "
        "has no partner breakdown):\n" + "\n".join(lines)
        if lines
        else ""
    )


def draft_sections(
    settings: Settings, frame: DistrictFrame, district_code: str
) -> tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, Any]]:
    """The pre-filled sections (key -> (body, data)) of a district's plan, and their sources."""
    district = common.district(district_code)
    profile = district_profile(frame, district)
    peers = district_peers(frame, district)
    priority = priority_sectors(profile)
    markets = [_markets(settings, s) for s in priority[:MARKET_SECTORS]]
    baselines = [
        {"indicator": "district_exports_usd", "sector": None, "baseline_usd": profile["total_usd"]}
    ] + [
        {
            "indicator": "district_sector_exports_usd",
            "sector": s["sector"],
            "baseline_usd": s["value_usd"],
        }
        for s in priority
    ]
    sections: dict[str, tuple[str, dict[str, Any]]] = {
        "export_profile": (_profile_text(profile, peers), {"profile": profile, "peers": peers}),
        "export_potential": (_potential_text(priority), {"priority_sectors": priority}),
        "target_markets": (_markets_text(markets), {"markets": markets}),
        "quantified_targets": (
            f"Baselines for {frame.period} (US$, district-wise data); set the targets.",
            {"period": frame.period, "baselines": baselines},
        ),
    }
    sources: dict[str, Any] = {
        "district_data": frame.source,
        "markets": [m["source"] for m in markets if "source" in m],
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "method": __doc__.split("\n\n")[1].replace("\n", " ") if __doc__ else "",
    }
    return sections, sources


def draft_plan(
    session: Session,
    actor: Actor,
    settings: Settings,
    district_code: str,
    period: str,
    *,
    frame: DistrictFrame | None = None,
    prepared: tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, Any]] | None = None,
) -> PlanPublic:
    """Create a district's draft plan for ``period`` pre-filled from the analytics (see the
    module docstring). Same permission and uniqueness as
    :func:`dehub.services.records.plans.create_plan`. ``prepared``: the result of
    :func:`draft_sections` for this district when the caller has it (e.g. a cached preview)."""
    d = common.district(district_code)
    require(actor, "plan.create", Resource("plan", d.state_code, d.code, status="draft"))
    if prepared is None:
        prepared = draft_sections(settings, frame or district_frame(settings), d.code)
    sections, sources = prepared
    plan = new_plan(session, actor, PlanCreate(district_code=d.code, period=period))
    before = common.snapshot(plan)
    plan.source = common.jsonable(sources)
    for section in plan.sections:
        if section.key in sections:
            body, data = sections[section.key]
            section.body, section.data = body, common.jsonable(data)
    common.audit(session, actor, "draft_from_data", plan, before)
    return PlanPublic.model_validate(plan)
