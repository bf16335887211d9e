"""Product use cases: a product's profile (India's exports over time, markets, growth, the
districts and states that export it) and the index of sectors and HS chapters.

A *product* is an HS code of 2, 4, 6 or 8 digits or a sector slug of the district data
(``reference/data/sectors.csv``: a sector is the HS chapters mapped to it in
``hs2_sectors.csv``). National figures come from national HS data by partner (the bundled EIDB
HS8 x country release); district and state figures from the district-wise data at the finest
product level it has (sectors in the bundled DGCI&S file). Each part of an answer comes from
one release and names it (``source``: :meth:`dehub.facts.catalog.Choice.provenance`); values
of two releases are never added together. Values are US$ as published.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from dehub.analytics.growth import cagr, years_between
from dehub.errors import InvalidInput, NotFound
from dehub.facts.catalog import HS_LEVELS, SECTOR_PRODUCTS, Choice, choose_latest, hs_levels_from
from dehub.facts.product_queries import (
    district_values_of,
    national_hs2_values,
    national_product_series,
)
from dehub.facts.queries import district_sector_values, national_values_by, release_periods
from dehub.facts.schema import period_kind
from dehub.facts.store import FactStore
from dehub.reference.names import name_key, suggest
from dehub.reference.tables import read_reference
from dehub.services import search
from dehub.services.markets import markets_report
from dehub.settings import Settings

_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class Product:
    """A product as the pages name it: ``code`` (normalised HS code or sector slug), ``level``
    (``HS2``..``HS8`` or ``sector``), ``label`` (None for an HS code missing from the HS 2022
    and ITC-HS lists), ``sector`` / ``sector_label`` (the sector of its HS chapter; None for
    chapters outside the 22 sectors, e.g. 37) and ``parents`` (coarser HS codes, chapter
    first, each ``{code, level, label}``)."""

    code: str
    level: str
    label: str | None
    sector: str | None
    sector_label: str | None
    parents: tuple[dict[str, str | None], ...] = ()

    @property
    def is_sector(self) -> bool:
        return self.level == "sector"

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["parents"] = list(self.parents)
        return out


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    """HS code (2/4/6 digits, HS 2022; 8 digits, ITC-HS) -> description."""
    hs = read_reference("hs_codes.csv")
    itc = read_reference("itchs8.csv")
    return dict(zip(hs["code"], hs["description"], strict=True)) | dict(
        zip(itc["hs8"], itc["description"], strict=True)
    )


def hs_label(code: str) -> str | None:
    """The description of an HS code (None if the reference lists do not have it)."""
    return _labels().get(code)


def _sectors() -> pd.DataFrame:
    return read_reference("sectors.csv").set_index("sector")


def _chapter_sectors() -> pd.Series:
    return read_reference("hs2_sectors.csv").set_index("hs2")["sector"]


def normalise_product(text: str) -> str:
    """The canonical form of a product code: an HS code without dots, spaces or a leading
    ``HS`` (``0101.21`` -> ``010121``), or a sector slug (lower case). :class:`InvalidInput`
    for digits that are not 2, 4, 6 or 8 long (``12345``)."""
    value = text.strip()
    compact = _SEPARATORS.sub("", value)
    if compact[:2].upper() == "HS" and compact[2:].isdigit():
        compact = compact[2:]
    if compact.isdigit():
        if len(compact) not in (2, 4, 6, 8):
            raise InvalidInput(
                f"an HS code has 2, 4, 6 or 8 digits, got {text!r} ({len(compact)} digits)"
            )
        return compact
    slug = value.lower()
    if slug in _sectors().index:
        return slug
    by_key = {name_key(s): str(s) for s in _sectors().index}
    return by_key.get(name_key(value), slug)


def _not_found(text: str, code: str) -> NotFound:
    hints: list[str] = []
    if code.isdigit():
        hints = [
            f"{code[:n]} ({hs_label(code[:n])})"
            for n in range(len(code) - 2, 1, -2)
            if hs_label(code[:n])
        ][:1]
    hints += [
        f"{r['code']} ({r['name']})"
        for r in search.search(text, limit=5, kinds=("sector", "product"))["results"]
    ]
    if not hints and not code.isdigit():
        sectors = _sectors()
        hints = suggest(text, [*sectors.index, *sectors["label"]])
    hint = f"; did you mean {', '.join(hints[:5])}?" if hints else ""
    return NotFound(f"unknown product {text!r}: give an HS code or a sector{hint}")


def parse_product(text: str) -> Product:
    """The product named by ``text`` (see :func:`normalise_product`).

    :class:`InvalidInput` for a malformed code, :class:`NotFound` (with suggestions) for a
    sector slug or name that is not one of the 22 sectors. An HS code of the right length is
    accepted even when the reference lists lack it (older nomenclatures remain in the data);
    :func:`product_profile` refuses it if no data has it either."""
    code = normalise_product(text)
    sectors = _sectors()
    if not code.isdigit():
        if code not in sectors.index:
            raise _not_found(text, code)
        return Product(code, "sector", str(sectors.loc[code, "label"]), code, None)
    chapter_sector = _chapter_sectors().get(code[:2])
    sector = None if chapter_sector is None or pd.isna(chapter_sector) else str(chapter_sector)
    parents = tuple(
        {"code": code[:n], "level": f"HS{n}", "label": hs_label(code[:n])}
        for n in range(2, len(code), 2)
    )
    return Product(
        code,
        f"HS{len(code)}",
        hs_label(code),
        sector,
        str(sectors["label"].get(sector)) if sector in sectors.index else None,
        parents,
    )


def _levels(product: Product) -> tuple[str, ...]:
    return HS_LEVELS if product.is_sector else hs_levels_from(product.level)


def growth_summary(series: pd.DataFrame) -> dict[str, Any]:
    """Growth of a yearly series (``period``, ``value_usd`` in US$, sorted by period): ``period``
    (the latest), ``previous_period``, ``yoy`` (fraction, vs the year before), ``base_period``
    (the earliest period at most 5 years before, the base ``dehub markets`` uses), ``years``
    and ``cagr`` (fraction per year); None where a base is missing or zero."""
    if series.empty:
        return {"period": None, "previous_period": None, "yoy": None, "base_period": None}
    values = series.set_index("period")["value_usd"]
    current = str(values.index[-1])
    earlier = [str(p) for p in values.index[:-1]]
    previous = next((p for p in earlier if years_between(p, current) == 1), None)
    base = next((p for p in earlier if years_between(p, current) <= 5), None)
    now = float(values[current])
    prev = float(values[previous]) if previous else 0.0
    then = float(values[base]) if base else 0.0
    years = years_between(base, current) if base else None
    return {
        "period": current,
        "previous_period": previous,
        "yoy": now / prev - 1 if prev > 0 else None,
        "base_period": base,
        "years": years,
        "cagr": float(cagr(then, now, years)) if then > 0 and years else None,
    }


def _national(settings: Settings, product: Product) -> dict[str, Any]:
    """India's exports of the product in every period of one national release."""
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="national", period=None, products=_levels(product))
        periods = [
            p
            for p in release_periods(store, choice, "national", _levels(product))
            if period_kind(p) == "FY"
        ]
        series = national_product_series(store, choice, product.code, periods)
    series = series.assign(value_usd=series["value_usd"].astype(float))
    series["yoy"] = series["value_usd"].pct_change().where(series["value_usd"].shift() > 0)
    rows: list[dict[str, Any]] = (
        series.astype(object).where(series.notna(), None).to_dict("records")  # type: ignore[assignment]
    )
    return {"series": rows, "growth": growth_summary(series), "source": choice.provenance()}


