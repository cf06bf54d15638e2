"""Plain data passed between the pipeline steps: no I/O, no framework types."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SafetyLevel = Literal["none", "elevated", "crisis"]
Phase = Literal["explore", "comfort", "act"]
Strategy = Literal[
    "question", "restatement", "reflection", "affirmation", "suggestion", "information"
]
Mode = Literal["normal", "support_only", "safety_first"]
Intent = Literal["vent", "advice", "tool", "product", "smalltalk"]

SAFETY_LEVELS: tuple[SafetyLevel, ...] = ("none", "elevated", "crisis")


@dataclass(frozen=True)
class Label:
    """A label the engine believes, with a score in [0, 1]."""

    label: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Finding:
    """A detected pattern with the exact span of text that showed it."""

    label: str
    evidence: str
    start: int = -1
    end: int = -1

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class SafetyResult:
    """What the safety screen found in one message."""

    level: SafetyLevel = "none"
    categories: list[str] = field(default_factory=list)
    evidence: list[Finding] = field(default_factory=list)
    refuse: bool = False

    @property
    def flagged(self) -> bool:
        return self.level != "none" or self.refuse

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "categories": list(self.categories), "refuse": self.refuse}


@dataclass(frozen=True)
class SafetyContext:
    """What the screen may know about the conversation so far (newest last)."""

    previous_user_texts: tuple[str, ...] = ()
    previous_levels: tuple[SafetyLevel, ...] = ()
    previous_categories: tuple[str, ...] = ()
    region: str = "INTL"


@dataclass(frozen=True)
class Fact:
    """Something learned about the user's life, e.g. ("partner_name", "Sam")."""

    key: str
    value: str
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "value": self.value}


@dataclass
class Analysis:
    """Everything the understand step found in one message."""

    emotions: list[Label] = field(default_factory=list)
    topics: list[Label] = field(default_factory=list)
    horsemen: list[Finding] = field(default_factory=list)
    repairs: list[Finding] = field(default_factory=list)
    intent: Intent = "vent"
    needs: list[Label] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    @property
    def top_emotion(self) -> str | None:
        non_neutral = [e for e in self.emotions if e.label != "neutral"]
        return non_neutral[0].label if non_neutral else None

    @property
    def top_topic(self) -> str | None:
        return self.topics[0].label if self.topics else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "emotions": [e.to_dict() for e in self.emotions],
            "topics": [t.to_dict() for t in self.topics],
            "horsemen": [{"label": h.label, "evidence": h.evidence} for h in self.horsemen],
            "repairs": [{"label": r.label, "evidence": r.evidence} for r in self.repairs],
            "intent": self.intent,
            "needs": [n.to_dict() for n in self.needs],
            "facts": [f.to_dict() for f in self.facts],
        }


@dataclass
class Profile:
    """What the user chose to tell the coach about themselves."""

    name: str | None = None
    pronouns: str | None = None
    partner_name: str | None = None
    partner_pronouns: str | None = None
    relationship_stage: str | None = None
    relationship_length: str | None = None
    goals: list[str] = field(default_factory=list)
    context: str | None = None
    region: str = "INTL"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PastTurn:
    """One earlier message in a conversation."""

    role: Literal["user", "coach"]
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class ConversationState:
    """Per-conversation memory the coach keeps between turns."""

    turn_count: int = 0
    mode: Mode = "normal"
    flags: list[str] = field(default_factory=list)
    used_openings: list[str] = field(default_factory=list)
    used_snippets: list[str] = field(default_factory=list)
    used_techniques: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    started_at: float = 0.0
    disclosed_at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ConversationState:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class Conversation:
    """Everything the coach remembers when it answers: the remember step's input."""

    id: str
    profile: Profile = field(default_factory=Profile)
    facts: list[Fact] = field(default_factory=list)
    history: list[PastTurn] = field(default_factory=list)
    state: ConversationState = field(default_factory=ConversationState)
    earlier_summary: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TechniqueRef:
    """A technique the reply used, with the work it rests on."""

    id: str
    title: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "source": self.source}


@dataclass
class Plan:
    """The plan step's decision: where the conversation is and how to help now."""

    phase: Phase = "explore"
    strategy: Strategy = "reflection"
    mode: Mode = "normal"
    ask_for: str | None = None
    suggest_tool: str | None = None
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Turn:
    """One user message and the coach's answer, with why it answered so."""

    conversation_id: str
    text: str
    reply: str
    safety: SafetyResult
    analysis: Analysis
    plan: Plan
    techniques: list[TechniqueRef] = field(default_factory=list)
    backend: str = "builtin"
    events: list[str] = field(default_factory=list)
    new_facts: list[Fact] = field(default_factory=list)
    state: ConversationState = field(default_factory=ConversationState)

    @property
    def strategy(self) -> str:
        return self.plan.strategy
