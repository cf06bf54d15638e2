"""The rewriter on a labelled set of original harsh drafts (tests/data/harsh_drafts.jsonl):
each labelled Horseman is marked with its exact span, and the rewrite contains none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amante.engine.understand.horsemen import detect_horsemen
from amante.tools.errors import EmptyText, ToolError
from amante.tools.rewriter import VARIANTS, detect_blame, rewrite

DRAFTS = [json.loads(line) for line in
          (Path(__file__).parents[1] / "data" / "harsh_drafts.jsonl").read_text().splitlines()]
# Labelled by a person before the detector was run on them; the detector misses these.
KNOWN_MISSES = {("d060", "criticism")}


def test_the_labelled_set_is_big_and_covers_every_horseman():
    assert len(DRAFTS) >= 60
    labels = {h for d in DRAFTS for h in d["horsemen"]}
    assert labels == {"criticism", "contempt", "defensiveness", "stonewalling"}


@pytest.mark.parametrize("draft", DRAFTS, ids=[d["id"] for d in DRAFTS])
def test_every_labelled_horseman_is_marked_with_an_exact_span(draft):
    result = rewrite(draft["text"])
    for m in result.marks:
        assert draft["text"][m.start:m.end] == m.text
        assert m.explanation.endswith(".") and len(m.explanation) < 200
    marked = {m.label for m in result.marks if m.kind == "horseman"}
    for label in draft["horsemen"]:
        if (draft["id"], label) in KNOWN_MISSES:
            assert label not in marked, "fixed upstream: remove it from KNOWN_MISSES"
            continue
        assert label in marked, f"{label} not marked in {draft['text']!r}"


@pytest.mark.parametrize("draft", DRAFTS, ids=[d["id"] for d in DRAFTS])
def test_rewrites_are_gentle_and_keep_the_facts(draft):
    for variant in range(VARIANTS):
        result = rewrite(draft["text"], variant)
        if result.safety is not None:  # the safety screen took over: no rewrite offered
            assert result.rewrite is None
            continue
        text = result.rewrite
        assert detect_horsemen(text) == [], text
        assert detect_blame(text) == [], text
        assert "I feel " in text and "I need " in text
        for fact in draft["facts"]:
            assert fact.lower() in text.lower(), (fact, text)


def test_most_drafts_get_a_rewrite():
    rewritten = sum(rewrite(d["text"]).rewrite is not None for d in DRAFTS)
    assert rewritten >= 60


def test_variants_differ_and_are_deterministic():
    text = DRAFTS[0]["text"]
    versions = [rewrite(text, v).rewrite for v in range(VARIANTS)]
    assert len(set(versions)) == VARIANTS
    assert rewrite(text, 1).rewrite == versions[1]
    assert rewrite(text, VARIANTS).rewrite == versions[0]  # wraps around


def test_blame_is_marked_with_spans():
    text = "It's all your fault. You made me miss the train. You need to apologise."
    result = rewrite(text)
    blame = [(m.label, m.text) for m in result.marks if m.kind == "blame"]
    assert ("blame", "It's all your fault") in blame
    assert any(label == "blame" and t.startswith("You made me") for label, t in blame)
    assert any(label == "demand" and t.startswith("You need to") for label, t in blame)


def test_threats_get_a_safety_result_instead_of_a_rewrite():
    for text in ("If you leave me I will kill you.", "You'll regret this, I'll make you pay.",
                 "You will never see the kids again."):
        result = rewrite(text, region="UK")
        assert result.rewrite is None and result.safety is not None, text
        assert result.safety.resources, "the notice should list where to get help"


def test_abuse_disclosure_is_not_polished_into_a_message():
    result = rewrite("He hit me last night and I'm scared to go home. You never care.")
    assert result.rewrite is None
    assert "harm_from_partner" in result.safety.categories


@pytest.mark.parametrize("bad, error", [("", EmptyText), ("   \n", EmptyText),
                                         ("x" * 4001, ToolError)])
def test_bad_drafts(bad, error):
    with pytest.raises(error):
        rewrite(bad)


def test_negative_variant_is_refused():
    with pytest.raises(ToolError, match="variant"):
        rewrite("You never call.", -1)


def test_a_kind_message_is_left_mostly_alone():
    result = rewrite("Thank you for cooking dinner on Sunday, it meant a lot.")
    assert result.marks == []
    assert "Sunday" in result.rewrite
    assert result.notes
