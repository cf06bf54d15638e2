"""The daily question: same prompt per day, hidden until both answered, time zones, streak."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from couple_helpers import NOW, link, make_users
from sqlalchemy import text

from amante.couples import daily
from amante.couples.errors import AlreadyAnswered, CoupleError, NotRevealed
from amante.tools import content


@pytest.fixture()
def pair(db):
    a, b = make_users(db, "ana", "ben")
    link(db, a, b)
    return db, a, b


def test_both_get_the_same_question_and_answers_stay_hidden_until_both_answered(pair):
    db, a, b = pair
    with db.session() as s:
        qa = daily.today(s, a, now=NOW)
        qb = daily.today(s, b, now=NOW)
    assert qa.question == qb.question and qa.question_id == qb.question_id
    assert qa.question in {p.text for p in daily.pool()}
    with db.session() as s:
        after_a = daily.answer(s, a, "A's private thought", now=NOW)
        seen_by_b = daily.today(s, b, now=NOW)
    assert after_a.my_answer.text == "A's private thought" and not after_a.revealed
    assert after_a.partner_answer is None
    assert seen_by_b.partner_answered and not seen_by_b.revealed
    assert seen_by_b.partner_answer is None and seen_by_b.my_answer is None
    assert "A's private thought" not in str(seen_by_b.to_dict())
    with db.session() as s:
        after_b = daily.answer(s, b, "B's thought", now=NOW)
        back_to_a = daily.today(s, a, now=NOW)
    assert after_b.revealed and after_b.partner_answer.text == "A's private thought"
    assert back_to_a.revealed and back_to_a.partner_answer.text == "B's thought"
    assert back_to_a.streak == 1


def test_answering_twice_is_refused_and_keeps_the_first(pair):
    db, a, _ = pair
    with db.session() as s:
        daily.answer(s, a, "first", now=NOW)
    with pytest.raises(AlreadyAnswered), db.session() as s:
        daily.answer(s, a, "second", now=NOW)
    with db.session() as s:
        assert daily.today(s, a, now=NOW).my_answer.text == "first"


@pytest.mark.parametrize("bad", ["", "   \n", "x" * (daily.ANSWER_MAX + 1)])
def test_empty_or_long_answers_are_refused(lite, bad):
    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b)
    with pytest.raises(CoupleError), lite.session() as s:
        daily.answer(s, a, bad, now=NOW)
    with lite.session() as s:
        assert daily.today(s, a, now=NOW).my_answer is None


def test_answers_are_encrypted_at_rest(pair):
    db, a, b = pair
    with db.session() as s:
        daily.answer(s, a, "a very recognisable sentence", now=NOW)
        daily.answer(s, b, "another answer", now=NOW)
        daily.react(s, b, NOW.date(), reply="a telling reply", now=NOW)
    with db.engine.connect() as conn:
        stored = [str(r) for r in conn.execute(text("SELECT text FROM daily_answers"))]
        stored += [str(r) for r in conn.execute(text("SELECT reply FROM daily_reactions"))]
    assert stored and not any("recognisable" in x or "telling" in x for x in stored)


def test_each_partner_counts_days_in_their_own_time_zone(lite):
    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b, tz_a="Asia/Tokyo", tz_b="America/Los_Angeles")
    late = NOW.replace(hour=20)  # 05:00 next day in Tokyo, 13:00 same day in Los Angeles
    with lite.session() as s:
        tokyo = daily.today(s, a, now=late)
        la = daily.today(s, b, now=late)
    assert tokyo.day == la.day + timedelta(days=1)
    assert tokyo.question_id != la.question_id
    # A day later in LA, Ben gets the question Ana already had.
    with lite.session() as s:
        la_next = daily.today(s, b, now=late + timedelta(days=1))
    assert la_next.day == tokyo.day and la_next.question == tokyo.question


def test_yesterday_can_still_be_answered_but_not_older_or_future_days(lite):
    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b)
    today = NOW.date()
    with lite.session() as s:
        view = daily.answer(s, a, "late but here", today - timedelta(days=1), now=NOW)
    assert view.day == today - timedelta(days=1)
    with pytest.raises(CoupleError, match="yesterday"), lite.session() as s:
        daily.answer(s, a, "too late", today - timedelta(days=2), now=NOW)
    with pytest.raises(CoupleError, match="not started"), lite.session() as s:
        daily.answer(s, a, "too early", today + timedelta(days=1), now=NOW)


def test_streak_counts_days_both_answered_and_today_open_does_not_break_it(lite):
    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b, now=NOW - timedelta(days=10))
    for back in (4, 3, 2, 1):  # both answered on four days, day 5 back only Ana
        when = NOW - timedelta(days=back)
        with lite.session() as s:
            daily.answer(s, a, f"a{back}", now=when)
            daily.answer(s, b, f"b{back}", now=when)
    with lite.session() as s:
        daily.answer(s, a, "a5", now=NOW - timedelta(days=5))
        assert daily.today(s, a, now=NOW).streak == 4  # today not answered yet: still 4
        daily.answer(s, a, "a0", now=NOW)
        assert daily.today(s, b, now=NOW).streak == 4  # only one of us today
        daily.answer(s, b, "b0", now=NOW)
        assert daily.today(s, a, now=NOW).streak == 5
        # Two days later with nothing in between, the streak is gone.
        assert daily.today(s, a, now=NOW + timedelta(days=2)).streak == 0


def test_questions_do_not_repeat_until_the_pool_is_used_up(lite, monkeypatch):
    small = [s for s in content.starters() if s.depth in daily.DEPTHS][:5]
    monkeypatch.setattr(daily, "pool", lambda: small)
    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b)
    rng = random.Random(7)
    seen = []
    for day in range(10):
        with lite.session() as s:
            seen.append(daily.today(s, a, now=NOW + timedelta(days=day), rng=rng).question)
    assert len(set(seen[:5])) == 5 and len(set(seen[5:])) == 5
    assert set(seen[:5]) == set(seen[5:]) == {p.text for p in small}


def test_pool_has_no_vulnerable_prompts_and_is_large():
    prompts = daily.pool()
    assert len(prompts) >= 60
    assert {p.depth for p in prompts} <= set(daily.DEPTHS)


def test_reactions_only_after_reveal_and_visible_to_the_author(pair):
    db, a, b = pair
    day = NOW.date()
    with db.session() as s:
        daily.answer(s, a, "my answer", now=NOW)
    with pytest.raises(NotRevealed), db.session() as s:
        daily.react(s, b, day, reply="sneak peek", now=NOW)  # ben has not answered
    with pytest.raises(NotRevealed), db.session() as s:
        daily.react(s, a, day, now=NOW)  # ana answered, ben not yet
    with db.session() as s:
        daily.answer(s, b, "his answer", now=NOW)
        daily.react(s, b, day, heart=True, reply="love this", now=NOW)
        view_a = daily.today(s, a, now=NOW)
    assert view_a.my_answer.reaction.heart and view_a.my_answer.reaction.reply == "love this"
    with pytest.raises(CoupleError), db.session() as s:
        daily.react(s, b, day, reply="x" * (daily.REPLY_MAX + 1), now=NOW)
    with db.session() as s:  # reacting again replaces
        daily.react(s, b, day, heart=False, reply="changed my mind: adore it", now=NOW)
        again = daily.today(s, a, now=NOW).my_answer.reaction
    assert not again.heart and again.reply == "changed my mind: adore it"


def test_history_lists_past_days_newest_first_with_reveal_per_day(lite):
    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b, now=NOW - timedelta(days=5))
    with lite.session() as s:
        daily.answer(s, a, "both day a", now=NOW - timedelta(days=2))
        daily.answer(s, b, "both day b", now=NOW - timedelta(days=2))
        daily.answer(s, b, "only ben", now=NOW - timedelta(days=1))
        days = daily.history(s, a, now=NOW)
    assert [d.day for d in days] == [NOW.date() - timedelta(days=1), NOW.date() - timedelta(days=2)]
    assert days[0].partner_answered and not days[0].revealed and days[0].partner_answer is None
    assert days[1].revealed and days[1].partner_answer.text == "both day b"
    assert isinstance(days[0].day, date)
