"""District products: the ODOP, PMFME food ODOP and GI lists with their curated HS codes, and,
where the loaded facts allow, India's exports of those codes and the district's share and
domestic RCA in the sector of each code.

The lists and the mapping are bundled reference data (``district_products.csv``,
``product_hs.csv``; see DATA-SOURCES.md). India's exports of a code come from one national
release by partner (the bundled EIDB HS8 x country data: US$ as published); the sector figures
come from the district profile (the district-wise release, by sector). The two are different
sources and are never added together: each part names its release.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from dehub.errors import InvalidInput, NotFound
from dehub.facts.catalog import HS_LEVELS, choose_latest
from dehub.facts.product_queries import national_values_of_codes
from dehub.facts.schema import period_kind
from dehub.facts.store import FactStore
from dehub.reference.geography import District, resolve_district, resolve_state
from dehub.reference.tables import read_reference
from dehub.services.products import growth_summary
from dehub.settings import Settings

LISTS = {
    "odop": "ODOP (One District One Product, DPIIT)",
    "gi": "GI (Geographical Indication, GI Registry)",
    "pmfme": "PMFME food ODOP (MoFPI)",
    "officer": "Added by district officers (records)",
}
"""The bundled lists, in the order they are shown, and the products officers added."""
CONFIDENCES = ("high", "medium", "low")
TOP_MARKETS = 3
CAVEAT = (
    "India's exports of an HS code include every producer in India, not only this district's; "
    "a 2- or 4-digit code is much wider than the product."
)
SECTOR_NOTE = (
    "The district data is by sector (22 sectors), so the share and domestic RCA shown are those "
    "of the sector containing the code, not of the product itself."
)
_LEVELS = {2: "HS2", 4: "HS4", 6: "HS6", 8: "HS8"}


@lru_cache(maxsize=1)
def _entries() -> pd.DataFrame:
    """The list rows, with display names of their district and state."""
    rows = read_reference("district_products.csv").fillna("")
    districts = read_reference("districts.csv").set_index("district_code")["district_name"]
    states = read_reference("states.csv").set_index("state_code")["state_name"]
    return rows.assign(
        district_name=rows["district_code"].map(districts).fillna(""),
        state_name=rows["state_code"].map(states).fillna(""),
        order=rows["list"].map({k: i for i, k in enumerate(LISTS)}),
    )


@lru_cache(maxsize=1)
def _mapping() -> pd.DataFrame:
    """The curated mapping with each code's level and the sector of its HS chapter."""
    mapping = read_reference("product_hs.csv").fillna("")
    chapters = read_reference("hs2_sectors.csv").set_index("hs2")["sector"]
    labels = read_reference("sectors.csv").set_index("sector")["label"]
    code = mapping["hs_code"]
    sector = code.str[:2].map(chapters).where(code != "")
    return mapping.assign(
        level=code.str.len().map(_LEVELS).fillna(""),
        sector=sector.fillna(""),
        sector_label=sector.map(labels).fillna(""),
        rank=mapping["confidence"].map({c: i for i, c in enumerate(CONFIDENCES)}),
    ).sort_values(["product_key", "rank", "hs_code"], kind="stable")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")  # type: ignore[return-value]


HS_FIELDS = ["hs_code", "level", "hs6", "hs8", "description", "confidence", "rationale"]
HS_FIELDS += ["basis", "sector", "sector_label"]


@lru_cache(maxsize=1)
def _codes_by_product() -> dict[str, list[dict[str, Any]]]:
    """The mapping rows of every product key, as lists of dicts (code, level, confidence...),
    built once per process."""
    mapping = _mapping()
    rows = _records(mapping[HS_FIELDS].rename(columns={"hs_code": "code"}))
    out: dict[str, list[dict[str, Any]]] = {}
    for key, row in zip(mapping["product_key"], rows, strict=True):
        out.setdefault(str(key), []).append(row)
    return out


def _items(entries: pd.DataFrame) -> list[dict[str, Any]]:
    """List rows as dicts, each with its HS codes (``hs``)."""
    codes = _codes_by_product()
    out = []
    for row in _records(entries):
        out.append(
            {
                "list": row["list"],
                "list_label": LISTS[str(row["list"])],
                "product": row["product"],
                "rank": row["rank"] or None,
                "goods_class": row["goods_class"] or None,
                "district": {"lgd_code": row["district_code"], "name": row["district_name"]}
                if row["district_code"]
                else None,
                "state": {"lgd_code": row["state_code"], "name": row["state_name"]}
                if row["state_code"]
                else None,
                "country_iso3": row["country_iso3"] or None,
                "match": row["match"],
                "product_key": row["product_key"],
                "hs": [dict(h) for h in codes.get(str(row["product_key"]), [])],
            }
        )
    return out


