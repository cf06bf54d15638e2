"""Export and delete everything the coaching tools store for one user."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from amante.store.tool_models import (
    AssessmentResult,
    FeedToken,
    JournalEntryRow,
    RitualCheckin,
    RitualPlan,
    StarterDraw,
    StarterFavourite,
)


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export_tools(session: Session, user_id: str) -> dict[str, Any]:
    """All tool data of one user as JSON-ready lists (decrypted; feed token excluded)."""
    def rows(model: Any, order: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.user_id == user_id).order_by(order)))

    return {
        "assessment_results": [
            {"id": r.id, "assessment_id": r.assessment_id, "answers": r.answers,
             "result": r.result, "taken_at": _iso(r.taken_at)}
            for r in rows(AssessmentResult, AssessmentResult.id)
        ],
        "ritual_plans": [
            {"id": p.id, "ritual_id": p.ritual_id, "frequency": p.frequency,
             "weekdays": [int(d) for d in p.weekdays.split(",") if d],
             "day_of_month": p.day_of_month, "time_of_day": p.time_of_day,
             "timezone": p.timezone, "start_date": _iso(p.start_date),
             "duration_minutes": p.duration_minutes, "note": p.note, "active": p.active,
             "created_at": _iso(p.created_at), "updated_at": _iso(p.updated_at)}
            for p in rows(RitualPlan, RitualPlan.created_at)
        ],
        "ritual_checkins": [
            {"plan_id": c.plan_id, "occurrence_date": _iso(c.occurrence_date),
             "checked_at": _iso(c.checked_at), "note": c.note}
            for c in rows(RitualCheckin, RitualCheckin.id)
        ],
        "starter_draws": [
            {"kind": d.kind, "starter_id": d.starter_id, "drawn_at": _iso(d.drawn_at)}
            for d in rows(StarterDraw, StarterDraw.id)
        ],
        "starter_favourites": [
            {"starter_id": f.starter_id, "created_at": _iso(f.created_at)}
            for f in rows(StarterFavourite, StarterFavourite.id)
        ],
        "journal_entries": [
            {"id": j.id, "text": j.text, "mood": j.mood, "emotions": j.emotions,
             "suggested": j.suggested, "created_at": _iso(j.created_at),
             "updated_at": _iso(j.updated_at)}
            for j in rows(JournalEntryRow, JournalEntryRow.created_at)
        ],
        "calendar_feed": {"enabled": session.get(FeedToken, user_id) is not None},
    }


def delete_tools(session: Session, user_id: str) -> dict[str, int]:
    """Delete every tool row of one user; returns counts per table."""
    counts: dict[str, int] = {}
    for name, model in (
        ("ritual_checkins", RitualCheckin), ("ritual_plans", RitualPlan),
        ("assessment_results", AssessmentResult), ("starter_draws", StarterDraw),
        ("starter_favourites", StarterFavourite), ("journal_entries", JournalEntryRow),
        ("feed_tokens", FeedToken),
    ):
        counts[name] = session.execute(delete(model).where(model.user_id == user_id)).rowcount or 0
    return counts
