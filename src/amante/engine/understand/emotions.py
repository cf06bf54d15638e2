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

EMOTION_LABELS: tuple[str, ...] = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion",
    "curiosity", "desire", "disappointment", "disapproval", "disgust", "embarrassment",
    "excitement", "fear", "gratitude", "grief", "joy", "love", "nervousness", "optimism",
    "pride", "realization", "relief", "remorse", "sadness", "surprise", "neutral",
)

#: Ekman grouping of the GoEmotions labels (as in the dataset's ekman_mapping.json), plus neutral.
EKMAN_GROUPS: dict[str, tuple[str, ...]] = {
    "anger": ("anger", "annoyance", "disapproval"),
    "disgust": ("disgust",),
    "fear": ("fear", "nervousness"),
    "joy": (
        "joy", "amusement", "approval", "excitement", "gratitude", "love", "optimism",
        "relief", "pride", "admiration", "desire", "caring",
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
    """Dense layers + per-label calibration + thresholds, loaded from the packaged artifacts."""

    def __init__(self, npz: Path, meta: Path) -> None:
        data = np.load(npz)
        info: dict[str, Any] = json.loads(meta.read_text())
        self.labels: list[str] = info["labels"]
        if tuple(self.labels) != EMOTION_LABELS:
            raise ValueError("emotions model labels do not match EMOTION_LABELS")
        n_layers = int(info["layers"])
        self.weights = [data[f"W{i}"].astype(np.float32) for i in range(n_layers)]
        self.biases = [data[f"b{i}"].astype(np.float32) for i in range(n_layers)]
        self.cal_a = data["cal_a"].astype(np.float32)
        self.cal_b = data["cal_b"].astype(np.float32)
        self.thresholds = data["thresholds"].astype(np.float32)

    def probs(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, shape (n, 28)."""
        h = x
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = h @ w + b
            if i < len(self.weights) - 1:
                h = np.maximum(h, 0.0)
        z = h * self.cal_a + self.cal_b
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


def emotion_probs(vectors: np.ndarray) -> np.ndarray:
    """Calibrated probabilities for precomputed embeddings, shape (n, 28)."""
    return _head().probs(np.atleast_2d(vectors))


def predict_emotions(text: str) -> list[Label]:
    """Emotions above their tuned thresholds (at least the best one), highest score first."""
    head = _head()
    p = head.probs(analyze_embedding(text)[None, :])[0]
    return _labels(p, head.thresholds)


def predict_emotions_batch(texts: list[str]) -> list[list[Label]]:
    """predict_emotions for many texts at once (same results, faster)."""
    if not texts:
        return []
    head = _head()
    probs = head.probs(embed(texts))
    return [_labels(p, head.thresholds) for p in probs]
