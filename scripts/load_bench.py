#!/usr/bin/env python3
"""Load benchmark: N concurrent simulated users against an amante server on loopback.

Each user signs up, signs in, starts a conversation, sends M messages one after another (each
waiting for the coach's reply) and reads the history. The script prints requests per second,
p50/p95/p99 latency in milliseconds (overall and per kind of request) and the error count,
then checks that every acknowledged message (HTTP 201) was stored: through the API for every
user and, when it knows the server's data folder (--start or --home), straight from the
database with amante's own keyring. It reports lost messages (acknowledged but not stored).

Examples:
  python scripts/load_bench.py --start                      # SQLite, built-in composer
  python scripts/load_bench.py --start --workers 2 \\
      --database-url postgresql+psycopg://postgres@127.0.0.1:54329/amante_bench
  python scripts/load_bench.py --url http://127.0.0.1:8000 --users 20 --think 1

Only loopback addresses are accepted; every run is bounded by --max-seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
PASSWORD = "load bench password 1"
# Original sample messages (short, everyday relationship worries).
MESSAGES = [
    "We keep arguing about money and I do not know how to bring it up calmly.",
    "My partner forgot our plans again and I felt hurt.",
    "I feel lonely when we are both on our phones all evening.",
    "We argue about chores every weekend.",
    "How can I tell my partner I need more time alone without hurting them?",
    "Our fights always end with one of us walking out.",
    "I want us to spend more time together but we are both so tired.",
    "My partner says I criticise too much. Maybe they are right.",
    "We moved in together and small habits are starting to annoy me.",
    "I am nervous about meeting their family next month.",
]


@dataclass
class Sample:
    kind: str
    status: int  # 0 for a transport error or timeout
    ms: float


@dataclass
class UserResult:
    index: int
    username: str
    user_id: str | None = None
    conversation: str | None = None
    acknowledged: list[str] = field(default_factory=list)
    unacknowledged: list[str] = field(default_factory=list)
    history: list[dict] | None = None
    error: str | None = None


class Recorder:
    def __init__(self) -> None:
        self.samples: list[Sample] = []

    async def call(self, client: httpx.AsyncClient, kind: str, method: str, url: str, **kw):
        start = time.perf_counter()
        try:
            response = await client.request(method, url, **kw)
        except httpx.HTTPError as exc:
            self.samples.append(Sample(kind, 0, (time.perf_counter() - start) * 1000))
            raise RequestFailed(f"{kind}: {type(exc).__name__}: {exc}") from exc
        self.samples.append(
            Sample(kind, response.status_code, (time.perf_counter() - start) * 1000)
        )
        return response


class RequestFailed(Exception):
    pass


def expect(response: httpx.Response, status: int, what: str) -> dict | list | None:
    if response.status_code != status:
        raise RequestFailed(f"{what}: HTTP {response.status_code} {response.text[:200]}")
    return response.json() if response.content else None


async def send_streamed(
    client: httpx.AsyncClient, rec: Recorder, path: str, text: str, csrf: dict[str, str]
) -> bool:
    """Send one message asking for SSE; True when the `done` event (the acknowledgement) came.

    Records the time to the first event as "first-event" and to `done` as "message".
    """
    start = time.perf_counter()
    first: float | None = None
    done = False
    status = 0
    try:
        async with client.stream(
            "POST", f"{path}?stream=true", json={"text": text}, headers=csrf
        ) as response:
            status = response.status_code
            if status != 201:
                await response.aread()
                raise RequestFailed(f"send message: HTTP {status} {response.text[:200]}")
            async for line in response.aiter_lines():
                if line.startswith("event: ") and first is None:
                    first = time.perf_counter()
                    rec.samples.append(Sample("first-event", status, (first - start) * 1000))
                if line == "event: done":
                    done = True
    except httpx.HTTPError as exc:
        rec.samples.append(Sample("message", 0, (time.perf_counter() - start) * 1000))
        raise RequestFailed(f"message: {type(exc).__name__}: {exc}") from exc
    rec.samples.append(
        Sample("message", status if done else 0, (time.perf_counter() - start) * 1000)
    )
    return done


async def simulate_user(
    base: str, index: int, run_id: str, args: argparse.Namespace, rec: Recorder
) -> UserResult:
    """One user's session; stops at the first failed request (and records why)."""
    result = UserResult(index=index, username=f"bench-{run_id}-{index:04d}")
    rng = random.Random(f"{run_id}-{index}")
    timeout = httpx.Timeout(args.timeout)
    async with httpx.AsyncClient(base_url=base, timeout=timeout) as client:
        try:
            if args.ramp:
                await asyncio.sleep(args.ramp * index / max(args.users, 1))
            creds = {"username": result.username, "password": PASSWORD}
            r = await rec.call(client, "signup", "POST", "/api/v1/auth/signup", json=creds)
            body = expect(r, 201, "sign up")
            result.user_id = body["user"]["id"]
            client.cookies.clear()
            r = await rec.call(client, "signin", "POST", "/api/v1/auth/signin", json=creds)
            csrf = {"x-csrf-token": expect(r, 200, "sign in")["csrf_token"]}
            r = await rec.call(
                client, "conversation", "POST", "/api/v1/conversations", headers=csrf
            )
            result.conversation = expect(r, 201, "new conversation")["id"]
            path = f"/api/v1/conversations/{result.conversation}/messages"
            for k in range(args.messages):
                if args.think:
                    await asyncio.sleep(args.think * rng.uniform(0.5, 1.5))
                text = f"[{result.username} #{k}] {rng.choice(MESSAGES)}"
                try:
                    if args.stream:
                        ok = await send_streamed(client, rec, path, text, csrf)
                    else:
                        r = await rec.call(
                            client, "message", "POST", path, json={"text": text}, headers=csrf
                        )
                        ok = r.status_code == 201 and bool(r.json().get("reply"))
                        if not ok:
                            expect(r, 201, "send message")
                except (RequestFailed, ValueError):
                    result.unacknowledged.append(text)
                    raise
                (result.acknowledged if ok else result.unacknowledged).append(text)
                if not ok:
                    raise RequestFailed("send message: the stream ended without a reply")
            r = await rec.call(client, "history", "GET", path)
            result.history = expect(r, 200, "read history")
        except (RequestFailed, KeyError, ValueError) as exc:
            result.error = str(exc)
    return result


