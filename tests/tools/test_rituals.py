from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from amante.tools import rituals as R
from amante.tools.errors import DuplicateCheckIn, InvalidSchedule, ToolError, UnknownItem

NY = ZoneInfo("America/New_York")


def daily(start: date = date(2026, 3, 2), tz: str = "UTC") -> R.Schedule:
    return R.make_schedule("daily", "21:00", tz, start_date=start)


# ------------------------------------------------------------------ schedule validation
@pytest.mark.parametrize("kwargs, message", [
    (dict(frequency="monthly", day_of_month=31), "day 31 does not exist in every month"),
    (dict(frequency="monthly", day_of_month=0), "impossible"),
    (dict(frequency="monthly"), "needs a day of the month"),
    (dict(frequency="weekly"), "needs at least one weekday"),
    (dict(frequency="weekly", weekdays="mon,funday"), "unknown weekday 'funday'"),
    (dict(frequency="daily", weekdays="mon"), "only apply to weekly"),
    (dict(frequency="hourly"), "must be daily, weekly or monthly"),
    (dict(frequency="daily", start_date="2026-02-31"), "February 2026 has 28 days"),
    (dict(frequency="daily", start_date="2026-13-01"), "months run 1-12"),
    (dict(frequency="daily", time_of_day="25:00"), "does not exist"),
    (dict(frequency="daily", time_of_day="9pm"), "HH:MM"),
    (dict(frequency="daily", timezone="Mars/Olympus_Mons"), "unknown time zone"),
])
def test_impossible_schedules_are_refused(kwargs, message):
    args = {"time_of_day": "20:00", "timezone": "Europe/Berlin", **kwargs}
    with pytest.raises(InvalidSchedule, match=message):
        R.make_schedule(args.pop("frequency"), args.pop("time_of_day"), args.pop("timezone"),
                        **args)


def test_leap_day_start_is_fine_in_a_leap_year_only():
    assert R.parse_date("2028-02-29") == date(2028, 2, 29)
    with pytest.raises(InvalidSchedule, match="February 2027 has 28 days"):
        R.parse_date("2027-02-29")


def test_monthly_last_day_follows_month_length():
    s = R.make_schedule("monthly", "20:00", "UTC", day_of_month="last", start_date="2026-01-01")
    days = R.occurrences(s, date(2026, 1, 1), date(2028, 3, 31))
    assert date(2026, 2, 28) in days and date(2028, 2, 29) in days and date(2026, 4, 30) in days
    assert len(days) == 27


# ------------------------------------------------------------------ streak rules
def test_streak_counts_consecutive_days_and_today_is_still_open():
    s = daily()
    done = {date(2026, 3, 2) + timedelta(days=i) for i in range(5)}  # Mon-Fri
    assert R.streak(s, done, date(2026, 3, 6)) == 5
    assert R.streak(s, done, date(2026, 3, 7)) == 5  # Saturday not over yet


def test_one_missed_day_per_week_is_forgiven_but_not_two():
    s = daily()
    week = [date(2026, 3, 2) + timedelta(days=i) for i in range(7)]  # Mon..Sun
    one_miss = set(week) - {week[2]}
    assert R.streak(s, one_miss, week[6]) == 6
    two_miss = set(week) - {week[2], week[4]}
    # Back from Sunday: Sun, Sat done; Fri missed (forgiven); Thu done; Wed is a second miss.
    assert R.streak(s, two_miss, week[6]) == 3


def test_forgiveness_resets_each_calendar_week():
    s = daily()
    days = [date(2026, 3, 2) + timedelta(days=i) for i in range(14)]
    done = set(days) - {days[3], days[10]}  # one miss in each week
    assert R.streak(s, done, days[13]) == 12


def test_a_week_with_nothing_done_breaks_the_streak():
    s = R.make_schedule("weekly", "19:00", "UTC", weekdays="sun", start_date="2026-03-01")
    sundays = [date(2026, 3, 1) + timedelta(weeks=i) for i in range(4)]
    assert R.streak(s, set(sundays), sundays[-1]) == 4
    assert R.streak(s, set(sundays) - {sundays[2]}, sundays[-1]) == 1


def test_check_in_near_midnight_counts_for_the_local_day(db, user):
    """23:30 in New York is already tomorrow in UTC; the check-in still counts for today."""
    with db.session() as s:
        R.plan_ritual(s, user, "nightly-gratitude", timezone="America/New_York",
                      start_date="2026-03-01", now=datetime(2026, 3, 1, 12, tzinfo=UTC))
    streaks = []
    for day in range(1, 11):  # 1-10 March 2026: DST starts in New York on 8 March
        local = datetime(2026, 3, day, 23, 30, tzinfo=NY)
        with db.session() as s:
            result = R.check_off(s, user, "nightly-gratitude", now=local.astimezone(UTC))
        assert result.occurrence_date == date(2026, 3, day)
        streaks.append(result.streak)
    assert streaks == list(range(1, 11))


def test_dst_change_keeps_local_wall_time():
    s = R.make_schedule("daily", "19:00", "Europe/Berlin", start_date="2026-03-27")
    starts = R.next_occurrences(s, datetime(2026, 3, 27, tzinfo=UTC), 4)
    assert [t.time() for t in starts] == [time(19, 0)] * 4
    assert [t.utcoffset() for t in starts] == [timedelta(hours=1)] * 2 + [timedelta(hours=2)] * 2
    # 02:30 does not exist on 29 March 2026 in Berlin: it moves forward by the gap.
    night = R.make_schedule("daily", "02:30", "Europe/Berlin", start_date="2026-03-28")
    skipped = R.occurrence_start(night, date(2026, 3, 29))
    assert (skipped.hour, skipped.minute, skipped.utcoffset()) == (3, 30, timedelta(hours=2))


