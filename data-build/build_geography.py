"""Build the geography reference data: states, districts, spelling crosswalks and the district map.

Inputs (read-only, under ``--raw``): ``lgd_planemad`` (LGD states and districts, the master list),
``dist_complexity_tiru`` and ``districtsexports_tiru`` (DGCI&S state and district spellings),
``gi_registry_india``, ``odop_kidharmilega`` and ``pmfme_odop_partial`` (more spellings) and
``covid19india_maps`` (district TopoJSON). Hand-curated spellings are read from
``data-build/curated/geography_*.csv``; every row there carries a ``note``.

Outputs (under ``--out``): ``states.csv``, ``districts.csv``, ``state_aliases.csv``,
``district_aliases.csv``, ``dgcis_district_pairs.csv`` and ``districts.topo.json.gz``.

The build fails (:class:`BuildError`, exit code 1) when a DGCI&S, GI, ODOP or PMFME
state spelling, a DGCI&S (state, district) pair or a map geometry cannot be matched, or when two
curated spellings contradict each other. ODOP/PMFME district spellings that cannot be matched
with certainty are only reported.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from buildkit import BuildError, read_csv, run_main, write_csv

from dehub.reference.names import name_key

HERE = Path(__file__).resolve().parent
CURATED = HERE / "curated"

#: DGCI&S label for exports not attributed to a state or district; never an alias.
NOT_ATTRIBUTED = "UNSPECIFIED"
#: Words kept in lower case when an upper-case LGD name is put in title case.
SMALL_WORDS = frozenset({"and", "of"})
#: Highest Census 2011 state code (35 = Andaman and Nicobar); LGD uses 36-38 for newer units.
LAST_CENSUS2011_STATE = 35
#: Map geometries whose ``dt_code`` is a Census 2011 code carry this ``year``.
CENSUS2011_YEAR = "2011_c"
#: Splits a source spelling into the parts tried by the ODOP/PMFME rule ("A (B)", "A/B").
_PART_SEPARATORS = re.compile(r"[()/]")
_DISTRICT_SUFFIX = re.compile(r"\s+district$", flags=re.IGNORECASE)

STATE_ALIAS_COLUMNS = ["key", "state_code", "spelling", "origin", "note"]
DISTRICT_ALIAS_COLUMNS = ["state_code", "key", "district_code", "spelling", "origin", "note"]


class Report:
    """What the build did, printed at the end and copied into ``notes/geography.md``.

    A plain class rather than a dataclass so that the module also works when it is loaded
    from its file path without being registered in ``sys.modules``.
    """

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.skipped: list[str] = []
        self.unmatched_optional: list[str] = []

    def show(self) -> None:
        """Print the counts, skipped derived aliases and unmatched optional spellings."""
        for name, value in self.counts.items():
            print(f"{name}: {value}")
        for title, lines in (
            ("skipped derived aliases (key taken by another district)", self.skipped),
            ("ODOP/PMFME spellings not matched", self.unmatched_optional),
        ):
            print(f"{title}: {len(lines)}")
            for line in lines:
                print(f"  {line}")


# --------------------------------------------------------------------------- reading


def _code(values: pd.Series, width: int) -> pd.Series:
    """Census codes as zero-padded strings; ``""`` where LGD has none (blank or 0)."""
    stripped = values.str.strip()
    missing = stripped.isin(["", "0", "00", "000"])
    return stripped.str.zfill(width).where(~missing, "")


def title_case(name: str) -> str:
    """Display form of an LGD name: upper-case names in title case ("RI BHOI" -> "Ri Bhoi",
    "LAHUL AND SPITI" -> "Lahul and Spiti"); names LGD already writes in mixed case are kept."""
    if name != name.upper():
        return name
    words = name.title().split(" ")
    return " ".join(
        word.lower() if i > 0 and word.lower() in SMALL_WORDS else word
        for i, word in enumerate(words)
    )


def load_states(raw: Path) -> pd.DataFrame:
    """``states.csv``: LGD states joined to the curated display names and ISO codes."""
    lgd = read_csv(raw / "lgd_planemad" / "1-state.csv")
    curated = read_csv(CURATED / "geography_states.csv")
    census = lgd["Census 2011 Code"].str.strip()
    valid_census = census.str.fullmatch(r"\d+") & census.map(
        lambda c: 0 < int(c or 0) <= LAST_CENSUS2011_STATE
    )
    states = pd.DataFrame(
        {
            "state_code": lgd["State Code"].str.strip(),
            "state_name_lgd": lgd["State Name"].str.strip(),
            "census2011_code": census.str.zfill(2).where(valid_census, ""),
            "kind": lgd["State or UT"].str.strip().map({"S": "State", "U": "UT"}),
        }
    )
    merged = states.merge(
        curated[["state_code", "state_name", "iso3166_2"]],
        on="state_code",
        how="outer",
        indicator=True,
    )
    if (merged["_merge"] != "both").any() or merged["kind"].isna().any():
        bad = merged.loc[merged["_merge"] != "both", "state_code"].tolist()
        raise BuildError(f"geography_states.csv and LGD disagree on states: {bad}")
    columns = ["state_code", "state_name", "state_name_lgd", "census2011_code", "kind", "iso3166_2"]
    return merged[columns].sort_values("state_code", key=lambda s: s.astype(int))


def load_districts(raw: Path) -> pd.DataFrame:
    """``districts.csv``: the LGD districts with display names (title case + curated overrides)."""
    lgd = read_csv(raw / "lgd_planemad" / "2-district.csv")
    display = read_csv(CURATED / "geography_district_display.csv")
    districts = pd.DataFrame(
        {
            "district_code": lgd["District Code"].str.strip(),
            "district_name_lgd": lgd["District Name"].str.strip(),
            "state_code": lgd["State Code"].str.strip(),
            "census2001_code": _code(lgd["Census 2001 Code"], 2),
            "census2011_code": _code(lgd["Census 2011 Code"], 3),
            "origin": "LGD",
        }
    )
    override = districts["district_code"].map(display.set_index("district_code")["district_name"])
    unknown = set(display["district_code"]) - set(districts["district_code"])
    if unknown:
        raise BuildError(f"geography_district_display.csv: unknown codes {unknown}")
    districts.insert(
        1, "district_name", override.fillna(districts["district_name_lgd"].map(title_case))
    )
    for column in ("district_code", "census2011_code"):
        codes = districts.loc[districts[column] != "", column]
        if codes.duplicated().any():
            raise BuildError(f"duplicate LGD {column}: {codes[codes.duplicated()]}")
    return districts.sort_values(
        ["state_code", "district_code"], key=lambda s: s.astype(int)
    ).reset_index(drop=True)


def dgcis_district_pairs(raw: Path) -> pd.DataFrame:
    """Distinct (state, district) spellings of the DGCI&S district file, without UNSPECIFIED."""
    clusters = read_csv(raw / "dist_complexity_tiru" / "district_sector_clusters.csv")
    pairs = clusters[["State", "District"]].drop_duplicates()
    pairs = pairs[pairs["District"] != NOT_ATTRIBUTED]
    return (
        pairs.rename(columns={"State": "state", "District": "district"})
        .sort_values(["state", "district"])
        .reset_index(drop=True)
    )


def source_state_spellings(raw: Path) -> pd.DataFrame:
    """Every state spelling of the DGCI&S, GI, ODOP and PMFME files, with its ``source``."""
    clusters = read_csv(raw / "dist_complexity_tiru" / "district_sector_clusters.csv")
    ports = read_csv(raw / "districtsexports_tiru" / "state_exp_by_ports_and_countries.csv")
    gi = read_csv(raw / "gi_registry_india" / "registered_gi_india.csv")
    odop = read_csv(raw / "odop_kidharmilega" / "odop_products_by_district.csv")
    pmfme = read_csv(raw / "pmfme_odop_partial" / "pmfme_odop_6_states.csv")
    gi_states = gi.filter(regex=r"^State( \d)?$").stack()
    frames = [
        ("dgcis", clusters["State"]),
        ("dgcis", ports["State "]),  # the header has a trailing space
        ("gi", gi_states),
        ("odop", odop["state"]),
        ("pmfme", pmfme["state"]),
    ]
    spellings = pd.concat(
        pd.DataFrame({"source": source, "spelling": values.str.strip()})
        for source, values in frames
    )
    return spellings[spellings["spelling"] != ""].drop_duplicates().reset_index(drop=True)


def district_source_pairs(raw: Path) -> pd.DataFrame:
    """(source, state, district) spellings of the ODOP and PMFME lists."""
    odop = read_csv(raw / "odop_kidharmilega" / "odop_products_by_district.csv")
    pmfme = read_csv(raw / "pmfme_odop_partial" / "pmfme_odop_6_states.csv")
    pairs = pd.concat([odop.assign(source="odop"), pmfme.assign(source="pmfme")])
    pairs = pairs[["source", "state", "district"]]
    for column in ("state", "district"):
        pairs[column] = pairs[column].str.strip()
    return pairs.drop_duplicates().reset_index(drop=True)


# --------------------------------------------------------------------------- alias tables


def add_layer(
    table: pd.DataFrame, layer: pd.DataFrame, keys: list[str], code: str, strict: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Append the aliases of ``layer`` whose keys are new; earlier layers win.

    Returns the grown table and the rows of ``layer`` that were left out because their key
    already points at another code. With ``strict`` such a clash (or a clash inside the
    layer) raises :class:`BuildError` instead.
    """
    layer = layer[layer["key"] != ""]
    inner = layer.groupby(keys)[code].nunique()
    inner = inner[inner > 1]
    existing = table[keys + [code]].rename(columns={code: "existing"})
    merged = layer.drop_duplicates(keys).merge(existing, on=keys, how="left")
    clash = merged[merged["existing"].notna() & (merged["existing"] != merged[code])]
    if strict and (len(clash) or len(inner)):
        rows = clash[["spelling", code, "existing"]].to_string(index=False) if len(clash) else ""
        raise BuildError(
            f"contradicting aliases:\n{rows}\n{inner.reset_index().to_string(index=False)}"
        )
    new = merged[merged["existing"].isna()].drop(columns="existing")
    return pd.concat([table, new], ignore_index=True), clash


