"""A private journal: encrypted entries, emotion suggestions the user confirms or edits,
a feelings vocabulary grouped by the Ekman families of GoEmotions, and a mood trend chart.

Suggestions come from the analyzer's emotion model (GoEmotions labels). They are only
suggestions: an entry stores the emotions the user confirmed, and the suggestions alongside
so the user can see what was offered. Naming feelings in words (affect labelling) is the point
(Lieberman et al., 2007; Barrett et al., 2001; Pennebaker, 1997).
"""

from __future__ import annotations

import difflib
import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amante.store.tool_models import JournalEntryRow
from amante.tools import content
from amante.tools.charts import Point, Series, line_chart
from amante.tools.errors import EmptyText, ToolError, UnknownItem

__all__ = [
    "MAX_ENTRY_CHARS",
    "MOOD_LABELS",
    "EmotionSuggestion",
    "JournalEntry",
    "add_entry",
    "delete_entry",
    "emotion_family",
    "get_entry",
    "list_entries",
    "mood_chart_svg",
    "suggest_emotions",
    "update_entry",
    "vocabulary",
]

log = logging.getLogger(__name__)
MAX_ENTRY_CHARS = 20000
MOOD_LABELS = {1: "very low", 2: "low", 3: "okay", 4: "good", 5: "very good"}
FAMILY_COLOURS = {
    "anger": "#c0392b", "disgust": "#6b8e23", "fear": "#8e44ad", "joy": "#f1a208",
    "sadness": "#2e86c1", "surprise": "#16a085", "neutral": "#7f8c8d",
}


@dataclass
class EmotionSuggestion:
    label: str
    family: str
    score: float
    nearby_words: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class JournalEntry:
    id: str
    text: str
    mood: int | None
    emotions: list[str]
    suggested: list[dict[str, Any]]
    created_at: datetime
    updated_at: datetime
    safety: dict[str, Any] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat()
        out["updated_at"] = self.updated_at.isoformat()
        out["families"] = sorted({emotion_family(e) or "neutral" for e in self.emotions})
        return out


@cache
def _family_index() -> dict[str, str]:
    """Every known emotion word (GoEmotions labels and our vocabulary) -> Ekman family."""
    from amante.engine.understand.emotions import EKMAN_GROUPS

    index: dict[str, str] = {}
    for family, labels in EKMAN_GROUPS.items():
        for label in labels:
            index[label] = family
    for family, fam in content.feelings().families.items():
        for label in fam.goemotions:
            index.setdefault(label, family)
        for feeling in fam.feelings:
            index[feeling.word] = family
    return index


def emotion_family(word: str) -> str | None:
    """The Ekman family of an emotion word, or None when the word is not in the vocabulary."""
    return _family_index().get(word.strip().lower())


def vocabulary(family: str | None = None) -> dict[str, Any]:
    """The feelings list: family -> {label, about, feelings: [{word, means}]}."""
    fams = content.feelings().families
    if family is not None and family not in fams:
        raise UnknownItem(f"unknown emotion family {family!r}; choose one of: {', '.join(fams)}")
    chosen = {family: fams[family]} if family else fams
    return {k: v.model_dump() for k, v in chosen.items()}


def _nearby(family: str, limit: int = 6) -> list[str]:
    fam = content.feelings().families.get(family)
    return [f.word for f in fam.feelings[:limit]] if fam else []


def suggest_emotions(text: str, limit: int = 3) -> list[EmotionSuggestion]:
    """Emotions the analyzer reads in `text`, with nearby words from the feelings list."""
    from amante.engine.understand.emotions import ekman_of, predict_emotions

    try:
        labels = predict_emotions(text)
    except Exception:  # suggestions are optional: a missing or broken model must not block
        log.warning("emotion suggestions unavailable", exc_info=True)
        return []
    if not labels:
        return []
    non_neutral = [lab for lab in labels if lab.label != "neutral"] or labels[:1]
    out = []
    for lab in non_neutral[:limit]:
        family = ekman_of(lab.label) or "neutral"
        out.append(EmotionSuggestion(lab.label, family, round(lab.score, 3), _nearby(family)))
    return out


def validate_text(text: object) -> str:
    if not isinstance(text, str):
        raise ToolError("a journal entry must be text")
    stripped = text.strip()
    if not stripped:
        raise EmptyText("the journal entry is empty: write a few words about your day")
    if len(stripped) > MAX_ENTRY_CHARS:
        raise ToolError(f"the entry is {len(stripped)} characters; the limit is {MAX_ENTRY_CHARS}")
    return stripped


def validate_emotions(emotions: Sequence[str]) -> list[str]:
    if isinstance(emotions, str):
        emotions = [e for e in emotions.split(",")]
    out: list[str] = []
    for raw in emotions:
        word = str(raw).strip().lower()
        if not word:
            continue
        if emotion_family(word) is None:
            close = difflib.get_close_matches(word, list(_family_index()), n=3, cutoff=0.6)
            hint = f" Did you mean {', '.join(close)}?" if close else (
                " See `amante journal feelings` for words you can use.")
            raise ToolError(f"{word!r} is not in the feelings list.{hint}")
        if word not in out:
            out.append(word)
    if len(out) > 12:
        raise ToolError("choose at most 12 emotions for one entry")
    return out