def test_same_instant_is_a_different_local_day_in_auckland(db, user, other_user):
    instant = datetime(2026, 6, 10, 20, 0, tzinfo=UTC)  # 08:00 on 11 June in Auckland
    with db.session() as s:
        R.plan_ritual(s, user, "silent-check-in", timezone="Pacific/Auckland",
                      start_date="2026-06-01", now=instant)
        R.plan_ritual(s, other_user, "silent-check-in", timezone="Europe/London",
                      start_date="2026-06-01", now=instant)
        a = R.check_off(s, user, "silent-check-in", now=instant)
        b = R.check_off(s, other_user, "silent-check-in", now=instant)
    assert a.occurrence_date == date(2026, 6, 11)
    assert b.occurrence_date == date(2026, 6, 10)


# ------------------------------------------------------------------ check-offs
def test_duplicate_and_future_check_ins_are_refused_and_nothing_is_written(db, user):
    now = datetime(2026, 3, 10, 20, tzinfo=UTC)
    with db.session() as s:
        R.plan_ritual(s, user, "nightly-gratitude", timezone="UTC", start_date="2026-03-01",
                      now=now)
        R.check_off(s, user, "nightly-gratitude", now=now)
    with pytest.raises(DuplicateCheckIn, match="already checked off for 2026-03-10"), \
            db.session() as s:
        R.check_off(s, user, "nightly-gratitude", now=now)
    with pytest.raises(ToolError, match="in the future"), db.session() as s:
        R.check_off(s, user, "nightly-gratitude", on="2026-03-11", now=now)
    with pytest.raises(ToolError, match="starts on 2026-03-01"), db.session() as s:
        R.check_off(s, user, "nightly-gratitude", on="2026-02-27", now=datetime(
            2026, 3, 2, tzinfo=UTC))
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from ritual_checkins").scalar() == 1


def test_late_check_off_counts_for_the_last_scheduled_occurrence(db, user):
    now = datetime(2026, 3, 9, 9, tzinfo=UTC)  # Monday
    with db.session() as s:
        R.plan_ritual(s, user, "weekly-check-in", timezone="UTC", start_date="2026-03-01",
                      now=now)  # Sundays
        result = R.check_off(s, user, "weekly-check-in", now=now)
    assert result.occurrence_date == date(2026, 3, 8)


def test_plans_are_per_user_and_unknown_ids_are_clear(db, user, other_user):
    with db.session() as s:
        R.plan_ritual(s, user, "weekly-date", timezone="Europe/Paris")
        assert [p.ritual_id for p in R.list_plans(s, user)] == ["weekly-date"]
        assert R.list_plans(s, other_user) == []
        with pytest.raises(UnknownItem):
            R.check_off(s, other_user, "weekly-date")
        with pytest.raises(UnknownItem, match="unknown ritual"):
            R.plan_ritual(s, user, "moonlight-dance", timezone="UTC")


def test_replanning_changes_the_schedule_and_keeps_one_plan(db, user):
    with db.session() as s:
        first = R.plan_ritual(s, user, "weekly-date", timezone="UTC", weekdays="fri")
        second = R.plan_ritual(s, user, "weekly-date", timezone="UTC", frequency="weekly",
                               weekdays="sat,sun", time_of_day="10:00")
        assert first.id == second.id
        assert second.weekdays == ["sat", "sun"] and second.time_of_day == "10:00"
        assert len(R.list_plans(s, user)) == 1


def test_weekly_summary_counts_done_missed_and_upcoming(db, user):
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)  # Monday
    with db.session() as s:
        R.plan_ritual(s, user, "nightly-gratitude", timezone="UTC", start_date="2026-03-02",
                      now=start)
        for day in (2, 3, 5):
            R.check_off(s, user, "nightly-gratitude",
                        now=datetime(2026, 3, day, 22, tzinfo=UTC))
        summary = R.weekly_summary(s, user, now=datetime(2026, 3, 6, 12, tzinfo=UTC))
    plan = summary.plans[0]
    assert (summary.week_start, summary.week_end) == (date(2026, 3, 2), date(2026, 3, 8))
    assert len(plan.scheduled) == 7 and len(plan.done) == 3
    assert plan.missed == [date(2026, 3, 4)]
    assert plan.upcoming[0] == date(2026, 3, 6) and len(plan.upcoming) == 3
    assert "3 of 7" in summary.message()


def test_feed_token_rotation(db, user, other_user):
    with db.session() as s:
        first = R.feed_token(s, user)
        assert R.feed_token(s, user) == first
        assert R.user_for_feed_token(s, first) == user
        second = R.rotate_feed_token(s, user)
        assert second != first
        assert R.user_for_feed_token(s, first) is None
        assert R.user_for_feed_token(s, second) == user
        assert R.user_for_feed_token(s, R.feed_token(s, other_user)) == other_user
        assert R.user_for_feed_token(s, "") is None
    with db.engine.connect() as conn:
        stored = conn.exec_driver_sql("select token from feed_tokens").scalars().all()
    assert second not in stored  # only the hash and the encrypted token are stored
