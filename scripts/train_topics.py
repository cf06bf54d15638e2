"""Train amante's topic head (numpy only at inference) and tune its blend on CounselChat val.

Training data: (a) the original seed messages in src/amante/content/understand/topic_seeds.yaml
and (b) CounselChat's TRAIN split mapped to our taxonomy (mapping documented in
amante.evaluation.topics_eval.COUNSELCHAT_TO_AMANTE). Hyper-parameters (C, seed weight, cue
weight, label-selection rule) are chosen on CounselChat's VAL split; TEST is never read here.
Writes src/amante/models/topics.npz + topics.json. Fixed seed; deterministic solver.

Usage: python scripts/train_topics.py
"""

from __future__ import annotations

import itertools
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from train_emotions import OUT, cached_embed

from amante.content.schema import TOPICS
from amante.engine.understand.topics import compile_cues, cue_vector, load_seeds
from amante.evaluation import datasets_dir
from amante.evaluation.topics_eval import load_counselchat, topk_accuracy

SEED = 13


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def blend(p: np.ndarray, cues: np.ndarray, weight: float) -> np.ndarray:
    """Same blend as amante.engine.understand.topics._TopicModel.scores."""
    n = cues.sum(axis=1, keepdims=True)
    cue_p = np.where(n > 0, cues / np.maximum(n, 1.0), p)
    return (1.0 - weight) * p + weight * cue_p


def set_f1(s: np.ndarray, gold: list[frozenset[str]], min_score: float, rel: float) -> float:
    """Mean F1 between the selected label set (top-1 plus up to two more) and the gold set."""
    total = 0.0
    for row, g in zip(s, gold, strict=True):
        order = np.argsort(-row, kind="stable")
        chosen = {TOPICS[order[0]]}
        for i in order[1:3]:
            if row[i] >= min_score and row[i] >= rel * row[order[0]]:
                chosen.add(TOPICS[i])
        tp = len(chosen & g)
        total += 2 * tp / (len(chosen) + len(g))
    return total / len(gold)


def main() -> None:
    datasets = datasets_dir()
    seeds = load_seeds()
    patterns = compile_cues(seeds)
    texts: list[str] = []
    labels: list[int] = []
    is_seed: list[bool] = []
    for t in TOPICS:
        for ex in seeds[t]["examples"]:
            texts.append(ex)
            labels.append(TOPICS.index(t))
            is_seed.append(True)
    train_q = load_counselchat(datasets, "train")
    for q in train_q:
        for t in sorted(q.topics):
            texts.append(q.text)
            labels.append(TOPICS.index(t))
            is_seed.append(False)
    val_q = load_counselchat(datasets, "val")
    print(
        f"seeds {sum(is_seed)}, counselchat train rows {len(texts) - sum(is_seed)}, "
        f"val questions {len(val_q)}",
        file=sys.stderr,
    )

    x = cached_embed(texts, "topics-train")
    xv = cached_embed([q.text for q in val_q], "counselchat-val")
    y = np.array(labels)
    seed_mask = np.array(is_seed)
    gold = [q.topics for q in val_q]
    cues_v = np.stack([cue_vector(q.text, patterns) for q in val_q])

    best: tuple[float, ...] | None = None
    for c, seed_w, balanced in itertools.product((1.0, 4.0, 16.0), (1.0, 3.0), (False, True)):
        sw = np.where(seed_mask, seed_w, 1.0)
        clf = LogisticRegression(
            C=c,
            max_iter=5000,
            class_weight="balanced" if balanced else None,
            random_state=SEED,
        )
        clf.fit(x, y, sample_weight=sw)
        w = np.zeros((x.shape[1], len(TOPICS)), dtype=np.float32)
        b = np.full(len(TOPICS), -30.0, dtype=np.float32)
        w[:, clf.classes_] = clf.coef_.T
        b[clf.classes_] = clf.intercept_
        p = softmax(xv @ w + b)
        for cw in (0.0, 0.1, 0.2, 0.3, 0.4):
            s = blend(p, cues_v, cw)
            top3, top1 = topk_accuracy(s, gold, 3), topk_accuracy(s, gold, 1)
            key = (top3 + top1, top3, top1, c, seed_w, balanced, cw)
            if best is None or key[:3] > best[:3]:
                best = key
                best_w, best_b = w, b
            print(
                f"C={c} seed_w={seed_w} balanced={balanced} cue={cw}: "
                f"val top1={top1:.3f} top3={top3:.3f}",
                file=sys.stderr,
            )
    assert best is not None
    _, top3, top1, c, seed_w, balanced, cw = best
    s = blend(softmax(xv @ best_w + best_b), cues_v, cw)
    rule = max(
        itertools.product((0.05, 0.1, 0.15, 0.2, 0.3), (0.2, 0.35, 0.5, 0.7)),
        key=lambda r: set_f1(s, gold, *r),
    )
    meta = {
        "labels": list(TOPICS),
        "kind": "multinomial logistic regression on all-MiniLM-L6-v2 (int8) + keyword cues",
        "C": c,
        "seed_weight": seed_w,
        "class_weight_balanced": balanced,
        "cue_weight": cw,
        "min_score": rule[0],
        "rel_score": rule[1],
        "max_labels": 3,
        "val_top1": round(top1, 4),
        "val_top3": round(top3, 4),
        "val_set_f1": round(set_f1(s, gold, *rule), 4),
        "n_seed_examples": int(seed_mask.sum()),
        "n_counselchat_rows": int((~seed_mask).sum()),
        "seed": SEED,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "topics.npz", W=best_w.astype(np.float32), b=best_b)
    (OUT / "topics.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
