"""The `amante` command line: chat, serve, reply, analyze, profile, history, export, eval..."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="amante: a self-hosted AI relationship coach (a coach, not a therapist).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console()
err = Console(stderr=True)


class UserError(Exception):
    """A problem the user can fix; printed as one line, no traceback."""


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def _service():
    from amante.service import CoachService

    try:
        return CoachService.open(warn=lambda message: err.print(f"[yellow]warning:[/] {message}"))
    except _user_errors() as exc:
        _fail(str(exc))


def _user_errors() -> tuple[type[BaseException], ...]:
    from amante.engine.errors import InputError
    from amante.profiles import ProfileError
    from amante.store.crypto import CryptoError
    from amante.store.database import StoreError
    from amante.store.repository import NotFound
    from amante.tools.errors import ToolError

    return (InputError, ProfileError, StoreError, NotFound, UserError, CryptoError, ToolError)


# ---------------------------------------------------------------- chat
CHAT_HELP = (
    "Commands: /profile (show), /profile key=value (set), /forget [facts|conversations|all], "
    "/new (new conversation), /help, /quit"
)


def _print_profile(service) -> None:
    profile = service.profile().to_dict()
    table = Table(title="Your profile", show_header=False)
    for key, value in profile.items():
        table.add_row(key, ", ".join(value) if isinstance(value, list) else str(value or "-"))
    for fact in service.facts():
        table.add_row(f"learned: {fact.key}", fact.value)
    console.print(table)


def _parse_assignments(pairs: list[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise UserError(f"expected key=value, got {pair!r}")
        key, value = pair.split("=", 1)
        key = key.strip()
        value = value.strip()
        if key == "goals":
            changes[key] = [g.strip() for g in value.split(";") if g.strip()]
        else:
            changes[key] = value or None
    return changes


@app.command()
def chat(
    resume: Annotated[
        bool, typer.Option("--continue", help="Continue the latest conversation.")
    ] = False,
    delay: Annotated[float, typer.Option(help="Seconds between streamed chunks.")] = 0.02,
) -> None:
    """Talk with the coach in the terminal. It remembers you across runs."""
    from amante.engine.coach import Replace
    from amante.engine.errors import clean_message
    from amante.engine.types import Turn

    service = _service()
    errors = _user_errors()
    conversation_id = service.latest_conversation() if resume else None
    profile = service.profile()
    hello = f"Hi {profile.name}." if profile.name else "Hi."
    console.print(
        f"[bold magenta]amante[/] - {hello} I'm an AI relationship coach, not a therapist. "
        "If you are in danger, call your local emergency number.\n"
        f"[dim]{CHAT_HELP}[/]"
    )
    while True:
        try:
            text = console.input("[bold cyan]you>[/] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        stripped = text.strip()
        if not stripped:
            continue
        if stripped in {"/quit", "/exit", "/q"}:
            break
        if stripped == "/help":
            console.print(CHAT_HELP)
            continue
        if stripped == "/new":
            conversation_id = None
            console.print("[dim]Started a new conversation.[/]")
            continue
        try:
            if stripped.startswith("/profile"):
                args = stripped.split()[1:]
                if args:
                    service.set_profile(_parse_assignments(args))
                _print_profile(service)
                continue
            if stripped.startswith("/forget"):
                what = (stripped.split()[1:] or ["all"])[0]
                if what not in {"facts", "conversations", "all"}:
                    raise UserError("use /forget facts, /forget conversations or /forget all")
                counts = service.forget(what)
                conversation_id = None
                console.print(f"[dim]Forgotten: {counts}[/]")
                continue
            if stripped.startswith("/"):
                raise UserError(f"unknown command {stripped.split()[0]}. {CHAT_HELP}")
            clean_message(text)
            conversation = service.load(conversation_id)
            console.print("[bold magenta]amante>[/] ", end="")
            turn = None
            for item in service.stream(conversation, text):
                if isinstance(item, Turn):
                    turn = item
                elif isinstance(item, Replace):
                    console.print(
                        "\n[dim](that reply did not pass a check; here is a safer one)[/]"
                    )
                    console.print(item.text, end="", highlight=False, markup=False)
                else:
                    console.print(item, end="", highlight=False, markup=False)
                    if delay and sys.stdout.isatty():
                        time.sleep(delay)
            console.print()
        except errors as exc:
            err.print(f"[red]{exc}[/]", highlight=False)
            continue
        assert turn is not None
        conversation_id = turn.conversation_id
        if turn.techniques:
            sources = "; ".join(f"{t.title} ({t.source})" for t in turn.techniques)
            console.print(f"[dim]based on: {sources}[/]", highlight=False)
    console.print("[dim]Take care. Your conversation is saved on this machine.[/]")


# ---------------------------------------------------------------- script contract
def _read_lines():
    """Yield (line_number, raw_bytes) for each stdin line, without the newline."""
    for number, raw in enumerate(sys.stdin.buffer, 1):
        yield number, raw.rstrip(b"\r\n")


def _parse_line(number: int, raw: bytes) -> tuple[Any, dict[str, Any]]:
    """(id, fields) from one input line, or raise UserError with what is wrong."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"line {number} is not valid UTF-8 (byte {exc.start})") from None
    if line.lstrip().startswith("{"):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(
                f"line {number} is not valid JSON: {exc.msg} at column {exc.colno}"
            ) from None
        if not isinstance(obj, dict):
            raise UserError(f"line {number}: expected a JSON object")
        if not isinstance(obj.get("text"), str):
            raise UserError(f"line {number}: field 'text' must be a string")
        ident = obj.get("id", number)
        if not isinstance(ident, (str, int, float)) or isinstance(ident, bool):
            raise UserError(f"line {number}: field 'id' must be a string or a number")
        return ident, obj
    return number, {"text": line}


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _line_id(number: int, raw: bytes) -> Any:
    try:
        obj = json.loads(raw.decode("utf-8"))
        if isinstance(obj, dict) and isinstance(obj.get("id"), (str, int, float)):
            return obj["id"]
    except (UnicodeDecodeError, json.JSONDecodeError):
        pass
    return number


