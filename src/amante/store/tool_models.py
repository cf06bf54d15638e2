"""Tables for the coaching tools. Every row carries its owner's id (deleted with the user).

Free text a user writes (journal entries, ritual notes) and personal results (answers, scores,
moods, emotions) are encrypted at rest; ids, dates and catalogue ids stay in clear for queries.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from amante.store.crypto import EncryptedJSON, EncryptedText
from amante.store.models import Base, utcnow


def _owner() -> Mapped[str]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class AssessmentResult(Base):
    __tablename__ = "assessment_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = _owner()
    assessment_id: Mapped[str] = mapped_column(String(64), index=True)
    answers: Mapped[dict] = mapped_column(EncryptedJSON)
    result: Mapped[dict] = mapped_column(EncryptedJSON)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RitualPlan(Base):
    """One ritual the user committed to, with its schedule in the user's time zone."""

    __tablename__ = "ritual_plans"
    __table_args__ = (UniqueConstraint("user_id", "ritual_id", name="uq_ritual_plan"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = _owner()
    ritual_id: Mapped[str] = mapped_column(String(64))
    frequency: Mapped[str] = mapped_column(String(16))
    weekdays: Mapped[str] = mapped_column(String(32), default="")
    day_of_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    time_of_day: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RitualCheckin(Base):
    """A ritual done: the local date of the occurrence it counts for."""

    __tablename__ = "ritual_checkins"
    __table_args__ = (UniqueConstraint("plan_id", "occurrence_date", name="uq_ritual_checkin"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = _owner()
    plan_id: Mapped[str] = mapped_column(
        ForeignKey("ritual_plans.id", ondelete="CASCADE"), index=True
    )
    occurrence_date: Mapped[date] = mapped_column(Date)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    note: Mapped[str | None] = mapped_column(EncryptedText, nullable=True)


class StarterDraw(Base):
    """A prompt shown to the user (kind "starter") or a step of the closeness session."""

    __tablename__ = "starter_draws"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = _owner()
    kind: Mapped[str] = mapped_column(String(16), default="starter")
    starter_id: Mapped[str] = mapped_column(String(64))
    drawn_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StarterFavourite(Base):
    __tablename__ = "starter_favourites"
    __table_args__ = (UniqueConstraint("user_id", "starter_id", name="uq_starter_favourite"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = _owner()
    starter_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class JournalEntryRow(Base):
    """A private journal entry: text, mood and confirmed emotions, all encrypted."""

    __tablename__ = "journal_entries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = _owner()
    text: Mapped[str] = mapped_column(EncryptedText)
    mood: Mapped[int | None] = mapped_column(EncryptedJSON, nullable=True)
    emotions: Mapped[list] = mapped_column(EncryptedJSON)
    suggested: Mapped[list] = mapped_column(EncryptedJSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FeedToken(Base):
    """The secret in a user's calendar feed URL: hashed for lookup, encrypted for display."""

    __tablename__ = "feed_tokens"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
