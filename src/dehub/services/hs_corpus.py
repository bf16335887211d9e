"""The HS nomenclature as documents to search: one row per HS 2022 subheading (HS6) or per
ITC-HS 8-digit code, with the text of its parents, so that a short leaf ("OTHER", "Other than
pure-bred") inherits the meaning of its heading and chapter.

Built from the bundled ``hs_codes.csv`` (HS 2022) and ``itchs8.csv`` (ITC-HS, DGFT), plus two
curated tables that the finder uses (see DATA-SOURCES.md and docs/hs-find.md):

- ``hs_abbreviations.csv``: the ITC-HS text's abbreviations ("OTHR", "FBRCS", "SLK") and a few
  spelling normalisations, applied to documents and queries alike;
- ``hs_synonyms.csv``: Indian-English and Hindi trade words ("brinjal", "haldi", "diya") and
  American spellings, expanded in queries only, with a note on each.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import pandas as pd

from dehub.analytics.text_search import expand_words
from dehub.reference.tables import read_reference

Level = Literal["HS6", "HS8"]
LEVELS: tuple[Level, ...] = ("HS6", "HS8")


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """``abbreviation -> expansion`` (lower case words) from ``hs_abbreviations.csv``."""
    table = read_reference("hs_abbreviations.csv")
    return dict(zip(table["abbreviation"], table["expansion"], strict=True))


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """``word -> space-separated words`` added to a query (``hs_synonyms.csv``)."""
    table = read_reference("hs_synonyms.csv")
    return dict(zip(table["term"], table["expansion"], strict=True))


def expand_abbreviations(texts: pd.Series) -> pd.Series:
    """``texts`` normalised, each ITC-HS abbreviation written out (``OTHR`` -> ``other``)."""
    return expand_words(texts, abbreviations())


@lru_cache(maxsize=2)
def hs_documents(level: Level) -> pd.DataFrame:
    """The searchable codes of ``level`` with their texts, in code order.

    Columns: ``code`` (6 or 8 digits), ``description`` (as published), ``hs6``,
    ``hs6_description`` (HS 2022 text of the subheading; for HS6 the same as ``description``),
    ``heading`` / ``heading_description`` (HS4), ``chapter`` / ``chapter_description`` (HS2),
    ``children`` (HS6 only: the ITC-HS 8-digit descriptions under it, written out; empty for
    HS8), ``discontinued`` (``"true"`` for an ITC-HS code the list marks discontinued: still
    searchable, ranked after a live code of equal score, and flagged; it also lends its words
    to its HS6) and ``semantic_text`` (the text the embedding model reads: the code's own
    description, abbreviations written out)."""
    hs = read_reference("hs_codes.csv").set_index("code")["description"]
    itc = read_reference("itchs8.csv")
    itc = itc.assign(
        hs6=itc["hs8"].str[:6], plain=expand_abbreviations(itc["description"]).to_numpy()
    )
    if level == "HS6":
        codes = read_reference("hs_codes.csv")
        frame = codes.loc[codes["level"] == "6", ["code", "description"]].reset_index(drop=True)
        frame["hs6"] = frame["code"]
        children = itc.groupby("hs6")["plain"].agg("; ".join)
        frame["children"] = frame["hs6"].map(children).fillna("")
        frame["discontinued"] = "false"
    else:
        frame = itc[["hs8", "description", "hs6", "discontinued"]].rename(columns={"hs8": "code"})
        frame = frame.reset_index(drop=True).assign(children="")
    frame["hs6_description"] = frame["hs6"].map(hs).fillna("")
    frame["heading"] = frame["code"].str[:4]
    frame["heading_description"] = frame["heading"].map(hs).fillna("")
    frame["chapter"] = frame["code"].str[:2]
    frame["chapter_description"] = frame["chapter"].map(hs).fillna("")
    own = frame["description"] if level == "HS6" else expand_abbreviations(frame["description"])
    frame["semantic_text"] = own.str.slice(0, 300)
    return frame.sort_values("code").reset_index(drop=True).astype("string")


def lexical_fields(level: Level) -> list[tuple[pd.Series, float]]:
    """The fields BM25F indexes for ``level``, with their weights: the code's own text first
    (weight 1), then its children's text (HS6: 0.5) or its subheading's (HS8: 0.6), its
    heading's (0.4) and its chapter's (0.2)."""
    docs = hs_documents(level)
    second = (docs["children"], 0.5) if level == "HS6" else (docs["hs6_description"], 0.6)
    return [
        (docs["description"], 1.0),
        second,
        (docs["heading_description"], 0.4),
        (docs["chapter_description"], 0.2),
    ]
