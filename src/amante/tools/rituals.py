"""Ritual plans: schedules in the user's time zone, check-offs, forgiving streaks, a weekly
summary, and an iCalendar (RFC 5545) feed with RRULEs behind a secret, rotatable token.

Dates that count ("did we do it on Tuesday?") are local dates in the plan's IANA time zone, so
a check-off at 23:30 in New York counts for that New York day even though it is already the
next day in UTC, and a daylight-saving change never shifts a ritual to another day.

Streak rule: consecutive scheduled occurrences that were done, counted back from the latest
one that is due. One missed occurrence per calendar week (Monday to Sunday) is forgiven as
long as something else was done that week; a second miss in a week, or a past week with
nothing done, ends the streak (the current week is still in progress, so it gets the benefit
of the doubt). Forgiven misses do not add to the count. Today's occurrence never breaks a
streak while the day is still going.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from amante.store.tool_models import FeedToken, RitualCheckin, RitualPlan
from amante.tools import content
from amante.tools.errors import DuplicateCheckIn, InvalidSchedule, ToolError, UnknownItem
from amante.tools.schemas import WEEKDAYS, Ritual

__all__ = [
    "BACKFILL_DAYS",
    "CheckIn",
    "JsonView",
    "PlanView",
    "PlannedRitual",
    "Schedule",
    "WeeklySummary",
    "calendar_feed",
    "check_off",
    "check_off_date",
    "due_occurrence",
    "feed_token",
    "get_plan",
    "get_ritual",
    "list_plans",
    "list_rituals",
    "make_schedule",
    "occurrences",
    "plan_columns",
    "plan_ritual",
    "rotate_feed_token",
    "stop_plan",
    "streak",
    "undo_check_off",
    "user_for_feed_token",
    "view_fields",
    "weekly_summary",
]

BACKFILL_DAYS = 7  # how far back a forgotten check-off may still be recorded
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_ICS_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# ------------------------------------------------------------------ catalogue
def list_rituals() -> list[Ritual]:
    return list(content.rituals().values())


def get_ritual(ritual_id: str) -> Ritual:
    found = content.rituals().get(ritual_id)
    if found is None:
        raise UnknownItem(f"unknown ritual {ritual_id!r}; see `amante rituals list` for ids")
    return found


# ------------------------------------------------------------------ schedules
@dataclass(frozen=True)
class Schedule:
    """When a ritual happens: daily, weekly on weekdays (0=Mon), or monthly on a day (-1=last)."""

    frequency: str
    time_of_day: time
    timezone: str
    start_date: date
    weekdays: tuple[int, ...] = ()
    day_of_month: int | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def happens_on(self, day: date) -> bool:
        if day < self.start_date:
            return False
        if self.frequency == "daily":
            return True
        if self.frequency == "weekly":
            return day.weekday() in self.weekdays
        last = calendar.monthrange(day.year, day.month)[1]
        target = last if self.day_of_month == -1 else self.day_of_month
        return day.day == target

    def describe(self) -> str:
        at = self.time_of_day.strftime("%H:%M")
        if self.frequency == "daily":
            when = "every day"
        elif self.frequency == "weekly":
            names = [calendar.day_name[d] for d in self.weekdays]
            when = "every " + (
                ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
            )
        else:
            when = (
                "on the last day of every month"
                if self.day_of_month == -1
                else f"on day {self.day_of_month} of every month"
            )
        return f"{when} at {at} ({self.timezone})"


def _parse_timezone(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidSchedule("a time zone is needed, e.g. Europe/Berlin or America/New_York")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidSchedule(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Berlin, "
            "America/New_York or Asia/Kolkata"
        ) from None
    return name


def _parse_time(value: str | time) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    m = _TIME.match(value or "")
    if not m:
        raise InvalidSchedule(f"time {value!r} must look like 21:30 (24-hour HH:MM)")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise InvalidSchedule(f"time {value!r} does not exist; hours run 00-23, minutes 00-59")
    return time(hour, minute)


def parse_date(value: str | date) -> date:
    """An ISO date (YYYY-MM-DD); impossible dates like 2026-02-31 get a specific message."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", value or "")
    if not m:
        raise InvalidSchedule(f"date {value!r} must look like 2026-03-14 (YYYY-MM-DD)")
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        raise InvalidSchedule(f"date {value!r} has month {month}; months run 1-12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise InvalidSchedule(
            f"{calendar.month_name[month]} {year} has {last} days, so {value.strip()} "
            "does not exist"
        )
    return date(year, month, day)