def _markets(settings: Settings, product: Product) -> dict[str, Any]:
    """Every partner of the product in its latest period (``dehub markets``)."""
    try:
        report = markets_report(settings, product.code, top=1000)
    except NotFound as exc:
        return {"markets": [], "note": str(exc), "source": None}
    keep = ("period", "previous_period", "base_period", "total_usd")
    return {
        **{k: report[k] for k in keep},
        "markets": [r for r in report["markets"] if r["value_usd"] > 0],
        "partners_with_exports": report["partners_with_exports"],
        "concentration": report["concentration"],
        "caveat": report["caveat"],
        "source": report["source"],
    }


def _districts(settings: Settings, product: Product) -> dict[str, Any]:
    """Which districts and states export the product, at the finest level the district-wise
    data has: the product itself when the release has HS codes at least as fine, its HS
    heading at the release's level when coarser, or its sector when the data is by sector."""
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="district", period=None, products=SECTOR_PRODUCTS)
        hs_digits = [int(lv[2:]) for lv in choice.release.product_levels if lv.startswith("HS")]
        basis: dict[str, Any]
        if not product.is_sector and hs_digits:
            code = product.code[: max(hs_digits)]
            basis = {"level": f"HS{len(code)}", "code": code, "label": hs_label(code)}
            as_sector = False
        else:
            sector = product.sector
            if sector is None:
                return _no_districts(choice, product)
            basis = {"level": "sector", "code": sector, "label": product.sector_label}
            if product.is_sector:
                basis["label"] = product.label
            as_sector = True
        df = district_values_of(
            store, choice, str(choice.period), basis["code"], as_sector=as_sector
        )
    chapters = _chapter_sectors()
    basis["exact"] = basis["code"] == product.code or (
        basis["level"] == "sector"
        and list(chapters.index[chapters == basis["code"]]) == [product.code]
    )
    basis["note"] = _basis_note(product, basis)
    return {
        **_district_tables(df),
        "period": choice.period,
        "basis": basis,
        "source": choice.provenance(),
    }


