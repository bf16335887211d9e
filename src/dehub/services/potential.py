"""Export potential use cases: India's (or a district's) export potential by HS6 x market, and
target markets for a district's products.

India's Export Potential Indicator (:func:`dehub.analytics.potential.export_potential`,
Decreux & Spies 2016, ITC) is computed once per process from the bundled world file
(:mod:`dehub.facts.world_markets`: BACI 2024 importer x HS6, HS2017, US$). A district is the
supplier through its share of India's exports of each product at the finest granularity of the
district-wise release that answers (:func:`supplier_basis`): district x HS6 when an official
district x HS6/HS8 file is ingested (HS8 summed to HS6), its HS4 or HS2 heading when the file is
coarser, else the district x sector share of the sector containing the HS6 (the bundled
DGCI&S data). Growth of India's exports to each market comes from the national HS x country
release (the bundled EIDB HS8 x country series, FY2017-18..FY2024-25). Every answer names its
sources and says what is not implemented and which data are missing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from dehub.analytics.growth import cagr, years_between
from dehub.analytics.potential import (
    attribute_to_supplier,
    basis_codes,
    export_potential,
    supplier_shares,
)
from dehub.errors import InvalidInput, NotFound
from dehub.facts.catalog import HS_LEVELS, SECTOR_PRODUCTS, Choice, choose_latest
from dehub.facts.queries import district_products, release_periods
from dehub.facts.schema import period_kind
from dehub.facts.store import FactStore
from dehub.facts.world_markets import (
    MISSING_IMPORTERS,
    WORLD_SOURCE,
    WORLD_YEAR,
    hs6_partner_values,
    world_trade,
)
from dehub.reference.geography import District, resolve_district
from dehub.reference.tables import read_reference
from dehub.services.market_profile import resolve_market
from dehub.services.products import hs_label, parse_product
from dehub.settings import Settings

EXPORTER = "IND"
MAX_TOP = 5000
NOT_IMPLEMENTED = (
    "supply: no 5-year projection of India's market share (one year of data) and no global "
    "tariff disadvantage (no tariff data): neutral value 1",
    "demand: no projection of the market's imports (GDP, population, income elasticity) and "
    "no tariff advantage (no tariff data): neutral value 1",
    "ease of trade: the distance of each market's usual suppliers is not in the data "
    "(importer totals, not importer x supplier flows): distance factor 1; the bilateral term "
    "(India's actual trade with the market relative to its world shares) is applied",
)


INTERMEDIATE = (
    "world_usd",
    "exporter_usd",
    "exporter_imports_usd",
    "bilateral_usd",
    "expected_bilateral_usd",
    "raw_potential_usd",
)
"""Columns of :func:`~dehub.analytics.potential.export_potential` not kept by
:func:`india_potential` (derivable from the others and the bundled file)."""


def _sector_of_chapter() -> pd.Series:
    return read_reference("hs2_sectors.csv").set_index("hs2")["sector"]


@lru_cache(maxsize=1)
def india_potential() -> pd.DataFrame:
    """India's EPI for every market x HS6 of the bundled world file (computed once per
    process), with ``hs2``, ``hs4`` and ``sector`` columns (categoricals) for the filters and
    the district shares. Columns: :data:`dehub.analytics.potential.POTENTIAL_COLUMNS` except
    :data:`INTERMEDIATE`, + those. ``attrs["scale"]``: the scaling factor."""
    out = export_potential(world_trade(), EXPORTER)
    # keep what the answers show (the intermediate totals cost ~40 MB in a server process)
    out = out.drop(columns=list(INTERMEDIATE))
    codes = out["product"].cat.codes.to_numpy()
    hs6 = pd.Series(out["product"].cat.categories.astype(str))
    for column, per_code in (
        ("hs2", hs6.str.slice(0, 2)),
        ("hs4", hs6.str.slice(0, 4)),
        ("sector", basis_codes(hs6, "sector", _sector_of_chapter())),
    ):
        c, labels = pd.factorize(per_code)  # missing sector -> -1
        out[column] = pd.Categorical.from_codes(c[codes], categories=labels)
    return out


def _per_row(column: pd.Series, values: pd.Series) -> np.ndarray:
    """``values`` (indexed by code) for each row of a categorical ``column``, 0 where absent,
    looked up once per category."""
    lookup = values.to_dict()
    per_category = column.cat.categories.astype(str).map(lookup).to_numpy(dtype=float)
    per_category = np.nan_to_num(per_category, nan=0.0)
    codes = column.cat.codes.to_numpy()
    out: np.ndarray = np.where(codes >= 0, per_category[codes], 0.0)
    return out


def world_markets() -> frozenset[str]:
    """ISO3 codes of the markets in the world file (India excluded)."""
    return frozenset(str(m) for m in india_potential()["market"].cat.categories)


@dataclass(frozen=True)
class SupplierBasis:
    """Districts' shares of India's exports from one district-wise release and period.

    ``level``: ``sector``, ``HS2``, ``HS4`` or ``HS6`` (HS8 files are summed to HS6);
    ``shares``: ``loc`` (LGD code), ``code`` (at ``level``), ``value_usd``, ``national_usd``
    (India incl. exports not attributed to a district), ``supplier_share`` (0-1)."""

    level: str
    period: str
    source: dict[str, Any]
    shares: pd.DataFrame

    def column(self) -> str:
        """The column of :func:`india_potential` holding each HS6's code at ``level``."""
        return {"sector": "sector", "HS2": "hs2", "HS4": "hs4", "HS6": "product"}[self.level]

    def share_of(self, district: str, rows: pd.DataFrame) -> np.ndarray:
        """The district's share of India's exports of each row's product (0 where none)."""
        mine = self.shares[self.shares["loc"] == district].set_index("code")["supplier_share"]
        return _per_row(rows[self.column()], mine)

    def describe(self) -> str:
        what = {
            "sector": "its share of India's exports of the sector (of the district data's 22) "
            "that contains the HS6 code, from the district x sector data",
            "HS2": "its share of India's exports of the HS chapter containing the HS6 code",
            "HS4": "its share of India's exports of the HS heading containing the HS6 code",
            "HS6": "its share of India's exports of the HS6 code (district x HS data)",
        }[self.level]
        return (
            f"district supply = {what}, x India's supply; India's exports include exports not "
            f"attributed to any district ({self.source['source']}, {self.period})"
        )