def _parse_weekdays(days: list[str] | list[int] | str | None) -> tuple[int, ...]:
    if days is None:
        return ()
    items = days.split(",") if isinstance(days, str) else list(days)
    out: set[int] = set()
    for raw in items:
        if isinstance(raw, int) and not isinstance(raw, bool):
            if not 0 <= raw <= 6:
                raise InvalidSchedule(f"weekday {raw} is out of range 0 (Monday) to 6 (Sunday)")
            out.add(raw)
            continue
        key = str(raw).strip().lower()[:3]
        if not key:
            continue
        if key not in WEEKDAYS:
            raise InvalidSchedule(f"unknown weekday {raw!r}; use {', '.join(WEEKDAYS)}")
        out.add(WEEKDAYS.index(key))
    return tuple(sorted(out))


def make_schedule(
    frequency: str,
    time_of_day: str | time,
    timezone: str,
    *,
    weekdays: list[str] | list[int] | str | None = None,
    day_of_month: int | str | None = None,
    start_date: str | date | None = None,
    today: date | None = None,
) -> Schedule:
    """Validate a schedule; every impossible combination raises InvalidSchedule saying why."""
    if frequency not in ("daily", "weekly", "monthly"):
        raise InvalidSchedule(f"frequency {frequency!r} must be daily, weekly or monthly")
    tzname = _parse_timezone(timezone)
    at = _parse_time(time_of_day)
    days = _parse_weekdays(weekdays)
    dom: int | None = None
    if frequency == "weekly" and not days:
        raise InvalidSchedule("a weekly ritual needs at least one weekday, e.g. mon,thu")
    if frequency != "weekly" and days:
        raise InvalidSchedule(f"weekdays only apply to weekly rituals, not {frequency}")
    if frequency == "monthly":
        if day_of_month is None or day_of_month == "":
            raise InvalidSchedule("a monthly ritual needs a day of the month (1-28 or 'last')")
        if isinstance(day_of_month, str):
            text = day_of_month.strip().lower()
            if text in ("last", "-1"):
                dom = -1
            elif text.isdigit():
                dom = int(text)
            else:
                raise InvalidSchedule(f"day of month {day_of_month!r} must be 1-28 or 'last'")
        else:
            dom = int(day_of_month)
        if dom != -1 and not 1 <= dom <= 28:
            if 29 <= dom <= 31:
                raise InvalidSchedule(
                    f"day {dom} does not exist in every month (February has 28 days, 29 in "
                    "leap years); choose 1-28, or 'last' for the last day of each month"
                )
            raise InvalidSchedule(f"day of month {dom} is impossible; choose 1-28 or 'last'")
    elif day_of_month not in (None, ""):
        raise InvalidSchedule(
            f"a day of the month only applies to monthly rituals, not {frequency}"
        )
    tz = ZoneInfo(tzname)
    start = parse_date(start_date) if start_date else (today or datetime.now(tz).date())
    return Schedule(frequency, at, tzname, start, days, dom)


def occurrences(schedule: Schedule, first: date, last: date) -> list[date]:
    """Local dates on which the ritual is scheduled, from `first` to `last` inclusive."""
    out: list[date] = []
    day = max(first, schedule.start_date)
    while day <= last:
        if schedule.happens_on(day):
            out.append(day)
        day += timedelta(days=1)
    return out


