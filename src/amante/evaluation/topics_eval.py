"""Topic evaluation on CounselChat (Bertagnolli, 2020): top-1 / top-3 accuracy on mapped topics.

CounselChat's own topic slugs are mapped to amante's taxonomy only where they clearly
correspond (COUNSELCHAT_TO_AMANTE); questions whose topics are all unmapped are left out. The
input is questionTitle + " " + questionText, one row per unique questionID, using the dataset's
own train/val/test split column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from amante.content.schema import TOPICS
from amante.evaluation import Metric

#: CounselChat topic slug -> amante topic. Unlisted slugs are unmapped, because none of ours
#: fits them cleanly: relationships and marriage (span many of our topics), anger-management,
#: behavioral-change, counseling-fundamentals, diagnosis, legal-regulatory, professional-ethics,
#: sleep-improvement, social-relationships, workplace-relationships, military-issues,
#: substance-abuse and addiction (we have no addiction topic).
COUNSELCHAT_TO_AMANTE: dict[str, str] = {
    "relationship-dissolution": "breakup_divorce",
    "family-conflict": "family_in_laws",
    "parenting": "parenting",
    "children-adolescents": "parenting",
    "lgbtq": "lgbtq",
    "domestic-violence": "abuse_safety",
    "depression": "mental_health",
    "anxiety": "mental_health",
    "trauma": "mental_health",
    "self-harm": "mental_health",
    "eating-disorders": "mental_health",
    "self-esteem": "self_worth",
    "grief-and-loss": "grief_loss",
    "intimacy": "intimacy_sex",
    "human-sexuality": "intimacy_sex",
    "spirituality": "culture_religion",
    "stress": "stress_life_transitions",
}
CSV_NAME = "20200325_counsel_chat.csv"


@dataclass(frozen=True)
class Question:
    """One CounselChat question with the amante topics its slugs map to."""

    qid: str
    text: str
    topics: frozenset[str]


def load_counselchat(datasets: Path, split: str) -> list[Question]:
    """Unique questions of one split ("train", "val", "test") that have a mapped topic."""
    by_id: dict[str, tuple[str, set[str]]] = {}
    with (datasets / "counsel-chat" / CSV_NAME).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["split"] != split:
                continue
            text = f"{row['questionTitle'].strip()} {row['questionText'].strip()}".strip()
            entry = by_id.setdefault(row["questionID"], (text, set()))
            mapped = COUNSELCHAT_TO_AMANTE.get(row["topic"].strip())
            if mapped:
                entry[1].add(mapped)
    return [Question(q, t, frozenset(s)) for q, (t, s) in sorted(by_id.items()) if s]


def topk_accuracy(scores: np.ndarray, gold: list[frozenset[str]], k: int) -> float:
    """Share of questions with at least one gold topic among the k best-scored topics."""
    hits = 0
    for s, g in zip(scores, gold, strict=True):
        top = {TOPICS[i] for i in np.argsort(-s, kind="stable")[:k]}
        hits += bool(top & g)
    return hits / max(len(gold), 1)


def run_topic_eval(datasets: Path) -> list[Metric]:
    """Top-1 and top-3 accuracy on CounselChat's test questions (read once)."""
    from amante.engine.understand.topics import topic_scores

    questions = load_counselchat(datasets, "test")
    scores = topic_scores([q.text for q in questions])
    gold = [q.topics for q in questions]
    note = f"CounselChat test, {len(questions)} questions with a mapped topic"
    return [
        Metric("topics", "top1_accuracy", topk_accuracy(scores, gold, 1), None, True, note),
        Metric("topics", "top3_accuracy", topk_accuracy(scores, gold, 3), 0.85, True, note),
    ]
