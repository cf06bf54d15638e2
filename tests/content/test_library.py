from pathlib import Path

import pytest

from amante.content.library import CardQuery, ContentError, Library, default_library, load_cards

CARD = """\
id: {id}
title: A test card
family: gottman
topics: [conflict]
phases: [act]
summary: A summary that is long enough to pass.
when_to_use: When a test needs a card that is valid.
steps: [one step, another step]
example: "I feel this way."
sources:
  - author: Gottman, J. M.
    year: 1994
    title: What Predicts Divorce?
"""


def write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_packaged_library_loads_and_validates():
    lib = default_library()
    assert len(lib.cards) >= 40
    assert all(card.sources for card in lib.cards)


def test_id_must_match_file_name(tmp_path):
    write(tmp_path, "other-name", CARD.format(id="test-card"))
    with pytest.raises(ContentError, match="must match the file name"):
        load_cards(tmp_path)


def test_missing_field_names_the_file(tmp_path):
    write(tmp_path, "test-card", CARD.format(id="test-card").replace("phases: [act]\n", ""))
    with pytest.raises(ContentError, match=r"test-card\.yaml.*phases"):
        load_cards(tmp_path)


def test_unknown_topic_is_refused(tmp_path):
    write(tmp_path, "test-card", CARD.format(id="test-card").replace("[conflict]", "[astrology]"))
    with pytest.raises(ContentError, match="unknown topics"):
        load_cards(tmp_path)


def test_broken_yaml_is_a_content_error(tmp_path):
    write(tmp_path, "test-card", "id: [unclosed")
    with pytest.raises(ContentError, match="cannot read"):
        load_cards(tmp_path)


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(ContentError, match="no technique cards"):
        load_cards(tmp_path)


def test_pick_prefers_horseman_antidote():
    lib = default_library()
    (card,) = lib.pick(CardQuery(topics=["conflict"], horsemen=["stonewalling"]), k=1)
    assert "stonewalling" in card.horsemen


def test_pick_only_safe_cards_for_unsafe_user():
    lib = default_library()
    picked = lib.pick(CardQuery(topics=["conflict", "communication"], unsafe=True), k=5)
    assert picked, "there must be cards for a user who is not safe"
    assert all(c.safe_when_unsafe for c in picked)


def test_pick_excludes_used_cards_until_none_left():
    lib = Library(load_cards())
    q = CardQuery(topics=["money"])
    first = lib.pick(q, k=1)[0]
    second = lib.pick(CardQuery(topics=["money"], exclude=[first.id]), k=1)[0]
    assert second.id != first.id
