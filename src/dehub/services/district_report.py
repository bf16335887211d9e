"""The content of a district's printable export profile, in one place for every format.

:func:`district_report` gathers, from the national :class:`~dehub.services.places.DistrictFrame`
of a period, what the report shows: the district's profile (total, rank, share of India, sector
mix with domestic RCA and share of India, dominance, ECI: :func:`places.district_profile`), its
peers (:func:`places.district_peers`), its state's context (:func:`places.state_profile`), its
ODOP, GI and PMFME products (:func:`district_products.district_products`), its target markets
(export potential with the district as the supplier: :func:`potential.potential_report`), and
the sources with their licences. The renderers in :mod:`dehub.reports` (PDF, HTML, XLSX) only
lay this out; none of them computes a figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dehub import __version__
from dehub.reference.geography import District, State, resolve_district
from dehub.services import places, potential
from dehub.services.district_products import district_products
from dehub.settings import Settings

STATE_SECTORS = 10
"""Sectors of the state shown in its context (largest first)."""
TARGET_MARKETS = 100
"""Product x market pairs of the target markets (as on the district page; the XLSX has them
all, the PDF and HTML the first :data:`TARGET_MARKETS_SHOWN`)."""
TARGET_MARKETS_SHOWN = 10

SOURCE_NOTES: dict[str, tuple[str, str]] = {
    "dgcis_district_sector": (
        "DGCI&S district-wise exports, April 2024 - March 2025, aggregated to 22 HS2 sectors "
        "(github.com/Tiru-Kaggundi/dist_complexity_analysis @ 5fcb313)",
        "Figures: Directorate General of Commercial Intelligence and Statistics (DGCI&S), "
        "Government of India statistics, no licence stated (attribute DGCI&S). Sector "
        "aggregation: MIT, (c) 2026 Tirumala Venkatesh Kaggundi.",
    ),
    "dgcis_district": (
        "DGCI&S district-wise exports (official district x ITC-HS files)",
        "Government of India statistics (DGCI&S); attribute DGCI&S.",
    ),
}
"""What each district-wise source is and its licence / attribution (see DATA-SOURCES.md)."""

REFERENCE_NOTES: tuple[tuple[str, str, str], ...] = (
    (
        "District and state codes",
        "Local Government Directory (LGD), Ministry of Panchayati Raj",
        "Government Open Data License - India (GODL-India); attribute the Local Government "
        "Directory, Ministry of Panchayati Raj.",
    ),
    (
        "District map",
        "covid19india.org district map on 2011 boundaries, from DataMeet / Census 2011 maps",
        "MIT (c) 2020 Jeremy Philemon; DataMeet CC BY 4.0. Not the official Survey of India "
        "boundary.",
    ),
    (
        "Sectors",
        "22 export sectors of HS2 chapters, grouped in agriculture and allied, minerals, "
        "manufacturing",
        "MIT (c) 2026 Tirumala Venkatesh Kaggundi (sector map).",
    ),
)
"""The reference data every district report uses, with licences."""

METHOD_NOTES: tuple[tuple[str, str], ...] = (
    (
        "Share of India",
        "of India's total in the district-wise data, including exports not attributed to a "
        "district (never ranked).",
    ),
    (
        "Domestic RCA",
        "Balassa (1965) with India as the 'world': the sector's share of the district's exports "
        "divided by its share of India's exports; 1 or more = the district specialises in it.",
    ),
    (
        "Dominance",
        f"sectors in which the district ships at least {places.DOMINANCE_SHARE:.0%} of India's "
        "exports of the sector.",
    ),
    (
        "Peers",
        "the districts of the same state nearest in total exports (smallest |log ratio|), and "
        "the districts in India with the most similar sector mix (cosine similarity of sector "
        "export values, 1 = the same mix).",
    ),
    (
        "ECI",
        "Economic Complexity Index (Hidalgo & Hausmann 2009) on the " + places.ECI_BASIS + ".",
    ),
    (
        "Export potential",
        "ITC Export Potential Indicator (Decreux & Spies 2016): potential = supply x demand x "
        "ease of trade, scaled so that India's potentials add up to its actual exports; "
        "untapped = potential - min(actual, potential). The district is the supplier through "
        "its share of India's exports of each product; its potential, actual and untapped "
        "values are attributed (district share x India's), not observed.",
    ),
)


@dataclass(frozen=True)
class DistrictReport:
    """Everything a district report shows. Values in US$ (``total_inr`` in rupees) for the
    frame's ``period``; every figure comes from the ``source`` release."""

    district: District
    period: str
    profile: dict[str, Any]  # places.district_profile
    peers: dict[str, Any]  # places.district_peers
    peer_rows: list[dict[str, Any]]  # this district first, then peers (see peer_rows)
    state: dict[str, Any]  # the state's context (see _state_context)
    state_districts: list[dict[str, Any]]  # the state's districts, largest first
    products: dict[str, Any]  # district_products.district_products
    target_markets: dict[str, Any]  # potential.potential_report, the district as the supplier
    source: dict[str, Any]  # the release's provenance (catalog.ReleaseChoice.provenance)
    sources: list[dict[str, str]]  # what / source / licence rows for the "About" part
    methods: list[dict[str, str]]  # term / meaning rows
    generated_at: str  # ISO 8601, UTC, seconds
    generator: str  # "dehub 0.1.0"

    @property
    def title(self) -> str:
        return f"{self.district.name}, {self.district.state_name}"


