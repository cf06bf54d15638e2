"""Shared pieces of the coaching-tool endpoints: error mapping, safety notices, date input.

Every ToolError becomes an ApiError with the tool's `http_status` hint, a stable code and the
name of the field that was wrong, so clients can show the message next to the right input.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from amante.tools.errors import (
    DuplicateCheckIn,
    EmptyText,
    InvalidAnswers,
    InvalidSchedule,
    PoolExhausted,
    ToolError,
    UnknownItem,
)
from amante.web.api.schemas import ErrorOut
from amante.web.errors import ApiError

_E = {"model": ErrorOut}
# 400: a body that is not valid UTF-8 JSON; 413: a body over the size limit (before validation).
READ_ERRORS: dict[int | str, dict[str, Any]] = {401: _E, 403: _E, 404: _E, 422: _E}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {400: _E, 413: _E, **READ_ERRORS}

_CODES: tuple[tuple[type[ToolError], str], ...] = (
    (PoolExhausted, "pool_exhausted"),
    (UnknownItem, "not_found"),
    (DuplicateCheckIn, "duplicate_check_in"),
    (InvalidAnswers, "invalid_answers"),
    (InvalidSchedule, "invalid_schedule"),
    (EmptyText, "empty_text"),
)
MIN_YEAR, MAX_YEAR = 1900, 2200


def error_code(exc: ToolError) -> str:
    """The stable machine-readable code of a tool error."""
    for kind, code in _CODES:
        if isinstance(exc, kind):
            return code
    return "invalid_input"


def tool_error(exc: ToolError, field: str | None = None) -> ApiError:
    """An ApiError for a tool error (404 unknown ids, 409 conflicts, 422 bad input)."""
    message = str(exc)
    extra: dict[str, Any] = {}
    if field and exc.http_status == 422:
        extra["fields"] = [{"field": field, "message": message}]
    return ApiError(exc.http_status, error_code(exc), message, **extra)


_SCHEDULE_FIELDS = (
    ("time zone", "timezone"),
    ("frequency", "frequency"),
    ("weekday", "weekdays"),
    ("day of the month", "day_of_month"),
    ("day of month", "day_of_month"),
    ("does not exist in every month", "day_of_month"),
    ("duration", "duration_minutes"),
    ("note", "note"),
    ("time ", "time_of_day"),
)


def checked_ref(ref: str, what: str) -> str:
    """An id from a URL, refused as unknown (404) when no stored id could look like it.

    PostgreSQL text cannot hold NUL characters, so such an id would fail in the database
    instead of simply matching nothing.
    """
    if not ref or "\x00" in ref or len(ref) > 100:
        raise ApiError(404, "not_found", f"no {what} with that id")
    return ref


def schedule_field(message: str) -> str:
    """Which plan field a schedule error is about (by the tool's wording)."""
    low = message.lower()
    for needle, field in _SCHEDULE_FIELDS:
        if needle in low:
            return field
    return "start_date"


def parse_day(value: str, field: str) -> date:
    """An ISO date from the client; impossible dates (31 February) get the tool's message."""
    from amante.tools.rituals import parse_date

    try:
        day = parse_date(value)
    except ToolError as exc:
        raise tool_error(exc, field) from None
    except (ValueError, OverflowError):
        day = None
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        message = f"{field}: {value!r} must be a date between {MIN_YEAR} and {MAX_YEAR}"
        raise ApiError(422, "invalid_input", message, fields=[{"field": field, "message": message}])
    return day


# ------------------------------------------------------------------ safety notices
class ResourceOut(BaseModel):
    kind: str
    name: str
    contact: str
    source: str
    last_verified: str


class SafetyNoticeOut(BaseModel):
    """Shown instead of coaching when the safety screen flags the text."""

    level: str
    categories: list[str]
    message: str = Field(description="Plain words on what to do now.")
    resources: list[ResourceOut]


def region_of(request: Request, user_id: str) -> str:
    """The region on the user's profile (for crisis lines), INTL when unset."""
    from amante.web.deps import service_for

    try:
        return service_for(request, user_id).profile().region or "INTL"
    except Exception:  # the profile is optional context; never block safety text on it
        return "INTL"


def journal_safety(text: str, region: str) -> dict[str, Any] | None:
    """The reviewed safety reply and resources for a flagged journal entry, else None."""
    from amante.engine.safety import screen
    from amante.engine.safety.protocol import protocol_reply, reply_key

    result = screen(text)
    if not result.flagged:
        return None
    if reply_key(result) is not None:
        reply = protocol_reply(result, region=region, turn_count=1)
        message = re.sub(r"\n- [^\n]*", "", reply.text).strip()
        resources = [r.to_dict() for r in reply.resources]
    else:
        from amante.engine.safety.resources import pick

        message = (
            "What you wrote sounds heavy. You don't have to hold it alone: a crisis line "
            "or someone you trust can help today."
        )
        resources = [r.to_dict() for r in pick(region, ["emergency", "crisis_line", "directory"])]
    return {
        "level": result.level,
        "categories": list(result.categories),
        "message": message,
        "resources": resources,
    }


Frequency = Literal["daily", "weekly", "monthly"]


class ScheduleIn(BaseModel):
    """When a ritual happens: shared by personal and couple plans."""

    model_config = ConfigDict(extra="forbid")

    timezone: str | None = Field(
        default=None,
        max_length=64,
        description="IANA time zone, e.g. Europe/Berlin (couple plans default to the couple's)",
    )
    frequency: Frequency | None = None
    time_of_day: str | None = Field(default=None, max_length=8, description="24-hour HH:MM")
    weekdays: list[str] | None = Field(
        default=None, max_length=7, description="mon..sun (weekly plans only)"
    )
    day_of_month: int | str | None = Field(
        default=None, description="1-28 or 'last' (monthly plans only)"
    )
    start_date: str | None = Field(default=None, max_length=20, description="YYYY-MM-DD")
    duration_minutes: int | None = Field(default=None, ge=1, le=1440)

    def schedule_args(self) -> dict[str, Any]:
        """The schedule as keyword arguments for the rituals tools (start date checked)."""
        if self.start_date is not None:
            parse_day(self.start_date, "start_date")
        return {
            "timezone": self.timezone,
            "frequency": self.frequency,
            "time_of_day": self.time_of_day,
            "weekdays": self.weekdays,
            "day_of_month": self.day_of_month,
            "start_date": self.start_date,
            "duration_minutes": self.duration_minutes,
        }
