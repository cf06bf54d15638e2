"""Four Horsemen and repair detection: labels, exact evidence spans, hard negatives."""

from __future__ import annotations

import pytest

from amante.engine.understand.horsemen import HORSEMEN, detect_horsemen, detect_repairs


def labels(text: str) -> set[str]:
    return {f.label for f in detect_horsemen(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You never listen. You're so selfish.", {"criticism"}),
        ("My wife says I never help with the kids.", {"criticism"}),
        ("She rolled her eyes and called me pathetic.", {"contempt"}),
        ("Oh great job, genius.", {"contempt"}),
        ("I'm the only adult in this house.", {"contempt"}),
        ("Well, you never help either!", {"defensiveness", "criticism"}),
        ("It's not my fault the rent was late.", {"defensiveness"}),
        ("Why are you always attacking me?", {"defensiveness"}),
        ("Yes, but you didn't remind me.", {"defensiveness"}),
        ("He just stares at his phone and won't answer.", {"stonewalling"}),
        ("I just stop talking when she raises her voice.", {"stonewalling"}),
        ("She gave me the silent treatment all weekend.", {"stonewalling"}),
    ],
)
def test_detects_each_horseman_in_reports_and_drafts(text: str, expected: set[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "You always make me laugh.",
        "You never fail to surprise me.",
        "What is stonewalling?",
        "I never said that was easy.",
        "I was upset you were late tonight.",
        'In the movie the husband yells "you\'re pathetic" at his wife.',
        "I read that eye-rolling is a sign of contempt. Is that true?",
        "Can you pick up milk on the way home?",
        "I don't think he's lazy, I think he's exhausted.",
        "He left the house at 7 to catch his train.",
        "I'm so stupid, I left my keys at work again.",
    ],
)
def test_hard_negatives_do_not_fire(text: str) -> None:
    assert detect_horsemen(text) == []


def test_evidence_is_the_exact_span_and_sorted() -> None:
    text = "She rolled her eyes, said I'm always overreacting, then walked out."
    found = detect_horsemen(text)
    assert {f.label for f in found} == {"contempt", "criticism", "stonewalling"}
    for f in found:
        assert text[f.start : f.end] == f.evidence
        assert f.label in HORSEMEN
    assert [f.start for f in found] == sorted(f.start for f in found)
    keys = [(f.label, f.start, f.end) for f in found]
    assert len(keys) == len(set(keys))


def test_repairs_with_spans() -> None:
    text = "I'm sorry, can we start over? I need a break but I'll come back after dinner."
    found = detect_repairs(text)
    assert found and all(f.label == "repair" for f in found)
    assert any("sorry" in f.evidence for f in found)
    assert any("start over" in f.evidence for f in found)
    for f in found:
        assert text[f.start : f.end] == f.evidence
    assert detect_horsemen(text) == []


def test_repair_ignores_apology_for_a_long_message() -> None:
    assert detect_repairs("Sorry for the long message, I just needed to vent.") == []


def test_empty_text() -> None:
    assert detect_horsemen("") == []
    assert detect_repairs("") == []