def check_curated_used(table: pd.DataFrame, curated: pd.DataFrame, keys: list[str]) -> None:
    """Fail on curated rows that an earlier layer (LGD or display names) already covers."""
    curated = curated.assign(key=curated["spelling"].map(name_key))
    kept = curated.merge(
        table[[*keys, "spelling"]], on=[*keys, "spelling"], how="left", indicator=True
    )
    dead = kept.loc[kept["_merge"] == "left_only", [*keys, "spelling"]]
    if len(dead):
        raise BuildError(
            "curated rows already covered by an earlier alias:\n" + dead.to_string(index=False)
        )


def build_state_aliases(states: pd.DataFrame) -> pd.DataFrame:
    """State spellings in priority order: LGD names, display names, ISO codes, curated rows."""
    iso = states["iso3166_2"]
    curated = read_csv(CURATED / "geography_state_aliases.csv")
    layers = [
        states.assign(spelling=states["state_name_lgd"], origin="lgd", note="LGD state name"),
        states.assign(spelling=states["state_name"], origin="common", note="display name"),
        states.assign(spelling=iso, origin="iso", note="ISO 3166-2:IN code"),
        states.assign(
            spelling=iso.str.removeprefix("IN-"),
            origin="iso",
            note="ISO 3166-2:IN code without the country prefix",
        ),
        curated,
    ]
    table = pd.DataFrame(columns=STATE_ALIAS_COLUMNS)
    for layer in layers:
        layer = layer.assign(key=layer["spelling"].map(name_key))[STATE_ALIAS_COLUMNS]
        table, _ = add_layer(table, layer, ["key"], "state_code", strict=True)
    check_curated_used(table, curated, ["key"])
    unknown = set(table["state_code"]) - set(states["state_code"])
    if unknown:
        raise BuildError(f"state aliases point at unknown state codes {unknown}")
    return table


