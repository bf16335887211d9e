"""Results of service calls cached until the facts store changes.

Pages and API routes ask the same questions many times (the national overview, a district's
profile). Answers depend only on the facts store, which changes only when data is ingested, so
each answer is kept until the store file's modification time or size (or its write-ahead log's)
changes. Reads open the store read-only and only on a miss, so ``dehub ingest`` can run while
the server is up.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from dehub.services import search

T = TypeVar("T")


class ResultCache:
    """A bounded LRU map from a question to its answer, cleared when the store changes."""

    def __init__(self, store_path: Path, max_entries: int = 4096) -> None:
        self._paths = (store_path, store_path.with_name(store_path.name + ".wal"))
        self._max = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._stamp: tuple[tuple[int, int], ...] | None = None
        self._lock = threading.Lock()

    def _current_stamp(self) -> tuple[tuple[int, int], ...]:
        stamps = []
        for path in self._paths:
            try:
                st = os.stat(path)
            except FileNotFoundError:
                stamps.append((0, 0))
            else:
                stamps.append((st.st_mtime_ns, st.st_size))
        return tuple(stamps)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached answer to ``key``, computing (and keeping) it on a miss.

        Errors are not cached: a question that failed is asked again next time."""
        stamp = self._current_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._entries.clear()
                self._stamp = stamp
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            if self._stamp == stamp:
                self._entries[key] = value
                while len(self._entries) > self._max:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._entries.clear()


@lru_cache(maxsize=4096)
def search_answer(query: str, limit: int) -> dict[str, Any]:
    """:func:`dehub.services.search.search` of ``query``, kept per process (the search index is
    built from the bundled reference tables, never from the store, so an answer cannot go
    stale). The autocomplete asks the same prefixes over and over; a miss costs ~10 ms of CPU.
    The answer is shared: read it, do not change it."""
    return search.search(query, limit=limit)