def product_list(
    district: str | None = None,
    state: str | None = None,
    *,
    settings: Settings | None = None,
    records: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The ODOP, GI and PMFME entries of a district (any spelling or LGD code), of a state (its
    districts' entries and its state-level GIs), or of India, each with its HS codes. For a
    district, officers' entries (``records``, else read from the ``settings``' records
    database) are applied on top (:func:`apply_records`)."""
    entries = _entries()
    place: dict[str, Any] = {"level": "india"}
    if district:
        found = resolve_district(district, state)
        entries = entries[entries["district_code"] == found.code]
        place = {
            "level": "district",
            "lgd_code": found.code,
            "name": found.name,
            "state": {"lgd_code": found.state_code, "name": found.state_name},
        }
    elif state:
        st = resolve_state(state)
        entries = entries[entries["state_code"] == st.code]
        place = {"level": "state", "lgd_code": st.code, "name": st.name}
    entries = entries.sort_values(["order", "state_code", "district_name", "entry_id"])
    items = _items(entries)
    if district:
        if records is None and settings is not None:
            records = district_records(settings, place["lgd_code"])
        items = apply_records(items, records or [], place)
    counts = {k: sum(item["list"] == k for item in items) for k in LISTS}
    if not counts["officer"]:
        del counts["officer"]  # the bundled lists only: officers added nothing here
    return {"ok": True, "place": place, "count": len(items), "counts": counts, "items": items}


def bundled_codes(district_code: str) -> dict[str, tuple[str, list[str]]]:
    """The district's bundled products: product key -> (name, curated HS codes)."""
    entries = _entries()
    mine = entries[entries["district_code"] == district_code].drop_duplicates("product_key")
    codes = _codes_by_product()
    return {
        str(k): (str(p), [str(h["code"]) for h in codes.get(str(k), []) if h["code"]])
        for k, p in zip(mine["product_key"], mine["product"], strict=True)
    }


def district_records(settings: Settings, district_code: str) -> list[dict[str, Any]]:
    """The officers' active entries on a district's products, from the records database (none
    when it does not exist yet)."""
    from dehub.records import db
    from dehub.services.records.product_records import read_applied

    url = settings.records_url
    if url.startswith("sqlite") and "///" in url:
        path = url.split("///", 1)[1]
        if path != ":memory:" and not Path(path).exists():
            return []
    return read_applied(db.engine_for(settings), district_code)[1]


@lru_cache(maxsize=1)
def _descriptions() -> dict[str, str]:
    """HS descriptions by code: HS 2/4/6-digit and ITC-HS 8-digit."""
    hs = read_reference("hs_codes.csv")
    itc = read_reference("itchs8.csv")
    return {
        **dict(zip(hs["code"], hs["description"], strict=True)),
        **dict(zip(itc["hs8"], itc["description"].str.capitalize(), strict=True)),
    }


def _officer_codes(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The HS rows of an officer's entry, labelled ``officer`` with who and when."""
    chapters = read_reference("hs2_sectors.csv").set_index("hs2")["sector"]
    labels = read_reference("sectors.csv").set_index("sector")["label"]
    names = _descriptions()
    rows = []
    for code in record["hs_codes"]:
        sector = str(chapters.get(code[:2], ""))
        rows.append(
            {
                "code": code,
                "level": _LEVELS.get(len(code), ""),
                "hs6": code[:6] if len(code) >= 6 else "",
                "hs8": code if len(code) == 8 else "",
                "description": names.get(code, ""),
                "confidence": "officer",
                "rationale": record["note"],
                "basis": "officer",
                "sector": sector,
                "sector_label": str(labels.get(sector, "")) if sector else "",
                "by": {"name": record["by"], "at": record["at"], "record_id": record["id"]},
            }
        )
    return rows


def apply_records(
    items: list[dict[str, Any]], records: list[dict[str, Any]], place: dict[str, Any]
) -> list[dict[str, Any]]:
    """The district's list ``items`` with officers' entries applied, oldest first, so the
    latest wins: a correction replaces the product's codes, a hide drops the named codes (no
    codes: the entry), an addition is a new item of the list ``officer``."""
    items = [dict(item) for item in items]
    added = []
    for record in records:
        if record["kind"] == "add":
            added.append(
                {
                    "list": "officer",
                    "list_label": LISTS["officer"],
                    "product": record["product"],
                    "rank": None,
                    "goods_class": None,
                    "district": {"lgd_code": place["lgd_code"], "name": place["name"]},
                    "state": place["state"],
                    "country_iso3": None,
                    "match": "added by an officer",
                    "product_key": None,
                    "hs": _officer_codes(record),
                    "by": {"name": record["by"], "at": record["at"], "record_id": record["id"]},
                }
            )
            continue
        for item in items:
            if item["product_key"] != record["product_key"]:
                continue
            if record["kind"] == "correct":
                item["hs"] = _officer_codes(record)
            elif record["hs_codes"]:
                item["hs"] = [h for h in item["hs"] if h["code"] not in record["hs_codes"]]
            else:
                item["hidden"] = True
    return [item for item in items if not item.get("hidden")] + added


def review(confidence: str | None = "low") -> dict[str, Any]:
    """The mapping rows of one confidence (``None``: every row), each with the lists and the
    number of districts that name the product: what a reviewer should check first."""
    if confidence is not None and confidence not in CONFIDENCES:
        raise InvalidInput(
            f"unknown confidence {confidence!r}: use one of {', '.join(CONFIDENCES)}"
        )
    mapping = _mapping()
    if confidence is not None:
        mapping = mapping[mapping["confidence"] == confidence]
    entries = _entries()
    pairs = entries[["product_key", "list"]].drop_duplicates().sort_values("list")
    lists = pairs.groupby("product_key")["list"].agg(", ".join)
    placed = entries[entries["district_code"] != ""].drop_duplicates(
        ["product_key", "district_code"]
    )
    rows = mapping.assign(
        lists=mapping["product_key"].map(lists).fillna(""),
        districts=mapping["product_key"].map(placed["product_key"].value_counts()).fillna(0),
    ).astype({"districts": int})
    columns = ["product", "product_key", *HS_FIELDS, "reviewed", "lists", "districts"]
    return {
        "ok": True,
        "confidence": confidence or "all",
        "count": len(rows),
        "products": int(rows["product_key"].nunique()),
        "rows": _records(rows[columns].rename(columns={"hs_code": "code"})),
    }


def code_exports(settings: Settings, codes: list[str]) -> dict[str, Any]:
    """India's exports of each code in the latest financial year of one national release by
    partner: ``by_code[code]`` = ``value_usd`` (US$), growth (:func:`growth_summary`: ``yoy``,
    ``cagr`` over ``years`` from ``base_period``) and ``top_markets`` (ISO3, name, US$, share of
    the code's exports). ``by_code`` is empty, with a ``note``, when no such data is loaded."""
    codes = sorted({c for c in codes if c})
    try:
        with FactStore.open(settings, read_only=True) as store:
            choice = choose_latest(
                store, geo="national", period=None, products=HS_LEVELS, by_partner=True
            )
            # the release's catalogue lists its periods (no scan of its facts)
            periods = [p for p in choice.release.periods if period_kind(p) == "FY"]
            facts = national_values_of_codes(store, choice, codes, periods)
    except NotFound as exc:
        return {"period": None, "source": None, "note": exc.message, "by_code": {}}
    current = str(choice.period)
    totals = facts.groupby(["code", "period"])["value_usd"].sum().reset_index()
    latest = facts[facts["period"] == current]
    markets = latest.assign(
        share=latest["value_usd"] / latest.groupby("code")["value_usd"].transform("sum")
    )
    markets = markets[markets["value_usd"] > 0].sort_values(
        ["code", "value_usd"], ascending=[True, False]
    )
    markets = markets.groupby("code").head(TOP_MARKETS)
    names = read_reference("countries.csv").set_index("iso3")["name"]
    markets = markets.assign(name=markets["partner_code"].map(names))
    by_code: dict[str, Any] = {}
    for code, group in totals.sort_values(["code", "period"]).groupby("code"):
        series = pd.DataFrame(group)
        now = series.loc[series["period"] == current, "value_usd"]
        top = markets[markets["code"] == code]
        by_code[str(code)] = {
            "value_usd": float(now.iloc[0]) if len(now) else 0.0,
            **growth_summary(series[["period", "value_usd"]]),
            "top_markets": _records(
                top[["partner_code", "name", "value_usd", "share"]].rename(
                    columns={"partner_code": "iso3"}
                )
            ),
        }
    return {
        "period": current,
        "source": choice.provenance(),
        "caveat": CAVEAT,
        "by_code": by_code,
    }


def district_products(
    settings: Settings,
    district: District,
    sectors: list[dict[str, Any]],
    sector_source: dict[str, Any] | None = None,
    records: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The district's ODOP, GI and PMFME entries with their HS codes, India's exports of each
    code (:func:`code_exports`) and the district's figures for the code's sector, taken from
    ``sectors`` (the district profile's sector rows: ``sector``, ``value_usd``,
    ``share_of_district``, ``share_of_india``, ``domestic_rca``; None where the district has no
    exports in that sector). Officers' entries (``records``, else read from the records
    database) are applied (:func:`apply_records`)."""
    listed = product_list(district.code, settings=settings, records=records)
    codes = [h["code"] for item in listed["items"] for h in item["hs"]]
    exports = code_exports(settings, codes) if codes else {"by_code": {}, "period": None}
    by_sector = {str(s["sector"]): s for s in sectors}
    keep = ("value_usd", "share_of_district", "share_of_india", "domestic_rca")
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for item in listed["items"]:
        for h in item["hs"]:
            h["india_exports"] = exports["by_code"].get(h["code"])
            mine = by_sector.get(h["sector"])
            h["district_sector"] = {k: mine[k] for k in keep} if mine else None
            # the same product in two lists (an ODOP that is also a GI) is one table row
            row = rows.setdefault((str(item["product"]), str(h["code"])), _flat_row(item, h))
            tag = str(item["list"]).upper()
            if tag not in row["list"].split(" + "):
                row["list"] += f" + {tag}"
    st = district.state_code
    entries = _entries()
    state_gis = entries[
        (entries["list"] == "gi") & (entries["state_code"] == st) & (entries["district_code"] == "")
    ]
    return {
        "count": listed["count"],
        "counts": listed["counts"],
        "items": listed["items"],
        "rows": list(rows.values()),
        "state_level_gis": len(state_gis),
        "exports": {k: exports.get(k) for k in ("period", "source", "caveat", "note")},
        "sector_note": SECTOR_NOTE,
        "sector_source": sector_source,
    }


def _short(text: str, width: int = 70) -> str | None:
    """An HS description cut to ``width`` characters at a word (the full text is on the
    product page and in ``items``)."""
    if not text:
        return None
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0].rstrip(";,") + " …"


def _flat_row(item: dict[str, Any], h: dict[str, Any]) -> dict[str, Any]:
    """One table row per product and code (for pages and downloads)."""
    india = h.get("india_exports") or {}
    top = india.get("top_markets") or []
    mine = h.get("district_sector") or {}
    return {
        "list": str(item["list"]).upper(),
        "product": item["product"],
        "code": h["code"] or None,
        "description": _short(h["description"]),
        "confidence": f"officer ({h['by']['name']}, {h['by']['at']})"
        if h.get("by")
        else h["confidence"],
        "rationale": h["rationale"],
        "india_usd": india.get("value_usd"),
        "india_yoy": india.get("yoy"),
        "india_cagr": india.get("cagr"),
        "top_markets": ", ".join(str(m["name"] or m["iso3"]) for m in top) or None,
        "sector_label": h["sector_label"] or None,
        "sector_share_of_district": mine.get("share_of_district"),
        "sector_rca": mine.get("domestic_rca"),
    }


def products_with_code(code: str) -> list[dict[str, Any]]:
    """The list entries whose curated HS codes fall under ``code`` (the code itself or a finer
    one) or are a coarser code of at least 6 digits containing it: which districts name this
    product as their ODOP, GI or PMFME product. Rows: ``list``, ``product``, ``district_code``,
    ``district_name``, ``state_code``, ``state_name``, ``hs_code``, ``confidence``."""
    mapping = _mapping()
    mapped = mapping["hs_code"]
    under = mapped.str.startswith(code) & (mapped != "")
    over = (mapped.str.len() >= 6) & (mapped == code[:6]) | (mapped == code)
    hits = mapping.loc[under | over, ["product_key", "hs_code", "confidence"]]
    entries = _entries().merge(hits, on="product_key").drop_duplicates("entry_id")
    entries = entries.sort_values(["order", "state_name", "district_name", "product"])
    columns = ["list", "product", "district_code", "district_name", "state_code", "state_name"]
    frame = entries[[*columns, "hs_code", "confidence"]].assign(list=entries["list"].str.upper())
    return _records(frame.replace({"": None}))
