"""Emotion evaluation on GoEmotions (Demszky et al., 2020): macro-F1, Ekman macro-F1, latency.

Reads the TEST split once. Thresholds come from the packaged model (tuned on DEV by
scripts/train_emotions.py). The Ekman score is macro-F1 over 7 classes (anger, disgust, fear,
joy, sadness, surprise + neutral), as in the paper's Ekman-level results; the gold group set
of a comment is the groups of its labels, the predicted one is our tuned Ekman groups.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import numpy as np

from amante.evaluation import Metric

EMOTIONS_FILE = "emotions.txt"


def load_goemotions(datasets: Path, split: str) -> tuple[list[str], np.ndarray]:
    """(texts, multi-hot labels (n, 28) in emotions.txt order) for "train", "dev" or "test"."""
    base = datasets / "goemotions"
    n_labels = len((base / EMOTIONS_FILE).read_text().split())
    texts: list[str] = []
    rows: list[list[int]] = []
    for line in (base / f"{split}.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        texts.append(parts[0])
        rows.append([int(x) for x in parts[1].split(",")])
    y = np.zeros((len(texts), n_labels), dtype=np.float32)
    for i, ids in enumerate(rows):
        y[i, ids] = 1.0
    return texts, y


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Mean over columns of F1 (a column with no gold and no prediction counts as 0)."""
    tp = (y * pred).sum(0)
    denom = y.sum(0) + pred.sum(0)
    return float(np.mean(2 * tp / np.maximum(denom, 1e-9)))


def _latency_ms(texts: list[str], n: int = 200) -> float:
    """Median wall time of predict_emotions on fresh texts (batch size 1, no cache hits)."""
    from amante.engine.understand.emotions import predict_emotions

    predict_emotions("warm-up message")
    times = []
    for t in texts[:n]:
        start = time.perf_counter()
        predict_emotions(t + " ")  # a text the embedding cache has not seen
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _load_note() -> str:
    """The machine's load while timing, since other processes inflate wall time."""
    try:
        return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    except OSError:
        return "load unknown"


def run_emotion_eval(datasets: Path, limit: int | None = None) -> list[Metric]:
    """Macro-F1 (28 labels), Ekman macro-F1 (7 classes) on TEST, and ms per message."""
    from amante.engine.understand.emotions import (
        EKMAN_GROUPS,
        EMOTION_LABELS,
        predictions,
    )

    texts, y = load_goemotions(datasets, "test")
    if limit is not None:
        texts, y = texts[:limit], y[:limit]
    pred, _, ek_pred = predictions(texts)
    ek_y = np.stack(
        [
            y[:, [EMOTION_LABELS.index(x) for x in members]].max(1)
            for members in EKMAN_GROUPS.values()
        ],
        1,
    )
    note = f"GoEmotions test, {len(texts)} comments; thresholds tuned on dev"
    return [
        Metric("emotions", "macro_f1_28", macro_f1(y, pred), 0.46, True, note),
        Metric(
            "emotions",
            "ekman_macro_f1_7",
            macro_f1(ek_y, ek_pred),
            0.64,
            True,
            "6 Ekman groups + neutral; " + note,
        ),
        Metric(
            "emotions",
            "ms_per_message",
            _latency_ms(texts),
            10.0,
            False,
            f"median wall time, batch size 1, incl. embedding; {_load_note()}",
        ),
    ]
