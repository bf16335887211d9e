"""Source layouts: how each kind of input file maps onto the canonical facts.

A layout recognises a file by its header and turns the staged rows into one normalised relation
with the same columns for every layout (see :data:`NORMALISED_COLUMNS`). Wide files (one value
column per period) are unpivoted here. Nothing is validated here; :mod:`dehub.facts.checks` does.

Layouts (``--source`` names):

- ``dgcis-district``: the official DGCI&S district-wise export file: ``State``, ``District``,
  ``HS Code``, ``Commodity Description`` (optional ``Country``, ``Port``, ``Unit``), then period
  columns such as ``April, 24 To March, 25 Value(US $)``, ``... Value(INR)``, ``... Quantity``.
  HS codes at 2, 4, 6 or 8 digits (one level per file).
- ``dgcis-district-sector``: district x sector exports as aggregated from the DGCI&S file
  (``State, District, sector, export_usd, export_inr``); the period is given with ``--period``.
- ``dgcis-state-port``: DGCI&S state x customs port x country (``State, Port, Country``, then
  ``AM24_USD``, ``AM24_INR``: AM24 = April-March 2024 = FY2023-24).
- ``eidb-hs8-country``: EIDB commodity x country exports, flat (``hs8, fy, country,
  value_usd_mn, quantity``; US$ million; quantity in the ITC-HS unit of the code).
- ``canonical``: dehub's own long layout, CSV or Parquet; see docs/ingest.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dehub.errors import InvalidInput
from dehub.facts.readers import StagedFile, quote_ident
from dehub.facts.schema import period_kind
from dehub.facts.sql import literal_or_null as _lit

NORMALISED_COLUMNS = (
    "_line",
    "period",
    "geo_level_raw",
    "state_raw",
    "district_raw",
    "product_raw",
    "partner_raw",
    "port_raw",
    "usd_raw",
    "inr_raw",
    "qty_raw",
    "unit_raw",
    "usd_col",
    "inr_col",
    "qty_col",
)


@dataclass
class Normalised:
    """The normalised SQL of a staged file plus what validation needs to know about it."""

    sql: str
    fields: dict[str, str]
    """Standard field -> the file's column name (for messages)."""
    geo_level: str | None
    """The geography level of every row, or None when a ``geo_level`` column says it."""
    product_kind: str
    """``hs`` (HS codes), ``sector`` (the data's sector slugs) or ``any``."""
    periods: list[str]
    usd_scale: float = 1.0
    inr_scale: float = 1.0
    unit_from_reference: bool = False
    skip_empty_values: bool = False
    quantity_without_value: bool = False
    """Rows with a quantity but no value are kept (EIDB publishes some); else rejected."""
    notes: list[str] = field(default_factory=list)


def _col(columns: Sequence[str], *names: str) -> str | None:
    """The file's column whose case-folded name is one of ``names``."""
    folded = {c.casefold(): c for c in columns}
    for name in names:
        if name.casefold() in folded:
            return folded[name.casefold()]
    return None


def _ignored(columns: Sequence[str], used: set[str | None]) -> list[str]:
    """The note naming the file's columns that the layout does not read (none: no note)."""
    ignored = [c for c in columns if c not in used]
    return [f"ignored column(s) not used by this layout: {ignored}"] if ignored else []


def _q(col: str | None) -> str:
    return "NULL" if col is None else quote_ident(col)


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}

_DGCIS_PERIOD_COL = re.compile(
    r"^(?P<m1>[A-Za-z]+)\.?\s*,?\s*'?(?P<y1>\d{2}|\d{4})\s+to\s+(?P<m2>[A-Za-z]+)\.?\s*,?\s*'?"
    r"(?P<y2>\d{2}|\d{4})\s+(?P<what>value|quantity|qty)\s*(\((?P<unit>[^)]*)\))?\s*$",
    re.IGNORECASE,
)

