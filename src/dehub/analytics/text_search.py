"""Lexical ranking of short texts: normalisation, a light stemmer, BM25F over weighted fields,
and reciprocal rank fusion. Pure functions over pandas/NumPy/SciPy sparse; nothing is read.

- **Terms.** Text is folded to lower-case ASCII, split on anything but letters and digits;
  stop words (English function words and the nomenclature's own filler: "other", "n.e.c.",
  "whether", "excl" ...), one-letter tokens and bare numbers are dropped; abbreviations are
  expanded from a table (the ITC-HS text writes "OTHR FBRCS OF SLK"); then :func:`stem_terms`.
- **Stemming** (:func:`stem_terms`): a light suffix stripper in the spirit of Harman's
  S-stemmer (Harman 1991, "How effective is suffixing?", JASIS 42(1)): ``-ies``/``-ied`` ->
  ``-y``, a plural ``-s`` (not ``-ss``, ``-us``, ``-is``), ``-ed``/``-ing`` when four letters
  stay (a final double consonant is undoubled: knotted -> knot), then a final ``-e``. Applied to
  documents and queries alike, so only consistency matters, not linguistic truth.
- **BM25F** (:func:`build_bm25`): Okapi BM25 with Lucene's idf
  ``ln(1 + (N - df + 0.5) / (df + 0.5))`` and saturation ``tf / (tf + k1 (1 - b + b dl /
  avgdl))`` (Lucene 8 drops the constant factor ``k1 + 1``; Robertson & Zaragoza 2009, "The
  probabilistic relevance framework: BM25 and beyond", eq. 3.15-3.17), where, following the
  simple BM25F of Robertson, Zaragoza & Taylor (2004), ``tf`` and ``dl`` are sums over a
  document's fields weighted by each field's weight (a leaf description counts fully, its
  parent heading's words less). With one field of weight 1 it is exactly Lucene's BM25 (tested
  against the ``bm25s`` package).
- **Fusion** (:func:`reciprocal_rank_fusion`): ``sum_m 1 / (k + rank_m(d))`` over the rankers
  that rank document ``d`` (Cormack, Clarke & Buettcher 2009, SIGIR, k = 60). The HS finder
  measured it and combines scores instead (dehub.services.hs_finder).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

STOPWORDS = frozenset(
    """a about all an and any are as at be been being but by can each etc for from has have in
    into is it its like more no nor not of on only or other others otherwise per such than that
    the their thereof these this those to under up upon was were whether which with within
    without nes nec n e c excl excluding incl including kind kinds item items heading headings
    subheading chapter similar same used whose so""".split()
)
"""Words that never count (compared before stemming and after abbreviation expansion)."""

_FOLD = str.maketrans({"&": " and "})
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_text(texts: pd.Series) -> pd.Series:
    """Lower-case ASCII words separated by single spaces (accents removed, ``&`` read as
    ``and``, anything else that is not a letter or a digit a separator)."""
    plain = texts.astype("string").fillna("").str.translate(_FOLD).str.normalize("NFKD")
    plain = plain.str.encode("ascii", "ignore").str.decode("ascii").str.lower()
    return plain.str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()


_STEM_RULES: tuple[tuple[str, str], ...] = (
    (r"^(\w{2,})i(?:es|ed)$", r"\1y"),
    (r"^(\w{2,}[^sui])s$", r"\1"),
    (r"^(\w{2,}?)([bdgmnprt])\2(?:ed|ing)$", r"\1\2"),
    (r"^(\w{4,}?)(?:ed|ing)$", r"\1"),
    (r"^(\w{3,})e$", r"\1"),
)
_STEM_COMPILED = tuple((re.compile(p), r) for p, r in _STEM_RULES)


def stem_terms(terms: pd.Series) -> pd.Series:
    """The light stem of each term (see the module docstring); vectorised regex rules."""
    t = terms.astype("string")
    for pattern, replacement in _STEM_RULES:
        t = t.str.replace(pattern, replacement, regex=True)
    return t


def stem_word(word: str) -> str:
    """:func:`stem_terms` of one word (the same rules, for a query)."""
    for pattern, replacement in _STEM_COMPILED:
        word = pattern.sub(replacement, word)
    return word


def normalise_one(text: str) -> str:
    """:func:`normalise_text` of one text (for a query)."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    plain = folded.encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(_NON_WORD.split(plain)).strip()


def _words_of(text: str, abbreviations: Mapping[str, str] | None) -> list[str]:
    """The counted words of one text (abbreviations expanded, stop words dropped)."""
    words = normalise_one(text).split()
    if abbreviations:
        words = " ".join(abbreviations.get(w, w) for w in words).split()
    return [w for w in words if len(w) > 1 and w not in STOPWORDS and not w.isdigit()]


def expand_words(texts: pd.Series, table: Mapping[str, str]) -> pd.Series:
    """Normalised texts (:func:`normalise_text`) with every whole word found in ``table``
    replaced by its expansion (``othr`` -> ``other``)."""
    norm = normalise_text(texts)
    if not table:
        return norm
    pattern = r"\b(?:" + "|".join(sorted(map(re.escape, table), key=len, reverse=True)) + r")\b"
    return norm.str.replace(pattern, lambda m: table[m.group(0)], regex=True)


