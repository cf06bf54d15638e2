"""Shared rituals, under the rituals resource: plans for the couple, check-offs by either
partner, one shared streak. Active shared plans are in both partners' calendar feeds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from amante.couples import shared_rituals as tool
from amante.tools.errors import ToolError, UnknownItem
from amante.tools.rituals import get_ritual
from amante.web.api.partner import COUPLE_READ, COUPLE_WRITE, _In, couple_error
from amante.web.api.rituals import PlannedRitualOut, kept_schedule
from amante.web.api.tool_schemas import ScheduleIn, parse_day, schedule_field
from amante.web.deps import AuthDep

router = APIRouter(prefix="/rituals/shared", tags=["rituals"])


class _Schedule(ScheduleIn):
    pass


class SharedPlanIn(_Schedule):
    ritual_id: str = Field(min_length=1, max_length=64)


class SharedPlanUpdate(_Schedule):
    """Fields to change; what you leave out stays. Saving resumes a paused plan."""


class SharedPlanOut(PlannedRitualOut):
    active: bool
    planned_by: Literal["you", "partner"]
    streak: int = Field(
        description="Occurrences done in a row by either of you (one miss a week forgiven)."
    )
    next_at: datetime | None
    done_today: bool
    done_today_by: Literal["you", "partner"] | None


class SharedCheckInIn(_In):
    on: str | None = Field(
        default=None,
        max_length=20,
        description="Local date YYYY-MM-DD (default: today in the plan's zone)",
    )


class SharedCheckInOut(BaseModel):
    plan_id: str
    ritual_id: str
    occurrence_date: date
    checked_at: datetime
    checked_by: Literal["you", "partner"]
    streak: int


def plan_json(view: tool.SharedPlanView) -> dict[str, Any]:
    return {k: getattr(view, k) for k in SharedPlanOut.model_fields}


def _save(
    request: Request,
    user_id: str,
    ritual_id: str,
    body: _Schedule,
    current: tool.SharedPlanView | None = None,
) -> dict[str, Any]:
    args = body.schedule_args()
    if current is not None:
        args.update(kept_schedule(body, current))
    try:
        with request.app.state.db.session() as s:
            return plan_json(tool.plan_ritual(s, user_id, ritual_id, **args))
    except ToolError as exc:
        field = None if isinstance(exc, UnknownItem) else schedule_field(str(exc))
        raise couple_error(exc, field) from None


def _get(request: Request, user_id: str, plan_id: str) -> tool.SharedPlanView:
    try:
        with request.app.state.db.session() as s:
            return tool.get_plan(s, user_id, plan_id)
    except ToolError as exc:
        raise couple_error(exc) from None


@router.get("", response_model=list[SharedPlanOut], responses=COUPLE_READ)
def list_shared(
    auth: AuthDep,
    request: Request,
    include_stopped: bool = Query(False, description="Include paused plans."),
) -> list[dict[str, Any]]:
    """Rituals you planned together, with the shared streak and who checked off today."""
    try:
        with request.app.state.db.session() as s:
            return [plan_json(p) for p in tool.list_plans(s, auth.user.id, include_stopped)]
    except ToolError as exc:
        raise couple_error(exc) from None


@router.post("", status_code=201, response_model=SharedPlanOut, responses=COUPLE_WRITE)
def create_shared(body: SharedPlanIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Plan a ritual for the two of you (planning one you share already changes it)."""
    try:
        get_ritual(body.ritual_id)
    except UnknownItem as exc:
        raise couple_error(ToolError(str(exc)), "ritual_id") from None
    return _save(request, auth.user.id, body.ritual_id, body)


@router.get("/{plan_id}", response_model=SharedPlanOut, responses=COUPLE_READ)
def get_shared(plan_id: str, auth: AuthDep, request: Request) -> dict[str, Any]:
    """One shared plan (by its id or the ritual id)."""
    return plan_json(_get(request, auth.user.id, plan_id))


@router.put("/{plan_id}", response_model=SharedPlanOut, responses=COUPLE_WRITE)
def update_shared(
    plan_id: str, body: SharedPlanUpdate, auth: AuthDep, request: Request
) -> dict[str, Any]:
    """Change a shared plan's schedule; a paused plan becomes active again."""
    current = _get(request, auth.user.id, plan_id)
    return _save(request, auth.user.id, current.ritual_id, body, current)


@router.post("/{plan_id}/pause", response_model=SharedPlanOut, responses=COUPLE_WRITE)
def pause_shared(plan_id: str, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Pause a shared plan: it leaves both calendars but keeps its history."""
    try:
        with request.app.state.db.session() as s:
            tool.stop_plan(s, auth.user.id, plan_id)
            return plan_json(tool.get_plan(s, auth.user.id, plan_id))
    except ToolError as exc:
        raise couple_error(exc) from None


@router.delete("/{plan_id}", status_code=204, responses=COUPLE_READ)
def delete_shared(plan_id: str, auth: AuthDep, request: Request) -> Response:
    """Delete a shared plan and its check-offs (for both of you)."""
    try:
        with request.app.state.db.session() as s:
            tool.stop_plan(s, auth.user.id, plan_id, delete=True)
    except ToolError as exc:
        raise couple_error(exc) from None
    return Response(status_code=204)


@router.post(
    "/{plan_id}/checkins", status_code=201, response_model=SharedCheckInOut, responses=COUPLE_WRITE
)
def check_in_shared(
    plan_id: str, body: SharedCheckInIn, auth: AuthDep, request: Request
) -> dict[str, Any]:
    """Mark the shared ritual done; once per occurrence for the couple (409 after that)."""
    if body.on is not None:
        parse_day(body.on, "on")
    try:
        with request.app.state.db.session() as s:
            return tool.check_off(s, auth.user.id, plan_id, on=body.on).to_dict()
    except ToolError as exc:
        raise couple_error(exc, "on") from None


@router.delete("/{plan_id}/checkins/{on}", status_code=204, responses=COUPLE_READ)
def undo_shared(plan_id: str, on: str, auth: AuthDep, request: Request) -> Response:
    """Take back a check-off (the local date of the occurrence, YYYY-MM-DD)."""
    day = parse_day(on, "on")
    try:
        with request.app.state.db.session() as s:
            tool.undo_check_off(s, auth.user.id, plan_id, day)
    except ToolError as exc:
        raise couple_error(exc, "on") from None
    return Response(status_code=204)