_VALUE_UNITS: dict[str, tuple[str, float]] = {
    "US$": ("usd", 1.0),
    "USD": ("usd", 1.0),
    "US$MILLION": ("usd", 1e6),
    "US$MN": ("usd", 1e6),
    "INR": ("inr", 1.0),
    "RS": ("inr", 1.0),
    "RS.": ("inr", 1.0),
    "RUPEES": ("inr", 1.0),
    "RS.LAKH": ("inr", 1e5),
    "RS.LAKHS": ("inr", 1e5),
    "RS.LACS": ("inr", 1e5),
    "RSLACS": ("inr", 1e5),
    "RS.CRORE": ("inr", 1e7),
    "RSCRORE": ("inr", 1e7),
}


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def dgcis_period(column: str) -> tuple[str, str, float] | None:
    """Parse a DGCI&S period column: (period, measure ``usd``/``inr``/``qty``, scale).

    ``April, 24 To March, 25 Value(US $)`` -> ``("2024-25", "usd", 1.0)``;
    ``April, 24 To April, 24 Value(INR)`` -> ``("2024-04", "inr", 1.0)``. Returns None when the
    column is not a period column; raises :class:`InvalidInput` when it is one that cannot be
    stored (a part-year range or an unknown unit).
    """
    m = _DGCIS_PERIOD_COL.match(column.strip())
    if not m:
        return None
    m1, m2 = _MONTHS.get(m["m1"][:3].lower()), _MONTHS.get(m["m2"][:3].lower())
    if m1 is None or m2 is None:
        return None
    y1, y2 = _year(m["y1"]), _year(m["y2"])
    if (m1, m2, y2) == (4, 3, y1 + 1):
        period = f"{y1}-{y2 % 100:02d}"
    elif (m1, y1) == (m2, y2):
        period = f"{y1}-{m1:02d}"
    else:
        raise InvalidInput(
            f"column {column!r} covers {m['m1']} {y1} to {m['m2']} {y2}: only whole financial "
            "years (April to March) and single months are stored; use the monthly or the "
            "full-year file"
        )
    if m["what"].lower() in ("quantity", "qty"):
        return period, "qty", 1.0
    unit = re.sub(r"\s+", "", (m["unit"] or "")).upper()
    if unit not in _VALUE_UNITS:
        raise InvalidInput(
            f"column {column!r}: unknown value unit {m['unit']!r}; expected US $, INR, "
            "Rs. Lakh, Rs. Crore or US $ Million"
        )
    measure, scale = _VALUE_UNITS[unit]
    return period, measure, scale


def _unpivot(staged: StagedFile, fixed: dict[str, str], measures: dict[str, dict[str, str]]) -> str:
    """UNION ALL of one SELECT per period over a wide file."""
    parts = []
    for period, cols in sorted(measures.items()):
        usd, inr, qty = cols.get("usd"), cols.get("inr"), cols.get("qty")
        parts.append(
            "SELECT _line, "
            + _lit(period)
            + " AS period, "
            + ", ".join(f"{expr} AS {name}" for name, expr in fixed.items())
            + f", {_q(usd)} AS usd_raw, {_q(inr)} AS inr_raw, {_q(qty)} AS qty_raw, "
            f"{_lit(usd)} AS usd_col, {_lit(inr)} AS inr_col, {_lit(qty)} AS qty_col "
            f"FROM {staged.table}"
        )
    return "\nUNION ALL\n".join(parts)


def _dgcis_district(staged: StagedFile, period: str | None) -> Normalised:
    cols = staged.columns
    state, district, hs = _col(cols, "State"), _col(cols, "District"), _col(cols, "HS Code")
    assert state and district and hs
    country, port, unit = _col(cols, "Country"), _col(cols, "Port"), _col(cols, "Unit")
    measures: dict[str, dict[str, str]] = {}
    scales: dict[str, set[float]] = {"usd": set(), "inr": set()}
    used = {state, district, hs, country, port, unit, _col(cols, "Commodity Description")}
    for c in cols:
        try:
            parsed = dgcis_period(c)
        except InvalidInput as exc:
            raise InvalidInput(f"{staged.path.name}: {exc.message}") from exc
        if parsed is None:
            continue
        used.add(c)
        p, measure, scale = parsed
        if measure in measures.setdefault(p, {}):
            raise InvalidInput(f"{staged.path.name}: two {measure} columns for period {p}")
        measures[p][measure] = c
        if measure in scales:
            scales[measure].add(scale)
    if not measures:
        raise InvalidInput(
            f"{staged.path.name}: no period value column found; expected columns such as "
            "'April, 24 To March, 25 Value(US $)' and 'April, 24 To March, 25 Value(INR)'"
        )
    for measure, found in scales.items():
        if len(found) > 1:
            raise InvalidInput(
                f"{staged.path.name}: the {measure.upper()} value columns use different units "
                "(e.g. US $ and US $ Million); use one unit for every period"
            )
    fixed = {
        "geo_level_raw": "NULL",
        "state_raw": _q(state),
        "district_raw": _q(district),
        "product_raw": _q(hs),
        "partner_raw": _q(country),
        "port_raw": _q(port),
        "unit_raw": _q(unit),
    }
    return Normalised(
        sql=_unpivot(staged, fixed, measures),
        fields={
            "state": state,
            "district": district,
            "product": hs,
            "partner": country or "",
            "port": port or "",
            "unit": unit or "",
        },
        geo_level="district",
        product_kind="hs",
        periods=sorted(measures),
        usd_scale=next(iter(scales["usd"]), 1.0),
        inr_scale=next(iter(scales["inr"]), 1.0),
        skip_empty_values=len(measures) > 1,
        notes=_ignored(cols, used),
    )


