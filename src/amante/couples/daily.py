"""The daily question: one prompt per couple per day, answers revealed only when both answered.

Days are counted in each partner's own time zone: the question for 14 March is the same for
both, and each sees it on their own 14 March. A partner may still answer yesterday's question
(their local yesterday), so two people a day apart on the globe can finish the same day.

Questions come from the conversation-starter library (light and deeper prompts; vulnerable
ones are left for moments a couple chooses themselves), drawn without repeats per couple until
every eligible prompt was used. Answers and replies are encrypted at rest. A partner's answer
leaves the server only when both answers for that day exist; before that the caller learns
only whether the partner has answered. Reactions (a heart, a short reply) are possible only on
a revealed answer. The streak counts consecutive days both answered, back from today (today
still open does not break it).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from amante.couples.errors import (
    AlreadyAnswered,
    Conflict,
    CoupleError,
    NotRevealed,
    UnknownCoupleItem,
)
from amante.couples.links import Couple, aware, now_utc, require_couple
from amante.couples.safety_hold import hold_if_unsafe
from amante.store.couple_models import DailyAnswer, DailyQuestion, DailyReaction
from amante.tools import content
from amante.tools.schemas import Starter

__all__ = [
    "ANSWER_MAX",
    "REPLY_MAX",
    "AnswerView",
    "DayView",
    "answer",
    "day_view",
    "history",
    "react",
    "streak",
    "today",
]

ANSWER_MAX = 1000
REPLY_MAX = 280
DEPTHS = ("light", "deeper")
CATCH_UP_DAYS = 1  # yesterday's question can still be answered


def pool() -> list[Starter]:
    return [s for s in content.starters() if s.depth in DEPTHS]


def _starter(starter_id: str) -> Starter | None:
    return next((s for s in content.starters() if s.id == starter_id), None)


@dataclass
class Reaction:
    heart: bool
    reply: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"heart": self.heart, "reply": self.reply}


@dataclass
class AnswerView:
    text: str
    answered_at: datetime
    reaction: Reaction | None  # the other partner's reaction to this answer

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "answered_at": self.answered_at.isoformat(),
                "reaction": self.reaction.to_dict() if self.reaction else None}


@dataclass
class DayView:
    """One day's question as the caller may see it."""

    day: date
    question_id: str
    question: str
    theme: str
    depth: str
    my_answer: AnswerView | None
    partner_answered: bool
    revealed: bool
    partner_answer: AnswerView | None  # only when revealed
    can_answer: bool
    streak: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(), "question_id": self.question_id,
            "question": self.question, "theme": self.theme, "depth": self.depth,
            "my_answer": self.my_answer.to_dict() if self.my_answer else None,
            "partner_answered": self.partner_answered, "revealed": self.revealed,
            "partner_answer": self.partner_answer.to_dict() if self.partner_answer else None,
            "can_answer": self.can_answer, "streak": self.streak,
        }


def _draw(session: Session, link_id: str, rng: random.Random | None = None) -> str:
    """A prompt this couple has not had in the current round."""
    used = Counter(session.scalars(
        select(DailyQuestion.starter_id).where(DailyQuestion.link_id == link_id)))
    prompts = pool()
    fewest = min(used.get(s.id, 0) for s in prompts)
    eligible = [s for s in prompts if used.get(s.id, 0) == fewest]
    return (rng or random.SystemRandom()).choice(eligible).id