def supplier_basis(settings: Settings, period: str | None = None) -> SupplierBasis:
    """The districts' shares of India's exports at the finest product level of the
    district-wise release :func:`~dehub.facts.catalog.choose_latest` picks (an ingested
    official district x HS file is newer than the bundled sector data, so it is used
    automatically)."""
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="district", period=period, products=SECTOR_PRODUCTS)
        per = str(choice.period)
        df = district_products(store, choice, per)
    levels = sorted(set(df["product_level"]))
    if len(levels) != 1:
        raise InvalidInput(f"the district data mixes product levels {levels}: one is expected")
    level = levels[0]
    code = df["product_code"].astype(str)
    if level.startswith("HS"):
        digits = min(int(level[2:]), 6)
        level, code = f"HS{digits}", code.str.slice(0, digits)
    elif level != "sector":
        raise InvalidInput(f"district data at product level {level!r} cannot give shares")
    located = df["geo_level"] == "district"
    values: pd.DataFrame = (
        pd.DataFrame(
            {
                "loc": df["district_code"].where(located, "unattributed").astype(str),
                "code": code,
                "value_usd": df["value_usd"].astype(float),
            }
        )
        .groupby(["loc", "code"], as_index=False)
        .agg(value_usd=("value_usd", "sum"))
    )
    shares = supplier_shares(values, values["loc"] != "unattributed")
    return SupplierBasis(level, per, choice.provenance(), shares)


# ---- filters --------------------------------------------------------------------------------


def _market_filter(epi: pd.DataFrame, text: str, notes: list[str]) -> tuple[pd.DataFrame, str]:
    code = resolve_market(text)
    if code == EXPORTER:
        raise InvalidInput("India is the exporter: give another market")
    if code not in world_markets():
        why = (
            "one of the six largest importers missing from the bundled BACI-derived file"
            if code in MISSING_IMPORTERS
            else "absent from the bundled BACI-derived world imports file"
        )
        notes.append(f"{code}: {why}; its export potential is not assessed (no guess is made)")
        return epi.iloc[0:0], code
    return epi[epi["market"] == code], code