def resolve_states(spellings: pd.Series, state_aliases: pd.DataFrame) -> pd.Series:
    """LGD state code of each spelling (NaN where the spelling is not an alias)."""
    lookup = state_aliases.set_index("key")["state_code"]
    return spellings.map(name_key).map(lookup)


def check_state_coverage(
    spellings: pd.DataFrame, state_aliases: pd.DataFrame, ignored: pd.DataFrame
) -> None:
    """Fail unless every source state spelling is an alias or a deliberately ignored label."""
    if name_key(NOT_ATTRIBUTED) in set(state_aliases["key"]):
        raise BuildError(f"{NOT_ATTRIBUTED!r} must not be a state alias")
    resolved = resolve_states(spellings["spelling"], state_aliases).notna()
    skip = spellings.merge(ignored, on=["source", "spelling"], how="left", indicator=True)
    missing = spellings[~resolved & (skip["_merge"] == "left_only").to_numpy()]
    if len(missing):
        raise BuildError("state spellings without an alias:\n" + missing.to_string(index=False))


def census_layer(map_districts: pd.DataFrame) -> pd.DataFrame:
    """District aliases from the map geometries that were joined on their Census 2011 code."""
    joined = map_districts[map_districts["method"] == "census2011 code"]
    return pd.DataFrame(
        {
            "state_code": joined["lgd_state_code"],
            "spelling": joined["district"],
            "district_code": joined["lgd_code"],
            "origin": "census",
            "note": "Census 2011 name in the covid19india/DataMeet map (dt_code "
            + joined["dt_code"]
            + ")",
        }
    )


