"""The pipeline end to end on the real engine (real analyzers, content and safety rules)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest

from amante.engine.coach import DISCLOSURE_EVERY_SECONDS, Coach, Replace
from amante.engine.errors import InputError
from amante.engine.speak import SpeakRequest
from amante.engine.types import Conversation, PastTurn, Profile


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class ExplodingBackend:
    """Fails the test if the coach ever hands it a message."""

    name = "exploding"

    def stream(self, request: SpeakRequest) -> Iterator[str]:
        raise AssertionError(f"backend was called for {request.text!r}")


class BadBackend:
    name = "bad"

    def stream(self, request: SpeakRequest) -> Iterator[str]:
        yield "Honestly, it sounds like you have borderline personality disorder. "
        yield "As your therapist I'd say go double your medication dose."


def talk(coach: Coach, messages: list[str], conversation: Conversation | None = None):
    """Run a conversation, feeding each turn's state and history back like the store does."""
    conv = conversation or Conversation(id="c1")
    turns = []
    for text in messages:
        turn = coach.respond(conv, text)
        turns.append(turn)
        conv.history += [
            PastTurn(
                "user",
                turn.text,
                {
                    "safety_level": turn.safety.level,
                    "safety_categories": turn.safety.categories,
                    "emotion": turn.analysis.top_emotion,
                },
            ),
            PastTurn("coach", turn.reply),
        ]
        conv.facts += turn.new_facts
        conv.state = turn.state
    return turns


def body(reply: str) -> str:
    """The reply without the first-turn disclosure paragraph."""
    return reply.split("\n\n", 1)[-1]


def test_turn_carries_every_step():
    turn = Coach().respond(Conversation(id="c1"), "My husband and I keep fighting about money.")
    assert turn.reply
    assert turn.safety.level == "none"
    assert "money" in [t.label for t in turn.analysis.topics]
    assert turn.plan.phase in {"explore", "comfort", "act"}
    assert turn.state.turn_count == 1


def test_first_reply_says_ai_coach_not_therapist():
    reply = Coach().respond(Conversation(id="c1"), "Hi").reply
    first = reply.split("\n\n")[0].lower()
    assert "ai" in first.split() or "ai," in first
    assert "not a therapist" in first


def test_disclosure_again_after_three_hours_only():
    clock = Clock()
    coach = Coach(clock=clock)
    conv = Conversation(id="c1")
    first = talk(coach, ["We had a fight last night about his phone."], conv)[0]
    clock.now += 60
    second = talk(coach, ["He was scrolling while I talked about my day."], conv)[0]
    clock.now += DISCLOSURE_EVERY_SECONDS
    third = talk(coach, ["I felt invisible, honestly."], conv)[0]
    disclosure = first.reply.split("\n\n")[0]
    assert disclosure not in second.reply
    assert third.reply.startswith(disclosure)


def test_crisis_reply_never_calls_backend():
    coach = Coach(backend=ExplodingBackend())
    turn = coach.respond(Conversation(id="c1"), "I want to kill myself tonight.")
    assert turn.safety.level == "crisis"
    assert turn.backend == "protocol"
    assert "988" in turn.reply or "emergency" in turn.reply.lower()
    assert turn.techniques == []


def test_after_a_crisis_the_coach_stays_in_support_mode():
    coach = Coach(backend=ExplodingBackend())
    turns = talk(
        coach,
        ["I don't want to live anymore.", "Anyway, how do I get my boyfriend to text me more?"],
    )
    follow = turns[1]
    assert follow.plan.mode == "support_only"
    assert follow.techniques == []
    assert follow.backend == "protocol"


def test_partner_violence_gives_no_relationship_advice():
    turn = Coach().respond(
        Conversation(id="c1"), "My boyfriend hit me again last night and I'm scared to go home."
    )
    assert turn.safety.level == "crisis"
    assert "harm_from_partner" in turn.safety.categories
    lowered = turn.reply.lower()
    for phrase in ("couples counsel", "his side", "gentle start-up", "work on the relationship"):
        assert phrase not in lowered
    assert turn.state.mode == "safety_first"


