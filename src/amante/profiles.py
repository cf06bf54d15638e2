"""Validation for the profile a user gives the coach (CLI, files and, later, the API)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from amante.engine.types import Profile

STAGES = (
    "single",
    "dating",
    "exclusive",
    "living together",
    "engaged",
    "married",
    "long distance",
    "separated",
    "divorced",
    "widowed",
    "it's complicated",
)
REGIONS = ("US", "CA", "UK", "IE", "AU", "NZ", "IN", "INTL")


class ProfileError(ValueError):
    """A profile field has the wrong type or value."""


class ProfileModel(BaseModel):
    """Every field is optional; unknown fields and wrong types are refused with a clear message."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, max_length=60)
    pronouns: str | None = Field(default=None, max_length=30)
    partner_name: str | None = Field(default=None, max_length=60)
    partner_pronouns: str | None = Field(default=None, max_length=30)
    relationship_stage: str | None = None
    relationship_length: str | None = Field(default=None, max_length=40)
    goals: list[str] = Field(default_factory=list, max_length=10)
    context: str | None = Field(default=None, max_length=500)
    region: str = "INTL"

    @field_validator("relationship_stage")
    @classmethod
    def _stage(cls, v: str | None) -> str | None:
        if v is not None and v.lower() not in STAGES:
            raise ValueError(f"must be one of: {', '.join(STAGES)}")
        return v.lower() if v else v

    @field_validator("region")
    @classmethod
    def _region(cls, v: str) -> str:
        code = v.upper()
        if code == "GB":
            code = "UK"
        if code not in REGIONS:
            raise ValueError(f"must be one of: {', '.join(REGIONS)}")
        return code

    @field_validator("goals")
    @classmethod
    def _goals(cls, v: list[str]) -> list[str]:
        if any(len(g) > 200 for g in v):
            raise ValueError("each goal must be at most 200 characters")
        return [g.strip() for g in v if g.strip()]


def validate_profile(data: dict[str, Any]) -> Profile:
    """A Profile from raw data, or ProfileError naming each bad field."""
    try:
        model = ProfileModel.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'profile'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ProfileError(f"invalid profile: {problems}") from None
    return Profile(**model.model_dump())


def update_profile(current: Profile, changes: dict[str, Any]) -> Profile:
    """Apply changes to a profile, validating the result as a whole."""
    merged = {**current.to_dict(), **changes}
    return validate_profile(merged)
