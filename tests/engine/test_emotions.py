"""Emotion predictions from the packaged GoEmotions head."""

from __future__ import annotations

import numpy as np
import pytest

from amante.engine.understand.emotions import (
    EKMAN_GROUPS,
    EMOTION_LABELS,
    ekman_of,
    predict_ekman,
    predict_emotions,
    predict_emotions_batch,
)


def _labels(text: str) -> list[str]:
    return [x.label for x in predict_emotions(text)]


def test_label_set_and_ekman_mapping() -> None:
    assert len(EMOTION_LABELS) == 28 and EMOTION_LABELS[-1] == "neutral"
    assert all(ekman_of(x) in EKMAN_GROUPS for x in EMOTION_LABELS)
    assert ekman_of("neutral") == "neutral"
    assert ekman_of("annoyance") == "anger"
    assert ekman_of("nervousness") == "fear"
    assert ekman_of("not-an-emotion") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm so grateful for you, thank you for everything.", {"gratitude"}),
        ("My grandmother died yesterday and I can't stop crying.", {"sadness", "grief"}),
        ("I'm terrified he will find out and leave me.", {"fear", "nervousness"}),
        ("Haha that is hilarious, I laughed so hard", {"amusement", "joy"}),
        ("Why would you even say that? What do you mean?", {"confusion", "curiosity"}),
        ("I'm so sorry, I shouldn't have yelled at you.", {"remorse"}),
    ],
)
def test_clear_emotions_are_found(text: str, expected: set[str]) -> None:
    assert expected & set(_labels(text)[:3])


def test_output_is_sorted_bounded_and_never_empty() -> None:
    for text in ("ok", "I love you so much and I'm proud of us", "..."):
        out = predict_emotions(text)
        assert out, text
        scores = [x.score for x in out]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert {x.label for x in out} <= set(EMOTION_LABELS)


def test_batch_matches_single() -> None:
    texts = ["Thank you so much!", "This makes me so angry.", "The meeting is at 3pm."]
    batch = predict_emotions_batch(texts)
    for text, got in zip(texts, batch, strict=True):
        single = predict_emotions(text)
        assert [x.label for x in got] == [x.label for x in single]
        assert all(abs(a.score - b.score) < 1e-3 for a, b in zip(got, single, strict=True))
    assert predict_emotions_batch([]) == []


def test_ekman_groups_follow_the_fine_labels() -> None:
    groups = [x.label for x in predict_ekman("Thank you so much, this made my day!")]
    assert groups[0] == "joy"
    assert set(groups) <= set(EKMAN_GROUPS)


def test_fine_tuned_encoder_is_served_when_built(monkeypatch: pytest.MonkeyPatch) -> None:
    from amante.engine.understand import emotions

    encoder = emotions._encoder()
    if not (emotions.MODELS_DIR / "emotions_encoder.onnx").is_file():
        pytest.skip("fine-tuned emotion encoder not built")
    assert encoder is not None
    size = (emotions.MODELS_DIR / "emotions_encoder.onnx").stat().st_size
    assert 15_000_000 < size < 30_000_000  # int8 weights, not the 90 MB float model
    texts = ["Thank you so much, this made my day!", "I'm furious, he lied to me again."]
    pred, probs, ek = emotions.predictions(texts)
    assert pred.shape == probs.shape == (2, 28) and ek.shape == (2, 7)
    groups = list(EKMAN_GROUPS)
    assert ek[0, groups.index("joy")] == 1 and ek[1, groups.index("anger")] == 1
    # the linear head alone can still be chosen, and gives different scores
    monkeypatch.setenv("AMANTE_EMOTION_MODEL", "linear")
    emotions._encoder.cache_clear()
    try:
        assert emotions._encoder() is None
        _, linear_probs, _ = emotions.predictions(texts)
        assert not np.allclose(linear_probs, probs)
    finally:
        monkeypatch.delenv("AMANTE_EMOTION_MODEL")
        emotions._encoder.cache_clear()
