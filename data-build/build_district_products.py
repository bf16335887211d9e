"""Build the district products: the ODOP list, the PMFME food ODOP list and the GI registry,
every row joined to LGD states and districts.

Inputs (read-only, under ``--raw``): ``odop_kidharmilega/odop_products_by_district.csv``,
``pmfme_odop_partial/pmfme_odop_6_states.csv``, ``gi_registry_india/registered_gi_india.csv``;
the geography crosswalks already built in ``--out`` (``state_aliases.csv``,
``district_aliases.csv``, ``country_aliases.csv``); the hand-curated GI places
``data-build/curated/products_gi_districts.csv`` (every row with a ``note``).

Outputs: ``district_products.csv`` under ``--out`` (one row per source row and place; see
DATA-SOURCES.md) and the reviewable report ``data-build/reports/district_products_unmatched.csv``
(every row that is not joined to a district, with the reason). Nothing is dropped: the build
fails if a state spelling is unknown or a row is lost, and prints every unmatched row.

How rows are joined:
- ODOP and PMFME: (state, district) through the state and district crosswalks (the same
  ``name_key`` rule as ingest). A district missing from the LGD snapshot (created since) keeps
  its state and is reported.
- GI: one row per State column (multi-state GIs give several rows); a foreign GI (the State
  column names a country) keeps its ISO3 code and no Indian place. The district comes from, in
  order: the curated GI places; an ODOP row of the same state whose product has the same name
  key; a district spelling of the state that appears as whole words in the GI name (only when
  exactly one district does). Otherwise the GI is joined to its state only and reported.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd
from buildkit import BuildError, read_csv, run_main, write_csv

from dehub.reference.names import name_key

HERE = Path(__file__).resolve().parent
CURATED = HERE / "curated"
REPORTS = HERE / "reports"

COLUMNS = [
    "entry_id",
    "list",
    "product",
    "product_key",
    "state_code",
    "district_code",
    "country_iso3",
    "rank",
    "goods_class",
    "match",
    "source_state",
    "source_district",
]
#: GI goods classes as published (several spellings) -> one label.
GOODS_CLASSES = {
    "Handicraft": "Handicraft",
    "Handicrafts": "Handicraft",
    "Agricultural": "Agricultural",
    "Agriculture": "Agricultural",
    "Manufactured": "Manufactured",
    "Food Stuff": "Foodstuff",
    "Food stuff": "Foodstuff",
    "Natural": "Natural goods",
    "Natural Goods": "Natural goods",
}
#: District spellings shorter than this many characters (as a key) are not searched for in
#: GI names: "Mau", "Una", "Goa" are words of other names too.
MIN_DISTRICT_KEY = 4
_WORD = re.compile(r"[^A-Z0-9]+")


def words(text: str) -> str:
    """Upper-case words of ``text`` joined by single spaces, padded with a space each side
    (so that ``" KOTA "`` is found in ``" KOTA DORIA "`` but not in ``" KOTAPAD "``)."""
    decomposed = unicodedata.normalize("NFD", text.replace("&", " and "))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return " " + " ".join(w for w in _WORD.split(plain) if w) + " "


def _state_codes(spellings: pd.Series, out: Path) -> pd.Series:
    lookup = read_csv(out / "state_aliases.csv").set_index("key")["state_code"]
    return spellings.map(name_key).map(lookup)


def _district_lookup(out: Path) -> pd.DataFrame:
    aliases = read_csv(out / "district_aliases.csv")
    return aliases[["state_code", "key", "district_code"]].drop_duplicates(["state_code", "key"])


def _join_districts(frame: pd.DataFrame, out: Path) -> pd.DataFrame:
    """Add ``state_code``, ``district_code`` and ``match`` to a frame with ``source_state`` and
    ``source_district``; unknown states fail the build."""
    frame = frame.assign(state_code=_state_codes(frame["source_state"], out))
    if frame["state_code"].isna().any():
        bad = frame.loc[frame["state_code"].isna(), "source_state"].unique().tolist()
        raise BuildError(f"state spellings without an alias: {bad}")
    frame = frame.assign(key=frame["source_district"].map(name_key)).merge(
        _district_lookup(out), on=["state_code", "key"], how="left", validate="many_to_one"
    )
    found = frame["district_code"].notna()
    frame["match"] = "district spelling"
    frame.loc[~found, "match"] = "state only: district not in the LGD list (created since?)"
    return frame.drop(columns="key").fillna({"district_code": ""})


def _list_rows(src: pd.DataFrame, name: str, product: str, rank: str | None) -> pd.DataFrame:
    """The common columns of a district list (ODOP or PMFME) before the join."""
    return pd.DataFrame(
        {
            "entry_id": [f"{name}-{i:04d}" for i in range(1, len(src) + 1)],
            "list": name,
            "product": src[product].str.strip().str.replace(r"\s+", " ", regex=True),
            "rank": src[rank].str.strip() if rank else "",
            "goods_class": "",
            "country_iso3": "",
            "source_state": src["state"].str.strip(),
            "source_district": src["district"].str.strip(),
        }
    )


def odop_rows(raw: Path, out: Path) -> pd.DataFrame:
    """The ODOP list joined to LGD; ``rank`` = the source's Primary/Secondary/... label."""
    src = read_csv(raw / "odop_kidharmilega" / "odop_products_by_district.csv")
    return _join_districts(_list_rows(src, "odop", "odop_product", "product_rank_in_source"), out)


