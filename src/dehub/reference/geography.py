"""Look up states and districts by LGD code or any known spelling, with suggestions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dehub.errors import InvalidInput, NotFound
from dehub.reference.names import name_key, suggest
from dehub.reference.tables import read_reference


@dataclass(frozen=True)
class State:
    """A state or union territory (LGD)."""

    code: str
    name: str


@dataclass(frozen=True)
class District:
    """A district (LGD) and its state."""

    code: str
    name: str
    state_code: str
    state_name: str


def _states() -> pd.DataFrame:
    return read_reference("states.csv").set_index("state_code")


def resolve_state(text: str) -> State:
    """The state named by an LGD code, ISO 3166-2 code or any known spelling."""
    states = _states()
    value = text.strip()
    if value in states.index:
        return State(value, str(states.loc[value, "state_name"]))
    aliases = read_reference("state_aliases.csv")
    hit = aliases.loc[aliases["key"] == name_key(value), "state_code"]
    if hit.empty:
        found = suggest(value, aliases["spelling"].dropna().tolist())
        hint = f"; did you mean {', '.join(repr(s) for s in found)}?" if found else ""
        raise NotFound(f"unknown state {text!r}{hint}")
    code = str(hit.iloc[0])
    return State(code, str(states.loc[code, "state_name"]))


def resolve_district(text: str, state: str | None = None) -> District:
    """The district named by an LGD code or any known spelling (within ``state`` if given).

    A spelling used in several states (Aurangabad, Bilaspur, Hamirpur, ...) needs the state or
    the LGD code; the error lists the candidates.
    """
    districts = read_reference("districts.csv").set_index("district_code")
    states = _states()
    value = text.strip()

    def make(code: str) -> District:
        row = districts.loc[code]
        st = str(row["state_code"])
        return District(code, str(row["district_name"]), st, str(states.loc[st, "state_name"]))

    state_code = resolve_state(state).code if state else None
    if value in districts.index and (
        state_code is None or districts.loc[value, "state_code"] == state_code
    ):
        return make(value)
    aliases = read_reference("district_aliases.csv")
    if state_code is not None:
        aliases = aliases[aliases["state_code"] == state_code]
    codes = sorted(set(aliases.loc[aliases["key"] == name_key(value), "district_code"]))
    if len(codes) == 1:
        return make(codes[0])
    if len(codes) > 1:
        options = ", ".join(f"{make(c).name} ({make(c).state_name}, LGD {c})" for c in codes)
        raise InvalidInput(
            f"{text!r} names several districts: {options}; give the state or the LGD code"
        )
    found = suggest(value, aliases["spelling"].dropna().tolist())
    where = f" in {resolve_state(state).name}" if state else ""
    hint = f"; did you mean {', '.join(repr(s) for s in found)}?" if found else ""
    raise NotFound(f"unknown district {text!r}{where}{hint}")
