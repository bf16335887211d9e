"""BM25F, the light stemmer and reciprocal rank fusion (dehub.analytics.text_search), checked
against the bm25s package (Lucene variant) and hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dehub.analytics.text_search import (
    build_bm25,
    normalise_one,
    normalise_text,
    query_terms,
    ranks,
    reciprocal_rank_fusion,
    stem_terms,
    stem_word,
    text_terms,
)

DOCS = pd.Series(
    [
        "a cat sat on the mat",
        "dogs and cats living together",
        "the lamp of brass",
        "brass lamps and brass bells, of brass",
        "woollen carpets, hand knotted",
        "carpet of wool",
        "Other",
    ]
)


def test_stemmer_conflates_plurals_and_participles() -> None:
    words = ["lamps", "knotted", "berries", "dried", "tomatoes", "boxes", "fittings", "printed"]
    assert list(stem_terms(pd.Series(words))) == [
        "lamp", "knot", "berry", "dry", "tomato", "box", "fit", "print"
    ]  # fmt: skip
    same = ["glass", "citrus", "wool", "string", "analysis"]
    assert list(stem_terms(pd.Series(same))) == same


def test_one_word_and_vectorised_forms_agree() -> None:
    words = ["lamps", "knotted", "dried", "glass", "shoes", "woven", "printing", "berries"]
    assert [stem_word(w) for w in words] == list(stem_terms(pd.Series(words)))
    texts = ["Crème & Café-au-lait", "OTHR FBRCS, 85%", "  hand-knotted  "]
    assert [normalise_one(t) for t in texts] == list(normalise_text(pd.Series(texts)))


def test_normalise_folds_accents_and_ampersands() -> None:
    assert list(normalise_text(pd.Series(["Crème & Café-au-lait", None]))) == [
        "creme and cafe au lait",
        "",
    ]


def test_stop_words_numbers_and_abbreviations() -> None:
    table = {"othr": "other", "fbrcs": "fabrics", "slk": "silk", "wvn": "woven"}
    terms = text_terms(pd.Series(["OTHR FBRCS OF SLK 85% OR MORE, WVN"]), table)
    assert list(terms["word"]) == ["fabrics", "silk", "woven"]
    assert list(terms["term"]) == ["fabric", "silk", "woven"]


@pytest.mark.parametrize("query", ["brass lamp", "carpet wool", "cat", "hand knotted carpet"])
def test_one_field_bm25_equals_bm25s_lucene(query: str) -> None:
    bm25s = pytest.importorskip("bm25s")
    index = build_bm25([(DOCS, 1.0)], k1=1.2, b=0.75)
    corpus = [" ".join(text_terms(pd.Series([d]))["term"]) for d in DOCS]
    reference = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    tokenized = bm25s.tokenize(corpus, stopwords=None, show_progress=False)
    reference.index(tokenized, show_progress=False)
    terms = query_terms(query)
    mine = index.scores(terms.set_index("term")["weight"])
    tokens = bm25s.tokenize([" ".join(terms["term"])], stopwords=None, return_ids=False,
                            show_progress=False)[0]  # fmt: skip
    np.testing.assert_allclose(mine, reference.get_scores(tokens), rtol=1e-6, atol=1e-9)  # float32


def test_bm25_by_hand() -> None:
    # one term in one of two documents: idf = ln(1 + (2 - 1 + 0.5) / (1 + 0.5)) = ln 2;
    # doc lengths 1 and 3, avgdl 2: tf / (tf + k1 (1 - b + b * 1 / 2)) with tf 1
    index = build_bm25([(pd.Series(["lamp", "cat sat mat"]), 1.0)], k1=1.2, b=0.75)
    expected = math.log(2) * 1 / (1 + 1.2 * (0.25 + 0.75 * 0.5))
    assert index.scores(pd.Series({"lamp": 1.0})) == pytest.approx([expected, 0.0])


def test_bm25f_field_weights_and_own_terms() -> None:
    leaf = pd.Series(["Other", "Lamps of brass"])
    parent = pd.Series(["Lamps and lighting fittings", "Lamps and lighting fittings"])
    index = build_bm25([(leaf, 1.0), (parent, 0.4)])
    scores = index.scores(pd.Series({"lamp": 1.0}))
    assert scores[1] > scores[0] > 0  # the leaf "Other" inherits "lamp" from its heading
    lamp = index.vocabulary.get_loc("lamp")
    assert index.own[0, lamp] == 0 and index.own[1, lamp] == 1


def test_query_synonyms_are_weighted_and_labelled() -> None:
    terms = query_terms("brinjal pickle", synonyms={"brinjal": "aubergine eggplant"})
    by_term = terms.set_index("term")
    assert by_term.loc["brinjal", "weight"] == 1.0
    assert by_term.loc["aubergin", "weight"] == 0.6
    assert by_term.loc["aubergin", "word"] == "brinjal → aubergine"


def test_ranks_and_reciprocal_rank_fusion() -> None:
    a = ranks(np.array([0.0, 3.0, 1.0, 2.0]))
    assert list(a) == [0, 1, 3, 2]
    b = ranks(np.array([0.9, 0.1, 0.5, 0.2]), positive_only=False)
    assert list(b) == [1, 4, 2, 3]
    fused = reciprocal_rank_fusion([a, b], k=60)
    assert fused[0] == pytest.approx(1 / 61)
    assert fused[1] == pytest.approx(1 / 61 + 1 / 64)
    assert fused[2] == pytest.approx(1 / 63 + 1 / 62)
