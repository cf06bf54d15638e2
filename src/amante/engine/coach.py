"""The coach: screen -> understand -> remember -> plan -> ground -> speak -> guard, per message.

Persisting the returned Turn (the store step) is the caller's job, so the engine stays free of
I/O: it reads the Conversation it is given and returns what changed.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator

from amante.content.library import CardQuery, Library, default_library
from amante.engine import safety
from amante.engine.compose import card_source, compose
from amante.engine.errors import clean_message
from amante.engine.plan import plan_turn
from amante.engine.speak import Backend, SpeakRequest
from amante.engine.types import (
    SAFETY_LEVELS,
    Analysis,
    Conversation,
    Fact,
    Mode,
    Plan,
    SafetyContext,
    TechniqueRef,
    Turn,
)
from amante.engine.understand import analyze

DISCLOSURE_EVERY_SECONDS = 3 * 60 * 60
_MODE_RANK: dict[str, int] = {"normal": 0, "safety_first": 1, "support_only": 2}
_UNSAFE_FLAGS = frozenset({"abuse", "crisis", "harm_from_others"})


def _stricter(a: Mode, b: Mode) -> Mode:
    return a if _MODE_RANK[a] >= _MODE_RANK[b] else b


def _safety_context(conversation: Conversation) -> SafetyContext:
    users = [t for t in conversation.history if t.role == "user"]
    levels = tuple(
        t.meta.get("safety_level", "none")
        if t.meta.get("safety_level") in SAFETY_LEVELS
        else "none"
        for t in users
    )
    categories = tuple(c for t in users for c in t.meta.get("safety_categories", []))
    return SafetyContext(
        previous_user_texts=tuple(t.text for t in users[-8:]),
        previous_levels=levels[-8:],  # type: ignore[arg-type]
        previous_categories=categories,
        region=conversation.profile.region or "INTL",
    )


def new_facts(conversation: Conversation, found: list[Fact]) -> list[Fact]:
    """Facts not already known (same key and value)."""
    known = {(f.key, f.value.lower()) for f in conversation.facts}
    return [f for f in found if (f.key, f.value.lower()) not in known]


class Coach:
    """Answers one message at a time; holds only read-only content and a backend."""

    def __init__(
        self,
        library: Library | None = None,
        backend: Backend | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.library = library or default_library()
        self.backend = backend
        self.clock = clock

    def respond(self, conversation: Conversation, text: str) -> Turn:
        """The full pipeline for one message; returns the Turn and the new conversation state."""
        text = clean_message(text)
        now = self.clock()
        state = copy.deepcopy(conversation.state)
        state.started_at = state.started_at or now
        region = conversation.profile.region or "INTL"

        # 1. Safety screen: always first, never skipped.
        screened = safety.screen(text, _safety_context(conversation))
        # 2. Understand (also for flagged messages, so the record is complete).
        analysis = analyze(text)
        events: list[str] = []
        techniques: list[TechniqueRef] = []
        backend_name = "protocol"

        if screened.flagged:
            # Crisis and abuse answers are fixed, reviewed text: no composer, no backend.
            proto = safety.protocol_reply(screened, region=region, turn_count=state.turn_count)
            state.mode = _stricter(state.mode, proto.mode)
            reply, plan = proto.text, Plan("comfort", "information", mode=state.mode)
            state.flags = sorted(set(state.flags) | set(proto.flags))
            events.append(f"safety:{screened.level}:{','.join(screened.categories) or 'refuse'}")
            state.disclosed_at = now
        elif state.mode != "normal":
            proto = safety.support_reply(
                mode=state.mode, region=region, turn_in_mode=state.turn_count, flags=state.flags
            )
            plan = Plan("comfort", "affirmation", mode=state.mode, reasons=["support-only mode"])
            opening = self._reflection_sentence(conversation, analysis)
            reply = f"{opening} {proto.text}".strip() if opening else proto.text
            state.disclosed_at = state.disclosed_at or now
        else:
            reply, plan, techniques, backend_name = self._coach(conversation, analysis, text, state)
            verdict = safety.guard(reply, safety=screened, mode=state.mode, flags=state.flags)
            if not verdict.ok:
                events.append("guard:" + ",".join(verdict.violations))
                reply = safety.support_reply(mode="normal", region=region, flags=state.flags).text
                techniques, backend_name = [], "fallback"
            if state.turn_count == 0 or now - state.disclosed_at >= DISCLOSURE_EVERY_SECONDS:
                reply = f"{safety.disclosure()}\n\n{reply}"
                state.disclosed_at = now

        state.turn_count += 1
        return Turn(
            conversation_id=conversation.id,
            text=text,
            reply=reply,
            safety=screened,
            analysis=analysis,
            plan=plan,
            techniques=techniques,
            backend=backend_name,
            events=events,
            new_facts=new_facts(conversation, analysis.facts),
            state=state,
        )

    def _reflection_sentence(self, conversation: Conversation, analysis: Analysis) -> str:
        """One reflective opening sentence (safe in every mode: it gives no advice)."""
        composed = compose(conversation, analysis, Plan("comfort", "restatement"), [])
        return composed.text.split(". ")[0].rstrip(".") + "." if composed.text else ""

    def _coach(
        self, conversation: Conversation, analysis: Analysis, text: str, state
    ) -> tuple[str, Plan, list[TechniqueRef], str]:
        """Plan, ground, compose and speak an ordinary coaching reply."""
        plan = plan_turn(conversation, analysis, text)
        cards = []
        if plan.strategy in {"suggestion", "information"} and analysis.intent != "product":
            query = CardQuery(
                topics=[t.label for t in analysis.topics],
                horsemen=[h.label for h in analysis.horsemen],
                needs=[n.label for n in analysis.needs],
                phase=plan.phase,
                unsafe=bool(_UNSAFE_FLAGS & set(state.flags)),
                exclude=state.used_techniques,
            )
            cards = self.library.pick(query, k=1)
        composed = compose(conversation, analysis, plan, cards)
        state.used_snippets = [*state.used_snippets, *composed.used]
        state.used_openings = [*state.used_openings, composed.opening][-10:]
        techniques = [TechniqueRef(c.id, c.title, card_source(c)) for c in cards]
        state.used_techniques = [*state.used_techniques, *(c.id for c in cards)]
        if plan.ask_for:
            state.asked = [*state.asked, plan.ask_for]
        if plan.phase == "comfort":
            state.asked = [*state.asked, "comfort"]
        reply, name = composed.text, "builtin"
        if self.backend is not None:
            request = SpeakRequest(conversation, text, analysis, plan, cards, composed.text)
            reply, name = (
                "".join(self.backend.stream(request)).strip() or composed.text,
                self.backend.name,
            )
        return reply, plan, techniques, name

    def stream(self, conversation: Conversation, text: str) -> Iterator[str | Turn]:
        """Yield the reply in small chunks, then the finished Turn (for a streaming feel)."""
        turn = self.respond(conversation, text)
        words = turn.reply.split(" ")
        for i in range(0, len(words), 3):
            yield " ".join(words[i : i + 3]) + (" " if i + 3 < len(words) else "")
        yield turn
