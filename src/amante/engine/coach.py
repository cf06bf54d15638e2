"""The coach: screen -> understand -> remember -> plan -> ground -> speak -> guard, per message.

Persisting the returned Turn (the store step) is the caller's job, so the engine stays free of
I/O: it reads the Conversation it is given and returns what changed.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass

from amante.content.library import CardQuery, Library, default_library
from amante.content.schema import TechniqueCard
from amante.engine import safety
from amante.engine.compose import card_source, compose
from amante.engine.errors import clean_message
from amante.engine.plan import UNSAFE_FLAGS, plan_turn
from amante.engine.quality import check_partial, check_reply
from amante.engine.speak import Backend, BackendError, SpeakRequest
from amante.engine.types import (
    SAFETY_LEVELS,
    Analysis,
    Conversation,
    ConversationState,
    Fact,
    Label,
    Mode,
    Plan,
    SafetyContext,
    SafetyResult,
    TechniqueRef,
    Turn,
)
from amante.engine.understand import analyze

DISCLOSURE_EVERY_SECONDS = 3 * 60 * 60
_MODE_RANK: dict[str, int] = {"normal": 0, "safety_first": 1, "support_only": 2}


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


SHORT_MESSAGE_WORDS = 12
WEAK_TOPIC_SCORE = 0.35


def with_context_topics(analysis: Analysis, conversation: Conversation, text: str) -> Analysis:
    """The analysis with the conversation's topic when this message alone says too little.

    "What should I do?" is about whatever the user was just talking about; the stored analysis
    keeps what this message alone showed.
    """
    strong = analysis.topics and analysis.topics[0].score >= WEAK_TOPIC_SCORE
    if strong and len(text.split()) >= SHORT_MESSAGE_WORDS:
        return analysis
    for past in reversed(conversation.history):
        if past.role != "user":
            continue
        earlier = (past.meta.get("analysis") or {}).get("topics") or []
        if earlier:
            topics = [Label(t["label"], float(t["score"])) for t in earlier]
            if strong:
                topics = [
                    *analysis.topics[:1],
                    *(t for t in topics if t.label != analysis.topics[0].label),
                ]
            return dataclasses.replace(analysis, topics=topics)
    return analysis


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
        for item in self.stream(conversation, text):
            if isinstance(item, Turn):
                return item
        raise AssertionError("stream() always ends with a Turn")  # pragma: no cover

    def stream(self, conversation: Conversation, text: str) -> Iterator[str | Replace | Turn]:
        """Yield the reply as it is produced, then the finished Turn.

        Items are text to append, a Replace (discard what was shown, show this instead: only
        when a backend's reply fails a check mid-stream), and finally the Turn. A backend's text
        is released sentence by sentence, each only after the guard and the quality checks
        passed on everything so far, so unsafe text never reaches the user.
        """
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
        request: SpeakRequest | None = None

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
            in_context = with_context_topics(analysis, conversation, text)
            plan, cards, draft = self._draft(conversation, in_context, text, state)
            techniques = [TechniqueRef(c.id, c.title, card_source(c)) for c in cards]
            verdict = safety.guard(draft, safety=screened, mode=state.mode, flags=state.flags)
            if not verdict.ok:
                events.append("guard:" + ",".join(verdict.violations))
                draft = safety.support_reply(mode="normal", region=region, flags=state.flags).text
                techniques = []
            reply, backend_name = draft, "builtin"
            if self.backend is not None and verdict.ok:
                request = SpeakRequest(conversation, text, analysis, plan, cards, draft)
            if state.turn_count == 0 or now - state.disclosed_at >= DISCLOSURE_EVERY_SECONDS:
                prefix = f"{safety.disclosure()}\n\n"
                reply = prefix + reply
                state.disclosed_at = now
                if request is not None:
                    yield prefix

        if request is None:
            yield from chunks(reply)
        else:
            prefix = reply[: len(reply) - len(request.draft)]
            spoken = yield from self._speak(request, screened, state, events)
            if spoken is None:
                backend_name = "fallback"
            else:
                reply, backend_name = prefix + spoken, self.backend.name  # type: ignore[union-attr]

        state.turn_count += 1
        yield Turn(
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

    def _speak(
        self,
        request: SpeakRequest,
        screened: SafetyResult,
        state: ConversationState,
        events: list[str],
    ) -> Generator[str | Replace, None, str | None]:
        """Stream the backend's reply through the guards; None means the draft was used."""
        assert self.backend is not None

        def problems(candidate: str, final: bool) -> list[str]:
            verdict = safety.guard(candidate, safety=screened, mode=state.mode, flags=state.flags)
            found = [f"guard:{v}" for v in verdict.violations]
            checks = check_reply(candidate, request) if final else check_partial(candidate, request)
            return found + [f"quality:{v}" for v in checks]

        shown: list[str] = []
        buffer = ""
        try:
            for token in self.backend.stream(request):
                buffer += token
                while (cut := _SENTENCE_END.search(buffer)) is not None:
                    sentence, buffer = buffer[: cut.end()], buffer[cut.end() :]
                    found = problems("".join(shown) + sentence, final=False)
                    if found:
                        raise _Rejected(found)
                    shown.append(sentence)
                    yield sentence
            full = ("".join(shown) + buffer).strip()
            found = problems(full, final=True)
            if found:
                raise _Rejected(found)
            if buffer:
                yield buffer
            return full
        except (BackendError, _Rejected) as exc:
            events.append(
                ",".join(exc.violations) if isinstance(exc, _Rejected) else f"backend:{exc}"
            )
        if shown:
            yield Replace(request.draft)
        else:
            yield from chunks(request.draft)
        return None

    def _reflection_sentence(self, conversation: Conversation, analysis: Analysis) -> str:
        """One reflective opening sentence (safe in every mode: it gives no advice)."""
        composed = compose(conversation, analysis, Plan("comfort", "restatement"), [])
        return composed.text.split(". ")[0].rstrip(".") + "." if composed.text else ""

    def _draft(
        self, conversation: Conversation, analysis: Analysis, text: str, state: ConversationState
    ) -> tuple[Plan, list[TechniqueCard], str]:
        """Plan, ground and compose an ordinary coaching reply (updates the state's memory)."""
        plan = plan_turn(conversation, analysis, text)
        cards: list[TechniqueCard] = []
        if plan.strategy in {"suggestion", "information"} and analysis.intent != "product":
            query = CardQuery(
                topics=[t.label for t in analysis.topics],
                horsemen=[h.label for h in analysis.horsemen],
                needs=[n.label for n in analysis.needs],
                phase=plan.phase,
                unsafe=bool(UNSAFE_FLAGS & set(state.flags)),
                exclude=state.used_techniques,
            )
            cards = self.library.pick(query, k=1)
        composed = compose(conversation, analysis, plan, cards, text)
        state.used_snippets = [*state.used_snippets, *composed.used]
        state.used_openings = [*state.used_openings, composed.opening][-10:]
        state.used_techniques = [*state.used_techniques, *(c.id for c in cards)]
        if plan.ask_for:
            state.asked = [*state.asked, plan.ask_for]
        if plan.phase == "comfort":
            state.asked = [*state.asked, "comfort"]
        return plan, cards, composed.text


@dataclass(frozen=True)
class Replace:
    """Discard the text streamed so far and show this instead."""

    text: str


class _Rejected(Exception):
    def __init__(self, violations: list[str]) -> None:
        super().__init__(",".join(violations))
        self.violations = violations


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+")


def chunks(text: str, words: int = 3) -> Iterator[str]:
    """Split text into small pieces for a streaming feel (the composer writes all at once)."""
    parts = text.split(" ")
    for i in range(0, len(parts), words):
        yield " ".join(parts[i : i + words]) + (" " if i + words < len(parts) else "")
