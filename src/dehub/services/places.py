"""Places: district and state profiles, peers and ports, for the web pages and the API.

A district's profile needs national matrices (India's exports by district and sector, domestic
RCA, dominance shares, ECI), which cost ~80 ms to build. :func:`district_frame` builds them
once per period as a :class:`DistrictFrame`; :func:`district_profile` and :func:`state_profile`
then read one place from it in about a millisecond. The web layer keeps frames in its cache.
:func:`district_profile` answers exactly what
:func:`dehub.services.analytics.district_profile` answers (a test checks equality).

Every answer names its release (``source``). State pages also show exports by customs port
(:func:`state_ports`) from another source and period: they carry their own ``source`` and are
never added to the district-wise figures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, cast

import numpy as np
import pandas as pd

from dehub.analytics.complexity import complexity_long
from dehub.analytics.concentration import concentration_summary, lorenz_curve
from dehub.analytics.dominance import composition, product_dominance
from dehub.analytics.rca import rca_long
from dehub.errors import InvalidInput, NotFound
from dehub.facts.catalog import SECTOR_PRODUCTS, choose_latest
from dehub.facts.port_queries import choose_port_release, state_port_partner_values
from dehub.facts.queries import district_sector_values
from dehub.facts.store import FactStore
from dehub.reference.geography import District, State, resolve_district, resolve_state
from dehub.reference.names import suggest
from dehub.reference.tables import read_reference
from dehub.settings import Settings

DOMINANCE_SHARE = 0.05
"""A district "dominates" a sector when it ships at least this share of India's exports of it
(the threshold of :func:`dehub.services.analytics.district_profile`)."""
PEERS = 5
ECI_BASIS = "district x 22-sector matrix (coarse; HS-level district files give a finer ECI)"


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, missing values as None."""
    out = df.astype(object).where(df.notna(), None).to_dict("records")
    return cast(list[dict[str, Any]], out)  # column labels are strings


def _sum_by(df: pd.DataFrame, key: str) -> pd.Series:
    return df.groupby(key, observed=True)["value_usd"].sum().astype(float)


@dataclass(frozen=True)
class DistrictFrame:
    """The national district x sector data of one release and period, with the matrices every
    district's profile reads. Values in US$; ``sectors`` has one row per located district and
    sector with exports: ``loc`` (LGD code), ``sector``, ``value_usd``, ``rca`` (domestic RCA,
    India incl. unattributed exports as the 'world'), ``mcp``, ``share_of_product`` (share of
    India's exports of the sector), ``rank_in_product``."""

    period: str
    source: dict[str, Any]
    data: pd.DataFrame  # district_sector_values: geo_level, state_code, district_code, ...
    india_total: float
    by_district: pd.Series  # LGD code -> US$, districts with exports, largest first
    district_state: pd.Series  # LGD code -> state code (located rows)
    state_totals: pd.Series  # state code -> US$ (its districts + its unattributed exports)
    sectors: pd.DataFrame
    sector_rows: dict[str, np.ndarray]  # LGD code -> positions in ``sectors``
    sector_totals: pd.Series  # sector -> India's US$ (incl. unattributed)
    mix: pd.DataFrame  # LGD code x sector: shares scaled to unit length (cosine similarity)
    eci: pd.Series | None  # LGD code -> ECI (None when not computable)
    districts: pd.DataFrame  # every reference district (see _district_table)
    states: pd.DataFrame  # every reference state (see _state_table)


