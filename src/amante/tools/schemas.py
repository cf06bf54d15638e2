"""Schemas for the coaching tools' content: starters, the closeness session, rituals,
assessments and the feelings vocabulary. Validated at load (`amante.tools.content`) and in tests.
"""

from __future__ import annotations

import itertools
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from amante.content.schema import Source

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

Depth = Literal["light", "deeper", "vulnerable"]
Theme = Literal[
    "appreciation", "dreams", "childhood", "conflict_repair", "intimacy", "fun", "future"
]
Stage = Literal["dating", "committed", "long_term", "any"]
Frequency = Literal["daily", "weekly", "monthly"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EKMAN_FAMILIES: tuple[str, ...] = (
    "anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------ conversation starters
class Starter(_Strict):
    """One original conversation prompt."""

    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=10, max_length=240)
    depth: Depth
    theme: Theme
    stages: list[Stage] = Field(min_length=1)
    source: str = Field(min_length=2)

    def fits(self, stage: str | None) -> bool:
        """True when the prompt suits this relationship stage ("any" suits every stage)."""
        return stage is None or stage == "any" or "any" in self.stages or stage in self.stages


class StarterFile(_Strict):
    """starters.yaml: a table of sources and the prompts that cite them by key."""

    sources: dict[str, Source]
    starters: list[Starter] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> StarterFile:
        ids = [s.id for s in self.starters]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate starter ids: {dupes}")
        missing = sorted({s.source for s in self.starters} - set(self.sources))
        if missing:
            raise ValueError(f"starters cite unknown source keys: {missing}")
        return self


class SessionSet(_Strict):
    title: str = Field(min_length=3)
    intro: str = Field(min_length=10)
    questions: list[str] = Field(min_length=12, max_length=12)


class ClosenessSession(_Strict):
    """An escalating self-disclosure session in three sets of twelve (after Aron et al., 1997)."""

    id: str = Field(pattern=ID_PATTERN)
    title: str
    intro: str = Field(min_length=20)
    closing: str = Field(min_length=10)
    sets: list[SessionSet] = Field(min_length=3, max_length=3)
    sources: list[Source] = Field(min_length=1)

    @property
    def total(self) -> int:
        return sum(len(s.questions) for s in self.sets)


# ------------------------------------------------------------------ rituals
class Cadence(_Strict):
    """A default schedule a ritual suggests; the user's plan may change it."""

    frequency: Frequency
    weekdays: list[str] = Field(default_factory=list)
    day_of_month: int | None = None
    time: str = "20:00"

    @field_validator("weekdays")
    @classmethod
    def _days(cls, v: list[str]) -> list[str]:
        bad = [d for d in v if d not in WEEKDAYS]
        if bad:
            raise ValueError(f"unknown weekdays {bad}; use {', '.join(WEEKDAYS)}")
        return v

    @field_validator("time")
    @classmethod
    def _time(cls, v: str) -> str:
        if not _TIME.match(v):
            raise ValueError(f"time {v!r} must be HH:MM (24-hour)")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Cadence:
        if self.frequency == "weekly" and not self.weekdays:
            raise ValueError("a weekly cadence needs weekdays")
        if self.frequency == "monthly" and self.day_of_month is None:
            raise ValueError("a monthly cadence needs day_of_month")
        if self.day_of_month is not None and not (
            1 <= self.day_of_month <= 28 or self.day_of_month == -1
        ):
            raise ValueError("day_of_month must be 1-28 or -1 (the last day)")
        return self


class Ritual(_Strict):
    """A small repeated practice of connection, with how to do it and where it comes from."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3, max_length=80)
    description: str = Field(min_length=30, max_length=500)
    cadence: Cadence
    duration_minutes: int = Field(ge=1, le=240)
    steps: list[str] = Field(min_length=2, max_length=8)
    technique: str | None = Field(default=None, pattern=ID_PATTERN)
    sources: list[Source] = Field(min_length=1)

    def citation(self) -> str:
        return "; ".join(s.short() for s in self.sources)


class RitualFile(_Strict):
    rituals: list[Ritual] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> RitualFile:
        ids = [r.id for r in self.rituals]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate ritual ids: {dupes}")
        return self


# ------------------------------------------------------------------ assessments
class Option(_Strict):
    value: int
    label: str = Field(min_length=1)


class Item(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str = Field(min_length=5)
    scale: str
    reverse: bool = False


class NextStep(_Strict):
    """Where to go after a result: a ritual, a technique card, or a licensed professional."""

    kind: Literal["ritual", "technique", "professional"]
    id: str | None = None
    why: str = Field(min_length=10)

    @model_validator(mode="after")
    def _id_needed(self) -> NextStep:
        if self.kind != "professional" and not self.id:
            raise ValueError(f"a {self.kind} next step needs an id")
        return self


class Band(_Strict):
    """A score range (inclusive) with its plain-language meaning and next steps."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    min: int
    max: int
    label: str = Field(min_length=3)
    summary: str = Field(min_length=20)
    next_steps: list[NextStep] = Field(min_length=1)


class Subscale(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str
    items: list[str] = Field(min_length=1)
    next_step: NextStep | None = None


class Assessment(_Strict):
    """A self-check: items on named scales, summed, read through bands."""

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3)
    kind: Literal["original", "validated"]
    intro: str = Field(min_length=20)
    scales: dict[str, list[Option]]
    items: list[Item] = Field(min_length=3)
    subscales: list[Subscale] = Field(default_factory=list)
    bands: list[Band] = Field(min_length=2)
    higher_is: Literal["better", "worse"]
    cutoff: float | None = None
    cutoff_note: str | None = None
    sources: list[Source] = Field(min_length=1)
    licence: str = Field(min_length=10)

    @model_validator(mode="after")
    def _check(self) -> Assessment:
        for name, options in self.scales.items():
            values = [o.value for o in options]
            if values != list(range(min(values), max(values) + 1)):
                raise ValueError(f"scale {name!r} values must be consecutive integers")
        ids = [i.id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate item ids")
        for item in self.items:
            if item.scale not in self.scales:
                raise ValueError(f"item {item.id!r} uses unknown scale {item.scale!r}")
        for sub in self.subscales:
            unknown = sorted(set(sub.items) - set(ids))
            if unknown:
                raise ValueError(f"subscale {sub.id!r} names unknown items {unknown}")
        lo, hi = self.score_range
        bands = sorted(self.bands, key=lambda b: b.min)
        if bands[0].min != lo or bands[-1].max != hi:
            raise ValueError(f"bands must cover the whole score range {lo}-{hi}")
        for a, b in itertools.pairwise(bands):
            if b.min != a.max + 1:
                raise ValueError(f"bands {a.id!r} and {b.id!r} leave a gap or overlap")
        if self.cutoff is not None and not (lo <= self.cutoff <= hi):
            raise ValueError("cutoff lies outside the score range")
        return self

    def item_range(self, item: Item) -> tuple[int, int]:
        values = [o.value for o in self.scales[item.scale]]
        return min(values), max(values)

    @property
    def score_range(self) -> tuple[int, int]:
        ranges = [self.item_range(i) for i in self.items]
        return sum(r[0] for r in ranges), sum(r[1] for r in ranges)

    def citation(self) -> str:
        return "; ".join(s.short() for s in self.sources)


# ------------------------------------------------------------------ feelings vocabulary
class Feeling(_Strict):
    word: str = Field(pattern=r"^[a-z][a-z -]*[a-z]$")
    means: str = Field(min_length=8, max_length=140)


class FeelingFamily(_Strict):
    label: str
    about: str = Field(min_length=10)
    goemotions: list[str] = Field(min_length=1)
    feelings: list[Feeling] = Field(min_length=4)


class FeelingsFile(_Strict):
    families: dict[str, FeelingFamily]
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> FeelingsFile:
        if tuple(self.families) != EKMAN_FAMILIES:
            raise ValueError(f"families must be exactly {', '.join(EKMAN_FAMILIES)} in order")
        words = [f.word for fam in self.families.values() for f in fam.feelings]
        dupes = sorted({w for w in words if words.count(w) > 1})
        if dupes:
            raise ValueError(f"words listed twice: {dupes}")
        return self
