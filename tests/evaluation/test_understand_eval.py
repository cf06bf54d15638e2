"""The labelled sets are well formed and the evaluation returns sane Metric rows."""

from __future__ import annotations

import hashlib
from collections import Counter

from amante.evaluation import Metric
from amante.evaluation.understand_eval import (
    HORSEMEN_FILE,
    INTENT_FILE,
    INTENTS,
    NEEDS,
    load_jsonl,
    run_horsemen_eval,
    run_intent_eval,
)

LABELS = {"criticism", "contempt", "defensiveness", "stonewalling", "repair"}


def _bucket(row_id: str) -> int:
    """The split was fixed by this hash of the id before any rule was tuned."""
    return int(hashlib.sha1(row_id.encode()).hexdigest(), 16) % 3


def test_horsemen_set_is_well_formed() -> None:
    rows = load_jsonl(HORSEMEN_FILE)
    assert len(rows) >= 330
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["text"] for r in rows}) == len(rows)
    splits = Counter(r["split"] for r in rows)
    assert set(splits) == {"train", "dev", "heldout"}
    assert splits["heldout"] >= len(rows) // 4
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["hard_negative"] >= 30 and kinds["report"] and kinds["draft"]
    for r in rows:
        assert r["split"] == ("train", "dev", "heldout")[_bucket(r["id"])]
        assert set(r["labels"]) <= LABELS
        assert set(r["spans"]) == set(r["labels"])
        for spans in r["spans"].values():
            assert spans and all(s in r["text"] for s in spans)
        if r["kind"] in ("negative", "hard_negative"):
            assert not set(r["labels"]) - {"repair"}


def test_intent_set_is_well_formed() -> None:
    rows = load_jsonl(INTENT_FILE)
    assert len(rows) >= 160
    assert {r["split"] for r in rows} == {"train", "heldout"}
    assert {r["intent"] for r in rows} == set(INTENTS)
    for r in rows:
        assert r["split"] == ("heldout" if _bucket(r["id"]) == 0 else "train")
        assert set(r["needs"]) <= set(NEEDS)


def test_horsemen_eval_rows() -> None:
    metrics = run_horsemen_eval(split="dev")
    names = {m.name for m in metrics}
    for lab in LABELS:
        assert {f"{lab}_precision", f"{lab}_recall", f"{lab}_f1"} <= names
    assert "horsemen_macro_f1" in names
    for m in metrics:
        assert isinstance(m, Metric)
        if m.higher_is_better:
            assert 0.0 <= m.value <= 1.0
    f1 = {m.name: m for m in metrics}
    assert f1["criticism_f1"].target == 0.85
    # Far above chance: a detector that fires on nothing or everything scores far lower.
    assert f1["horsemen_macro_f1"].value > 0.5


def test_default_split_is_heldout() -> None:
    assert all("split=heldout" in m.note for m in run_horsemen_eval() if m.name.endswith("_f1"))
    assert all("split=heldout" in m.note for m in run_intent_eval())


def test_intent_eval_rows() -> None:
    metrics = {m.name: m for m in run_intent_eval(split="train")}
    assert metrics["intent_accuracy"].target == 0.80
    assert metrics["needs_micro_f1"].target == 0.70
    assert metrics["intent_accuracy"].value > 0.4  # five classes: chance is about 0.2
    assert 0.0 <= metrics["needs_micro_f1"].value <= 1.0
