"""The built-in composer: a warm, specific reply from plan + cards + memory, with no model.

Phrases live in content/composer.yaml. Variety rules: no two consecutive replies open the same
way, and no phrase variant or technique is reused within one conversation while others remain.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from amante.content.library import CONTENT_DIR
from amante.content.schema import Source, TechniqueCard
from amante.engine.types import Analysis, Conversation, Plan

_SURNAME = re.compile(r"([A-Z][A-Za-z'\u00c0-\u017f-]+),\s+(?:[A-Z]\.\s?-?)+")


@cache
def phrase_bank() -> dict[str, Any]:
    """The composer's phrases, loaded once."""
    data = yaml.safe_load((CONTENT_DIR / "composer.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("composer.yaml must be a mapping")
    return data


def short_source(source: Source) -> str:
    """'Gottman & Silver, 1999' from 'Gottman, J. M., & Silver, N.' (et al. past two)."""
    names = _SURNAME.findall(source.author) or [source.author.split(",")[0].strip()]
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {source.year}"


def card_source(card: TechniqueCard) -> str:
    return short_source(card.sources[0])


@dataclass
class Composed:
    """A composed reply and the phrase variants it used (so the next reply can avoid them)."""

    text: str
    opening: str
    used: list[str] = field(default_factory=list)


class _Picker:
    """Chooses phrase variants deterministically per conversation, never reusing one."""

    def __init__(self, conversation: Conversation) -> None:
        self.seed = f"{conversation.id}:{conversation.state.turn_count}"
        self.used = set(conversation.state.used_snippets)
        self.last_opening = (conversation.state.used_openings or [""])[-1]
        self.picked: list[str] = []

    def pick(self, slot: str, variants: list[str], *, opening: bool = False) -> str:
        order = sorted(
            range(len(variants)),
            key=lambda i: hashlib.blake2b(
                f"{self.seed}:{slot}:{i}".encode(), digest_size=4
            ).digest(),
        )
        fresh = [i for i in order if f"{slot}:{i}" not in self.used]
        choices = fresh or order
        if opening:
            choices = [i for i in choices if f"{slot}:{i}" != self.last_opening] or choices
        i = choices[0]
        key = f"{slot}:{i}"
        self.used.add(key)
        self.picked.append(key)
        return variants[i]


# Labels that say something about the question, not the person's feeling: never reflected.
NOT_REFLECTED = frozenset({"neutral", "curiosity", "approval", "realization"})


def _partner(conversation: Conversation, analysis: Analysis) -> str | None:
    if conversation.profile.partner_name:
        return conversation.profile.partner_name
    for fact in [*analysis.facts, *reversed(conversation.facts)]:
        if fact.key == "partner_name":
            return fact.value
    return None


def reflected_emotion(analysis: Analysis) -> str | None:
    """The strongest emotion worth naming back to the user."""
    for emotion in analysis.emotions:
        if emotion.label not in NOT_REFLECTED:
            return emotion.label
    return None


def _fact(conversation: Conversation, analysis: Analysis, key: str) -> str | None:
    for fact in [*analysis.facts, *reversed(conversation.facts)]:
        if fact.key == key:
            return fact.value
    return None


def _situation(analysis: Analysis, partner: str | None, bank: dict[str, Any]) -> str:
    """A short phrase for what the message is about, naming the partner when known."""
    phrase = bank["topics"].get(analysis.top_topic or "", "")
    if not phrase:
        return f"things with {partner}" if partner else "what's happening in your relationship"
    return phrase.replace("{partner}", partner or "your partner")


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def compose(
    conversation: Conversation,
    analysis: Analysis,
    plan: Plan,
    cards: list[TechniqueCard],
) -> Composed:
    """Write the reply for this plan. Pure function of its inputs."""
    bank = phrase_bank()
    picker = _Picker(conversation)
    partner = _partner(conversation, analysis)
    name = conversation.profile.name or _fact(conversation, analysis, "user_name")
    values = {
        "partner": partner or "your partner",
        "name_suffix": f", {name}" if name else "",
        "issue": _fact(conversation, analysis, "recurring_issue") or "",
        "length": _fact(conversation, analysis, "relationship_length") or "",
    }
    values["situation"] = _situation(analysis, partner, bank)
    emotion = reflected_emotion(analysis)
    values["feeling"] = bank["feelings"].get(emotion or "", "")

    def fill(template: str) -> str:
        return template.format(**values)

    parts: list[str] = []
    if plan.strategy == "information" and analysis.intent == "product":
        opening = fill(picker.pick("product", bank["product"], opening=True))
        parts.append(opening)
        parts.append(fill(picker.pick("asks.situation", bank["asks"]["situation"])))
        return Composed(" ".join(parts), picker.picked[0], picker.picked)

    if analysis.intent == "smalltalk" and plan.strategy == "question":
        opening = fill(picker.pick("greeting", bank["greeting"], opening=True))
        parts.append(opening)
        parts.append(
            "What's on your mind today? It can be something big, or a small moment with "
            f"{values['partner']} that stayed with you."
        )
        return Composed(" ".join(parts), picker.picked[0], picker.picked)

    # Opening: reflect the feeling if we heard one, else the situation.
    if values["feeling"] and analysis.top_topic:
        opening_slot = "openings.reflect_feeling"
        opening = fill(picker.pick(opening_slot, bank["openings"]["reflect_feeling"], opening=True))
    elif analysis.top_topic:
        opening = fill(
            picker.pick(
                "openings.reflect_situation", bank["openings"]["reflect_situation"], opening=True
            )
        )
    elif values["feeling"]:
        values["situation"] = f"things with {partner}" if partner else "all of this"
        opening = fill(
            picker.pick(
                "openings.reflect_feeling", bank["openings"]["reflect_feeling"], opening=True
            )
        )
    else:
        opening = fill(picker.pick("openings.plain", bank["openings"]["plain"], opening=True))
    if conversation.state.turn_count == 0 and conversation.earlier_summary:
        parts.append(fill(bank["memory"]["returning"]))
    parts.append(_sentence_case(opening))
    opening_key = picker.picked[0]

    if (
        values["issue"]
        and (conversation.state.turn_count > 0 or conversation.earlier_summary)
        and "memory:issue" not in picker.used
        and not any(f.key == "recurring_issue" for f in analysis.facts)
    ):
        parts.append(fill(bank["memory"]["issue"]))
        picker.used.add("memory:issue")
        picker.picked.append("memory:issue")

    if plan.strategy in {"affirmation", "reflection", "restatement"} or plan.phase == "comfort":
        parts.append(picker.pick("comfort", bank["comfort"]))

    if plan.strategy == "information" and analysis.horsemen:
        parts.append(picker.pick("information_lead", bank["information_lead"]))
        label = analysis.horsemen[0].label
        parts.append(bank["horsemen_info"][label])

    if plan.suggest_tool and plan.suggest_tool in bank["tools"]:
        parts.append(bank["tools"][plan.suggest_tool])

    if plan.strategy in {"suggestion", "information"} and cards:
        card = cards[0]
        values["title"] = card.title
        values["source"] = card_source(card)
        parts.append(fill(picker.pick("suggestion_intro", bank["suggestion_intro"])))
        parts.append(card.summary.strip())
        if plan.strategy == "suggestion":
            steps = " ".join(f"{i}. {s.strip()}" for i, s in enumerate(card.steps[:3], 1))
            parts.append(f"{picker.pick('steps_lead', bank['steps_lead'])} {steps}")
            parts.append(
                f"{picker.pick('example_lead', bank['example_lead'])} {card.example.strip()}"
            )

    # Ending: ask for what is missing, or one open question / a concrete next step.
    if plan.ask_for and plan.ask_for in bank["asks"]:
        parts.append(fill(picker.pick(f"asks.{plan.ask_for}", bank["asks"][plan.ask_for])))
    elif plan.strategy == "suggestion" and conversation.state.turn_count % 2 == 1:
        parts.append(fill(picker.pick("endings.next_step", bank["endings"]["next_step"])))
    else:
        parts.append(fill(picker.pick("endings.question", bank["endings"]["question"])))

    text = " ".join(p.strip() for p in parts if p.strip())
    return Composed(text, opening_key, picker.picked)