def _no_districts(choice: Choice, product: Product) -> dict[str, Any]:
    note = (
        f"the district-wise data ({choice.release.source}) is by sector, and HS chapter "
        f"{product.code[:2]} belongs to none of its 22 sectors"
    )
    return {
        "districts": [],
        "states": [],
        "total_usd": 0.0,
        "unattributed_usd": 0.0,
        "period": choice.period,
        "basis": {"level": None, "code": None, "label": None, "exact": False, "note": note},
        "source": choice.provenance(),
    }


def _basis_note(product: Product, basis: dict[str, Any]) -> str | None:
    if basis["exact"]:
        return None
    if basis["level"] == "sector":
        return (
            f"The district-wise data is by sector: these are the districts exporting "
            f"{basis['label']}, the sector of HS chapter {product.code[:2]}, not HS "
            f"{product.code} alone."
        )
    return (
        f"The district-wise data goes down to {basis['level']}: these are the districts "
        f"exporting HS {basis['code']}, which includes HS {product.code}."
    )


def _district_tables(df: pd.DataFrame) -> dict[str, Any]:
    """Districts and states ranked by exports; shares of the India total of the basis
    (including exports not attributed to a district)."""
    total = float(df["value_usd"].sum())
    located = df[(df["geo_level"] == "district") & (df["value_usd"] > 0)]
    districts = read_reference("districts.csv").set_index("district_code")
    states = read_reference("states.csv").set_index("state_code")["state_name"]
    d = located.groupby("district_code", as_index=False).agg(
        state_code=("state_code", "first"), value_usd=("value_usd", "sum")
    )
    d["name"] = d["district_code"].map(districts["district_name"]).fillna(d["district_code"])
    d["state_name"] = d["state_code"].map(states)
    d = _ranked(d, total).rename(columns={"district_code": "lgd_code"})
    in_state = df[df["state_code"].notna() & (df["value_usd"] > 0)]
    s = in_state.groupby("state_code", as_index=False).agg(value_usd=("value_usd", "sum"))
    s["name"] = s["state_code"].map(states).fillna(s["state_code"])
    counts = located.groupby("state_code")["district_code"].nunique()
    s["districts_with_exports"] = s["state_code"].map(counts).fillna(0).astype(int)
    s = _ranked(s, total).rename(columns={"state_code": "lgd_code"})
    return {
        "total_usd": total,
        "unattributed_usd": float(df.loc[df["geo_level"] != "district", "value_usd"].sum()),
        "districts": _records(d),
        "states": _records(s),
    }


def _ranked(frame: pd.DataFrame, total: float) -> pd.DataFrame:
    frame = frame.sort_values("value_usd", ascending=False).reset_index(drop=True)
    frame["value_usd"] = frame["value_usd"].astype(float)
    frame["share_of_india"] = frame["value_usd"] / total if total else None
    frame["rank"] = frame["value_usd"].rank(ascending=False, method="min").astype(int)
    return frame


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = frame.astype(object).where(frame.notna(), None).to_dict("records")  # type: ignore[assignment]
    return out


def product_profile(settings: Settings, text: str) -> dict[str, Any]:
    """Everything the product page shows about an HS code or a sector.

    Output: ``product`` (:class:`Product` as a dict), ``currency`` (USD), ``national``
    (``series``: list of ``period``, ``value_usd``, ``partners`` (countries with exports),
    ``yoy`` (vs the previous row); ``growth``: ``period``, ``previous_period``, ``yoy``,
    ``base_period``, ``years``, ``cagr``; ``source``), ``markets`` (every partner in the latest
    period: ``iso3``, ``name``, ``value_usd``, ``share``, ``yoy``, ``cagr``, ``dist_km``,
    ``income_group``; plus ``period``, ``total_usd``, ``concentration``, ``source``; see
    :func:`dehub.services.markets.markets_report`), ``components`` (the next HS level's codes
    in the latest period: ``code``, ``label``, ``value_usd``, ``share``) and ``districts``
    (``basis``: the product, heading or sector the district data answers for and a ``note``
    when it is not the product itself; ``districts`` and ``states``: ``lgd_code``, ``name``,
    ``value_usd``, ``share_of_india``, ``rank``; ``period``; ``source``).
    :class:`NotFound` for a code that neither the reference lists nor the data know.
    """
    product = parse_product(text)
    national = _national(settings, product)
    if product.label is None and not national["series"]:
        raise _not_found(text, product.code)
    return {
        "product": product.as_dict(),
        "currency": "USD",
        "national": national,
        "markets": _markets(settings, product),
        "components": _components(settings, product, national["growth"]["period"]),
        "districts": _districts(settings, product),
        "source": national["source"],
    }


