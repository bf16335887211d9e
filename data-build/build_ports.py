"""Build the ports and logistics-node reference tables of ``dehub.reference``.

Outputs (in ``--out``, default ``src/dehub/reference/data``):

* ``seaports.csv``: World Port Index (NGA Pub. 150) rows for India.
* ``airports.csv``: OpenFlights airports in India.
* ``inland_nodes.csv``: UN/LOCODE 2024-2 India rows with the multimodal / ICD function (6).
* ``customs_ports.csv``: every DGCI&S customs-port label of the FY2023-24 state x port x country
  export report, with a kind, a UN/LOCODE where it can be matched, and coordinates.

Customs labels are matched by name (``dehub.reference.names.name_key`` plus the word rules below)
to WPI seaports, UN/LOCODE rows and airports' cities; what no rule can match is hand-curated in
``data-build/curated/ports_customs.csv`` (keyed by ``key``, one ``note`` per row). The build fails
(non-zero exit, naming the labels) if a label is missing from the output, a curated row is stale or
points at an unknown reference row, a key is duplicated or a coordinate lies outside India.

Run: ``.venv/bin/python data-build/build_ports.py --raw ../shared/data/raw``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from buildkit import BuildError, run_main, write_csv

from dehub.reference.names import name_key

HERE = Path(__file__).resolve().parent
CURATED_FILE = HERE / "curated" / "ports_customs.csv"

KINDS = ("seaport", "air_cargo", "icd_cfs", "sez", "land_customs", "other")
MATCHES = ("wpi", "unlocode", "airport", "curated", "none")
LAT_RANGE = (6.0, 37.5)
LON_RANGE = (68.0, 97.5)
TOP_N = 50  # the N ports with the most export value must all be checked for coordinates

# Words that name the kind of customs station (or a whole state) rather than the place; they are
# dropped before place matching, so "ICD (HARYANA)" does not match the UN/LOCODE row "Haryana".
GENERIC = frozenset(
    "SEA PORT PORTS AIR AIRPORT CARGO COMPLEX ACC ICD CFS LCS LCD LAND SEZ EPZ DRY RLY "
    "RAILWAY STATION STN TRUST TERMINAL BAY BANDAR "
    "BIHAR GUJARAT HARYANA KARNATAKA KERALA MAHARASHTRA ODISHA ORISSA PUNJAB RAJASTHAN "
    "TAMILNADU TELANGANA TRIPURA UTTARAKHAND".split()
)
SEZ_WORDS = frozenset({"SEZ", "EPZ", "SEEPZ", "MEPZ", "MEEPZ"})
ICD_WORDS = frozenset({"ICD", "CFS", "MMLP"})
AIR_WORDS = frozenset({"AIR", "AIRPORT", "ACC"})
LAND_WORDS = frozenset({"LCS", "LAND", "RLY", "RAILWAY", "STEAMERGHAT", "GHAT"})


def _plain_upper(text: str) -> str:
    """Upper case without accents, ``&`` read as AND, ``L C S`` / ``A.C.`` joined into words."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    plain = plain.replace("&", " AND ")
    plain = re.sub(r"\bL\s+C\s+S\b", "LCS", plain)
    return re.sub(r"\bA\.\s*C\.?(?=\s|$)", "ACC", plain)


def words(text: str) -> list[str]:
    """The A-Z0-9 words of a spelling (see :func:`_plain_upper`)."""
    return [w for w in re.split(r"[^A-Z0-9]+", _plain_upper(text)) if w]


def place_keys(text: str) -> list[str]:
    """Keys under which a spelling is looked up, most specific first: the whole name, the name
    without generic words, and the sorted set of its non-generic words (order-free match)."""
    ws = words(text)
    core = [w for w in ws if w not in GENERIC]
    if not core:  # a bare "SEZ" or "ICD" names no place
        return []
    keys = ["".join(ws), "".join(core), "+".join(sorted(set(core)))]
    return list(dict.fromkeys(k for k in keys if len(k.replace("+", "")) >= 3))


