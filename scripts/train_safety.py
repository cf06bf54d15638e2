"""Train the safety classifier heads (numpy-only inference) and pick thresholds by CV.

Training data, all read here, none of it an evaluation set:
  (a) tests/data/safety_train*.jsonl: original training messages written for amante (by
      several writers, each in other voices);
  (b) tests/data/safety_corpus.jsonl, both splits (the trap corpus is a tuning/dev set now);
  (c) ordinary negatives: CounselChat TRAIN-split questions whose topics are neither
      `self-harm` nor `domestic-violence`, minus the reviewed genuine-risk questions
      (content/safety/counselchat_review.yaml);
  (d) everyday chat negatives: a fixed-seed sample of GoEmotions TRAIN comments (short Reddit
      comments: thanks, banter, complaints, insults) that the rules do not flag. Without them the
      heads mistake short everyday lines ("bye for now", "you disgust me") for danger.
tests/data/safety_blind*.jsonl (the unread blind evaluation sets) are never read. A blind set, once
evaluated, is renamed safety_train_ex_blindN.jsonl and joins the training data: its numbers are
spent, and a new writer's set takes its place.

Features: the MiniLM message embedding, character n-grams inside words (2-5, robust to
misspellings and slang) and word uni/bigrams, both TF-IDF; served with numpy
(amante.engine.understand.textfeatures), checked here against scikit-learn on every text.

Heads (one logistic regression each, on those features):
  self_harm (first person), self_harm_third (someone else), violence (toward the user: partner or
  anyone else; the screen picks the category from the named actor), coercive_control,
  harm_to_others, child_safety.
Plus an actor head (not a risk head): on messages of violence toward the user, is the doer a
partner or someone else? It names the category when a violence head raises a message.
Thresholds from 5-fold out-of-fold probabilities (folds split by writer: each written file is one
writer): `high` is the lowest threshold whose false positives on short ordinary messages (benign
traps and ordinary relationship talk, label 0 for every head; not CounselChat, whose long
questions score lower) stay within HIGH_BUDGET of them,
`medium` within MEDIUM_BUDGET; never below 0.9. C is chosen by out-of-fold recall at those
thresholds. Fixed seeds.

Writes src/amante/models/safety.npz + safety.json.
Usage: python scripts/train_safety.py [--exclude safety_train_x.jsonl --out DIR]
(a model trained without a file, served with AMANTE_SAFETY_MODEL_DIR=DIR, tests the whole screen on
that writer's messages: how decisions about the screen are made without a blind set)
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedGroupKFold
from train_emotions import OUT, ROOT, cached_embed

from amante.engine.understand.textfeatures import Tfidf
from amante.evaluation import datasets_dir
from amante.evaluation.safety_eval import EXCLUDED_TOPICS, counselchat_review

SEED = 11
HEADS: tuple[tuple[str, str, str, bool], ...] = (  # name, category, default level, third party
    ("self_harm", "self_harm", "crisis", False),
    ("self_harm_third", "self_harm", "elevated", True),
    ("violence", "harm_from_partner", "crisis", False),
    ("coercive_control", "coercive_control", "elevated", False),
    ("harm_to_others", "harm_to_others", "elevated", False),
    ("child_safety", "child_safety", "elevated", False),
    ("medical_emergency", "medical_emergency", "crisis", False),
    ("covert_surveillance", "covert_surveillance", "elevated", False),
    ("manipulation", "manipulation", "elevated", False),
)
# Share of short ordinary messages (benign traps and everyday relationship talk, many of them
# written to be confusable) a head may flag in cross-validation. The product target is at most
# 2% crisis false alarms on ordinary messages; the classifier gets half of that at crisis
# level, and a little more at `elevated` (a direct check-in question costs less than a missed
# crisis). Everyday chat ("he walked out", "bye for now") is taught as negative by the written
# everyday set (safety_train_everyday.jsonl) and GoEmotions comments.
# Coercive control reads like everyday complaints ("he says I nag"): it gets the least.
HIGH_BUDGET = {"self_harm": 0.01, "violence": 0.01, "coercive_control": 0.003}
HIGH_DEFAULT = 0.01
MEDIUM_BUDGET = {"coercive_control": 0.005}
MEDIUM_DEFAULT = 0.02
C_GRID = (2.0, 8.0)
EMB_SCALE = 1.0  # the embedding is unit-length, like each TF-IDF block
CHAR = {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2, "max_features": 40000}
WORD = {
    "analyzer": "word",
    "ngram_range": (1, 2),
    "min_df": 2,
    "max_features": 20000,
    "token_pattern": r"(?u)\b\w\w+\b",
}
THRESHOLD_FLOOR = 0.5
# Heads whose finding makes the coach decline ("how can I make her feel safe talking to me?" must
# not be refused as manipulation): a higher floor. Out of fold, 0.7 keeps most requests and all
# but one of the written negatives.
FLOOR_BY_HEAD = {"manipulation": 0.7, "covert_surveillance": 0.7}
ORDINARY_FAMILIES = {
    "hyperbole",
    "fiction",
    "news",
    "hobby",
    "professional",
    "past_safe",
    "negation",
    "ordinary",
    "benign_trap",
    "template_benign",
    "counselchat",
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def labels_for(row: dict[str, Any]) -> dict[str, int] | None:
    """Per-head 0/1 labels for one row, or None to leave the row out (context-only items)."""
    if row.get("context") or row["family"] == "context":
        return None  # the final message alone does not carry the label
    cats = set(row["categories"])
    level = row["expected_level"]
    third = row["family"] == "third_party"
    if "self_harm" in cats and level == "elevated" and not third:
        return None  # joking-but-worrying items: neither clearly positive nor negative
    return {
        "self_harm": int("self_harm" in cats and not third and level == "crisis"),
        "self_harm_third": int("self_harm" in cats and third),
        "violence": int(bool(cats & {"harm_from_partner", "harm_from_others"})),
        "coercive_control": int("coercive_control" in cats),
        "harm_to_others": int("harm_to_others" in cats),
        "child_safety": int("child_safety" in cats),
        "medical_emergency": int("medical_emergency" in cats),
        "covert_surveillance": int("covert_surveillance" in cats),
        "manipulation": int("manipulation" in cats),
    }


def counselchat_train(datasets: Path) -> list[dict[str, Any]]:
    """Ordinary CounselChat TRAIN questions as negative rows."""
    review = set(counselchat_review())
    by_id: dict[str, dict[str, Any]] = {}
    path = datasets / "counsel-chat" / "20200325_counsel_chat.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["split"] != "train":
                continue
            q = by_id.setdefault(
                row["questionID"],
                {
                    "id": row["questionID"],
                    "topics": set(),
                    "text": f"{row['questionTitle'] or ''}. {row['questionText'] or ''}".strip(),
                },
            )
            q["topics"].add(row["topic"])
    return [
        {
            "id": f"cc-{q['id']}",
            "text": q["text"],
            "expected_level": "none",
            "categories": [],
            "family": "counselchat",
        }
        for q in by_id.values()
        if not q["topics"] & set(EXCLUDED_TOPICS) and q["id"] not in review
    ]


GOEMOTIONS_NEGATIVES = 8000


def goemotions_negatives(datasets: Path) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Everyday-chat negatives from GoEmotions TRAIN (rules-clean), with their embeddings."""
    from amante.engine.safety.screen import screen_rules
    from amante.evaluation.emotions_eval import load_goemotions

    texts, _ = load_goemotions(datasets, "train")
    vectors = cached_embed(texts, "goemotions-train")  # the emotion head's cache
    order = np.random.default_rng(SEED).permutation(len(texts))
    picked: list[int] = []
    for i in order:
        if len(picked) == GOEMOTIONS_NEGATIVES:
            break
        t = texts[i]
        if len(t.split()) >= 3 and screen_rules(t).level == "none":
            picked.append(int(i))
    rows = [
        {
            "id": f"ge-{i}",
            "text": texts[i],
            "expected_level": "none",
            "categories": [],
            "family": "goemotions",
        }
        for i in picked
    ]
    return rows, vectors[picked]


