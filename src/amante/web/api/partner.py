"""Partner link: invite by a single-use code, accept, unlink, status, time zone.

Only couple data crosses between partners (see `amante.couples.privacy`): the status shows
the partner's username and since when you are linked, never anything from their coaching.
Every error has a stable code: invite_invalid (404), invite_expired and invite_used (410),
self_invite (422), already_linked and not_linked (409).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from amante.couples import links
from amante.couples.errors import CoupleError
from amante.couples.privacy import QUIET_UNLINK
from amante.tools.errors import ToolError
from amante.web.api.schemas import ErrorOut
from amante.web.api.tool_schemas import tool_error
from amante.web.deps import AuthDep
from amante.web.errors import ApiError

router = APIRouter(prefix="/partner", tags=["partner"])
_E = {"model": ErrorOut}
COUPLE_READ: dict[int | str, dict[str, Any]] = {401: _E, 403: _E, 404: _E, 409: _E, 422: _E}
COUPLE_WRITE: dict[int | str, dict[str, Any]] = {400: _E, **COUPLE_READ}
TIMEZONE = Field(
    default=None,
    max_length=64,
    description="IANA time zone your days are counted in, e.g. Europe/Berlin (default UTC)",
)


def couple_error(exc: ToolError, field: str | None = None) -> ApiError:
    """An ApiError with the couple error's stable code (other tool errors: their mapping)."""
    if isinstance(exc, CoupleError):
        extra: dict[str, Any] = {}
        if field and exc.http_status == 422:
            extra["fields"] = [{"field": field, "message": str(exc)}]
        return ApiError(exc.http_status, exc.code, str(exc), **extra)
    return tool_error(exc, field)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InviteIn(_In):
    timezone: str | None = TIMEZONE


class InviteOut(BaseModel):
    code: str = Field(description="Shown once: give it to your partner. Single use, 72 hours.")
    url: str = Field(description="A link that opens the accept form with the code filled in.")
    created_at: datetime
    expires_at: datetime


class AcceptIn(_In):
    code: str = Field(min_length=1, max_length=40)
    timezone: str | None = TIMEZONE


class TimezoneIn(_In):
    timezone: str = Field(min_length=1, max_length=64)


class PartnerOut(BaseModel):
    handle: str


class StatusOut(BaseModel):
    linked: bool
    partner: PartnerOut | None
    since: datetime | None
    timezone: str | None
    invite_expires_at: datetime | None = Field(
        description="When your unused invite code expires (null: none pending)."
    )
    shared: list[str] = Field(description="What your partner can see while you are linked.")
    private: list[str] = Field(description="What stays yours alone, always.")
    quiet_unlink: str = Field(description="How to end the link without a fuss.")


def status_json(request: Request, user_id: str) -> dict[str, Any]:
    with request.app.state.db.session() as s:
        data = links.status(s, user_id).to_dict()
    data["quiet_unlink"] = QUIET_UNLINK
    return data


def invite_url(request: Request, code: str) -> str:
    return str(request.url_for("partner_join_page").include_query_params(code=code))


@router.get("", response_model=StatusOut, responses=COUPLE_READ)
def status(auth: AuthDep, request: Request) -> dict[str, Any]:
    """Whether you are linked, with whom, and what is shared (and what never is)."""
    return status_json(request, auth.user.id)


@router.post(
    "/invite", status_code=201, response_model=InviteOut, responses={**COUPLE_WRITE, 410: _E}
)
def invite(body: InviteIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Make a single-use invite code (72 hours); an earlier unused code stops working."""
    try:
        with request.app.state.db.session() as s:
            made = links.create_invite(s, auth.user.id, body.timezone)
    except ToolError as exc:
        raise couple_error(exc, "timezone") from None
    return {
        "code": made.code,
        "url": invite_url(request, made.code),
        "created_at": made.created_at,
        "expires_at": made.expires_at,
    }


@router.delete("/invite", status_code=204, responses=COUPLE_READ)
def cancel_invite(auth: AuthDep, request: Request) -> Response:
    """Void your unused invite code."""
    with request.app.state.db.session() as s:
        found = links.cancel_invite(s, auth.user.id)
    if not found:
        raise ApiError(404, "not_found", "you have no unused invite code")
    return Response(status_code=204)


@router.post(
    "/accept", status_code=201, response_model=StatusOut, responses={**COUPLE_WRITE, 410: _E}
)
def accept(body: AcceptIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Link with the partner who gave you this code."""
    try:
        with request.app.state.db.session() as s:
            links.accept_invite(s, auth.user.id, body.code, body.timezone)
    except ToolError as exc:
        field = "timezone" if "time zone" in str(exc) else "code"
        raise couple_error(exc, field) from None
    return status_json(request, auth.user.id)


@router.post("/unlink", response_model=StatusOut, responses=COUPLE_WRITE)
def unlink(auth: AuthDep, request: Request) -> dict[str, Any]:
    """End the link: all sharing stops at once for both of you; your own data stays yours."""
    try:
        with request.app.state.db.session() as s:
            links.unlink(s, auth.user.id)
    except ToolError as exc:
        raise couple_error(exc) from None
    return status_json(request, auth.user.id)


@router.put("/timezone", response_model=StatusOut, responses=COUPLE_WRITE)
def set_timezone(body: TimezoneIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Change the time zone your days (daily question, streak) are counted in."""
    try:
        with request.app.state.db.session() as s:
            links.set_timezone(s, auth.user.id, body.timezone)
    except ToolError as exc:
        raise couple_error(exc, "timezone") from None
    return status_json(request, auth.user.id)
