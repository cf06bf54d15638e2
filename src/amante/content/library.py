"""Load and validate the content library (data files, not code) and pick cards from it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from amante.content.schema import TechniqueCard

CONTENT_DIR = Path(__file__).resolve().parent


class ContentError(ValueError):
    """A content file is missing, unreadable or does not match its schema."""


def _load_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ContentError(f"{path.name}: cannot read: {exc}") from exc


def load_cards(folder: Path | None = None) -> list[TechniqueCard]:
    """Read every technique card in `folder`, validating each against the schema."""
    folder = folder or CONTENT_DIR / "techniques"
    cards: list[TechniqueCard] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        data = _load_yaml(path)
        try:
            card = TechniqueCard.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'card'}: {e['msg']}" for e in exc.errors()
            )
            raise ContentError(f"{path.name}: {problems}") from None
        if card.id != path.stem:
            raise ContentError(f"{path.name}: id {card.id!r} must match the file name")
        if card.id in seen:
            raise ContentError(f"{path.name}: duplicate id {card.id!r}")
        seen.add(card.id)
        cards.append(card)
    if not cards:
        raise ContentError(f"no technique cards found in {folder}")
    return cards


@dataclass(frozen=True)
class CardQuery:
    """What the ground step knows when it picks cards."""

    topics: Sequence[str] = ()
    horsemen: Sequence[str] = ()
    needs: Sequence[str] = ()
    phase: str = "act"
    unsafe: bool = False
    exclude: Iterable[str] = ()


class Library:
    """The validated technique cards with a small, explainable ranking."""

    def __init__(self, cards: Sequence[TechniqueCard]) -> None:
        self.cards = list(cards)
        self.by_id = {c.id: c for c in self.cards}

    def get(self, card_id: str) -> TechniqueCard:
        return self.by_id[card_id]

    def score(self, card: TechniqueCard, q: CardQuery) -> float:
        """What the message is about first, then the Horseman it shows, needs and phase fit.

        A Horseman in a message is often the partner's, reported by the user; the topic says
        more about which practice will help, so it weighs most.
        """
        score = 0.0
        for rank, topic in enumerate(q.topics):
            if topic in card.topics:
                score += 3.0 / (1 + rank)
        for h in q.horsemen:
            if h in card.horsemen:
                score += 1.5
        score += 0.5 * len(set(q.needs) & set(card.needs))
        if q.phase in card.phases:
            score += 0.5
        return score

    def pick(self, q: CardQuery, k: int = 2) -> list[TechniqueCard]:
        """The k best cards for the query; only safe_when_unsafe cards when the user is unsafe."""
        excluded = set(q.exclude)
        pool = [
            c for c in self.cards if c.id not in excluded and (c.safe_when_unsafe or not q.unsafe)
        ]
        ranked = sorted(pool, key=lambda c: (-self.score(c, q), c.id))
        chosen = [c for c in ranked if self.score(c, q) > 0.5][:k]
        if not chosen and excluded:
            return self.pick(CardQuery(q.topics, q.horsemen, q.needs, q.phase, q.unsafe), k)
        return chosen


@cache
def default_library() -> Library:
    """The packaged library, loaded and validated once per process."""
    return Library(load_cards())
