"""Looking up districts and states the way users type them."""

from __future__ import annotations

import pytest

from dehub.errors import InvalidInput, NotFound
from dehub.reference.geography import resolve_district, resolve_state


@pytest.mark.parametrize(
    ("text", "state", "code"),
    [
        ("Ahmedabad", None, "438"),
        ("AHMADABAD", None, "438"),
        ("438", None, "438"),
        ("Ri-Bhoi", None, "276"),
        ("Gurgaon", None, "62"),
        ("Aurangabad", "Bihar", "189"),
        ("aurangabad", "MH", "469"),
    ],
)
def test_district_spellings(text: str, state: str | None, code: str) -> None:
    assert resolve_district(text, state).code == code


def test_ambiguous_names_list_the_candidates() -> None:
    with pytest.raises(InvalidInput, match="Bihar.*Maharashtra"):
        resolve_district("Aurangabad")


def test_unknown_names_get_suggestions() -> None:
    with pytest.raises(NotFound, match="did you mean 'Ahmedabad'"):
        resolve_district("Ahmedbad")
    with pytest.raises(NotFound, match="unknown state 'Gujrat'; did you mean"):
        resolve_state("Gujrat")


def test_states() -> None:
    assert resolve_state("Orissa").name == "Odisha"
    assert resolve_state("IN-GJ").code == "24"