def district_frame(settings: Settings, period: str | None = None) -> DistrictFrame:
    """Build the :class:`DistrictFrame` of ``period`` (default: the latest financial year of the
    district-wise data) from the release :func:`~dehub.facts.catalog.choose_latest` picks."""
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_latest(store, geo="district", period=period, products=SECTOR_PRODUCTS)
        per = str(choice.period)
        df = district_sector_values(store, choice, per)
    located = df[df["geo_level"] == "district"]
    by_district = _sum_by(located, "district_code")
    by_district = by_district[by_district > 0].sort_values(ascending=False)
    loc = df["district_code"].where(df["geo_level"] == "district", "unattributed")
    matrix = (
        df.assign(loc=loc)
        .groupby(["loc", "sector"], observed=True, as_index=False)["value_usd"]
        .sum()
    )
    matrix = matrix[matrix["sector"].notna()]
    rca = rca_long(matrix, "loc", "sector", "value_usd")
    dom = product_dominance(
        matrix, "loc", "sector", "value_usd", located=matrix["loc"] != "unattributed"
    )
    joined = matrix.merge(rca[["loc", "sector", "rca", "mcp"]], on=["loc", "sector"], how="left")
    joined = joined.merge(
        dom[["loc", "sector", "share_of_product", "rank_in_product"]],
        on=["loc", "sector"],
        how="left",
    )
    sectors = joined[(joined["loc"] != "unattributed") & (joined["value_usd"] > 0)]
    sectors = sectors.reset_index(drop=True)
    shares = sectors.pivot_table(
        index="loc", columns="sector", values="value_usd", aggfunc="sum", fill_value=0.0
    )
    mix = shares.div(np.sqrt((shares**2).sum(axis=1)), axis=0)
    frame = DistrictFrame(
        period=per,
        source=choice.provenance(),
        data=df,
        india_total=float(df["value_usd"].sum()),
        by_district=by_district,
        district_state=located.drop_duplicates("district_code").set_index("district_code")[
            "state_code"
        ],
        state_totals=_sum_by(df[df["state_code"].notna()], "state_code"),
        sectors=sectors,
        sector_rows={str(k): v for k, v in sectors.groupby("loc").indices.items()},
        sector_totals=_sum_by(df, "sector"),
        mix=mix,
        eci=_eci(matrix[matrix["loc"] != "unattributed"]),
        districts=pd.DataFrame(),
        states=pd.DataFrame(),
    )
    return replace(frame, districts=_district_table(frame), states=_state_table(frame))


def _eci(located: pd.DataFrame) -> pd.Series | None:
    try:
        result = complexity_long(located, "loc", "sector", "value_usd")
    except InvalidInput:
        return None
    eci: pd.Series = result.drop_duplicates("loc").set_index("loc")["eci"]
    return eci


def _district_eci(frame: DistrictFrame, code: str) -> dict[str, Any] | None:
    eci = frame.eci
    if eci is None or code not in eci.index or np.isnan(eci[code]):
        return None
    return {
        "value": float(eci[code]),
        "rank": int(eci.rank(ascending=False, method="min")[code]),
        "of": int(eci.notna().sum()),
        "basis": ECI_BASIS,
    }


def _sector_rows(frame: DistrictFrame, code: str, own: float) -> list[dict[str, Any]]:
    positions = frame.sector_rows.get(code, np.array([], dtype=int))
    rows = frame.sectors.iloc[positions].sort_values("value_usd", ascending=False)
    ref = read_reference("sectors.csv").set_index("sector")
    out = pd.DataFrame(
        {
            "sector": rows["sector"].astype(object),
            "label": rows["sector"].map(ref["label"]).astype(object),
            "broad_sector": rows["sector"].map(ref["broad_sector"]).astype(object),
            "value_usd": rows["value_usd"].astype(float),
            "share_of_district": rows["value_usd"] / own if own else None,
            "share_of_india": rows["share_of_product"].astype(float),
            "rank_among_districts": rows["rank_in_product"].astype(int),
            "domestic_rca": rows["rca"].astype(float),
        }
    )
    return records(out) if len(out) else []


def district_profile(frame: DistrictFrame, district: District) -> dict[str, Any]:
    """A district's exports in the frame's period: total (US$ and rupees), rank among districts
    and share of India (whose total includes exports not attributed to a district), sectors
    with share of the district, share of India, rank and domestic RCA, broad sectors,
    ``dominance`` (sectors where it ships >= 5% of India), state context and ECI. The same
    dict as :func:`dehub.services.analytics.district_profile`."""
    code = district.code
    own = float(frame.by_district.get(code, 0.0))
    ranks = frame.by_district.rank(ascending=False, method="min")
    sectors = _sector_rows(frame, code, own)
    broad = composition(
        pd.DataFrame(sectors, columns=["broad_sector", "value_usd"]), "broad_sector", "value_usd"
    )
    df = frame.data
    states_of = frame.district_state.reindex(frame.by_district.index)
    in_state = frame.by_district[(states_of == district.state_code).to_numpy()]
    state_total = float(df.loc[df["state_code"] == district.state_code, "value_usd"].sum())
    india = frame.india_total
    return {
        "district": {"lgd_code": code, "name": district.name},
        "state": {"lgd_code": district.state_code, "name": district.state_name},
        "period": frame.period,
        "currency": "USD",
        "total_usd": own,
        "total_inr": float(df.loc[df["district_code"] == code, "value_inr"].sum()),
        "rank": int(ranks[code]) if code in ranks.index else None,
        "districts_with_exports": int(len(frame.by_district)),
        "share_of_india": own / india if india else None,
        "india_total_usd": india,
        "sectors": sectors,
        "broad_sectors": broad.to_dict("records"),
        "competitive_sectors": [s["sector"] for s in sectors if float(s["domestic_rca"]) >= 1],
        "dominance": sorted(
            (s for s in sectors if float(s["share_of_india"]) >= DOMINANCE_SHARE),
            key=lambda s: -float(s["share_of_india"]),
        ),
        "state_context": {
            "state_total_usd": state_total,
            "share_of_state": own / state_total if state_total else None,
            "rank_in_state": (
                int(in_state.rank(ascending=False, method="min")[code])
                if code in in_state.index
                else None
            ),
            "districts_in_state_with_exports": int(len(in_state)),
        },
        "eci": _district_eci(frame, code),
        "source": frame.source,
    }


