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


POSITIVE = frozenset(
    {
        "admiration",
        "amusement",
        "caring",
        "excitement",
        "gratitude",
        "joy",
        "love",
        "optimism",
        "pride",
        "relief",
    }
)
_OWN_FEELING = re.compile(
    r"\bI(?:'m| am)?\s+(?:felt|feel|feeling|was feeling)\s+"
    r"(?:so |really |very |kind of |a bit |pretty |completely |totally |just |too )?"
    r"(?P<feeling>[a-z]{3,20}(?: and (?:so |really )?[a-z]{3,20})?)\b",
    re.IGNORECASE,
)
_NOT_FEELINGS = frozenset(
    {
        "like",
        "that",
        "this",
        "it",
        "as",
        "if",
        "the",
        "when",
        "about",
        "him",
        "her",
        "them",
        "you",
        "nothing",
        "something",
        "anything",
        "everything",
        "way",
        "fine",
        "okay",
        "ok",
    }
)
_POSITIVE_WORDS = frozenset(
    {
        "happy",
        "grateful",
        "thankful",
        "loved",
        "close",
        "hopeful",
        "proud",
        "relieved",
        "excited",
        "calm",
        "safe",
        "good",
        "great",
        "better",
        "content",
        "joyful",
        "appreciated",
    }
)
_THANKS = re.compile(r"\b(thanks|thank you|thx|that helps|that helped|appreciate it)\b", re.I)
WORD_BUDGET = 190


def own_feeling(text: str) -> str | None:
    """The feeling in the user's own words ("I felt invisible" -> "invisible"), if named."""
    for match in _OWN_FEELING.finditer(text):
        words = match.group("feeling").lower()
        if words.split()[0] not in _NOT_FEELINGS:
            return words
    return None


def _words(parts: list[tuple[str, str]]) -> int:
    return sum(len(text.split()) for _, text in parts)


def _fit(parts: list[tuple[str, str]], budget: int = WORD_BUDGET) -> list[tuple[str, str]]:
    """Drop optional parts (tool note, comfort, steps, example) until the reply fits the budget."""
    for optional in ("tool", "comfort", "steps", "example"):
        if _words(parts) <= budget:
            break
        parts = [p for p in parts if p[0] != optional]
    return parts


def compose(
    conversation: Conversation,
    analysis: Analysis,
    plan: Plan,
    cards: list[TechniqueCard],
    text: str = "",
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
    mine = own_feeling(text)
    values["feeling"] = mine or bank["feelings"].get(emotion or "", "")
    positive = (mine in _POSITIVE_WORDS) if mine else emotion in POSITIVE

    def fill(template: str) -> str:
        return template.format(**values)

    def single(slot: str, variants: list[str], *follow: str) -> Composed:
        opening = fill(picker.pick(slot, variants, opening=True))
        return Composed(" ".join([opening, *follow]), picker.picked[0], picker.picked)

    if plan.strategy == "information" and analysis.intent == "product":
        return single(
            "product",
            bank["product"],
            fill(picker.pick("asks.situation", bank["asks"]["situation"])),
        )
    if analysis.intent == "smalltalk" and _THANKS.search(text):
        return single("thanks", bank["thanks"])
    if analysis.intent == "smalltalk" and plan.strategy == "question":
        return single(
            "greeting",
            bank["greeting"],
            "What's on your mind today? It can be something big, or a small moment with "
            f"{values['partner']} that stayed with you.",
        )

    # Opening: reflect the feeling if we heard one, else the situation.
    feeling_slot = "reflect_positive" if positive else "reflect_feeling"
    if values["feeling"] and not analysis.top_topic:
        values["situation"] = f"things with {partner}" if partner else "all of this"
    if values["feeling"]:
        slot = f"openings.{feeling_slot}"
        opening = fill(picker.pick(slot, bank["openings"][feeling_slot], opening=True))
    elif analysis.top_topic:
        slot = "openings.reflect_situation"
        opening = fill(picker.pick(slot, bank["openings"]["reflect_situation"], opening=True))
    else:
        opening = fill(picker.pick("openings.plain", bank["openings"]["plain"], opening=True))
    opening_key = picker.picked[0]

    parts: list[tuple[str, str]] = []
    if conversation.state.turn_count == 0 and conversation.earlier_summary:
        parts.append(("memory", fill(bank["memory"]["returning"])))
    parts.append(("opening", _sentence_case(opening)))

    if (
        values["issue"]
        and (conversation.state.turn_count > 0 or conversation.earlier_summary)
        and "memory:issue" not in picker.used
        and not any(f.key == "recurring_issue" for f in analysis.facts)
    ):
        parts.append(("memory", fill(bank["memory"]["issue"])))
        picker.used.add("memory:issue")
        picker.picked.append("memory:issue")

    comforting = plan.strategy in {"affirmation", "reflection", "restatement"}
    if (comforting or plan.phase == "comfort") and not positive:
        parts.append(("comfort", picker.pick("comfort", bank["comfort"])))

    if plan.strategy == "information" and analysis.horsemen:
        parts.append(("info", picker.pick("information_lead", bank["information_lead"])))
        parts.append(("info", bank["horsemen_info"][analysis.horsemen[0].label]))

    tool_key = f"tools:{plan.suggest_tool}"
    if plan.suggest_tool in bank["tools"] and tool_key not in picker.used:
        parts.append(("tool", bank["tools"][plan.suggest_tool]))
        picker.used.add(tool_key)
        picker.picked.append(tool_key)

    if plan.strategy in {"suggestion", "information"} and cards:
        card = cards[0]
        values["title"] = card.title
        values["source"] = card_source(card)
        parts.append(("card", fill(picker.pick("suggestion_intro", bank["suggestion_intro"]))))
        parts.append(("card", card.summary.strip()))
        if plan.strategy == "suggestion":
            steps = "\n".join(f"{i}. {s.strip()}" for i, s in enumerate(card.steps[:3], 1))
            parts.append(("steps", f"{picker.pick('steps_lead', bank['steps_lead'])}\n{steps}"))
            example = card.example.strip()
            parts.append(
                ("example", f"{picker.pick('example_lead', bank['example_lead'])} {example}")
            )

    # Ending: ask for what is missing, or one open question / a concrete next step.
    asks = bank["asks"].get(plan.ask_for or "") or bank.get(plan.ask_for or "")
    if asks:
        ending = fill(picker.pick(f"asks.{plan.ask_for}", asks))
    elif plan.strategy == "suggestion" and conversation.state.turn_count % 2 == 1:
        ending = fill(picker.pick("endings.next_step", bank["endings"]["next_step"]))
    else:
        ending = fill(picker.pick("endings.question", bank["endings"]["question"]))
    parts = _fit([*parts, ("ending", ending)])

    return Composed(_paragraphs(parts), opening_key, picker.picked)


# Parts that share a paragraph: the reflection with its memory and comfort, the card's intro
# with its summary. Everything else starts a paragraph of its own, for easy reading.
_PARAGRAPH_OF = {"memory": "reflect", "opening": "reflect", "comfort": "reflect", "card": "card"}


def _paragraphs(parts: list[tuple[str, str]]) -> str:
    out: list[list[str]] = []
    last = None
    for tag, text in parts:
        group = _PARAGRAPH_OF.get(tag, tag)
        if not text.strip():
            continue
        if out and group == last and group in {"reflect", "card", "info"}:
            out[-1].append(text.strip())
        else:
            out.append([text.strip()])
        last = group
    return "\n\n".join(" ".join(p) for p in out)
