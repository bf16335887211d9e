"""A progress display for long loads: the stage, and DuckDB's own progress of the running query."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from dehub.cli.output import err
from dehub.facts.ingest import Progress


@contextmanager
def load_progress(label: str, enabled: bool) -> Iterator[Progress]:
    """Yield a ``stage(name)`` callback; when ``enabled`` (a terminal), show a bar on stderr.

    The bar follows ``duckdb.query_progress()`` of the store's connection, polled in a thread:
    DuckDB releases the GIL while it reads, so polling costs nothing measurable.
    """
    if not enabled:
        yield lambda _stage, _con: None
        return
    progress = RichProgress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = progress.add_task(label, total=100)
    stop = threading.Event()
    running: dict[str, duckdb.DuckDBPyConnection] = {}

    def poll() -> None:
        while not stop.wait(0.2):
            con = running.get("con")
            if con is None:
                continue
            try:
                pct = con.query_progress()
            except duckdb.Error:  # between queries
                continue
            if pct >= 0:
                progress.update(task, completed=pct)

    def stage(name: str, con: duckdb.DuckDBPyConnection) -> None:
        running["con"] = con
        progress.update(task, description=f"{label}: {name}", completed=0)

    thread = threading.Thread(target=poll, daemon=True)
    with progress:
        thread.start()
        try:
            yield stage
        finally:
            stop.set()
            thread.join()
