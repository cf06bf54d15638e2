"""Conversation starters: draw one without repeats, keep favourites, and walk through an
escalating closeness session (three sets of twelve, after Aron et al., 1997).

No-repeat rule: among the prompts matching the filters, only those drawn the fewest times by
this user are eligible. So no prompt repeats until every matching prompt has been drawn, and
after that a second round starts, again without repeats. It holds across different filters.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from amante.store.tool_models import StarterDraw, StarterFavourite
from amante.tools import content
from amante.tools.errors import PoolExhausted, ToolError, UnknownItem
from amante.tools.schemas import Starter

__all__ = [
    "DEPTHS",
    "STAGES",
    "THEMES",
    "SessionStep",
    "add_favourite",
    "draw",
    "get_starter",
    "list_favourites",
    "list_starters",
    "matching",
    "remove_favourite",
    "reset_session",
    "session_step",
]

DEPTHS = ("light", "deeper", "vulnerable")
THEMES = ("appreciation", "dreams", "childhood", "conflict_repair", "intimacy", "fun", "future")
STAGES = ("dating", "committed", "long_term", "any")
SESSION_KIND = "session"


def list_starters() -> list[Starter]:
    return list(content.starters())


def get_starter(starter_id: str) -> Starter:
    for s in content.starters():
        if s.id == starter_id:
            return s
    raise UnknownItem(f"unknown conversation starter {starter_id!r}")


def _check(value: str | None, allowed: tuple[str, ...], what: str) -> None:
    if value is not None and value not in allowed:
        raise ToolError(f"unknown {what} {value!r}; choose one of: {', '.join(allowed)}")


def matching(
    depth: str | None = None, theme: str | None = None, stage: str | None = None
) -> list[Starter]:
    """Prompts that fit every given filter (None means any)."""
    _check(depth, DEPTHS, "depth")
    _check(theme, THEMES, "theme")
    _check(stage, STAGES, "stage")
    return [s for s in content.starters()
            if (depth is None or s.depth == depth)
            and (theme is None or s.theme == theme)
            and s.fits(stage)]


def draw(
    session: Session,
    user_id: str,
    *,
    depth: str | None = None,
    theme: str | None = None,
    stage: str | None = None,
    rng: random.Random | None = None,
) -> Starter:
    """Draw one prompt this user has not seen in the current round, and remember it."""
    pool = matching(depth, theme, stage)
    if not pool:
        raise PoolExhausted("no conversation starter matches those filters; try fewer filters")
    history = list(session.scalars(
        select(StarterDraw.starter_id)
        .where(StarterDraw.user_id == user_id, StarterDraw.kind == "starter")
        .order_by(StarterDraw.id)
    ))
    counts = Counter(history)
    fewest = min(counts.get(s.id, 0) for s in pool)
    eligible = [s for s in pool if counts.get(s.id, 0) == fewest]
    if len(eligible) > 1 and history:
        eligible = [s for s in eligible if s.id != history[-1]] or eligible
    choice = (rng or random.SystemRandom()).choice(eligible)
    session.add(StarterDraw(user_id=user_id, kind="starter", starter_id=choice.id,
                            drawn_at=datetime.now(UTC)))
    session.flush()
    return choice


def add_favourite(session: Session, user_id: str, starter_id: str) -> Starter:
    """Keep a prompt; adding one twice is harmless."""
    starter = get_starter(starter_id)
    exists = session.scalar(select(StarterFavourite).where(
        StarterFavourite.user_id == user_id, StarterFavourite.starter_id == starter_id))
    if exists is None:
        session.add(StarterFavourite(user_id=user_id, starter_id=starter_id,
                                     created_at=datetime.now(UTC)))
        session.flush()
    return starter


def remove_favourite(session: Session, user_id: str, starter_id: str) -> None:
    result = session.execute(delete(StarterFavourite).where(
        StarterFavourite.user_id == user_id, StarterFavourite.starter_id == starter_id))
    if not result.rowcount:
        raise UnknownItem(f"{starter_id!r} is not in your favourites")


def list_favourites(session: Session, user_id: str) -> list[Starter]:
    ids = session.scalars(select(StarterFavourite.starter_id)
                          .where(StarterFavourite.user_id == user_id)
                          .order_by(StarterFavourite.created_at, StarterFavourite.id))
    by_id = {s.id: s for s in content.starters()}
    return [by_id[i] for i in ids if i in by_id]


# ------------------------------------------------------------------ closeness session
@dataclass
class SessionStep:
    """One question of the escalating session, or the closing words when it is finished."""

    set_number: int
    set_title: str
    number: int
    total: int
    text: str
    set_intro: str | None
    finished: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"set_number": self.set_number, "set_title": self.set_title,
                "number": self.number, "total": self.total, "text": self.text,
                "set_intro": self.set_intro, "finished": self.finished}


def _step_key(set_index: int, q_index: int) -> str:
    return f"s{set_index + 1}-q{q_index + 1}"


def session_step(session: Session, user_id: str, advance: bool = True) -> SessionStep:
    """The user's next question in the closeness session (recorded when `advance`).

    Each set opens with its intro. After question 36 the closing words come back with
    `finished=True`; `reset_session` starts over.
    """
    cs = content.closeness_session()
    asked = set(session.scalars(select(StarterDraw.starter_id).where(
        StarterDraw.user_id == user_id, StarterDraw.kind == SESSION_KIND)))
    number = 0
    for si, qset in enumerate(cs.sets):
        for qi, question in enumerate(qset.questions):
            number += 1
            key = _step_key(si, qi)
            if key in asked:
                continue
            if advance:
                session.add(StarterDraw(user_id=user_id, kind=SESSION_KIND, starter_id=key,
                                        drawn_at=datetime.now(UTC)))
                session.flush()
            return SessionStep(si + 1, qset.title, number, cs.total, question,
                               qset.intro if qi == 0 else None)
    last = cs.sets[-1]
    return SessionStep(len(cs.sets), last.title, cs.total, cs.total, cs.closing.strip(), None,
                       finished=True)


def reset_session(session: Session, user_id: str) -> int:
    """Forget the user's progress through the closeness session."""
    result = session.execute(delete(StarterDraw).where(
        StarterDraw.user_id == user_id, StarterDraw.kind == SESSION_KIND))
    return result.rowcount or 0
