"""Train the GoEmotions head that amante serves (numpy only at inference).

Reproducible (fixed seed): reads ../shared/datasets/goemotions (or $AMANTE_DATASETS), embeds every
text with the int8 MiniLM (cached under .cache/amante/ in the repo, which git ignores via the lead's
.gitignore entry), trains on TRAIN, tunes per-label thresholds on DEV, and writes
src/amante/models/emotions.npz + emotions.json. The TEST split is never read here.

Usage: python scripts/train_emotions.py [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

from amante.engine.understand import embedding
from amante.evaluation import datasets_dir

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "amante"
OUT = ROOT / "src" / "amante" / "models"
SEED = 13


def load_split(name: str, datasets: Path | None = None) -> tuple[list[str], np.ndarray, list[str]]:
    """GoEmotions split as (texts, multi-hot labels (n, 28), label names)."""
    base = (datasets or datasets_dir()) / "goemotions"  # type: ignore[operator]
    labels = (base / "emotions.txt").read_text().split()
    texts: list[str] = []
    rows: list[list[int]] = []
    for line in (base / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        texts.append(parts[0])
        rows.append([int(x) for x in parts[1].split(",")])
    y = np.zeros((len(texts), len(labels)), dtype=np.float32)
    for i, ids in enumerate(rows):
        y[i, ids] = 1.0
    return texts, y, labels


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--embed-only", action="store_true")
    args = ap.parse_args()
    for split in ("train", "dev"):
        texts, _, _ = load_split(split)
        cached_embed(texts, f"goemotions-{split}")
    if args.embed_only:
        return


if __name__ == "__main__":
    main()
