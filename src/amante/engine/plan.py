"""The plan step: choose the phase and a helping skill (Hill, 2009) for this turn.

Exploration comes before action: the coach reflects and asks for what it is missing (what
happened, how the user felt, what they want) and only suggests once it knows enough or is asked.
"""

from __future__ import annotations

import re

from amante.engine.compose import own_feeling
from amante.engine.types import Analysis, Conversation, Plan

HEAVY_EMOTIONS = frozenset(
    {"sadness", "grief", "fear", "nervousness", "remorse", "disappointment", "embarrassment"}
)
HOT_EMOTIONS = frozenset({"anger", "annoyance", "disgust", "disapproval"})
_WANT = re.compile(
    r"\b(i (?:just )?(?:want|wish|need|hope|would like|'d like)|i'm hoping|my goal|what i want)\b",
    re.IGNORECASE,
)
_TOOL_WORDS = {
    "rewrite": "rewrite",
    "reword": "rewrite",
    "rephrase": "rewrite",
    "text him": "rewrite",
    "text her": "rewrite",
    "message": "rewrite",
    "quiz": "assess",
    "assessment": "assess",
    "test": "assess",
    "question": "starters",
    "starter": "starters",
    "talk about": "starters",
    "ritual": "rituals",
    "habit": "rituals",
    "routine": "rituals",
    "journal": "journal",
    "write down": "journal",
}


def _knows(conversation: Conversation, analysis: Analysis, text: str) -> dict[str, bool]:
    """Which of situation / feeling / want the coach has heard so far in this conversation."""
    earlier = " ".join(t.text for t in conversation.history if t.role == "user")
    words = len(text.split()) + len(earlier.split())
    situation = (
        words >= 18
        or (bool(analysis.topics) and len(text.split()) >= 7)
        or any(f.key == "recurring_issue" for f in [*analysis.facts, *conversation.facts])
    )
    feeling = (
        analysis.top_emotion is not None
        or own_feeling(text) is not None
        or any(
            t.meta.get("emotion") or own_feeling(t.text)
            for t in conversation.history
            if t.role == "user"
        )
    )
    want = bool(_WANT.search(text) or _WANT.search(earlier)) or analysis.intent == "advice"
    return {"situation": situation, "feeling": feeling, "want": want}


def tool_for(text: str, analysis: Analysis) -> str | None:
    """Which tool fits a tool request (or a pasted harsh draft); None when none is named."""
    lowered = text.lower()
    if analysis.horsemen and ('"' in text or "draft" in lowered or "send" in lowered):
        return "rewrite"
    for word, tool in _TOOL_WORDS.items():
        if word in lowered:
            return tool
    return None


_TOOL_BY_TOPIC = {
    "emotional_distance": "rituals",
    "long_distance": "rituals",
    "digital_phubbing": "rituals",
    "dating_new_relationship": "starters",
    "commitment_future": "starters",
    "self_worth": "journal",
    "mental_health": "journal",
    "grief_loss": "journal",
}


JOINT_TOOLS = frozenset({"rituals", "starters", "rewrite"})
UNSAFE_FLAGS = frozenset({"abuse", "crisis", "harm_from_others"})


def tool_to_offer(text: str, analysis: Analysis, flags: list[str] | None = None) -> str | None:
    """The tool worth offering alongside a suggestion: the rewriter for a quoted harsh message,
    a ritual for distance, starters for getting to know each other, the journal for heavy
    feelings about oneself."""
    if UNSAFE_FLAGS & set(flags or ()):
        # Never nudge someone who may be unsafe toward joint activities with the partner.
        tool = _TOOL_BY_TOPIC.get(analysis.top_topic or "")
        return tool if tool not in JOINT_TOOLS else "journal"
    if analysis.horsemen and ('"' in text or "\u201c" in text):
        return "rewrite"
    return _TOOL_BY_TOPIC.get(analysis.top_topic or "")


def _last_coach_strategy(conversation: Conversation) -> str | None:
    for past in reversed(conversation.history):
        if past.role == "coach":
            return (past.meta.get("plan") or {}).get("strategy")
    return None


def plan_turn(conversation: Conversation, analysis: Analysis, text: str) -> Plan:
    """Pick phase and strategy from intent, emotion, what is known, and the turn number."""
    state = conversation.state
    knows = _knows(conversation, analysis, text)
    missing = [k for k in ("situation", "feeling", "want") if not knows[k]]
    turn = state.turn_count
    emotion = analysis.top_emotion
    reasons = [f"intent={analysis.intent}", f"turn={turn}", f"missing={','.join(missing) or '-'}"]

    if analysis.intent == "product":
        return Plan("explore", "information", reasons=[*reasons, "question about amante"])
    if analysis.intent == "smalltalk":
        return Plan("explore", "question", ask_for="situation", reasons=reasons)
    unsafe = bool(UNSAFE_FLAGS & set(state.flags))
    if analysis.intent == "tool" and (tool := tool_for(text, analysis)):
        if unsafe and tool in {"rituals", "starters"}:
            tool = "journal"  # the rewriter stays: it has its own safety rules
        return Plan("act", "suggestion", suggest_tool=tool, reasons=reasons)

    heavy = emotion in HEAVY_EMOTIONS
    last_strategy = _last_coach_strategy(conversation)
    if analysis.intent == "vent" and last_strategy == "suggestion" and not analysis.horsemen:
        # Don't pile one technique on another: check how the last one landed first.
        return Plan(
            "explore", "reflection", ask_for="checkin", reasons=[*reasons, "after a suggestion"]
        )
    if analysis.intent == "vent":
        # A venting user is reflected and comforted first; advice waits until asked or known.
        if heavy and "comfort" not in state.asked:
            return Plan("comfort", "affirmation", reasons=[*reasons, f"heavy emotion {emotion}"])
        if missing and turn < 4:
            ask = missing[0]
            strategy = "reflection" if ask != "feeling" else "restatement"
            return Plan("explore", strategy, ask_for=ask, reasons=reasons)
        if analysis.horsemen:
            return Plan("act", "information", reasons=[*reasons, "pattern worth naming"])
        if turn >= 2:
            return Plan(
                "act",
                "suggestion",
                suggest_tool=tool_to_offer(text, analysis, conversation.state.flags),
                reasons=[*reasons, "enough explored"],
            )
        return Plan("explore", "reflection", ask_for="want", reasons=reasons)

    # Advice requested (or wording help without a named tool: a card's example phrasing).
    if not knows["situation"]:
        return Plan("explore", "question", ask_for="situation", reasons=reasons)
    if heavy and turn == 0:
        return Plan("comfort", "affirmation", reasons=[*reasons, f"heavy emotion {emotion}"])
    return Plan(
        "act",
        "suggestion",
        suggest_tool=tool_to_offer(text, analysis, conversation.state.flags),
        reasons=reasons,
    )