def peer_rows(profile: dict[str, Any], peers: dict[str, Any]) -> list[dict[str, Any]]:
    """The district followed by its peers (``peer_group`` says which group), as rows with the
    district table's columns: ``lgd_code``, ``name``, ``state_code``, ``state_name``,
    ``value_usd``, ``rank``, ``share_of_india``, ``top_sector``, ``similarity``."""
    me = {
        "peer_group": "this district",
        "lgd_code": profile["district"]["lgd_code"],
        "name": profile["district"]["name"],
        "state_code": profile["state"]["lgd_code"],
        "state_name": profile["state"]["name"],
        "value_usd": profile["total_usd"],
        "rank": profile["rank"],
        "share_of_india": profile["share_of_india"],
        "top_sector": profile["sectors"][0]["label"] if profile["sectors"] else None,
        "similarity": 1.0 if profile["sectors"] else None,
    }
    size = [{**r, "peer_group": "nearest in size, same state"} for r in peers["by_size"]]
    mix = [{**r, "peer_group": "most similar sector mix, India"} for r in peers["by_mix"]]
    return [me, *size, *mix]


def _state_context(frame: places.DistrictFrame, district: District) -> dict[str, Any]:
    """The state's total (its districts + its unattributed exports), rank among states, share
    of India, concentration across its districts, and its largest sectors."""
    state = places.state_profile(frame, State(district.state_code, district.state_name))
    summary = state["concentration"] or {}
    return {
        "lgd_code": district.state_code,
        "name": district.state_name,
        "total_usd": state["total_usd"],
        "unattributed_usd": state["unattributed_usd"],
        "share_of_india": state["share_of_india"],
        "rank": state["rank"],
        "states_with_exports": state["states_with_exports"],
        "hhi": summary.get("hhi"),
        "top_shares": summary.get("top_shares", {}),
        "sectors": state["sectors"][:STATE_SECTORS],
        "districts": state["districts"],
    }


PRODUCT_LISTS_NOTE = (
    "District products",
    "ODOP list (DPIIT / Invest India ODOP portal), GI Registry (IP India), PMFME food ODOP "
    "(MoFPI), with curated HS codes (see DATA-SOURCES.md)",
    "Government of India lists, no licence stated; attribute DPIIT / Invest India, the GI "
    "Registry (IP India) and MoFPI.",
)


def _release(source: dict[str, Any] | None) -> str:
    if not source:
        return "not loaded"
    return f"source '{source['source']}', release '{source['release']}' (#{source['release_id']})"


