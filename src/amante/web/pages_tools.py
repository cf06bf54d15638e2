"""Server-rendered pages of the coaching tools; every flow works without JavaScript.

Forms post with the hidden csrf_token; a tool's bad-input error is shown on the same form
(with the tool's http_status) and nothing is saved. Charts are SVGs served by the JSON API and
shown with <img>, so the strict CSP (no inline script or style) holds.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar
from urllib.parse import urlencode
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from amante.store.tool_models import FeedToken
from amante.tools import assessments as assess
from amante.tools import content, journal, rewriter, rituals, starters
from amante.tools.errors import ToolError, UnknownItem
from amante.tools.schemas import WEEKDAYS
from amante.web.api.rituals import feed_json
from amante.web.api.starters import starter_json
from amante.web.api.tool_schemas import checked_ref, journal_safety, parse_day, region_of
from amante.web.deps import Auth, check_form_csrf
from amante.web.errors import ApiError
from amante.web.pages import PageAuth, render, to_signin

router = APIRouter(include_in_schema=False)

TOOLS = [
    (
        "Self-assessments",
        "/tools/assessments",
        "Short check-ins on closeness, the Four Horsemen and satisfaction, with your trend.",
    ),
    (
        "Rituals",
        "/tools/rituals",
        "Small practices of connection, with streaks, a weekly summary and calendar reminders.",
    ),
    (
        "Conversation starters",
        "/tools/starters",
        "Questions from light to vulnerable, never repeated, and a 36-question closeness session.",
    ),
    (
        "Journal",
        "/tools/journal",
        "A private place to write and name what you feel, with a mood chart.",
    ),
    (
        "Message rewriter",
        "/tools/rewrite",
        "Paste a message before you send it: see what may land hard and a gentler way to say it.",
    ),
]
DEPTHS = starters.DEPTHS
THEMES = starters.THEMES
STAGES = starters.STAGES
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@cache
def timezones() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


def db(request: Request) -> Any:
    return request.app.state.db


async def form_of(request: Request, auth: Auth) -> Any:
    """The posted form, after checking its CSRF token."""
    form = await request.form()
    check_form_csrf(auth, str(form.get("csrf_token", "")))
    return form


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def error_status(exc: ToolError) -> int:
    return exc.http_status


T = TypeVar("T")


def _run_or_404(request: Request, step: Callable[[Session], T]) -> T:
    """Run `step` in one transaction; any tool error there means an unknown item (404)."""
    try:
        with db(request).session() as s:
            return step(s)
    except ToolError as exc:
        raise ApiError(404, "not_found", str(exc)) from None


# ------------------------------------------------------------------ index
@router.get("/tools", response_class=HTMLResponse)
def tools_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return render(request, "tools.html", auth, tools=TOOLS)


# ------------------------------------------------------------------ assessments
def _assessment(assessment_id: str) -> Any:
    try:
        return assess.get_assessment(assessment_id)
    except ToolError as exc:
        raise ApiError(404, "not_found", str(exc)) from None


@router.get("/tools/assessments", response_class=HTMLResponse)
def assessments_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    with db(request).session() as s:
        history = assess.history(s, auth.user.id)
    latest: dict[str, Any] = {}
    for outcome in history:
        latest[outcome.assessment_id] = outcome
    return render(
        request,
        "tools_assessments.html",
        auth,
        assessments=assess.list_assessments(),
        latest=latest,
    )


def _take(request: Request, auth: Auth, assessment: Any, status: int = 200, **ctx: Any):
    return render(
        request,
        "tools_assessment_take.html",
        auth,
        status=status,
        a=assessment,
        answers=ctx.pop("answers", {}),
        **ctx,
    )


@router.get("/tools/assessments/{assessment_id}", response_class=HTMLResponse)
def assessment_take_page(assessment_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return _take(request, auth, _assessment(assessment_id))


@router.post("/tools/assessments/{assessment_id}")
async def assessment_submit(assessment_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await form_of(request, auth)
    a = _assessment(assessment_id)
    answers = {
        i.id: (str(form.get(i.id)) if form.get(i.id) not in (None, "") else None) for i in a.items
    }
    try:
        with db(request).session() as s:
            outcome = assess.submit(s, auth.user.id, a.id, answers)
    except ToolError as exc:
        missing = [i.id for i in a.items if answers[i.id] is None]
        return _take(
            request,
            auth,
            a,
            status=error_status(exc),
            error=str(exc),
            answers=answers,
            missing=missing,
        )
    return see_other(f"/tools/assessments/{a.id}/results/{outcome.id}")


def _results_page(request: Request, auth: Auth, assessment_id: str, result_id: int | None):
    a = _assessment(assessment_id)
    with db(request).session() as s:
        history = assess.history(s, auth.user.id, a.id)
    result = None
    if result_id is not None:
        found = [r for r in history if r.id == result_id]
        if not found:
            raise ApiError(404, "not_found", "no such result")
        result = found[0]
    ritual_titles = {r.id: r.title for r in rituals.list_rituals()}
    return render(
        request,
        "tools_assessment_result.html",
        auth,
        a=a,
        result=result,
        history=list(reversed(history)),
        ritual_titles=ritual_titles,
    )


@router.get("/tools/assessments/{assessment_id}/results", response_class=HTMLResponse)
def assessment_history_page(assessment_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return _results_page(request, auth, assessment_id, None)


@router.get("/tools/assessments/{assessment_id}/results/{result_id}", response_class=HTMLResponse)
def assessment_result_page(assessment_id: str, result_id: int, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return _results_page(request, auth, assessment_id, result_id)


# ------------------------------------------------------------------ rituals
def _feed(request: Request, s: Session, user_id: str) -> dict[str, str] | None:
    row = s.get(FeedToken, user_id)
    return feed_json(request, row.token) if row else None


def _rituals(request: Request, auth: Auth, status: int = 200, **ctx: Any):
    with db(request).session() as s:
        plans = rituals.list_plans(s, auth.user.id, include_stopped=True)
        summary = rituals.weekly_summary(s, auth.user.id)
        feed = _feed(request, s, auth.user.id)
    return render(
        request,
        "tools_rituals.html",
        auth,
        status=status,
        plans=plans,
        summary=summary,
        feed=feed,
        catalogue=rituals.list_rituals(),
        **ctx,
    )


@router.get("/tools/rituals", response_class=HTMLResponse)
def rituals_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    notice = None
    if request.query_params.get("done"):
        notice = "Checked off. Well done."
    elif request.query_params.get("saved"):
        notice = "Your plan is saved."
    elif request.query_params.get("rotated"):
        notice = "Your calendar link is new; the old link no longer works."
    return _rituals(request, auth, notice=notice)


def _plan_form(request: Request, auth: Auth, ritual: Any, status: int = 200, **ctx: Any):
    return render(
        request,
        "tools_ritual.html",
        auth,
        status=status,
        r=ritual,
        timezones=timezones(),
        weekday_names=WEEKDAY_NAMES,
        weekdays=WEEKDAYS,
        **ctx,
    )


def _plan_values(plan: rituals.PlanView | None, ritual: Any, default_tz: str) -> dict[str, Any]:
    if plan is not None:
        return {
            "frequency": plan.frequency,
            "time_of_day": plan.time_of_day,
            "timezone": plan.timezone,
            "weekdays": list(plan.weekdays),
            "day_of_month": ("last" if plan.day_of_month == -1 else plan.day_of_month) or "",
            "start_date": plan.start_date.isoformat(),
            "duration_minutes": plan.duration_minutes,
            "note": plan.note or "",
        }
    cad = ritual.cadence
    return {
        "frequency": cad.frequency,
        "time_of_day": cad.time,
        "timezone": default_tz,
        "weekdays": list(cad.weekdays),
        "day_of_month": ("last" if cad.day_of_month == -1 else cad.day_of_month) or "",
        "start_date": "",
        "duration_minutes": ritual.duration_minutes,
        "note": "",
    }


def _ritual(ritual_id: str) -> Any:
    try:
        return rituals.get_ritual(ritual_id)
    except ToolError as exc:
        raise ApiError(404, "not_found", str(exc)) from None


@router.get("/tools/rituals/{ritual_id}", response_class=HTMLResponse)
def ritual_page(ritual_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    ritual = _ritual(ritual_id)
    with db(request).session() as s:
        plans = rituals.list_plans(s, auth.user.id, include_stopped=True)
    plan = next((p for p in plans if p.ritual_id == ritual_id), None)
    default_tz = plans[0].timezone if plans else "UTC"
    return _plan_form(
        request, auth, ritual, plan=plan, values=_plan_values(plan, ritual, default_tz)
    )


@router.post("/tools/rituals/{ritual_id}")
async def ritual_plan_submit(ritual_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await form_of(request, auth)
    ritual = _ritual(ritual_id)
    frequency = str(form.get("frequency", "")).strip()
    values = {
        "frequency": frequency,
        "time_of_day": str(form.get("time_of_day", "")).strip(),
        "timezone": str(form.get("timezone", "")).strip(),
        "weekdays": [str(d) for d in form.getlist("weekdays")],
        "day_of_month": str(form.get("day_of_month", "")).strip(),
        "start_date": str(form.get("start_date", "")).strip(),
        "duration_minutes": str(form.get("duration_minutes", "")).strip(),
        "note": str(form.get("note", "")),
    }
    try:
        if values["start_date"]:
            parse_day(values["start_date"], "start date")
        minutes = values["duration_minutes"]
        if minutes and not minutes.isdigit():
            raise ToolError(f"duration {minutes!r} must be a whole number of minutes")
        with db(request).session() as s:
            rituals.plan_ritual(
                s,
                auth.user.id,
                ritual.id,
                timezone=values["timezone"],
                frequency=frequency or None,
                time_of_day=values["time_of_day"] or None,
                weekdays=values["weekdays"] if frequency == "weekly" else None,
                day_of_month=values["day_of_month"] if frequency == "monthly" else None,
                start_date=values["start_date"] or None,
                duration_minutes=int(minutes) if minutes else None,
                note=values["note"].strip() or None,
            )
    except (ToolError, ApiError) as exc:
        status = exc.http_status if isinstance(exc, ToolError) else exc.status
        message = str(exc) if isinstance(exc, ToolError) else exc.message
        with db(request).session() as s:
            plan = next(
                (
                    p
                    for p in rituals.list_plans(s, auth.user.id, include_stopped=True)
                    if p.ritual_id == ritual.id
                ),
                None,
            )
        return _plan_form(
            request, auth, ritual, status=status, plan=plan, values=values, error=message
        )
    return see_other(f"/tools/rituals?saved={ritual.id}")


@router.post("/tools/rituals/plans/{plan_id}/check")
async def ritual_check_submit(plan_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    checked_ref(plan_id, "plan")
    form = await form_of(request, auth)
    on = str(form.get("on", "")).strip() or None
    try:
        if on:
            parse_day(on, "date")
        with db(request).session() as s:
            rituals.check_off(s, auth.user.id, plan_id, on=on)
    except UnknownItem as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    except ToolError as exc:
        return _rituals(request, auth, status=exc.http_status, error=str(exc))
    except ApiError as exc:
        return _rituals(request, auth, status=exc.status, error=exc.message)
    return see_other(f"/tools/rituals?done={plan_id}#plan-{plan_id}")


@router.post("/tools/rituals/plans/{plan_id}/pause")
async def ritual_pause_submit(plan_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    checked_ref(plan_id, "plan")
    await form_of(request, auth)
    _run_or_404(request, lambda s: rituals.stop_plan(s, auth.user.id, plan_id))
    return see_other("/tools/rituals")


@router.post("/tools/rituals/plans/{plan_id}/delete")
async def ritual_delete_submit(plan_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    checked_ref(plan_id, "plan")
    await form_of(request, auth)
    _run_or_404(request, lambda s: rituals.stop_plan(s, auth.user.id, plan_id, delete=True))
    return see_other("/tools/rituals")


@router.post("/tools/rituals/feed/rotate")
async def ritual_feed_rotate(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    await form_of(request, auth)
    with db(request).session() as s:
        rituals.rotate_feed_token(s, auth.user.id)
    return see_other("/tools/rituals?rotated=1#calendar")


# ------------------------------------------------------------------ starters
def _filters(source: Any) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key, allowed in (("depth", DEPTHS), ("theme", THEMES), ("stage", STAGES)):
        value = str(source.get(key, "") or "")
        out[key] = value if value in allowed else None
    return out


def _starters(request: Request, auth: Auth, status: int = 200, **ctx: Any):
    with db(request).session() as s:
        kept = starters.list_favourites(s, auth.user.id)
    ids = {x.id for x in kept}
    shown = ctx.pop("shown", None)
    return render(
        request,
        "tools_starters.html",
        auth,
        status=status,
        favourites=[starter_json(x, ids) for x in kept],
        shown=starter_json(shown, ids) if shown else None,
        depths=DEPTHS,
        themes=THEMES,
        stages=STAGES,
        **ctx,
    )


@router.get("/tools/starters", response_class=HTMLResponse)
def starters_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    shown = None
    if request.query_params.get("shown"):
        try:
            shown = starters.get_starter(request.query_params["shown"])
        except ToolError:
            shown = None
    return _starters(request, auth, shown=shown, filters=_filters(request.query_params))


@router.post("/tools/starters/draw")
async def starter_draw_submit(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await form_of(request, auth)
    filters = _filters(form)
    try:
        with db(request).session() as s:
            drawn = starters.draw(s, auth.user.id, **filters)
    except ToolError as exc:
        return _starters(request, auth, status=exc.http_status, error=str(exc), filters=filters)
    query = urlencode({"shown": drawn.id, **{k: v for k, v in filters.items() if v}})
    return see_other(f"/tools/starters?{query}#shown")


def _back_to_starters(form: Any) -> str:
    back = str(form.get("next", ""))
    return back if back.startswith("/tools/starters") and "//" not in back else "/tools/starters"


@router.post("/tools/starters/favourites/{starter_id}")
async def starter_favourite_submit(starter_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    checked_ref(starter_id, "favourite")
    form = await form_of(request, auth)
    change = starters.remove_favourite if form.get("remove") else starters.add_favourite
    _run_or_404(request, lambda s: change(s, auth.user.id, starter_id))
    return see_other(_back_to_starters(form))


@router.get("/tools/starters/session", response_class=HTMLResponse)
def starter_session_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    with db(request).session() as s:
        step = starters.session_step(s, auth.user.id, advance=False)
    return render(request, "tools_session.html", auth, step=step, cs=content.closeness_session())


@router.post("/tools/starters/session")
async def starter_session_submit(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await form_of(request, auth)
    with db(request).session() as s:
        if form.get("action") == "reset":
            starters.reset_session(s, auth.user.id)
        else:
            starters.session_step(s, auth.user.id, advance=True)
    return see_other("/tools/starters/session")


# ------------------------------------------------------------------ journal
def _vocabulary() -> dict[str, Any]:
    return journal.vocabulary()


def _journal_form(request: Request, auth: Auth, status: int = 200, **ctx: Any):
    ctx.setdefault("suggestions", [])
    ctx.setdefault("selected", [])
    ctx.setdefault("entry", None)
    shown = {s.label if hasattr(s, "label") else s["label"] for s in ctx["suggestions"]}
    return render(
        request,
        "tools_journal_form.html",
        auth,
        status=status,
        vocabulary=_vocabulary(),
        shown_suggestions=shown,
        moods=journal.MOOD_LABELS,
        **ctx,
    )


@router.get("/tools/journal", response_class=HTMLResponse)
def journal_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    with db(request).session() as s:
        entries = journal.list_entries(s, auth.user.id, limit=100)
    return render(
        request,
        "tools_journal.html",
        auth,
        entries=entries,
        moods=journal.MOOD_LABELS,
        deleted=bool(request.query_params.get("deleted")),
    )


def _mood(raw: Any) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ToolError(f"mood {text!r} must be a whole number from 1 (very low) to 5 (very good)")
    return int(text)


def _journal_input(form: Any) -> dict[str, Any]:
    return {
        "text": str(form.get("text", "")),
        "mood": str(form.get("mood", "")).strip(),
        "selected": [str(e) for e in form.getlist("emotions")],
    }


@router.get("/tools/journal/new", response_class=HTMLResponse)
def journal_new_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return _journal_form(request, auth, text="", mood="")


def _entry_page(
    request: Request,
    auth: Auth,
    entry: journal.JournalEntry,
    safety: dict[str, Any] | None = None,
    **ctx: Any,
):
    return render(
        request,
        "tools_journal_entry.html",
        auth,
        entry=entry,
        safety=safety,
        moods=journal.MOOD_LABELS,
        **ctx,
    )


@router.post("/tools/journal/new")
async def journal_new_submit(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await form_of(request, auth)
    values = _journal_input(form)
    suggestions: list[Any] = []
    try:
        mood = _mood(values["mood"])
        if form.get("action") == "suggest":
            text = journal.validate_text(values["text"])
            suggestions = journal.suggest_emotions(text)
            selected = values["selected"] or [x.label for x in suggestions if x.label != "neutral"]
            return _journal_form(
                request,
                auth,
                text=values["text"],
                mood=values["mood"],
                suggestions=suggestions,
                selected=selected,
                suggested=True,
            )
        with db(request).session() as s:
            entry = journal.add_entry(
                s, auth.user.id, values["text"], emotions=values["selected"], mood=mood
            )
    except ToolError as exc:
        return _journal_form(
            request,
            auth,
            status=exc.http_status,
            error=str(exc),
            text=values["text"],
            mood=values["mood"],
            selected=values["selected"],
            suggestions=suggestions,
        )
    if entry.safety:
        safety = journal_safety(entry.text, region_of(request, auth.user.id))
        return _entry_page(request, auth, entry, safety, saved=True)
    return see_other(f"/tools/journal/{entry.id}?saved=1")


def _entry(request: Request, auth: Auth, entry_id: str) -> journal.JournalEntry:
    checked_ref(entry_id, "journal entry")
    return _run_or_404(request, lambda s: journal.get_entry(s, auth.user.id, entry_id))


@router.get("/tools/journal/{entry_id}", response_class=HTMLResponse)
def journal_entry_page(entry_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return _entry_page(
        request,
        auth,
        _entry(request, auth, entry_id),
        saved=bool(request.query_params.get("saved")),
    )


@router.get("/tools/journal/{entry_id}/edit", response_class=HTMLResponse)
def journal_edit_page(entry_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    entry = _entry(request, auth, entry_id)
    return _journal_form(
        request,
        auth,
        entry=entry,
        text=entry.text,
        mood=str(entry.mood or ""),
        selected=entry.emotions,
        suggestions=entry.suggested,
    )


@router.post("/tools/journal/{entry_id}/edit")
async def journal_edit_submit(entry_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await form_of(request, auth)
    entry = _entry(request, auth, entry_id)
    values = _journal_input(form)
    suggestions: list[Any] = list(entry.suggested)
    try:
        mood = _mood(values["mood"])
        if form.get("action") == "suggest":
            suggestions = journal.suggest_emotions(journal.validate_text(values["text"]))
            return _journal_form(
                request,
                auth,
                entry=entry,
                text=values["text"],
                mood=values["mood"],
                suggestions=suggestions,
                selected=values["selected"],
                suggested=True,
            )
        with db(request).session() as s:
            updated = journal.update_entry(
                s,
                auth.user.id,
                entry.id,
                text=values["text"],
                emotions=values["selected"],
                mood=mood,
            )
    except ToolError as exc:
        return _journal_form(
            request,
            auth,
            status=exc.http_status,
            error=str(exc),
            entry=entry,
            text=values["text"],
            mood=values["mood"],
            selected=values["selected"],
            suggestions=suggestions,
        )
    safety = journal_safety(updated.text, region_of(request, auth.user.id))
    if safety:
        return _entry_page(request, auth, updated, safety, saved=True)
    return see_other(f"/tools/journal/{updated.id}?saved=1")


@router.post("/tools/journal/{entry_id}/delete")
async def journal_delete_submit(entry_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    checked_ref(entry_id, "journal entry")
    await form_of(request, auth)
    _run_or_404(request, lambda s: journal.delete_entry(s, auth.user.id, entry_id))
    return see_other("/tools/journal?deleted=1")


# ------------------------------------------------------------------ rewriter
def segments(draft: str, marks: list[rewriter.Mark]) -> list[dict[str, Any]]:
    """The draft cut into plain and marked pieces (overlapping marks: the first one wins).

    Each marked piece carries the number of its explanation, so the page can point to it.
    """
    pieces: list[dict[str, Any]] = []
    pos = 0
    for number, mark in enumerate(sorted(marks, key=lambda m: (m.start, -m.end)), 1):
        if mark.start < pos:
            continue
        if mark.start > pos:
            pieces.append({"text": draft[pos : mark.start], "mark": None})
        pieces.append({"text": draft[mark.start : mark.end], "mark": mark, "number": number})
        pos = mark.end
    if pos < len(draft):
        pieces.append({"text": draft[pos:], "mark": None})
    return pieces


def _rewrite_page(request: Request, auth: Auth, status: int = 200, **ctx: Any):
    return render(request, "tools_rewrite.html", auth, status=status, **ctx)


@router.get("/tools/rewrite", response_class=HTMLResponse)
def rewrite_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return _rewrite_page(request, auth, draft="")


@router.post("/tools/rewrite")
async def rewrite_submit(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await form_of(request, auth)
    draft = str(form.get("draft", ""))
    raw_variant = str(form.get("variant", "0")).strip()
    variant = int(raw_variant) % rewriter.VARIANTS if raw_variant.isdigit() else 0
    try:
        result = rewriter.rewrite(draft, variant, region_of(request, auth.user.id))
    except ToolError as exc:
        return _rewrite_page(request, auth, status=exc.http_status, error=str(exc), draft=draft)
    ordered = sorted(result.marks, key=lambda m: (m.start, -m.end))
    return _rewrite_page(
        request,
        auth,
        draft=result.draft,
        result=result,
        marks=ordered,
        pieces=segments(result.draft, result.marks),
        next_variant=(variant + 1) % result.variants,
    )
