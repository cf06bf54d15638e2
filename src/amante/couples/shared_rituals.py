"""Rituals planned for the couple: both partners see the plan, either checks it off, one streak.

A shared plan belongs to the link, not to one person. Schedules, streaks and occurrences use
the rituals tool's own rules (`amante.tools.rituals`): one check-off counts per occurrence,
whoever made it, and the streak forgives one miss per week. Active shared plans appear in
both partners' calendar feeds (`rituals.calendar_feed` asks `feed_plans`). After an unlink
nothing here is visible to either partner any more.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from amante.couples.errors import SharedDuplicateCheckIn, UnknownCoupleItem
from amante.couples.links import Couple, active_couple, now_utc, require_couple
from amante.store.couple_models import SharedRitualCheckin, SharedRitualPlan
from amante.tools import rituals as tool
from amante.tools.errors import InvalidSchedule, ToolError

__all__ = [
    "SharedCheckIn",
    "SharedPlanView",
    "check_off",
    "feed_plans",
    "get_plan",
    "list_plans",
    "plan_ritual",
    "stop_plan",
    "undo_check_off",
]


@dataclass
class SharedPlanView(tool.PlannedRitual):
    """A shared plan as one partner sees it ("you" or "partner" instead of user ids)."""

    active: bool
    planned_by: str
    streak: int
    next_at: datetime | None
    done_today: bool
    done_today_by: str | None


@dataclass
class SharedCheckIn(tool.JsonView):
    plan_id: str
    ritual_id: str
    occurrence_date: date
    checked_at: datetime
    checked_by: str
    streak: int


def _who(couple: Couple, user_id: str | None) -> str | None:
    if user_id is None:
        return None
    return "you" if user_id == couple.user_id else "partner"


def _done(session: Session, plan_id: str) -> dict[date, str]:
    return {
        c.occurrence_date: c.user_id
        for c in session.scalars(
            select(SharedRitualCheckin).where(SharedRitualCheckin.plan_id == plan_id)
        )
    }


def _view(
    session: Session, couple: Couple, plan: SharedRitualPlan, now: datetime
) -> SharedPlanView:
    done = _done(session, plan.id)
    today = now.astimezone(ZoneInfo(plan.timezone)).date()
    return SharedPlanView(
        **tool.view_fields(plan, set(done), now),
        planned_by=_who(couple, plan.user_id) or "partner",
        done_today_by=_who(couple, done.get(today)),
    )


def _find(session: Session, couple: Couple, ref: str) -> SharedRitualPlan:
    plan = session.scalar(
        select(SharedRitualPlan).where(
            SharedRitualPlan.link_id == couple.link_id,
            (SharedRitualPlan.id == ref) | (SharedRitualPlan.ritual_id == ref),
        )
    )
    if plan is None:
        raise UnknownCoupleItem(f"no shared ritual plan {ref!r}")
    return plan


def plan_ritual(
    session: Session,
    user_id: str,
    ritual_id: str,
    *,
    timezone: str | None = None,
    frequency: str | None = None,
    time_of_day: str | None = None,
    weekdays: list[str] | list[int] | str | None = None,
    day_of_month: int | str | None = None,
    start_date: str | date | None = None,
    duration_minutes: int | None = None,
    now: datetime | None = None,
) -> SharedPlanView:
    """Create or change the couple's plan for one ritual (the ritual's cadence fills gaps).

    The time zone defaults to the caller's couple time zone. Changing a plan keeps its
    check-offs and resumes it if it was paused.
    """
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    ritual = tool.get_ritual(ritual_id)
    tzname = (timezone or "").strip() or couple.timezone
    try:
        ZoneInfo(tzname)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidSchedule(
            f"unknown time zone {tzname!r}; use an IANA name such as "
            "Europe/Berlin or America/New_York"
        ) from None
    fields = tool.plan_columns(
        ritual,
        tzname,
        now,
        frequency=frequency,
        time_of_day=time_of_day,
        weekdays=weekdays,
        day_of_month=day_of_month,
        start_date=start_date,
        duration_minutes=duration_minutes,
    )
    plan = session.scalar(
        select(SharedRitualPlan).where(
            SharedRitualPlan.link_id == couple.link_id, SharedRitualPlan.ritual_id == ritual_id
        )
    )
    if plan is None:
        plan = SharedRitualPlan(
            id=str(uuid.uuid4()),
            link_id=couple.link_id,
            user_id=user_id,
            ritual_id=ritual_id,
            created_at=now,
            **fields,
        )
        session.add(plan)
    else:
        for key, value in fields.items():
            setattr(plan, key, value)
    session.flush()
    return _view(session, couple, plan, now)


def list_plans(
    session: Session, user_id: str, include_stopped: bool = False, now: datetime | None = None
) -> list[SharedPlanView]:
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    query = select(SharedRitualPlan).where(SharedRitualPlan.link_id == couple.link_id)
    if not include_stopped:
        query = query.where(SharedRitualPlan.active.is_(True))
    rows = session.scalars(query.order_by(SharedRitualPlan.created_at, SharedRitualPlan.id))
    return [_view(session, couple, p, now) for p in rows]


def get_plan(
    session: Session, user_id: str, ref: str, now: datetime | None = None
) -> SharedPlanView:
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    return _view(session, couple, _find(session, couple, ref), now)


def stop_plan(
    session: Session, user_id: str, ref: str, delete: bool = False, now: datetime | None = None
) -> None:
    """Pause a shared plan (kept, gone from both calendars) or delete it with its check-offs."""
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    plan = _find(session, couple, ref)
    if delete:
        session.delete(plan)
    else:
        plan.active = False
        plan.updated_at = now
    session.flush()


def check_off(
    session: Session,
    user_id: str,
    ref: str,
    *,
    on: str | date | None = None,
    now: datetime | None = None,
) -> SharedCheckIn:
    """Mark the shared ritual done for the occurrence on local date `on` (default: latest due).

    Same rules as a personal check-off: no future dates, at most BACKFILL_DAYS back, and one
    check-off per occurrence for the couple (a second, by either partner, is refused).
    """
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    plan = _find(session, couple, ref)
    sched = tool.schedule_of(plan)
    today = now.astimezone(sched.tz).date()
    target = tool.check_off_date(plan, on, today)
    if not plan.active:
        raise ToolError(f"the shared plan for {plan.ritual_id} is paused; plan it again to resume")
    occurrence = tool.due_occurrence(plan, sched, today, target)
    done = _done(session, plan.id)
    if occurrence in done:
        by = "you" if done[occurrence] == user_id else "your partner"
        raise SharedDuplicateCheckIn(
            f"{plan.ritual_id} is already checked off for {occurrence.isoformat()} (by {by})"
        )
    session.add(
        SharedRitualCheckin(
            plan_id=plan.id, user_id=user_id, occurrence_date=occurrence, checked_at=now
        )
    )
    try:
        session.flush()
    except IntegrityError:
        raise SharedDuplicateCheckIn(
            f"{plan.ritual_id} is already checked off for {occurrence.isoformat()}"
        ) from None
    done[occurrence] = user_id
    return SharedCheckIn(
        plan.id, plan.ritual_id, occurrence, now, "you", tool.streak(sched, set(done), today)
    )


def undo_check_off(
    session: Session, user_id: str, ref: str, on: str | date, now: datetime | None = None
) -> None:
    """Take back a check-off of this shared ritual (either partner may)."""
    couple = require_couple(session, user_id, now)
    plan = _find(session, couple, ref)
    day = tool.parse_date(on)
    row = session.scalar(
        select(SharedRitualCheckin).where(
            SharedRitualCheckin.plan_id == plan.id, SharedRitualCheckin.occurrence_date == day
        )
    )
    if row is None:
        raise UnknownCoupleItem(f"{plan.ritual_id} has no check-off on {day.isoformat()}")
    session.delete(row)
    session.flush()


def feed_plans(session: Session, user_id: str) -> list[SharedRitualPlan]:
    """Active shared plans of the caller's active link, for the calendar feed."""
    couple = active_couple(session, user_id)
    if couple is None:
        return []
    return list(
        session.scalars(
            select(SharedRitualPlan)
            .where(SharedRitualPlan.link_id == couple.link_id, SharedRitualPlan.active.is_(True))
            .order_by(SharedRitualPlan.created_at, SharedRitualPlan.id)
        )
    )
