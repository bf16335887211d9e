"""HS finder: accuracy on the labelled set (tests/data/hs_find_eval.csv) by mode, and query
latency. Run: ``.venv/bin/python benchmarks/hs_find_benchmark.py`` (figures in docs/hs-find.md).

Cold = a fresh process's first query (builds the BM25 index, loads the model and the bundled
vectors); warm = the median of the labelled queries after it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "hs_find_eval.csv"
COLD = """
import time, sys
from pathlib import Path
t = time.perf_counter()
from dehub.services.hs_finder import find_hs
from dehub.settings import Settings
found = find_hs("brass puja lamps", Settings(home=Path(sys.argv[1])), mode=sys.argv[2])
print(round((time.perf_counter() - t) * 1000), found["method"])
"""


def main() -> None:
    from dehub.services.hs_finder_eval import accuracy, load_eval_set
    from dehub.settings import Settings

    labelled = load_eval_set(EVAL)
    with tempfile.TemporaryDirectory() as home:
        for mode in ("lexical", "semantic", "combined"):
            start = time.perf_counter()
            cold = subprocess.run(
                [sys.executable, "-c", COLD, home, mode], capture_output=True, text=True
            ).stdout.strip()
            result = accuracy(labelled, Settings(home=Path(home)), mode=mode)
            result.pop("missed")
            result["cold_first_query"] = cold
            result["seconds"] = round(time.perf_counter() - start, 1)
            print(json.dumps(result))


if __name__ == "__main__":
    main()