def occurrence_start(schedule: Schedule, day: date) -> datetime:
    """The aware local start time of the occurrence on `day`.

    A wall time skipped by a DST change (02:30 on a spring-forward night) is moved forward by
    the gap, as calendar programs do.
    """
    naive = datetime.combine(day, schedule.time_of_day)
    local = naive.replace(tzinfo=schedule.tz)
    # Round-trip through UTC: a non-existent wall time comes back shifted forward.
    return local.astimezone(UTC).astimezone(schedule.tz)


def next_occurrences(schedule: Schedule, after: datetime, count: int = 5) -> list[datetime]:
    """The next `count` occurrence start times strictly after `after` (aware)."""
    local_day = after.astimezone(schedule.tz).date()
    out: list[datetime] = []
    day = max(local_day, schedule.start_date)
    for _ in range(400 * max(count, 1)):
        if schedule.happens_on(day):
            start = occurrence_start(schedule, day)
            if start > after:
                out.append(start)
                if len(out) >= count:
                    break
        day += timedelta(days=1)
    return out


# ------------------------------------------------------------------ streaks
def streak(schedule: Schedule, done: set[date], today: date) -> int:
    """Consecutive done occurrences up to `today` (local), forgiving one miss per week.

    See the module docstring for the exact rule.
    """
    days = occurrences(schedule, schedule.start_date, today)
    if days and days[-1] == today and today not in done:
        days.pop()  # today is still open
    count = 0
    misses_by_week: dict[tuple[int, int], int] = {}
    done_weeks = {d.isocalendar()[:2] for d in done}
    this_week = today.isocalendar()[:2]
    for day in reversed(days):
        if day in done:
            count += 1
            continue
        week = day.isocalendar()[:2]
        misses_by_week[week] = misses_by_week.get(week, 0) + 1
        if misses_by_week[week] > 1 or (week not in done_weeks and week != this_week):
            break
    return count


# ------------------------------------------------------------------ plans
class JsonView:
    """For view dataclasses: `to_dict` gives JSON-ready values (dates and times as ISO 8601)."""

    def to_dict(self) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(self).items()}


@dataclass
class PlannedRitual(JsonView):
    """What every plan view shows, personal or shared: the ritual and when it happens."""

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


@dataclass
class PlanView(PlannedRitual):
    """A plan as the user sees it: the ritual, the schedule, and how it is going."""

    note: str | None
    active: bool
    streak: int
    next_at: datetime | None
    done_today: bool


def _schedule_of(plan: RitualPlan) -> Schedule:
    days = tuple(int(d) for d in plan.weekdays.split(",") if d != "")
    return Schedule(
        plan.frequency,
        _parse_time(plan.time_of_day),
        plan.timezone,
        plan.start_date,
        days,
        plan.day_of_month,
    )


schedule_of = _schedule_of  # public: couple mode's shared plans have the same columns


def _done_dates(session: Session, user_id: str, plan_id: str) -> set[date]:
    return set(
        session.scalars(
            select(RitualCheckin.occurrence_date).where(
                RitualCheckin.user_id == user_id, RitualCheckin.plan_id == plan_id
            )
        )
    )


def view_fields(plan: RitualPlan, done: set[date], now: datetime) -> dict[str, Any]:
    """A plan view's fields that personal and shared plans (same columns) have in common.

    `done` holds the local dates checked off; the streak and "done today" come from it.
    """
    sched = _schedule_of(plan)
    today = now.astimezone(sched.tz).date()
    ritual = content.rituals().get(plan.ritual_id)
    nxt = next_occurrences(sched, now, 1) if plan.active else []
    return dict(
        id=plan.id,
        ritual_id=plan.ritual_id,
        title=ritual.title if ritual else plan.ritual_id,
        frequency=plan.frequency,
        weekdays=[WEEKDAYS[d] for d in sched.weekdays],
        day_of_month=plan.day_of_month,
        time_of_day=plan.time_of_day,
        timezone=plan.timezone,
        start_date=plan.start_date,
        duration_minutes=plan.duration_minutes,
        description=sched.describe(),
        active=plan.active,
        streak=streak(sched, done, today),
        next_at=nxt[0] if nxt else None,
        done_today=today in done,
    )


