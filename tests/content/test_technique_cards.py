"""Checks on the technique card library: every YAML card validates, and the set covers what
the coach needs (topics, horsemen, phases, cards safe for someone who may be unsafe)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

import amante.content
from amante.content.schema import HORSEMEN, PHASES, TOPICS, TechniqueCard

TECHNIQUES_DIR = Path(amante.content.__file__).parent / "techniques"
CARD_FILES = sorted(TECHNIQUES_DIR.glob("*.yaml"))

MIN_CARDS = 48
MIN_CARDS_PER_TOPIC = 2
MIN_CARDS_PER_PHASE = 5
MIN_SAFE_CARDS = 6
# Families whose whole purpose is improving the relationship: never offered to someone
# who may be unsafe with their partner.
RELATIONSHIP_FAMILIES = {"gottman", "eft", "aron", "gable"}
THERAPY_WORD = re.compile(r"\btherap(y|ies|ist|ists)\b", re.IGNORECASE)
PERCENT = re.compile(r"\d\s*-?\s*per\s?cent", re.IGNORECASE)
# Rough Flesch-Kincaid ceiling per card; the target is about grade 8, this catches drift.
MAX_READING_GRADE = 10.0


def _load(path: Path) -> TechniqueCard:
    with path.open(encoding="utf-8") as fh:
        return TechniqueCard.model_validate(yaml.safe_load(fh))


def _card_text(card: TechniqueCard) -> str:
    """The words a user reads (sources excluded: book titles may name a therapy)."""
    return "\n".join([card.title, card.summary, card.when_to_use, *card.steps, card.example])


def _syllables(word: str) -> int:
    """Vowel-group estimate of syllables; good enough to flag long, dense wording."""
    word = re.sub(r"[^a-z]", "", word.lower())
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith("le") and groups > 1:
        groups -= 1
    return max(1, groups) if word else 0


def _reading_grade(text: str) -> float:
    sentences = [s for s in re.split(r"[.!?]+", text) if s.strip()]
    words = [w for w in text.split() if re.search(r"[A-Za-z]", w)]
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


@pytest.fixture(scope="module")
def cards() -> list[TechniqueCard]:
    return [_load(path) for path in CARD_FILES]


@pytest.mark.parametrize("path", CARD_FILES, ids=[p.stem for p in CARD_FILES])
def test_card_file_validates_and_id_matches_file_name(path: Path) -> None:
    card = _load(path)
    assert card.id == path.stem


def test_library_has_enough_cards(cards: list[TechniqueCard]) -> None:
    assert len(cards) >= MIN_CARDS


def test_ids_and_titles_are_unique(cards: list[TechniqueCard]) -> None:
    ids = Counter(c.id for c in cards)
    titles = Counter(c.title.casefold() for c in cards)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in titles.items() if n > 1] == []


def test_every_topic_is_covered_by_two_cards(cards: list[TechniqueCard]) -> None:
    counts = Counter(t for c in cards for t in set(c.topics))
    thin = {t: counts[t] for t in TOPICS if counts[t] < MIN_CARDS_PER_TOPIC}
    assert thin == {}


def test_every_horseman_has_an_antidote_card(cards: list[TechniqueCard]) -> None:
    counts = Counter(h for c in cards for h in set(c.horsemen))
    assert [h for h in HORSEMEN if counts[h] == 0] == []


def test_every_phase_has_five_cards(cards: list[TechniqueCard]) -> None:
    counts = Counter(p for c in cards for p in set(c.phases))
    thin = {p: counts[p] for p in PHASES if counts[p] < MIN_CARDS_PER_PHASE}
    assert thin == {}


def test_enough_cards_are_safe_when_unsafe(cards: list[TechniqueCard]) -> None:
    assert sum(c.safe_when_unsafe for c in cards) >= MIN_SAFE_CARDS


def test_safe_cards_never_come_from_relationship_improvement_families(
    cards: list[TechniqueCard],
) -> None:
    wrong = [c.id for c in cards if c.safe_when_unsafe and c.family in RELATIONSHIP_FAMILIES]
    assert wrong == []


def test_abuse_safety_cards_are_all_safe_when_unsafe(cards: list[TechniqueCard]) -> None:
    wrong = [c.id for c in cards if "abuse_safety" in c.topics and not c.safe_when_unsafe]
    assert wrong == []


def test_couples_counselling_is_not_offered_when_unsafe(cards: list[TechniqueCard]) -> None:
    couples = [c for c in cards if c.family == "professional" and "couple" in c.title.lower()]
    individual = [c for c in cards if c.family == "professional" and c.safe_when_unsafe]
    assert couples, "expected a couples-counselling card"
    assert all(not c.safe_when_unsafe for c in couples)
    assert individual, "expected an individual-professional card that is safe when unsafe"


def test_sources_have_authors_titles_and_plausible_years(cards: list[TechniqueCard]) -> None:
    this_year = dt.date.today().year
    for card in cards:
        for src in card.sources:
            assert re.search(r"[A-Za-z]{2,}", src.author), (card.id, src)
            assert src.title.strip(), (card.id, src)
            assert 1900 <= src.year <= this_year, (card.id, src)


def test_only_professional_cards_mention_therapy(cards: list[TechniqueCard]) -> None:
    wrong = [
        c.id for c in cards if c.family != "professional" and THERAPY_WORD.search(_card_text(c))
    ]
    assert wrong == []


@pytest.mark.parametrize("path", CARD_FILES, ids=[p.stem for p in CARD_FILES])
def test_no_percentages_anywhere(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "%" not in text
    assert PERCENT.search(text) is None


def test_steps_are_real_sentences(cards: list[TechniqueCard]) -> None:
    for card in cards:
        assert all(len(step.strip()) >= 10 for step in card.steps), card.id
        assert len(set(card.steps)) == len(card.steps), card.id


def test_cards_read_at_about_grade_eight(cards: list[TechniqueCard]) -> None:
    def sentence(step: str) -> str:
        return step if step.rstrip().endswith((".", "?", "!")) else step + "."

    grades = {
        c.id: _reading_grade(
            " ".join([c.summary, c.when_to_use, *map(sentence, c.steps), c.example])
        )
        for c in cards
    }
    too_hard = {cid: round(g, 1) for cid, g in grades.items() if g > MAX_READING_GRADE}
    assert too_hard == {}


def test_each_work_is_cited_the_same_way(cards: list[TechniqueCard]) -> None:
    seen: dict[str, tuple[str, int]] = {}
    for card in cards:
        for src in card.sources:
            key = src.title.casefold()
            assert seen.setdefault(key, (src.author, src.year)) == (src.author, src.year), (
                card.id,
                src.title,
            )
