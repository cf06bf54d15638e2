"""Score the whole safety screen on the retired blind sets with out-of-fold head scores.

A head's score on a message it was trained on is optimistic, so gate settings (cue words, the
cue-free and lift thresholds in amante.engine.safety.classifier) cannot be judged on the training
files with the served heads. scripts/train_safety.py saves each training message's out-of-fold
scores (5 folds split by writer: a message is scored by heads that never saw its writer) to
.cache/amante/safety_linear_oof.npz. This script serves those scores in place of the heads' own
for every training message (the actor column and texts outside training keep the served heads),
then prints, summed over the retired blind sets: recall per category at its target level,
explicit recall, crisis false alarms on their benign messages and on the other training files'
benign messages, and crisis/elevated flags on GoEmotions dev comments and CounselChat val+test
questions (neither is training data).

The rules were written from these same sets, so the rule layer's share is optimistic; the
numbers are for comparing gate settings against each other, never a blind reading.

Usage: python scripts/safety_oof_check.py [--set classifier.CONSTANT=VALUE ...]
(e.g. --set LIFT_TO_CRISIS=0.95 --set CUE_FREE.violence=0.95); run train_safety.py first.
"""

from __future__ import annotations

import argparse
import collections
import csv
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from amante.engine.safety import classifier, screen
from amante.evaluation import datasets_dir
from amante.evaluation.safety_eval import corpus_stats, counselchat_stats, load_corpus, screen_item

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
OOF = ROOT / ".cache" / "amante" / "safety_linear_oof.npz"
KEYS = (
    "self_harm@crisis", "harm_from_partner@crisis", "harm_from_others@elevated",
    "coercive_control@elevated", "harm_to_others@elevated", "child_safety@elevated",
    "medical_emergency@crisis", "covert_surveillance@refuse", "manipulation@refuse", "explicit",
    "benign_crisis",
)


def serve_oof_scores() -> int:
    """Patch the classifier to return out-of-fold scores for training texts; returns how many."""
    if not OOF.is_file():
        sys.exit(f"{OOF} not found: run scripts/train_safety.py first")
    saved = np.load(OOF)
    ids = [str(i) for i in saved["ids"]]
    oof = saved["oof"]  # read once: each saved[...] access loads the whole array again
    counts = collections.Counter(ids)
    row = {i: k for k, i in enumerate(ids) if counts[i] == 1}  # ids repeated across files: skip
    by_text: dict[str, np.ndarray] = {}
    for path in sorted(DATA.glob("safety_train*.jsonl")):
        for r in load_corpus(path):
            if r["id"] in row:
                by_text[r["text"]] = oof[row[r["id"]]]
    served = lru_cache(maxsize=None)(classifier._scores_cached.__wrapped__)

    def scores(model: Any, text: str) -> np.ndarray | None:
        p = served(model, text)
        oof = by_text.get(text)
        if p is None or oof is None:
            return p
        out = p.copy()
        out[: len(oof)] = oof  # risk heads out of fold; the actor column stays the served one
        return out

    classifier._scores = scores
    return len(by_text)


def apply(setting: str) -> None:
    """Set a classifier constant: NAME=VALUE or DICT.KEY=VALUE."""
    name, _, value = setting.partition("=")
    if "." in name:
        table, key = name.split(".", 1)
        getattr(classifier, table)[key] = float(value)
    else:
        setattr(classifier, name, float(value))


def measure() -> dict[str, Any]:
    """The summed numbers described in the module docstring."""
    total: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for path in sorted(DATA.glob("safety_train_ex_blind*.jsonl")):
        for key, value in corpus_stats(load_corpus(path), screen).items():
            if isinstance(value, tuple) and len(value) == 2:
                total[key][0] += value[0]
                total[key][1] += value[1]
    out: dict[str, Any] = {k: tuple(total[k]) for k in KEYS}
    other = [p for p in DATA.glob("safety_train*.jsonl") if "ex_blind" not in p.name]
    benign = [r for p in other for r in load_corpus(p) if r["expected_level"] == "none"]
    levels = [screen_item(r, screen).level for r in benign]
    out["training benign crisis"] = (levels.count("crisis"), len(levels))
    out["training benign elevated"] = (levels.count("elevated"), len(levels))
    data = datasets_dir(required=False)
    if data is not None:
        with (data / "goemotions" / "dev.tsv").open(encoding="utf-8") as fh:
            ge = [screen(row[0]).level for row in csv.reader(fh, delimiter="\t")]
        out["GoEmotions dev crisis"] = (ge.count("crisis"), len(ge))
        out["GoEmotions dev elevated"] = (ge.count("elevated"), len(ge))
        cc = counselchat_stats(data, screen, splits=("val", "test"))
        out["CounselChat val+test crisis"] = (len(cc["false_alarms"]), cc["denominator"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = ap.parse_args()
    n = serve_oof_scores()
    for setting in args.set:
        apply(setting)
    print(f"out-of-fold scores served for {n} training texts")
    for key, (hit, total) in measure().items():
        print(f"{key:32s} {hit:5d}/{total:<5d} {hit / max(1, total):.3f}")


if __name__ == "__main__":
    main()
