"""Propose and keep the curated mapping of district products (ODOP, PMFME, GI) to HS codes.

Inputs: ``district_products.csv`` and the HS nomenclature (``hs_codes.csv``, ``itchs8.csv``)
under ``--out``; the keyword rules ``data-build/curated/products_hs_rules.csv``; and the curated
mapping itself, ``product_hs.csv`` under ``--out`` (if it exists). Output: ``product_hs.csv``.

The mapping has one row per product and HS code (a product may have several codes). A row's
``reviewed`` column says whether a person checked it:

- products with at least one ``reviewed = yes`` row are **never changed** by this script
  (their curated columns are kept as they are; edit the CSV to change them);
- every other product (new or unreviewed) gets fresh proposals: first from the rules (a
  regular expression on the lower-case product name -> HS codes, with the rule's confidence and
  one-line rationale; ``mode`` stop / add / fallback), else from keyword matching of the
  product's words against the HS 2022 and ITC-HS descriptions (confidence ``low``);
- a product that no list names any more is reported (its rows are kept: delete them by hand).

Every code must exist in the bundled nomenclature (HS 2022 at 2, 4 or 6 digits, ITC-HS at 8),
else the build fails. ``hs6``, ``hs8`` and ``description`` are derived (never edit them): an
8-digit code gives both; a 6-digit code gives ``hs8`` when the ITC-HS list has exactly one
current code under it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd
from buildkit import BuildError, read_csv, run_main, write_csv

HERE = Path(__file__).resolve().parent
RULES = HERE / "curated" / "products_hs_rules.csv"
FILE = "product_hs.csv"
COLUMNS = [
    "product_key",
    "product",
    "hs_code",
    "hs6",
    "hs8",
    "description",
    "confidence",
    "rationale",
    "basis",
    "reviewed",
]
#: The columns a curator edits; ``hs6``, ``hs8`` and ``description`` are derived from ``hs_code``.
CURATED_COLUMNS = [c for c in COLUMNS if c not in ("hs6", "hs8", "description")]
CONFIDENCES = ("high", "medium", "low")
#: Words that say nothing about the goods (places are removed separately).
STOPWORDS = frozenset(
    "and of the products product based items item goods craft crafts work works art based etc "
    "processing processed allied other others its made handmade hand traditional".split()
)
_WORD = re.compile(r"[a-z]+")


def plain(text: str) -> str:
    """Lower-case ASCII form of a product name (accents and curly quotes removed)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def nomenclature(out: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Descriptions of every HS 2022 (2/4/6-digit) and ITC-HS (8-digit) code, and the unique
    current ITC-HS child of each HS6 that has exactly one."""
    hs = read_csv(out / "hs_codes.csv")
    itc = read_csv(out / "itchs8.csv")
    labels = dict(zip(hs["code"], hs["description"], strict=True)) | dict(
        zip(itc["hs8"], itc["description"].str.capitalize(), strict=True)
    )
    current = itc[itc["discontinued"] != "true"]
    counts = current["hs8"].str[:6].value_counts()
    single = current[current["hs8"].str[:6].map(counts) == 1]
    return labels, dict(zip(single["hs8"].str[:6], single["hs8"], strict=True))


def rule_rows(name: str, rules: pd.DataFrame) -> list[dict[str, str]]:
    """The rows the rules give for one product name (empty if no rule matches)."""
    text = plain(name)
    rows: list[dict[str, str]] = []
    for rule in rules.itertuples(index=False):
        if rule.mode == "fallback" and rows:
            continue
        if not re.search(rule.pattern, text):
            continue
        codes = rule.codes.split() or [""]
        rows += [
            {
                "hs_code": code,
                "confidence": rule.confidence,
                "rationale": rule.rationale,
                "basis": f"rule {rule.rule}",
            }
            for code in codes
        ]
        if rule.mode in ("stop", "fallback"):
            break
    return rows


def keyword_rows(name: str, index: pd.DataFrame, places: frozenset[str]) -> list[dict[str, str]]:
    """Up to two HS6 codes whose descriptions share the most words with the product name."""
    words = {w for w in _WORD.findall(plain(name)) if len(w) > 2} - STOPWORDS - places
    if not words:
        return []
    score = index["words"].map(lambda ws: len(words & ws))
    best = index.assign(score=score).query("score > 0").nlargest(2, "score")
    return [
        {
            "hs_code": r.code,
            "confidence": "low",
            "rationale": "keyword proposal (not reviewed): "
            + ", ".join(sorted(words & r.words))
            + " in the HS description",
            "basis": "keyword",
        }
        for r in best.itertuples()
    ]


def propose(products: pd.DataFrame, out: Path) -> pd.DataFrame:
    """Rule or keyword proposals for each (product_key, product)."""
    rules = read_csv(RULES)
    bad = set(rules["confidence"]) - set(CONFIDENCES)
    if bad or set(rules["mode"]) - {"stop", "add", "fallback"}:
        raise BuildError(f"{RULES.name}: bad confidence or mode {bad}")
    for pattern in rules["pattern"]:
        re.compile(pattern)
    hs = read_csv(out / "hs_codes.csv")
    index = hs[hs["level"] == "6"].assign(
        words=lambda f: f["description"].map(lambda d: set(_WORD.findall(plain(d))))
    )[["code", "words"]]
    districts = read_csv(out / "district_aliases.csv")
    places = frozenset(w for s in districts["spelling"] for w in _WORD.findall(plain(s)))
    rows = []
    for key, name in products.itertuples(index=False):
        found = rule_rows(name, rules) or keyword_rows(name, index, places)
        if not found:
            found = [
                {
                    "hs_code": "",
                    "confidence": "low",
                    "rationale": "no proposal: no rule or HS description matches",
                    "basis": "none",
                }
            ]
        rows += [{"product_key": key, "product": name, **r, "reviewed": "no"} for r in found]
    # two rules may propose the same code ("Grapes/Raisins"): keep the first
    return pd.DataFrame(rows).drop_duplicates(["product_key", "hs_code"])


def complete(frame: pd.DataFrame, out: Path) -> pd.DataFrame:
    """Check every code against the nomenclature and fill ``hs6``, ``hs8``, ``description``."""
    labels, single = nomenclature(out)
    code = frame["hs_code"]
    unknown = frame[(code != "") & ~code.isin(list(labels))]
    if len(unknown):
        raise BuildError(
            "codes missing from the bundled nomenclature:\n"
            + unknown[["product", "hs_code", "basis"]].to_string(index=False)
        )
    twice = frame[frame.duplicated(["product_key", "hs_code"], keep=False)]
    if len(twice):
        raise BuildError("a code listed twice for a product:\n" + twice.to_string(index=False))
    bad = set(frame["confidence"]) - set(CONFIDENCES)
    if bad:
        raise BuildError(f"unknown confidence values {bad}")
    frame = frame.assign(
        hs6=code.str[:6].where(code.str.len() >= 6, ""),
        hs8=code.where(code.str.len() == 8, code.map(single).where(code.str.len() == 6, "")),
        description=code.map(labels),
    )
    return frame.fillna({"hs8": "", "description": ""})[COLUMNS]


def build(raw: Path, out: Path) -> None:
    """Keep the reviewed rows of ``product_hs.csv``, propose the others, write it back."""
    del raw  # every input is already in the package or in data-build/curated
    listed = read_csv(out / "district_products.csv")
    products = listed.drop_duplicates("product_key")[["product_key", "product"]]
    old = read_csv(out / FILE) if (out / FILE).exists() else pd.DataFrame(columns=COLUMNS)
    reviewed_keys = set(old.loc[old["reviewed"] == "yes", "product_key"])
    kept = old[old["product_key"].isin(reviewed_keys)]
    todo = products[~products["product_key"].isin(reviewed_keys)]
    stale = sorted(set(old["product_key"]) - set(products["product_key"]))
    fresh = propose(todo, out) if len(todo) else pd.DataFrame(columns=CURATED_COLUMNS)
    table = pd.concat([kept[CURATED_COLUMNS], fresh[CURATED_COLUMNS]], ignore_index=True)
    table = complete(table, out).sort_values(["product_key", "hs_code"], kind="stable")
    write_csv(table, out / FILE)
    print(f"products: {table['product_key'].nunique()} ({len(reviewed_keys)} reviewed, kept)")
    print(f"proposed now: {todo['product_key'].nunique()} products, {len(fresh)} rows")
    for column in ("confidence", "reviewed"):
        print(f"rows by {column}: {table[column].value_counts().to_dict()}")
    print(f"rows by basis: {table['basis'].str.split().str[0].value_counts().to_dict()}")
    if stale:
        print(f"in {FILE} but in no list any more ({len(stale)}): {', '.join(stale)}")
    missing = set(products["product_key"]) - set(table["product_key"])
    if missing:
        raise BuildError(f"products without a mapping row: {sorted(missing)}")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--raw`` (unused) and ``--out`` (the package data folder)."""
    return run_main(build, "build_product_hs", __doc__ or "", argv)


if __name__ == "__main__":
    sys.exit(main())