async def run_load(base: str, args: argparse.Namespace, run_id: str):
    rec = Recorder()
    start = time.perf_counter()
    tasks = [simulate_user(base, i, run_id, args, rec) for i in range(args.users)]
    results = await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.max_seconds)
    return results, rec.samples, time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summarise(samples: list[Sample], elapsed: float) -> dict:
    def stats(items: list[Sample]) -> dict:
        ms = [s.ms for s in items]
        return {
            "requests": len(items),
            "p50_ms": round(percentile(ms, 50), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "p99_ms": round(percentile(ms, 99), 1),
            "max_ms": round(max(ms), 1),
        }

    requests = [s for s in samples if s.kind != "first-event"]  # a timing, not a request
    errors = [s for s in requests if s.status == 0 or s.status >= 400]
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s)
    return {
        "elapsed_s": round(elapsed, 2),
        "requests_per_s": round(len(requests) / elapsed, 1) if elapsed else 0.0,
        **stats(requests),
        "errors": len(errors),
        "error_statuses": dict(Counter(s.status for s in errors)),
        "by_kind": {k: stats(v) for k, v in sorted(by_kind.items())},
    }


def verify_through_api(results: list[UserResult]) -> dict:
    """Compare each user's acknowledged messages with the history the API returned."""
    lost = 0
    missing_reply = 0
    for r in results:
        if r.history is None:
            continue
        stored = [m["text"] for m in r.history if m["role"] == "user"]
        lost += sum(1 for text in r.acknowledged if text not in stored)
        roles = [m["role"] for m in r.history]
        missing_reply += roles.count("user") - roles.count("coach")
    checked = [r for r in results if r.history is not None]
    return {
        "users_checked": len(checked),
        "acknowledged_checked": sum(len(r.acknowledged) for r in checked),
        "lost": lost,
        "messages_without_reply": missing_reply,
    }


def verify_in_database(results: list[UserResult], home: Path, database_url: str | None) -> dict:
    """Read the stored user messages straight from the database (decrypted with the keyring)."""
    from sqlalchemy import select

    from amante.config import Settings
    from amante.service import open_database
    from amante.store.models import MessageRow

    settings = Settings(home=home, database_url=database_url)
    db = open_database(settings)
    try:
        ids = [r.user_id for r in results if r.user_id]
        stored: dict[str, set[str]] = defaultdict(set)
        with db.session() as s:
            for chunk in range(0, len(ids), 200):
                rows = s.execute(
                    select(MessageRow.user_id, MessageRow.text).where(
                        MessageRow.user_id.in_(ids[chunk : chunk + 200]), MessageRow.role == "user"
                    )
                )
                for user_id, text in rows:
                    stored[user_id].add(text)
    finally:
        db.close()
    acknowledged = sum(len(r.acknowledged) for r in results)
    lost = sum(1 for r in results for t in r.acknowledged if t not in stored.get(r.user_id, ()))
    unacked_stored = sum(
        1 for r in results for t in r.unacknowledged if t in stored.get(r.user_id, ())
    )
    return {
        "acknowledged": acknowledged,
        "lost": lost,
        "stored_without_acknowledgement": unacked_stored,
    }