def validate_mood(mood: int | None) -> int | None:
    if mood is None:
        return None
    if isinstance(mood, bool) or not isinstance(mood, int) or not 1 <= mood <= 5:
        raise ToolError(f"mood {mood!r} must be a whole number from 1 (very low) to 5 (very good)")
    return mood


def _screen(text: str) -> dict[str, Any] | None:
    """The safety screen's verdict when it flags the entry (the caller shows support)."""
    try:
        from amante.engine.safety import screen
    except ImportError:
        return None
    result = screen(text)
    return result.to_dict() if result.flagged else None


def _entry(row: JournalEntryRow, safety: dict[str, Any] | None = None) -> JournalEntry:
    return JournalEntry(row.id, row.text, row.mood, list(row.emotions or []),
                        list(row.suggested or []), _aware(row.created_at),
                        _aware(row.updated_at), safety)


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def add_entry(
    session: Session,
    user_id: str,
    text: str,
    *,
    emotions: Sequence[str] | None = None,
    mood: int | None = None,
    accept_suggestions: bool = False,
    suggestions: Sequence[EmotionSuggestion] | None = None,
    now: datetime | None = None,
) -> JournalEntry:
    """Save an entry. Emotions are the user's (confirmed or edited); with
    `accept_suggestions` and no emotions given, the analyzer's suggestions are taken as is.
    """
    text = validate_text(text)
    mood = validate_mood(mood)
    chosen = validate_emotions(emotions or [])
    if suggestions is None:
        suggestions = suggest_emotions(text)
    if accept_suggestions and not chosen:
        chosen = [s.label for s in suggestions if s.label != "neutral"]
    now = now or datetime.now(UTC)
    row = JournalEntryRow(id=str(uuid.uuid4()), user_id=user_id, text=text, mood=mood,
                          emotions=chosen, suggested=[s.to_dict() for s in suggestions],
                          created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    return _entry(row, _screen(text))


def _row(session: Session, user_id: str, entry_id: str) -> JournalEntryRow:
    row = session.scalar(select(JournalEntryRow).where(
        JournalEntryRow.user_id == user_id, JournalEntryRow.id == entry_id))
    if row is None:
        matches = list(session.scalars(select(JournalEntryRow).where(
            JournalEntryRow.user_id == user_id, JournalEntryRow.id.startswith(entry_id))))
        if len(entry_id) >= 4 and len(matches) == 1:
            return matches[0]
        raise UnknownItem(f"no journal entry {entry_id!r}")
    return row


def get_entry(session: Session, user_id: str, entry_id: str) -> JournalEntry:
    """One entry by id (or a unique id prefix of at least 4 characters)."""
    return _entry(_row(session, user_id, entry_id))


def update_entry(
    session: Session,
    user_id: str,
    entry_id: str,
    *,
    text: str | None = None,
    emotions: Sequence[str] | None = None,
    mood: int | None = None,
) -> JournalEntry:
    """Edit an entry's text, confirmed emotions or mood (what is None stays unchanged)."""
    row = _row(session, user_id, entry_id)
    new_text = validate_text(text) if text is not None else None
    new_emotions = validate_emotions(emotions) if emotions is not None else None
    new_mood = validate_mood(mood)
    if new_text is not None:
        row.text = new_text
    if new_emotions is not None:
        row.emotions = new_emotions
    if mood is not None:
        row.mood = new_mood
    row.updated_at = datetime.now(UTC)
    session.flush()
    return _entry(row)


def delete_entry(session: Session, user_id: str, entry_id: str) -> None:
    session.delete(_row(session, user_id, entry_id))
    session.flush()


def list_entries(
    session: Session, user_id: str, limit: int | None = None, since: datetime | None = None
) -> list[JournalEntry]:
    """Entries, newest first."""
    query = select(JournalEntryRow).where(JournalEntryRow.user_id == user_id)
    if since is not None:
        query = query.where(JournalEntryRow.created_at >= since)
    query = query.order_by(JournalEntryRow.created_at.desc(), JournalEntryRow.id)
    if limit:
        query = query.limit(limit)
    return [_entry(r) for r in session.scalars(query)]


def mood_chart_svg(
    session: Session, user_id: str, days: int = 30, now: datetime | None = None
) -> str:
    """An SVG chart of mood (1-5) and how often each emotion family was named, per entry day."""
    now = now or datetime.now(UTC)
    entries = list_entries(session, user_id, since=now - timedelta(days=days))
    mood_points = [Point(e.created_at, e.mood, MOOD_LABELS[e.mood]) for e in entries
                   if e.mood is not None]
    series = [Series("mood (1-5)", mood_points, "#333333")]
    by_day: dict[Any, Counter[str]] = {}
    for e in entries:
        day = e.created_at.date()
        counts = by_day.setdefault(day, Counter())
        for word in e.emotions:
            counts[emotion_family(word) or "neutral"] += 1
    families = sorted({f for c in by_day.values() for f in c})
    for fam in families:
        pts = [Point(datetime.combine(day, datetime.min.time(), tzinfo=UTC), min(c[fam], 5))
               for day, c in sorted(by_day.items()) if c[fam]]
        series.append(Series(fam, pts, FAMILY_COLOURS.get(fam, "#999999")))
    return line_chart(f"Mood and feelings, last {days} days", series, 0, 5,
                      y_label="mood / times named")