def _district_table(frame: DistrictFrame) -> pd.DataFrame:
    """Every reference district: ``lgd_code``, ``name``, ``state_code``, ``state_name``,
    ``value_usd`` (0 without exports), ``share_of_india``, ``rank`` (None without exports),
    ``top_sector`` (label of its largest sector)."""
    ref = read_reference("districts.csv")[["district_code", "district_name", "state_code"]]
    states = read_reference("states.csv")[["state_code", "state_name"]]
    table = ref.merge(states, on="state_code", how="left").rename(
        columns={"district_code": "lgd_code", "district_name": "name"}
    )
    table["value_usd"] = table["lgd_code"].map(frame.by_district).astype("float64").fillna(0.0)
    table["share_of_india"] = table["value_usd"] / frame.india_total
    ranks = frame.by_district.rank(ascending=False, method="min")
    table["rank"] = table["lgd_code"].map(ranks).astype("Int64")
    top = frame.sectors.sort_values("value_usd", ascending=False).drop_duplicates("loc")
    labels = read_reference("sectors.csv").set_index("sector")["label"]
    table["top_sector"] = table["lgd_code"].map(top.set_index("loc")["sector"].map(labels))
    return table.sort_values(["value_usd", "name"], ascending=[False, True])


def district_peers(frame: DistrictFrame, district: District, n: int = PEERS) -> dict[str, Any]:
    """Districts to compare with: ``by_size`` — the ``n`` districts of the same state whose
    exports are nearest in size (smallest |log ratio| of totals); ``by_mix`` — the ``n``
    districts in India with the most similar sector mix (cosine similarity of their sector
    export vectors, 1 = the same mix). Each row: the district table's columns plus
    ``similarity`` (by_mix) or ``size_ratio`` (peer total / this district's total, by_size).
    Empty lists for a district without exports."""
    code = district.code
    own = float(frame.by_district.get(code, 0.0))
    table = frame.districts.set_index("lgd_code", drop=False).rename_axis(None)
    if own <= 0 or code not in frame.mix.index:
        return {"by_size": [], "by_mix": [], "period": frame.period, "source": frame.source}
    same_state = table[
        (table["state_code"] == district.state_code)
        & (table["value_usd"] > 0)
        & (table["lgd_code"] != code)
    ].copy()
    same_state["size_ratio"] = same_state["value_usd"] / own
    distance = np.abs(np.log(same_state["size_ratio"].astype(float)))
    by_size = same_state.assign(distance=distance).sort_values(["distance", "lgd_code"]).head(n)
    similarity = frame.mix.to_numpy() @ frame.mix.loc[code].to_numpy()
    sim = pd.Series(similarity, index=frame.mix.index).drop(code)
    best = sim.sort_values(ascending=False, kind="stable").head(n)
    by_mix = table.loc[best.index].assign(similarity=best.to_numpy())
    return {
        "by_size": records(by_size.drop(columns="distance")),
        "by_mix": records(by_mix),
        "period": frame.period,
        "source": frame.source,
        "method": (
            f"by_size: the {n} districts of the same state nearest in total exports; by_mix: "
            f"the {n} districts in India with the most similar sector mix (cosine similarity "
            "of sector export values)"
        ),
    }