def test_guard_replaces_a_bad_backend_reply():
    turn = Coach(backend=BadBackend()).respond(
        Conversation(id="c1"), "We argue about chores every weekend. What should I do?"
    )
    assert "borderline" not in turn.reply
    assert "medication" not in turn.reply
    assert turn.backend == "fallback"
    assert any(e.startswith("guard:") for e in turn.events)


def test_venting_user_is_reflected_before_advised():
    turn = Coach().respond(
        Conversation(id="c1"),
        "I'm so sad. We barely talk anymore and I feel alone in my own marriage.",
    )
    assert turn.plan.strategy in {"reflection", "affirmation", "restatement"}
    assert turn.techniques == []


def test_vague_advice_request_asks_what_happened():
    turn = Coach().respond(Conversation(id="c1"), "What should I do?")
    assert turn.plan.strategy == "question"
    assert turn.reply.rstrip().endswith("?")


def test_advice_with_a_situation_gets_a_cited_technique():
    turn = Coach().respond(
        Conversation(id="c1"),
        "When we argue my partner just walks away and stops talking to me for hours. "
        "How can I get through to her without it blowing up?",
    )
    assert turn.plan.strategy == "suggestion"
    assert turn.techniques
    tech = turn.techniques[0]
    assert re.search(r"\b(19|20)\d\d\b", tech.source)
    assert tech.title in turn.reply


def test_replies_use_the_partner_name_the_user_gave():
    turns = talk(
        Coach(),
        [
            "My wife Ana and I keep fighting about chores.",
            "Last night she said I never help and I just went quiet.",
        ],
    )
    assert any("Ana" in t.reply for t in turns)


def test_profile_name_is_used_over_learned_fact():
    conv = Conversation(id="c1", profile=Profile(partner_name="Robin"))
    turns = talk(Coach(), ["We had a huge fight about money again, he spent our savings."], conv)
    assert "Robin" in turns[0].reply


def test_no_repeated_openings_or_paragraphs_in_a_long_conversation():
    messages = [
        "My boyfriend and I keep arguing about his phone.",
        "He scrolls during dinner and I feel ignored.",
        "Last night I said something mean and he walked out.",
        "I felt awful afterwards, and also angry.",
        "I want us to feel close again.",
        "What should I actually say to him?",
        "He says I nag him all the time.",
        "Maybe he is right, I don't know.",
        "We have been together three years.",
        "Do you think this can get better?",
    ]
    turns = talk(Coach(), messages)
    openings = [body(t.reply).split(". ")[0] for t in turns]
    for a, b in itertools.pairwise(openings):
        assert a != b
    sentences: list[str] = []
    for t in turns:
        for s in re.split(r"(?<=[.?!])\s+", body(t.reply)):
            if len(s.split()) >= 6:
                sentences.append(s)
    assert len(sentences) == len(set(sentences)), "a sentence was repeated in one conversation"


def _syllables(word: str) -> int:
    groups = re.findall(r"[aeiouy]+", word.lower())
    n = len(groups) - (1 if word.lower().endswith("e") and len(groups) > 1 else 0)
    return max(1, n)


def grade_level(text: str) -> float:
    sentences = max(1, len(re.findall(r"[.?!]+", text)))
    words = re.findall(r"[A-Za-z']+", text)
    syl = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syl / len(words) - 15.59


SAMPLE_MESSAGES = [
    "My husband never helps with the kids and I'm exhausted.",
    "We've been long distance for a year and I miss her so much.",
    "I found messages on his phone from another woman.",
    "My mother-in-law criticises everything I do and my wife says nothing.",
    "We haven't had sex in months and I don't know how to bring it up.",
    "She gets jealous whenever I go out with my friends.",
    "How do we split money fairly when I earn more?",
    "My partner is depressed and I don't know how to support him.",
    "We just started dating and I'm not sure how often to text.",
    "He rolled his eyes and called me pathetic in front of our friends. What do I do?",
    "I want to propose but I'm scared she isn't ready.",
    "My girlfriend and I are from different religions and her parents disapprove.",
]


