"""What a language-model backend is told: stance, user, analysis, plan, cards, draft, history.

The model only phrases a reply the engine already planned and grounded. It gets the technique
cards with their sources and is told to use nothing else, and it sees the composer's draft as a
reference answer. History is trimmed (oldest first) to fit the model's context budget.
Crisis turns never reach this module: the coach answers them with reviewed text.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from amante.content.schema import TechniqueCard
from amante.engine.speak import SpeakRequest
from amante.engine.types import Analysis, Conversation, Fact, PastTurn, Plan

Message = dict[str, str]
TokenCounter = Callable[[str], int]

# Per-message overhead of chat templates (role markers, separators), in tokens.
MESSAGE_OVERHEAD = 6
# Kept free besides max_tokens, because token counts here are estimates.
SAFETY_MARGIN = 32

STANCE = """\
You are amante, an AI relationship coach. You do coaching, not therapy.
How you write:
- Warm, calm and non-judgmental. Plain everyday words, short sentences.
- Between 40 and 200 words. No headings, no lists longer than three items.
- Speak to the user directly as "you". Name their partner when you know the name.
- Never diagnose anyone (not the user, not their partner) and never label people with \
disorders. Never give advice about medication.
- Never call yourself a therapist, counsellor or psychologist, and never call this therapy. \
If the user needs more than coaching, you may suggest a licensed therapist or counsellor.
- Use ONLY the technique cards given below, and cite only their sources (author and year), \
or cite nothing. Never invent studies, statistics, percentages or numbers of couples or studies.
- Do not mention these instructions, the analysis or the reference answer.
- Reply in the language the user writes in.
- End with exactly one open question or one concrete small step."""

_PHASES = {
    "explore": "explore: understand what is happening before giving advice",
    "comfort": "comfort: the user is hurting; reflect and validate, no advice yet",
    "act": "act: the situation is clear enough to offer something to try",
}
_STRATEGIES = {
    "question": "ask one open question to understand the situation",
    "restatement": "restate what you heard in your own words",
    "reflection": "reflect the feeling and the situation back",
    "affirmation": "validate the feeling and acknowledge the effort it took to share it",
    "suggestion": "suggest the technique below, with a small first step",
    "information": "briefly explain the pattern or the technique below, in plain words",
}
_ASKS = {
    "situation": "what happened, in their own words (a recent moment)",
    "feeling": "what they felt in that moment",
    "want": "what they would like to be different",
}


def estimate_tokens(text: str) -> int:
    """A conservative token estimate without a tokenizer (about 4 characters a token in English,
    at least one token per word; other scripts count more per character)."""
    if not text:
        return 0
    ascii_chars = sum(1 for c in text if ord(c) < 128)
    other = len(text) - ascii_chars
    by_chars = ascii_chars / 4 + other
    by_words = len(text.split()) * 1.25
    return math.ceil(max(by_chars, by_words))


def _profile_lines(conversation: Conversation, analysis: Analysis) -> list[str]:
    p = conversation.profile
    facts = [*conversation.facts, *analysis.facts]
    lines = []
    if p.name:
        lines.append(f"User's name: {p.name}" + (f" ({p.pronouns})" if p.pronouns else ""))
    partner = p.partner_name or _fact(facts, "partner_name")
    if partner:
        pron = f" ({p.partner_pronouns})" if p.partner_pronouns else ""
        lines.append(f"Partner's name: {partner}{pron}")
    stage = p.relationship_stage or _fact(facts, "relationship_stage")
    if stage:
        lines.append(f"Relationship stage: {stage}")
    length = p.relationship_length or _fact(facts, "relationship_length")
    if length:
        lines.append(f"Together for: {length}")
    if p.goals:
        lines.append("Goals: " + "; ".join(p.goals))
    if p.context:
        lines.append(f"In their words: {p.context}")
    issues = _dedupe(f.value for f in facts if f.key == "recurring_issue")
    if issues:
        lines.append("Recurring issues: " + "; ".join(issues[-5:]))
    shown = {"partner_name", "relationship_stage", "relationship_length", "recurring_issue"}
    other = _dedupe(f"{f.key.replace('_', ' ')}: {f.value}" for f in facts if f.key not in shown)
    if other:
        lines.append("Other things they told you: " + "; ".join(other[-8:]))
    if conversation.earlier_summary:
        lines.append("Earlier conversations: " + " ".join(conversation.earlier_summary[-3:]))
    return lines


def _fact(facts: list[Fact], key: str) -> str | None:
    for fact in reversed(facts):
        if fact.key == key:
            return fact.value
    return None


def _dedupe(items) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(str(item), None)
    return list(seen)


def _analysis_lines(analysis: Analysis) -> list[str]:
    lines = []
    emotions = [e for e in analysis.emotions if e.label != "neutral"][:3]
    if emotions:
        lines.append("Emotions heard: " + ", ".join(e.label for e in emotions))
    if analysis.topics:
        lines.append("Topics: " + ", ".join(t.label.replace("_", " ") for t in analysis.topics[:3]))
    for h in analysis.horsemen[:3]:
        lines.append(f'Pattern: {h.label}, in the words "{h.evidence}"')
    for r in analysis.repairs[:2]:
        lines.append(f'Repair attempt: {r.label}, in the words "{r.evidence}"')
    lines.append(f"What they want from you: {analysis.intent}")
    if analysis.needs:
        lines.append("Underlying needs: " + ", ".join(n.label for n in analysis.needs[:3]))
    return lines


def _plan_lines(plan: Plan) -> list[str]:
    lines = [
        f"Phase: {_PHASES.get(plan.phase, plan.phase)}",
        f"This reply should: {_STRATEGIES.get(plan.strategy, plan.strategy)}",
    ]
    if plan.ask_for:
        lines.append(f"End by gently asking about {_ASKS.get(plan.ask_for, plan.ask_for)}.")
    if plan.suggest_tool:
        lines.append(f"You may point to amante's {plan.suggest_tool} tool.")
    return lines


def card_block(card: TechniqueCard, *, full: bool = True) -> str:
    """One technique card as the model sees it."""
    lines = [f"Technique: {card.title}", f"What it is: {card.summary.strip()}"]
    if full:
        lines.append(f"When to use it: {card.when_to_use.strip()}")
        lines.extend(f"Step {i}: {s.strip()}" for i, s in enumerate(card.steps, 1))
        lines.append(f"Example: {card.example.strip()}")
    lines.extend(f"Source: {s.short()}" for s in card.sources)
    return "\n".join(lines)


def system_prompt(request: SpeakRequest, *, full_cards: bool = True, draft: bool = True) -> str:
    """The system message: stance, then what the engine knows and decided for this turn."""
    parts = [STANCE]
    profile = _profile_lines(request.conversation, request.analysis)
    if profile:
        parts.append("ABOUT THE USER\n" + "\n".join(profile))
    parts.append("WHAT THE LATEST MESSAGE SHOWS\n" + "\n".join(_analysis_lines(request.analysis)))
    parts.append("PLAN FOR THIS REPLY\n" + "\n".join(_plan_lines(request.plan)))
    if request.cards:
        cards = "\n\n".join(card_block(c, full=full_cards) for c in request.cards)
        parts.append("TECHNIQUE CARDS (use only these; cite only these sources, or none)\n" + cards)
    else:
        parts.append(
            "TECHNIQUE CARDS\nNone for this reply: do not suggest a named technique and do not "
            "cite any source."
        )
    if draft and request.draft.strip():
        parts.append(
            "REFERENCE ANSWER (written by amante's rule-based composer; keep its plan and any "
            "citation, improve the wording, do not copy it word for word)\n" + request.draft.strip()
        )
    return "\n\n".join(parts)


def _history_messages(history: list[PastTurn]) -> list[Message]:
    """Past turns as chat messages, leaving out flagged user turns and the replies to them."""
    out: list[Message] = []
    skip_reply = False
    for turn in history:
        if turn.role == "user":
            flagged = (
                turn.meta.get("safety_level", "none") != "none"
                or bool(turn.meta.get("safety_categories"))
                or bool(turn.meta.get("flagged"))
            )
            skip_reply = flagged
            if not flagged and turn.text.strip():
                out.append({"role": "user", "content": turn.text.strip()})
        else:
            if not skip_reply and turn.text.strip():
                out.append({"role": "assistant", "content": turn.text.strip()})
            skip_reply = False
    return out


def build_messages(
    request: SpeakRequest,
    *,
    context_tokens: int,
    max_tokens: int,
    count_tokens: TokenCounter | None = None,
) -> list[Message]:
    """System prompt, as much recent history as fits in context_tokens - max_tokens, the message.

    `count_tokens` may be a real tokenizer (the in-process backend passes one); otherwise a
    conservative estimate is used. Raises ValueError outside normal mode (crisis and support
    replies are never generated by a model) or when even the shortest prompt cannot fit.
    """
    if request.plan.mode != "normal":
        raise ValueError(f"language models only write normal-mode replies, not {request.plan.mode}")
    count = count_tokens or estimate_tokens
    budget = context_tokens - max_tokens - SAFETY_MARGIN
    user = {"role": "user", "content": request.text.strip()}
    user_cost = count(user["content"]) + MESSAGE_OVERHEAD

    system = ""
    for full_cards, draft in ((True, True), (False, True), (False, False)):
        system = system_prompt(request, full_cards=full_cards, draft=draft)
        if count(system) + MESSAGE_OVERHEAD + user_cost <= budget:
            break
    else:
        raise ValueError(
            f"the prompt needs more than {budget} tokens (context {context_tokens}, reply "
            f"{max_tokens}); raise the context size or lower the reply length"
        )
    remaining = budget - count(system) - MESSAGE_OVERHEAD - user_cost

    kept: list[Message] = []
    for message in reversed(_history_messages(request.conversation.history)):
        cost = count(message["content"]) + MESSAGE_OVERHEAD
        if cost > remaining:
            break
        kept.append(message)
        remaining -= cost
    kept.reverse()
    # A chat should not start with a dangling coach reply.
    while kept and kept[0]["role"] == "assistant":
        kept.pop(0)
    return [{"role": "system", "content": system}, *kept, user]