def _section_sources(products: dict[str, Any], target: dict[str, Any]) -> list[dict[str, str]]:
    """Where the products and target markets sections' figures come from."""
    what, src, licence = PRODUCT_LISTS_NOTE
    return [
        {"what": what, "source": src, "licence": licence},
        {
            "what": "India's exports of the products' HS codes",
            "source": "national exports by HS code and country; "
            + _release(products["exports"]["source"]),
            "licence": "Government of India statistics (Department of Commerce EIDB); "
            "attribute the Department of Commerce.",
        },
        {
            "what": "Export potential (world markets)",
            "source": str(target["source"]["world"]),
            "licence": "BACI: 'BACI, CEPII - Gaulier & Zignago (2010)', Etalab Open Licence 2.0.",
        },
    ]


def _sources(source: dict[str, Any]) -> list[dict[str, str]]:
    what, licence = SOURCE_NOTES.get(
        str(source["source"]), ("district-wise export statistics", "as stated by the publisher")
    )
    facts = {
        "what": "Export figures",
        "source": f"{what}; source '{source['source']}', release '{source['release']}' "
        f"(#{source['release_id']}, loaded {source['loaded_at']})",
        "licence": licence,
    }
    return [facts] + [{"what": w, "source": s, "licence": lic} for w, s, lic in REFERENCE_NOTES]


def district_report(
    frame: places.DistrictFrame,
    district: District,
    *,
    products: dict[str, Any],
    target_markets: dict[str, Any],
    now: datetime | None = None,
) -> DistrictReport:
    """The report of ``district`` in the frame's period (tens of milliseconds once the frame is
    built: peers and the state's profile dominate), with its ``products`` and
    ``target_markets`` (see :func:`report_sections`; the web passes the district page's cached
    answers). ``now`` stamps it (default: the current UTC time)."""
    profile = places.district_profile(frame, district)
    peers = places.district_peers(frame, district)
    state = _state_context(frame, district)
    state_districts = state.pop("districts")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return DistrictReport(
        district=district,
        period=frame.period,
        profile=profile,
        peers=peers,
        peer_rows=peer_rows(profile, peers),
        state=state,
        state_districts=state_districts,
        products=products,
        target_markets=target_markets,
        source=frame.source,
        sources=_sources(frame.source) + _section_sources(products, target_markets),
        methods=[{"term": t, "meaning": m} for t, m in METHOD_NOTES],
        generated_at=stamp.isoformat().replace("+00:00", "Z"),
        generator=f"dehub {__version__}",
    )


def build_district_report(
    settings: Settings, text: str, *, state: str | None = None, period: str | None = None
) -> DistrictReport:
    """The report of the district named by ``text`` (an LGD code or any known spelling, within
    ``state`` when the name is ambiguous) in ``period`` (default: the latest financial year of
    the district-wise data). Unknown names raise :class:`~dehub.errors.NotFound` with
    suggestions before any data is read."""
    district = resolve_district(text, state)
    frame = places.district_frame(settings, period)
    products, target = report_sections(settings, frame, district)
    return district_report(frame, district, products=products, target_markets=target)


def report_sections(
    settings: Settings,
    frame: places.DistrictFrame,
    district: District,
    basis: potential.SupplierBasis | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The district's ODOP, GI and PMFME products (with India's exports of their codes and the
    district's figures of each code's sector, from the frame's period) and its
    :data:`TARGET_MARKETS` target markets (export potential, the district as the supplier
    through its shares of the frame's period; ``basis`` a prebuilt
    :func:`potential.supplier_basis`). A few seconds the first time in a process (India's
    export potential is computed once)."""
    profile = places.district_profile(frame, district)
    products = district_products(settings, district, profile["sectors"], profile["source"])
    target = potential.potential_report(
        settings, district=district.code, top=TARGET_MARKETS, period=frame.period, basis=basis
    )
    return products, target
