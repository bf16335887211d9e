"""Recognising DGCI&S period columns and layouts."""

from __future__ import annotations

import pytest

from dehub.errors import InvalidInput
from dehub.facts.layouts import dgcis_period
from dehub.facts.schema import period_kind


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("April, 24 To March, 25 Value(US $)", ("2024-25", "usd", 1.0)),
        ("April, 24 To March, 25 Value(INR)", ("2024-25", "inr", 1.0)),
        ("April, 2023 To March, 2024 Value (US $)", ("2023-24", "usd", 1.0)),
        ("Apr, 24 To Apr, 24 Value(US $)", ("2024-04", "usd", 1.0)),
        ("April, 24 To March, 25 Quantity", ("2024-25", "qty", 1.0)),
        ("April, 24 To March, 25 Value(Rs. Lacs)", ("2024-25", "inr", 1e5)),
        ("April, 24 To March, 25 Value(US $ Million)", ("2024-25", "usd", 1e6)),
        ("Commodity Description", None),
        ("HS Code", None),
    ],
)
def test_dgcis_period_columns(column: str, expected: tuple[str, str, float] | None) -> None:
    assert dgcis_period(column) == expected


def test_part_year_column_is_refused_with_a_reason() -> None:
    with pytest.raises(InvalidInput, match="whole financial years"):
        dgcis_period("April, 24 To September, 24 Value(US $)")


def test_unknown_value_unit_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown value unit 'EUR'"):
        dgcis_period("April, 24 To March, 25 Value(EUR)")


@pytest.mark.parametrize(
    ("period", "kind"),
    [
        ("2024-25", "FY"),
        ("1999-00", "FY"),
        ("2024-04", "month"),
        ("2024-13", None),
        ("2024-26", None),
        ("2024", None),
        ("FY25", None),
        ("2024-2025", None),
    ],
)
def test_period_kind(period: str, kind: str | None) -> None:
    assert period_kind(period) == kind