@app.command()
def analyze() -> None:
    """Read messages from stdin (JSON lines or plain text); write one analysis per line."""
    from amante.engine import safety
    from amante.engine.errors import InputError, clean_message
    from amante.engine.understand import analyze as run_analysis

    failed = False
    for number, raw in _read_lines():
        try:
            ident, obj = _parse_line(number, raw)
            text = clean_message(obj["text"])
        except (UserError, InputError) as exc:
            failed = True
            _emit({"id": _line_id(number, raw), "error": str(exc)})
            continue
        result = run_analysis(text)
        out = {"id": ident, "safety": safety.screen(text).to_dict()}
        out.update(result.to_dict())
        out.pop("facts", None)
        _emit(out)
    raise typer.Exit(1 if failed else 0)


@app.command()
def reply() -> None:
    """Read messages from stdin; coach each one and write the reply as JSON per line.

    A line may carry "conversation" (an id from an earlier output) to continue it.
    """
    service = _service()
    errors = _user_errors()
    failed = False
    for number, raw in _read_lines():
        try:
            ident, obj = _parse_line(number, raw)
            conversation = obj.get("conversation")
            if conversation is not None and not isinstance(conversation, str):
                raise UserError(f"line {number}: field 'conversation' must be a string")
            turn = service.reply(obj["text"], conversation)
        except errors as exc:
            failed = True
            _emit({"id": _line_id(number, raw), "error": str(exc)})
            continue
        _emit(
            {
                "id": ident,
                "conversation": turn.conversation_id,
                "reply": turn.reply,
                "safety": turn.safety.to_dict(),
                "strategy": turn.strategy,
                "techniques": [t.to_dict() for t in turn.techniques],
            }
        )
    raise typer.Exit(1 if failed else 0)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 1,
    log_level: Annotated[
        str, typer.Option(help="critical, error, warning, info or debug.")
    ] = "warning",
) -> None:
    """Run the web app and JSON API (SQLite and the built-in composer by default)."""
    import uvicorn

    from amante.config import UnsafeSettings, get_settings, resolve_secret_key
    from amante.service import open_database

    settings = get_settings()
    try:
        resolve_secret_key(settings)  # refuse unsafe settings before binding the port
        open_database(settings).close()  # create or migrate once, not in every worker
    except (UnsafeSettings, *_user_errors()) as exc:
        _fail(str(exc))
    console.print(f"amante is running at [bold]http://{host}:{port}/[/] (Ctrl+C to stop)")
    if log_level not in {"critical", "error", "warning", "info", "debug"}:
        _fail("--log-level must be one of: critical, error, warning, info, debug")
    uvicorn.run(
        "amante.web.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        proxy_headers=False,
        # A worker busy with a burst of password hashing must not be taken for dead.
        timeout_worker_healthcheck=30,
    )


