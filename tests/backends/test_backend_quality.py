"""Quality checks on generated replies: each rule fires on a bad reply and stays quiet on good ones,
including every reply the real composer writes."""

from __future__ import annotations

import pytest

from amante.engine.coach import Coach
from amante.engine.quality import check_partial, check_reply, citations, sentence_end
from amante.engine.speak import SpeakRequest
from amante.engine.types import Conversation, PastTurn, Profile

GOOD = (
    "It sounds like the dishes have turned into a stand-in for feeling alone with the work at "
    "home, Alex. That is tiring. One idea from Gottman & Silver (1999) is a gentle start: "
    "describe one moment and one wish, without blaming. For example: \"When the pans sat out "
    "last night, I felt alone with it. Could we split the evening clean-up?\" "
    "What would you most want Sam to hear first?"
)


def test_good_reply_passes(make_request):
    assert check_reply(GOOD, make_request()) == []


@pytest.mark.parametrize(
    "bad",
    [
        "About 70% of couples argue about chores.",
        "Roughly 40 percent of marriages hit this wall.",
        "Studies show that sharing chores makes couples happier.",
        "Research has shown that this pattern predicts trouble.",
        "In a study of 3,000 couples, chores came up first.",
        "Thousands of couples have tried this.",
        "One in three couples fights about housework.",
        "Couples who do this are twice as likely to stay together.",
        "Keep a 5:1 ratio of positive to negative moments.",
        "This rests on 40 years of research.",
    ],
)
def test_invented_statistics_are_caught(make_request, bad):
    reply = f"{bad} {GOOD}"
    assert "invented_statistic" in check_reply(reply, make_request())
    assert "invented_statistic" in check_partial(bad, make_request())


def test_number_in_the_card_is_not_invented(make_request, gottman_card):
    request = make_request(draft="Take 20 minutes apart and 3 slow breaths, then talk. Ready?")
    reply = "Take 20 minutes apart and 3 slow breaths, then come back. " + GOOD
    assert "invented_statistic" not in check_reply(reply, request)


@pytest.mark.parametrize(
    "citation",
    [
        "(Johnson, 2008)",
        "Smith and Jones (2015)",
        "(Brown et al., 2012)",
        "as Gottman (2015) wrote",
        "(Gottman & Silver, 2015)",  # right authors, wrong year
    ],
)
def test_sources_not_on_the_cards_are_caught(make_request, citation):
    reply = f"This idea {citation} can help. {GOOD}"
    assert "unknown_source" in check_reply(reply, make_request())
    assert "unknown_source" in check_partial(f"This idea {citation}", make_request())


@pytest.mark.parametrize(
    "citation",
    ["(Gottman & Silver, 1999)", "Gottman and Silver (1999)", "Gottman, 1999", "Silver (1999)"],
)
def test_card_sources_in_any_style_are_allowed(make_request, citation):
    assert "unknown_source" not in check_reply(f"From {citation}: {GOOD}", make_request())


def test_no_cards_means_no_citations(make_request):
    request = make_request(cards=[])
    assert "unknown_source" in check_reply(f"(Gottman & Silver, 1999) {GOOD}", request)


def test_years_that_are_not_citations_are_fine(make_request):
    reply = f"Since 2019 and in June, 2021 you two moved twice. {GOOD}"
    assert check_reply(reply, make_request()) == []
    assert citations("(Gottman & Silver, 1999)")[0][:2] == (["gottman", "silver"], "1999")


@pytest.mark.parametrize(
    "bad",
    [
        "As your therapist, I think you should rest.",
        "I'm a licensed therapist and I hear you.",
        "In this therapy session we will look at chores.",
        "This is therapy, so take your time.",
    ],
)
def test_calling_itself_therapy_is_caught(make_request, bad):
    assert "self_description_therapy" in check_reply(f"{bad} {GOOD}", make_request())
    assert "self_description_therapy" in check_partial(bad, make_request())


def test_recommending_a_therapist_is_fine(make_request):
    reply = (
        "I'm not a therapist, I'm a coach. If this keeps weighing on you, a licensed therapist or "
        "couples counsellor could help too. " + GOOD
    )
    assert check_reply(reply, make_request()) == []


def test_length_limits(make_request):
    assert check_reply("Try a gentle start. What do you think?", make_request()) == ["too_short"]
    long = " ".join(f"Sentence number {w} is here and it is different." for w in
                    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                     "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                     "seventeen", "eighteen", "nineteen", "twenty", "twentyone", "twentytwo",
                     "twentythree", "twentyfour", "twentyfive", "twentysix", "twentyseven",
                     "twentyeight", "twentynine", "thirty", "thirtyone", "thirtytwo",
                     "thirtythree"])
    assert "too_long" in check_reply(long + " What now?", make_request())


def test_repetition(make_request):
    para = "It sounds like the chores weigh on you and you feel alone with them at home."
    assert "repeated_paragraph" in check_reply(f"{para}\n\n{para}\n\nWhat helps?", make_request())
    looped = "You are not alone in this. " * 3 + "What would help most right now?"
    assert "repeated_sentence" in check_reply(looped * 2, make_request())


def test_ending_is_lenient(make_request):
    no_end = (
        "It sounds like the chores weigh on you and you feel alone with them at home. "
        "That is a heavy thing to carry for a long time."
    )
    assert check_reply(no_end, make_request()) == ["no_ending"]
    step = no_end + " Try naming one small wish to Sam tonight."
    assert check_reply(step, make_request()) == []


def test_partial_check_ignores_length_and_endings(make_request):
    assert check_partial("It sounds", make_request()) == []


def test_every_composer_reply_passes(make_request):
    """The composer's drafts are the fallback: the checks must not reject them."""
    seen: list[SpeakRequest] = []

    class Capture:
        name = "capture"

        def stream(self, request):
            seen.append(request)
            yield request.draft

    coach = Coach(backend=Capture())
    messages = [
        "My partner always criticizes me, he says I never do anything right.",
        "We keep fighting about money and I'm exhausted.",
        "How can I tell Sam that I need more time together?",
        "She is always on her phone at dinner and I feel alone.",
        "He rolled his eyes and said \"you're pathetic\" when I asked for help.",
        "I want advice on how to stop our arguments from escalating.",
        "My wife shuts down and walks away whenever I bring up her mother.",
        "Can you give me a tool to talk about chores?",
    ]
    for i, text in enumerate(messages):
        conversation = Conversation(id=f"q{i}", profile=Profile(partner_name="Sam"))
        for _ in range(3):
            turn = coach.respond(conversation, text)
            conversation.history = [
                *conversation.history, PastTurn("user", text), PastTurn("coach", turn.reply)
            ]
            conversation.state = turn.state
    assert any(r.cards for r in seen), "some replies should be grounded on cards"
    for request in seen:
        violations = [v for v in check_reply(request.draft, request) if v != "too_short"]
        assert violations == [], (violations, request.draft)


@pytest.mark.parametrize(
    ("text", "ready"),
    [
        ("It sounds", ""),
        ("It sounds hard. What", "It sounds hard."),
        ('She said "enough." Then', 'She said "enough."'),
        ("Really?! Tell me", "Really?!"),
        ("One. Two. Thr", "One. Two."),
        ("Ends here.", ""),  # no space yet: the next token may continue it (e.g. "here.com")
    ],
)
def test_sentence_end_for_streaming(text, ready):
    assert text[: sentence_end(text)] == ready
