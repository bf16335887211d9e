"""What every format of the district report shows: key figures, tables and charts, built once
from a :class:`~dehub.services.district_report.DistrictReport`.

Tables are :class:`~dehub.web.tables.DataTable` (the XLSX sheets are written by the same writer
as the pages' downloads); charts and the map are the pages' inline SVG
(:mod:`dehub.web.charts`, :mod:`dehub.web.maps`) without links, so a saved report points
nowhere.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from markupsafe import Markup

from dehub.services.district_report import TARGET_MARKETS_SHOWN, DistrictReport
from dehub.web import formatting, section_tables
from dehub.web.charts import Bar, bar_chart
from dehub.web.maps import choropleth, map_district_codes
from dehub.web.tables import Column, DataTable

FigureKind = Literal["usd", "inr_crore", "share", "number", "ratio", "text"]
STATE_DISTRICTS_SHOWN = 15
LABEL_WIDTH = 280.0
"""Room for bar labels in px: sector labels are long, and a printed page has the width."""

SECTOR_COLUMNS = (
    Column("label", "Sector"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share_of_district", "Share of the district", "share"),
    Column("share_of_india", "Share of India's sector exports", "share"),
    Column("rank_among_districts", "Rank among districts", "number"),
    Column("domestic_rca", "Domestic RCA", "ratio"),
    Column("sector", "Sector code"),
)
PEER_COLUMNS = (
    Column("peer_group", "Compared as"),
    Column("name", "District"),
    Column("state_name", "State"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("rank", "Rank in India", "number"),
    Column("share_of_india", "Share of India", "share"),
    Column("top_sector", "Largest sector"),
    Column("similarity", "Sector-mix similarity", "ratio"),
    Column("lgd_code", "LGD code"),
)
STATE_DISTRICT_COLUMNS = (
    Column("name", "District"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share_of_state", "Share of the state", "share"),
    Column("rank_in_state", "Rank in the state", "number"),
    Column("share_of_india", "Share of India", "share"),
    Column("lgd_code", "LGD code"),
)
STATE_SECTOR_COLUMNS = (
    Column("label", "Sector"),
    Column("value_usd", "Exports (US$)", "usd"),
    Column("share", "Share of the state", "share"),
    Column("share_of_india", "Share of India's sector exports", "share"),
    Column("domestic_rca", "Domestic RCA", "ratio"),
    Column("sector", "Sector code"),
)
PRINTED_COLUMNS = {
    "products": (
        "list",
        "product",
        "code",
        "confidence",
        "india_usd",
        "top_markets",
        "sector_label",
        "sector_rca",
    ),
    "target_markets": (
        "market_name",
        "product",
        "product_label",
        "supplier_untapped_usd",
        "supplier_potential_usd",
        "supplier_actual_usd",
        "supplier_share",
        "share_of_market",
        "growth_cagr",
        "trend",
    ),
}
"""The columns of the wide section tables that fit a printed A4 page (PDF and HTML); the
XLSX sheets have every column."""
SUMMARY_COLUMNS = (Column("item", "Item"), Column("value", "Value"), Column("unit", "Unit"))
ABOUT_COLUMNS = (Column("section", "Section"), Column("item", "Item"), Column("text", "Text"))


@dataclass(frozen=True)
class Figure:
    """A key figure: its label, raw value and how to write it."""

    label: str
    value: Any
    kind: FigureKind = "text"

    @property
    def text(self) -> str:
        """The value for people (``US$ 10.56 bn``, ``₹ 89,650.1 crore``, ``2.4%``)."""
        if self.kind == "inr_crore":
            return (
                "–" if self.value is None else f"₹ {formatting.number(self.value / 1e7, 1)} crore"
            )
        show = {
            "usd": formatting.usd,
            "share": lambda v: formatting.pct(v, 2),
            "number": formatting.number,
            "ratio": formatting.ratio,
        }.get(self.kind)
        if show is not None:
            return show(self.value)
        return "–" if self.value is None else str(self.value)

    @property
    def unit(self) -> str:
        return {"usd": "US$", "inr_crore": "rupees", "share": "fraction"}.get(self.kind, "")


def key_figures(report: DistrictReport) -> list[Figure]:
    """The headline figures of the district and its state."""
    p, st = report.profile, report.state
    ctx = p["state_context"]
    eci = p["eci"]
    figures = [
        Figure("Exports", p["total_usd"], "usd"),
        Figure("Exports in rupees", p["total_inr"], "inr_crore"),
        Figure("Rank among districts", p["rank"], "number"),
        Figure("Districts with exports", p["districts_with_exports"], "number"),
        Figure("Share of India's exports", p["share_of_india"], "share"),
        Figure("India's exports (incl. not attributed to a district)", p["india_total_usd"], "usd"),
        Figure(f"Share of {st['name']}'s exports", ctx["share_of_state"], "share"),
        Figure(f"Rank in {st['name']}", ctx["rank_in_state"], "number"),
        Figure("Sectors with exports", len(p["sectors"]), "number"),
        Figure("Sectors with domestic RCA ≥ 1", len(p["competitive_sectors"]), "number"),
    ]
    figures += [
        Figure(f"Share of {b['broad_sector'].replace('_', ' ')}", b["share"], "share")
        for b in p["broad_sectors"]
    ]
    figures += [
        Figure("Economic complexity (ECI)", eci["value"] if eci else None, "ratio"),
        Figure("ECI rank", f"{eci['rank']} of {eci['of']}" if eci else "not computable"),
    ]
    return figures


def state_figures(report: DistrictReport) -> list[Figure]:
    """The state's context: total, rank among states, share of India, concentration."""
    st = report.state
    top = st["top_shares"]
    figures = [
        Figure(f"{st['name']}: exports", st["total_usd"], "usd"),
        Figure("of which not attributed to a district", st["unattributed_usd"], "usd"),
        Figure("Rank among states", st["rank"], "number"),
        Figure("States with exports", st["states_with_exports"], "number"),
        Figure("Share of India's exports", st["share_of_india"], "share"),
        Figure("HHI across its districts", st["hhi"], "ratio"),
    ]
    if "5" in top:
        figures.append(Figure("Share of its top 5 districts", top["5"], "share"))
    return figures