# ---------------------------------------------------------------- server process
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args: argparse.Namespace, home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMANTE_")}
    env.update(AMANTE_HOME=str(home), AMANTE_SECRET_KEY=secrets.token_urlsafe(48))
    if args.database_url:
        env["AMANTE_DATABASE_URL"] = args.database_url
    cmd = [sys.executable, "-m", "amante.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", str(args.workers)]
    log = (home / "server.log").open("w")
    process = subprocess.Popen(cmd, env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {(home / 'server.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit("server did not answer /healthz within 60 s")


def child_pids(root: int) -> set[int]:
    """The direct children of `root` (uvicorn's worker processes), from Linux /proc."""
    out = set()
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == root:
            out.add(int(entry.parent.name))
    return out


def process_tree_cpu_seconds(root: int) -> float | None:
    """User+system CPU seconds of `root` and its descendants (Linux /proc), else None.

    Measured on the server's side, this shows what each request costs even when other
    programs share the machine and stretch the wall-clock latencies.
    """
    try:
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    text = (entry / "stat").read_text()
                except OSError:
                    continue
                fields = text.rsplit(")", 1)[1].split()
                stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    except OSError:
        return None
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _) in stats.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    ticks = sum(stats[pid][1] for pid in tree if pid in stats)
    return ticks / os.sysconf("SC_CLK_TCK")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def warm_up(base: str, workers: int) -> None:
    """Load the coach's models in every worker before measuring (a few untimed messages)."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        creds = {"username": f"warmup-{secrets.token_hex(4)}", "password": PASSWORD}
        r = await client.post("/api/v1/auth/signup", json=creds)
        csrf = {"x-csrf-token": r.json()["csrf_token"]}
        conv = (await client.post("/api/v1/conversations", headers=csrf)).json()["id"]
        path = f"/api/v1/conversations/{conv}/messages"
        await asyncio.gather(
            *[
                client.post(path, json={"text": MESSAGES[i % len(MESSAGES)]}, headers=csrf)
                for i in range(4 * workers)
            ]
        )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--url", default="http://127.0.0.1:8000", help="a running server (loopback)")
    p.add_argument("--start", action="store_true", help="start a server with a temp AMANTE_HOME")
    p.add_argument("--workers", type=int, default=1, help="server worker processes (--start)")
    p.add_argument("--database-url", help="AMANTE_DATABASE_URL for --start (default: SQLite)")
    p.add_argument("--keep-home", action="store_true", help="keep the --start data folder")
    p.add_argument("--home", type=Path, help="the running server's AMANTE_HOME, to check its DB")
    p.add_argument("--users", type=int, default=50, help="concurrent simulated users")
    p.add_argument("--messages", type=int, default=20, help="messages per user")
    p.add_argument("--stream", action="store_true", help="ask for replies as SSE streams")
    p.add_argument("--think", type=float, default=0.0, help="mean seconds between messages")
    p.add_argument("--ramp", type=float, default=0.0, help="seconds over which users start")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    p.add_argument("--max-seconds", type=float, default=900.0, help="bound on the whole run")
    p.add_argument("--no-warmup", action="store_true", help="measure the cold start too")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    args = p.parse_args(argv)
    if not 1 <= args.users <= 1000 or not 1 <= args.messages <= 1000:
        p.error("--users and --messages must be between 1 and 1000")
    if args.start and args.home:
        p.error("--home is for an already running server; --start makes its own")
    if args.database_url and not args.start:
        p.error("--database-url is for --start (a running server has its own)")
    return args


def print_report(report: dict) -> None:
    load = report["load"]
    print(
        f"amante load bench: {report['users']} users x {report['messages']} messages, "
        f"think {report['think_s']} s, {'streamed' if report['stream'] else 'whole'} replies, "
        f"{report['workers']} worker(s), {report['database']}"
    )
    print(
        f"  {load['requests']} requests in {load['elapsed_s']} s = {load['requests_per_s']} req/s; "
        f"latency p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, p99 {load['p99_ms']} ms, "
        f"max {load['max_ms']} ms"
    )
    print(f"  errors: {load['errors']} {load['error_statuses'] or ''}")
    print(
        f"  machine: {report['cpus']} CPUs, 1-minute load average after the run "
        f"{report['load_average_1m_after']}; this client used {report['client_cpu_s']} s of CPU"
    )
    if report.get("server_cpu_s") is not None:
        per_request = report["server_cpu_s"] * 1000 / max(load["requests"], 1)
        print(
            f"  server CPU: {report['server_cpu_s']} s for the run = {per_request:.1f} ms per "
            f"request on average (all kinds)"
        )
    for kind, s in load["by_kind"].items():
        print(
            f"    {kind:<13} n={s['requests']:<6} p50 {s['p50_ms']:>8} ms  "
            f"p95 {s['p95_ms']:>8} ms  p99 {s['p99_ms']:>8} ms"
        )
    if report["workers_replaced"]:
        print(f"  server workers replaced during the run: {report['workers_replaced']}")
    users_failed = report["users_failed"]
    print(f"  users that did not finish: {len(users_failed)}")
    for line in users_failed[:5]:
        print(f"    {line}")
    api = report["verify_api"]
    print(
        f"  history check (API): {api['acknowledged_checked']} acknowledged messages of "
        f"{api['users_checked']} users, lost {api['lost']}, "
        f"without reply {api['messages_without_reply']}"
    )
    if report.get("verify_db"):
        db = report["verify_db"]
        print(
            f"  database check: {db['acknowledged']} acknowledged, lost {db['lost']}, "
            f"stored without acknowledgement {db['stored_without_acknowledgement']}"
        )
    print(f"  lost messages: {report['lost_messages']}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    home: Path | None = args.home
    process = None
    temp_home = None
    try:
        if args.start:
            temp_home = Path(tempfile.mkdtemp(prefix="amante-bench-"))
            home = temp_home
            process, base = start_server(args, temp_home)
        else:
            base = args.url.rstrip("/")
            host = urlsplit(base).hostname or ""
            if host not in LOOPBACK:
                raise SystemExit(f"refusing {base}: the bench only drives servers on loopback")
        if not args.no_warmup:
            asyncio.run(warm_up(base, args.workers))
        run_id = secrets.token_hex(3)
        client_cpu = time.process_time()
        server_cpu = process_tree_cpu_seconds(process.pid) if process else None
        workers_before = child_pids(process.pid) if process and args.workers > 1 else set()
        results, samples, elapsed = asyncio.run(run_load(base, args, run_id))
        client_cpu = time.process_time() - client_cpu
        if server_cpu is not None and process is not None:
            after = process_tree_cpu_seconds(process.pid)
            server_cpu = after - server_cpu if after is not None else None
        report = {
            "users": args.users,
            "messages": args.messages,
            "think_s": args.think,
            "stream": args.stream,
            "workers": args.workers if args.start else None,
            "database": "postgresql"
            if (args.database_url or "").startswith("postgres")
            else ("sqlite" if args.start else "server's own"),
            "load": summarise(samples, elapsed),
            "load_average_1m_after": round(os.getloadavg()[0], 2),
            "cpus": os.cpu_count(),
            "client_cpu_s": round(client_cpu, 1),
            "server_cpu_s": round(server_cpu, 1) if server_cpu is not None else None,
            # uvicorn's supervisor kills a worker that misses its 5 s health check and starts
            # a new one; requests in flight on it are dropped ("server disconnected").
            "workers_replaced": len(workers_before - child_pids(process.pid))
            if workers_before and process
            else 0,
            "users_failed": [f"{r.username}: {r.error}" for r in results if r.error],
            "verify_api": verify_through_api(results),
        }
        if home is not None:
            report["verify_db"] = verify_in_database(results, home, args.database_url)
        report["lost_messages"] = max(
            report["verify_api"]["lost"], report.get("verify_db", {}).get("lost", 0)
        )
        if args.json:
            print(json.dumps(report, indent=2))
        else:
            print_report(report)
        ok = report["load"]["errors"] == 0 and report["lost_messages"] == 0
        if not ok and temp_home is not None:
            log = (temp_home / "server.log").read_text(errors="replace").strip().splitlines()
            print("  server log (last lines):", *log[-15:], sep="\n    ", file=sys.stderr)
        return 0 if ok else 1
    finally:
        if process is not None:
            stop_server(process)
        if temp_home is not None and args.keep_home:
            print(f"  server data folder kept: {temp_home}", file=sys.stderr)
        elif temp_home is not None:
            shutil.rmtree(temp_home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
