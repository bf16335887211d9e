"""The HS code finder: free text ("brass puja lamps") -> ranked HS 2022 subheadings (HS6) or
ITC-HS 8-digit codes, each with why it matched. Method (docs/hs-find.md):

1. **Lexical**: BM25F (:mod:`dehub.analytics.text_search`) over each code's own description,
   its children's (HS6: the ITC-HS 8-digit lines under it) or subheading's (HS8) text, its
   heading's and its chapter's, with ITC-HS abbreviations written out and the query's
   Indian-English words expanded (``hs_synonyms.csv``, weight 0.6).
2. **Semantic**: cosine similarity between all-MiniLM-L6-v2 vectors of the query and of each
   HS 2022 subheading's description (:mod:`dehub.services.embeddings`; the subheadings'
   vectors are bundled); an ITC-HS 8-digit code has its subheading's similarity, so the
   lexical ranking orders the codes within a subheading. Only the best
   :data:`SEMANTIC_CANDIDATES` count.
3. **Combined** (default): ``BM25 / max BM25 + SEMANTIC_WEIGHT * max(cosine, 0)``, where the
   maximum is over the codes for this query (so the best lexical match scores 1). Reciprocal
   rank fusion (Cormack et al. 2009) was measured too and ranked worse on the labelled set
   (docs/hs-find.md): BM25 leaves many ties and the model alone is weaker than BM25 here, so
   the model should move codes with similar lexical evidence, not outvote it.
   Without the optional model (or with ``DEHUB_HS_SEMANTIC=false``) the answer is lexical and
   says so in ``notes``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from dehub.analytics.text_search import Bm25Index, build_bm25, query_terms, ranks
from dehub.errors import InvalidInput, Unavailable
from dehub.services import embeddings
from dehub.services.hs_corpus import (
    LEVELS,
    Level,
    abbreviations,
    hs_documents,
    lexical_fields,
    synonyms,
)
from dehub.settings import Settings

Mode = Literal["combined", "lexical", "semantic"]
MODES: tuple[Mode, ...] = ("combined", "lexical", "semantic")
MAX_TOP = 50
MAX_QUERY = 200
SEMANTIC_WEIGHT = 0.3
"""Weight of the cosine similarity against the normalised BM25 score (chosen among 0.3, 0.5,
1 and 2 on the labelled set; docs/hs-find.md)."""
SYNONYM_WEIGHT = 0.6
DISCONTINUED = 0.9
"""Factor on the lexical score of a discontinued ITC-HS code (listed after a live code that
matches as well)."""


@lru_cache(maxsize=2)
def lexical_index(level: Level) -> Bm25Index:
    """The BM25F index of ``level`` (built once per process, ~1 s)."""
    return build_bm25(lexical_fields(level), abbreviations=abbreviations())


@lru_cache(maxsize=2)
def hs6_vectors(cache_dir: Path) -> np.ndarray:
    """Unit vectors of the HS 2022 subheadings' descriptions: the bundled ones
    (:func:`dehub.services.embeddings.bundled_vectors`) when they were made from the current
    texts, else computed once into ``cache_dir``."""
    texts = list(hs_documents("HS6")["semantic_text"])
    bundled = embeddings.bundled_vectors(texts)
    if bundled is not None:
        return bundled
    return embeddings.cached_embeddings(texts, cache_dir, "hs6")


def corpus_vectors(level: Level, cache_dir: Path) -> np.ndarray:
    """Unit vectors of ``level``'s codes; an ITC-HS 8-digit code has its subheading's (zero
    where the subheading is not in HS 2022)."""
    vectors = hs6_vectors(cache_dir)
    if level == "HS6":
        return vectors
    parent = pd.Index(hs_documents("HS6")["code"]).get_indexer(hs_documents("HS8")["hs6"])
    return np.where(parent[:, None] >= 0, vectors[parent], 0.0).astype(np.float32)


def find_hs(
    query: str,
    settings: Settings,
    *,
    top: int = 10,
    level: str = "HS6",
    mode: str = "combined",
) -> dict[str, Any]:
    """Codes of ``level`` (HS6 or HS8) best matching ``query``, best first.

    Output: ``query``, ``level``, ``mode`` (asked), ``method`` (used: ``combined``,
    ``lexical`` or ``semantic``), ``notes`` (why a method fell back), ``terms`` (the query's
    counted words and synonyms with their weights) and ``results``: up to ``top`` dicts of
    ``rank``, ``code``, ``description``, ``hs6``/``hs6_description``, ``heading``/
    ``heading_description``, ``chapter``/``chapter_description``, ``discontinued`` (an ITC-HS
    code marked discontinued: found, flagged, lexical score x 0.9), ``score`` (of the method
    used), ``lexical_rank``/``lexical_score``, ``semantic_rank``/``similarity`` (cosine; None
    when not computed), ``matched`` (query words in the code's own text), ``inherited`` (in its
    heading, chapter, sub-codes or subheading only), ``why`` (one sentence) and ``url``."""
    text = " ".join(query.split())
    if not text:
        raise InvalidInput("type some words describing the product, e.g. 'brass puja lamps'")
    if len(text) > MAX_QUERY:
        raise InvalidInput(f"the text is longer than {MAX_QUERY} characters")
    lv = _level(level)
    if mode not in MODES:
        raise InvalidInput(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    if not 1 <= top <= MAX_TOP:
        raise InvalidInput(f"top must be between 1 and {MAX_TOP}")
    docs = hs_documents(lv)
    index = lexical_index(lv)
    terms = query_terms(
        text, synonyms=synonyms(), synonym_weight=SYNONYM_WEIGHT, abbreviations=abbreviations()
    )
    lexical = index.scores(terms.set_index("term")["weight"])
    lexical = np.where(docs["discontinued"].to_numpy() == "true", DISCONTINUED * lexical, lexical)
    lexical_rank = ranks(lexical)
    notes: list[str] = []
    similarity: np.ndarray | None = None
    if mode != "lexical":
        similarity = _similarity(text, lv, settings, mode, notes)
    if similarity is None:
        method: Mode = "lexical"
        score = lexical
        semantic_rank = np.zeros(len(docs), dtype=np.int64)
    else:
        semantic_rank = ranks(similarity, positive_only=False)
        method = "semantic" if mode == "semantic" else "combined"
        score = similarity if method == "semantic" else combine(lexical, similarity)
    order = np.argsort(-score, kind="stable")
    order = order[score[order] > (0 if method != "semantic" else -np.inf)][:top]
    results = _explain(lv, index, terms, order, score, lexical, lexical_rank, similarity)
    for r, i in zip(results, order, strict=True):
        r["semantic_rank"] = int(semantic_rank[i]) or None
    term_rows = terms[["word", "term", "weight"]].astype(object).to_dict("records")
    return {
        "query": text,
        "level": lv,
        "mode": mode,
        "method": method,
        "notes": notes,
        "terms": term_rows,
        "results": results,
    }


def combine(lexical: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """The combined score (module docstring): normalised BM25 plus weighted positive cosine."""
    best = float(lexical.max()) if len(lexical) else 0.0
    normalised = lexical / best if best > 0 else lexical
    return np.asarray(normalised + SEMANTIC_WEIGHT * np.maximum(similarity, 0.0), dtype=float)


def _level(level: str) -> Level:
    upper = level.upper()
    for lv in LEVELS:
        if lv == upper:
            return lv
    raise InvalidInput(f"unknown level {level!r}; use HS6 or HS8")


def _similarity(
    text: str, level: Level, settings: Settings, mode: str, notes: list[str]
) -> np.ndarray | None:
    """Cosine similarity of ``text`` to every code, or None (with a note) when the model is
    missing or switched off."""
    if not settings.hs_semantic:
        if mode == "semantic":
            raise Unavailable("the semantic model is switched off (DEHUB_HS_SEMANTIC=false)")
        notes.append("the semantic model is switched off (DEHUB_HS_SEMANTIC=false)")
        return None
    if not embeddings.semantic_available():
        message = "the semantic model is not installed; " + embeddings.INSTALL_HINT
        if mode == "semantic":
            raise Unavailable(message)
        notes.append(message + " (lexical ranking only)")
        return None
    vectors = corpus_vectors(level, settings.cache_path)
    query_vector = embeddings.encoder().encode([text])[0]
    return np.asarray(vectors @ query_vector, dtype=float)


@lru_cache(maxsize=2)
def _columns(level: Level) -> dict[str, np.ndarray]:
    """The shown columns of ``level``'s documents as object arrays (converted once)."""
    docs = hs_documents(level)
    shown = ["code", "description", "hs6", "hs6_description", "heading", "heading_description"]
    shown += ["chapter", "chapter_description", "discontinued"]
    frame = docs[shown].astype(object)
    return {c: frame[c].where(frame[c].notna(), None).to_numpy() for c in shown}