def text_terms(texts: pd.Series, abbreviations: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per counted term occurrence: ``doc`` (the position of the text in ``texts``),
    ``word`` (the surface word after abbreviation expansion) and ``term`` (its stem). Each
    distinct text is tokenised once (parent headings repeat across thousands of codes)."""
    codes, uniques = pd.factorize(texts.astype("string").fillna("").to_numpy())
    norm = expand_words(pd.Series(uniques, dtype="string"), abbreviations or {})
    words = norm.str.split(" ").explode()
    frame = pd.DataFrame({"text": words.index.to_numpy(), "word": words.astype("string")})
    word = frame["word"].fillna("")
    keep = (word.str.len() > 1) & ~word.isin(STOPWORDS) & ~word.str.fullmatch(r"\d+")
    frame = frame[keep.to_numpy()]
    unique = pd.Series(frame["word"].unique(), dtype="string")
    stems = pd.Series(stem_terms(unique).to_numpy(), index=unique.to_numpy())
    frame = frame.assign(term=frame["word"].map(stems).astype("string"))
    docs = pd.DataFrame({"doc": np.arange(len(codes)), "text": codes})
    return docs.merge(frame, on="text")[["doc", "word", "term"]]


@dataclass(frozen=True)
class Bm25Index:
    """BM25F term weights of a corpus: ``weights[d, t]`` is the contribution of one query
    occurrence of term ``t`` to document ``d``'s score; ``own[d, t]`` is 1 where ``t`` is in
    the document's first field (its own text) rather than only in an inherited one."""

    vocabulary: pd.Index
    weights: sparse.csr_matrix
    own: sparse.csr_matrix
    idf: np.ndarray

    def query_vector(self, term_weights: pd.Series) -> np.ndarray:
        """Dense vector over the vocabulary from ``term -> weight`` (unknown terms dropped)."""
        vector = np.zeros(len(self.vocabulary))
        positions = self.vocabulary.get_indexer(term_weights.index)
        known = positions >= 0
        np.add.at(vector, positions[known], term_weights.to_numpy(dtype=float)[known])
        return vector

    def scores(self, term_weights: pd.Series) -> np.ndarray:
        """BM25F score of every document for a query given as ``term -> weight``."""
        return np.asarray(self.weights @ self.query_vector(term_weights)).ravel()


def build_bm25(
    fields: Sequence[tuple[pd.Series, float]],
    *,
    k1: float = 1.2,
    b: float = 0.75,
    abbreviations: Mapping[str, str] | None = None,
) -> Bm25Index:
    """BM25F over documents whose fields are given as ``(texts, weight)`` pairs, each Series
    aligned on the same documents (missing text = empty field). See the module docstring."""
    n_docs = len(fields[0][0])
    parts = []
    for i, (texts, weight) in enumerate(fields):
        terms = text_terms(texts.reset_index(drop=True), abbreviations)
        parts.append(terms.assign(weight=float(weight), field=i))
    occ = pd.concat(parts, ignore_index=True)
    codes, vocabulary = pd.factorize(occ["term"], sort=True)
    shape = (n_docs, len(vocabulary))
    tf = sparse.csr_matrix((occ["weight"].to_numpy(), (occ["doc"].to_numpy(), codes)), shape)
    tf.sum_duplicates()
    own_rows = (occ["field"] == 0).to_numpy()
    own = sparse.csr_matrix(
        (np.ones(own_rows.sum()), (occ["doc"].to_numpy()[own_rows], codes[own_rows])), shape
    )
    own.data[:] = 1.0
    doc_len = np.bincount(occ["doc"].to_numpy(), occ["weight"].to_numpy(), minlength=n_docs)
    df = np.bincount(tf.indices, minlength=len(vocabulary))
    idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
    norm = k1 * (1 - b + b * doc_len / max(doc_len.mean(), 1e-12))
    coo = tf.tocoo()
    data = idf[coo.col] * coo.data / (coo.data + norm[coo.row])
    weights = sparse.csr_matrix((data, (coo.row, coo.col)), shape)
    return Bm25Index(pd.Index(vocabulary, dtype="string"), weights, own, idf)


def query_terms(
    text: str,
    *,
    synonyms: Mapping[str, str] | None = None,
    synonym_weight: float = 0.6,
    abbreviations: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The terms of a query: ``term`` (stem), ``word`` (what the user wrote, or the synonym it
    came from, as ``"diya → lamp"``) and ``weight`` (1 for the user's words; expansions from
    ``synonyms`` (word -> space-separated words) get ``synonym_weight``). One row per term,
    its largest weight kept."""
    syn = synonyms or {}
    rows = [(w, stem_word(w), 1.0) for w in _words_of(text, abbreviations)]
    for source in [w for w, _, _ in rows if w in syn]:
        for extra in _words_of(syn[source], abbreviations):
            rows.append((f"{source} → {extra}", stem_word(extra), synonym_weight))
    words = pd.DataFrame(rows, columns=["word", "term", "weight"]).astype(
        {"word": object, "term": object, "weight": float}
    )
    words = words.sort_values("weight", ascending=False, kind="stable")
    return words.drop_duplicates("term").reset_index(drop=True)


def ranks(scores: np.ndarray, *, positive_only: bool = True) -> np.ndarray:
    """1-based rank of each document by descending score (ties by position); 0 for documents
    not ranked (score <= 0 when ``positive_only``)."""
    order = np.argsort(-scores, kind="stable")
    rank = np.empty(len(scores), dtype=np.int64)
    rank[order] = np.arange(1, len(scores) + 1)
    if positive_only:
        rank[scores <= 0] = 0
    return rank


def reciprocal_rank_fusion(rank_lists: Sequence[np.ndarray], *, k: float = 60.0) -> np.ndarray:
    """``sum_m 1 / (k + rank_m)`` over the rankers that rank each document (rank 0 = not
    ranked, contributes nothing); Cormack, Clarke & Buettcher (2009)."""
    fused = np.zeros(len(rank_lists[0]))
    for rank in rank_lists:
        fused += np.where(rank > 0, 1.0 / (k + np.maximum(rank, 1)), 0.0)
    return fused
