"""Search over every name the platform knows: districts, states, HS codes, sectors, countries.

The index is one DataFrame with a row per *spelling* of an entity (a district's LGD name and
each alias such as "Gurgaon"; a country's name, ISO codes and DGCI&S spellings such as
"U S A"; an HS code and its description), built once per process from the reference tables
(:func:`search_index`, cached). A query is answered with vectorised pandas string operations
over that frame, never a Python loop over rows:

1. **exact**: the query's :func:`~dehub.reference.names.name_key` equals a spelling's key
   (``0904.11`` -> ``090411``; ``U S A`` -> ``USA``);
2. **prefix**: a spelling's key starts with the query's key (``0904`` -> ``090411``...);
3. **words**: every word of the query (of two or more letters) starts a word of the spelling
   (``basmati rice`` -> "BASMATI RICE", "RICE EXCPTG PARBOILED (EXCL BASMATI RICE)").

Ties are broken by kind (district, state, country, sector, product), then shorter codes (an HS
chapter before its headings), then name. Each entity appears once, at its best match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from dehub.reference.names import name_key
from dehub.reference.tables import read_reference

KINDS = ("district", "state", "country", "sector", "product")
"""Result kinds in tie-break order."""
MATCHES = ("exact", "prefix", "words")
MAX_LIMIT = 100
_WORD = re.compile(r"[^A-Z0-9]+")


def _key(s: pd.Series) -> pd.Series:
    """:func:`~dehub.reference.names.name_key` of every spelling, vectorised."""
    plain = s.astype("string").str.normalize("NFD").str.replace(r"[\u0300-\u036f]", "", regex=True)
    upper = plain.str.upper().str.replace("&", " AND ", regex=False)
    return upper.str.replace(r"[^A-Z0-9]", "", regex=True)


def _words(s: pd.Series) -> pd.Series:
    """Spellings as `` WORD WORD `` (upper case, padded) for word-prefix matching."""
    plain = s.astype("string").str.normalize("NFD").str.replace(r"[\u0300-\u036f]", "", regex=True)
    upper = plain.str.upper().str.replace("&", " AND ", regex=False)
    return " " + upper.str.replace(r"[^A-Z0-9]+", " ", regex=True).str.strip() + " "


def _frame(kind: str, code: Any, name: Any, detail: Any, url: Any, spelling: Any) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": kind,
            "code": code,
            "name": name,
            "detail": detail,
            "url": url,
            "spelling": spelling,
        }
    )


def _places() -> list[pd.DataFrame]:
    states = read_reference("states.csv").set_index("state_code")
    districts = read_reference("districts.csv").set_index("district_code")
    d_alias = read_reference("district_aliases.csv")
    d_codes = pd.concat([pd.Series(districts.index), d_alias["district_code"]], ignore_index=True)
    d_spell = pd.concat([districts["district_name"], d_alias["spelling"]], ignore_index=True)
    d_state = d_codes.map(districts["state_code"]).map(states["state_name"])
    s_alias = read_reference("state_aliases.csv")
    s_codes = pd.concat([pd.Series(states.index), s_alias["state_code"]], ignore_index=True)
    s_spell = pd.concat([states["state_name"], s_alias["spelling"]], ignore_index=True)
    return [
        _frame(
            "district",
            d_codes,
            d_codes.map(districts["district_name"]),
            d_state,
            "/districts/" + d_codes,
            d_spell,
        ),
        _frame(
            "state",
            s_codes,
            s_codes.map(states["state_name"]),
            s_codes.map(states["kind"]).map({"State": "State", "UT": "Union territory"}),
            "/states/" + s_codes,
            s_spell,
        ),
    ]


def _countries() -> pd.DataFrame:
    countries = read_reference("countries.csv").set_index("iso3")
    aliases = read_reference("country_aliases.csv")
    codes = pd.concat([pd.Series(countries.index), aliases["iso3"]], ignore_index=True)
    codes = codes[codes.isin(countries.index)].reset_index(drop=True)
    spell = pd.concat([countries["name"], aliases["spelling"]], ignore_index=True)
    spell = spell[spell.index.isin(codes.index)]
    region = countries["sub_region"].fillna(countries["region"]).fillna("")
    return _frame(
        "country",
        codes,
        codes.map(countries["name"]),
        codes.map(region),
        "/markets/" + codes,
        spell,
    )


def _products() -> list[pd.DataFrame]:
    sectors = read_reference("sectors.csv")
    plain_label = sectors["label"].str.replace(r"\s*\(HS[^)]*\)", "", regex=True)
    sector_rows = [
        _frame(
            "sector",
            sectors["sector"],
            sectors["label"],
            "Sector of the district data",
            "/products/" + sectors["sector"],
            spelling,
        )
        for spelling in (sectors["sector"], plain_label, sectors["label"])
    ]
    hs = read_reference("hs_codes.csv")
    itc = read_reference("itchs8.csv").rename(columns={"hs8": "code"})
    codes = pd.concat([hs[["code", "description"]], itc[["code", "description"]]])
    codes = codes.drop_duplicates("code").reset_index(drop=True)
    detail = "HS" + codes["code"].str.len().astype(str)
    product_rows = [
        _frame(
            "product",
            codes["code"],
            codes["description"],
            detail,
            "/products/" + codes["code"],
            spelling,
        )
        for spelling in (codes["code"], codes["description"])
    ]
    return [*sector_rows, *product_rows]


@lru_cache(maxsize=1)
def search_index() -> pd.DataFrame:
    """Every spelling of every searchable entity, built once per process.

    Columns: ``kind`` (see :data:`KINDS`), ``code`` (LGD code, ISO3, sector slug or HS code),
    ``name`` (display name), ``detail`` (a district's state, a country's region, an HS
    level...), ``url`` (its page), ``spelling`` (the matched text), ``key`` (its name key),
    ``words`` (its words, padded), ``kind_order``, ``code_len``."""
    frame = pd.concat([*_places(), _countries(), *_products()], ignore_index=True)
    frame = frame.dropna(subset=["code", "spelling"])
    frame["detail"] = frame["detail"].fillna("")
    frame["key"] = _key(frame["spelling"])
    frame["words"] = _words(frame["spelling"])
    frame["name_key"] = _key(frame["name"])
    frame["kind_order"] = frame["kind"].map({k: i for i, k in enumerate(KINDS)})
    frame["code_len"] = frame["code"].str.len()
    frame = frame[frame["key"] != ""].drop_duplicates(["kind", "code", "key"])
    return frame.reset_index(drop=True)


def search(query: str, *, limit: int = 20, kinds: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Entities matching ``query``, best first (see the module docstring for the ranking).

    Output: ``query``, ``total`` (entities matched), and ``results``: up to ``limit`` dicts of
    ``kind``, ``code``, ``name``, ``detail`` (a matched alias is named there: "Haryana ·
    “Gurgaon”"), ``url``, ``match`` (``exact``, ``prefix`` or ``words``)."""
    qkey = name_key(query)
    if not qkey:
        return {"query": query, "total": 0, "results": []}
    index = search_index()
    if kinds is not None:
        index = index[index["kind"].isin(kinds)]
    keys = index["key"]
    exact = (keys == qkey).to_numpy()
    prefix = keys.str.startswith(qkey).to_numpy()
    words = [w for w in _WORD.split(_plain_upper(query)) if len(w) > 1]
    by_words = np.full(len(index), bool(words))
    for w in words:
        by_words &= index["words"].str.contains(" " + w, regex=False).to_numpy()
    score = np.select([exact, prefix, by_words], [0, 1, 2], default=-1)
    hits = index.assign(score=score)[score >= 0]
    hits = hits.sort_values(["score", "kind_order", "code_len", "code", "spelling"])
    hits = hits.drop_duplicates(["kind", "code"])
    top = hits.head(limit)
    alias = top["key"] != top["name_key"]
    alias &= top["kind"].isin(("district", "state", "country")) & (top["score"] < 2)
    detail = top["detail"].where(~alias, top["detail"] + " · “" + top["spelling"] + "”")
    detail = detail.str.lstrip(" ·")
    results = pd.DataFrame(
        {
            "kind": top["kind"],
            "code": top["code"],
            "name": top["name"],
            "detail": detail,
            "url": top["url"],
            "match": top["score"].map(dict(enumerate(MATCHES))),
        }
    )
    records: list[dict[str, Any]] = results.astype(object).to_dict("records")  # type: ignore[assignment]
    return {"query": query, "total": int(len(hits)), "results": records}


def _plain_upper(text: str) -> str:
    """``text`` without accents, upper case, ``&`` read as ``AND`` (as :func:`name_key`)."""
    decomposed = unicodedata.normalize("NFD", text)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c)).upper().replace("&", " AND ")
    )


def group_by_kind(results: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Results grouped by kind in :data:`KINDS` order (for the search page), ranks kept."""
    groups = [(k, [r for r in results if r["kind"] == k]) for k in KINDS]
    return [(k, rows) for k, rows in groups if rows]
