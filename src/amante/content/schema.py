"""Schemas for the content library: every item has an id, a real source, and its kind's fields."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

TOPICS: tuple[str, ...] = (
    "communication", "conflict", "emotional_distance", "trust_infidelity", "intimacy_sex",
    "jealousy_insecurity", "household_mental_load", "money", "family_in_laws", "parenting",
    "long_distance", "breakup_divorce", "dating_new_relationship", "commitment_future",
    "boundaries_overdependence", "digital_phubbing", "culture_religion", "lgbtq",
    "stress_life_transitions", "grief_loss", "self_worth", "mental_health", "abuse_safety",
)
HORSEMEN: tuple[str, ...] = ("criticism", "contempt", "defensiveness", "stonewalling")
NEEDS: tuple[str, ...] = ("heard", "appreciated", "safe", "close", "respected", "free")
PHASES: tuple[str, ...] = ("explore", "comfort", "act")


class Source(BaseModel):
    """A real, citable work (author, year, title)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    author: str = Field(min_length=3)
    year: int = Field(ge=1900, le=2030)
    title: str = Field(min_length=3)

    def short(self) -> str:
        return f"{self.author} ({self.year}). {self.title}"


class TechniqueCard(BaseModel):
    """One coaching technique: when to use it, how, and the work it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=3, max_length=80)
    family: Literal[
        "gottman", "eft", "attachment", "aron", "gable", "gratitude", "boundaries",
        "digital", "trust", "long_distance", "culture", "lgbtq", "somatic", "professional",
        "self", "communication", "rituals",
    ]
    topics: list[str] = Field(min_length=1)
    horsemen: list[str] = Field(default_factory=list)
    needs: list[str] = Field(default_factory=list)
    phases: list[str] = Field(min_length=1)
    safe_when_unsafe: bool = False
    summary: str = Field(min_length=20, max_length=300)
    when_to_use: str = Field(min_length=20, max_length=400)
    steps: list[str] = Field(min_length=2, max_length=7)
    example: str = Field(min_length=10, max_length=400)
    sources: list[Source] = Field(min_length=1)

    @field_validator("topics")
    @classmethod
    def _known_topics(cls, v: list[str]) -> list[str]:
        unknown = sorted(set(v) - set(TOPICS))
        if unknown:
            raise ValueError(f"unknown topics {unknown}; known: {', '.join(TOPICS)}")
        return v

    @field_validator("horsemen")
    @classmethod
    def _known_horsemen(cls, v: list[str]) -> list[str]:
        unknown = sorted(set(v) - set(HORSEMEN))
        if unknown:
            raise ValueError(f"unknown horsemen {unknown}")
        return v

    @field_validator("needs")
    @classmethod
    def _known_needs(cls, v: list[str]) -> list[str]:
        unknown = sorted(set(v) - set(NEEDS))
        if unknown:
            raise ValueError(f"unknown needs {unknown}")
        return v

    @field_validator("phases")
    @classmethod
    def _known_phases(cls, v: list[str]) -> list[str]:
        unknown = sorted(set(v) - set(PHASES))
        if unknown:
            raise ValueError(f"unknown phases {unknown}")
        return v

    def citation(self) -> str:
        return "; ".join(s.short() for s in self.sources)
