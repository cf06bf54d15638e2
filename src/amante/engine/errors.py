"""Errors a user can cause, each with a message that says what to do."""

from __future__ import annotations

MAX_MESSAGE_CHARS = 8000


class InputError(ValueError):
    """The message cannot be coached as given (empty, too long, not text)."""


def clean_message(text: object) -> str:
    """Return the message stripped, or raise InputError with a specific reason."""
    if not isinstance(text, str):
        raise InputError(f"message must be text, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise InputError("message is empty: write what is on your mind")
    if len(stripped) > MAX_MESSAGE_CHARS:
        raise InputError(
            f"message is {len(stripped)} characters; the limit is {MAX_MESSAGE_CHARS}. "
            "Split it into shorter messages."
        )
    if "\x00" in stripped:
        raise InputError("message contains a NUL character; send plain text")
    return stripped