def district_list(frame: DistrictFrame, state: str | None = None) -> list[dict[str, Any]]:
    """Every district (of one state, when ``state`` names one), largest exporter first: the
    columns of the district table (US$, shares of India incl. unattributed exports)."""
    table = frame.districts
    if state is not None:
        table = table[table["state_code"] == resolve_state(state).code]
    return records(table)


def _state_table(frame: DistrictFrame) -> pd.DataFrame:
    table = read_reference("states.csv")[["state_code", "state_name", "iso3166_2", "kind"]]
    table = table.rename(columns={"state_code": "lgd_code", "state_name": "name"})
    table["value_usd"] = table["lgd_code"].map(frame.state_totals).astype("float64").fillna(0.0)
    table["share_of_india"] = table["value_usd"] / frame.india_total
    ranks = table["value_usd"].where(table["value_usd"] > 0).rank(ascending=False, method="min")
    table["rank"] = ranks.astype("Int64")
    counts = frame.district_state.reindex(frame.by_district.index).value_counts()
    table["districts_with_exports"] = table["lgd_code"].map(counts).fillna(0).astype(int)
    return table.sort_values(["value_usd", "name"], ascending=[False, True])


def state_list(frame: DistrictFrame) -> list[dict[str, Any]]:
    """Every state and UT, largest first: ``lgd_code``, ``name``, ``iso3166_2``, ``kind``,
    ``value_usd`` (its districts plus its exports not attributed to a district), ``share_of_india``,
    ``rank``, ``districts_with_exports``."""
    return records(frame.states)


def state_profile(frame: DistrictFrame, state: State) -> dict[str, Any]:
    """A state's exports in the frame's period, from the district-wise data.

    ``total_usd`` = its districts + its exports not attributed to a district
    (``unattributed_usd``); ``rank`` among states; ``concentration`` across its districts
    (shares of the state's total *including* unattributed exports, HHI, Gini, Theil: see
    :func:`dehub.analytics.concentration.concentration_summary`) and ``lorenz`` (top-k
    cumulative shares); ``sectors`` (``sector``, ``label``, ``broad_sector``, ``value_usd``,
    ``share`` of the state, ``share_of_india`` of the sector, ``domestic_rca``);
    ``broad_sectors``; ``districts`` (the district table's rows plus ``share_of_state`` and
    ``rank_in_state``)."""
    df = frame.data
    rows = df[df["state_code"] == state.code]
    total = float(rows["value_usd"].sum())
    located = rows[rows["geo_level"] == "district"]
    unattributed = float(rows.loc[rows["geo_level"] != "district", "value_usd"].sum())
    values = _sum_by(located, "district_code")
    summary = (
        dict(
            concentration_summary(
                values, unattributed=unattributed, period=frame.period, unit_label="district"
            )
        )
        if len(values) and total > 0
        else None
    )
    curve = lorenz_curve(values[values > 0], total=total) if (values > 0).any() else None
    ref = read_reference("sectors.csv")
    mix = composition(rows.assign(sector=rows["sector"].fillna("other")), "sector", "value_usd")
    mix = mix.merge(ref, on="sector", how="left")
    mix["label"] = mix["label"].fillna("Other")
    mix["broad_sector"] = mix["broad_sector"].fillna("other")
    india_sector = mix["sector"].map(frame.sector_totals)
    mix["share_of_india"] = mix["value_usd"] / india_sector
    mix["domestic_rca"] = mix["share"] / (india_sector / frame.india_total)
    mix = mix[mix["value_usd"] > 0]
    broad = composition(mix, "broad_sector", "value_usd")
    districts = frame.districts[frame.districts["state_code"] == state.code].copy()
    districts["share_of_state"] = districts["value_usd"] / total if total else None
    in_state = districts["value_usd"].where(districts["value_usd"] > 0)
    districts["rank_in_state"] = in_state.rank(ascending=False, method="min").astype("Int64")
    states = frame.states.set_index("lgd_code")
    ranks = states["rank"].dropna()
    rank = int(ranks[state.code]) if state.code in ranks.index else None
    return {
        "state": {"lgd_code": state.code, "name": state.name},
        "period": frame.period,
        "currency": "USD",
        "total_usd": total,
        "unattributed_usd": unattributed,
        "share_of_india": total / frame.india_total if frame.india_total else None,
        "india_total_usd": frame.india_total,
        "rank": rank,
        "states_with_exports": int((states["value_usd"] > 0).sum()),
        "concentration": summary,
        "lorenz": [] if curve is None else records(curve),
        "sectors": records(mix),
        "broad_sectors": records(broad),
        "districts": records(districts),
        "source": frame.source,
    }


