"""What the model is told: stance, profile, analysis, plan, cards with sources, draft; history
trimmed to the budget; nothing from flagged turns."""

from __future__ import annotations

import pytest

from amante.engine.prompts import build_messages, estimate_tokens
from amante.engine.types import PastTurn, Plan


def _system(messages) -> str:
    assert messages[0]["role"] == "system"
    return messages[0]["content"]


def test_system_prompt_carries_stance_and_grounding(make_request, gottman_card):
    request = make_request()
    messages = build_messages(request, context_tokens=4096, max_tokens=400)
    system = _system(messages)
    for must in [
        "coach", "not therapy", "non-judgmental", "40 and 200 words", "diagnose", "medication",
        "ONLY", "statistics", "open question",
    ]:
        assert must in system, must
    # profile and facts
    assert "Alex" in system and "Sam" in system and "chores" in system
    # analysis: emotions, topics, horsemen with evidence, intent, needs
    assert "annoyance" in system and "household mental load" in system
    assert 'criticism, in the words "you never help"' in system
    assert "advice" in system and "appreciated" in system
    # plan
    assert "act:" in system and "suggest the technique" in system
    # the card with its source, and the draft
    assert gottman_card.title in system
    assert gottman_card.sources[0].short() in system
    assert gottman_card.steps[0].strip() in system
    assert request.draft in system
    # the user's message comes last
    assert messages[-1] == {"role": "user", "content": request.text}


def test_no_cards_forbids_techniques_and_citations(make_request):
    system = _system(build_messages(make_request(cards=[]), context_tokens=4096, max_tokens=400))
    assert "do not cite any source" in system
    assert "Source:" not in system


def test_ask_for_is_spelled_out(make_request):
    request = make_request(plan=Plan("explore", "reflection", ask_for="want"))
    system = _system(build_messages(request, context_tokens=4096, max_tokens=400))
    assert "what they would like to be different" in system


def _history(n: int) -> list[PastTurn]:
    turns = []
    for i in range(n):
        turns.append(PastTurn("user", f"user message {i} " + "about the dishes " * 20))
        turns.append(PastTurn("coach", f"coach reply {i} " + "I hear you " * 20))
    return turns


def test_history_is_kept_in_order_when_it_fits(make_request):
    messages = build_messages(make_request(history=_history(3)), context_tokens=8192,
                              max_tokens=400)
    roles = [m["role"] for m in messages]
    assert roles == ["system", "user", "assistant", "user", "assistant", "user", "assistant",
                     "user"]
    assert messages[1]["content"].startswith("user message 0")
    assert messages[-2]["content"].startswith("coach reply 2")


@pytest.mark.parametrize("context", [1536, 2048, 4096])
def test_history_is_trimmed_oldest_first_to_the_budget(make_request, context):
    max_tokens = 300
    messages = build_messages(make_request(history=_history(40)), context_tokens=context,
                              max_tokens=max_tokens)
    total = sum(estimate_tokens(m["content"]) + 6 for m in messages)
    assert total <= context - max_tokens
    history = messages[1:-1]
    assert history, "some history should fit"
    assert history[0]["role"] == "user"  # never starts with a dangling coach reply
    assert history[-1]["content"].startswith("coach reply 39")  # newest kept
    assert not any(m["content"].startswith("user message 0 ") for m in history)  # oldest gone
    numbers = [int(m["content"].split()[2]) for m in history]
    assert numbers == sorted(numbers)


def test_bigger_context_keeps_more_history(make_request):
    small = build_messages(make_request(history=_history(40)), context_tokens=2048, max_tokens=300)
    big = build_messages(make_request(history=_history(40)), context_tokens=8192, max_tokens=300)
    assert len(big) > len(small)


def test_real_token_counter_is_used(make_request):
    calls = []

    def count(text: str) -> int:
        calls.append(text)
        return len(text)  # one token per character: far more than the estimate

    messages = build_messages(make_request(history=_history(5)), context_tokens=8192,
                              max_tokens=400, count_tokens=count)
    assert calls
    assert sum(len(m["content"]) + 6 for m in messages) <= 8192 - 400


def test_tight_context_drops_optional_parts_then_refuses(make_request, gottman_card):
    request = make_request()
    full = _system(build_messages(request, context_tokens=4096, max_tokens=400))
    need = estimate_tokens(full)
    squeezed = _system(build_messages(request, context_tokens=need + 200, max_tokens=400))
    assert gottman_card.sources[0].short() in squeezed  # sources are never dropped
    assert len(squeezed) < len(full)
    with pytest.raises(ValueError, match="context"):
        build_messages(request, context_tokens=512, max_tokens=480)


def test_flagged_turns_never_reach_the_model(make_request):
    history = [
        PastTurn("user", "We argued about the dishes again."),
        PastTurn("coach", "That sounds tiring. What happened?"),
        PastTurn("user", "I don't want to be alive anymore.",
                 {"safety_level": "crisis", "safety_categories": ["suicide"]}),
        PastTurn("coach", "CRISIS PROTOCOL REPLY with a hotline"),
        PastTurn("user", "Thanks, I'm safe now, I called my sister."),
        PastTurn("coach", "I'm glad you reached out to her."),
    ]
    messages = build_messages(make_request(history=history), context_tokens=4096, max_tokens=400)
    text = " ".join(m["content"] for m in messages)
    assert "alive" not in text and "CRISIS PROTOCOL" not in text
    assert "called my sister" in text and "dishes" in text


@pytest.mark.parametrize("mode", ["support_only", "safety_first"])
def test_only_normal_mode_is_allowed(make_request, mode):
    with pytest.raises(ValueError, match=mode):
        build_messages(make_request(plan=Plan("comfort", "affirmation", mode=mode)),
                       context_tokens=4096, max_tokens=400)


def test_estimate_is_conservative():
    english = "We keep fighting about the dishes and I am tired of it. " * 10
    assert estimate_tokens(english) >= len(english) / 4.5
    assert estimate_tokens("こんにちは") >= 5
    assert estimate_tokens("") == 0