def _explain(
    level: Level,
    index: Bm25Index,
    terms: pd.DataFrame,
    order: np.ndarray,
    score: np.ndarray,
    lexical: np.ndarray,
    lexical_rank: np.ndarray,
    similarity: np.ndarray | None,
) -> list[dict[str, Any]]:
    """The result rows for documents ``order`` with the words each matched."""
    columns = index.vocabulary.get_indexer(pd.Index(terms["term"]))
    known = columns >= 0
    words = terms["word"].to_numpy()[known]
    if len(order) and known.any():
        any_hit = index.weights[order][:, columns[known]].toarray() > 0
        own_hit = index.own[order][:, columns[known]].toarray() > 0
    else:
        any_hit = own_hit = np.zeros((len(order), 0), dtype=bool)
    chosen = {c: values[order] for c, values in _columns(level).items()}
    rows = [dict(zip(chosen, values, strict=True)) for values in zip(*chosen.values(), strict=True)]
    results = []
    for pos, (i, row) in enumerate(zip(order, rows, strict=True)):
        matched = [str(w) for w in words[own_hit[pos]]]
        inherited = [str(w) for w in words[any_hit[pos] & ~own_hit[pos]]]
        sim = None if similarity is None else round(float(similarity[i]), 4)
        results.append(
            {
                "rank": pos + 1,
                "code": row["code"],
                "description": row["description"],
                "hs6": row["hs6"],
                "hs6_description": row["hs6_description"],
                "heading": row["heading"],
                "heading_description": row["heading_description"],
                "chapter": row["chapter"],
                "chapter_description": row["chapter_description"],
                "discontinued": row["discontinued"] == "true",
                "score": round(float(score[i]), 6),
                "lexical_rank": int(lexical_rank[i]) or None,
                "lexical_score": round(float(lexical[i]), 4),
                "similarity": sim,
                "matched": matched,
                "inherited": inherited,
                "why": _why(matched, inherited, sim)
                + ("; a discontinued ITC-HS code" if row["discontinued"] == "true" else ""),
                "url": f"/products/{row['code']}",
            }
        )
    return results


def _why(matched: list[str], inherited: list[str], similarity: float | None) -> str:
    parts = []
    if matched:
        parts.append("its description has " + _grouped(matched))
    if inherited:
        parts.append("its heading, chapter or sub-codes have " + _grouped(inherited))
    if similarity is not None:
        parts.append(f"meaning similarity {similarity:.2f}")
    return "; ".join(parts) or "no word in common"


def _grouped(words: list[str]) -> str:
    """Words with the synonyms of one query word together: ``lamps → luminaires, light``."""
    groups: dict[str, list[str]] = {}
    for word in words:
        source, _, target = word.partition(" → ")
        groups.setdefault(source, [])
        if target:
            groups[source].append(target)
    return ", ".join(
        f"{source} → {' / '.join(targets)}" if targets else source
        for source, targets in groups.items()
    )
