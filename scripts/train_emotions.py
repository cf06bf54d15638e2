"""Train the GoEmotions head that amante serves (numpy only at inference).

Reproducible (fixed seed, deterministic solvers). Reads ../shared/datasets/goemotions (or
$AMANTE_DATASETS), embeds every text with the int8 MiniLM (cached under <repo>/.cache/amante/),
and trains two one-vs-rest logistic models on TRAIN:
  * on the 384-d sentence embedding (meaning, paraphrase);
  * on a TF-IDF unigram bag of words (the many emotions that hinge on one word: "thanks",
    "lol", "sorry", "wow").
Their logits are mixed with a weight chosen on DEV, then each label gets a Platt calibration and
an F1-optimal threshold, both fitted on DEV; Ekman group thresholds (noisy-or of the member
labels' probabilities) are tuned on DEV too. TEST is never read here.
Writes src/amante/models/emotions.npz + emotions.json.

Usage: python scripts/train_emotions.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from amante.engine.understand import embedding
from amante.engine.understand.emotions import EKMAN_GROUPS, EMOTION_LABELS, ekman_probs
from amante.evaluation import datasets_dir
from amante.evaluation.emotions_eval import load_goemotions

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "amante"
OUT = ROOT / "src" / "amante" / "models"
SEED = 13
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # sklearn's default, re-implemented in emotions.py


def cached_embed(texts: list[str], tag: str) -> np.ndarray:
    """Embeddings, cached on disk by a hash of the texts and the model file."""
    key = hashlib.sha256(
        ("\n".join(texts) + str(embedding.model_path().stat().st_size)).encode()
    ).hexdigest()[:16]
    path = CACHE / f"emb-{tag}-{key}.npy"
    if path.exists():
        return np.load(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    vecs = embedding.embed(texts, batch_size=64)
    took = time.perf_counter() - t0
    print(f"embedded {len(texts)} texts ({tag}) in {took:.0f}s", file=sys.stderr)
    np.save(path, vecs)
    return vecs


def best_thresholds(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column threshold maximising F1 on (y, p); returns (thresholds, f1s)."""
    grid = np.round(np.arange(0.02, 0.96, 0.01), 2)
    th = np.full(y.shape[1], 0.5)
    best = np.zeros(y.shape[1])
    for j in range(y.shape[1]):
        pos = y[:, j].sum()
        for t in grid:
            pred = p[:, j] >= t
            tp = float(y[pred, j].sum())
            f1 = 2 * tp / max(pred.sum() + pos, 1e-9)
            if f1 > best[j]:
                best[j], th[j] = f1, t
    return th, best


def fit_ovr(x: object, y: np.ndarray, c: float, solver: str) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per label; returns (W (d, L), b (L,))."""
    from sklearn.linear_model import LogisticRegression

    ws, bs = [], []
    for j in range(y.shape[1]):
        m = LogisticRegression(C=c, max_iter=3000, solver=solver, random_state=SEED)
        m.fit(x, y[:, j])
        ws.append(m.coef_[0])
        bs.append(m.intercept_[0])
    return np.stack(ws, 1).astype(np.float32), np.array(bs, dtype=np.float32)


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """1-D logistic calibration sigmoid(a*z + b) fitted on dev."""
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=100.0, max_iter=1000).fit(z[:, None], y)
    return float(m.coef_[0, 0]), float(m.intercept_[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--c-emb", type=float, default=4.0)
    ap.add_argument("--c-bow", type=float, default=2.0)
    args = ap.parse_args()
    from sklearn.feature_extraction.text import TfidfVectorizer

    datasets = datasets_dir()
    assert datasets is not None
    tr_texts, y_tr = load_goemotions(datasets, "train")
    dv_texts, y_dv = load_goemotions(datasets, "dev")
    x_tr = cached_embed(tr_texts, "goemotions-train")
    x_dv = cached_embed(dv_texts, "goemotions-dev")

    t0 = time.perf_counter()
    w_e, b_e = fit_ovr(x_tr, y_tr, args.c_emb, "lbfgs")
    vec = TfidfVectorizer(
        min_df=2, sublinear_tf=True, token_pattern=TOKEN_PATTERN, dtype=np.float32
    )
    t_tr = vec.fit_transform(tr_texts)
    w_t, b_t = fit_ovr(t_tr, y_tr, args.c_bow, "liblinear")
    print(f"trained in {time.perf_counter() - t0:.0f}s", file=sys.stderr)

    z_e = x_dv @ w_e + b_e
    z_t = np.asarray(vec.transform(dv_texts) @ w_t) + b_t
    mixes = {}
    for mix in (0.5, 0.6, 0.7, 0.8):
        z = mix * z_t + (1 - mix) * z_e
        mixes[mix] = best_thresholds(y_dv, 1 / (1 + np.exp(-z)))[1].mean()
    mix = max(mixes, key=lambda k: mixes[k])
    z = mix * z_t + (1 - mix) * z_e
    cal = np.array([platt(z[:, j], y_dv[:, j]) for j in range(len(EMOTION_LABELS))])
    p = 1 / (1 + np.exp(-(z * cal[:, 0] + cal[:, 1])))
    th, f1 = best_thresholds(y_dv, p)
    groups = list(EKMAN_GROUPS)
    ek_p = ekman_probs(p)
    ek_y = np.stack(
        [y_dv[:, [EMOTION_LABELS.index(x) for x in EKMAN_GROUPS[g]]].max(1) for g in groups], 1
    )
    ek_th, ek_f1 = best_thresholds(ek_y, ek_p)

    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT / "emotions.npz",
        W_emb=w_e,
        b_emb=b_e,
        W_bow=w_t.astype(np.float16),
        b_bow=b_t,
        idf=vec.idf_.astype(np.float32),
        vocab=np.array("\n".join(vocab)),
        cal_a=cal[:, 0].astype(np.float32),
        cal_b=cal[:, 1].astype(np.float32),
        thresholds=th.astype(np.float32),
        ekman_thresholds=ek_th.astype(np.float32),
    )
    meta = {
        "labels": list(EMOTION_LABELS),
        "ekman_groups": groups,
        "kind": "logistic(MiniLM int8 embedding) + logistic(TF-IDF unigrams), mixed logits",
        "bow_mix": mix,
        "C_emb": args.c_emb,
        "C_bow": args.c_bow,
        "min_df": 2,
        "token_pattern": TOKEN_PATTERN,
        "vocab_size": len(vocab),
        "seed": SEED,
        "dev_mix_search": {str(k): round(v, 4) for k, v in mixes.items()},
        "dev_macro_f1": round(float(f1.mean()), 4),
        "dev_ekman_macro_f1": round(float(ek_f1.mean()), 4),
        "note": "dev numbers use thresholds tuned on dev (optimistic); see amante eval for test",
    }
    (OUT / "emotions.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
