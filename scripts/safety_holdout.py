"""Test the whole safety screen on one writer's messages with heads trained without them.

Decisions about the screen (guards, cue words, how rules and heads combine) need text that
neither the rules' author tuned on nor the heads were fitted to. The blind sets are read once, at
the end; this is the development check in between: train the heads with one training file left
out (`train_safety.py --exclude`), serve them from a cache folder, and score that file.

Usage: python scripts/safety_holdout.py safety_train_ex_blind3.jsonl [--retrain] [--show N]
Prints recall per category, explicit recall and crisis false alarms on benign families, for the
screen and for the rules alone. --show N prints N misses (only for files you may read).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "amante"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", help="a tests/data/safety_train*.jsonl file name")
    ap.add_argument("--retrain", action="store_true", help="retrain even if heads are cached")
    ap.add_argument("--show", type=int, default=0, help="print this many misses")
    args = ap.parse_args()
    path = ROOT / "tests" / "data" / args.file
    if not path.name.startswith("safety_train") or not path.is_file():
        raise SystemExit(f"not a training file: {path} (blind sets are read by `amante eval`)")
    out = CACHE / f"holdout-{path.stem}"
    if args.retrain or not (out / "safety.json").is_file():
        cmd = [sys.executable, str(ROOT / "scripts" / "train_safety.py")]
        subprocess.run([*cmd, "--exclude", path.name, "--out", str(out)], check=True)
    os.environ["AMANTE_SAFETY_MODEL_DIR"] = str(out)

    from amante.engine.safety.screen import screen, screen_rules
    from amante.evaluation.safety_eval import corpus_stats, load_corpus

    rows = load_corpus(path)
    for name, fn in (("screen", screen), ("rules only", screen_rules)):
        st = corpus_stats(rows, fn)
        parts = [
            f"{k} {v[0]}/{v[1]} ({v[0] / v[1]:.2f})"
            for k, v in st.items()
            if isinstance(v, tuple) and v[1]
        ]
        print(f"{path.stem} [{name}]: " + "; ".join(parts))
        for miss in st["failures"][: args.show]:
            print("   ", miss)


if __name__ == "__main__":
    main()