def test_replies_are_a_readable_length_and_end_with_a_question_or_step():
    coach = Coach()
    lengths, grades = [], []
    for i, text in enumerate(SAMPLE_MESSAGES):
        reply = body(coach.respond(Conversation(id=f"s{i}"), text).reply)
        lengths.append(len(reply.split()))
        grades.append(grade_level(reply))
        last = re.split(r"(?<=[.?!])\s+", reply.strip())[-1]
        assert last.endswith("?") or re.match(r"(If you like|A small first step|Try it)", last), (
            f"reply ends without a question or a next step: {last!r}"
        )
    within = sum(40 <= n <= 200 for n in lengths)
    assert within >= len(lengths) - 2, lengths
    assert sorted(grades)[len(grades) // 2] <= 9.5, grades


@pytest.mark.parametrize("bad", ["", "   \n\t ", "x" * 8001])
def test_bad_messages_are_refused_with_a_reason(bad):
    with pytest.raises(InputError):
        Coach().respond(Conversation(id="c1"), bad)


class ScriptedBackend:
    """Streams fixed pieces, optionally failing after some of them (unit test of the guards)."""

    name = "scripted"

    def __init__(self, pieces: list[str], fail_after: int | None = None) -> None:
        self.pieces = pieces
        self.fail_after = fail_after
        self.calls = 0

    def stream(self, request: SpeakRequest) -> Iterator[str]:
        self.calls += 1
        for i, piece in enumerate(self.pieces):
            if self.fail_after is not None and i == self.fail_after:
                from amante.engine.speak import BackendError

                raise BackendError("connection closed mid-stream")
            yield piece


GOOD = [
    "That sounds really lonely. ",
    "When Sam scrolls during dinner, ",
    "it can feel like you are not there. ",
    "What would you like Sam to understand about those evenings?",
]
MESSAGE = "My partner Sam is always on his phone at dinner. What can I do?"


def test_backend_reply_streams_sentence_by_sentence():
    coach = Coach(backend=ScriptedBackend(GOOD))
    items = list(coach.stream(Conversation(id="c1"), MESSAGE))
    turn = items[-1]
    texts = [i for i in items[:-1] if isinstance(i, str)]
    assert turn.backend == "scripted"
    assert turn.reply.endswith("".join(GOOD).strip())
    assert len(texts) >= 3  # disclosure, then each checked sentence
    assert "".join(texts).strip() == turn.reply.strip()


def test_a_violation_mid_stream_replaces_the_shown_text_with_the_draft():
    bad = [
        *GOOD[:2],
        "it can feel like you are not there. ",
        "Studies show 67% of couples who phub divorce. ",
        "Try talking tonight.",
    ]
    coach = Coach(backend=ScriptedBackend(bad))
    items = list(coach.stream(Conversation(id="c1"), MESSAGE))
    turn = items[-1]
    replaced = [i for i in items if isinstance(i, Replace)]
    assert len(replaced) == 1
    assert "67%" not in "".join(i for i in items if isinstance(i, str))
    assert turn.backend == "fallback" and "67%" not in turn.reply
    assert turn.reply.endswith(replaced[0].text)
    assert any("invented_statistic" in e for e in turn.events)


def test_backend_failure_before_any_text_uses_the_draft_without_replace():
    coach = Coach(backend=ScriptedBackend(GOOD, fail_after=0))
    items = list(coach.stream(Conversation(id="c1"), MESSAGE))
    assert not any(isinstance(i, Replace) for i in items)
    turn = items[-1]
    assert turn.backend == "fallback"
    assert any(e.startswith("backend:") for e in turn.events)
    assert "".join(i for i in items[:-1] if isinstance(i, str)).strip() == turn.reply.strip()
