"""Request and response bodies of the JSON API (unknown fields are refused)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from amante.engine.errors import MAX_MESSAGE_CHARS


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Credentials(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class UserOut(BaseModel):
    id: str
    username: str


class SignedIn(BaseModel):
    user: UserOut
    csrf_token: str = Field(
        description="Send as X-CSRF-Token on unsafe requests made with the cookie."
    )


class ConversationOut(BaseModel):
    id: str
    title: str
    created_at: str
    updated_at: str


class TechniqueOut(BaseModel):
    id: str
    title: str
    source: str


class MessageOut(BaseModel):
    id: int
    role: Literal["user", "coach"]
    text: str
    created_at: str
    techniques: list[TechniqueOut] | None = None


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]


class MessageIn(Strict):
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)


class SafetyOut(BaseModel):
    level: Literal["none", "elevated", "crisis"]
    categories: list[str]
    refuse: bool


class ReplyOut(BaseModel):
    conversation: str
    reply: str
    safety: SafetyOut
    strategy: str
    techniques: list[TechniqueOut]


class ProfileIn(Strict):
    name: str | None = Field(default=None, max_length=60)
    pronouns: str | None = Field(default=None, max_length=30)
    partner_name: str | None = Field(default=None, max_length=60)
    partner_pronouns: str | None = Field(default=None, max_length=30)
    relationship_stage: str | None = Field(default=None, max_length=40)
    relationship_length: str | None = Field(default=None, max_length=40)
    goals: list[str] | None = Field(default=None, max_length=10)
    context: str | None = Field(default=None, max_length=500)
    region: str | None = Field(default=None, max_length=8)


class ProfileOut(BaseModel):
    name: str | None
    pronouns: str | None
    partner_name: str | None
    partner_pronouns: str | None
    relationship_stage: str | None
    relationship_length: str | None
    goals: list[str]
    context: str | None
    region: str
    facts: list[dict[str, str]]


class TokenIn(Strict):
    name: str = Field(min_length=1, max_length=80)


class TokenOut(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: str
    last_used_at: str | None
    revoked: bool


class NewTokenOut(TokenOut):
    token: str = Field(description="Shown once; store it safely.")


class ErrorOut(BaseModel):
    code: str
    message: str