def _district_sector(staged: StagedFile, period: str | None) -> Normalised:
    if period is None:
        raise InvalidInput(
            f"{staged.path.name}: the dgcis-district-sector layout does not say its period; "
            "pass --period (e.g. --period 2024-25)"
        )
    cols = staged.columns
    state, district, sector = _col(cols, "State"), _col(cols, "District"), _col(cols, "sector")
    usd, inr = _col(cols, "export_usd"), _col(cols, "export_inr")
    fixed = {
        "geo_level_raw": "NULL",
        "state_raw": _q(state),
        "district_raw": _q(district),
        "product_raw": _q(sector),
        "partner_raw": "NULL",
        "port_raw": "NULL",
        "unit_raw": "NULL",
    }
    measures = {period: {k: v for k, v in (("usd", usd), ("inr", inr)) if v}}
    return Normalised(
        sql=_unpivot(staged, fixed, measures),
        fields={"state": state or "", "district": district or "", "product": sector or ""},
        geo_level="district",
        product_kind="sector",
        periods=[period],
        notes=_ignored(cols, {state, district, sector, usd, inr}),
    )


_AM_COL = re.compile(r"^AM(\d{2})_(USD|INR)$", re.IGNORECASE)


def _state_port(staged: StagedFile, period: str | None) -> Normalised:
    cols = staged.columns
    state, port, country = _col(cols, "State"), _col(cols, "Port"), _col(cols, "Country")
    measures: dict[str, dict[str, str]] = {}
    used = {state, port, country}
    for c in cols:
        m = _AM_COL.match(c)
        if m:
            end = 2000 + int(m.group(1))
            measures.setdefault(f"{end - 1}-{end % 100:02d}", {})[m.group(2).lower()] = c
            used.add(c)
    fixed = {
        "geo_level_raw": "NULL",
        "state_raw": _q(state),
        "district_raw": "NULL",
        "product_raw": "'TOTAL'",
        "partner_raw": _q(country),
        "port_raw": _q(port),
        "unit_raw": "NULL",
    }
    return Normalised(
        sql=_unpivot(staged, fixed, measures),
        fields={"state": state or "", "port": port or "", "partner": country or ""},
        geo_level="state",
        product_kind="any",
        periods=sorted(measures),
        skip_empty_values=len(measures) > 1,
        notes=_ignored(cols, used),
    )


def _eidb(staged: StagedFile, period: str | None) -> Normalised:
    cols = staged.columns
    hs8, fy, country = _col(cols, "hs8"), _col(cols, "fy"), _col(cols, "country")
    usd, qty, unit = _col(cols, "value_usd_mn"), _col(cols, "quantity"), _col(cols, "unit")
    sql = (
        f"SELECT _line, {_q(fy)} AS period, NULL AS geo_level_raw, NULL AS state_raw, "
        f"NULL AS district_raw, {_q(hs8)} AS product_raw, {_q(country)} AS partner_raw, "
        f"NULL AS port_raw, {_q(usd)} AS usd_raw, NULL AS inr_raw, {_q(qty)} AS qty_raw, "
        f"{_q(unit)} AS unit_raw, {_lit(usd)} AS usd_col, NULL AS inr_col, {_lit(qty)} AS qty_col "
        f"FROM {staged.table}"
    )
    return Normalised(
        sql=sql,
        fields={
            "product": hs8 or "",
            "partner": country or "",
            "period": fy or "",
            "unit": unit or "",
        },
        geo_level="national",
        product_kind="hs",
        periods=[],
        usd_scale=1e6,
        unit_from_reference=unit is None,
        quantity_without_value=True,
        notes=_ignored(cols, {hs8, fy, country, usd, qty, unit}),
    )


