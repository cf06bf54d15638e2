"""The reply guard: method details, diagnosis, medication, therapy self-description,
victim-blaming, and no relationship-improvement advice while the user may be unsafe."""

from __future__ import annotations

import pytest

from amante.engine.safety import guard, screen
from amante.engine.types import SafetyResult

SAFE = SafetyResult()


@pytest.mark.parametrize(("reply", "code"), [
    ("A lethal dose would be around that many tablets.", "method_info"),
    ("The George Washington Bridge is one of the tallest.", "method_info"),
    ("You clearly have BPD.", "diagnosis"),
    ("Honestly, your boyfriend is a textbook narcissist.", "diagnosis"),
    ("Maybe try increasing your sertraline a little.", "medication"),
    ("Take 50 mg of it before bed.", "medication"),
    ("As your therapist, I think you should rest.", "therapy_self_description"),
    ("In our therapy session today we covered a lot.", "therapy_self_description"),
    ("What did you do to make him so angry?", "victim_blaming"),
    ("Why didn't you just leave?", "victim_blaming"),
])
def test_violations_are_caught(reply: str, code: str) -> None:
    result = guard(reply, safety=SAFE, mode="normal")
    assert not result.ok
    assert code in result.violations


@pytest.mark.parametrize("reply", [
    "That sounds really painful. What happened next?",
    "I'm an AI coach, not a therapist. A licensed therapist could help with this.",
    "It makes sense you feel hurt. Would it help to plan what you want to say?",
    "Try a gentle start-up: describe what happened and what you need.",
])
def test_ordinary_replies_pass_when_safe(reply: str) -> None:
    assert guard(reply, safety=SAFE, mode="normal").ok


@pytest.mark.parametrize("reply", [
    "Have you thought about couples counseling together?",
    "Try to see it from his side; he is stressed too.",
    "Maybe plan a date night to reconnect.",
    "Use I-statements so he doesn't feel attacked.",
    "Give him another chance if he apologizes.",
])
def test_no_relationship_advice_when_abuse_is_flagged(reply: str) -> None:
    flagged = screen("My boyfriend hit me again last night.")
    result = guard(reply, safety=flagged, mode="safety_first", flags=["abuse"])
    assert "relationship_advice_while_unsafe" in result.violations
    # the same advice is fine in an ordinary conversation
    assert guard(reply, safety=SAFE, mode="normal").ok


def test_abuse_flag_from_earlier_turns_still_blocks_advice() -> None:
    result = guard("Maybe plan a date night.", safety=SAFE, mode="normal", flags=["abuse"])
    assert not result.ok
