"""Topics: which of amante's 23 relationship topics a message is about (usually one to three).

A multinomial logistic head (numpy only) over the shared MiniLM sentence embedding, trained by
scripts/train_topics.py on original seed messages (content/understand/topic_seeds.yaml) plus
CounselChat's train split mapped to our taxonomy (Bertagnolli, 2020, "Counsel chat:
Bootstrapping high-quality therapy data"), blended with keyword cues from the same YAML file.
The blend weight and the "how many labels" rule are tuned on CounselChat's val split.
"""

from __future__ import annotations

import json
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from amante.content.schema import TOPICS
from amante.engine.types import Label
from amante.engine.understand.embedding import analyze_embedding, embed

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
SEEDS_PATH = Path(__file__).resolve().parents[2] / "content" / "understand" / "topic_seeds.yaml"
_lock = threading.Lock()


def load_seeds(path: Path = SEEDS_PATH) -> dict[str, dict[str, list[str]]]:
    """The seed file: {topic: {"cues": [...], "examples": [...]}} for every topic in TOPICS."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]
    unknown = sorted(set(data) - set(TOPICS))
    if unknown:
        raise ValueError(f"unknown topics in {path.name}: {unknown}")
    return {
        t: {"cues": list(data[t].get("cues", [])), "examples": list(data[t].get("examples", []))}
        for t in TOPICS
    }


def compile_cues(seeds: dict[str, dict[str, list[str]]]) -> list[re.Pattern[str]]:
    """One case-insensitive, word-bounded pattern per topic (in TOPICS order)."""
    pats = []
    for t in TOPICS:
        cues = seeds[t]["cues"]
        body = "|".join(f"(?:{c})" for c in cues) or r"(?!x)x"
        pats.append(re.compile(rf"\b(?:{body})\b", re.IGNORECASE))
    return pats


def cue_vector(text: str, patterns: list[re.Pattern[str]]) -> np.ndarray:
    """1.0 for each topic whose cue occurs in the text, else 0.0."""
    return np.array([1.0 if p.search(text) else 0.0 for p in patterns], dtype=np.float32)


class _TopicModel:
    """Linear head + cue blend + label-selection rule, from the packaged artifacts."""

    def __init__(self, npz: Path, meta: Path) -> None:
        data = np.load(npz)
        info: dict[str, Any] = json.loads(meta.read_text())
        if tuple(info["labels"]) != TOPICS:
            raise ValueError("topics model labels do not match amante.content.schema.TOPICS")
        self.w = data["W"].astype(np.float32)
        self.b = data["b"].astype(np.float32)
        self.cue_weight = float(info["cue_weight"])
        self.min_score = float(info["min_score"])
        self.rel_score = float(info["rel_score"])
        self.max_labels = int(info.get("max_labels", 3))
        self.patterns = compile_cues(load_seeds())

    def scores(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        """Scores in [0, 1] per topic: softmax probabilities blended with keyword cues."""
        z = vectors @ self.w + self.b
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        cues = np.stack([cue_vector(t, self.patterns) for t in texts])
        n = cues.sum(axis=1, keepdims=True)
        cue_p = np.where(n > 0, cues / np.maximum(n, 1.0), p)
        return (1.0 - self.cue_weight) * p + self.cue_weight * cue_p

    def select(self, s: np.ndarray) -> list[Label]:
        order = np.argsort(-s, kind="stable")
        top = float(s[order[0]])
        out = [Label(TOPICS[order[0]], top)]
        for i in order[1 : self.max_labels]:
            if s[i] >= self.min_score and s[i] >= self.rel_score * top:
                out.append(Label(TOPICS[i], float(s[i])))
        return out


@lru_cache(maxsize=1)
def _model() -> _TopicModel:
    with _lock:
        return _TopicModel(MODELS_DIR / "topics.npz", MODELS_DIR / "topics.json")


def topic_scores(texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
    """Scores for every topic, shape (len(texts), 23), in TOPICS order (for evaluation)."""
    vecs = embed(texts) if vectors is None else vectors
    return _model().scores(vecs, texts)


def predict_topics(text: str) -> list[Label]:
    """The topics the message is about, best first (one to three labels, scores in [0, 1])."""
    model = _model()
    s = model.scores(analyze_embedding(text)[None, :], [text])[0]
    return model.select(s)


def predict_topics_batch(texts: list[str]) -> list[list[Label]]:
    """predict_topics for many texts at once."""
    if not texts:
        return []
    model = _model()
    return [model.select(s) for s in model.scores(embed(texts), texts)]