def _components(settings: Settings, product: Product, period: str | None) -> list[dict[str, Any]]:
    """The product's parts one level down (a sector's chapters, a chapter's headings...) with
    India's exports in ``period``, largest first."""
    if period is None or product.level == "HS8":
        return []
    level = "HS2" if product.is_sector else f"HS{len(product.code) + 2}"
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="national", period=period, products=_levels(product))
        df = national_values_by(store, choice, [period], "product", level)
    if product.is_sector:
        chapters = _chapter_sectors()
        df = df[df["unit"].map(chapters) == product.code]
    else:
        df = df[df["unit"].str.startswith(product.code)]
    parts = df.groupby("unit", as_index=False)["value_usd"].sum()
    total = float(parts["value_usd"].sum())
    parts = parts[parts["value_usd"] > 0].sort_values("value_usd", ascending=False)
    return [
        {
            "code": code,
            "label": hs_label(code),
            "value_usd": float(v),
            "share": float(v) / total if total else None,
        }
        for code, v in zip(parts["unit"], parts["value_usd"], strict=True)
    ]


def product_index(settings: Settings, period: str | None = None) -> dict[str, Any]:
    """India's exports by sector and by HS chapter in the latest period (or ``period``) of one
    national release, with growth on the year before; and each sector's exports in the
    district-wise data (another release, shown beside, never added).

    Output: ``period``, ``previous_period``, ``currency``, ``total_usd``, ``chapters`` (``code``,
    ``label``, ``sector``, ``value_usd``, ``share``, ``yoy``), ``sectors`` (``code``, ``label``,
    ``broad_sector``, ``chapters``, ``value_usd``, ``share``, ``yoy``, ``district_value_usd``),
    ``source`` (national) and ``district_source`` with ``district_period``."""
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="national", period=period, products=HS_LEVELS)
        current = str(choice.period)
        earlier = [
            p
            for p in release_periods(store, choice, "national", HS_LEVELS)
            if p < current and period_kind(p) == period_kind(current)
        ]
        previous = next((p for p in earlier if years_between(p, current) == 1), None)
        df = national_hs2_values(store, choice, [p for p in (previous, current) if p])
        d_choice = choose_latest(store, geo="district", period=None, products=SECTOR_PRODUCTS)
        d_df = district_sector_values(store, d_choice, str(d_choice.period))
    wide = df.pivot_table(index=["hs2"], columns="period", values="value_usd", aggfunc="sum")
    now = wide[current].fillna(0.0) if current in wide else pd.Series(dtype=float)
    prev = wide[previous].fillna(0.0) if previous and previous in wide else None
    total = float(now.sum())
    ref = read_reference("hs2_sectors.csv").set_index("hs2")
    chapters = pd.DataFrame({"code": now.index, "value_usd": now.to_numpy()})
    chapters["label"] = chapters["code"].map(ref["chapter_description"])
    chapters["sector"] = chapters["code"].map(ref["sector"])
    chapters["previous_usd"] = chapters["code"].map(prev) if prev is not None else None
    sectors_ref = _sectors()
    sectors = (
        chapters.dropna(subset=["sector"])
        .groupby("sector", as_index=False)
        .agg(
            value_usd=("value_usd", "sum"),
            previous_usd=("previous_usd", "sum"),
            chapters=("code", lambda c: ", ".join(sorted(c))),
        )
        .rename(columns={"sector": "code"})
    )
    sectors["label"] = sectors["code"].map(sectors_ref["label"])
    sectors["broad_sector"] = sectors["code"].map(sectors_ref["broad_sector"])
    sectors["district_value_usd"] = sectors["code"].map(d_df.groupby("sector")["value_usd"].sum())
    out = []
    for frame in (chapters, sectors):
        frame["share"] = frame["value_usd"] / total if total else None
        prev_v = pd.to_numeric(frame["previous_usd"], errors="coerce")
        frame["yoy"] = (frame["value_usd"] / prev_v - 1).where(prev_v > 0)
        out.append(
            _records(frame.drop(columns="previous_usd").sort_values("value_usd", ascending=False))
        )
    return {
        "period": current,
        "previous_period": previous,
        "currency": "USD",
        "total_usd": total,
        "chapters": out[0],
        "sectors": out[1],
        "source": choice.provenance(),
        "district_period": d_choice.period,
        "district_source": d_choice.provenance(),
    }