def _question(
    session: Session, couple: Couple, day: date, create: bool, now: datetime,
    rng: random.Random | None = None,
) -> DailyQuestion | None:
    row = session.scalar(select(DailyQuestion).where(
        DailyQuestion.link_id == couple.link_id, DailyQuestion.day == day))
    if row is not None or not create:
        return row
    row = DailyQuestion(link_id=couple.link_id, day=day, starter_id=_draw(session, couple.link_id,
                        rng), created_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # the partner's request drew it a moment ago; caller rolls back
        raise Conflict("today's question was just drawn; reload to see it") from None
    return row


def _answers(session: Session, question_id: int) -> dict[str, DailyAnswer]:
    return {a.user_id: a for a in session.scalars(
        select(DailyAnswer).where(DailyAnswer.question_id == question_id))}


def _reaction(session: Session, answer: DailyAnswer, by: str) -> Reaction | None:
    row = session.scalar(select(DailyReaction).where(
        DailyReaction.answer_id == answer.id, DailyReaction.user_id == by))
    return Reaction(row.heart, row.reply) if row else None


def _view(session: Session, couple: Couple, q: DailyQuestion, now: datetime) -> DayView:
    answers = _answers(session, q.id)
    mine = answers.get(couple.user_id)
    theirs = answers.get(couple.partner_id)
    revealed = mine is not None and theirs is not None
    starter = _starter(q.starter_id)
    local_today = couple.today(now)
    return DayView(
        day=q.day, question_id=str(q.id),
        question=starter.text if starter else "(this question is no longer in the library)",
        theme=starter.theme if starter else "", depth=starter.depth if starter else "",
        my_answer=AnswerView(mine.text, aware(mine.created_at),
                             _reaction(session, mine, couple.partner_id) if revealed else None)
        if mine else None,
        partner_answered=theirs is not None,
        revealed=revealed,
        partner_answer=AnswerView(theirs.text, aware(theirs.created_at),
                                  _reaction(session, theirs, couple.user_id))
        if revealed and theirs else None,
        can_answer=mine is None and local_today - timedelta(days=CATCH_UP_DAYS) <= q.day
        <= local_today,
    )


def streak(session: Session, couple: Couple, today: date) -> int:
    """Consecutive days both partners answered, counted back from today (or yesterday)."""
    both = set(session.scalars(
        select(DailyQuestion.day)
        .join(DailyAnswer, DailyAnswer.question_id == DailyQuestion.id)
        .where(DailyQuestion.link_id == couple.link_id,
               DailyAnswer.user_id.in_([couple.user_id, couple.partner_id]))
        .group_by(DailyQuestion.day)
        .having(func.count(DailyAnswer.id) >= 2)
    ))
    day = today if today in both else today - timedelta(days=1)
    count = 0
    while day in both:
        count += 1
        day -= timedelta(days=1)
    return count


def _check_day(couple: Couple, day: date | None, now: datetime) -> date:
    local_today = couple.today(now)
    if day is None:
        return local_today
    if day > local_today:
        raise CoupleError(f"{day.isoformat()} has not started yet in your time zone "
                          f"({couple.timezone})")
    if day < local_today - timedelta(days=CATCH_UP_DAYS):
        raise CoupleError("only today's and yesterday's questions can still be answered")
    return day


def today(
    session: Session, user_id: str, now: datetime | None = None, rng: random.Random | None = None
) -> DayView:
    """Today's question in the caller's time zone (drawn on first look), with the streak."""
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    q = _question(session, couple, couple.today(now), True, now, rng)
    assert q is not None
    view = _view(session, couple, q, now)
    view.streak = streak(session, couple, couple.today(now))
    return view


def day_view(session: Session, user_id: str, day: date, now: datetime | None = None) -> DayView:
    """One past (or today's) day; 404 when the couple had no question that day."""
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    q = _question(session, couple, day, day == couple.today(now), now)
    if q is None:
        raise UnknownCoupleItem(f"no daily question on {day.isoformat()}")
    view = _view(session, couple, q, now)
    view.streak = streak(session, couple, couple.today(now))
    return view


def answer(
    session: Session, user_id: str, text: str, day: date | None = None,
    now: datetime | None = None,
) -> DayView:
    """Save the caller's answer for `day` (default today); a second answer is refused."""
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    text = (text or "").strip()
    if not text:
        raise CoupleError("write a few words before sending your answer")
    if len(text) > ANSWER_MAX:
        raise CoupleError(f"an answer can be at most {ANSWER_MAX} characters")
    hold_if_unsafe(session, user_id, text)
    target = _check_day(couple, day, now)
    q = _question(session, couple, target, True, now)
    assert q is not None
    if couple.user_id in _answers(session, q.id):
        raise AlreadyAnswered(f"you already answered the question for {target.isoformat()}")
    session.add(DailyAnswer(question_id=q.id, user_id=couple.user_id, text=text, created_at=now))
    try:
        session.flush()
    except IntegrityError:
        raise AlreadyAnswered(
            f"you already answered the question for {target.isoformat()}") from None
    view = _view(session, couple, q, now)
    view.streak = streak(session, couple, couple.today(now))
    return view


def react(
    session: Session, user_id: str, day: date, *, heart: bool = True, reply: str | None = None,
    now: datetime | None = None,
) -> DayView:
    """A heart and/or a short reply to the partner's answer (only once it is revealed).

    Reacting again replaces the earlier reaction.
    """
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    reply = (reply or "").strip() or None
    if reply is not None and len(reply) > REPLY_MAX:
        raise CoupleError(f"a reply can be at most {REPLY_MAX} characters")
    if not heart and reply is None:
        raise CoupleError("send a heart, a reply, or both")
    q = _question(session, couple, day, False, now)
    if q is None:
        raise UnknownCoupleItem(f"no daily question on {day.isoformat()}")
    answers = _answers(session, q.id)
    theirs = answers.get(couple.partner_id)
    if couple.user_id not in answers or theirs is None:
        raise NotRevealed("you can react once you have both answered")
    row = session.scalar(select(DailyReaction).where(
        DailyReaction.answer_id == theirs.id, DailyReaction.user_id == couple.user_id))
    if row is None:
        session.add(DailyReaction(answer_id=theirs.id, user_id=couple.user_id, heart=heart,
                                  reply=reply, created_at=now))
    else:
        row.heart, row.reply, row.created_at = heart, reply, now
    session.flush()
    view = _view(session, couple, q, now)
    view.streak = streak(session, couple, couple.today(now))
    return view


def history(
    session: Session, user_id: str, limit: int = 30, now: datetime | None = None
) -> list[DayView]:
    """Past days of this couple, newest first (answers hidden until both answered)."""
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    rows = session.scalars(
        select(DailyQuestion).where(DailyQuestion.link_id == couple.link_id,
                                    DailyQuestion.day <= couple.today(now))
        .order_by(DailyQuestion.day.desc()).limit(max(1, min(limit, 366))))
    return [_view(session, couple, q, now) for q in rows]