@app.command()
def backends(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the reply backends, and check that the configured one really answers."""
    from amante.backends import check_backends
    from amante.config import get_settings

    settings = get_settings()
    rows = check_backends(settings)
    if as_json:
        _emit({"selected": settings.backend, "backends": rows})
    else:
        table = Table(title=f"backends (AMANTE_BACKEND={settings.backend})")
        for col in ("name", "configured", "status", "latency", "detail"):
            table.add_column(col)
        for row in rows:
            status = {True: "[green]ok[/]", False: "[red]failing[/]", None: "-"}[row["ok"]]
            latency = f"{row['latency_ms']:.0f} ms" if row["latency_ms"] is not None else ""
            table.add_row(
                row["name"], "yes" if row["configured"] else "", status, latency, row["detail"]
            )
        console.print(table)
    failing = any(r["configured"] and r["ok"] is False for r in rows)
    raise typer.Exit(1 if failing else 0)


# ---------------------------------------------------------------- memory
@app.command()
def profile(
    set_: Annotated[list[str] | None, typer.Option("--set", help="key=value (goals: a;b)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show or change what the coach knows about you."""
    service = _service()
    try:
        if set_:
            service.set_profile(_parse_assignments(set_))
    except _user_errors() as exc:
        _fail(str(exc))
    if as_json:
        data = service.profile().to_dict()
        data["facts"] = [f.to_dict() for f in service.facts()]
        _emit(data)
    else:
        _print_profile(service)


@app.command()
def history(
    conversation: Annotated[str | None, typer.Option("--id", help="One conversation.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List your conversations, or show one."""
    service = _service()
    try:
        items = service.history(conversation)
    except _user_errors() as exc:
        _fail(str(exc))
    if as_json:
        _emit({"conversations": items})
        return
    if not items:
        console.print("No conversations yet. Start one with `amante chat`.")
    for item in items:
        console.print(f"[bold]{item['created_at'][:16]}[/] {item['id']}  {item['title']}")
        if conversation:
            for m in item["messages"]:
                who = "you" if m["role"] == "user" else "amante"
                console.print(f"  [cyan]{who}>[/] {m['text']}", highlight=False)


@app.command()
def export(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
) -> None:
    """Export everything stored about you as JSON."""
    service = _service()
    data = json.dumps(service.export(), ensure_ascii=False, indent=2)
    if output is None:
        sys.stdout.write(data + "\n")
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=output.parent if output.parent.exists() else None)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data + "\n")
        os.replace(tmp, output)
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror}")
    err.print(f"Exported to {output}")


@app.command()
def forget(
    what: Annotated[str, typer.Argument(help="facts, conversations or all")] = "all",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete what the coach stored about you."""
    if what not in {"facts", "conversations", "all"}:
        _fail("choose one of: facts, conversations, all")
    if not yes and not typer.confirm(f"Delete {what}? This cannot be undone."):
        raise typer.Exit(1)
    counts = _service().forget(what)
    console.print(f"Deleted: {counts}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the newest schema."""
    from amante.config import get_settings
    from amante.store.database import Database, StoreError

    url = get_settings().db_url
    try:
        Database(url).close()
    except StoreError as exc:
        _fail(str(exc))
    console.print(f"Database is up to date: {url.split('@')[-1]}")


@db_app.command("new-key")
def db_new_key() -> None:
    """Print a new encryption key (for AMANTE_ENCRYPTION_KEYS)."""
    from amante.store.crypto import new_key

    sys.stdout.write(new_key() + "\n")


@db_app.command("rotate-key")
def db_rotate_key(
    generate: Annotated[
        bool, typer.Option(help="Generate a new key in the key file first.")
    ] = False,
) -> None:
    """Re-encrypt all stored text with the newest key.

    With AMANTE_ENCRYPTION_KEYS="NEW,OLD": re-encrypts with NEW; then drop OLD from the variable.
    With the key file of the embedded default: --generate adds a new key, re-encrypts, and
    removes the old key from the file only after everything was re-encrypted.
    """
    from amante.config import get_settings
    from amante.store.crypto import Keyring, load_or_create_keys, new_key
    from amante.store.database import Database
    from amante.store.rotation import rotate_keys

    settings = get_settings()
    try:
        keys = load_or_create_keys(settings.home, settings.encryption_keys)
        key_file = settings.home / "encryption.key"
        if generate:
            if settings.encryption_keys:
                raise UserError(
                    "--generate works with the key file; with AMANTE_ENCRYPTION_KEYS, "
                    "put a new key (amante db new-key) first in the variable"
                )
            keys = [new_key(), *keys]
            key_file.write_text("\n".join(keys) + "\n", encoding="ascii")
        ring = Keyring(keys)
        db = Database(settings.db_url, keyring=ring)
        count = rotate_keys(db.engine, ring)
        db.close()
        if generate:
            key_file.write_text(keys[0] + "\n", encoding="ascii")
    except _user_errors() as exc:
        _fail(str(exc))
    console.print(f"Re-encrypted {count} values with the newest key.")
    if settings.encryption_keys and len(keys) > 1:
        console.print("You can now remove the older keys from AMANTE_ENCRYPTION_KEYS.")


# ---------------------------------------------------------------- eval and bench
@app.command("eval")
def eval_(
    suite: Annotated[
        str, typer.Argument(help="all, emotions, topics, horsemen, intent, safety")
    ] = "all",
    output: Annotated[Path, typer.Option("--output", "-o")] = Path("eval-results.json"),
    blind: Annotated[
        Path | None,
        typer.Option(help="Safety: read only this blind set (JSON lines), not every one."),
    ] = None,
) -> None:
    """Run the evaluations on the shared datasets; print a table and write JSON."""
    from amante.evaluation.runner import SUITES, run_suites

    if suite != "all" and suite not in SUITES:
        _fail(f"unknown suite {suite!r}; choose all or one of: {', '.join(SUITES)}")
    if blind is not None and suite not in ("all", "safety"):
        _fail("--blind is for the safety suite")
    if blind is not None and not blind.is_file():
        _fail(f"blind set not found: {blind}")
    try:
        metrics = run_suites(list(SUITES) if suite == "all" else [suite], blind=blind)
    except Exception as exc:
        from amante.evaluation import DatasetsMissing

        if isinstance(exc, DatasetsMissing | FileNotFoundError):
            _fail(str(exc))
        raise
    table = Table(title="amante eval")
    for col in ("suite", "metric", "value", "target", "result"):
        table.add_column(col)
    for m in metrics:
        target = (
            ""
            if m.target is None
            else ("<= " if not m.higher_is_better else ">= ") + f"{m.target:g}"
        )
        result = {True: "[green]pass[/]", False: "[red]FAIL[/]", None: "-"}[m.passed]
        table.add_row(m.suite, m.name, f"{m.value:.4g}", target, result)
    console.print(table)
    output.write_text(json.dumps([m.to_dict() for m in metrics], indent=2) + "\n")
    err.print(f"Wrote {output}")
    raise typer.Exit(0 if all(m.passed is not False for m in metrics) else 1)


@app.command()
def bench(
    limit: Annotated[int, typer.Option(help="How many CounselChat questions to use.")] = 600,
) -> None:
    """Median and p95 latency of analyze and respond over real questions, and peak memory."""
    from amante.bench import run_bench

    try:
        report = run_bench(limit)
    except Exception as exc:
        from amante.evaluation import DatasetsMissing

        if isinstance(exc, DatasetsMissing):
            _fail(str(exc))
        raise
    table = Table(title=f"amante bench ({report['messages']} CounselChat questions)")
    for col in ("measure", "median ms", "p95 ms", "target"):
        table.add_column(col)
    for row in report["rows"]:
        table.add_row(row["name"], f"{row['median_ms']:.2f}", f"{row['p95_ms']:.2f}", row["target"])
    console.print(table)
    console.print(f"cold start (first analyze incl. model load): {report['cold_start_ms']:.0f} ms")
    console.print(f"peak resident memory: {report['peak_rss_mb']:.0f} MB (target < 400 MB)")


def _register_tools() -> None:
    """The coaching tools' commands (assess, rituals, starters, journal, rewrite)."""
    from amante.cli_tools import register

    register(app)


_register_tools()


def main() -> None:
    """Console entry point: user errors become one line on stderr, never a traceback."""
    try:
        app()
    except SystemExit:
        raise  # a finished command (or a usage error, already printed): not a user error to
        # look up, which would import the store and its database driver on the way out
    except _user_errors() as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
