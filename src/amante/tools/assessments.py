"""Self-assessments: validate answers, score, interpret with next steps, keep history, chart.

Scoring is a plain sum of item values (reverse-keyed items flipped), read through the
assessment's bands. The interpretation is coaching guidance, not a diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amante.tools import content
from amante.tools.charts import Point, Series, line_chart
from amante.tools.errors import InvalidAnswers, UnknownItem
from amante.tools.schemas import Assessment, NextStep

__all__ = [
    "AssessmentOutcome",
    "Score",
    "get_assessment",
    "history",
    "list_assessments",
    "score_answers",
    "submit",
    "trend_svg",
]


@dataclass
class SubscaleScore:
    id: str
    label: str
    score: int
    max: int


@dataclass
class Score:
    """A scored answer set: total, band, and what to do next."""

    assessment_id: str
    total: int
    min: int
    max: int
    band: str
    label: str
    summary: str
    next_steps: list[dict[str, Any]]
    below_cutoff: bool | None = None
    subscales: list[SubscaleScore] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AssessmentOutcome:
    """A stored result."""

    id: int
    assessment_id: str
    taken_at: datetime
    answers: dict[str, int]
    score: Score

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "assessment_id": self.assessment_id,
                "taken_at": self.taken_at.isoformat(), "answers": self.answers,
                "score": self.score.to_dict()}


def list_assessments() -> list[Assessment]:
    return list(content.assessments().values())


def get_assessment(assessment_id: str) -> Assessment:
    found = content.assessments().get(assessment_id)
    if found is None:
        known = ", ".join(content.assessments())
        raise UnknownItem(f"unknown assessment {assessment_id!r}; choose one of: {known}")
    return found


def normalise_answers(
    assessment: Assessment, answers: Mapping[str, Any] | Sequence[Any]
) -> dict[str, int]:
    """Answers by item id, checked: every item answered, integers, within the item's scale.

    A list is read in item order. All problems are reported at once.
    """
    items = assessment.items
    if isinstance(answers, Mapping):
        given = dict(answers)
    elif isinstance(answers, Sequence) and not isinstance(answers, str | bytes):
        if len(answers) > len(items):
            raise InvalidAnswers(
                f"{assessment.id} has {len(items)} items but {len(answers)} answers were given"
            )
        given = {item.id: value for item, value in zip(items, answers, strict=False)}
    else:
        raise InvalidAnswers(
            "answers must be a list in item order or a mapping of item id to value"
        )
    problems: list[str] = []
    unknown = sorted(set(given) - {i.id for i in items})
    if unknown:
        problems.append(f"unknown items {', '.join(unknown)}")
    missing = [i.id for i in items if i.id not in given or given[i.id] is None]
    if missing:
        problems.append(f"missing answers for {', '.join(missing)} "
                        f"({len(missing)} of {len(items)} unanswered)")
    clean: dict[str, int] = {}
    for item in items:
        if item.id not in given or given[item.id] is None:
            continue
        raw = given[item.id]
        lo, hi = assessment.item_range(item)
        value: int | None
        if isinstance(raw, bool):
            value = None
        elif isinstance(raw, int):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        elif isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
            value = int(raw.strip())
        else:
            value = None
        if value is None:
            problems.append(f"{item.id}: {raw!r} is not a whole number between {lo} and {hi}")
        elif not lo <= value <= hi:
            problems.append(f"{item.id}: {value} is out of range {lo}-{hi}")
        else:
            clean[item.id] = value
    if problems:
        raise InvalidAnswers(f"{assessment.id}: " + "; ".join(problems))
    return clean


def _steps(steps: Sequence[NextStep]) -> list[dict[str, Any]]:
    out = []
    for s in steps:
        entry: dict[str, Any] = {"kind": s.kind, "id": s.id, "why": s.why}
        if s.kind == "ritual" and s.id in content.rituals():
            entry["title"] = content.rituals()[s.id].title
        elif s.kind == "technique":
            entry["title"] = _technique_title(s.id or "")
        else:
            entry["title"] = "Talk to a licensed professional"
        out.append(entry)
    return out


def _technique_title(card_id: str) -> str | None:
    from amante.content.library import load_cards

    for card in load_cards():
        if card.id == card_id:
            return card.title
    return None


def score_answers(assessment_id: str, answers: Mapping[str, Any] | Sequence[Any]) -> Score:
    """Score one answer set (validated first; raises InvalidAnswers with every problem)."""
    assessment = get_assessment(assessment_id)
    clean = normalise_answers(assessment, answers)
    values: dict[str, int] = {}
    for item in assessment.items:
        lo, hi = assessment.item_range(item)
        v = clean[item.id]
        values[item.id] = lo + hi - v if item.reverse else v
    total = sum(values.values())
    lo, hi = assessment.score_range
    band = next(b for b in assessment.bands if b.min <= total <= b.max)
    steps = list(band.next_steps)
    subs: list[SubscaleScore] = []
    for sub in assessment.subscales:
        s_max = sum(assessment.item_range(i)[1] for i in assessment.items if i.id in sub.items)
        subs.append(SubscaleScore(sub.id, sub.label, sum(values[i] for i in sub.items), s_max))
    # The strongest subscale's own step comes first when it is high (half its maximum or more).
    ranked = sorted(
        zip(assessment.subscales, subs, strict=True),
        key=lambda pair: pair[1].score / max(pair[1].max, 1),
        reverse=assessment.higher_is == "worse",
    )
    for sub_def, sub in ranked:
        ratio = sub.score / max(sub.max, 1)
        worrying = ratio >= 0.5 if assessment.higher_is == "worse" else ratio < 0.5
        if worrying and sub_def.next_step and sub_def.next_step not in steps:
            steps.insert(0, sub_def.next_step)
            break
    below = None if assessment.cutoff is None else total < assessment.cutoff
    return Score(assessment.id, total, lo, hi, band.id, band.label, band.summary.strip(),
                 _steps(steps), below, subs)


def submit(
    session: Session,
    user_id: str,
    assessment_id: str,
    answers: Mapping[str, Any] | Sequence[Any],
    taken_at: datetime | None = None,
) -> AssessmentOutcome:
    """Score and store one result; nothing is stored when the answers are invalid."""
    from amante.store.tool_models import AssessmentResult

    assessment = get_assessment(assessment_id)
    clean = normalise_answers(assessment, answers)
    score = score_answers(assessment_id, clean)
    row = AssessmentResult(user_id=user_id, assessment_id=assessment_id, answers=clean,
                           result=score.to_dict(), taken_at=taken_at or datetime.now(UTC))
    session.add(row)
    session.flush()
    return _outcome(row)


def _outcome(row: Any) -> AssessmentOutcome:
    data = dict(row.result)
    data["subscales"] = [SubscaleScore(**s) for s in data.get("subscales", [])]
    taken = row.taken_at if row.taken_at.tzinfo else row.taken_at.replace(tzinfo=UTC)
    return AssessmentOutcome(row.id, row.assessment_id, taken, dict(row.answers), Score(**data))


def history(
    session: Session, user_id: str, assessment_id: str | None = None
) -> list[AssessmentOutcome]:
    """This user's results, oldest first (one assessment when an id is given)."""
    from amante.store.tool_models import AssessmentResult

    query = select(AssessmentResult).where(AssessmentResult.user_id == user_id)
    if assessment_id is not None:
        get_assessment(assessment_id)
        query = query.where(AssessmentResult.assessment_id == assessment_id)
    rows = session.scalars(query.order_by(AssessmentResult.taken_at, AssessmentResult.id))
    return [_outcome(r) for r in rows]


def trend_svg(session: Session, user_id: str, assessment_id: str) -> str:
    """An SVG line chart of this user's totals on one assessment over time."""
    assessment = get_assessment(assessment_id)
    results = history(session, user_id, assessment_id)
    lo, hi = assessment.score_range
    points = [Point(r.taken_at, r.score.total, r.score.label) for r in results]
    note = "higher is better" if assessment.higher_is == "better" else "lower is better"
    return line_chart(
        f"{assessment.title}: your scores over time ({note})",
        [Series("score", points)],
        lo, hi,
        y_label="score",
        reference=assessment.cutoff,
        reference_label=f"cut-off {assessment.cutoff}" if assessment.cutoff is not None else "",
    )
