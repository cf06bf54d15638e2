import numpy as np
import pytest

from amante.engine.understand.textfeatures import Tfidf, char_wb_ngrams


def test_char_wb_ngrams_pad_words_and_count_short_words_once():
    assert list(char_wb_ngrams("hi", 2, 3)) == [" h", "hi", "i ", " hi", "hi "]
    assert list(char_wb_ngrams("a", 3, 5)) == [" a "]
    assert list(char_wb_ngrams("a  b", 2, 2)) == [" a", "a ", " b", "b "]


def test_tfidf_is_sublinear_idf_weighted_and_unit_length():
    features = Tfidf(
        vocab={"kill": 0, "myself": 1, "pizza": 2}, idf=np.array([2.0, 1.0, 3.0], dtype=np.float32)
    )
    ids, vals = features.transform("Kill kill MYSELF now")
    got = dict(zip(ids.tolist(), vals.tolist(), strict=True))
    raw = {0: (1 + np.log(2)) * 2.0, 1: 1.0}
    norm = np.sqrt(sum(v * v for v in raw.values()))
    assert got == pytest.approx({k: v / norm for k, v in raw.items()}, rel=1e-5)
    assert features.transform("nothing known here")[0].size == 0


def test_word_bigrams_and_logits():
    features = Tfidf(
        vocab={"want to": 0, "to die": 1}, idf=np.ones(2, dtype=np.float32), ngram_range=(2, 2)
    )
    weights = np.array([[1.0, 0.0], [0.0, 2.0]], dtype=np.float32)
    out = features.logits("I want to die", weights)
    assert out == pytest.approx([1 / np.sqrt(2), 2 / np.sqrt(2)], rel=1e-5)
    assert features.logits("hello", weights).tolist() == [0.0, 0.0]
