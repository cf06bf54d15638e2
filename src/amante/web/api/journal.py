"""The private journal: entries, emotion suggestions you confirm or edit, a feelings
vocabulary, and a mood chart. A flagged entry comes back with safety words and resources.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from amante.tools import journal as tool
from amante.tools.errors import ToolError
from amante.web.api.assessments import SVG
from amante.web.api.tool_schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    SafetyNoticeOut,
    checked_ref,
    journal_safety,
    region_of,
    tool_error,
)
from amante.web.deps import AuthDep

router = APIRouter(prefix="/journal", tags=["journal"])
TEXT_LIMIT = tool.MAX_ENTRY_CHARS + 2000  # the tool checks the stripped text precisely
Emotion = Annotated[str, Field(max_length=40)]


class SuggestionOut(BaseModel):
    label: str
    family: str
    score: float
    nearby_words: list[str]


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=TEXT_LIMIT)
    mood: int | None = Field(default=None, ge=1, le=5, description="1 very low .. 5 very good")
    emotions: list[Emotion] | None = Field(
        default=None, max_length=40, description="Emotions you confirm (words from the vocabulary)."
    )
    accept_suggestions: bool = Field(
        default=False, description="With no emotions given, take the suggested ones as is."
    )


class EntryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=TEXT_LIMIT)
    mood: int | None = Field(default=None, ge=1, le=5)
    emotions: list[Emotion] | None = Field(default=None, max_length=40)


class SuggestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=TEXT_LIMIT)


class EntryOut(BaseModel):
    id: str
    text: str
    mood: int | None
    emotions: list[str]
    families: list[str]
    suggested: list[SuggestionOut]
    created_at: datetime
    updated_at: datetime
    safety: SafetyNoticeOut | None = Field(
        default=None, description="Set when the safety screen flags the entry."
    )


class FeelingOut(BaseModel):
    word: str
    means: str


class FamilyOut(BaseModel):
    label: str
    about: str
    goemotions: list[str]
    feelings: list[FeelingOut]


def entry_json(e: tool.JournalEntry, safety: dict[str, Any] | None = None) -> dict[str, Any]:
    out = e.to_dict()
    out["created_at"], out["updated_at"] = e.created_at, e.updated_at
    out["safety"] = safety
    return out


def _field(exc: ToolError, default: str) -> str:
    text = str(exc)
    if "feelings list" in text or "emotions" in text:
        return "emotions"
    if text.startswith("mood"):
        return "mood"
    return default


@router.get("/entries", response_model=list[EntryOut], responses=READ_ERRORS)
def list_entries(
    auth: AuthDep,
    request: Request,
    limit: int = Query(50, ge=1, le=500),
) -> list[dict[str, Any]]:
    """Your entries, newest first."""
    with request.app.state.db.session() as s:
        return [entry_json(e) for e in tool.list_entries(s, auth.user.id, limit=limit)]


@router.post("/entries", status_code=201, response_model=EntryOut, responses=WRITE_ERRORS)
def create_entry(body: EntryIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Write an entry; emotions are yours to confirm (the suggestions are stored alongside)."""
    try:
        with request.app.state.db.session() as s:
            entry = tool.add_entry(
                s,
                auth.user.id,
                body.text,
                emotions=body.emotions,
                mood=body.mood,
                accept_suggestions=body.accept_suggestions,
            )
    except ToolError as exc:
        raise tool_error(exc, _field(exc, "text")) from None
    safety = journal_safety(entry.text, region_of(request, auth.user.id)) if entry.safety else None
    return entry_json(entry, safety)


@router.post("/suggestions", response_model=list[SuggestionOut], responses=WRITE_ERRORS)
def suggestions(body: SuggestIn, auth: AuthDep) -> list[dict[str, Any]]:
    """Emotions the analyzer reads in a text (nothing is saved)."""
    try:
        text = tool.validate_text(body.text)
    except ToolError as exc:
        raise tool_error(exc, "text") from None
    return [x.to_dict() for x in tool.suggest_emotions(text)]


@router.get("/vocabulary", response_model=dict[str, FamilyOut], responses=READ_ERRORS)
def vocabulary(
    auth: AuthDep,
    family: str | None = Query(None, max_length=20),
) -> dict[str, Any]:
    """Feeling words grouped by emotion family, each with what it means."""
    try:
        return tool.vocabulary(family)
    except ToolError as exc:
        raise tool_error(exc) from None


@router.get("/mood.svg", response_class=Response, responses={200: SVG, **READ_ERRORS})
def mood_chart(
    auth: AuthDep,
    request: Request,
    days: int = Query(30, ge=1, le=3650),
) -> Response:
    """Your mood and the feelings you named over the last `days` days, as an SVG chart."""
    with request.app.state.db.session() as s:
        svg = tool.mood_chart_svg(s, auth.user.id, days=days)
    return Response(svg, media_type="image/svg+xml")


@router.get("/entries/{entry_id}", response_model=EntryOut, responses=READ_ERRORS)
def get_entry(entry_id: str, auth: AuthDep, request: Request) -> dict[str, Any]:
    """One of your entries."""
    checked_ref(entry_id, "journal entry")
    try:
        with request.app.state.db.session() as s:
            return entry_json(tool.get_entry(s, auth.user.id, entry_id))
    except ToolError as exc:
        raise tool_error(exc) from None


@router.patch("/entries/{entry_id}", response_model=EntryOut, responses=WRITE_ERRORS)
def update_entry(entry_id: str, body: EntryUpdate, auth: AuthDep, request: Request) -> dict:
    """Change an entry's text, emotions or mood (only what you send)."""
    checked_ref(entry_id, "journal entry")
    try:
        with request.app.state.db.session() as s:
            entry = tool.update_entry(
                s, auth.user.id, entry_id, text=body.text, emotions=body.emotions, mood=body.mood
            )
    except ToolError as exc:
        raise tool_error(exc, _field(exc, "text")) from None
    safety = None
    if body.text is not None:
        safety = journal_safety(entry.text, region_of(request, auth.user.id))
    return entry_json(entry, safety)


@router.delete("/entries/{entry_id}", status_code=204, responses=READ_ERRORS)
def delete_entry(entry_id: str, auth: AuthDep, request: Request) -> Response:
    """Delete an entry for good."""
    checked_ref(entry_id, "journal entry")
    try:
        with request.app.state.db.session() as s:
            tool.delete_entry(s, auth.user.id, entry_id)
    except ToolError as exc:
        raise tool_error(exc) from None
    return Response(status_code=204)
