"""A learned safety classifier beside the rules: it may raise a level, never lower one.

Rules catch what people say in the words we wrote down; people in crisis paraphrase. This layer
scores the message's MiniLM sentence embedding (the same cached vector the emotion and topic
analyzers use, so a message is embedded once) with one logistic-regression head per risk
family, trained by scripts/train_safety.py on original training messages
(tests/data/safety_train.jsonl), the trap corpus and ordinary CounselChat questions. Each head has
two thresholds chosen by cross-validation on that training data (never on an evaluation set):
above `high` the category is raised to its default level, above `medium` to `elevated`.

Guards: a category the rules flagged, or matched and then ruled out (negation, hyperbole,
exclusions), is left to the rules; so are messages framed as fiction, news, a hobby or work talk,
and past events in a present the user calls safe. Joke markers and negation words cap a raise at
`elevated` (a joking threat to someone else is not raised at all). If the embedding
model or the artifact is missing, the rules decide alone.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from amante.engine.types import Finding, SafetyLevel, SafetyResult

from .patterns import CATEGORIES

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
ARTIFACT = "safety"
_RANK = {"none": 0, "elevated": 1, "crisis": 2}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_VIOLENCE = {"harm_from_partner", "harm_from_others"}
_lock = threading.Lock()


@dataclass(frozen=True)
class Head:
    """One risk family: which category it raises, to what level, and its two thresholds."""

    name: str
    category: str
    level: SafetyLevel
    high: float
    medium: float
    third_party: bool = False


@dataclass(frozen=True)
class SafetyClassifier:
    """Weights (384 x heads), biases and the heads' decision rules."""

    weights: np.ndarray
    bias: np.ndarray
    heads: tuple[Head, ...]
    meta: dict[str, Any]

    def probs(self, vectors: np.ndarray) -> np.ndarray:
        """Probabilities per head, shape (n, heads)."""
        z = np.atleast_2d(vectors).astype(np.float32) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


def enabled() -> bool:
    """The classifier runs unless AMANTE_SAFETY_CLASSIFIER is 0/false/off."""
    return os.environ.get("AMANTE_SAFETY_CLASSIFIER", "1").lower() not in ("0", "false", "off")


@lru_cache(maxsize=1)
def load(directory: str | None = None) -> SafetyClassifier | None:
    """The packaged model (models/safety.npz + safety.json), or None when it is absent."""
    base = Path(directory) if directory else MODELS_DIR
    npz, meta_path = base / f"{ARTIFACT}.npz", base / f"{ARTIFACT}.json"
    if not npz.is_file() or not meta_path.is_file():
        return None
    with _lock:
        data = np.load(npz)
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        heads = tuple(
            Head(h["name"], h["category"], h["level"], float(h["high"]), float(h["medium"]),
                 bool(h.get("third_party", False)))
            for h in meta["heads"]
        )
        for h in heads:
            if h.category not in CATEGORIES or h.level not in ("elevated", "crisis"):
                raise ValueError(f"safety classifier head {h.name}: bad category or level")
        return SafetyClassifier(data["W"].astype(np.float32), data["b"].astype(np.float32),
                                heads, meta)


def _vector(text: str) -> np.ndarray | None:
    """The shared, cached message embedding; None when the model is not installed."""
    try:
        from amante.engine.understand.embedding import EmbeddingModelMissing, analyze_embedding
    except ImportError:  # pragma: no cover - numpy/onnxruntime missing
        return None
    try:
        return analyze_embedding(text)
    except (EmbeddingModelMissing, OSError, RuntimeError):
        return None


def head_scores(text: str) -> dict[str, float]:
    """Each head's probability for one message ({} when the model is unavailable)."""
    model = load()
    vec = _vector(text) if model is not None and text.strip() else None
    if model is None or vec is None:
        return {}
    p = model.probs(vec)[0]
    return {h.name: float(p[i]) for i, h in enumerate(model.heads)}


def _evidence(model: SafetyClassifier, text: str, head_index: int) -> tuple[str, int, int]:
    """The sentence that scored highest for the head (the whole text if it is one sentence)."""
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    if len(spans) <= 1:
        s = len(text) - len(text.lstrip())
        return text.strip(), s, s + len(text.strip())
    from amante.engine.understand.embedding import embed

    sentences = [text[s:e] for s, e in spans]
    p = model.probs(embed(sentences))[:, head_index]
    s, e = spans[int(np.argmax(p))]
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return text[s:e], s, e


def raise_with_classifier(text: str, result: SafetyResult) -> SafetyResult:
    """Raise `result` where a head is confident and the rules said less; never lower anything."""
    if not enabled() or not text.strip():
        return result
    model = load()
    if model is None:
        return result
    from .screen import message_modifiers

    mods = message_modifiers(text)
    if mods["framed"] or mods["past_safe"]:
        return result
    vec = _vector(text)
    if vec is None:
        return result
    p = model.probs(vec)[0]
    raised: dict[str, tuple[SafetyLevel, int, bool]] = {}
    ruled = set(result.categories) | set(getattr(result, "dismissed", ()))
    for i, head in enumerate(model.heads):
        if p[i] >= head.high:
            level: SafetyLevel = head.level
        elif p[i] >= head.medium:
            level = "elevated"
        else:
            continue
        category = head.category
        if category == "harm_from_partner" and mods["other_actor"]:
            category = "harm_from_others"
        family = _VIOLENCE if category in _VIOLENCE else {category}
        if family & ruled:
            continue  # the rules flagged it (at the level they chose) or saw it and ruled it out
        if mods["hyperbole"]:
            if category == "harm_to_others":
                continue
            level = "elevated"
        if mods["negation"]:
            level = "elevated"
        current = raised.get(category)
        if current is None or _RANK[level] > _RANK[current[0]]:
            raised[category] = (level, i, head.third_party)
    if not raised:
        return result
    return _merge(model, text, result, raised)


def _merge(model: SafetyClassifier, text: str, result: SafetyResult,
           raised: dict[str, tuple[SafetyLevel, int, bool]]) -> SafetyResult:
    """A copy of `result` with the classifier's raises added (categories, level, evidence)."""
    from .screen import ScreenResult

    cats = list(result.categories)
    evidence = list(result.evidence)
    third_cats = list(getattr(result, "third_party_categories", []))
    rules = list(getattr(result, "rules", []))
    level = result.level
    changed = False
    for category, (lvl, head_index, third) in raised.items():
        had = category in cats
        rule_level = result.level if had else "none"
        if had and (third or category in third_cats or _RANK[lvl] <= _RANK[rule_level]):
            continue  # the rules already said as much, or found it is about someone else
        if not had:
            cats.append(category)
            if third:
                third_cats.append(category)
        if _RANK[lvl] > _RANK[level]:
            level = lvl
        ev, s, e = _evidence(model, text, head_index)
        evidence.append(Finding(category, ev, s, e))
        rules.append(f"clf_{model.heads[head_index].name}")
        changed = True
    if not changed:
        return result
    cats = [c for c in CATEGORIES if c in cats]
    third_only = bool(third_cats) and set(cats) <= {*third_cats, "medical_emergency"}
    return ScreenResult(level=level, categories=cats, evidence=evidence, refuse=result.refuse,
                        third_party=third_only, third_party_categories=third_cats,
                        rules=sorted(set(rules)), dismissed=list(getattr(result, "dismissed", [])))
