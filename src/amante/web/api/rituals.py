"""Rituals: the catalogue, your plans, check-offs, streaks, a weekly summary and the calendar.

The calendar feed at /rituals/feed/{token}.ics needs no sign-in: the secret token in the URL is
the key (calendar apps cannot send cookies). Rotating the token makes the old URL stop working.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from amante.tools import rituals as tool
from amante.tools.errors import ToolError, UnknownItem
from amante.tools.schemas import Ritual
from amante.web.api.assessments import SourceOut
from amante.web.api.schemas import ErrorOut
from amante.web.api.tool_schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ScheduleIn,
    checked_ref,
    parse_day,
    schedule_field,
    tool_error,
)
from amante.web.deps import AuthDep
from amante.web.errors import ApiError

router = APIRouter(prefix="/rituals", tags=["rituals"])
ICS = {
    "content": {"text/calendar": {"schema": {"type": "string"}}},
    "description": "An iCalendar (RFC 5545) file.",
}


class RitualOut(BaseModel):
    id: str
    title: str
    description: str
    frequency: str
    weekdays: list[str]
    day_of_month: int | None
    time: str
    duration_minutes: int
    steps: list[str]
    technique: str | None
    citation: str
    sources: list[SourceOut]


class _Schedule(ScheduleIn):
    note: str | None = Field(default=None, max_length=1000)


class PlanIn(_Schedule):
    ritual_id: str = Field(min_length=1, max_length=64)
    timezone: str = Field(
        min_length=1, max_length=64, description="IANA time zone, e.g. Europe/Berlin"
    )


class PlanUpdate(_Schedule):
    """Fields to change; what you leave out stays as it is. Saving resumes a paused plan."""


class PlannedRitualOut(BaseModel):
    """What personal and shared plans both show: the ritual and when it happens."""

    id: str
    ritual_id: str
    title: str
    frequency: str
    weekdays: list[str]
    day_of_month: int | None
    time_of_day: str
    timezone: str
    start_date: date
    duration_minutes: int
    description: str


class PlanOut(PlannedRitualOut):
    note: str | None
    active: bool
    streak: int = Field(description="Occurrences done in a row (one miss a week forgiven).")
    next_at: datetime | None
    done_today: bool


class CheckInIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: str | None = Field(
        default=None,
        max_length=20,
        description="Local date YYYY-MM-DD (default: today in the plan's zone)",
    )
    note: str | None = Field(default=None, max_length=500)


class CheckInOut(BaseModel):
    plan_id: str
    ritual_id: str
    occurrence_date: date
    checked_at: datetime
    streak: int


class PlanWeekOut(BaseModel):
    ritual_id: str
    title: str
    scheduled: list[date]
    done: list[date]
    missed: list[date]
    upcoming: list[date]
    streak: int


class WeeklySummaryOut(BaseModel):
    week_start: date
    week_end: date
    scheduled: int
    done: int
    message: str
    plans: list[PlanWeekOut]


class StreakOut(BaseModel):
    plan_id: str
    ritual_id: str
    title: str
    streak: int
    done_today: bool
    next_at: datetime | None


class FeedOut(BaseModel):
    url: str = Field(description="Subscribe to this URL in your calendar app; keep it secret.")
    webcal_url: str
    token: str


# ------------------------------------------------------------------ helpers
def ritual_json(r: Ritual) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "description": r.description.strip(),
        "frequency": r.cadence.frequency,
        "weekdays": list(r.cadence.weekdays),
        "day_of_month": r.cadence.day_of_month,
        "time": r.cadence.time,
        "duration_minutes": r.duration_minutes,
        "steps": list(r.steps),
        "technique": r.technique,
        "citation": r.citation(),
        "sources": [s.model_dump() for s in r.sources],
    }


def plan_json(p: tool.PlanView) -> dict[str, Any]:
    return {k: getattr(p, k) for k in PlanOut.model_fields}


def feed_json(request: Request, token: str) -> dict[str, str]:
    url = str(request.url_for("ritual_feed", token=token))
    return {"url": url, "webcal_url": "webcal://" + url.split("://", 1)[1], "token": token}


def kept_schedule(body: ScheduleIn, current: tool.PlannedRitual) -> dict[str, Any]:
    """For a plan update: the current values of what `body` leaves out.

    Weekdays and the day of the month are kept only while the frequency stays the same.
    """
    kept: dict[str, Any] = {
        "frequency": body.frequency or current.frequency,
        "timezone": body.timezone or current.timezone,
    }
    same = body.frequency in (None, current.frequency)
    if same and body.weekdays is None and current.frequency == "weekly":
        kept["weekdays"] = current.weekdays
    if same and body.day_of_month is None and current.frequency == "monthly":
        kept["day_of_month"] = current.day_of_month
    for key in ("time_of_day", "start_date", "duration_minutes"):
        if getattr(body, key) is None:
            kept[key] = getattr(current, key)
    return kept


def _plan_error(exc: ToolError) -> ApiError:
    if isinstance(exc, UnknownItem):
        return tool_error(exc)
    return tool_error(exc, schedule_field(str(exc)))


def save_plan(
    request: Request,
    user_id: str,
    ritual_id: str,
    body: _Schedule,
    current: tool.PlanView | None = None,
) -> tool.PlanView:
    """Create or change a plan; with `current`, unchanged fields keep their values."""
    args = {**body.schedule_args(), "note": body.note}
    if current is not None:
        args.update(kept_schedule(body, current))
    timezone = args.pop("timezone") or ""  # a personal plan needs one; the tool says so
    try:
        with request.app.state.db.session() as s:
            return tool.plan_ritual(s, user_id, ritual_id, timezone=timezone, **args)
    except ToolError as exc:
        raise _plan_error(exc) from None


def _plan(request: Request, user_id: str, plan_id: str) -> tool.PlanView:
    checked_ref(plan_id, "plan")
    try:
        with request.app.state.db.session() as s:
            return tool.get_plan(s, user_id, plan_id)
    except ToolError as exc:
        raise tool_error(exc) from None


# ------------------------------------------------------------------ catalogue
@router.get("", response_model=list[RitualOut], responses=READ_ERRORS)
def catalogue(auth: AuthDep) -> list[dict[str, Any]]:
    """The rituals you can plan, each with its steps and the work it comes from."""
    return [ritual_json(r) for r in tool.list_rituals()]


@router.get("/catalogue/{ritual_id}", response_model=RitualOut, responses=READ_ERRORS)
def ritual(ritual_id: str, auth: AuthDep) -> dict[str, Any]:
    """One ritual of the catalogue."""
    try:
        return ritual_json(tool.get_ritual(ritual_id))
    except ToolError as exc:
        raise tool_error(exc) from None


# ------------------------------------------------------------------ plans
@router.get("/plans", response_model=list[PlanOut], responses=READ_ERRORS)
def list_plans(
    auth: AuthDep,
    request: Request,
    include_stopped: bool = Query(False, description="Include paused plans."),
) -> list[dict[str, Any]]:
    """Your ritual plans with their streaks and next times."""
    with request.app.state.db.session() as s:
        return [plan_json(p) for p in tool.list_plans(s, auth.user.id, include_stopped)]


@router.post("/plans", status_code=201, response_model=PlanOut, responses=WRITE_ERRORS)
def create_plan(body: PlanIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Plan a ritual (the ritual's own cadence fills what you leave out).

    Planning a ritual you already follow changes that plan and keeps its check-offs.
    """
    try:
        tool.get_ritual(body.ritual_id)
    except UnknownItem as exc:
        raise tool_error(ToolError(str(exc)), "ritual_id") from None
    return plan_json(save_plan(request, auth.user.id, body.ritual_id, body))


