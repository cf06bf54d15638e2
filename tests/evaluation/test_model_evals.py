"""The emotion and topic evaluations run end to end on a small slice of the shared datasets."""

from __future__ import annotations

from pathlib import Path

import pytest

from amante.content.schema import TOPICS
from amante.evaluation import datasets_dir

DATASETS = datasets_dir(required=False)
needs_data = pytest.mark.skipif(DATASETS is None, reason="shared datasets not available")


@needs_data
def test_emotion_labels_match_the_dataset() -> None:
    from amante.engine.understand.emotions import EMOTION_LABELS

    assert DATASETS is not None
    names = (DATASETS / "goemotions" / "emotions.txt").read_text().split()
    assert tuple(names) == EMOTION_LABELS


@needs_data
def test_emotion_eval_on_a_slice() -> None:
    from amante.evaluation.emotions_eval import run_emotion_eval

    assert DATASETS is not None
    metrics = {m.name: m for m in run_emotion_eval(Path(DATASETS), limit=60)}
    assert set(metrics) == {"macro_f1_28", "ekman_macro_f1_7", "ms_per_message"}
    assert 0.0 < metrics["ekman_macro_f1_7"].value <= 1.0
    assert 0.0 <= metrics["macro_f1_28"].value <= 1.0
    assert metrics["ms_per_message"].value > 0
    assert metrics["ms_per_message"].higher_is_better is False


@needs_data
def test_counselchat_mapping_and_splits() -> None:
    from amante.evaluation.topics_eval import COUNSELCHAT_TO_AMANTE, load_counselchat

    assert DATASETS is not None
    assert set(COUNSELCHAT_TO_AMANTE.values()) <= set(TOPICS)
    splits = {s: load_counselchat(Path(DATASETS), s) for s in ("train", "val", "test")}
    ids = [{q.qid for q in qs} for qs in splits.values()]
    assert not (ids[0] & ids[1]) and not (ids[0] & ids[2]) and not (ids[1] & ids[2])
    assert all(q.topics and q.text for qs in splits.values() for q in qs)


@needs_data
def test_topic_eval_runs() -> None:
    from amante.evaluation.topics_eval import run_topic_eval

    assert DATASETS is not None
    metrics = {m.name: m for m in run_topic_eval(Path(DATASETS))}
    assert metrics["top1_accuracy"].value <= metrics["top3_accuracy"].value <= 1.0
    assert metrics["top3_accuracy"].target == 0.85