def _view(session: Session, user_id: str, plan: RitualPlan, now: datetime) -> PlanView:
    done = _done_dates(session, user_id, plan.id)
    return PlanView(**view_fields(plan, done, now), note=plan.note)


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ToolError("`now` must be timezone-aware")
    return now


def plan_columns(
    ritual: Ritual,
    timezone: str,
    now: datetime,
    *,
    frequency: str | None,
    time_of_day: str | None,
    weekdays: list[str] | list[int] | str | None,
    day_of_month: int | str | None,
    start_date: str | date | None,
    duration_minutes: int | None,
) -> dict[str, Any]:
    """The checked schedule columns of a plan for `ritual` (its cadence fills what is left out).

    `timezone` is an IANA name the caller has already checked, so each caller words its own
    error for a bad one. Personal and shared plans store the same columns.
    """
    cad = ritual.cadence
    freq = frequency or cad.frequency
    if frequency is None:
        weekdays = cad.weekdays if weekdays is None else weekdays
        day_of_month = cad.day_of_month if day_of_month is None else day_of_month
    sched = make_schedule(
        freq,
        time_of_day or cad.time,
        timezone,
        weekdays=weekdays,
        day_of_month=day_of_month,
        start_date=start_date,
        today=now.astimezone(ZoneInfo(timezone)).date(),
    )
    minutes = duration_minutes if duration_minutes is not None else ritual.duration_minutes
    if not 1 <= int(minutes) <= 24 * 60:
        raise InvalidSchedule(f"duration {minutes} minutes must be between 1 and 1440")
    return dict(
        frequency=sched.frequency,
        weekdays=",".join(str(d) for d in sched.weekdays),
        day_of_month=sched.day_of_month,
        time_of_day=sched.time_of_day.strftime("%H:%M"),
        timezone=sched.timezone,
        start_date=sched.start_date,
        duration_minutes=int(minutes),
        active=True,
        updated_at=now,
    )


