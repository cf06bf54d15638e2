"""`amante bench`: latency of analyze and of a full reply over real CounselChat questions."""

from __future__ import annotations

import csv
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from amante.evaluation import datasets_dir


def counselchat_questions(limit: int) -> list[str]:
    """Unique CounselChat questions (title + text), in file order."""
    path = datasets_dir() / "counsel-chat" / "20200325_counsel_chat.csv"
    seen: set[str] = set()
    out: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            qid = row["questionID"]
            if qid in seen:
                continue
            seen.add(qid)
            text = f"{row['questionTitle']} {row['questionText']}".strip()
            if text:
                out.append(text[:8000])
            if len(out) >= limit:
                break
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _row(name: str, ms: list[float], target: str) -> dict[str, Any]:
    return {
        "name": name,
        "median_ms": statistics.median(ms),
        "p95_ms": _pct(ms, 0.95),
        "target": target,
    }


def run_bench(limit: int = 600) -> dict[str, Any]:
    """Time each step per message; returns medians, p95s, cold start and peak RSS."""
    from amante.engine import safety
    from amante.engine.coach import Coach
    from amante.engine.types import Conversation
    from amante.engine.understand import analyze

    texts = counselchat_questions(limit)
    t0 = time.perf_counter()
    analyze(texts[0])
    cold_ms = (time.perf_counter() - t0) * 1000

    from amante.engine.safety.patterns import compile_all

    compile_all()  # as a server worker does in the background at start (amante.web.asgi)
    screen_ms, analyze_ms, respond_ms, stored_ms = [], [], [], []
    for text in texts:
        t = time.perf_counter()
        safety.screen(text)
        screen_ms.append((time.perf_counter() - t) * 1000)
    for text in texts:
        t = time.perf_counter()
        analyze(text + " ")  # a fresh string, so no cache can answer
        analyze_ms.append((time.perf_counter() - t) * 1000)
    coach = Coach()
    for i, text in enumerate(texts):
        conversation = Conversation(id=f"bench-{i}")
        t = time.perf_counter()
        coach.respond(conversation, text + "  ")
        respond_ms.append((time.perf_counter() - t) * 1000)

    from amante.service import CoachService
    from amante.store.crypto import Keyring, new_key
    from amante.store.database import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}", keyring=Keyring([new_key()]))
        service = CoachService(db, coach=coach, handle="bench")
        conversation_id = None
        for i, text in enumerate(texts[:200]):
            if i % 10 == 0:
                conversation_id = None
            t = time.perf_counter()
            turn = service.reply(text + "   ", conversation_id)
            stored_ms.append((time.perf_counter() - t) * 1000)
            conversation_id = turn.conversation_id
        db.close()

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "messages": len(texts),
        "cold_start_ms": cold_ms,
        "peak_rss_mb": peak_kb / 1024,
        "cpus": os.cpu_count(),
        "rows": [
            _row("safety.screen", screen_ms, "-"),
            _row("analyze (all analyzers)", analyze_ms, "emotions < 10 ms"),
            _row("respond (full pipeline, builtin)", respond_ms, "p95 < 50 ms"),
            _row("reply + SQLite store (200 msgs)", stored_ms, "-"),
        ],
    }
