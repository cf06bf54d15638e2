"""Evaluate the Four Horsemen, repair, intent and needs detectors on the labelled sets.

The sets in tests/data are original examples written for this project. Each row carries a
split fixed by a hash of its id before any rule was tuned: rules are tuned on train/dev only,
and the reported numbers come from the held-out split.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amante.engine.understand.horsemen import HORSEMEN, REPAIR, detect_horsemen, detect_repairs
from amante.engine.understand.intent import NEEDS, detect_intent, detect_needs
from amante.evaluation import Metric

DATA_DIR = Path(__file__).resolve().parents[3] / "tests" / "data"
HORSEMEN_FILE = DATA_DIR / "horsemen.jsonl"
INTENT_FILE = DATA_DIR / "intent.jsonl"
INTENTS: tuple[str, ...] = ("vent", "advice", "tool", "product", "smalltalk")

HORSEMAN_F1_TARGET = 0.85
INTENT_ACCURACY_TARGET = 0.80
NEEDS_F1_TARGET = 0.70
LATENCY_TARGET_MS = 1.0


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 from counts (0 when undefined)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSON-lines file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _rows(path: Path, splits: Iterable[str]) -> list[dict[str, Any]]:
    wanted = set(splits)
    return [r for r in load_jsonl(path) if r["split"] in wanted]


def horsemen_counts(rows: list[dict[str, Any]]) -> dict[str, PRF]:
    """Per-label counts at the message level (does the message show the pattern?)."""
    labels = (*HORSEMEN, REPAIR)
    counts = {lab: [0, 0, 0] for lab in labels}
    for row in rows:
        gold = set(row["labels"])
        found = {f.label for f in detect_horsemen(row["text"])}
        found |= {f.label for f in detect_repairs(row["text"])}
        for lab in labels:
            if lab in found and lab in gold:
                counts[lab][0] += 1
            elif lab in found:
                counts[lab][1] += 1
            elif lab in gold:
                counts[lab][2] += 1
    return {lab: PRF(*c) for lab, c in counts.items()}


def horsemen_errors(rows: list[dict[str, Any]]) -> list[tuple[str, str, list[str], list[str]]]:
    """(id, text, gold, predicted) for every message the detectors got wrong."""
    errors = []
    for row in rows:
        found = [f.label for f in detect_horsemen(row["text"])]
        found += [f.label for f in detect_repairs(row["text"])]
        pred = sorted(set(found))
        if pred != sorted(row["labels"]):
            errors.append((row["id"], row["text"], sorted(row["labels"]), pred))
    return errors


def _hard_negative_clean_rate(rows: list[dict[str, Any]]) -> float:
    hard = [r for r in rows if r["kind"] == "hard_negative"]
    if not hard:
        return 0.0
    clean = sum(1 for r in hard if not detect_horsemen(r["text"]))
    return clean / len(hard)


def _latency_ms(texts: list[str], repeats: int = 5) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        for t in texts:
            detect_horsemen(t)
            detect_repairs(t)
            detect_intent(t)
            detect_needs(t)
    return (time.perf_counter() - start) * 1000 / max(1, repeats * len(texts))


def run_horsemen_eval(split: str = "heldout") -> list[Metric]:
    """P/R/F1 per horseman and repair, and macro F1 over the four horsemen, on one split."""
    rows = _rows(HORSEMEN_FILE, [split])
    counts = horsemen_counts(rows)
    suite = "horsemen"
    note = f"{len(rows)} original messages, split={split}"
    metrics: list[Metric] = []
    for lab in (*HORSEMEN, REPAIR):
        c = counts[lab]
        support = c.tp + c.fn
        metrics.append(Metric(suite, f"{lab}_precision", c.precision, note=note))
        metrics.append(Metric(suite, f"{lab}_recall", c.recall, note=note))
        metrics.append(
            Metric(suite, f"{lab}_f1", c.f1, HORSEMAN_F1_TARGET, note=f"{note}, support={support}")
        )
    macro = sum(counts[lab].f1 for lab in HORSEMEN) / len(HORSEMEN)
    metrics.append(Metric(suite, "horsemen_macro_f1", macro, HORSEMAN_F1_TARGET, note=note))
    metrics.append(
        Metric(
            suite,
            "hard_negative_clean_rate",
            _hard_negative_clean_rate(rows),
            note="share of hard negatives with no horseman found",
        )
    )
    metrics.append(
        Metric(
            suite,
            "understand_rules_ms_per_message",
            _latency_ms([r["text"] for r in rows]),
            LATENCY_TARGET_MS,
            higher_is_better=False,
            note="horsemen + repair + intent + needs, pure Python",
        )
    )
    return metrics


def intent_scores(rows: list[dict[str, Any]]) -> tuple[float, PRF]:
    """Intent accuracy and needs micro counts over `rows`."""
    correct = 0
    tp = fp = fn = 0
    for row in rows:
        correct += detect_intent(row["text"]) == row["intent"]
        gold = set(row["needs"])
        pred = {lab.label for lab in detect_needs(row["text"])}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return correct / max(1, len(rows)), PRF(tp, fp, fn)


IntentError = tuple[str, str, str, str, list[str], list[str]]


def intent_errors(rows: list[dict[str, Any]]) -> list[IntentError]:
    """(id, text, gold intent, predicted intent, gold needs, predicted needs) when wrong."""
    errors = []
    for row in rows:
        intent = detect_intent(row["text"])
        needs = sorted(lab.label for lab in detect_needs(row["text"]))
        if intent != row["intent"] or needs != sorted(row["needs"]):
            errors.append(
                (row["id"], row["text"], row["intent"], intent, sorted(row["needs"]), needs)
            )
    return errors


def run_intent_eval(split: str = "heldout") -> list[Metric]:
    """Intent accuracy and needs micro-F1 on one split (held-out by default)."""
    rows = _rows(INTENT_FILE, [split])
    accuracy, needs = intent_scores(rows)
    note = f"{len(rows)} original messages, split={split}"
    return [
        Metric("intent", "intent_accuracy", accuracy, INTENT_ACCURACY_TARGET, note=note),
        Metric("intent", "needs_micro_precision", needs.precision, note=note),
        Metric("intent", "needs_micro_recall", needs.recall, note=note),
        Metric("intent", "needs_micro_f1", needs.f1, NEEDS_F1_TARGET, note=note),
    ]


__all__ = [
    "INTENTS",
    "NEEDS",
    "PRF",
    "horsemen_counts",
    "horsemen_errors",
    "intent_errors",
    "intent_scores",
    "load_jsonl",
    "run_horsemen_eval",
    "run_intent_eval",
]
