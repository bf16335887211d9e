"""Accuracy of the HS finder on a labelled set (tests/data/hs_find_eval.csv; docs/hs-find.md).

A labelled item is a product phrase with one or more acceptable HS 2022 subheadings (an item
such as "brass puja lamps" may rightly be a lamp, 9405.50, or a base-metal ornament, 8306.29).
An item counts as found at HS6 within the top k when any of the first k codes is acceptable,
and at HS4 when any of their headings is the heading of an acceptable code.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dehub.services.hs_finder import find_hs
from dehub.settings import Settings


def load_eval_set(path: Path) -> pd.DataFrame:
    """The labelled set: ``query``, ``hs6`` (space-separated acceptable codes), ``source``,
    ``label_note``; plus ``codes`` (the list of acceptable HS6 codes)."""
    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    return frame.assign(codes=frame["hs6"].str.split())


def accuracy(
    labelled: pd.DataFrame, settings: Settings, *, mode: str = "combined", k: int = 5
) -> dict[str, Any]:
    """Top-1 and top-``k`` accuracy at HS4 and HS6 of ``mode`` over ``labelled``, the method
    actually used, the latency per query (ms, median and max) and the items missed at top-k
    HS6 (for review)."""
    hits = np.zeros((len(labelled), 4), dtype=bool)
    methods: set[str] = set()
    latency = []
    missed = []
    for i, (query, codes) in enumerate(zip(labelled["query"], labelled["codes"], strict=True)):
        start = time.perf_counter()
        found = find_hs(query, settings, top=k, mode=mode)
        latency.append((time.perf_counter() - start) * 1000)
        methods.add(found["method"])
        got = [r["code"] for r in found["results"]]
        want4 = {c[:4] for c in codes}
        hits[i] = [
            bool(got[:1]) and got[0][:4] in want4,
            any(c[:4] in want4 for c in got),
            bool(got[:1]) and got[0] in codes,
            any(c in codes for c in got),
        ]
        if not hits[i, 3]:
            missed.append({"query": query, "want": codes, "got": got})
    rates = hits.mean(axis=0)
    return {
        "mode": mode,
        "methods": sorted(methods),
        "items": len(labelled),
        "hs4_top1": float(rates[0]),
        f"hs4_top{k}": float(rates[1]),
        "hs6_top1": float(rates[2]),
        f"hs6_top{k}": float(rates[3]),
        "latency_ms_median": float(np.median(latency)) if latency else 0.0,
        "latency_ms_max": float(np.max(latency)) if latency else 0.0,
        "missed": missed,
    }
