"""Tables for couple mode: invites, links, the daily question, shared rituals, appreciations.

Who may see what is decided in `amante.couples`, never by these tables alone: a row that
belongs to a couple carries the link id, and every row a person wrote carries their user id
(deleted with them by ON DELETE CASCADE). Free text (answers, replies, appreciations, notes)
is encrypted at rest; invite codes are stored only as hashes.

One active link per user is enforced by the database: `couple_members.user_id` is a primary
key, so two concurrent accepts cannot both link the same person.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from amante.store.crypto import EncryptedText
from amante.store.models import Base, utcnow


def _user(index: bool = True) -> Mapped[str]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=index)


def _link() -> Mapped[str]:
    return mapped_column(ForeignKey("couple_links.id", ondelete="CASCADE"), index=True)


class CoupleInvite(Base):
    """A single-use invite code (hashed) a user gave to their partner; expires after 72 h."""

    __tablename__ = "couple_invites"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = _user()
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CoupleLink(Base):
    """Two people linked as a couple; `ended_at` is set when either unlinks."""

    __tablename__ = "couple_links"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CoupleMember(Base):
    """A user's active link (at most one) and the time zone their days are counted in."""

    __tablename__ = "couple_members"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    link_id: Mapped[str] = _link()
    timezone: Mapped[str] = mapped_column(String(64))
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DailyQuestion(Base):
    """The question a couple gets for one calendar day (drawn once, the same for both)."""

    __tablename__ = "daily_questions"
    __table_args__ = (UniqueConstraint("link_id", "day", name="uq_daily_question"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    link_id: Mapped[str] = _link()
    day: Mapped[date] = mapped_column(Date)
    starter_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DailyAnswer(Base):
    """One partner's answer to a daily question; the other sees it only after answering too."""

    __tablename__ = "daily_answers"
    __table_args__ = (UniqueConstraint("question_id", "user_id", name="uq_daily_answer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("daily_questions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = _user()
    text: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DailyReaction(Base):
    """A heart and/or a short reply to the partner's revealed answer."""

    __tablename__ = "daily_reactions"
    __table_args__ = (UniqueConstraint("answer_id", "user_id", name="uq_daily_reaction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("daily_answers.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = _user()
    heart: Mapped[bool] = mapped_column(Boolean, default=False)
    reply: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SharedRitualPlan(Base):
    """A ritual planned for the couple: both see it, either checks it off.

    The schedule columns mirror `RitualPlan`, so the rituals tool's schedule, streak and
    calendar code works on both.
    """

    __tablename__ = "shared_ritual_plans"
    __table_args__ = (UniqueConstraint("link_id", "ritual_id", name="uq_shared_ritual_plan"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    link_id: Mapped[str] = _link()
    user_id: Mapped[str] = _user()  # who planned it
    ritual_id: Mapped[str] = mapped_column(String(64))
    frequency: Mapped[str] = mapped_column(String(16))
    weekdays: Mapped[str] = mapped_column(String(32), default="")
    day_of_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    time_of_day: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    feed_suffix = " (together)"  # how the calendar feed marks a shared ritual


class SharedRitualCheckin(Base):
    """A shared ritual done: one check-off per occurrence, by either partner."""

    __tablename__ = "shared_ritual_checkins"
    __table_args__ = (
        UniqueConstraint("plan_id", "occurrence_date", name="uq_shared_ritual_checkin"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(
        ForeignKey("shared_ritual_plans.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = _user()
    occurrence_date: Mapped[date] = mapped_column(Date)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Appreciation(Base):
    """A short appreciation or a bid for connection sent to the partner."""

    __tablename__ = "appreciations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    link_id: Mapped[str] = _link()
    user_id: Mapped[str] = _user()  # the sender
    recipient_id: Mapped[str] = _user()
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    response: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