def provenance(report: DistrictReport) -> list[tuple[str, str]]:
    """Who, what, when: the header of every format."""
    src = report.source
    return [
        ("District", f"{report.district.name} (LGD code {report.district.code})"),
        ("State", f"{report.district.state_name} (LGD code {report.district.state_code})"),
        ("Period", f"{report.period} (financial year, April - March)"),
        ("Source", f"{src['source']}, release '{src['release']}' (#{src['release_id']})"),
        ("Loaded", str(src["loaded_at"])),
        ("Generated", f"{report.generated_at} by {report.generator}"),
    ]


def tables(report: DistrictReport) -> dict[str, DataTable]:
    """Every table of the report by name (each is a sheet of the XLSX)."""
    p, name = report.profile, report.district.name
    summary = [
        {"item": f.label, "value": f.value, "unit": f.unit}
        for f in key_figures(report) + state_figures(report)
    ]
    about = (
        [{"section": "report", "item": k, "text": v} for k, v in provenance(report)]
        + [
            {
                "section": "source",
                "item": s["what"],
                "text": f"{s['source']}. Licence: {s['licence']}",
            }
            for s in report.sources
        ]
        + [{"section": "method", "item": m["term"], "text": m["meaning"]} for m in report.methods]
        + _caveats(report)
    )
    found = [
        DataTable("summary", "Key figures", SUMMARY_COLUMNS, summary),
        DataTable("sectors", "Exports by sector", SECTOR_COLUMNS, p["sectors"]),
        DataTable(
            "dominance",
            f"Sectors where {name} ships at least 5% of India's exports",
            SECTOR_COLUMNS,
            p["dominance"],
        ),
        DataTable("peers", "Peer districts", PEER_COLUMNS, report.peer_rows),
        DataTable(
            "state_districts",
            f"Districts of {report.district.state_name}",
            STATE_DISTRICT_COLUMNS,
            report.state_districts,
            limit=STATE_DISTRICTS_SHOWN,
        ),
        DataTable(
            "state_sectors",
            f"{report.district.state_name}: largest sectors",
            STATE_SECTOR_COLUMNS,
            report.state["sectors"],
        ),
        section_tables.products_table(name, report.products["rows"]),
        section_tables.target_markets_table(
            name, report.target_markets["rows"], limit=TARGET_MARKETS_SHOWN
        ),
        DataTable("about", "About this report", ABOUT_COLUMNS, about),
    ]
    return {t.name: t for t in found}