def _product_filter(
    epi: pd.DataFrame, rows: pd.DataFrame, text: str, notes: list[str]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``rows`` of the product (an HS code of 2-8 digits or a sector); a note when the world
    file (``epi``) has none of its HS6 codes, or the market does not import it."""
    product = parse_product(text)
    if product.is_sector:
        column, code = "sector", product.code
    else:
        code = product.code[:6]
        if product.level == "HS8":
            notes.append(f"HS8 {product.code}: assessed at HS6 {code} (the world data is HS6)")
        column = {2: "hs2", 4: "hs4", 6: "product"}[len(code)]
    if not (epi[column] == code).any():
        notes.append(
            f"{product.code}: none of its HS6 codes is in the world imports file (HS2017 "
            "nomenclature; codes created in HS2022 are absent): not assessed"
        )
    selected = rows[rows[column] == code]
    label = product.label or (hs_label(product.code) if not product.is_sector else None)
    return selected, {"code": product.code, "level": product.level, "label": label}


# ---- enrichment: names, distance, income group, growth ---------------------------------------


def _countries() -> pd.DataFrame:
    return read_reference("countries.csv").set_index("iso3")


_GROWTH_TABLES: dict[tuple[str, int, str], tuple[str, str, pd.DataFrame] | None] = {}
"""Per release: its first and last financial year and India's exports by (HS6, partner) in
them, kept per process. A release's facts never change (new data is a new release), so the
key is the store file, the release id and the release's content hash (a store rebuilt at the
same path)."""
_GROWTH_LOCK = threading.Lock()


def _growth_table(store: FactStore, choice: Choice) -> tuple[str, str, pd.DataFrame] | None:
    """(first FY, last FY, wide US$ values with index ``hs6``, ``partner_code`` and a column per
    FY) of every HS6 x partner of the release, read once per process (one scan of its national
    HS rows); ``None`` when the release has fewer than two financial years."""
    release = choice.release
    key = (str(store.path), release.release_id, release.content_sha256)
    with _GROWTH_LOCK:
        if key not in _GROWTH_TABLES:
            periods = [
                p
                for p in release_periods(store, choice, "national", HS_LEVELS)
                if period_kind(p) == "FY"
            ]
            table = None
            if len(periods) >= 2:
                first, last = periods[0], periods[-1]
                values = hs6_partner_values(store, choice, [first, last], None, None)
                wide = values.pivot_table(
                    index=["hs6", "partner_code"],
                    columns="period",
                    values="value_usd",
                    aggfunc="sum",
                )
                table = (first, last, wide)
            _GROWTH_TABLES[key] = table
        return _GROWTH_TABLES[key]


def _growth(settings: Settings, page: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """India's exports of each row's HS6 to its market in the first and last financial year
    of the national HS x country release, CAGR and trend."""
    empty = pd.DataFrame(index=page.index)
    if page.empty:
        return empty, None
    with FactStore.open(settings, read_only=True) as store:
        try:
            choice = choose_latest(
                store, geo="national", period=None, products=HS_LEVELS, by_partner=True
            )
        except NotFound:
            return empty, None
        table = _growth_table(store, choice)
    if table is None:
        return empty, None
    first, last, wide = table
    key = pd.MultiIndex.from_arrays([page["product"].astype(str), page["market"].astype(str)])
    f = wide[first].reindex(key).fillna(0.0) if first in wide else pd.Series(0.0, index=key)
    lst = wide[last].reindex(key).fillna(0.0) if last in wide else pd.Series(0.0, index=key)
    f_arr, l_arr = f.to_numpy(dtype=float), lst.to_numpy(dtype=float)
    years = years_between(first, last)
    rate = cagr(pd.Series(f_arr), pd.Series(l_arr), years).to_numpy()
    trend = np.select(
        [(f_arr == 0) & (l_arr == 0), f_arr == 0, l_arr > f_arr, l_arr < f_arr],
        ["no exports", "new", "rising", "falling"],
        "flat",
    )
    out = pd.DataFrame(
        {"first_usd": f_arr, "last_usd": l_arr, "growth_cagr": rate, "trend": trend},
        index=page.index,
    )
    meta = {
        "first_period": first,
        "last_period": last,
        "years": years,
        "basis": "India's exports of the HS6 (its HS8 codes summed) to the market, first and "
        "last financial year of the release; CAGR = (last / first)^(1 / years) - 1; rising / "
        "falling compares the two years. The EIDB HS8 list misses codes created after "
        "FY2021-22, so recent values of some HS6 codes are understated",
        "source": choice.provenance(),
    }
    return out, meta


def _rows(page: pd.DataFrame, growth: pd.DataFrame) -> list[dict[str, Any]]:
    countries = _countries()
    markets = page["market"].astype(str)
    products = page["product"].astype(str)
    frame = pd.DataFrame(
        {
            "market": markets,
            "market_name": markets.map(countries["name"]),
            "income_group": markets.map(countries["income_group"]),
            "distance_km": pd.to_numeric(markets.map(countries["dist_km"]), errors="coerce"),
            "product": products,
            "product_label": products.map(hs_label),
        }
    )
    keep = [
        "imports_usd",
        "actual_usd",
        "share_of_market",
        "world_share",
        "net_importer_penalty",
        "supply",
        "demand",
        "demand_factor",
        "bilateral_factor",
        "distance_factor",
        "ease",
        "potential_usd",
        "untapped_usd",
    ]
    keep += [c for c in page.columns if c.startswith("supplier_")]
    frame = pd.concat([frame, page[keep], growth], axis=1)
    out: list[dict[str, Any]] = (
        frame.astype(object).where(frame.notna(), None).to_dict("records")  # type: ignore[assignment]
    )
    return out


# ---- the use case ---------------------------------------------------------------------------


def potential_report(
    settings: Settings,
    *,
    district: str | None = None,
    state: str | None = None,
    product: str | None = None,
    market: str | None = None,
    top: int = 20,
    offset: int = 0,
    period: str | None = None,
    basis: SupplierBasis | None = None,
) -> dict[str, Any]:
    """Export potential of India (or of ``district`` as the supplier) by HS6 x market, largest
    untapped potential first, filtered by ``product`` (HS code of 2-8 digits or a sector) and
    ``market`` (ISO3 or a name). ``top`` rows from ``offset``; ``total`` counts them all.
    Values US$ (2024, BACI); shares 0-1; ``growth_cagr`` a fraction per year. ``basis``: a
    prebuilt :func:`supplier_basis` (the web keeps one per period)."""
    if not 1 <= top <= MAX_TOP or offset < 0:
        raise InvalidInput(f"--top must be 1..{MAX_TOP} and offset >= 0")
    epi = india_potential()
    notes: list[str] = []
    filters: dict[str, Any] = {}
    rows = epi
    if market:
        rows, filters["market"] = _market_filter(rows, market, notes)
    if product:
        rows, filters["product"] = _product_filter(epi, rows, product, notes)
    supplier: dict[str, Any] | None = None
    found: District | None = None
    if district:
        found = resolve_district(district, state)
        basis = basis or supplier_basis(settings, period)
        share = basis.share_of(found.code, rows)
        keep = np.flatnonzero(share > 0)
        order = keep[
            np.argsort(-(share[keep] * rows["untapped_usd"].to_numpy()[keep]), kind="stable")
        ]
        chosen = order[offset : offset + top]
        page = attribute_to_supplier(rows.iloc[chosen], share[chosen])
        summary = {
            f"{k}_usd": float((share[keep] * rows[f"{k}_usd"].to_numpy()[keep]).sum())
            for k in ("potential", "actual", "untapped")
        }
        total = int(keep.size)
        supplier = {
            "district": {
                "lgd_code": found.code,
                "name": found.name,
                "state_code": found.state_code,
                "state_name": found.state_name,
            },
            "level": basis.level,
            "period": basis.period,
            "derivation": basis.describe(),
            "attribution": "demand and ease of trade are India's; district potential, actual "
            "and untapped = district share x India's (attributed, not observed: the data has "
            "no district x market flows)",
            "source": basis.source,
        }
        if total == 0:
            notes.append(f"{found.name} has no exports of these products in the district data")
    else:
        page = rows.iloc[offset : offset + top]
        summary = {
            f"{k}_usd": float(rows[f"{k}_usd"].sum()) for k in ("potential", "actual", "untapped")
        }
        total = len(rows)
    growth, growth_meta = _growth(settings, page)
    missing = [m for m in MISSING_IMPORTERS if filters.get("market") in (None, m)]
    return {
        "exporter": EXPORTER,
        "supplier": supplier,
        "filters": filters,
        "year": WORLD_YEAR,
        "currency": "USD",
        "total": total,
        "offset": offset,
        "limit": top,
        "summary": summary,
        "rows": _rows(page, growth),
        "growth": growth_meta,
        "scale": float(epi.attrs.get("scale", np.nan)),
        "not_implemented": list(NOT_IMPLEMENTED),
        "missing_importers": missing,
        "notes": notes,
        "source": {
            "world": WORLD_SOURCE,
            "method": "ITC Export Potential Indicator "
            "(Decreux & Spies 2016); docs/analytics-formulas.md",
        },
    }