def rule_layer(pairs: pd.DataFrame, table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """ODOP/PMFME spellings matched by rule: a part of "A (B)", "A/B" or "A District" that is
    already an alias. Only spellings whose parts agree on one district are taken."""
    open_pairs = pairs.assign(key=pairs["district"].map(name_key)).merge(
        table[["state_code", "key"]], on=["state_code", "key"], how="left", indicator=True
    )
    open_pairs = open_pairs[open_pairs["_merge"] == "left_only"].drop(columns="_merge")
    parts = open_pairs.assign(
        part=open_pairs["district"].map(
            lambda s: [_DISTRICT_SUFFIX.sub("", p).strip() for p in _PART_SEPARATORS.split(s)]
        )
    ).explode("part")
    parts = parts[parts["part"] != ""]
    parts = parts.assign(part_key=parts["part"].map(name_key)).merge(
        table[["state_code", "key", "district_code"]].rename(columns={"key": "part_key"}),
        on=["state_code", "part_key"],
    )
    agree = parts.groupby(["state_code", "key"])["district_code"].transform("nunique") == 1
    found = parts[agree].drop_duplicates(["state_code", "key"])
    layer = pd.DataFrame(
        {
            "state_code": found["state_code"],
            "key": found["key"],
            "district_code": found["district_code"],
            "spelling": found["district"],
            "origin": found["source"],
            "note": "rule: the part '" + found["part"] + "' of the spelling is an alias",
        }
    )
    unmatched = open_pairs.merge(
        layer[["state_code", "key"]], on=["state_code", "key"], how="left", indicator=True
    )
    return layer, unmatched[unmatched["_merge"] == "left_only"].drop(columns="_merge")


# --------------------------------------------------------------------------- the map


def map_frames(topo: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The properties of the state and district geometries of the TopoJSON as frames."""
    objects = topo["objects"]
    states = pd.DataFrame([g["properties"] for g in objects["states"]["geometries"]])
    districts = pd.DataFrame([g["properties"] for g in objects["districts"]["geometries"]])
    return states, districts.fillna("")


def match_map_by_code(
    map_districts: pd.DataFrame, districts: pd.DataFrame, state_aliases: pd.DataFrame
) -> pd.DataFrame:
    """Add ``lgd_state_code`` (from ``st_nm``) and, for Census 2011 geometries whose code belongs
    to an LGD district of the same state, ``lgd_code``; ``method`` says which rule matched."""
    frame = map_districts.assign(
        lgd_state_code=resolve_states(map_districts["st_nm"], state_aliases)
    )
    census = districts.loc[
        districts["census2011_code"] != "", ["census2011_code", "district_code", "state_code"]
    ]
    frame["census2011_code"] = (
        frame["dt_code"].str.zfill(3).where(frame["year"] == CENSUS2011_YEAR, "")
    )
    frame = frame.merge(census, on="census2011_code", how="left")
    same_state = frame["state_code"] == frame["lgd_state_code"]
    frame["lgd_code"] = frame["district_code"].where(same_state)
    frame["method"] = same_state.map({True: "census2011 code", False: ""})
    return frame.drop(columns=["census2011_code", "district_code", "state_code"])


def match_map_by_name(frame: pd.DataFrame, district_aliases: pd.DataFrame) -> pd.DataFrame:
    """Match the geometries left by :func:`match_map_by_code` on (state, name key)."""
    lookup = district_aliases.set_index(["state_code", "key"])["district_code"]
    index = pd.MultiIndex.from_arrays([frame["lgd_state_code"], frame["district"].map(name_key)])
    by_name = pd.Series(lookup.reindex(index).to_numpy(), index=frame.index)
    todo = frame["lgd_code"].isna() & by_name.notna()
    frame.loc[todo, "lgd_code"] = by_name[todo]
    frame.loc[todo, "method"] = "name within state"
    return frame


def annotate_topology(
    topo: dict[str, Any], map_states: pd.DataFrame, map_districts: pd.DataFrame
) -> None:
    """Write ``lgd_state_code`` and ``lgd_code`` (null for known exceptions) into the geometries."""
    objects = topo["objects"]
    for geometry, code in zip(
        objects["states"]["geometries"], map_states["lgd_state_code"], strict=True
    ):
        geometry["properties"]["lgd_state_code"] = code
    rows = map_districts[["lgd_code", "lgd_state_code"]].itertuples(index=False)
    for geometry, (lgd_code, state_code) in zip(
        objects["districts"]["geometries"], rows, strict=True
    ):
        geometry["properties"]["lgd_code"] = None if pd.isna(lgd_code) else lgd_code
        geometry["properties"]["lgd_state_code"] = state_code


def check_map(map_districts: pd.DataFrame, exceptions: pd.DataFrame) -> None:
    """Fail on unmatched geometries not listed as exceptions, and on two geometries per code."""
    unmatched = map_districts[map_districts["lgd_code"].isna()]
    listed = unmatched.merge(exceptions, on=["st_nm", "district"], how="left", indicator=True)
    surprise = listed[listed["_merge"] == "left_only"]
    matched = map_districts["lgd_code"].dropna()
    doubles = map_districts[map_districts["lgd_code"].isin(matched[matched.duplicated()])]
    stale = exceptions.merge(unmatched, on=["st_nm", "district"], how="left", indicator=True)
    stale = stale[stale["_merge"] == "left_only"]
    if len(surprise) or len(doubles) or len(stale) or map_districts["lgd_state_code"].isna().any():
        raise BuildError(
            "map geometries not matched:\n"
            + surprise[["st_nm", "district", "dt_code", "year"]].to_string(index=False)
            + "\ngeometries sharing an LGD code:\n"
            + doubles[["st_nm", "district", "lgd_code"]].to_string(index=False)
            + "\nexceptions that are no longer needed:\n"
            + stale[["st_nm", "district"]].to_string(index=False)
        )


# --------------------------------------------------------------------------- build


def build_district_aliases(
    districts: pd.DataFrame,
    map_districts: pd.DataFrame,
    source_pairs: pd.DataFrame,
    report: Report,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """District spellings in priority order: LGD names, display names, curated rows (all
    strict), then Census 2011 map names and ODOP/PMFME rule matches (skipped on a clash).

    Returns the alias table and the map frame with the name-matched geometries filled in.
    """
    display = read_csv(CURATED / "geography_district_display.csv").set_index("district_code")
    display_note = (
        districts["district_code"]
        .map(display["note"])
        .fillna("display name (title case of the LGD name)")
    )
    curated = read_csv(CURATED / "geography_district_aliases.csv")
    strict_layers = [
        districts.assign(
            spelling=districts["district_name_lgd"], origin="lgd", note="LGD district name"
        ),
        districts.assign(spelling=districts["district_name"], origin="common", note=display_note),
        curated,
    ]
    table = pd.DataFrame(columns=DISTRICT_ALIAS_COLUMNS)
    for layer in strict_layers:
        layer = layer.assign(key=layer["spelling"].map(name_key))[DISTRICT_ALIAS_COLUMNS]
        table, _ = add_layer(table, layer, ["state_code", "key"], "district_code", strict=True)
    check_curated_used(table, curated, ["state_code", "key"])

    census = census_layer(map_districts)
    census = census.assign(key=census["spelling"].map(name_key))[DISTRICT_ALIAS_COLUMNS]
    table, clash = add_layer(table, census, ["state_code", "key"], "district_code", strict=False)
    report.skipped += [
        f"census {r.state_code}/{r.spelling} -> {r.district_code} (key taken by {r.existing})"
        for r in clash.itertuples()
    ]
    map_districts = match_map_by_name(map_districts, table)

    rules, unmatched = rule_layer(source_pairs, table)
    table, clash = add_layer(
        table, rules[DISTRICT_ALIAS_COLUMNS], ["state_code", "key"], "district_code", strict=False
    )
    report.skipped += [
        f"rule {r.state_code}/{r.spelling} -> {r.district_code} (key taken by {r.existing})"
        for r in clash.itertuples()
    ]
    report.unmatched_optional += [
        f"{r.source}: {r.state} / {r.district}" for r in unmatched.itertuples()
    ]
    report.counts["district aliases matched by the ODOP/PMFME rule"] = len(rules) - len(clash)
    unknown = set(table["district_code"]) - set(districts["district_code"])
    if unknown:
        raise BuildError(f"district aliases point at unknown codes {unknown}")
    return table, map_districts


def check_dgcis_pairs(
    pairs: pd.DataFrame, state_aliases: pd.DataFrame, district_aliases: pd.DataFrame
) -> None:
    """Fail unless every DGCI&S (state, district) pair resolves to an LGD district."""
    resolved = pairs.assign(
        state_code=resolve_states(pairs["state"], state_aliases),
        key=pairs["district"].map(name_key),
    ).merge(
        district_aliases[["state_code", "key", "district_code"]],
        on=["state_code", "key"],
        how="left",
    )
    missing = resolved[resolved["district_code"].isna()]
    if len(missing) or len(resolved) != len(pairs):
        raise BuildError(
            "DGCI&S (state, district) pairs without an LGD district:\n"
            + missing[["state", "district"]].to_string(index=False)
        )


def _sorted_aliases(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Aliases sorted by numeric state code, then ``by``."""
    order = table["state_code"].astype(int)
    return table.assign(_order=order).sort_values(["_order", *by]).drop(columns="_order")


def build(raw: Path, out: Path) -> None:
    """Build every geography output from the raw snapshots under ``raw`` into ``out``."""
    report = Report()
    states = load_states(raw)
    districts = load_districts(raw)
    state_aliases = build_state_aliases(states)
    ignored = read_csv(CURATED / "geography_ignored_spellings.csv")
    check_state_coverage(source_state_spellings(raw), state_aliases, ignored)

    topo = json.loads((raw / "covid19india_maps" / "india.json").read_text(encoding="utf-8"))
    map_states, map_districts = map_frames(topo)
    map_states["lgd_state_code"] = resolve_states(map_states["st_nm"], state_aliases)
    if map_states["lgd_state_code"].isna().any():
        raise BuildError(f"map states without an alias: {map_states['st_nm']}")
    map_districts = match_map_by_code(map_districts, districts, state_aliases)

    source_pairs = district_source_pairs(raw)
    source_pairs["state_code"] = resolve_states(source_pairs["state"], state_aliases)
    district_aliases, map_districts = build_district_aliases(
        districts, map_districts, source_pairs, report
    )
    if name_key(NOT_ATTRIBUTED) in set(district_aliases["key"]):
        raise BuildError(f"{NOT_ATTRIBUTED!r} must not be a district alias")
    pairs = dgcis_district_pairs(raw)
    check_dgcis_pairs(pairs, state_aliases, district_aliases)
    check_map(map_districts, read_csv(CURATED / "geography_map_exceptions.csv"))
    annotate_topology(topo, map_states, map_districts)

    out.mkdir(parents=True, exist_ok=True)
    write_csv(states, out / "states.csv")
    write_csv(districts, out / "districts.csv")
    write_csv(_sorted_aliases(state_aliases, ["key"]), out / "state_aliases.csv")
    write_csv(_sorted_aliases(district_aliases, ["key"]), out / "district_aliases.csv")
    write_csv(pairs, out / "dgcis_district_pairs.csv")
    payload = json.dumps(topo, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    (out / "districts.topo.json.gz").write_bytes(gzip.compress(payload, 9, mtime=0))

    curated = [read_csv(p) for p in sorted(CURATED.glob("geography_*.csv"))]
    report.counts.update(
        {
            "states": len(states),
            "districts": len(districts),
            "state aliases": len(state_aliases),
            "district aliases": len(district_aliases),
            "DGCI&S (state, district) pairs": len(pairs),
            "curated rows (all geography_*.csv)": sum(len(c) for c in curated),
            "map district geometries": len(map_districts),
        }
    )
    methods = map_districts["method"].replace("", "none (known exception)")
    for method, count in methods.value_counts().items():
        report.counts[f"map geometries matched by {method}"] = int(count)
    drawn = set(map_districts["lgd_code"].dropna())
    report.counts["LGD districts without a map geometry"] = int(
        (~districts["district_code"].isin(drawn)).sum()
    )
    for origin, count in district_aliases["origin"].value_counts().items():
        report.counts[f"district aliases of origin {origin}"] = int(count)
    for origin, count in state_aliases["origin"].value_counts().items():
        report.counts[f"state aliases of origin {origin}"] = int(count)
    report.show()


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--raw`` (the raw snapshots) and ``--out`` (the package data folder)."""
    return run_main(build, "build_geography", __doc__ or "build_geography", argv)


if __name__ == "__main__":
    sys.exit(main())