def _caveats(report: DistrictReport) -> list[dict[str, str]]:
    """The products and target markets sections' caveats as rows of the ``about`` sheet."""
    pt, tt = products_text(report), target_text(report)
    rows = [("products", "note", n) for n in pt["notes"]]
    rows += [("target_markets", "method", tt["intro"])]
    rows += [("target_markets", "supplier", n) for n in [tt["supplier"], *tt["notes"]] if n]
    rows += [("target_markets", "not assessed", n) for n in tt["not_assessed"]]
    return [{"section": s, "item": i, "text": t} for s, i, t in rows]


def printed_drop(table: DataTable) -> tuple[str, ...]:
    """The columns of ``table`` left out of the PDF and HTML (see :data:`PRINTED_COLUMNS`)."""
    keep = PRINTED_COLUMNS.get(table.name)
    return () if keep is None else tuple(c.key for c in table.columns if c.key not in keep)


def products_text(report: DistrictReport) -> dict[str, Any]:
    """What the products section says around its table, with the page's caveats:
    ``intro``, ``notes`` (India's exports are every producer's; district figures are the
    sector's) and ``sources``."""
    pr, name = report.products, report.district.name
    counts, exports = pr["counts"], pr["exports"]
    if pr["rows"]:
        intro = (
            f"{name}'s products in the {counts['odop']} ODOP (One District One Product, DPIIT), "
            f"{counts['gi']} GI (Geographical Indication) and {counts['pmfme']} PMFME food ODOP "
            f"(MoFPI) {'entry' if pr['count'] == 1 else 'entries'}, each with its HS codes "
            "(curated, with a confidence and the reason)"
            + (f"; India's exports are for {exports['period']}." if exports["period"] else ".")
        )
    else:
        intro = f"No ODOP, GI or PMFME product is listed for {name} in the bundled lists."
    notes = []
    if pr["rows"]:
        notes.append(
            f"{exports['caveat'] or exports['note'] or ''} A code missing from the loaded "
            "national data (e.g. an HS 2022 code newer than the data's ITC-HS list) shows "
            f"“–”. {pr['sector_note']}".strip()
        )
    if pr["state_level_gis"]:
        n = pr["state_level_gis"]
        notes.append(
            f"{report.district.state_name} also has {n} GI {'entry' if n == 1 else 'entries'} "
            "not tied to a single district."
        )
    return {
        "intro": intro,
        "notes": notes,
        "sources": "Sources: ODOP list (DPIIT / Invest India), GI Registry (IP India), PMFME "
        "(MoFPI); see DATA-SOURCES.md.",
    }


