"""The speak step's small interface: a backend streams reply text for a request."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from amante.content.schema import TechniqueCard
from amante.engine.types import Analysis, Conversation, Plan


@dataclass
class SpeakRequest:
    """Everything a backend may use: the plan, the cards, and the composer's draft reply."""

    conversation: Conversation
    text: str
    analysis: Analysis
    plan: Plan
    cards: list[TechniqueCard] = field(default_factory=list)
    draft: str = ""


class BackendError(RuntimeError):
    """The backend failed (timeout, connection, malformed answer); the composer answers instead."""


class Backend(Protocol):
    """Writes the reply. The built-in one returns the composer's draft; LLM ones rephrase it."""

    name: str

    def stream(self, request: SpeakRequest) -> Iterator[str]: ...
