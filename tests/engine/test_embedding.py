"""The packaged MiniLM embedding: shape, normalisation, meaning, and batch/single agreement."""

from __future__ import annotations

import numpy as np

from amante.engine.understand.embedding import DIM, analyze_embedding, embed


def test_shape_dtype_and_unit_norm() -> None:
    vecs = embed(["We had a lovely evening together.", "Short.", ""])
    assert vecs.shape == (3, DIM)
    assert vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


def test_empty_input_gives_empty_matrix() -> None:
    assert embed([]).shape == (0, DIM)


def test_paraphrases_are_closer_than_unrelated_text() -> None:
    a, b, c = embed(
        [
            "We keep fighting about money.",
            "My partner and I argue all the time over our finances.",
            "The train to the coast leaves at nine in the morning.",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.3


def test_batch_padding_does_not_change_vectors() -> None:
    texts = ["Hi.", "I feel like my husband never hears me when I talk about my day at work."]
    together = embed(texts)
    alone = np.stack([embed([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_analyze_embedding_is_cached_and_matches_embed() -> None:
    text = "I miss how close we used to be."
    first = analyze_embedding(text)
    assert analyze_embedding(text) is first
    assert np.allclose(first, embed([text])[0], atol=1e-5)
    assert not first.flags.writeable


def test_long_text_is_truncated_not_rejected() -> None:
    vec = embed(["word " * 1000])
    assert vec.shape == (1, DIM) and np.isfinite(vec).all()
