"""Backend error kinds: what failed decides whether a retry can help and what the user is told.

All are `BackendError`s, so a caller that only knows the engine's error type still falls back to
the composer on any of them.
"""

from __future__ import annotations

from amante.engine.speak import BackendError

__all__ = [
    "BackendConfigError",
    "BackendError",
    "CircuitOpen",
    "ReplyTruncated",
    "TransientBackendError",
    "is_transient",
]


class BackendConfigError(BackendError):
    """The backend cannot work as configured (missing model, package, URL): retrying won't help."""


class TransientBackendError(BackendError):
    """A failure that may pass on its own (connection refused, timeout, 429, 5xx): worth a retry."""


class CircuitOpen(BackendError):
    """The backend failed repeatedly and is skipped for a while, so requests fail fast."""


class ReplyTruncated(BackendError):
    """The model hit max_tokens mid-reply. `text` is everything streamed; `complete` ends at the
    last full sentence, which a caller may keep instead of falling back."""

    def __init__(self, message: str, text: str, complete: str) -> None:
        super().__init__(message)
        self.text = text
        self.complete = complete


def is_transient(error: BaseException) -> bool:
    """Can a retry (before any token was shown) plausibly succeed?"""
    return isinstance(error, TransientBackendError)