def plan_ritual(
    session: Session,
    user_id: str,
    ritual_id: str,
    *,
    timezone: str,
    frequency: str | None = None,
    time_of_day: str | None = None,
    weekdays: list[str] | list[int] | str | None = None,
    day_of_month: int | str | None = None,
    start_date: str | date | None = None,
    duration_minutes: int | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> PlanView:
    """Create or update this user's plan for one ritual (the ritual's cadence fills gaps).

    Changing an existing plan keeps its check-offs. Everything is validated before writing.
    """
    ritual = get_ritual(ritual_id)
    now = _now(now)
    fields = plan_columns(
        ritual,
        _parse_timezone(timezone),
        now,
        frequency=frequency,
        time_of_day=time_of_day,
        weekdays=weekdays,
        day_of_month=day_of_month,
        start_date=start_date,
        duration_minutes=duration_minutes,
    )
    if note is not None and len(note) > 1000:
        raise ToolError("a plan note can be at most 1000 characters")
    plan = session.scalar(
        select(RitualPlan).where(RitualPlan.user_id == user_id, RitualPlan.ritual_id == ritual_id)
    )
    if plan is None:
        plan = RitualPlan(
            id=str(uuid.uuid4()),
            user_id=user_id,
            ritual_id=ritual_id,
            note=note,
            created_at=now,
            **fields,
        )
        session.add(plan)
    else:
        for key, value in fields.items():
            setattr(plan, key, value)
        if note is not None:
            plan.note = note
    session.flush()
    return _view(session, user_id, plan, now)


def _find_plan(session: Session, user_id: str, ref: str) -> RitualPlan:
    """A plan by its id, or by the ritual id it follows."""
    plan = session.scalar(
        select(RitualPlan).where(
            RitualPlan.user_id == user_id,
            (RitualPlan.id == ref) | (RitualPlan.ritual_id == ref),
        )
    )
    if plan is None:
        raise UnknownItem(f"no ritual plan {ref!r}; start one with `amante rituals plan RITUAL`")
    return plan


def get_plan(session: Session, user_id: str, ref: str, now: datetime | None = None) -> PlanView:
    return _view(session, user_id, _find_plan(session, user_id, ref), _now(now))


def list_plans(
    session: Session, user_id: str, include_stopped: bool = False, now: datetime | None = None
) -> list[PlanView]:
    query = select(RitualPlan).where(RitualPlan.user_id == user_id)
    if not include_stopped:
        query = query.where(RitualPlan.active.is_(True))
    now = _now(now)
    return [
        _view(session, user_id, p, now)
        for p in session.scalars(query.order_by(RitualPlan.created_at, RitualPlan.id))
    ]


def stop_plan(session: Session, user_id: str, ref: str, delete: bool = False) -> None:
    """Pause a plan (kept with its history, gone from the calendar) or delete it entirely."""
    plan = _find_plan(session, user_id, ref)
    if delete:
        session.delete(plan)
    else:
        plan.active = False
        plan.updated_at = datetime.now(UTC)
    session.flush()


@dataclass
class CheckIn(JsonView):
    plan_id: str
    ritual_id: str
    occurrence_date: date
    checked_at: datetime
    streak: int


def check_off_date(plan: RitualPlan, on: str | date | None, today: date) -> date:
    """The local date a check-off is for (default: `today`); a future date is refused."""
    target = parse_date(on) if on is not None else today
    if target > today:
        raise ToolError(
            f"{target.isoformat()} is in the future ({plan.timezone} time); "
            "check off a ritual on or after the day it happens"
        )
    return target


def due_occurrence(plan: RitualPlan, sched: Schedule, today: date, target: date) -> date:
    """The latest occurrence on or before `target` that may still be checked off.

    Check-offs reach back BACKFILL_DAYS at most, and never before the plan starts.
    """
    window_start = max(sched.start_date, today - timedelta(days=BACKFILL_DAYS))
    due = occurrences(sched, window_start, target)
    if not due:
        raise ToolError(
            f"no {plan.ritual_id} occurrence between {window_start.isoformat()} and "
            f"{target.isoformat()} ({sched.describe()}); check-offs can go back "
            f"{BACKFILL_DAYS} days"
        )
    return due[-1]


def check_off(
    session: Session,
    user_id: str,
    ref: str,
    *,
    on: str | date | None = None,
    now: datetime | None = None,
    note: str | None = None,
) -> CheckIn:
    """Mark a ritual done for the occurrence on local date `on` (default: the latest due one).

    The occurrence is the latest scheduled one on or before that date (doing Sunday's
    check-in on Monday counts for Sunday). Future dates, dates before the plan starts, dates
    more than BACKFILL_DAYS ago and occurrences already checked off are refused.
    """
    plan = _find_plan(session, user_id, ref)
    now = _now(now)
    sched = _schedule_of(plan)
    today = now.astimezone(sched.tz).date()
    target = check_off_date(plan, on, today)
    if not plan.active:
        raise ToolError(f"the plan for {plan.ritual_id} is paused; plan it again to resume")
    if target < sched.start_date:
        raise ToolError(
            f"the plan for {plan.ritual_id} starts on "
            f"{sched.start_date.isoformat()}; nothing to check off before that"
        )
    occurrence = due_occurrence(plan, sched, today, target)
    done = _done_dates(session, user_id, plan.id)
    if occurrence in done:
        raise DuplicateCheckIn(
            f"{plan.ritual_id} is already checked off for {occurrence.isoformat()}"
        )
    row = RitualCheckin(
        user_id=user_id, plan_id=plan.id, occurrence_date=occurrence, checked_at=now, note=note
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # a concurrent check-off won the race; the caller rolls back
        raise DuplicateCheckIn(
            f"{plan.ritual_id} is already checked off for {occurrence.isoformat()}"
        ) from None
    done.add(occurrence)
    return CheckIn(plan.id, plan.ritual_id, occurrence, now, streak(sched, done, today))


def undo_check_off(session: Session, user_id: str, ref: str, on: str | date) -> None:
    plan = _find_plan(session, user_id, ref)
    day = parse_date(on)
    row = session.scalar(
        select(RitualCheckin).where(
            RitualCheckin.user_id == user_id,
            RitualCheckin.plan_id == plan.id,
            RitualCheckin.occurrence_date == day,
        )
    )
    if row is None:
        raise UnknownItem(f"{plan.ritual_id} has no check-off on {day.isoformat()}")
    session.delete(row)
    session.flush()


# ------------------------------------------------------------------ weekly summary
@dataclass
class PlanWeek:
    ritual_id: str
    title: str
    scheduled: list[date]
    done: list[date]
    missed: list[date]
    upcoming: list[date]
    streak: int


@dataclass
class WeeklySummary:
    week_start: date
    week_end: date
    plans: list[PlanWeek] = field(default_factory=list)

    @property
    def scheduled(self) -> int:
        return sum(len(p.scheduled) for p in self.plans)

    @property
    def done(self) -> int:
        return sum(len(p.done) for p in self.plans)

    def message(self) -> str:
        if not self.plans:
            return "No rituals planned yet. Pick one with `amante rituals list`."
        if self.scheduled == 0:
            return "Nothing was scheduled this week."
        best = max(self.plans, key=lambda p: p.streak)
        text = f"You did {self.done} of {self.scheduled} planned rituals this week."
        if best.streak >= 2:
            text += f" Longest streak: {best.title}, {best.streak} in a row."
        return text

    def to_dict(self) -> dict[str, Any]:
        def iso(days: list[date]) -> list[str]:
            return [d.isoformat() for d in days]

        return {
            "week_start": self.week_start.isoformat(),
            "week_end": self.week_end.isoformat(),
            "scheduled": self.scheduled,
            "done": self.done,
            "message": self.message(),
            "plans": [
                {
                    "ritual_id": p.ritual_id,
                    "title": p.title,
                    "scheduled": iso(p.scheduled),
                    "done": iso(p.done),
                    "missed": iso(p.missed),
                    "upcoming": iso(p.upcoming),
                    "streak": p.streak,
                }
                for p in self.plans
            ],
        }


def weekly_summary(
    session: Session, user_id: str, week_of: str | date | None = None, now: datetime | None = None
) -> WeeklySummary:
    """Done, missed and upcoming occurrences for the Monday-Sunday week holding `week_of`."""
    now = _now(now)
    plans = list(
        session.scalars(
            select(RitualPlan)
            .where(RitualPlan.user_id == user_id, RitualPlan.active.is_(True))
            .order_by(RitualPlan.created_at)
        )
    )
    ref_day = parse_date(week_of) if week_of is not None else None
    summary: WeeklySummary | None = None
    for plan in plans:
        sched = _schedule_of(plan)
        today = now.astimezone(sched.tz).date()
        anchor = ref_day or today
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=6)
        if summary is None:
            summary = WeeklySummary(start, end)
        done = _done_dates(session, user_id, plan.id)
        days = occurrences(sched, start, end)
        ritual = content.rituals().get(plan.ritual_id)
        summary.plans.append(
            PlanWeek(
                ritual_id=plan.ritual_id,
                title=ritual.title if ritual else plan.ritual_id,
                scheduled=days,
                done=[d for d in days if d in done],
                missed=[d for d in days if d not in done and d < today],
                upcoming=[d for d in days if d not in done and d >= today],
                streak=streak(sched, done, min(today, end)),
            )
        )
    if summary is None:
        anchor = ref_day or now.date()
        start = anchor - timedelta(days=anchor.weekday())
        summary = WeeklySummary(start, start + timedelta(days=6))
    return summary


# ------------------------------------------------------------------ iCalendar feed
def _rrule(sched: Schedule) -> dict[str, Any]:
    if sched.frequency == "daily":
        return {"FREQ": "DAILY"}
    if sched.frequency == "weekly":
        return {"FREQ": "WEEKLY", "BYDAY": [_ICS_DAYS[d] for d in sched.weekdays]}
    return {"FREQ": "MONTHLY", "BYMONTHDAY": sched.day_of_month}


def _first_start(sched: Schedule) -> datetime:
    """DTSTART must be an occurrence itself (RFC 5545 §3.8.5.3), so take the first one."""
    day = sched.start_date
    for _ in range(62):
        if sched.happens_on(day):
            break
        day += timedelta(days=1)
    return datetime.combine(day, sched.time_of_day, tzinfo=sched.tz)


def calendar_feed(
    session: Session,
    user_id: str,
    *,
    name: str = "amante rituals",
    alarm_minutes: int = 10,
    now: datetime | None = None,
    include_shared: bool = True,
) -> bytes:
    """An RFC 5545 calendar of this user's active ritual plans: one recurring event each.

    With `include_shared`, active rituals shared with a linked partner are included too.

    Events carry a stable UID (the plan id), DTSTART with TZID, an RRULE, the ritual's steps,
    and a display alarm `alarm_minutes` before. Private plan notes are never included.
    """
    from icalendar import Alarm, Calendar, Event

    now = _now(now)
    cal = Calendar()
    cal.add("prodid", "-//amante//coaching rituals//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    plans: list[Any] = list(
        session.scalars(
            select(RitualPlan)
            .where(RitualPlan.user_id == user_id, RitualPlan.active.is_(True))
            .order_by(RitualPlan.created_at)
        )
    )
    if include_shared:  # rituals planned together with a linked partner (couple mode)
        from amante.couples.shared_rituals import feed_plans

        plans += feed_plans(session, user_id)
    for plan in plans:
        sched = _schedule_of(plan)
        ritual = content.rituals().get(plan.ritual_id)
        title = (ritual.title if ritual else plan.ritual_id) + getattr(plan, "feed_suffix", "")
        event = Event()
        event.add("uid", f"{plan.id}@amante")
        event.add("dtstamp", now.astimezone(UTC))
        event.add(
            "created",
            plan.created_at.astimezone(UTC)
            if plan.created_at.tzinfo
            else plan.created_at.replace(tzinfo=UTC),
        )
        event.add(
            "last-modified",
            plan.updated_at.astimezone(UTC)
            if plan.updated_at.tzinfo
            else plan.updated_at.replace(tzinfo=UTC),
        )
        event.add("summary", title)
        event.add("dtstart", _first_start(sched))
        event.add("duration", timedelta(minutes=plan.duration_minutes))
        event.add("rrule", _rrule(sched))
        if ritual:
            steps = "\n".join(f"{i}. {s}" for i, s in enumerate(ritual.steps, 1))
            event.add(
                "description",
                f"{ritual.description.strip()}\n\n{steps}\n\nSource: {ritual.citation()}",
            )
        event.add("categories", ["amante", "ritual"])
        event.add("transp", "TRANSPARENT")
        if alarm_minutes >= 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", title)
            alarm.add("trigger", timedelta(minutes=-alarm_minutes))
            event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_token(session: Session, user_id: str) -> str:
    """This user's calendar feed secret (created on first use)."""
    row = session.get(FeedToken, user_id)
    if row is None:
        return rotate_feed_token(session, user_id)
    return row.token


def rotate_feed_token(session: Session, user_id: str) -> str:
    """Replace the feed secret: the old feed URL stops working at once."""
    token = secrets.token_urlsafe(24)
    row = session.get(FeedToken, user_id)
    if row is None:
        session.add(
            FeedToken(
                user_id=user_id, token_hash=_hash(token), token=token, created_at=datetime.now(UTC)
            )
        )
    else:
        row.token_hash = _hash(token)
        row.token = token
        row.created_at = datetime.now(UTC)
    session.flush()
    return token


def user_for_feed_token(session: Session, token: str) -> str | None:
    """The user id a feed secret belongs to, or None (compare by hash: no timing leak)."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(FeedToken).where(FeedToken.token_hash == _hash(token)))
    return row.user_id if row else None


def iter_plan_rows(session: Session, user_id: str) -> Iterator[RitualPlan]:
    yield from session.scalars(select(RitualPlan).where(RitualPlan.user_id == user_id))
