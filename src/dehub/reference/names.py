"""Name keys: the one normalisation used to match place and country spellings.

The same rule exists as SQL (:data:`NAME_KEY_SQL`) so that the facts store can join
millions of rows to the crosswalks without a Python loop. Keep the two in step; a test
checks that they agree.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def name_key(text: str) -> str:
    """Return the matching key of a spelling: accents stripped, upper case, ``&`` read as
    ``AND``, every character other than A-Z and 0-9 removed.

    >>> name_key("Y.S.R.")
    'YSR'
    >>> name_key("Jammu & Kashmir")
    'JAMMUANDKASHMIR'
    >>> name_key("Côte d'Ivoire")
    'COTEDIVOIRE'
    """
    decomposed = unicodedata.normalize("NFD", text)
    # upper-case letter by letter, never expanding one letter into two (as DuckDB's upper())
    plain = "".join(
        c.upper() if len(c.upper()) == 1 else c for c in decomposed if not unicodedata.combining(c)
    )
    return _NOT_ALNUM.sub("", plain.replace("&", " AND "))


def name_key_sql(expr: str) -> str:
    """The SQL (DuckDB) expression computing :func:`name_key` of ``expr``."""
    return (
        f"regexp_replace(replace(upper(strip_accents({expr})), '&', ' AND '), '[^A-Z0-9]', '', 'g')"
    )


def suggest(value: str, spellings: list[str], n: int = 3) -> list[str]:
    """Up to ``n`` known spellings closest to ``value`` (difflib ratio on name keys)."""
    by_key: dict[str, str] = {}
    for s in spellings:
        by_key.setdefault(name_key(s), s)
    keys = difflib.get_close_matches(name_key(value), list(by_key), n=n, cutoff=0.6)
    return [by_key[k] for k in keys]