def parts(text: str) -> list[str]:
    """Sub-names of a spelling split at ``/ ( ) , ;`` with a leading ``ex`` removed."""
    pieces = re.split(r"[/(),;]", text)
    out = [re.sub(r"^\s*ex\s+", "", p, flags=re.IGNORECASE).strip() for p in pieces]
    return [p for p in out if p and p.strip() != text.strip()]


def part_keys(text: str) -> list[str]:
    """Place keys of every sub-name of ``text`` (see :func:`parts`)."""
    return list(dict.fromkeys(k for p in parts(text) for k in place_keys(p)))


def _fmt_coord(value: object) -> float | None:
    """A coordinate as a float rounded to 6 decimals, or None when empty."""
    text = "" if value is None else str(value).strip()
    return None if text in ("", "nan", r"\N") else round(float(text), 6)


def load_seaports(raw: Path) -> pd.DataFrame:
    """WPI rows with ``Country Code == India`` in the output layout of ``seaports.csv``."""
    wpi = pd.read_csv(
        raw / "nga_wpi" / "WPI.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    india = wpi[wpi["Country Code"] == "India"]
    number = pd.to_numeric(india["World Port Index Number"])
    return pd.DataFrame(
        {
            "wpi_number": number.map(lambda n: f"{n:g}"),
            "name": india["Main Port Name"].str.strip(),
            "alternate_name": india["Alternate Port Name"].str.strip(),
            "locode": india["UN/LOCODE"].str.replace(" ", "", regex=False).str.strip(),
            "harbor_size": india["Harbor Size"].str.strip(),
            "harbor_type": india["Harbor Type"].str.strip(),
            "lat": pd.to_numeric(india["Latitude"]).round(6),
            "lon": pd.to_numeric(india["Longitude"]).round(6),
        }
    ).reset_index(drop=True)


AIRPORT_COLUMNS = [
    "id", "name", "city", "country", "iata", "icao", "latitude", "longitude", "altitude_ft",
    "utc_offset", "dst", "tz_database", "type", "source",
]  # fmt: skip


def load_airports(raw: Path) -> pd.DataFrame:
    """OpenFlights rows with country India in the layout of ``airports.csv`` (``\\N`` -> empty)."""
    air = pd.read_csv(
        raw / "openflights_airports" / "airports.csv",
        header=None,
        names=AIRPORT_COLUMNS,
        dtype=str,
        keep_default_na=False,
    )
    india = air[air["country"] == "India"].replace({r"\N": ""})
    return pd.DataFrame(
        {
            "iata": india["iata"],
            "icao": india["icao"],
            "name": india["name"],
            "city": india["city"],
            "lat": pd.to_numeric(india["latitude"]).round(6),
            "lon": pd.to_numeric(india["longitude"]).round(6),
        }
    ).reset_index(drop=True)


def load_unlocode(raw: Path) -> pd.DataFrame:
    """All UN/LOCODE India rows, one per code (the first spelling of codes listed twice)."""
    unl = pd.read_csv(
        raw / "unlocode_india" / "unlocode_2024-2_india.csv", dtype=str, keep_default_na=False
    )
    unl = unl.drop_duplicates("locode", keep="first").reset_index(drop=True)
    unl["lat"] = pd.to_numeric(unl["lat"].replace("", None)).round(6)
    unl["lon"] = pd.to_numeric(unl["lon"].replace("", None)).round(6)
    return unl


def inland_nodes(unl: pd.DataFrame) -> pd.DataFrame:
    """UN/LOCODE rows flagged multimodal / ICD (function 6), layout of ``inland_nodes.csv``."""
    rows = unl[unl["is_multimodal_icd"] == "1"]
    return rows[["locode", "name", "subdivision", "lat", "lon", "function"]].reset_index(drop=True)


# DGCI&S spellings of the land neighbours whose trade with India goes largely overland (China and
# Afghanistan are left out: exports to them go by sea or air, e.g. iron ore from Redi to China).
LAND_NEIGHBOURS = frozenset({"BANGLADESH PR", "BHUTAN", "MYANMAR", "NEPAL", "PAKISTAN IR"})
NEIGHBOUR_SHARE = 0.99  # a label shipping this share of its value to one neighbour is a land port


def load_customs_flows(raw: Path) -> pd.DataFrame:
    """Per DGCI&S port label (index, exactly as in the file): FY2023-24 export value ``usd`` and
    ``neighbour_share``, the largest share of that value going to a single land neighbour."""
    path = raw / "districtsexports_tiru" / "state_exp_by_ports_and_countries.csv"
    flows = pd.read_csv(path, dtype={"Port": str, "Country": str}, keep_default_na=False)
    flows["AM24_USD"] = pd.to_numeric(flows["AM24_USD"])
    usd = flows.groupby("Port", sort=False)["AM24_USD"].sum()
    near = flows[flows["Country"].isin(LAND_NEIGHBOURS)]
    by_country = near.groupby(["Port", "Country"])["AM24_USD"].sum().groupby(level=0).max()
    share = (by_country / usd).reindex(usd.index).fillna(0.0)
    return pd.DataFrame({"usd": usd, "neighbour_share": share})


def _index(pairs: Iterable[tuple[Iterable[str], str]]) -> dict[str, set[str]]:
    """Map every key to the set of ids listed with it."""
    out: dict[str, set[str]] = {}
    for keys, ident in pairs:
        for key in keys:
            out.setdefault(key, set()).add(ident)
    return out


def _unl_keys(name: str) -> list[str]:
    """Tier-1 keys of a UN/LOCODE name: the whole name and the name without brackets."""
    bare = re.sub(r"\(.*?\)", " ", name)
    return list(dict.fromkeys(place_keys(name) + place_keys(bare)))


@dataclass
class Gazetteer:
    """Name indexes over the three reference sources."""

    seaports: pd.DataFrame
    airports: pd.DataFrame
    unl: pd.DataFrame
    unl_rows: dict[str, pd.Series] = field(init=False)
    unl_t1: dict[str, set[str]] = field(init=False)
    unl_t2: dict[str, set[str]] = field(init=False)
    unl_sez: dict[str, set[str]] = field(init=False)
    wpi_index: dict[str, set[str]] = field(init=False)
    wpi_rows: dict[str, pd.Series] = field(init=False)
    wpi_valid_locode: dict[str, str] = field(init=False)
    air_city: dict[str, set[str]] = field(init=False)
    air_rows: dict[str, pd.Series] = field(init=False)
    border_keys: set[str] = field(init=False)

    def __post_init__(self) -> None:
        unl = self.unl
        self.unl_rows = {r["locode"]: r for _, r in unl.iterrows()}
        names = list(zip(unl["name"], unl["name_wo_diacritics"], unl["locode"], strict=True))
        self.unl_t1 = _index((_unl_keys(a) + _unl_keys(b), lc) for a, b, lc in names)
        self.unl_t2 = _index((part_keys(a) + part_keys(b), lc) for a, b, lc in names)
        # SEZ names match only through the part that carries the word SEZ ("Kandla-SEZ/...").
        self.unl_sez = _index(
            ([k for p in parts(a) if set(words(p)) & SEZ_WORDS for k in place_keys(p)], lc)
            for a, _, lc in names
        )
        border = unl[
            (unl["is_border_crossing"] == "1") | unl["name"].str.contains(r"\bLcs\b", case=False)
        ]
        self.border_keys = {k for n in border["name"] for k in _unl_keys(n) + part_keys(n)}
        # Seaports: one representative row per WPI number (Machilipatnam is listed twice).
        sea = self.seaports.drop_duplicates("wpi_number")
        self.wpi_rows = {r["wpi_number"]: r for _, r in sea.iterrows()}
        self.wpi_index = _index((self._wpi_keys(r), n) for n, r in self.wpi_rows.items())
        # A WPI locode is trusted only where UN/LOCODE lists it as a port under a matching name
        # (WPI gives Sikka "IN SKK", which is Sikkim, and Visakhapatnam "IN NRP", an SEZ).
        self.wpi_valid_locode = {}
        for number, row in self.wpi_rows.items():
            unl_row = self.unl_rows.get(row["locode"])
            if unl_row is None or unl_row["is_port"] != "1":
                continue
            unl_keys = set(_unl_keys(unl_row["name"]) + part_keys(unl_row["name"]))
            if unl_keys & set(self._wpi_keys(row)):
                self.wpi_valid_locode[number] = row["locode"]
        air = self.airports[self.airports["iata"] != ""]
        self.air_rows = {r["iata"]: r for _, r in air.iterrows()}
        self.air_city = _index(
            ([name_key(c)], i) for c, i in zip(air["city"], air["iata"], strict=True)
        )

    @staticmethod
    def _wpi_keys(row: pd.Series) -> list[str]:
        """Keys of a WPI port: main name, its bracketed part and the alternate names."""
        keys = _unl_keys(row["name"]) + part_keys(row["name"])
        for alt in str(row["alternate_name"]).split(";"):
            keys += place_keys(alt)
        return list(dict.fromkeys(keys))

    def unlocode(self, label: str, kind: str) -> tuple[set[str], str]:
        """Candidate UN/LOCODEs of a customs label and the tier that found them."""
        full, sub = place_keys(label), part_keys(label)
        second = self.unl_sez if kind == "sez" else self.unl_t2
        tiers = (
            ("name", full, self.unl_t1),
            ("name part", sub, self.unl_t1),
            ("part of UN/LOCODE name", full, second),
            ("parts", sub, second),
        )
        # Labels of kind "other" are mostly company names: only the whole label may match.
        for tier, keys, index in tiers[:1] if kind == "other" else tiers:
            found = {lc for k in keys for lc in index.get(k, ())}
            found = self._prefer(found, kind)
            if found:
                return found, tier
        return set(), ""

    def _prefer(self, codes: set[str], kind: str) -> set[str]:
        """Keep the candidates whose function fits the kind: strictly an SEZ name, a port or an
        airport for SEZs, seaports and air cargo; preferably a border crossing or function 6
        for land customs stations and function 6 for the rest."""
        rows = {c: self.unl_rows[c] for c in codes}
        if kind == "sez":
            return {c for c, r in rows.items() if set(words(r["name"])) & SEZ_WORDS}
        if kind in ("seaport", "air_cargo"):
            column = "is_port" if kind == "seaport" else "is_airport"
            return {c for c, r in rows.items() if r[column] == "1"}
        flags = ["is_border_crossing"] if kind == "land_customs" else []
        for column in [*flags, "is_multimodal_icd"]:
            fitting = {c for c, r in rows.items() if r[column] == "1"}
            if fitting:
                return fitting
        return codes

    def wpi(self, label: str) -> set[str]:
        """WPI numbers whose names match the label (whole label first, then its parts)."""
        for keys in (place_keys(label), part_keys(label)):
            found = {n for k in keys for n in self.wpi_index.get(k, ())}
            if found:
                return found
        return set()

    def iata_of(self, row: pd.Series) -> str:
        """IATA code of the airport a UN/LOCODE airport row stands for ('' if none is listed)."""
        if row["is_airport"] != "1":
            return ""
        for iata in (row["iata"], row["locode"][2:]):
            if iata in self.air_rows:
                return str(iata)
        return ""

    def airport_by_city(self, label: str) -> set[str]:
        """IATA codes of airports whose city matches the label or its first non-generic word."""
        core = [w for w in words(label) if w not in GENERIC]
        keys = [k for k in place_keys(label) if "+" not in k] + core[:1]
        for key in keys:
            found = self.air_city.get(key, set())
            if found:
                return found
        return set()


def classify(label: str, gaz: Gazetteer, neighbour_share: float = 0.0) -> tuple[str, str]:
    """The kind of a DGCI&S customs label by word rules, first rule that applies wins; a label
    that no word or name rule types and that ships >= 99% of its value to one land neighbour
    (Nepal, Bangladesh, Bhutan, Myanmar, Pakistan) is a land customs station."""
    ws, text = set(words(label)), _plain_upper(label)
    if ws & SEZ_WORDS or any(w.startswith("FTWZ") for w in ws) or "ECONOMIC ZON" in text:
        return "sez", "word SEZ/EPZ/SEEPZ/MEPZ/FTWZ"
    if ws & ICD_WORDS or "DRY PORT" in text:
        return "icd_cfs", "word ICD/CFS/MMLP/DRY PORT"
    if ws & AIR_WORDS or "AIR CARGO" in text:
        return "air_cargo", "word AIR/AIRPORT/ACC/A.C./AIR CARGO"
    if ws & LAND_WORDS:
        return "land_customs", "word LCS/LAND/RLY/RAILWAY/GHAT"
    if ws & {"SEA", "PORT"}:
        return "seaport", "word SEA/PORT"
    if any(gaz.wpi_index.get(k) for k in place_keys(label)):
        return "seaport", "name of a WPI seaport"
    if set(place_keys(label) + part_keys(label)) & gaz.border_keys:
        return "land_customs", "name of a UN/LOCODE border crossing (function B) or LCS"
    if neighbour_share >= NEIGHBOUR_SHARE:
        return "land_customs", ">= 99% of value to one land neighbour"
    return "other", "no rule"


@dataclass
class PortRecord:
    """One row of ``customs_ports.csv`` under construction."""

    port_name: str
    key: str
    kind: str
    locode: str = ""
    subdivision: str = ""
    lat: float | None = None
    lon: float | None = None
    match: str = "none"
    notes: list[str] = field(default_factory=list)

    def set_point(self, lat: object, lon: object, match: str) -> None:
        """Take coordinates (if both are present) and record where they came from."""
        la, lo = _fmt_coord(lat), _fmt_coord(lon)
        if la is not None and lo is not None:
            self.lat, self.lon, self.match = la, lo, match


def _single(codes: set[str]) -> str:
    """The only element of a set, or '' when it is empty or ambiguous."""
    return next(iter(codes)) if len(codes) == 1 else ""


def match_port(rec: PortRecord, gaz: Gazetteer) -> None:
    """Fill locode, subdivision and coordinates of a customs label by the name rules.

    Seaports take WPI coordinates (WPI matched by name, or the WPI port whose locode agrees with
    its UN/LOCODE name); air cargo stations take their airport's (via the UN/LOCODE airport row's
    IATA code, else a unique airport city); the rest take the UN/LOCODE row's, falling back to the
    airport of the same city (city-level) where the row has none.
    """
    codes, tier = gaz.unlocode(rec.port_name, rec.kind)
    code = _single(codes)
    if len(codes) > 1:
        rec.notes.append(f"UN/LOCODE ambiguous by {tier}: {' '.join(sorted(codes))}")
    elif code:
        rec.notes.append(f"UN/LOCODE {code} {gaz.unl_rows[code]['name']!r} by {tier}")
    if rec.kind == "seaport":
        number = _single(gaz.wpi(rec.port_name))
        if not code and gaz.wpi_valid_locode.get(number):
            code = gaz.wpi_valid_locode[number]
            rec.notes.append(f"UN/LOCODE {code} from WPI {number}")
        if not number and code:
            number = _single({n for n, lc in gaz.wpi_valid_locode.items() if lc == code})
        if number:
            wpi = gaz.wpi_rows[number]
            rec.set_point(wpi["lat"], wpi["lon"], "wpi")
            rec.notes.append(f"WPI {number} {wpi['name']!r}")
    unl_row = gaz.unl_rows.get(code)
    iata = "" if unl_row is None else gaz.iata_of(unl_row)
    if rec.kind == "air_cargo":
        if not iata:
            iata = _single(gaz.airport_by_city(rec.port_name))
            guess = gaz.unl_rows.get(f"IN{iata}")
            if unl_row is None and guess is not None and guess["is_airport"] == "1":
                code, unl_row = f"IN{iata}", guess
                rec.notes.append(f"UN/LOCODE {code} = IN + IATA")
        if iata:
            air = gaz.air_rows[iata]
            rec.set_point(air["lat"], air["lon"], "airport")
            rec.notes.append(f"airport {iata} {air['name']!r}")
    if unl_row is None:
        return
    rec.locode, rec.subdivision = code, unl_row["subdivision"]
    if rec.lat is None:
        rec.set_point(unl_row["lat"], unl_row["lon"], "unlocode")
    if rec.lat is None and rec.kind in ("icd_cfs", "land_customs"):
        iata = iata or _single(gaz.airport_by_city(unl_row["name"]))
        if iata:
            air = gaz.air_rows[iata]
            rec.set_point(air["lat"], air["lon"], "airport")
            rec.notes.append(f"city-level coordinates of airport {iata} {air['name']!r}")


def load_curation(path: Path = CURATED_FILE) -> pd.DataFrame:
    """The hand-curated rows (see the module docstring and data-build/notes/ports.md)."""
    cur = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = ["key", "port_name", "kind", "locode", "subdivision", "coords", "note"]
    if list(cur.columns) != expected:
        raise BuildError(f"{path.name}: columns must be {expected}, got {list(cur.columns)}")
    bad = cur[(cur["note"].str.strip() == "") | cur["key"].duplicated(keep=False)]
    if not bad.empty:
        raise BuildError(
            f"{path.name}: rows without note or with a repeated key: {list(bad['key'])}"
        )
    mismatch = cur[cur["port_name"].map(name_key) != cur["key"]]
    if not mismatch.empty:
        raise BuildError(f"{path.name}: key is not name_key(port_name): {list(mismatch['key'])}")
    wrong_kind = cur[(cur["kind"] != "") & ~cur["kind"].isin(KINDS)]
    if not wrong_kind.empty:
        raise BuildError(f"{path.name}: unknown kind in {list(wrong_kind['key'])}")
    return cur


def apply_curation(rec: PortRecord, row: pd.Series, gaz: Gazetteer) -> None:
    """Override a record by its curated row: ``kind`` if given; and if ``coords`` is given, the
    locode, subdivision and coordinates (``wpi:N``, ``unlocode:CODE``, ``airport:IATA``,
    ``point:LAT,LON`` or ``none``)."""
    if row["kind"]:
        rec.kind = row["kind"]
        rec.notes[0] = "kind curated"
    coords = row["coords"].strip()
    if not coords:
        if row["locode"]:
            raise BuildError(f"curated {rec.key}: a curated locode needs a coords value")
        rec.subdivision = row["subdivision"] or rec.subdivision
        rec.notes.append(f"curated: {row['note']}")
        return
    if row["locode"] and row["locode"] not in gaz.unl_rows:
        raise BuildError(f"curated {rec.key}: unknown UN/LOCODE {row['locode']}")
    rec.locode = row["locode"]
    unl_row = gaz.unl_rows.get(rec.locode)
    rec.subdivision = row["subdivision"] or ("" if unl_row is None else unl_row["subdivision"])
    rec.lat = rec.lon = None
    rec.match = "none"
    source, _, ref = coords.partition(":")
    if source == "wpi" and ref in gaz.wpi_rows:
        rec.set_point(gaz.wpi_rows[ref]["lat"], gaz.wpi_rows[ref]["lon"], "curated")
    elif source == "unlocode" and ref in gaz.unl_rows:
        rec.set_point(gaz.unl_rows[ref]["lat"], gaz.unl_rows[ref]["lon"], "curated")
    elif source == "airport" and ref in gaz.air_rows:
        rec.set_point(gaz.air_rows[ref]["lat"], gaz.air_rows[ref]["lon"], "curated")
    elif source == "point" and re.fullmatch(r"-?[\d.]+,-?[\d.]+", ref):
        lat, lon = ref.split(",")
        rec.set_point(lat, lon, "curated")
    elif coords != "none":
        raise BuildError(f"curated {rec.key}: cannot resolve coords {coords!r}")
    if coords != "none" and rec.lat is None:
        raise BuildError(f"curated {rec.key}: {coords} has no coordinates")
    rec.notes = rec.notes[:1] + [f"curated ({coords}): {row['note']}"]


def customs_ports(flows: pd.DataFrame, gaz: Gazetteer, curation: pd.DataFrame) -> pd.DataFrame:
    """Kind, locode, subdivision and coordinates of every customs label (``customs_ports.csv``)."""
    keys = pd.Series([name_key(p) for p in flows.index], index=flows.index)
    clash = keys[keys.duplicated(keep=False)]
    if not clash.empty:
        raise BuildError(f"labels sharing a key: {sorted(clash.index)}")
    stale = sorted(set(curation["key"]) - set(keys))
    if stale:
        raise BuildError(f"curated keys not among the port labels: {stale}")
    cur = curation.set_index("key")
    records = []
    for label, share in flows["neighbour_share"].items():
        kind, rule = classify(label, gaz, share)
        rec = PortRecord(port_name=label, key=keys[label], kind=kind)
        match_port(rec, gaz)
        rec.notes.insert(0, f"kind by {rule}")
        if rec.key in cur.index:
            apply_curation(rec, cur.loc[rec.key], gaz)
        records.append(rec)
    out = pd.DataFrame(
        {
            "port_name": [r.port_name for r in records],
            "key": [r.key for r in records],
            "kind": [r.kind for r in records],
            "locode": [r.locode for r in records],
            "subdivision": [r.subdivision for r in records],
            "lat": [r.lat for r in records],
            "lon": [r.lon for r in records],
            "match": [r.match for r in records],
            "note": ["; ".join(r.notes) for r in records],
        }
    )
    return out.sort_values("key", ignore_index=True)


def check_outputs(tables: dict[str, pd.DataFrame], values: pd.Series) -> None:
    """Fail on a dropped label, a bad kind/match, a repeated key or a point outside India."""
    ports = tables["customs_ports.csv"]
    missing = sorted(set(values.index) - set(ports["port_name"]))
    if missing:
        raise BuildError(f"customs port labels missing from customs_ports.csv: {missing}")
    if ports["key"].duplicated().any():
        raise BuildError(f"repeated keys: {sorted(ports.loc[ports['key'].duplicated(), 'key'])}")
    bad = ports[~ports["kind"].isin(KINDS) | ~ports["match"].isin(MATCHES)]
    if not bad.empty:
        raise BuildError(f"bad kind/match: {list(bad['port_name'])}")
    no_point = ports[(ports["match"] == "none") != ports["lat"].isna()]
    if not no_point.empty:
        raise BuildError(f"match and coordinates disagree: {list(no_point['port_name'])}")
    for name, table in tables.items():
        given = table["lat"].notna() | table["lon"].notna()
        inside = table["lat"].between(*LAT_RANGE) & table["lon"].between(*LON_RANGE)
        if (given & ~inside).any():
            rows = table.loc[given & ~inside].iloc[:, :2].values.tolist()
            raise BuildError(f"{name}: coordinates missing or outside India: {rows}")


def coverage(ports: pd.DataFrame, values: pd.Series) -> dict[str, float]:
    """Counts and shares of labels and of FY2023-24 export value (US$) with coordinates."""
    usd = ports["port_name"].map(values)
    has = ports["lat"].notna()
    return {
        "ports": len(ports),
        "with_coords": int(has.sum()),
        "share_ports": float(has.mean()),
        "share_value": float(usd[has].sum() / usd.sum()),
    }


def build(raw: Path, out: Path) -> None:
    """Build the four ports tables from the raw snapshots in ``raw`` into ``out``."""
    raw, out = Path(raw), Path(out)
    seaports, airports, unl = load_seaports(raw), load_airports(raw), load_unlocode(raw)
    flows = load_customs_flows(raw)
    values = flows["usd"]
    gaz = Gazetteer(seaports, airports, unl)
    tables = {
        "seaports.csv": seaports,
        "airports.csv": airports,
        "inland_nodes.csv": inland_nodes(unl),
        "customs_ports.csv": customs_ports(flows, gaz, load_curation()),
    }
    check_outputs(tables, values)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_csv(table, out / name)
        print(f"wrote {out / name}: {len(table)} rows")
    ports = tables["customs_ports.csv"]
    cov = coverage(ports, values)
    print(
        f"customs ports with coordinates: {cov['with_coords']}/{cov['ports']} "
        f"({cov['share_ports']:.1%}); share of FY2023-24 export value: {cov['share_value']:.2%}"
    )
    print("by kind:", ports["kind"].value_counts().to_dict())
    print("by match:", ports["match"].value_counts().to_dict())
    top = ports.assign(usd=ports["port_name"].map(values)).nlargest(TOP_N, "usd")
    for _, row in top[top["lat"].isna()].iterrows():
        print(f"note: top-{TOP_N} port without coordinates: {row['port_name']!r} ({row['note']})")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--raw`` (the raw snapshots) and ``--out`` (the package data folder)."""
    return run_main(build, "build_ports", __doc__ or "build_ports", argv)


if __name__ == "__main__":
    sys.exit(main())
