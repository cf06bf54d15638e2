"""Self-assessments: the catalogue, taking one, your results over time and a trend chart."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from amante.tools import assessments as tool
from amante.tools.errors import ToolError
from amante.tools.schemas import Assessment
from amante.web.api.tool_schemas import READ_ERRORS, WRITE_ERRORS, tool_error
from amante.web.deps import AuthDep
from amante.web.errors import ApiError

router = APIRouter(prefix="/assessments", tags=["assessments"])
SVG = {
    "content": {"image/svg+xml": {"schema": {"type": "string"}}},
    "description": "An SVG line chart.",
}


class OptionOut(BaseModel):
    value: int
    label: str


class ItemOut(BaseModel):
    id: str
    text: str
    options: list[OptionOut]


class SourceOut(BaseModel):
    author: str
    year: int
    title: str


class AssessmentSummaryOut(BaseModel):
    id: str
    title: str
    kind: str = Field(description="original (written for amante) or validated (published)")
    intro: str
    items: int
    higher_is: str
    citation: str


class AssessmentOut(BaseModel):
    id: str
    title: str
    kind: str
    intro: str
    higher_is: str
    min_score: int
    max_score: int
    cutoff: float | None
    cutoff_note: str | None
    licence: str
    citation: str
    sources: list[SourceOut]
    items: list[ItemOut]


class NextStepOut(BaseModel):
    kind: str = Field(description="ritual, technique or professional")
    id: str | None
    why: str
    title: str | None


class SubscaleOut(BaseModel):
    id: str
    label: str
    score: int
    max: int


class ScoreOut(BaseModel):
    assessment_id: str
    total: int
    min: int
    max: int
    band: str
    label: str
    summary: str
    next_steps: list[NextStepOut]
    below_cutoff: bool | None
    subscales: list[SubscaleOut]


class ResultOut(BaseModel):
    id: int
    assessment_id: str
    taken_at: datetime
    answers: dict[str, int]
    score: ScoreOut


class AnswersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, StrictInt] | list[StrictInt] = Field(
        description="Item id -> value, or a list of values in item order.",
        max_length=100,
    )


def summary_json(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "kind": a.kind,
        "intro": a.intro.strip(),
        "items": len(a.items),
        "higher_is": a.higher_is,
        "citation": a.citation(),
    }


def assessment_json(a: Assessment) -> dict[str, Any]:
    lo, hi = a.score_range
    return {
        "id": a.id,
        "title": a.title,
        "kind": a.kind,
        "intro": a.intro.strip(),
        "higher_is": a.higher_is,
        "min_score": lo,
        "max_score": hi,
        "cutoff": a.cutoff,
        "cutoff_note": a.cutoff_note,
        "licence": a.licence,
        "citation": a.citation(),
        "sources": [s.model_dump() for s in a.sources],
        "items": [
            {"id": i.id, "text": i.text, "options": [o.model_dump() for o in a.scales[i.scale]]}
            for i in a.items
        ],
    }


def result_json(r: tool.AssessmentOutcome) -> dict[str, Any]:
    return {
        "id": r.id,
        "assessment_id": r.assessment_id,
        "taken_at": r.taken_at,
        "answers": r.answers,
        "score": r.score.to_dict(),
    }


def _assessment(assessment_id: str) -> Assessment:
    try:
        return tool.get_assessment(assessment_id)
    except ToolError as exc:
        raise tool_error(exc) from None


@router.get("", response_model=list[AssessmentSummaryOut], responses=READ_ERRORS)
def list_assessments(auth: AuthDep) -> list[dict[str, Any]]:
    """The self-assessments you can take."""
    return [summary_json(a) for a in tool.list_assessments()]


@router.get("/{assessment_id}", response_model=AssessmentOut, responses=READ_ERRORS)
def get_assessment(assessment_id: str, auth: AuthDep) -> dict[str, Any]:
    """One assessment with its items and answer options."""
    return assessment_json(_assessment(assessment_id))


@router.post(
    "/{assessment_id}/results", status_code=201, response_model=ResultOut, responses=WRITE_ERRORS
)
def submit(assessment_id: str, body: AnswersIn, auth: AuthDep, request: Request) -> dict:
    """Score your answers and keep the result; nothing is saved if any answer is wrong."""
    _assessment(assessment_id)
    try:
        with request.app.state.db.session() as s:
            outcome = tool.submit(s, auth.user.id, assessment_id, body.answers)
    except ToolError as exc:
        raise tool_error(exc, "answers") from None
    return result_json(outcome)


@router.get("/{assessment_id}/results", response_model=list[ResultOut], responses=READ_ERRORS)
def results(assessment_id: str, auth: AuthDep, request: Request) -> list[dict]:
    """Your results on one assessment, oldest first."""
    _assessment(assessment_id)
    with request.app.state.db.session() as s:
        return [result_json(r) for r in tool.history(s, auth.user.id, assessment_id)]


@router.get("/{assessment_id}/results/{result_id}", response_model=ResultOut, responses=READ_ERRORS)
def result(
    assessment_id: str,
    auth: AuthDep,
    request: Request,
    result_id: int = Path(ge=1, le=2**31 - 1),
) -> dict:
    """One of your results."""
    _assessment(assessment_id)
    with request.app.state.db.session() as s:
        found = [r for r in tool.history(s, auth.user.id, assessment_id) if r.id == result_id]
    if not found:
        raise ApiError(404, "not_found", f"no result {result_id} for {assessment_id}")
    return result_json(found[0])


@router.get(
    "/{assessment_id}/trend.svg", response_class=Response, responses={200: SVG, **READ_ERRORS}
)
def trend(assessment_id: str, auth: AuthDep, request: Request) -> Response:
    """Your scores on one assessment over time, as an SVG chart."""
    _assessment(assessment_id)
    with request.app.state.db.session() as s:
        svg = tool.trend_svg(s, auth.user.id, assessment_id)
    return Response(svg, media_type="image/svg+xml")
