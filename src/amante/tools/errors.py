"""Errors the coaching tools raise: each says what was wrong and what to do instead.

Every error subclasses ToolError (a ValueError), so callers can catch one type. `http_status`
is a hint for the JSON API: 404 for unknown ids, 409 for conflicts, 422 for bad input.
"""

from __future__ import annotations


class ToolError(ValueError):
    """Bad input to a coaching tool; nothing was saved."""

    http_status = 422


class UnknownItem(ToolError, LookupError):
    """An id that does not exist (assessment, ritual, starter, plan, journal entry)."""

    http_status = 404


class InvalidAnswers(ToolError):
    """Assessment answers are missing, unknown, or out of range."""


class InvalidSchedule(ToolError):
    """A ritual schedule that cannot happen (31 February, unknown time zone, bad time)."""


class DuplicateCheckIn(ToolError):
    """The occurrence was already checked off."""

    http_status = 409


class PoolExhausted(ToolError):
    """No conversation starter matches the filters."""

    http_status = 404


class EmptyText(ToolError):
    """A draft or journal entry with no words in it."""