def target_text(report: DistrictReport) -> dict[str, Any]:
    """What the target markets section says around its table, with the page's caveats:
    ``intro``, ``supplier`` (how the district is the supplier: by sector where the district
    data is by sector), ``notes``, ``not_assessed`` (what EPI does not assess here) and
    ``source``."""
    t, code = report.target_markets, report.district.code
    supplier = t["supplier"] or {}
    summary = t["summary"]
    intro = (
        f"Export potential by the ITC Export Potential Indicator (Decreux & Spies 2016), "
        f"{t['year']}: potential = supply x demand x ease of trade, scaled so that India's "
        "potentials add up to its actual exports; untapped = potential - min(actual, "
        "potential). Supply is India's share of world exports of the HS6 code (reduced where "
        f"India imports more of it than it exports), times {report.district.name}'s share of "
        "India's exports; demand is the market's imports; ease of trade is how much India "
        "sells there relative to what its world shares predict."
    )
    if t["rows"]:
        intro += (
            f" {formatting.number(t['total'])} product x market pairs; in all, district "
            f"potential {formatting.usd(summary['potential_usd'])}, actual "
            f"{formatting.usd(summary['actual_usd'])}, untapped "
            f"{formatting.usd(summary['untapped_usd'])}. The table lists the "
            f"{min(TARGET_MARKETS_SHOWN, len(t['rows']))} pairs with the largest untapped "
            f"potential; the XLSX report has the first {len(t['rows'])} and "
            f"/api/v1/potential?district={code} pages through all of them."
        )
    how = (
        f"How the district is the supplier ({supplier['level']} level): "
        f"{supplier['derivation']}. {supplier['attribution'][:1].upper()}"
        f"{supplier['attribution'][1:]}."
        if supplier
        else ""
    )
    not_assessed = list(t["not_implemented"])
    if t["missing_importers"]:
        not_assessed.append(
            "Not assessed (absent from the world imports data): "
            + ", ".join(t["missing_importers"])
            + "."
        )
    growth = t["growth"]
    if growth:
        not_assessed.append(
            f"Growth and trend: {growth['basis']} ({growth['first_period']} to "
            f"{growth['last_period']}, source {growth['source']['source']})."
        )
    return {
        "intro": intro,
        "supplier": how,
        "notes": list(t["notes"]),
        "not_assessed": not_assessed,
        "source": f"Source: {t['source']['world']}.",
    }


def on_map(report: DistrictReport) -> bool:
    """Whether the district has a shape on the (2011 boundaries) map."""
    return report.district.code in map_district_codes()


def charts(report: DistrictReport) -> dict[str, Markup]:
    """The map of the state with the district outlined, and the bar charts (inline SVG)."""
    p, name, period = report.profile, report.district.name, report.period
    values = {r["lgd_code"]: r["value_usd"] for r in report.state_districts if r["value_usd"]}
    code = report.district.code
    sectors = p["sectors"]
    found = {
        "map": choropleth(
            values,
            label=formatting.usd,
            title=f"{name} among the districts of {report.district.state_name}, {period}",
            state=report.district.state_code,
            highlight=code,
        ),
        "sectors": bar_chart(
            [Bar(str(s["label"]), float(s["value_usd"])) for s in sectors],
            title=f"{name}: exports by sector, {period}",
            label=formatting.usd,
            label_width=LABEL_WIDTH,
        ),
        "rca": bar_chart(
            [Bar(str(s["label"]), float(s["domestic_rca"])) for s in sectors],
            title=f"{name}: domestic RCA by sector, {period}",
            label=formatting.ratio,
            label_width=LABEL_WIDTH,
        ),
        "dominance": bar_chart(
            [Bar(str(s["label"]), float(s["share_of_india"])) for s in p["dominance"]],
            title=f"{name}'s share of India's exports, by sector",
            label=formatting.pct,
            label_width=LABEL_WIDTH,
        ),
        "peers": bar_chart(
            [
                Bar(
                    f"{r['name']} ({r['state_name']})",
                    float(r["value_usd"] or 0.0),
                    highlight=r["lgd_code"] == code,
                )
                for r in report.peer_rows
            ],
            title=f"{name} and its peer districts: exports, {period}",
            label=formatting.usd,
            label_width=LABEL_WIDTH,
        ),
    }
    return found


def file_stem(report: DistrictReport) -> str:
    """An ASCII file name stem: ``dehub-district-459-surat-2024-25``."""
    return f"dehub-district-{report.district.code}-{_slug(report.district.name)}-{report.period}"


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c.lower() if c.isalnum() else " " for c in plain).split()
    return "-".join(words) or "district"
