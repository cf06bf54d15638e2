"""Run evaluation suites by name and collect their Metric rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from amante.evaluation import Metric, datasets_dir


def _emotions() -> list[Metric]:
    from amante.evaluation.emotions_eval import run_emotion_eval

    return run_emotion_eval(datasets_dir())


def _topics() -> list[Metric]:
    from amante.evaluation.topics_eval import run_topic_eval

    return run_topic_eval(datasets_dir())


def _horsemen() -> list[Metric]:
    from amante.evaluation.understand_eval import run_horsemen_eval

    return run_horsemen_eval()


def _intent() -> list[Metric]:
    from amante.evaluation.understand_eval import run_intent_eval

    return run_intent_eval()


def _safety(blind: Path | None = None) -> list[Metric]:
    from amante.evaluation.safety_eval import run_safety_eval

    return run_safety_eval(datasets_dir(), blind=True if blind is None else blind)


SUITES: dict[str, Callable[[], list[Metric]]] = {
    "emotions": _emotions,
    "topics": _topics,
    "horsemen": _horsemen,
    "intent": _intent,
    "safety": _safety,
}


def run_suites(names: list[str], blind: Path | None = None) -> list[Metric]:
    """Every metric of the named suites, in order.

    `blind`: the safety suite reads only this blind set (instead of every
    tests/data/safety_blind*.jsonl), so one new set can be read once while others wait unread."""
    metrics: list[Metric] = []
    for name in names:
        metrics.extend(_safety(blind) if name == "safety" else SUITES[name]())
    return metrics
