"""Intent (vent/advice/tool/product/smalltalk) and voiced needs."""

from __future__ import annotations

import pytest

from amante.engine.understand.intent import NEEDS, detect_intent, detect_needs


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hi", "smalltalk"),
        ("thanks, that helps", "smalltalk"),
        ("Are you a real person?", "product"),
        ("Is this private?", "product"),
        ("What can you do?", "product"),
        ("Can you help me rewrite this text?", "tool"),
        ("Give me a conversation starter", "tool"),
        ("Is there a quiz we could take?", "tool"),
        ("How do I talk to him about money?", "advice"),
        ("Should I tell her?", "advice"),
        ("Any tips for the holidays?", "advice"),
        ("He forgot my birthday again and I cried in the car.", "vent"),
    ],
)
def test_intent(text: str, intent: str) -> None:
    assert detect_intent(text) == intent


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("He never listens to me.", "heard"),
        ("I just want to be understood.", "heard"),
        ("Nothing I do is ever noticed.", "appreciated"),
        ("I'm scared of what he'll do.", "safe"),
        ("I need to feel secure.", "safe"),
        ("We feel like roommates.", "close"),
        ("I miss us.", "close"),
        ("She talks down to me.", "respected"),
        ("I need space.", "free"),
        ("I feel smothered.", "free"),
    ],
)
def test_needs_top_label(text: str, need: str) -> None:
    needs = detect_needs(text)
    assert needs and needs[0].label == need


def test_needs_scores_sorted_and_bounded() -> None:
    needs = detect_needs("He never listens, I feel invisible, and I need space to breathe.")
    assert {n.label for n in needs} >= {"heard", "appreciated", "free"}
    scores = [n.score for n in needs]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert all(n.label in NEEDS for n in needs)


def test_no_needs_in_small_talk_or_logistics() -> None:
    assert detect_needs("hi there") == []
    assert detect_needs("Can you pick up milk at five?") == []
    assert detect_intent("") == "smalltalk"
