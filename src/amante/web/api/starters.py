"""Conversation starters: draw one (never repeated until the pool runs out), favourites, and
an escalating closeness session in three sets of twelve (after Aron et al., 1997).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from amante.tools import content
from amante.tools import starters as tool
from amante.tools.errors import ToolError
from amante.tools.schemas import Starter
from amante.web.api.tool_schemas import READ_ERRORS, WRITE_ERRORS, checked_ref, tool_error
from amante.web.deps import AuthDep

router = APIRouter(prefix="/starters", tags=["starters"])
Depth = Literal["light", "deeper", "vulnerable"]
Theme = Literal[
    "appreciation", "dreams", "childhood", "conflict_repair", "intimacy", "fun", "future"
]
Stage = Literal["dating", "committed", "long_term", "any"]


class StarterOut(BaseModel):
    id: str
    text: str
    depth: str
    theme: str
    stages: list[str]
    source: str = Field(description="The work the prompt draws on (author, year, title).")
    favourite: bool


class DrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    depth: Depth | None = None
    theme: Theme | None = None
    stage: Stage | None = None


class SessionStepOut(BaseModel):
    set_number: int
    set_title: str
    number: int = Field(description="The question's number, 1 to total.")
    total: int
    text: str
    set_intro: str | None
    finished: bool
    title: str
    intro: str


def starter_json(s: Starter, favourites: set[str]) -> dict[str, Any]:
    src = content.starter_file().sources.get(s.source)
    return {
        "id": s.id,
        "text": s.text,
        "depth": s.depth,
        "theme": s.theme,
        "stages": list(s.stages),
        "source": src.short() if src else s.source,
        "favourite": s.id in favourites,
    }


def favourite_ids(session: Any, user_id: str) -> set[str]:
    return {s.id for s in tool.list_favourites(session, user_id)}


def step_json(step: tool.SessionStep) -> dict[str, Any]:
    cs = content.closeness_session()
    return {**step.to_dict(), "title": cs.title, "intro": cs.intro.strip()}


@router.get("", response_model=list[StarterOut], responses=READ_ERRORS)
def list_starters(
    auth: AuthDep,
    request: Request,
    depth: Annotated[Depth | None, Query()] = None,
    theme: Annotated[Theme | None, Query()] = None,
    stage: Annotated[Stage | None, Query()] = None,
) -> list[dict[str, Any]]:
    """Every prompt that fits the filters."""
    with request.app.state.db.session() as s:
        favs = favourite_ids(s, auth.user.id)
    return [starter_json(x, favs) for x in tool.matching(depth, theme, stage)]


@router.post("/draw", response_model=StarterOut, responses=WRITE_ERRORS)
def draw(body: DrawIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Draw a prompt you have not seen yet in this round (404 when nothing fits the filters)."""
    try:
        with request.app.state.db.session() as s:
            starter = tool.draw(
                s, auth.user.id, depth=body.depth, theme=body.theme, stage=body.stage
            )
            favs = favourite_ids(s, auth.user.id)
    except ToolError as exc:
        raise tool_error(exc) from None
    return starter_json(starter, favs)


@router.get("/favourites", response_model=list[StarterOut], responses=READ_ERRORS)
def favourites(auth: AuthDep, request: Request) -> list[dict[str, Any]]:
    """The prompts you kept."""
    with request.app.state.db.session() as s:
        kept = tool.list_favourites(s, auth.user.id)
    ids = {x.id for x in kept}
    return [starter_json(x, ids) for x in kept]


@router.put("/favourites/{starter_id}", response_model=StarterOut, responses=WRITE_ERRORS)
def add_favourite(starter_id: str, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Keep a prompt (keeping it twice is harmless)."""
    try:
        with request.app.state.db.session() as s:
            starter = tool.add_favourite(s, auth.user.id, starter_id)
    except ToolError as exc:
        raise tool_error(exc) from None
    return starter_json(starter, {starter.id})


@router.delete("/favourites/{starter_id}", status_code=204, responses=READ_ERRORS)
def remove_favourite(starter_id: str, auth: AuthDep, request: Request) -> Response:
    """Let go of a kept prompt."""
    checked_ref(starter_id, "favourite")
    try:
        with request.app.state.db.session() as s:
            tool.remove_favourite(s, auth.user.id, starter_id)
    except ToolError as exc:
        raise tool_error(exc) from None
    return Response(status_code=204)


@router.get("/session", response_model=SessionStepOut, responses=READ_ERRORS)
def session_current(auth: AuthDep, request: Request) -> dict[str, Any]:
    """The question you are on in the closeness session (nothing is recorded)."""
    with request.app.state.db.session() as s:
        return step_json(tool.session_step(s, auth.user.id, advance=False))


@router.post("/session/next", response_model=SessionStepOut, responses=WRITE_ERRORS)
def session_next(auth: AuthDep, request: Request) -> dict[str, Any]:
    """Mark the current question as talked about and get the next one."""
    with request.app.state.db.session() as s:
        tool.session_step(s, auth.user.id, advance=True)
        return step_json(tool.session_step(s, auth.user.id, advance=False))


@router.delete("/session", status_code=204, responses=READ_ERRORS)
def session_reset(auth: AuthDep, request: Request) -> Response:
    """Start the closeness session over from question 1."""
    with request.app.state.db.session() as s:
        tool.reset_session(s, auth.user.id)
    return Response(status_code=204)
