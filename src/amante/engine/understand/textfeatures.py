"""TF-IDF features computed with numpy exactly as scikit-learn's TfidfVectorizer computes them.

Models are trained with scikit-learn (a training-only dependency) and served with numpy, so this
module reproduces the vectorizer's analyzers ("word" with a token pattern, "char_wb" with an
n-gram range), sublinear tf, idf weighting and l2 normalisation. The training scripts check
that both give the same vectors on every training text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

_WHITE_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, min_n: int, max_n: int) -> Iterator[str]:
    """Character n-grams inside word boundaries (scikit-learn's "char_wb" analyzer)."""
    for word in _WHITE_SPACES.sub(" ", text).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(min_n, max_n + 1):
            offset = 0
            yield padded[offset : offset + n]
            while offset + n < length:
                offset += 1
                yield padded[offset : offset + n]
            if offset == 0:  # a word shorter than n is counted once
                break


@dataclass(frozen=True)
class Tfidf:
    """A fitted vocabulary with idf weights; `transform` gives sparse (ids, values)."""

    vocab: dict[str, int]
    idf: np.ndarray
    analyzer: str = "word"
    token_pattern: str = r"(?u)\b\w\w+\b"
    ngram_range: tuple[int, int] = (1, 1)

    def terms(self, text: str) -> Iterator[str]:
        lowered = text.lower()
        if self.analyzer == "char_wb":
            yield from char_wb_ngrams(lowered, *self.ngram_range)
            return
        tokens = re.findall(self.token_pattern, lowered)
        low, high = self.ngram_range
        for n in range(low, high + 1):
            for i in range(len(tokens) - n + 1):
                yield " ".join(tokens[i : i + n])

    def transform(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Indices and l2-normalised sublinear tf-idf values of the text's known terms."""
        counts: dict[int, int] = {}
        for term in self.terms(text):
            idx = self.vocab.get(term)
            if idx is not None:
                counts[idx] = counts.get(idx, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        ids = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        vals = (1.0 + np.log(tf)) * self.idf[ids]
        norm = float(np.linalg.norm(vals))
        return ids, (vals / norm if norm else vals)

    def logits(self, text: str, weights: np.ndarray) -> np.ndarray:
        """transform(text) @ weights, for weights of shape (vocabulary, outputs)."""
        ids, vals = self.transform(text)
        if not len(ids):
            return np.zeros(weights.shape[1], dtype=np.float32)
        return vals @ weights[ids].astype(np.float32)

    @classmethod
    def from_arrays(cls, vocab_text: str, idf: np.ndarray, **options: object) -> Tfidf:
        """Rebuild from the stored newline-joined vocabulary (in index order) and idf."""
        terms = vocab_text.split("\n")
        return cls(vocab={t: i for i, t in enumerate(terms)}, idf=idf.astype(np.float32), **options)  # type: ignore[arg-type]
