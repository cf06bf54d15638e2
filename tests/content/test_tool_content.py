"""The tools' content files validate against their schemas and fit together."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from amante.content.library import load_cards
from amante.tools import content
from amante.tools.schemas import Assessment, StarterFile

THERAPY_WORD = re.compile(r"\btherap(y|ies|ist|ists)\b", re.IGNORECASE)
PERCENT = re.compile(r"\d\s*%|\bper\s?cent\b", re.IGNORECASE)


def _user_text() -> list[str]:
    out = [s.text for s in content.starters()]
    cs = content.closeness_session()
    out += [cs.intro, cs.closing] + [q for st in cs.sets for q in (st.intro, *st.questions)]
    for r in content.rituals().values():
        out += [r.title, r.description, *r.steps]
    for a in content.assessments().values():
        out += [a.intro] + [i.text for i in a.items]
        out += [b.summary for b in a.bands] + [s.why for b in a.bands for s in b.next_steps]
    for fam in content.feelings().families.values():
        out += [fam.about] + [f.means for f in fam.feelings]
    return out


def test_every_file_loads_and_validates():
    assert len(content.starters()) >= 210
    assert content.closeness_session().total == 36
    assert len(content.rituals()) >= 10
    assert len(content.assessments()) >= 6


def test_starters_cover_every_theme_depth_and_stage():
    items = content.starters()
    grid = Counter((s.theme, s.depth) for s in items)
    themes = {"appreciation", "dreams", "childhood", "conflict_repair", "intimacy", "fun",
              "future"}
    for theme in themes:
        for depth in ("light", "deeper", "vulnerable"):
            assert grid[(theme, depth)] >= 8, (theme, depth)
    stages = {st for s in items for st in s.stages}
    assert stages == {"any", "dating", "committed", "long_term"}
    texts = [s.text.casefold() for s in items]
    assert len(set(texts)) == len(texts)


def test_starter_schema_rejects_an_unknown_source_key():
    data = {"sources": {}, "starters": [{"id": "x-1", "text": "What makes you smile?",
                                         "depth": "light", "theme": "fun", "stages": ["any"],
                                         "source": "nowhere"}]}
    with pytest.raises(ValueError, match="unknown source keys"):
        StarterFile.model_validate(data)


def test_required_rituals_exist_and_point_to_real_cards():
    rituals = content.rituals()
    for needed in ("nightly-gratitude", "weekly-check-in", "silent-check-in", "greeting-ritual",
                   "parting-ritual", "monthly-dreams", "stress-reducing-conversation",
                   "phone-free-dinner", "weekly-date"):
        assert needed in rituals
    cards = {c.id for c in load_cards()}
    for r in rituals.values():
        assert r.technique is None or r.technique in cards, r.id


def test_assessment_next_steps_resolve():
    cards = {c.id for c in load_cards()}
    rituals = content.rituals()
    for a in content.assessments().values():
        steps = [s for b in a.bands for s in b.next_steps]
        steps += [sub.next_step for sub in a.subscales if sub.next_step]
        for step in steps:
            if step.kind == "technique":
                assert step.id in cards, (a.id, step.id)
            elif step.kind == "ritual":
                assert step.id in rituals, (a.id, step.id)


def test_csi4_is_reproduced_as_published():
    a = content.assessments()["csi-4"]
    assert a.kind == "validated" and a.cutoff == 13.5
    assert [i.text for i in a.items] == [
        "Please indicate the degree of happiness, all things considered, of your relationship.",
        "I have a warm and comfortable relationship with my partner.",
        "How rewarding is your relationship with your partner?",
        "In general, how satisfied are you with your relationship?",
    ]
    assert a.sources[0].author.startswith("Funk") and a.sources[0].year == 2007


def test_the_required_original_assessments_exist():
    ids = set(content.assessments())
    assert {"emotional-self-audit", "close-as-we-think", "emotional-distance-red-flags",
            "closeness-vs-dependence", "four-horsemen-self-check"} <= ids
    assert len(content.assessments()["close-as-we-think"].items) == 5


def test_assessment_bands_must_cover_the_range():
    a = content.assessments()["close-as-we-think"].model_dump()
    a["bands"] = a["bands"][:-1]
    with pytest.raises(ValueError, match="cover the whole score range"):
        Assessment.model_validate(a)


def test_feelings_are_grouped_by_the_ekman_families_of_goemotions():
    from amante.engine.understand.emotions import EKMAN_GROUPS

    fams = content.feelings().families
    assert list(fams) == ["anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]
    for name, fam in fams.items():
        assert set(fam.goemotions) == set(EKMAN_GROUPS[name]), name


def test_wording_rules():
    for text in _user_text():
        assert not THERAPY_WORD.search(text), text
        assert not PERCENT.search(text), text
