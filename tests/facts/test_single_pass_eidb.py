"""The single-pass load and the full row checks agree on random files of the EIDB commodity x
country layout (``hs8, fy, country, value_usd_mn, quantity`` and maybe ``unit``): names of one
country added together, HS codes that lost a leading zero, rows with only a quantity (which this
layout keeps), rows with nothing, duplicates, bad or spaced values, and units (one per product,
several for one product, or not a unit) give the same store or the same refusal either way.
The property of :mod:`tests.facts.test_single_pass` on another layout; a file of its own so that
each file stays quick."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dehub.reference.names import name_key
from tests.facts import corpus as c
from tests.facts.test_single_pass import (
    EIDB_HEADER,
    assert_both_roads_agree,
    bad_value,
    empty_value,
    good_value,
    spaced_value,
)

HS8 = ["01012100", "12119080", "09041110", "1012100"]  # the last: 01012100 without its zero
COUNTRIES = [
    "U S A",
    "UNITED STATES",  # another name of USA: rows of both are added together
    "usa",  # 'U S A' in another case and spacing: the same name, so a duplicate
    "PANAMA C Z",
    "PANAMA REPUBLIC",  # both DGCI&S labels resolve to PAN
    "GERMANY",
]
ALIASES = [("U S A", "UNITED STATES"), ("usa", "UNITED STATES"), ("PANAMA C Z", "PANAMA REPUBLIC")]
"""Pairs of names of one country: each file has one, so that rows are often added together."""
UNITS = ["KGS", "NOS", "1000 NOS", "", "=X"]
"""Units of quantity: three real ones, an empty cell, and one refused as formula-like."""


def written_as(record: tuple[Any, ...]) -> tuple[Any, ...]:
    """A record's product, year and country as the checks compare them: HS codes ignoring a
    lost leading zero, names ignoring case and spaces (duplicates are records written alike)."""
    product, year, country = record[:3]
    return HS8[product].zfill(8), year, name_key(country)


@st.composite
def eidb_file_text(draw: st.DrawFn) -> str:
    """An EIDB-layout CSV, maybe with a ``unit`` column: records of :data:`HS8` x two years x
    :data:`COUNTRIES` with a value (US$ million) and a quantity, each good, spaced, empty or
    (in half the files) bad, so that some rows have only a quantity and some nothing; maybe
    repeated records and blank lines above some records. A product mostly keeps one unit, not
    always."""
    with_unit = draw(st.booleans())
    header = [*EIDB_HEADER, "unit"] if with_unit else EIDB_HEADER
    cells = [good_value, good_value, spaced_value, empty_value]
    if draw(st.booleans()):  # half the files may hold values the checks refuse
        cells.append(bad_value)
    own_unit = draw(st.lists(st.sampled_from(UNITS[:3]), min_size=3, max_size=3))
    # a few products, years and countries per file: records often share them, so that names
    # of one country meet (and are added together), as do duplicates
    products = draw(st.lists(st.integers(0, len(HS8) - 1), min_size=1, max_size=2, unique=True))
    years = draw(st.lists(st.sampled_from(["2023-24", "2024-25"]), min_size=1, max_size=2))
    countries = [*draw(st.sampled_from(ALIASES)), *draw(st.lists(st.sampled_from(COUNTRIES)))]
    record = st.tuples(
        st.sampled_from(products),
        st.sampled_from(years),
        st.sampled_from(countries),
        st.one_of(cells),  # value
        st.one_of(cells),  # quantity
        st.sampled_from([*[None] * 4, *UNITS]),  # None: the product's own unit
        st.sampled_from([0, 0, 0, 0, 1, 2]),  # blank lines above the record
    )
    # mostly no two records written as one fact (product, year and country name), so that
    # most files load; else some may be duplicates
    unique = draw(st.sampled_from([True, True, True, False]))
    records = draw(
        st.lists(record, min_size=2, max_size=7, unique_by=written_as if unique else None)
    )
    repeats = draw(st.lists(st.integers(0, 6), max_size=1 if draw(st.booleans()) else 0))
    text = c.csv_text([], header)
    for hs8, fy, country, value, qty, unit, blanks in records + [
        records[i % len(records)] for i in repeats
    ]:
        row = [HS8[hs8], fy, country, value, qty]
        if with_unit:  # 1012100 (index 3) is 01012100 (index 0): the same product, same unit
            row.append(own_unit[hs8 % 3] if unit is None else unit)
        text += "\n" * blanks + c.row_text(row)
    return text


@settings(max_examples=20)
@given(text=eidb_file_text())
def test_single_pass_and_full_checks_agree_on_eidb_files(text: str) -> None:
    """Whatever the EIDB file, the store and the answer are the same with the single pass as
    with the full checks alone: same facts (quantity-only rows kept, names of one country added
    together), release metadata and notes, or the same refusal (exception, problems with their
    physical lines, quarantine report) — mixed units for a product included."""
    assert_both_roads_agree(text, "eidb.csv")