def pmfme_rows(raw: Path, out: Path) -> pd.DataFrame:
    """The PMFME food ODOP list (6 states) joined to LGD."""
    src = read_csv(raw / "pmfme_odop_partial" / "pmfme_odop_6_states.csv")
    return _join_districts(_list_rows(src, "pmfme", "pmfme_odop_product", None), out)


def _gi_long(raw: Path, out: Path) -> pd.DataFrame:
    """One row per GI and State column; foreign GIs resolved to ISO3."""
    src = read_csv(raw / "gi_registry_india" / "registered_gi_india.csv")
    unknown = set(src["Goods"].str.strip()) - set(GOODS_CLASSES)
    if unknown:
        raise BuildError(f"unknown GI goods classes {unknown}")
    base = pd.DataFrame(
        {
            "entry_id": [f"gi-{i:04d}" for i in range(1, len(src) + 1)],
            "list": "gi",
            "product": src["Geographical Indications"]
            .str.strip()
            .str.replace(r"\s+", " ", regex=True),
            "rank": "",
            "goods_class": src["Goods"].str.strip().map(GOODS_CLASSES),
        }
    )
    state_cols = [c for c in src.columns if re.fullmatch(r"State( \d)?", c)]
    long = (
        pd.concat([base.assign(source_state=src[c].str.strip()) for c in state_cols])
        .query("source_state != ''")
        .reset_index(drop=True)
    )
    missing = set(base["entry_id"]) - set(long["entry_id"])
    if missing:
        raise BuildError(f"GI rows without any State: {sorted(missing)}")
    long["state_code"] = _state_codes(long["source_state"], out)
    # two former UTs merged into one (Warli Painting: Dadra & Nagar Haveli, Daman & Diu)
    long = long[~(long["state_code"].notna() & long.duplicated(["entry_id", "state_code"]))]
    countries = read_csv(out / "country_aliases.csv").drop_duplicates("key")
    iso3 = long["source_state"].map(name_key).map(countries.set_index("key")["iso3"])
    foreign = long["state_code"].isna()
    long["country_iso3"] = iso3.where(foreign, "IND")
    if long.loc[foreign, "country_iso3"].isna().any():
        bad = long.loc[foreign & iso3.isna(), "source_state"].unique().tolist()
        raise BuildError(f"GI State values that are neither a state nor a country: {bad}")
    long["source_district"] = ""
    return long.fillna({"state_code": ""})


def _gi_by_words(gi: pd.DataFrame, out: Path) -> pd.Series:
    """District code of each GI row whose name contains, as whole words, the spelling of
    exactly one district of its state ("" otherwise)."""
    aliases = read_csv(out / "district_aliases.csv")
    aliases = aliases[aliases["key"].str.len() >= MIN_DISTRICT_KEY]
    aliases = aliases.assign(w=aliases["spelling"].map(words))
    states = read_csv(out / "state_aliases.csv")
    state_words = states.assign(w=states["spelling"].map(words)).groupby("state_code")["w"]

    def without_state(product: str, state_code: str) -> str:
        # "Padauk Wood Craft of Andaman & Nicobar" must not match the district Nicobars
        text = words(product)
        for w in sorted(state_words.get_group(state_code), key=len, reverse=True):
            text = text.replace(w, " ")
        return text

    gi = gi.assign(
        name=[without_state(p, s) for p, s in zip(gi["product"], gi["state_code"], strict=True)]
    )
    pairs = gi[["entry_id", "state_code", "name"]].merge(
        aliases[["state_code", "district_code", "w"]], on="state_code"
    )
    hit = pairs[[w in n for w, n in zip(pairs["w"], pairs["name"], strict=True)]]
    unique = hit.groupby(["entry_id", "state_code"])["district_code"].agg(
        lambda s: s.iloc[0] if s.nunique() == 1 else ""
    )
    index = pd.MultiIndex.from_frame(gi[["entry_id", "state_code"]])
    return pd.Series(unique.reindex(index).fillna("").to_numpy(), index=gi.index)


