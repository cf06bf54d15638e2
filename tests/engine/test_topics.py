"""Topic predictions over amante's taxonomy, and the seed file they are trained from."""

from __future__ import annotations

import pytest

from amante.content.schema import TOPICS
from amante.engine.understand.topics import (
    compile_cues,
    load_seeds,
    predict_topics,
    predict_topics_batch,
)


def _top3(text: str) -> list[str]:
    return [x.label for x in predict_topics(text)[:3]]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("we keep fighting about money", "money"),
        ("My wife checks her phone all through dinner and I feel ignored.", "digital_phubbing"),
        ("He shoved me into the door and now I'm scared of him.", "abuse_safety"),
        ("His mother calls every day and tells me how to run our home.", "family_in_laws"),
        (
            "She lives in Canada and I'm in Spain, we only see each other twice a year.",
            "long_distance",
        ),
        ("I found texts to another woman and I think he's having an affair.", "trust_infidelity"),
        ("Our daughter won't listen to either of us and we disagree on discipline.", "parenting"),
        ("My dad passed away in spring and I still can't function.", "grief_loss"),
        ("I'm a lesbian and my parents refuse to meet my girlfriend.", "lgbtq"),
        (
            "I do all the laundry, cooking and school runs while he watches TV.",
            "household_mental_load",
        ),
    ],
)
def test_clear_topics_are_in_top3(text: str, topic: str) -> None:
    assert topic in _top3(text)


def test_labels_scores_and_count() -> None:
    for text in ("we keep fighting about money", "hello", "My boyfriend broke up with me."):
        out = predict_topics(text)
        assert 1 <= len(out) <= 3
        scores = [x.score for x in out]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert {x.label for x in out} <= set(TOPICS)


def test_batch_matches_single() -> None:
    texts = ["We argue about chores.", "I'm depressed and can't get out of bed."]
    for text, got in zip(texts, predict_topics_batch(texts), strict=True):
        single = predict_topics(text)
        assert [x.label for x in got] == [x.label for x in single]


def test_seed_file_covers_every_topic() -> None:
    seeds = load_seeds()
    assert set(seeds) == set(TOPICS)
    for topic, entry in seeds.items():
        assert len(entry["examples"]) >= 15, topic
        assert len(set(entry["examples"])) == len(entry["examples"]), topic
    assert len(compile_cues(seeds)) == len(TOPICS)
