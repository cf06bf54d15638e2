"""Shared rituals and appreciations: both see them, either checks off, both calendars."""

from __future__ import annotations

from datetime import timedelta

import pytest
from couple_helpers import NOW, link, make_users
from icalendar import Calendar

from amante.couples import appreciations, links, shared_rituals
from amante.couples.errors import CoupleError, NotLinked, SharedDuplicateCheckIn
from amante.tools import rituals
from amante.tools.errors import InvalidSchedule


@pytest.fixture()
def pair(lite):
    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b, tz_a="Europe/Berlin", tz_b="America/New_York")
    return lite, a, b


def summaries(feed: bytes) -> list[str]:
    return [str(e.get("summary")) for e in Calendar.from_ical(feed).walk("VEVENT")]


def test_both_see_the_plan_either_checks_off_once_and_the_streak_is_shared(pair):
    db, a, b = pair
    with db.session() as s:
        made = shared_rituals.plan_ritual(s, a, "nightly-gratitude", now=NOW)
    assert made.timezone == "Europe/Berlin" and made.planned_by == "you"
    with db.session() as s:
        seen = shared_rituals.list_plans(s, b, now=NOW)
    assert [p.id for p in seen] == [made.id] and seen[0].planned_by == "partner"
    first = NOW.replace(hour=21)
    with db.session() as s:
        done = shared_rituals.check_off(s, b, made.id, now=first)
    assert done.streak == 1
    with pytest.raises(SharedDuplicateCheckIn, match="by your partner"), db.session() as s:
        shared_rituals.check_off(s, a, made.id, now=first)
    with db.session() as s:
        shared_rituals.check_off(s, a, made.id, now=first + timedelta(days=1))
        view_b = shared_rituals.get_plan(s, b, made.id, now=first + timedelta(days=1))
        view_a = shared_rituals.get_plan(s, a, made.id, now=first + timedelta(days=1))
    assert view_a.streak == view_b.streak == 2
    assert view_b.done_today and view_b.done_today_by == "partner"
    assert view_a.done_today_by == "you"


def test_shared_plans_are_in_both_calendar_feeds_and_leave_them_on_unlink(pair):
    db, a, b = pair
    with db.session() as s:
        rituals.plan_ritual(s, a, "weekly-date", timezone="Europe/Berlin", note="private note",
                            now=NOW)
        shared_rituals.plan_ritual(s, b, "weekly-check-in", now=NOW)
        feed_a = rituals.calendar_feed(s, a, now=NOW)
        feed_b = rituals.calendar_feed(s, b, now=NOW)
        only_own = rituals.calendar_feed(s, a, now=NOW, include_shared=False)
    title = rituals.get_ritual("weekly-check-in").title
    shared_title = title + " (together)"
    assert shared_title in summaries(feed_a) and shared_title in summaries(feed_b)
    assert rituals.get_ritual("weekly-date").title in summaries(feed_a)
    assert rituals.get_ritual("weekly-date").title not in summaries(feed_b)  # Ana's own plan
    assert b"private note" not in feed_b and shared_title not in summaries(only_own)
    with db.session() as s:
        links.unlink(s, a, now=NOW)
        assert shared_title not in summaries(rituals.calendar_feed(s, a, now=NOW))
        assert shared_title not in summaries(rituals.calendar_feed(s, b, now=NOW))


def test_paused_plans_leave_the_feed_and_refuse_check_offs(pair):
    db, a, b = pair
    with db.session() as s:
        plan = shared_rituals.plan_ritual(s, a, "nightly-gratitude", now=NOW)
        shared_rituals.stop_plan(s, b, plan.id, now=NOW)
        assert shared_rituals.list_plans(s, a, now=NOW) == []
        assert len(shared_rituals.list_plans(s, a, include_stopped=True, now=NOW)) == 1
        assert not any("together" in x for x in summaries(rituals.calendar_feed(s, a, now=NOW)))
    with pytest.raises(Exception, match="paused"), db.session() as s:
        shared_rituals.check_off(s, a, plan.id, now=NOW)


def test_bad_schedules_and_outsiders_are_refused(pair):
    db, a, _ = pair
    (c,) = make_users(db, "cy")
    with pytest.raises(InvalidSchedule), db.session() as s:
        shared_rituals.plan_ritual(s, a, "nightly-gratitude", timezone="Nowhere/City", now=NOW)
    with pytest.raises(InvalidSchedule), db.session() as s:
        shared_rituals.plan_ritual(s, a, "appreciation-note", frequency="monthly",
                                   day_of_month=31, now=NOW)
    with db.session() as s:
        plan = shared_rituals.plan_ritual(s, a, "nightly-gratitude", now=NOW)
    with pytest.raises(NotLinked), db.session() as s:
        shared_rituals.get_plan(s, c, plan.id, now=NOW)
    with pytest.raises(NotLinked), db.session() as s:
        shared_rituals.check_off(s, c, plan.id, now=NOW)


def test_appreciations_and_bids_reach_only_the_partner(pair):
    db, a, b = pair
    with db.session() as s:
        sent = appreciations.send(s, a, "Thank you for the soup", now=NOW)
        appreciations.send(s, a, "Walk with me tonight?", "bid", now=NOW + timedelta(minutes=1))
        got = appreciations.list_received(s, b, now=NOW)
        assert appreciations.list_received(s, a, now=NOW) == []
    assert [g.text for g in got] == ["Walk with me tonight?", "Thank you for the soup"]
    assert got[0].kind == "bid" and got[0].direction == "received" and not got[0].seen
    with db.session() as s:
        appreciations.respond(s, b, got[0].id, "Yes, at eight", now=NOW)
        appreciations.mark_seen(s, b, sent.id, now=NOW)
        mine = appreciations.list_sent(s, a, now=NOW)
    assert mine[0].response == "Yes, at eight" and mine[1].seen
    with pytest.raises(CoupleError), db.session() as s:  # only the recipient answers
        appreciations.respond(s, a, got[0].id, "answering myself", now=NOW)
    with pytest.raises(CoupleError), db.session() as s:
        appreciations.send(s, a, "x" * (appreciations.TEXT_MAX + 1), now=NOW)
    with pytest.raises(CoupleError), db.session() as s:
        appreciations.send(s, a, "hello", "demand", now=NOW)
    with db.session() as s:
        links.unlink(s, b, now=NOW)
    with pytest.raises(NotLinked), db.session() as s:
        appreciations.list_received(s, b, now=NOW)


def test_an_appreciation_checks_off_the_gratitude_ritual_when_it_is_due(pair):
    db, a, b = pair
    with db.session() as s:
        plan = appreciations.start_gratitude_ritual(s, a, now=NOW)
        assert not plan.done_today
        sent = appreciations.send(s, b, "Thanks for listening", now=NOW)
        assert sent.ritual_checked == ["nightly-gratitude"]
        again = appreciations.send(s, a, "And thank you", now=NOW)
        assert again.ritual_checked == []  # one check-off per occurrence
        view = shared_rituals.get_plan(s, a, plan.id, now=NOW)
    assert view.done_today and view.done_today_by == "partner" and view.streak == 1
    with pytest.raises(CoupleError), db.session() as s:
        appreciations.start_gratitude_ritual(s, a, "weekly-date", now=NOW)