def gi_rows(raw: Path, out: Path, odop: pd.DataFrame) -> pd.DataFrame:
    """The GI registry joined to states (all Indian GIs) and to districts where known."""
    gi = _gi_long(raw, out)
    curated = read_csv(CURATED / "products_gi_districts.csv")
    if (curated["note"].str.strip() == "").any():
        raise BuildError("products_gi_districts.csv: every row needs a note")
    stale = set(curated["product"]) - set(gi["product"])
    if stale:
        raise BuildError(f"products_gi_districts.csv names unknown GIs: {sorted(stale)}")
    gi["district_code"] = ""
    gi["match"] = ""
    # 1. curated places (a GI may be curated to several districts: one row each)
    cur = gi.merge(curated[["product", "district_code", "note"]], on="product", suffixes=("", "_c"))
    districts = read_csv(out / "districts.csv").set_index("district_code")["state_code"]
    cur = cur[cur["district_code_c"].map(districts) == cur["state_code"]]
    never = set(curated["product"]) - set(cur["product"])
    if never:
        raise BuildError(f"curated GI districts outside the GI's states: {sorted(never)}")
    cur = cur.assign(district_code=cur["district_code_c"], match="curated: " + cur["note"])
    done = gi["entry_id"].isin(cur["entry_id"]) & gi["state_code"].isin(cur["state_code"])
    rest = gi[~done].copy()
    # 2. the same product name as an ODOP row of the state
    same = odop[odop["district_code"] != ""][["state_code", "product_key", "district_code"]]
    same = same.drop_duplicates(["state_code", "product_key"])
    rest["product_key"] = rest["product"].map(name_key)
    by_odop = rest[["state_code", "product_key"]].merge(same, how="left")["district_code"]
    rest["district_code"] = by_odop.fillna("").to_numpy()
    rest.loc[rest["district_code"] != "", "match"] = "same name as the district's ODOP product"
    # 3. a district named in the GI name
    todo = (rest["district_code"] == "") & (rest["country_iso3"] == "IND")
    named = _gi_by_words(rest[todo], out)
    rest.loc[named.index, "district_code"] = named
    rest.loc[named.index[named != ""], "match"] = "district named in the GI name"
    rest.loc[(rest["district_code"] == "") & (rest["country_iso3"] == "IND"), "match"] = (
        "state only: the GI name names no single district"
    )
    rest.loc[rest["country_iso3"] != "IND", "match"] = "foreign GI: no Indian place"
    out_frame = pd.concat([cur.drop(columns=["district_code_c", "note"]), rest])
    out_frame["country_iso3"] = out_frame["country_iso3"].where(
        out_frame["country_iso3"] != "IND", ""
    )
    return out_frame


def build(raw: Path, out: Path) -> None:
    """Build ``district_products.csv`` and the unmatched report."""
    odop = odop_rows(raw, out)
    odop["product_key"] = odop["product"].map(name_key)
    pmfme = pmfme_rows(raw, out)
    gi = gi_rows(raw, out, odop)
    table = pd.concat([odop, pmfme, gi], ignore_index=True)
    table["product_key"] = table["product"].map(name_key)
    table = table[COLUMNS].fillna("")
    order = table["entry_id"].str.extract(r"^(\w+)-(\d+)$")
    table = (
        table.assign(_l=order[0].map({"odop": 0, "pmfme": 1, "gi": 2}), _n=order[1].astype(int))
        .sort_values(["_l", "_n", "state_code"])
        .drop(columns=["_l", "_n"])
    )
    for name, n_source in (
        ("odop", len(read_csv(raw / "odop_kidharmilega" / "odop_products_by_district.csv"))),
        ("pmfme", len(read_csv(raw / "pmfme_odop_partial" / "pmfme_odop_6_states.csv"))),
        ("gi", len(read_csv(raw / "gi_registry_india" / "registered_gi_india.csv"))),
    ):
        got = table.loc[table["list"] == name, "entry_id"].nunique()
        if got != n_source:
            raise BuildError(f"{name}: {n_source} source rows but {got} in the output")
    unmatched = table[table["district_code"] == ""]
    write_csv(table, out / "district_products.csv")
    write_csv(unmatched, REPORTS / "district_products_unmatched.csv")
    for name, part in table.groupby("list", sort=False):
        entries = part["entry_id"].nunique()
        with_district = part.loc[part["district_code"] != "", "entry_id"].nunique()
        print(f"{name}: {entries} entries, {len(part)} rows, {with_district} joined to a district")
        for match, count in part["match"].str.split(":").str[0].value_counts().items():
            print(f"  {match}: {count}")
    print(f"rows not joined to a district: {len(unmatched)} (see {REPORTS.name}/)")
    for r in unmatched.itertuples():
        where = f"{r.source_state} / {r.source_district}" if r.source_district else r.source_state
        print(f"  {r.entry_id} {r.list}: {where}: {r.product} ({r.match})")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--raw`` (the raw snapshots) and ``--out`` (the package data folder)."""
    return run_main(build, "build_district_products", __doc__ or "", argv)


if __name__ == "__main__":
    sys.exit(main())
