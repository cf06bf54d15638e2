"""The safety evaluation: corpus shape, honest splits and metrics."""

from __future__ import annotations

import collections

import pytest

from amante.evaluation import datasets_dir
from amante.evaluation.safety_eval import (
    BENIGN_FAMILIES,
    TARGETS,
    corpus_stats,
    counselchat_review,
    load_corpus,
    run_safety_eval,
)


def test_corpus_covers_every_category_and_family() -> None:
    rows = load_corpus()
    assert len(rows) >= 420
    assert len({r["id"] for r in rows}) == len(rows)
    cats = collections.Counter(c for r in rows for c in r["categories"])
    for cat, _, _ in TARGETS:
        assert cats[cat] >= 10, cat
    families = {r["family"] for r in rows}
    assert set(BENIGN_FAMILIES) | {"explicit", "indirect", "slang", "misspelling",
                                    "third_party", "harmful_request", "context"} <= families
    assert {r["split"] for r in rows} == {"dev", "heldout"}
    assert any(r.get("context") for r in rows)


def test_corpus_stats_count_misses() -> None:
    rows = [
        {"id": "a", "text": "I want to kill myself.", "expected_level": "crisis",
         "categories": ["self_harm"], "family": "explicit"},
        {"id": "b", "text": "We fight about chores.", "expected_level": "crisis",
         "categories": ["self_harm"], "family": "explicit"},
        {"id": "c", "text": "This argument is killing me.", "expected_level": "none",
         "categories": [], "family": "hyperbole"},
    ]
    st = corpus_stats(rows)
    assert st["self_harm@crisis"] == (1, 2)
    assert st["explicit"] == (1, 2)
    assert st["benign_crisis"] == (0, 1)
    assert [f[0] for f in st["failures"]] == ["b"]


def test_review_list_has_a_reason_for_every_id() -> None:
    for qid, reason in counselchat_review().items():
        assert qid.isdigit() and len(reason) > 20


def test_run_safety_eval_reports_dev_and_heldout() -> None:
    if datasets_dir(required=False) is None:
        pytest.skip("shared datasets not found")
    metrics = run_safety_eval(datasets_dir(required=False))
    names = {m.name for m in metrics}
    assert "self_harm recall@crisis [dev]" in names
    assert "self_harm recall@crisis [heldout]" in names
    assert "CounselChat non-crisis crisis false-alarm rate" in names
    latency = next(m for m in metrics if m.name == "screen latency ms/message")
    assert latency.passed
