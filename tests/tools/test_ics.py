"""The calendar feed parsed back with the icalendar library, as a calendar app would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import islice

from icalendar import Calendar

from amante.tools import rituals as R

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _feed(db, user) -> Calendar:
    with db.session() as s:
        data = R.calendar_feed(s, user, now=NOW)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    return Calendar.from_ical(data)


def test_feed_has_one_recurring_event_per_active_plan(db, user):
    with db.session() as s:
        daily = R.plan_ritual(s, user, "nightly-gratitude", timezone="Europe/Berlin",
                              start_date="2026-03-02", now=NOW)
        weekly = R.plan_ritual(s, user, "weekly-check-in", timezone="America/Chicago",
                               weekdays="sun,wed", frequency="weekly", start_date="2026-03-02",
                               now=NOW)
        monthly = R.plan_ritual(s, user, "monthly-dreams", timezone="Asia/Kolkata",
                                frequency="monthly", day_of_month="last",
                                start_date="2026-03-02", now=NOW)
        R.plan_ritual(s, user, "weekly-date", timezone="UTC", now=NOW)
        R.stop_plan(s, user, "weekly-date")
    cal = _feed(db, user)
    assert str(cal["VERSION"]) == "2.0" and "amante" in str(cal["PRODID"])
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"{p.id}@amante" for p in (daily, weekly, monthly)}

    e = events[f"{daily.id}@amante"]
    assert e["RRULE"]["FREQ"] == ["DAILY"]
    start = e["DTSTART"]
    assert start.params["TZID"] == "Europe/Berlin"
    assert start.dt.tzinfo is not None and str(start.dt.tzinfo) == "Europe/Berlin"
    assert (start.dt.date().isoformat(), start.dt.hour, start.dt.minute) == ("2026-03-02", 21, 30)
    assert e["DURATION"].dt == timedelta(minutes=5)
    assert "Algoe" in str(e["DESCRIPTION"])
    alarm = next(iter(e.walk("VALARM")))
    assert alarm["TRIGGER"].dt == timedelta(minutes=-10)

    w = events[f"{weekly.id}@amante"]
    assert w["RRULE"]["FREQ"] == ["WEEKLY"] and w["RRULE"]["BYDAY"] == ["WE", "SU"]
    # DTSTART is the first Wednesday: a real occurrence, as RFC 5545 requires.
    assert w["DTSTART"].dt.date().isoformat() == "2026-03-04"
    m = events[f"{monthly.id}@amante"]
    assert m["RRULE"]["FREQ"] == ["MONTHLY"] and m["RRULE"]["BYMONTHDAY"] == [-1]
    assert m["DTSTART"].dt.date().isoformat() == "2026-03-31"

    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert tzids == {"Europe/Berlin", "America/Chicago", "Asia/Kolkata"}
    for event in events.values():
        assert event["DTSTAMP"].dt == NOW


def test_recurrence_expands_to_the_same_local_time_across_dst(db, user):
    """Expanding the RRULE (as a client does) keeps 21:30 local on both sides of 29 March."""
    from dateutil.rrule import rrulestr

    with db.session() as s:
        R.plan_ritual(s, user, "nightly-gratitude", timezone="Europe/Berlin",
                      start_date="2026-03-27", now=NOW)
    event = next(iter(_feed(db, user).walk("VEVENT")))
    start = event["DTSTART"].dt
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    first_four = list(islice(rule, 4))
    assert [d.hour for d in first_four] == [21] * 4
    assert [d.utcoffset() for d in first_four] == [timedelta(hours=1)] * 2 + \
        [timedelta(hours=2)] * 2


def test_private_notes_never_reach_the_feed(db, user):
    with db.session() as s:
        R.plan_ritual(s, user, "nightly-gratitude", timezone="UTC", now=NOW,
                      note="we agreed after the argument about Jo")
        data = R.calendar_feed(s, user, now=NOW)
    assert b"Jo" not in data.replace(b"\r\n ", b"")


def test_empty_feed_is_still_a_valid_calendar(db, user):
    cal = _feed(db, user)
    assert list(cal.walk("VEVENT")) == []
