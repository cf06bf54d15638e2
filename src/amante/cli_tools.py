"""CLI commands for the coaching tools: `amante assess`, `rituals`, `starters`, `journal`,
`rewrite`. Registered on the main Typer app by `register(app)`.

Every command validates its input before writing, runs in one transaction (all or nothing),
prints with Rich, and offers --json for scripts. User mistakes exit with code 2 and one line
on stderr.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

console = Console()
err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _errors() -> tuple[type[BaseException], ...]:
    from amante.content.library import ContentError
    from amante.engine.errors import InputError
    from amante.store.crypto import CryptoError
    from amante.store.database import StoreError
    from amante.tools.errors import ToolError

    return (ToolError, StoreError, CryptoError, ContentError, InputError)


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def guarded(fn: F) -> F:
    """Turn tool errors into one clear line and exit code 2 (no traceback, nothing saved)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except _errors() as exc:
            _fail(str(exc))

    return wrapper  # type: ignore[return-value]


@contextmanager
def _session() -> Iterator[tuple[Any, str]]:
    """One transaction for one command, with the configured user's id."""
    from amante.config import get_settings
    from amante.service import open_database
    from amante.store import repository as repo

    settings = get_settings()
    db = open_database(settings)
    try:
        with db.session() as s:
            user_id = repo.get_or_create_user(s, settings.user).id
            yield s, user_id
    finally:
        db.close()


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _write_or_print(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {out}: {exc.strerror}")
    console.print(f"Wrote {out}")


def _read_text(text: str | None, what: str) -> str:
    """The argument, or stdin when it is '-' or missing and stdin is not a terminal."""
    if text is not None and text != "-":
        return text
    if text == "-" or not sys.stdin.isatty():
        return sys.stdin.read()
    _fail(f"give the {what} as an argument, or pipe it in")
    return ""


# ======================================================================= assess
assess_app = typer.Typer(help="Self-assessments: take one, see your history and trend.",
                         no_args_is_help=True)


@assess_app.command("list")
@guarded
def assess_list(as_json: JsonOpt = False) -> None:
    """The assessments you can take."""
    from amante.tools.assessments import list_assessments

    items = list_assessments()
    if as_json:
        _print_json([{"id": a.id, "title": a.title, "kind": a.kind, "items": len(a.items)}
                     for a in items])
        return
    table = Table(title="Assessments")
    for col in ("id", "title", "items", "kind"):
        table.add_column(col)
    for a in items:
        table.add_row(a.id, a.title, str(len(a.items)), a.kind)
    console.print(table)


@assess_app.command("show")
@guarded
def assess_show(assessment_id: str, as_json: JsonOpt = False) -> None:
    """The items and answer options of one assessment."""
    from amante.tools.assessments import get_assessment

    a = get_assessment(assessment_id)
    if as_json:
        _print_json(a.model_dump())
        return
    console.print(Panel(a.intro.strip(), title=a.title))
    for n, item in enumerate(a.items, 1):
        options = ", ".join(f"{o.value}={o.label}" for o in a.scales[item.scale])
        console.print(f"{n}. [bold]{escape(item.text)}[/]\n   [dim]{escape(options)}[/]")
    console.print(f"[dim]Source: {escape(a.citation())}[/]")


def _parse_answers(answers: str | None, pairs: list[str]) -> dict[str, Any] | list[Any] | None:
    if answers and pairs:
        raise _tool_error("give either --answers or --answer item=value, not both")
    if answers:
        return [a.strip() for a in answers.replace(" ", ",").split(",") if a.strip()]
    if pairs:
        out: dict[str, Any] = {}
        for pair in pairs:
            if "=" not in pair:
                raise _tool_error(f"expected item=value, got {pair!r}")
            key, value = pair.split("=", 1)
            out[key.strip()] = value.strip()
        return out
    return None


def _tool_error(message: str) -> Exception:
    from amante.tools.errors import ToolError

    return ToolError(message)


def _ask_answers(assessment: Any) -> dict[str, int]:
    console.print(Panel(assessment.intro.strip(), title=assessment.title))
    out: dict[str, int] = {}
    for n, item in enumerate(assessment.items, 1):
        options = assessment.scales[item.scale]
        lo, hi = assessment.item_range(item)
        console.print(f"\n{n}/{len(assessment.items)} [bold]{escape(item.text)}[/]")
        for o in options:
            console.print(f"   {o.value}  {escape(o.label)}")
        while True:
            raw = console.input(f"   your answer ({lo}-{hi}): ").strip()
            if raw.lstrip("-").isdigit() and lo <= int(raw) <= hi:
                out[item.id] = int(raw)
                break
            err.print(f"   [red]please type a whole number from {lo} to {hi}[/]")
    return out


def _print_score(score: Any, title: str) -> None:
    body = Text()
    body.append(f"{score.total} of {score.max}", style="bold")
    body.append(f"  {score.label}\n\n")
    body.append(score.summary + "\n")
    if score.subscales:
        body.append("\n")
        for sub in score.subscales:
            body.append(f"{sub.label}: {sub.score}/{sub.max}\n")
    body.append("\nNext steps:\n", style="bold")
    for step in score.next_steps:
        name = step.get("title") or step.get("id") or ""
        ref = f" ({step['id']})" if step.get("id") else ""
        body.append(f" - {name}{ref}: {step['why']}\n")
    console.print(Panel(body, title=title))


@assess_app.command("take")
@guarded
def assess_take(
    assessment_id: str,
    answers: Annotated[str | None, typer.Option(
        help="Answers in item order, comma-separated, e.g. 3,4,2,5.")] = None,
    answer: Annotated[list[str] | None, typer.Option(
        "--answer", help="One answer as item_id=value (repeatable).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Take an assessment: score, meaning and next steps; the result is saved."""
    from amante.tools.assessments import get_assessment, submit

    a = get_assessment(assessment_id)
    given = _parse_answers(answers, answer or [])
    if given is None:
        if not sys.stdin.isatty() or as_json:
            raise _tool_error(
                f"missing answers: give --answers with {len(a.items)} values in item order "
                f"(see `amante assess show {a.id}`)"
            )
        given = _ask_answers(a)
    with _session() as (s, uid):
        outcome = submit(s, uid, a.id, given)
    if as_json:
        _print_json(outcome.to_dict())
        return
    _print_score(outcome.score, a.title)


@assess_app.command("history")
@guarded
def assess_history(
    assessment_id: Annotated[str | None, typer.Argument()] = None, as_json: JsonOpt = False
) -> None:
    """Your past results (one assessment or all)."""
    from amante.tools.assessments import history

    with _session() as (s, uid):
        results = history(s, uid, assessment_id)
    if as_json:
        _print_json([r.to_dict() for r in results])
        return
    if not results:
        console.print("No results yet. Take one with `amante assess take ID`.")
        return
    table = Table(title="Your results")
    for col in ("when", "assessment", "score", "meaning"):
        table.add_column(col)
    for r in results:
        table.add_row(r.taken_at.strftime("%Y-%m-%d %H:%M"), r.assessment_id,
                      f"{r.score.total}/{r.score.max}", r.score.label)
    console.print(table)


@assess_app.command("chart")
@guarded
def assess_chart(
    assessment_id: str,
    out: Annotated[Path | None, typer.Option(help="Write the SVG to this file.")] = None,
) -> None:
    """An SVG trend chart of your scores on one assessment."""
    from amante.tools.assessments import trend_svg

    with _session() as (s, uid):
        svg = trend_svg(s, uid, assessment_id)
    _write_or_print(svg, out)


# ======================================================================= rituals
rituals_app = typer.Typer(help="Rituals of connection: plan, check off, streaks, calendar.",
                          no_args_is_help=True)


def _local_zone() -> str | None:
    tz = os.environ.get("TZ", "").lstrip(":")
    if "/" in tz:
        return tz
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return None
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else None


@rituals_app.command("list")
@guarded
def rituals_list(as_json: JsonOpt = False) -> None:
    """The ritual catalogue."""
    from amante.tools.rituals import list_rituals

    items = list_rituals()
    if as_json:
        _print_json([r.model_dump() for r in items])
        return
    table = Table(title="Rituals")
    for col in ("id", "title", "default", "minutes"):
        table.add_column(col)
    for r in items:
        cad = r.cadence
        when = cad.frequency + (f" {','.join(cad.weekdays)}" if cad.weekdays else "") + (
            f" day {cad.day_of_month}" if cad.day_of_month else "") + f" {cad.time}"
        table.add_row(r.id, r.title, when, str(r.duration_minutes))
    console.print(table)


@rituals_app.command("show")
@guarded
def rituals_show(ritual_id: str, as_json: JsonOpt = False) -> None:
    """One ritual: what it is, how to do it, and its sources."""
    from amante.tools.rituals import get_ritual

    r = get_ritual(ritual_id)
    if as_json:
        _print_json(r.model_dump())
        return
    steps = "\n".join(f"{i}. {s}" for i, s in enumerate(r.steps, 1))
    console.print(Panel(f"{r.description.strip()}\n\n{steps}\n\n[dim]{escape(r.citation())}[/]",
                        title=f"{r.title} ({r.duration_minutes} min)"))


def _print_plan(p: Any) -> None:
    nxt = p.next_at.strftime("%a %Y-%m-%d %H:%M %Z") if p.next_at else "-"
    console.print(f"[bold]{escape(p.title)}[/] ({p.ritual_id}): {escape(p.description)}; "
                  f"streak {p.streak}; next {nxt}")


@rituals_app.command("plan")
@guarded
def rituals_plan(
    ritual_id: str,
    tz: Annotated[str | None, typer.Option(help="IANA time zone, e.g. Europe/Berlin.")] = None,
    daily: Annotated[bool, typer.Option("--daily", help="Every day.")] = False,
    weekly: Annotated[str | None, typer.Option(help="Weekdays, e.g. mon,thu.")] = None,
    monthly: Annotated[str | None, typer.Option(help="Day of month 1-28 or 'last'.")] = None,
    at: Annotated[str | None, typer.Option("--time", help="Time of day, HH:MM.")] = None,
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    minutes: Annotated[int | None, typer.Option(help="Duration in minutes.")] = None,
    note: Annotated[str | None, typer.Option(help="A private note (encrypted).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Plan a ritual (or change your plan); defaults come from the ritual."""
    from amante.tools.rituals import plan_ritual

    chosen = [x for x in (daily, weekly is not None, monthly is not None) if x]
    if len(chosen) > 1:
        raise _tool_error("choose one of --daily, --weekly DAYS or --monthly DAY")
    frequency = "daily" if daily else "weekly" if weekly is not None else (
        "monthly" if monthly is not None else None)
    zone = tz or _local_zone()
    if not zone:
        raise _tool_error("give your time zone with --tz, e.g. --tz Europe/Berlin")
    with _session() as (s, uid):
        view = plan_ritual(s, uid, ritual_id, timezone=zone, frequency=frequency,
                           time_of_day=at, weekdays=weekly, day_of_month=monthly,
                           start_date=start, duration_minutes=minutes, note=note)
    if as_json:
        _print_json(view.to_dict())
        return
    console.print("Planned.")
    _print_plan(view)


@rituals_app.command("plans")
@guarded
def rituals_plans(
    include_stopped: Annotated[bool, typer.Option("--all", help="Include paused plans.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Your ritual plans with streaks and the next time each is due."""
    from amante.tools.rituals import list_plans

    with _session() as (s, uid):
        plans = list_plans(s, uid, include_stopped)
    if as_json:
        _print_json([p.to_dict() for p in plans])
        return
    if not plans:
        console.print("No plans yet. Start one with `amante rituals plan RITUAL --tz ZONE`.")
    for p in plans:
        _print_plan(p)


@rituals_app.command("stop")
@guarded
def rituals_stop(
    ritual_id: str,
    delete: Annotated[bool, typer.Option(help="Delete the plan and its check-offs.")] = False,
) -> None:
    """Pause a plan (it leaves your calendar), or delete it with --delete."""
    from amante.tools.rituals import stop_plan

    with _session() as (s, uid):
        stop_plan(s, uid, ritual_id, delete=delete)
    console.print("Deleted." if delete else "Paused. Plan it again to resume.")


@rituals_app.command("done")
@guarded
def rituals_done(
    ritual_id: str,
    on: Annotated[str | None, typer.Option("--date", help="Local date, YYYY-MM-DD.")] = None,
    note: Annotated[str | None, typer.Option(help="A private note.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check off a ritual for today (or a recent day with --date)."""
    from amante.tools.rituals import check_off

    with _session() as (s, uid):
        result = check_off(s, uid, ritual_id, on=on, note=note)
    if as_json:
        _print_json(result.to_dict())
        return
    console.print(f"Checked off {result.ritual_id} for {result.occurrence_date.isoformat()}. "
                  f"Streak: {result.streak}.")


@rituals_app.command("undo")
@guarded
def rituals_undo(
    ritual_id: str,
    on: Annotated[str, typer.Option("--date", help="Local date, YYYY-MM-DD.")],
) -> None:
    """Remove a check-off."""
    from amante.tools.rituals import undo_check_off

    with _session() as (s, uid):
        undo_check_off(s, uid, ritual_id, on)
    console.print("Removed.")


@rituals_app.command("summary")
@guarded
def rituals_summary(
    week: Annotated[str | None, typer.Option(help="Any date in the week, YYYY-MM-DD.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """This week's rituals: done, missed, still to come."""
    from amante.tools.rituals import weekly_summary

    with _session() as (s, uid):
        summary = weekly_summary(s, uid, week)
    if as_json:
        _print_json(summary.to_dict())
        return
    table = Table(title=f"Week {summary.week_start} to {summary.week_end}")
    for col in ("ritual", "done", "missed", "to come", "streak"):
        table.add_column(col)
    for p in summary.plans:
        table.add_row(p.title, f"{len(p.done)}/{len(p.scheduled)}", str(len(p.missed)),
                      str(len(p.upcoming)), str(p.streak))
    console.print(table)
    console.print(summary.message())


@rituals_app.command("ics")
@guarded
def rituals_ics(
    out: Annotated[Path | None, typer.Option(help="Write the .ics file here.")] = None,
    alarm: Annotated[int, typer.Option(help="Reminder minutes before (-1 for none).")] = 10,
) -> None:
    """Your ritual plans as an iCalendar (.ics) file for any calendar app."""
    from amante.tools.rituals import calendar_feed

    with _session() as (s, uid):
        data = calendar_feed(s, uid, alarm_minutes=alarm)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        _fail(f"cannot write {out}: {exc.strerror}")
    console.print(f"Wrote {out}")


@rituals_app.command("feed")
@guarded
def rituals_feed(
    rotate: Annotated[bool, typer.Option(help="Make a new secret; the old URL stops.")] = False,
    base_url: Annotated[str, typer.Option(help="Where amante serve is reachable.")] = (
        "http://127.0.0.1:8000"),
    as_json: JsonOpt = False,
) -> None:
    """The secret calendar feed URL to subscribe to in your calendar app."""
    from amante.tools.rituals import feed_token, rotate_feed_token

    with _session() as (s, uid):
        token = rotate_feed_token(s, uid) if rotate else feed_token(s, uid)
    url = f"{base_url.rstrip('/')}/api/v1/rituals/feed/{token}.ics"
    if as_json:
        _print_json({"token": token, "url": url, "rotated": rotate})
        return
    console.print(f"Subscribe to: {url}\n[dim]Keep it secret; rotate it with --rotate.[/]")


# ======================================================================= starters
starters_app = typer.Typer(help="Conversation starters and the closeness session.",
                           no_args_is_help=True)
DepthOpt = Annotated[str | None, typer.Option(help="light, deeper or vulnerable.")]
ThemeOpt = Annotated[str | None, typer.Option(
    help="appreciation, dreams, childhood, conflict_repair, intimacy, fun or future.")]
StageOpt = Annotated[str | None, typer.Option(help="dating, committed or long_term.")]


def _starter_dict(s: Any) -> dict[str, Any]:
    return s.model_dump()


@starters_app.command("draw")
@guarded
def starters_draw(depth: DepthOpt = None, theme: ThemeOpt = None, stage: StageOpt = None,
                  as_json: JsonOpt = False) -> None:
    """Draw a prompt you have not had yet (until the matching pool runs out)."""
    from amante.tools.starters import draw

    with _session() as (s, uid):
        starter = draw(s, uid, depth=depth, theme=theme, stage=stage)
    if as_json:
        _print_json(_starter_dict(starter))
        return
    console.print(Panel(starter.text, title=f"{starter.theme} · {starter.depth}",
                        subtitle=starter.id))


@starters_app.command("list")
@guarded
def starters_list(depth: DepthOpt = None, theme: ThemeOpt = None, stage: StageOpt = None,
                  as_json: JsonOpt = False) -> None:
    """All prompts matching the filters."""
    from amante.tools.starters import matching

    items = matching(depth, theme, stage)
    if as_json:
        _print_json([_starter_dict(s) for s in items])
        return
    for s in items:
        console.print(f"[dim]{s.id}[/] {escape(s.text)}")
    console.print(f"[dim]{len(items)} prompts[/]")


@starters_app.command("fav")
@guarded
def starters_fav(starter_id: str) -> None:
    """Keep a prompt in your favourites."""
    from amante.tools.starters import add_favourite

    with _session() as (s, uid):
        add_favourite(s, uid, starter_id)
    console.print("Saved to favourites.")


@starters_app.command("unfav")
@guarded
def starters_unfav(starter_id: str) -> None:
    """Remove a prompt from your favourites."""
    from amante.tools.starters import remove_favourite

    with _session() as (s, uid):
        remove_favourite(s, uid, starter_id)
    console.print("Removed from favourites.")


@starters_app.command("favourites")
@guarded
def starters_favourites(as_json: JsonOpt = False) -> None:
    """Your favourite prompts."""
    from amante.tools.starters import list_favourites

    with _session() as (s, uid):
        items = list_favourites(s, uid)
    if as_json:
        _print_json([_starter_dict(x) for x in items])
        return
    if not items:
        console.print("No favourites yet.")
    for x in items:
        console.print(f"[dim]{x.id}[/] {escape(x.text)}")


@starters_app.command("session")
@guarded
def starters_session(
    reset: Annotated[bool, typer.Option(help="Start the session over.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """The next question of the 36-question closeness session (three sets of twelve)."""
    from amante.tools import content
    from amante.tools.starters import reset_session, session_step

    with _session() as (s, uid):
        if reset:
            reset_session(s, uid)
        step = session_step(s, uid)
    if as_json:
        _print_json(step.to_dict())
        return
    if step.number == 1 and not step.finished:
        console.print(Panel(content.closeness_session().intro.strip(),
                            title=content.closeness_session().title))
    if step.set_intro:
        console.print(f"[bold]Set {step.set_number}: {escape(step.set_title)}[/]\n"
                      f"{escape(step.set_intro.strip())}")
    title = "Finished" if step.finished else f"Question {step.number} of {step.total}"
    console.print(Panel(step.text, title=title))


# ======================================================================= journal
journal_app = typer.Typer(help="A private journal with emotion words and a mood chart.",
                          no_args_is_help=True)


def _print_suggestions(suggestions: list[Any]) -> None:
    for sug in suggestions:
        near = ", ".join(sug.nearby_words[:5])
        console.print(f" - [bold]{sug.label}[/] ({sug.family}); related words: {near}")


@journal_app.command("write")
@guarded
def journal_write(
    text: Annotated[str | None, typer.Argument(help="The entry, or '-' to read stdin.")] = None,
    emotions: Annotated[str | None, typer.Option(
        help="Your emotions, comma-separated (from `amante journal feelings`).")] = None,
    accept: Annotated[bool, typer.Option(help="Accept the suggested emotions as is.")] = False,
    mood: Annotated[int | None, typer.Option(help="Mood from 1 (very low) to 5 (very good).")] = (
        None),
    as_json: JsonOpt = False,
) -> None:
    """Write an entry; amante suggests emotions, which you confirm or edit."""
    from amante.tools.journal import (
        add_entry,
        suggest_emotions,
        validate_emotions,
        validate_mood,
        validate_text,
    )

    body = validate_text(_read_text(text, "entry"))
    validate_mood(mood)
    chosen = validate_emotions(emotions) if emotions else None
    suggestions = suggest_emotions(body)
    interactive = sys.stdin.isatty() and not as_json and chosen is None and not accept
    if interactive:
        console.print("Emotions I noticed:")
        _print_suggestions(suggestions)
        reply = console.input("Your emotions (comma-separated; Enter to accept; '-' for none): ")
        reply = reply.strip()
        if reply == "":
            accept = True
        elif reply != "-":
            chosen = validate_emotions(reply)
    with _session() as (s, uid):
        entry = add_entry(s, uid, body, emotions=chosen, mood=mood, accept_suggestions=accept,
                          suggestions=suggestions)
    if as_json:
        _print_json(entry.to_dict())
        return
    console.print(f"Saved entry {entry.id[:8]}.")
    if entry.emotions:
        console.print(f"Emotions: {', '.join(entry.emotions)}")
    else:
        console.print("Suggested emotions (not saved yet):")
        _print_suggestions(suggestions)
        console.print(f"[dim]Confirm with `amante journal edit {entry.id[:8]} --emotions ...`[/]")
    if entry.safety:
        console.print("[bold]You wrote about something heavy. If you are in danger or thinking "
                      "of hurting yourself, please call your local emergency number or a crisis "
                      "line now.[/]")


@journal_app.command("suggest")
@guarded
def journal_suggest(text: Annotated[str | None, typer.Argument()] = None,
                    as_json: JsonOpt = False) -> None:
    """Emotion suggestions for a text, without saving anything."""
    from amante.tools.journal import suggest_emotions, validate_text

    suggestions = suggest_emotions(validate_text(_read_text(text, "text")))
    if as_json:
        _print_json([x.to_dict() for x in suggestions])
        return
    _print_suggestions(suggestions)


@journal_app.command("list")
@guarded
def journal_list(limit: Annotated[int, typer.Option(help="How many entries.")] = 20,
                 as_json: JsonOpt = False) -> None:
    """Your recent entries, newest first."""
    from amante.tools.journal import list_entries

    with _session() as (s, uid):
        entries = list_entries(s, uid, limit=limit)
    if as_json:
        _print_json([e.to_dict() for e in entries])
        return
    if not entries:
        console.print("No entries yet. Write one with `amante journal write`.")
    for e in entries:
        first = e.text.splitlines()[0][:70]
        mood = f" mood {e.mood}" if e.mood else ""
        console.print(f"[dim]{e.id[:8]} {e.created_at:%Y-%m-%d %H:%M}[/]{mood} "
                      f"{escape(', '.join(e.emotions))} | {escape(first)}")


@journal_app.command("show")
@guarded
def journal_show(entry_id: str, as_json: JsonOpt = False) -> None:
    """One entry in full."""
    from amante.tools.journal import get_entry

    with _session() as (s, uid):
        e = get_entry(s, uid, entry_id)
    if as_json:
        _print_json(e.to_dict())
        return
    console.print(Panel(e.text, title=f"{e.created_at:%Y-%m-%d %H:%M}",
                        subtitle=f"mood {e.mood or '-'}; {', '.join(e.emotions) or 'no emotions'}"))


@journal_app.command("edit")
@guarded
def journal_edit(
    entry_id: str,
    emotions: Annotated[str | None, typer.Option(help="Replace the emotions.")] = None,
    mood: Annotated[int | None, typer.Option(help="Mood 1-5.")] = None,
    text: Annotated[str | None, typer.Option(help="Replace the text.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Confirm or change an entry's emotions, mood or text."""
    from amante.tools.journal import update_entry

    if emotions is None and mood is None and text is None:
        raise _tool_error("nothing to change: give --emotions, --mood or --text")
    with _session() as (s, uid):
        e = update_entry(s, uid, entry_id, text=text, mood=mood,
                         emotions=emotions.split(",") if emotions is not None else None)
    if as_json:
        _print_json(e.to_dict())
        return
    console.print(f"Updated {e.id[:8]}.")


@journal_app.command("delete")
@guarded
def journal_delete(entry_id: str) -> None:
    """Delete one entry."""
    from amante.tools.journal import delete_entry

    with _session() as (s, uid):
        delete_entry(s, uid, entry_id)
    console.print("Deleted.")


@journal_app.command("feelings")
@guarded
def journal_feelings(family: Annotated[str | None, typer.Argument()] = None,
                     as_json: JsonOpt = False) -> None:
    """Words for feelings, grouped by family, with short meanings."""
    from amante.tools.journal import vocabulary

    vocab = vocabulary(family)
    if as_json:
        _print_json(vocab)
        return
    for fam in vocab.values():
        table = Table(title=f"{fam['label']}: {fam['about']}", show_header=False)
        for f in fam["feelings"]:
            table.add_row(f["word"], f["means"])
        console.print(table)


@journal_app.command("chart")
@guarded
def journal_chart(
    days: Annotated[int, typer.Option(help="How many days back.")] = 30,
    out: Annotated[Path | None, typer.Option(help="Write the SVG here.")] = None,
) -> None:
    """An SVG chart of your mood and the feelings you named."""
    from amante.tools.journal import mood_chart_svg

    if days < 1:
        raise _tool_error("--days must be 1 or more")
    with _session() as (s, uid):
        svg = mood_chart_svg(s, uid, days=days)
    _write_or_print(svg, out)


# ======================================================================= rewrite
_STYLES = {"criticism": "bold red", "contempt": "bold magenta", "defensiveness": "bold yellow",
           "stonewalling": "bold blue", "blame": "bold dark_orange", "demand": "bold dark_orange"}


@guarded
def rewrite_command(
    draft: Annotated[str | None, typer.Argument(help="The message, or '-' to read stdin.")] = None,
    variant: Annotated[int, typer.Option(help="Ask for another version: 1, 2, ...")] = 0,
    file: Annotated[Path | None, typer.Option(help="Read the draft from a file.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark harsh words in a draft to your partner and suggest a gentler start."""
    from amante.tools.rewriter import rewrite

    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"cannot read {file}: {exc}")
    else:
        text = _read_text(draft, "draft")
    result = rewrite(text, variant)
    if as_json:
        _print_json(result.to_dict())
        return
    shown = Text(result.draft)
    for m in result.marks:
        shown.stylize(_STYLES.get(m.label, "bold"), m.start, m.end)
    console.print(Panel(shown, title="Your draft"))
    for m in result.marks:
        console.print(f"[{_STYLES.get(m.label, 'bold')}]{m.label}[/] "
                      f"\"{escape(m.text)}\": {escape(m.explanation)}")
    if result.safety is not None:
        console.print(Panel(result.safety.message, title="Safety first", style="bold"))
        return
    console.print(Panel(result.rewrite or "", title=f"A gentler start (version {variant + 1})"))
    for note in result.notes:
        console.print(f"[dim]{escape(note)}[/]")
    console.print(f"[dim]Another version: amante rewrite --variant {variant + 1}[/]")


def register(app: typer.Typer) -> None:
    """Add the tools' commands to the main `amante` app."""
    app.add_typer(assess_app, name="assess")
    app.add_typer(rituals_app, name="rituals")
    app.add_typer(starters_app, name="starters")
    app.add_typer(journal_app, name="journal")
    app.command("rewrite")(rewrite_command)
