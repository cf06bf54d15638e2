"""Emotions: the 28 GoEmotions labels (27 emotions + neutral), multi-label, with calibrated scores.

Two models, both trained on the GoEmotions train split (Demszky et al., 2020, "GoEmotions: A
Dataset of Fine-Grained Emotions") with decision thresholds tuned on the dev split:
  * the linear head (numpy only) over the shared MiniLM sentence embedding and TF-IDF words,
    with per-label calibration (scripts/train_emotions.py; models/emotions.npz + .json);
  * a fine-tuned MiniLM (int8 ONNX) with 28 label and 7 Ekman-group outputs, whose logits are
    mixed with the linear head's at a weight chosen on dev (scripts/finetune_emotions.py;
    models/emotions_encoder.onnx + .json). Served when built, unless AMANTE_EMOTION_MODEL=linear.
"""

from __future__ import annotations

import json
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from amante.engine.types import Label
from amante.engine.understand.embedding import (
    analyze_embedding,
    embed,
    onnx_session,
    run_encoder,
)
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


class _Encoder:
    """The fine-tuned encoder: 35 logits (28 labels, 7 Ekman groups), mixed with the linear head."""

    def __init__(self, onnx_path: Path, meta: Path) -> None:
        info: dict[str, Any] = json.loads(meta.read_text())
        if tuple(info["labels"]) != EMOTION_LABELS or tuple(info["ekman_groups"]) != tuple(
            EKMAN_GROUPS
        ):
            raise ValueError("emotions encoder labels do not match EMOTION_LABELS/EKMAN_GROUPS")
        self.session = onnx_session(onnx_path)
        self.mix = float(info.get("linear_mix", 0.0))
        self.thresholds = np.array(info["thresholds"], dtype=np.float32)
        self.ekman_thresholds = np.array(info["ekman_thresholds"], dtype=np.float32)

    def probs(self, texts: list[str], vectors: np.ndarray | None) -> np.ndarray:
        """Probabilities, shape (n, 35): the 28 labels, then the 7 Ekman groups."""
        z = run_encoder(self.session, texts, max_tokens=ENCODER_TOKENS)
        if self.mix > 0:
            lin = _head().probs(embed(texts) if vectors is None else vectors, texts)
            both = np.clip(np.concatenate([lin, ekman_probs(lin)], axis=1), 1e-6, 1 - 1e-6)
            z = self.mix * np.log(both / (1 - both)) + (1 - self.mix) * z
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


ENCODER = "emotions_encoder"
# GoEmotions comments are short (none of the test split is longer than this); reading the first
# 64 tokens of a long message halves the encoder's time on it.
ENCODER_TOKENS = 64


@lru_cache(maxsize=1)
def _encoder() -> _Encoder | None:
    """The fine-tuned encoder when built and not switched off (AMANTE_EMOTION_MODEL=linear)."""
    if os.environ.get("AMANTE_EMOTION_MODEL", "").strip().lower() == "linear":
        return None
    onnx_path, meta = MODELS_DIR / f"{ENCODER}.onnx", MODELS_DIR / f"{ENCODER}.json"
    if not onnx_path.is_file() or not meta.is_file():
        return None
    with _lock:
        return _Encoder(onnx_path, meta)


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


def linear_probs(texts: list[str]) -> np.ndarray:
    """The linear head's calibrated probabilities (n, 28) (training the encoder mix uses it)."""
    return _head().probs(embed(texts), texts)


def _scores(
    texts: list[str], vectors: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(label probs (n, 28), Ekman probs (n, 7), label thresholds, Ekman thresholds)."""
    enc = _encoder()
    if enc is not None:
        p = enc.probs(texts, vectors)
        n = len(EMOTION_LABELS)
        return p[:, :n], p[:, n:], enc.thresholds, enc.ekman_thresholds
    head = _head()
    p = head.probs(embed(texts) if vectors is None else vectors, texts)
    return p, ekman_probs(p), head.thresholds, head.ekman_thresholds


@lru_cache(maxsize=256)
def _scores_one(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """_scores for one message, cached (the coach asks for labels and groups of one text)."""
    p, ek, th, ek_th = _scores([text], analyze_embedding(text)[None, :])
    return p[0], ek[0], th, ek_th


def _decide(p: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """0/1 decisions: every column above its threshold, else the best relative to threshold."""
    pred = (p >= thresholds).astype(np.float32)
    none = pred.sum(axis=1) == 0
    pred[none, np.argmax(p[none] / thresholds, axis=1)] = 1.0
    return pred


def predictions(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(label decisions (n, 28), label probabilities (n, 28), Ekman decisions (n, 7))."""
    p, ek, th, ek_th = _scores(texts)
    return _decide(p, th), p, _decide(ek, ek_th)


def predict_emotions(text: str) -> list[Label]:
    """Emotions above their tuned thresholds (at least the best one), highest score first."""
    p, _, th, _ = _scores_one(text)
    return _labels(p, th)


def predict_emotions_batch(texts: list[str]) -> list[list[Label]]:
    """predict_emotions for many texts at once (same decisions, faster)."""
    if not texts:
        return []
    p, _, th, _ = _scores(texts)
    return [_labels(row, th) for row in p]


def predict_ekman(text: str) -> list[Label]:
    """Ekman groups (anger, disgust, fear, joy, sadness, surprise, neutral) above threshold."""
    _, ek, _, ek_th = _scores_one(text)
    groups = list(EKMAN_GROUPS)
    idx = np.flatnonzero(ek >= ek_th)
    if idx.size == 0:
        idx = np.array([int(np.argmax(ek / ek_th))])
    idx = idx[np.argsort(-ek[idx], kind="stable")]
    return [Label(groups[i], float(ek[i])) for i in idx]
