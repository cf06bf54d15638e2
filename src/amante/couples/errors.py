"""Errors of couple mode: each has a stable `code` for the API and says what to do instead.

All subclass ToolError (a ValueError), so callers catch one type; nothing was saved when one
is raised (the caller's transaction rolls back). Messages never mention the partner's private
data or safety state.
"""

from __future__ import annotations

from amante.tools.errors import DuplicateCheckIn, ToolError, UnknownItem


class CoupleError(ToolError):
    """Bad input or a state conflict in couple mode."""

    code = "invalid_input"
    http_status = 422


class NotLinked(CoupleError):
    """The user has no active partner link (never linked, or it was just removed)."""

    code = "not_linked"
    http_status = 409


class AlreadyLinked(CoupleError):
    code = "already_linked"
    http_status = 409


class InviteInvalid(CoupleError):
    """A code that does not exist (mistyped or made up)."""

    code = "invite_invalid"
    http_status = 404


class InviteExpired(CoupleError):
    code = "invite_expired"
    http_status = 410


class InviteUsed(CoupleError):
    code = "invite_used"
    http_status = 410


class SelfInvite(CoupleError):
    code = "self_invite"
    http_status = 422


class AlreadyAnswered(CoupleError):
    code = "already_answered"
    http_status = 409


class NotRevealed(CoupleError):
    """Reacting to an answer that is still hidden."""

    code = "not_revealed"
    http_status = 409


class Conflict(CoupleError):
    """A concurrent request changed the same thing first; trying again is safe."""

    code = "conflict"
    http_status = 409


class HeldForSafety(CoupleError):
    """Text meant for the partner that the safety screen flagged: it is not shared or saved.

    The message is the reviewed safety reply, shown only to the writer.
    """

    code = "held_for_safety"
    http_status = 422


class UnknownCoupleItem(CoupleError, UnknownItem):
    code = "not_found"
    http_status = 404


class SharedDuplicateCheckIn(CoupleError, DuplicateCheckIn):
    code = "duplicate_check_in"
    http_status = 409
