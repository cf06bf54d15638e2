"""The couple's daily question: today's prompt, answering, mutual reveal, reactions, history.

Your partner's answer is in the response only once you have both answered (`revealed`);
before that you learn only that they answered. Days are counted in your own time zone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from amante.couples import daily
from amante.tools.errors import ToolError
from amante.web.api.partner import COUPLE_READ, COUPLE_WRITE, _In, couple_error
from amante.web.api.tool_schemas import parse_day
from amante.web.deps import AuthDep

router = APIRouter(prefix="/daily-question", tags=["daily question"])


class ReactionOut(BaseModel):
    heart: bool
    reply: str | None


class AnswerOut(BaseModel):
    text: str
    answered_at: datetime
    reaction: ReactionOut | None = Field(description="The other partner's reaction to it.")


class DayOut(BaseModel):
    date: date
    question_id: str
    question: str
    theme: str
    depth: str
    my_answer: AnswerOut | None
    partner_answered: bool
    revealed: bool = Field(
        description="True once both answered; only then is partner_answer filled."
    )
    partner_answer: AnswerOut | None
    can_answer: bool
    streak: int = Field(description="Days in a row you both answered.")


class AnswerIn(_In):
    text: str = Field(min_length=1, max_length=daily.ANSWER_MAX)
    date: str | None = Field(
        default=None,
        max_length=20,
        description="YYYY-MM-DD: today (default) or yesterday, your time",
    )


class ReactionIn(_In):
    heart: bool = True
    reply: str | None = Field(default=None, max_length=daily.REPLY_MAX)


def _run(request: Request, fn: Any, *args: Any, field: str | None = None, **kwargs: Any) -> Any:
    try:
        with request.app.state.db.session() as s:
            return fn(s, *args, **kwargs)
    except ToolError as exc:
        raise couple_error(exc, field) from None


@router.get("", response_model=DayOut, responses=COUPLE_READ)
def today(auth: AuthDep, request: Request) -> dict[str, Any]:
    """Today's question (in your time zone), your answer, and your partner's once revealed."""
    return _run(request, daily.today, auth.user.id).to_dict()


@router.post("/answer", status_code=201, response_model=DayOut, responses=COUPLE_WRITE)
def answer(body: AnswerIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Answer today's (or yesterday's) question; answering twice is 409 already_answered."""
    day = parse_day(body.date, "date") if body.date is not None else None
    field = "date" if body.date is not None else "text"
    view = _run(request, daily.answer, auth.user.id, body.text, day, field=field)
    return view.to_dict()


@router.get("/history", response_model=list[DayOut], responses=COUPLE_READ)
def history(
    auth: AuthDep, request: Request, limit: int = Query(30, ge=1, le=366)
) -> list[dict[str, Any]]:
    """Past days, newest first; answers stay hidden for days you did not both answer."""
    return [d.to_dict() for d in _run(request, daily.history, auth.user.id, limit)]


@router.get("/{day}", response_model=DayOut, responses=COUPLE_READ)
def one_day(day: str, auth: AuthDep, request: Request) -> dict[str, Any]:
    """One day's question and answers (YYYY-MM-DD)."""
    return _run(request, daily.day_view, auth.user.id, parse_day(day, "day")).to_dict()


@router.post("/{day}/reaction", response_model=DayOut, responses=COUPLE_WRITE)
def react(day: str, body: ReactionIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """A heart and/or a short reply to your partner's revealed answer (replaces an earlier one).

    Before you have both answered this is 409 not_revealed.
    """
    when = parse_day(day, "day")
    return _run(
        request, daily.react, auth.user.id, when, heart=body.heart, reply=body.reply, field="reply"
    ).to_dict()