def _canonical(staged: StagedFile, period: str | None) -> Normalised:
    cols = staged.columns
    c = {
        name: _col(cols, name)
        for name in (
            "period",
            "geo_level",
            "state",
            "district",
            "product_code",
            "partner",
            "port",
            "value_usd",
            "value_inr",
            "quantity",
            "unit",
        )
    }
    missing = [n for n in ("period", "geo_level", "product_code") if c[n] is None]
    if missing or (c["value_usd"] is None and c["value_inr"] is None):
        raise InvalidInput(
            f"{staged.path.name}: canonical layout needs columns period, geo_level, "
            f"product_code and value_usd and/or value_inr; missing: "
            f"{missing or ['value_usd/value_inr']}"
        )
    sql = (
        f"SELECT _line, {_q(c['period'])} AS period, {_q(c['geo_level'])} AS geo_level_raw, "
        f"{_q(c['state'])} AS state_raw, {_q(c['district'])} AS district_raw, "
        f"{_q(c['product_code'])} AS product_raw, {_q(c['partner'])} AS partner_raw, "
        f"{_q(c['port'])} AS port_raw, {_q(c['value_usd'])} AS usd_raw, "
        f"{_q(c['value_inr'])} AS inr_raw, {_q(c['quantity'])} AS qty_raw, "
        f"{_q(c['unit'])} AS unit_raw, {_lit(c['value_usd'])} AS usd_col, "
        f"{_lit(c['value_inr'])} AS inr_col, {_lit(c['quantity'])} AS qty_col FROM {staged.table}"
    )
    return Normalised(
        sql=sql,
        fields={k: v or "" for k, v in c.items()} | {"product": c["product_code"] or ""},
        geo_level=None,
        product_kind="any",
        periods=[],
        notes=_ignored(cols, set(c.values())),
    )


@dataclass(frozen=True)
class Layout:
    """A file layout: its name, default source id, how to recognise it, how to normalise it."""

    name: str
    source: str
    required: tuple[str, ...]
    normalise: Callable[[StagedFile, str | None], Normalised]
    extra_check: Callable[[Sequence[str]], bool] = lambda cols: True
    period_from_option: bool = False
    """The file does not say its period: ``--period`` does (else periods come from the file)."""

    def matches(self, columns: Sequence[str]) -> bool:
        return all(_col(columns, r) for r in self.required) and self.extra_check(columns)


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout(
            "dgcis-district", "dgcis_district", ("State", "District", "HS Code"), _dgcis_district
        ),
        Layout(
            "dgcis-district-sector",
            "dgcis_district_sector",
            ("State", "District", "sector", "export_usd"),
            _district_sector,
            period_from_option=True,
        ),
        Layout(
            "dgcis-state-port",
            "dgcis_state_port",
            ("State", "Port", "Country"),
            _state_port,
            lambda cols: any(_AM_COL.match(c) for c in cols),
        ),
        Layout(
            "eidb-hs8-country", "eidb_hs8_country", ("hs8", "fy", "country", "value_usd_mn"), _eidb
        ),
        Layout("canonical", "canonical", ("period", "geo_level", "product_code"), _canonical),
    )
}

HEADER_HINTS = {
    "State",
    "District",
    "HS Code",
    "Commodity Description",
    "Country",
    "Port",
    "sector",
    "hs8",
    "fy",
    "country",
    "value_usd_mn",
    "period",
    "geo_level",
    "product_code",
    "value_usd",
}
"""Column names used to find the header row of a workbook with title rows, and the delimiter
of a CSV file whose column names contain commas."""


def check_period_use(staged: StagedFile, layout: Layout, period: str | None) -> None:
    """Refuse ``--period`` for a layout that takes its periods from the file (it would be
    ignored), and a malformed one for a layout that needs it."""
    if period is not None and not layout.period_from_option:
        raise InvalidInput(
            f"{staged.path.name}: --period {period!r} is not used by layout {layout.name!r}, "
            "which takes its periods from the file; leave --period out (it is only for "
            f"{', '.join(n for n, lay in LAYOUTS.items() if lay.period_from_option)})"
        )
    if period is not None and period_kind(period) is None:
        raise InvalidInput(
            f"{staged.path.name}: --period {period!r}: expected a financial year such as 2024-25 "
            "(April 2024 - March 2025: two consecutive years) or a month such as 2024-04"
        )


def detect_layout(staged: StagedFile, requested: str | None) -> Layout:
    """The layout named by ``--source``, or the one whose required columns the header has."""
    if requested:
        if requested not in LAYOUTS:
            raise InvalidInput(f"unknown layout {requested!r}; choose one of {sorted(LAYOUTS)}")
        layout = LAYOUTS[requested]
        if not layout.matches(staged.columns):
            raise InvalidInput(
                f"{staged.path.name}: the header does not fit layout {requested!r}: expected "
                f"columns {list(layout.required)}, found {staged.columns}"
            )
        return layout
    found = [layout for layout in LAYOUTS.values() if layout.matches(staged.columns)]
    if not found:
        raise InvalidInput(
            f"{staged.path.name}: the header {staged.columns[:8]} fits no known layout; "
            f"expected e.g. {list(LAYOUTS['dgcis-district'].required)} (dgcis-district) or "
            f"{list(LAYOUTS['canonical'].required)} (canonical); see `dehub ingest --help`"
        )
    return found[0]
