from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from amante.tools import journal as J
from amante.tools.errors import EmptyText, ToolError, UnknownItem
from amante.tools.journal import EmotionSuggestion

SUGGESTED = [EmotionSuggestion("sadness", "sadness", 0.7, ["sad", "hurt"])]


def test_entries_are_encrypted_and_private(db, user, other_user):
    with db.session() as s:
        entry = J.add_entry(s, user, "We argued about the holiday again.", emotions=["hurt"],
                            mood=2, suggestions=SUGGESTED)
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "select text, mood, emotions, suggested from journal_entries").one()
    assert all(v.startswith("gAAAAA") for v in row)
    with db.session() as s:
        assert J.get_entry(s, user, entry.id).text == "We argued about the holiday again."
        assert J.list_entries(s, other_user) == []
        with pytest.raises(UnknownItem):
            J.get_entry(s, other_user, entry.id)


def test_user_confirms_or_edits_suggestions(db, user):
    with db.session() as s:
        kept = J.add_entry(s, user, "A long day.", suggestions=SUGGESTED)
        accepted = J.add_entry(s, user, "A long day.", accept_suggestions=True,
                               suggestions=SUGGESTED)
        edited = J.add_entry(s, user, "A long day.", emotions=["Lonely", "tired", "lonely"],
                             accept_suggestions=True, suggestions=SUGGESTED)
        changed = J.update_entry(s, user, kept.id[:8], emotions=["relieved"], mood=4)
    assert kept.emotions == [] and kept.suggested[0]["label"] == "sadness"
    assert accepted.emotions == ["sadness"]
    assert edited.emotions == ["lonely", "tired"]  # the user's words win
    assert changed.emotions == ["relieved"] and changed.mood == 4


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(text="   "), EmptyText, "empty"),
    (dict(text="ok", emotions=["hapy"]), ToolError, "Did you mean happy"),
    (dict(text="ok", mood=6), ToolError, "from 1"),
    (dict(text="ok", mood=0), ToolError, "from 1"),
    (dict(text="x" * 20001), ToolError, "limit"),
])
def test_bad_entries_are_refused_and_nothing_is_saved(db, user, kwargs, error, message):
    with pytest.raises(error, match=message), db.session() as s:
        J.add_entry(s, user, kwargs.pop("text"), suggestions=SUGGESTED, **kwargs)
    with db.session() as s:
        assert J.list_entries(s, user) == []


def test_vocabulary_groups_words_by_ekman_family():
    vocab = J.vocabulary()
    assert list(vocab) == ["anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]
    assert J.emotion_family("resentful") == "anger"
    assert J.emotion_family("annoyance") == "anger"  # GoEmotions labels are accepted too
    assert J.emotion_family("let down") == "sadness"
    assert J.emotion_family("zorgle") is None
    with pytest.raises(UnknownItem):
        J.vocabulary("boredom")


def test_suggestions_come_from_the_emotion_model():
    sug = J.suggest_emotions("I am so grateful you came with me to the hospital, thank you.")
    assert sug and sug[0].label in {"gratitude", "joy", "caring", "relief", "admiration"}
    assert sug[0].family == "joy" and "grateful" in sug[0].nearby_words


def test_mood_chart_svg(db, user):
    t0 = datetime.now(UTC) - timedelta(days=5)
    with db.session() as s:
        for k, (mood, emo) in enumerate([(2, ["sad"]), (3, ["worried", "tired"]), (5, ["happy"])]):
            J.add_entry(s, user, f"entry {k}", mood=mood, emotions=emo, suggestions=SUGGESTED,
                        now=t0 + timedelta(days=k))
        svg = J.mood_chart_svg(s, user, days=30)
    root = ElementTree.fromstring(svg)
    texts = "".join(root.itertext())
    for name in ("mood (1-5)", "sadness", "fear", "joy", "neutral"):
        assert name in texts
