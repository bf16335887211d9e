"""name_key in Python and in SQL must agree, or crosswalk joins would miss spellings."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from dehub.reference.names import name_key, name_key_sql

_con = duckdb.connect()
_SQL = f"SELECT {name_key_sql('$1')}"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30))
def test_python_and_sql_name_keys_agree(text: str) -> None:
    assert _con.execute(_SQL, [text]).fetchone() == (name_key(text),)


def test_known_keys() -> None:
    assert name_key("Y.S.R.") == "YSR"
    assert name_key("Jammu & Kashmir") == name_key("JAMMU AND KASHMIR")
    assert name_key("  Ri-Bhoi ") == "RIBHOI"
    assert name_key("Côte d'Ivoire") == "COTEDIVOIRE"