@router.get("/plans/{plan_id}", response_model=PlanOut, responses=READ_ERRORS)
def get_plan(plan_id: str, auth: AuthDep, request: Request) -> dict[str, Any]:
    """One plan (by its id, or by the ritual id it follows)."""
    return plan_json(_plan(request, auth.user.id, plan_id))


@router.put("/plans/{plan_id}", response_model=PlanOut, responses=WRITE_ERRORS)
def update_plan(plan_id: str, body: PlanUpdate, auth: AuthDep, request: Request) -> dict:
    """Change a plan's schedule or note; a paused plan becomes active again."""
    current = _plan(request, auth.user.id, plan_id)
    return plan_json(save_plan(request, auth.user.id, current.ritual_id, body, current))


@router.post("/plans/{plan_id}/pause", response_model=PlanOut, responses=WRITE_ERRORS)
def pause_plan(plan_id: str, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Pause a plan: it leaves your calendar but keeps its history."""
    checked_ref(plan_id, "plan")
    try:
        with request.app.state.db.session() as s:
            tool.stop_plan(s, auth.user.id, plan_id)
            return plan_json(tool.get_plan(s, auth.user.id, plan_id))
    except ToolError as exc:
        raise tool_error(exc) from None


@router.delete("/plans/{plan_id}", status_code=204, responses=READ_ERRORS)
def delete_plan(plan_id: str, auth: AuthDep, request: Request) -> Response:
    """Delete a plan and its check-offs."""
    checked_ref(plan_id, "plan")
    try:
        with request.app.state.db.session() as s:
            tool.stop_plan(s, auth.user.id, plan_id, delete=True)
    except ToolError as exc:
        raise tool_error(exc) from None
    return Response(status_code=204)


@router.post(
    "/plans/{plan_id}/checkins",
    status_code=201,
    response_model=CheckInOut,
    responses={**WRITE_ERRORS, 409: {"model": ErrorOut}},
)
def check_in(plan_id: str, body: CheckInIn, auth: AuthDep, request: Request) -> dict:
    """Mark the ritual done (today, or a day up to a week back); twice for one day is 409."""
    checked_ref(plan_id, "plan")
    if body.on is not None:
        parse_day(body.on, "on")
    try:
        with request.app.state.db.session() as s:
            done = tool.check_off(s, auth.user.id, plan_id, on=body.on, note=body.note)
    except ToolError as exc:
        raise tool_error(exc, "on") from None
    return {
        "plan_id": done.plan_id,
        "ritual_id": done.ritual_id,
        "occurrence_date": done.occurrence_date,
        "checked_at": done.checked_at,
        "streak": done.streak,
    }


@router.delete("/plans/{plan_id}/checkins/{on}", status_code=204, responses=READ_ERRORS)
def undo_check_in(plan_id: str, on: str, auth: AuthDep, request: Request) -> Response:
    """Take back a check-off (the local date of the occurrence, YYYY-MM-DD)."""
    checked_ref(plan_id, "plan")
    day = parse_day(on, "on")
    try:
        with request.app.state.db.session() as s:
            tool.undo_check_off(s, auth.user.id, plan_id, day)
    except ToolError as exc:
        raise tool_error(exc, "on") from None
    return Response(status_code=204)


# ------------------------------------------------------------------ progress
@router.get("/summary", response_model=WeeklySummaryOut, responses=READ_ERRORS)
def summary(
    auth: AuthDep,
    request: Request,
    week_of: str | None = Query(
        None, max_length=20, description="Any date in the week (YYYY-MM-DD); default now."
    ),
) -> dict[str, Any]:
    """Done, missed and upcoming rituals for one Monday-to-Sunday week."""
    day = parse_day(week_of, "week_of") if week_of is not None else None
    with request.app.state.db.session() as s:
        data = tool.weekly_summary(s, auth.user.id, day)
    out = data.to_dict()
    out["week_start"], out["week_end"] = data.week_start, data.week_end
    return out


@router.get("/streaks", response_model=list[StreakOut], responses=READ_ERRORS)
def streaks(auth: AuthDep, request: Request) -> list[dict[str, Any]]:
    """The current streak of each active plan."""
    with request.app.state.db.session() as s:
        plans = tool.list_plans(s, auth.user.id)
    return [
        {
            "plan_id": p.id,
            "ritual_id": p.ritual_id,
            "title": p.title,
            "streak": p.streak,
            "done_today": p.done_today,
            "next_at": p.next_at,
        }
        for p in plans
    ]


# ------------------------------------------------------------------ calendar
def _ics(data: bytes, filename: str | None = None) -> Response:
    headers = {"content-disposition": f'attachment; filename="{filename}"'} if filename else {}
    return Response(data, media_type="text/calendar; charset=utf-8", headers=headers)


@router.get("/calendar.ics", response_class=Response, responses={200: ICS, **READ_ERRORS})
def download_calendar(auth: AuthDep, request: Request) -> Response:
    """Your active plans as a downloadable .ics file (one recurring event each)."""
    with request.app.state.db.session() as s:
        data = tool.calendar_feed(s, auth.user.id)
    return _ics(data, "amante-rituals.ics")


@router.get("/feed", response_model=FeedOut, responses=READ_ERRORS)
def feed_info(auth: AuthDep, request: Request) -> dict[str, str]:
    """Your secret calendar feed URL (created on first use)."""
    with request.app.state.db.session() as s:
        token = tool.feed_token(s, auth.user.id)
    return feed_json(request, token)


@router.post("/feed/rotate", response_model=FeedOut, responses=WRITE_ERRORS)
def rotate_feed(auth: AuthDep, request: Request) -> dict[str, str]:
    """Make a new feed URL; the old one stops working at once."""
    with request.app.state.db.session() as s:
        token = tool.rotate_feed_token(s, auth.user.id)
    return feed_json(request, token)


@router.get(
    "/feed/{token}.ics",
    name="ritual_feed",
    response_class=Response,
    responses={200: ICS, 404: {"model": ErrorOut}},
)
def feed(token: str, request: Request) -> Response:
    """The calendar feed to subscribe to; the secret token is the only key (no sign-in)."""
    with request.app.state.db.session() as s:
        user_id = tool.user_for_feed_token(s, token)
        data = tool.calendar_feed(s, user_id) if user_id else None
    if data is None:
        raise ApiError(404, "not_found", "unknown calendar feed; the link may have been renewed")
    return _ics(data)