def fit_tfidf(texts: list[str], options: dict[str, Any]) -> tuple[TfidfVectorizer, Tfidf]:
    """A scikit-learn vectorizer and its numpy twin, checked to agree on every text."""
    vec = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, lowercase=True, **options)
    matrix = vec.fit_transform(texts)
    terms = vec.get_feature_names_out()
    twin_options = {"analyzer": options["analyzer"], "ngram_range": options["ngram_range"]}
    if "token_pattern" in options:
        twin_options["token_pattern"] = options["token_pattern"]
    twin = Tfidf(
        vocab={t: i for i, t in enumerate(terms)}, idf=vec.idf_.astype(np.float32), **twin_options
    )
    for i, text in enumerate(texts):
        ids, vals = twin.transform(text)
        row = matrix.getrow(i)
        mine = dict(zip(ids.tolist(), vals.tolist(), strict=True))
        theirs = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        if mine.keys() != theirs.keys() or any(abs(mine[k] - theirs[k]) > 1e-4 for k in mine):
            raise SystemExit(f"numpy TF-IDF differs from scikit-learn on text {i}: {text[:60]!r}")
    return vec, twin


def oof_probs(x: Any, y: np.ndarray, c: float, w: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """5-fold out-of-fold probabilities, folds split by writer (`groups`).

    A message's fold never holds another message by the same writer: the scores show how the
    heads do on a new person's wording, which is what thresholds and C must be chosen for
    (random folds let a writer's habits leak from training into validation)."""
    p = np.zeros(len(y))
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
    for tr, te in folds.split(x, y, groups):
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", solver="liblinear")
        clf.fit(x[tr], y[tr], sample_weight=w[tr])
        p[te] = clf.predict_proba(x[te])[:, 1]
    return p


def threshold_for(p_neg: np.ndarray, budget: float, floor: float = THRESHOLD_FLOOR) -> float:
    """Lowest threshold keeping the false-positive share of ordinary negatives within budget."""
    allowed = int(np.floor(budget * len(p_neg)))
    ordered = np.sort(p_neg)[::-1]
    t = float(ordered[allowed]) + 1e-6 if allowed < len(ordered) else 0.5
    return float(min(max(t, floor), 0.9999))


def train_actor(
    x: Any, rows: list[dict[str, Any]], w: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.float32, dict[str, Any]]:
    """The actor head: on messages of violence toward the user, is the doer someone other than
    a partner (harm_from_others) rather than the partner? Trained on the violence rows whose
    label names exactly one of the two; C by out-of-fold accuracy, folds split by writer. Its
    weights are stored as the column after the heads (see classifier.ACTOR_CONFIDENT)."""
    from amante.engine.safety.screen import message_modifiers

    idx = np.array(
        [
            i
            for i, r in enumerate(rows)
            if ("harm_from_partner" in r["categories"]) != ("harm_from_others" in r["categories"])
        ]
    )
    y = np.array([int("harm_from_others" in rows[i]["categories"]) for i in idx])
    xa, wa, ga = x[idx], w[idx], groups[idx]
    best: tuple[float, float] | None = None
    for c in C_GRID:
        acc = float(((oof_probs(xa, y, c, wa, ga) >= 0.5) == y).mean())
        if best is None or acc > best[0]:
            best = (acc, c)
    assert best is not None
    rule = np.array([message_modifiers(rows[i]["text"])["other_actor"] for i in idx])
    clf = LogisticRegression(C=best[1], max_iter=4000, class_weight="balanced", solver="liblinear")
    clf.fit(xa, y, sample_weight=wa)
    report = {
        "C": best[1],
        "rows": len(idx),
        "others_share": round(float(y.mean()), 4),
        "oof_accuracy": round(best[0], 4),
        "rule_accuracy_whole_message": round(float((rule == y).mean()), 4),
    }
    return clf.coef_[0].astype(np.float32), np.float32(clf.intercept_[0]), report


def training_files(exclude: list[str]) -> list[Path]:
    """The written training files (never an unread blind set), minus `exclude` (file names)."""
    files = [
        f
        for f in sorted((ROOT / "tests" / "data").glob("safety_train*.jsonl"))
        if f.name not in exclude
    ]
    assert not any(f.name.startswith("safety_blind") for f in files)
    return files


def training_rows(
    train_files: list[Path], with_embeddings: bool = True
) -> tuple[list[dict[str, Any]], list[dict[str, int]], np.ndarray | None, int]:
    """Rows, per-head labels and embeddings (None without `with_embeddings`) of the training
    data, and how many GoEmotions rows (the last ones) it has: the written files, the trap
    corpus, CounselChat train negatives and GoEmotions everyday negatives, in that order."""
    data_dir = ROOT / "tests" / "data"
    train_rows = [
        # the written everyday set is easy negatives: kept out of the threshold pool below
        {**r, "family": "everyday", "writer": f.stem}
        if f.name == "safety_train_everyday.jsonl"
        else {**r, "writer": f.stem}
        for f in train_files
        for r in read_jsonl(f)
    ]
    corpus_rows = [{**r, "writer": "corpus"} for r in read_jsonl(data_dir / "safety_corpus.jsonl")]
    cc_rows = counselchat_train(datasets_dir())
    rows, labels = [], []
    for r in train_rows + corpus_rows + cc_rows:
        lab = labels_for(r)
        if lab is not None:
            rows.append(r)
            labels.append(lab)
    print(
        f"rows: {len(train_rows)} train file, {len(corpus_rows)} corpus, "
        f"{len(cc_rows)} CounselChat train negatives; {len(rows)} used",
        file=sys.stderr,
    )
    ge_rows, ge_vectors = goemotions_negatives(datasets_dir())
    x = (
        np.concatenate(
            [
                cached_embed(
                    [r["text"] for r in rows if not r["id"].startswith("cc-")], "safety-msgs"
                ),
                cached_embed(
                    [r["text"] for r in rows if r["id"].startswith("cc-")], "safety-cc-train"
                ),
                ge_vectors,
            ]
        )
        if with_embeddings
        else None
    )
    order = [i for i, r in enumerate(rows) if not r["id"].startswith("cc-")] + [
        i for i, r in enumerate(rows) if r["id"].startswith("cc-")
    ]
    rows = [rows[i] for i in order] + ge_rows
    labels = [labels[i] for i in order] + [dict.fromkeys(labels[0], 0) for _ in ge_rows]
    print(f"plus {len(ge_rows)} GoEmotions everyday negatives", file=sys.stderr)
    return rows, labels, x, len(ge_rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help="where safety.npz/.json are written")
    ap.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="FILE",
        help="leave a training file out (e.g. safety_train_g.jsonl) to test the screen on it",
    )
    args = ap.parse_args()
    out: Path = args.out
    train_files = training_files(args.exclude)
    rows, labels, x, n_ge = training_rows(train_files)
    assert x is not None
    texts = [r["text"] for r in rows]
    char_vec, char_twin = fit_tfidf(texts, CHAR)
    word_vec, word_twin = fit_tfidf(texts, WORD)
    x_char = char_vec.transform(texts)
    x_word = word_vec.transform(texts)
    x = sp.hstack([sp.csr_matrix(x * EMB_SCALE), x_char, x_word]).tocsr()
    n_emb, n_char = 384, x_char.shape[1]
    print(
        f"features: 384 embedding + {n_char} char n-grams + {x_word.shape[1]} words",
        file=sys.stderr,
    )
    # thresholds are set on short chat-like ordinary messages (benign traps, ordinary relationship
    # talk): long CounselChat questions score lower and would make the thresholds too lax
    ordinary = np.array(
        [
            r["family"] in ORDINARY_FAMILIES
            and r["family"] != "counselchat"
            and r["expected_level"] != "crisis"
            and not any(lab.values())
            for r, lab in zip(rows, labels, strict=True)
        ]
    )
    # CounselChat questions and GoEmotions comments are many: weight them so they do not drown
    # the written messages
    w = np.where([r["family"] in ("counselchat", "goemotions") for r in rows], 0.5, 1.0)
    # written files are one writer each; CounselChat and GoEmotions rows are many people
    writers = sorted({r.get("writer", "") for r in rows} - {""})
    groups = np.array(
        [
            writers.index(r["writer"]) if r.get("writer") else len(writers) + i
            for i, r in enumerate(rows)
        ]
    )
    weights, biases, heads, report = [], [], [], {}
    oof_all = np.zeros((len(rows), len(HEADS)), dtype=np.float32)
    for name, category, level, third in HEADS:
        y = np.array([lab[name] for lab in labels])
        floor = FLOOR_BY_HEAD.get(name, THRESHOLD_FLOOR)
        best_c, best_score, best_p, best_loss = C_GRID[0], -1.0, None, np.inf
        for c in C_GRID:  # C: best out-of-fold recall at the false-alarm budgets
            p = oof_probs(x, y, c, w, groups)
            hi = threshold_for(p[ordinary], HIGH_BUDGET.get(name, HIGH_DEFAULT), floor)
            me = min(threshold_for(p[ordinary], MEDIUM_BUDGET.get(name, MEDIUM_DEFAULT), floor), hi)
            score = float((p[y == 1] >= hi).mean() + (p[y == 1] >= me).mean())
            if score > best_score:
                best_c, best_score, best_p = c, score, p
                best_loss = log_loss(y, np.clip(p, 1e-6, 1 - 1e-6))
        assert best_p is not None
        oof_all[:, len(heads)] = best_p
        high = threshold_for(best_p[ordinary], HIGH_BUDGET.get(name, HIGH_DEFAULT), floor)
        medium = min(
            threshold_for(best_p[ordinary], MEDIUM_BUDGET.get(name, MEDIUM_DEFAULT), floor), high
        )
        clf = LogisticRegression(
            C=best_c, max_iter=4000, class_weight="balanced", solver="liblinear"
        )
        clf.fit(x, y, sample_weight=w)
        weights.append(clf.coef_[0].astype(np.float32))
        biases.append(np.float32(clf.intercept_[0]))
        pos = y == 1
        report[name] = {
            "C": best_c,
            "positives": int(pos.sum()),
            "oof_log_loss": round(float(best_loss), 4),
            "oof_recall_at_high": round(float((best_p[pos] >= high).mean()), 4),
            "oof_recall_at_medium": round(float((best_p[pos] >= medium).mean()), 4),
            "oof_ordinary_fp_at_high": round(float((best_p[ordinary] >= high).mean()), 4),
            "oof_ordinary_fp_at_medium": round(float((best_p[ordinary] >= medium).mean()), 4),
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
        print(name, report[name], heads[-1], file=sys.stderr)
    actor_w, actor_b, actor_report = train_actor(x, rows, w, groups)
    weights.append(actor_w)
    biases.append(actor_b)
    print("actor", actor_report, file=sys.stderr)
    cache = ROOT / ".cache" / "amante"  # out-of-fold scores, for comparing scorers offline
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(cache / "safety_linear_oof.npz", ids=[r["id"] for r in rows], oof=oof_all)
    out.mkdir(parents=True, exist_ok=True)
    full = np.stack(weights, axis=1)
    np.savez_compressed(
        out / "safety.npz",
        W=(full[:n_emb] * EMB_SCALE).astype(np.float32),
        W_char=full[n_emb : n_emb + n_char].astype(np.float16),
        W_word=full[n_emb + n_char :].astype(np.float16),
        b=np.array(biases, dtype=np.float32),
        char_vocab="\n".join(char_vec.get_feature_names_out()),
        char_idf=char_vec.idf_.astype(np.float32),
        word_vocab="\n".join(word_vec.get_feature_names_out()),
        word_idf=word_vec.idf_.astype(np.float32),
    )
    del char_twin, word_twin
    meta = {
        "heads": heads,
        "embedding": "all-MiniLM-L6-v2 int8 (amante.engine.understand.embedding)",
        "char": {"analyzer": "char_wb", "ngram_range": list(CHAR["ngram_range"])},
        "word": {
            "analyzer": "word",
            "ngram_range": list(WORD["ngram_range"]),
            "token_pattern": WORD["token_pattern"],
        },
        "n_rows": len(rows),
        "n_ordinary": int(ordinary.sum()),
        "sources": [
            *(f"tests/data/{f.name}" for f in train_files),
            "tests/data/safety_corpus.jsonl (both splits)",
            "CounselChat train split, non-crisis topics, reviewed genuine-risk removed",
            f"GoEmotions train split: {n_ge} comments the rules do not flag (seed {SEED})",
        ],
        "threshold_rule": (
            f"5-fold OOF, folds split by writer; high: ordinary false positives <= "
            f"{HIGH_BUDGET} (else {HIGH_DEFAULT}); medium: <= {MEDIUM_BUDGET} "
            f"(else {MEDIUM_DEFAULT}); short ordinary messages; floor {THRESHOLD_FLOOR}, "
            f"refusal heads {FLOOR_BY_HEAD}"
        ),
        "cv": report,
        "actor": actor_report,
        "seed": SEED,
    }
    (out / "safety.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out / 'safety.npz'} and safety.json", file=sys.stderr)


if __name__ == "__main__":
    main()
