"""Emotions: the 28 GoEmotions labels (27 emotions + neutral), multi-label, with calibrated scores.

A small classifier head (numpy only) over the shared MiniLM sentence embedding, trained by
scripts/train_emotions.py on the GoEmotions train split (Demszky et al., 2020, "GoEmotions: A
Dataset of Fine-Grained Emotions"), with per-label probability calibration and decision
thresholds tuned on the dev split. Artifacts: amante/models/emotions.npz + emotions.json.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from amante.engine.types import Label
from amante.engine.understand.embedding import analyze_embedding, embed
from amante.engine.understand.textfeatures import Tfidf

EMOTION_LABELS: tuple[str, ...] = (
    "admiration",
    "amusement",
    "anger",
    "annoyance",
    "approval",
    "caring",
    "confusion",
    "curiosity",
    "desire",
    "disappointment",
    "disapproval",
    "disgust",
    "embarrassment",
    "excitement",
    "fear",
    "gratitude",
    "grief",
    "joy",
    "love",
    "nervousness",
    "optimism",
    "pride",
    "realization",
    "relief",
    "remorse",
    "sadness",
    "surprise",
    "neutral",
)

#: Ekman grouping of the GoEmotions labels (as in the dataset's ekman_mapping.json), plus neutral.
EKMAN_GROUPS: dict[str, tuple[str, ...]] = {
    "anger": ("anger", "annoyance", "disapproval"),
    "disgust": ("disgust",),
    "fear": ("fear", "nervousness"),
    "joy": (
        "joy",
        "amusement",
        "approval",
        "excitement",
        "gratitude",
        "love",
        "optimism",
        "relief",
        "pride",
        "admiration",
        "desire",
        "caring",
    ),
    "sadness": ("sadness", "disappointment", "embarrassment", "grief", "remorse"),
    "surprise": ("surprise", "realization", "confusion", "curiosity"),
    "neutral": ("neutral",),
}
_EKMAN_OF = {label: group for group, labels in EKMAN_GROUPS.items() for label in labels}

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
_lock = threading.Lock()


def ekman_of(label: str) -> str | None:
    """The Ekman group of a GoEmotions label ("neutral" for neutral; None if unknown)."""
    return _EKMAN_OF.get(label)


class _Head:
    """The packaged emotion model: two linear scorers, their mix, calibration and thresholds."""

    def __init__(self, npz: Path, meta: Path) -> None:
        data = np.load(npz)
        info: dict[str, Any] = json.loads(meta.read_text())
        if tuple(info["labels"]) != EMOTION_LABELS:
            raise ValueError("emotions model labels do not match EMOTION_LABELS")
        self.w_emb = data["W_emb"].astype(np.float32)
        self.b_emb = data["b_emb"].astype(np.float32)
        self.w_bow = data["W_bow"].astype(np.float32)
        self.b_bow = data["b_bow"].astype(np.float32)
        self.bow = Tfidf.from_arrays(
            str(data["vocab"]), data["idf"], token_pattern=info["token_pattern"]
        )
        self.mix = float(info["bow_mix"])
        self.cal_a = data["cal_a"].astype(np.float32)
        self.cal_b = data["cal_b"].astype(np.float32)
        self.thresholds = data["thresholds"].astype(np.float32)
        self.ekman_thresholds = data["ekman_thresholds"].astype(np.float32)

    def bow_logits(self, text: str) -> np.ndarray:
        """TF-IDF (sublinear tf, l2-normalised, as sklearn's TfidfVectorizer) @ W + b."""
        return self.bow.logits(text, self.w_bow) + self.b_bow

    def probs(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        """Calibrated probabilities, shape (n, 28)."""
        z_emb = np.atleast_2d(vectors) @ self.w_emb + self.b_emb
        z_bow = np.stack([self.bow_logits(t) for t in texts])
        z = self.mix * z_bow + (1.0 - self.mix) * z_emb
        z = z * self.cal_a + self.cal_b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@lru_cache(maxsize=1)
def _head() -> _Head:
    with _lock:
        return _Head(MODELS_DIR / "emotions.npz", MODELS_DIR / "emotions.json")


def _labels(p: np.ndarray, thresholds: np.ndarray) -> list[Label]:
    idx = np.flatnonzero(p >= thresholds)
    if idx.size == 0:
        idx = np.array([int(np.argmax(p / thresholds))])
    idx = idx[np.argsort(-p[idx], kind="stable")]
    return [Label(EMOTION_LABELS[i], float(p[i])) for i in idx]


def ekman_probs(probs: np.ndarray) -> np.ndarray:
    """Ekman group probabilities (noisy-or of member labels), shape (n, 7), EKMAN_GROUPS order."""
    probs = np.atleast_2d(probs)
    cols = [[EMOTION_LABELS.index(x) for x in members] for members in EKMAN_GROUPS.values()]
    return np.stack([1.0 - np.prod(1.0 - probs[:, c], axis=1) for c in cols], axis=1)


def emotion_predictions(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(0/1 decisions, calibrated probabilities), both (n, 28), as predict_emotions decides."""
    head = _head()
    probs = head.probs(embed(texts), texts)
    pred = (probs >= head.thresholds).astype(np.float32)
    none = pred.sum(axis=1) == 0
    pred[none, np.argmax(probs[none] / head.thresholds, axis=1)] = 1.0
    return pred, probs


def ekman_predictions(probs: np.ndarray) -> np.ndarray:
    """0/1 Ekman group decisions (n, 7) from label probabilities, with dev-tuned thresholds."""
    head = _head()
    ek = ekman_probs(probs)
    pred = (ek >= head.ekman_thresholds).astype(np.float32)
    none = pred.sum(axis=1) == 0
    pred[none, np.argmax(ek[none] / head.ekman_thresholds, axis=1)] = 1.0
    return pred


def predict_emotions(text: str) -> list[Label]:
    """Emotions above their tuned thresholds (at least the best one), highest score first."""
    head = _head()
    p = head.probs(analyze_embedding(text)[None, :], [text])[0]
    return _labels(p, head.thresholds)


def predict_emotions_batch(texts: list[str]) -> list[list[Label]]:
    """predict_emotions for many texts at once (same decisions, faster)."""
    if not texts:
        return []
    head = _head()
    probs = head.probs(embed(texts), texts)
    return [_labels(p, head.thresholds) for p in probs]


def predict_ekman(text: str) -> list[Label]:
    """Ekman groups (anger, disgust, fear, joy, sadness, surprise, neutral) above threshold."""
    head = _head()
    p = head.probs(analyze_embedding(text)[None, :], [text])
    ek = ekman_probs(p)[0]
    groups = list(EKMAN_GROUPS)
    idx = np.flatnonzero(ek >= head.ekman_thresholds)
    if idx.size == 0:
        idx = np.array([int(np.argmax(ek / head.ekman_thresholds))])
    idx = idx[np.argsort(-ek[idx], kind="stable")]
    return [Label(groups[i], float(ek[i])) for i in idx]