def state_ports(settings: Settings, state: State, period: str | None = None) -> dict[str, Any]:
    """Where a state's exports leave India and where they go, from the state x port x country
    data (default: its latest financial year; DGCI&S port-wise exports, a different source
    and usually a different period from the district-wise data — shares here are of the
    state's total *in this data*, never combined with district figures).

    Output: ``period``, ``currency``, ``total_usd``, ``source``; ``ports`` (``port_code``,
    ``port_name``, ``port_kind``, ``value_usd``, ``share``, ``destinations`` = number of
    countries, ``top_destination``); ``destinations`` (``partner_code``, ``partner_name``,
    ``value_usd``, ``share``, ``ports`` = number of ports, ``top_port``); ``flows`` (port x
    country rows, largest first, with ``share``)."""
    with FactStore.open(settings, read_only=True) as store:
        choice = choose_port_release(store, period)
        flows = state_port_partner_values(store, choice, state.code)
    total = float(flows["value_usd"].sum())
    flows["share"] = flows["value_usd"] / total if total else np.nan

    def rollup(key: str, name: str, other: str, other_name: str, count: str) -> pd.DataFrame:
        keys = [key, name] + (["port_kind"] if key == "port_code" else [])
        sums = flows.groupby(keys, dropna=False, as_index=False)[["value_usd", "share"]].sum()
        top = flows.sort_values("value_usd", ascending=False).drop_duplicates(key)
        sums[count] = sums[key].map(flows.groupby(key)[other].nunique())
        sums[f"top_{'destination' if key == 'port_code' else 'port'}"] = sums[key].map(
            top.set_index(key)[other_name]
        )
        return sums.sort_values(["value_usd", key], ascending=[False, True])

    ports = rollup("port_code", "port_name", "partner_code", "partner_name", "destinations")
    destinations = rollup("partner_code", "partner_name", "port_code", "port_name", "ports")
    return {
        "state": {"lgd_code": state.code, "name": state.name},
        "period": str(choice.period),
        "currency": "USD",
        "total_usd": total,
        "ports": records(ports),
        "destinations": records(destinations),
        "flows": records(flows.drop(columns="value_inr")),
        "source": choice.provenance(),
    }


@lru_cache(maxsize=1)
def _districts_by_code() -> dict[str, District]:
    """Every reference district by LGD code (built once: look-ups are on the hot path)."""
    ref = read_reference("districts.csv").merge(read_reference("states.csv"), on="state_code")
    return {
        str(c): District(str(c), str(n), str(s), str(sn))
        for c, n, s, sn in zip(
            ref["district_code"],
            ref["district_name"],
            ref["state_code"],
            ref["state_name"],
            strict=True,
        )
    }


def district_by_code(code: str) -> District:
    """The district with this LGD code; :class:`NotFound` otherwise, with suggestions (the
    district a name would resolve to, or similar spellings)."""
    known = _districts_by_code().get(code)
    if known is not None:
        return known
    try:
        found = resolve_district(code)
    except NotFound as error:
        hint = error.message.partition(";")[2]
        raise NotFound(
            f"no district with LGD code {code!r}" + (f";{hint}" if hint else "")
        ) from None
    except InvalidInput as error:
        raise NotFound(f"no district with LGD code {code!r}; {error.message}") from None
    raise NotFound(
        f"no district with LGD code {code!r}; did you mean {found.name} ({found.state_name}), "
        f"LGD code {found.code}?"
    )


def state_by_code(code: str) -> State:
    """The state with this LGD code or ISO 3166-2 code (``IN-GJ``); :class:`NotFound`
    otherwise, with suggestions."""
    states = read_reference("states.csv")
    hit = states[(states["state_code"] == code) | (states["iso3166_2"] == code.upper())]
    if len(hit):
        return State(str(hit["state_code"].iloc[0]), str(hit["state_name"].iloc[0]))
    try:
        found = resolve_state(code)
    except NotFound:
        options = suggest(code, states["state_name"].dropna().tolist())
        hint = f"; did you mean {', '.join(repr(s) for s in options)}?" if options else ""
        raise NotFound(f"no state with LGD code {code!r}{hint}") from None
    raise NotFound(
        f"no state with LGD code {code!r}; did you mean {found.name}, LGD code {found.code}?"
    )
