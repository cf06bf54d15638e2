"""The conflict rewriter: marks the Four Horsemen and blame in a draft, explains each, and
proposes a gentle start-up; a draft with threats or abuse gets a safety notice, never a rewrite.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from amante.tools import rewriter as tool
from amante.tools.errors import ToolError
from amante.web.api.tool_schemas import WRITE_ERRORS, SafetyNoticeOut, region_of, tool_error
from amante.web.deps import AuthDep

router = APIRouter(prefix="/rewrite", tags=["rewrite"])
DRAFT_LIMIT = tool.MAX_DRAFT_CHARS + 1000  # the tool checks the stripped draft precisely


class RewriteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft: str = Field(max_length=DRAFT_LIMIT, description="The message you want to send.")
    variant: int = Field(
        default=0,
        ge=0,
        le=1000,
        description="0 for the first wording; 1, 2, ... for another version.",
    )


class MarkOut(BaseModel):
    label: str = Field(
        description="criticism, contempt, defensiveness, stonewalling, blame, demand"
    )
    kind: str = Field(description="horseman or blame")
    start: int = Field(description="Offset of the span in `draft` (the trimmed draft).")
    end: int
    text: str
    explanation: str


class FactsOut(BaseModel):
    names: list[str]
    times: list[str]
    things: list[str]
    events: list[str]


class RewriteOut(BaseModel):
    draft: str
    marks: list[MarkOut]
    horsemen: list[str]
    rewrite: str | None = Field(description="None when the safety rules take over.")
    variant: int
    variants: int
    facts: FactsOut
    feeling: str | None
    need: str | None
    safety: SafetyNoticeOut | None
    notes: list[str]


def rewrite_json(result: tool.RewriteResult) -> dict[str, Any]:
    return result.to_dict()


@router.post("", response_model=RewriteOut, responses=WRITE_ERRORS)
def rewrite(body: RewriteIn, auth: AuthDep, request: Request) -> dict[str, Any]:
    """Mark a draft and suggest a gentle start-up; send a higher `variant` for another version.

    Nothing is stored.
    """
    try:
        result = tool.rewrite(body.draft, body.variant, region_of(request, auth.user.id))
    except ToolError as exc:
        raise tool_error(exc, "draft") from None
    return rewrite_json(result)
