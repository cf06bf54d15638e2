"""Appreciations and bids for connection between linked partners, and a gratitude ritual."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from amante.couples import appreciations as tool
from amante.tools.errors import ToolError
from amante.web.api.partner import COUPLE_READ, COUPLE_WRITE, _In, couple_error
from amante.web.api.shared_rituals import SharedPlanOut, plan_json
from amante.web.deps import AuthDep

router = APIRouter(prefix="/appreciations", tags=["appreciations"])
Kind = Literal["appreciation", "bid"]


class AppreciationIn(_In):
    kind: Kind = "appreciation"
    text: str = Field(min_length=1, max_length=tool.TEXT_MAX)


class ResponseIn(_In):
    text: str = Field(min_length=1, max_length=tool.RESPONSE_MAX)


class GratitudeIn(_In):
    ritual_id: Literal["nightly-gratitude", "appreciation-note"] = "nightly-gratitude"
    timezone: str | None = Field(default=None, max_length=64)


class AppreciationOut(BaseModel):
    id: str
    kind: Kind
    text: str
    direction: Literal["sent", "received"]
    created_at: datetime
    seen: bool
    response: str | None
    responded_at: datetime | None
    ritual_checked: list[str] = Field(description="Gratitude rituals this one checked off.")


def _run(request: Request, fn: Any, *args: Any, field: str | None = None, **kw: Any) -> Any:
    try:
        with request.app.state.db.session() as s:
            return fn(s, *args, **kw)
    except ToolError as exc:
        raise couple_error(exc, field) from None


@router.get("", response_model=list[AppreciationOut], responses=COUPLE_READ)
def list_appreciations(
    auth: AuthDep,
    request: Request,
    box: Literal["received", "sent"] = Query("received"),
    unseen_only: bool = Query(False),
    limit: int = Query(20, ge=1, le=200),
) -> list[dict[str, Any]]:
    """What your partner sent you (or what you sent), newest first."""
    if box == "sent":
        rows = _run(request, tool.list_sent, auth.user.id, limit)
    else:
        rows = _run(request, tool.list_received, auth.user.id, limit, unseen_only)
    return [r.to_dict() for r in rows]


@router.post("", status_code=201, response_model=AppreciationOut, responses=COUPLE_WRITE)
def send(body: AppreciationIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Send an appreciation or a bid for connection; your partner sees it on their page."""
    return _run(request, tool.send, auth.user.id, body.text, body.kind, field="text").to_dict()


@router.post("/{appreciation_id}/seen", response_model=AppreciationOut, responses=COUPLE_WRITE)
def seen(appreciation_id: str, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Mark something your partner sent as seen."""
    return _run(request, tool.mark_seen, auth.user.id, appreciation_id).to_dict()


@router.post("/{appreciation_id}/response", response_model=AppreciationOut, responses=COUPLE_WRITE)
def respond(
    appreciation_id: str, body: ResponseIn, auth: AuthDep, request: Request
) -> dict[str, Any]:
    """Answer it (turn toward a bid) with a short reply; replaces an earlier answer."""
    return _run(
        request, tool.respond, auth.user.id, appreciation_id, body.text, field="text"
    ).to_dict()


@router.post(
    "/gratitude-ritual", status_code=201, response_model=SharedPlanOut, responses=COUPLE_WRITE
)
def gratitude_ritual(body: GratitudeIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Plan a shared gratitude ritual; an appreciation sent on a due day checks it off."""
    view = _run(
        request,
        tool.start_gratitude_ritual,
        auth.user.id,
        body.ritual_id,
        body.timezone,
        field="timezone",
    )
    return plan_json(view)
