"""Fixed, reviewed replies for flagged messages and support-mode follow-ups (never an LLM)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from amante.engine.types import Mode, SafetyResult

from .patterns import load_yaml
from .resources import Resource, pick
from .screen import third_party_in

# Which reply wins when a message has several categories (most urgent first).
_PRIORITY = (
    "medical_emergency",
    "self_harm",
    "child_safety",
    "harm_from_partner",
    "harm_from_others",
    "harm_to_others",
    "coercive_control",
    "covert_surveillance",
    "manipulation",
)


@dataclass
class ProtocolReply:
    """A reviewed reply with the mode the conversation should move to and flags to remember."""

    text: str
    mode: Mode
    resources: list[Resource] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    key: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "mode": self.mode,
            "flags": list(self.flags),
            "key": self.key,
            "resources": [r.to_dict() for r in self.resources],
        }


@lru_cache(maxsize=1)
def _protocol() -> dict[str, Any]:
    return load_yaml("protocol.yaml")["replies"]


@lru_cache(maxsize=1)
def _support() -> dict[str, Any]:
    return load_yaml("support.yaml")


def disclosure() -> str:
    """The short 'I'm an AI coach, not a therapist or crisis service' line."""
    return " ".join(str(_support()["disclosure"]).split())


def _render(key: str, region: str) -> ProtocolReply:
    spec = _protocol()[key]
    res = pick(region, spec.get("resources", []))
    lines = "\n".join(r.line() for r in res)
    text = spec["text"].replace("{resources}", lines).strip()
    return ProtocolReply(
        text=text, mode=spec["mode"], resources=res, flags=list(spec.get("flags", [])), key=key
    )


def reply_key(result: SafetyResult) -> str | None:
    """Which reviewed reply fits this screen result (None when nothing is flagged)."""
    if not result.flagged:
        return None
    cats = set(result.categories)
    for cat in _PRIORITY:
        if cat not in cats:
            continue
        if cat == "self_harm":
            if third_party_in(result, cat):
                return "self_harm_third_party"
            return "self_harm_crisis" if result.level == "crisis" else "self_harm_checkin"
        if cat == "harm_from_partner" and third_party_in(result, cat):
            return "abuse_third_party"
        if cat == "harm_to_others":
            return (
                "harm_to_others"
                if result.refuse or result.level == "crisis"
                else "harm_to_others_urge"
            )
        return cat
    return None


def protocol_reply(
    result: SafetyResult, *, region: str = "INTL", turn_count: int = 0
) -> ProtocolReply:
    """The fixed reply for a flagged message, filled with the region's resources.

    On the first turn of a conversation the AI disclosure is added when the text lacks it.
    """
    key = reply_key(result)
    if key is None:
        raise ValueError("protocol_reply needs a flagged SafetyResult")
    reply = _render(key, region)
    # abuse next to another finding keeps the abuse flag, safety-first care and the DV line
    abuse = {
        c
        for c in result.categories
        if c in ("harm_from_partner", "coercive_control") and not third_party_in(result, c)
    }
    if abuse and "abuse" not in reply.flags:
        reply.flags = sorted({*reply.flags, "abuse"})
        if reply.mode == "normal":
            reply.mode = "safety_first"
        extra = [r for r in pick(region, ["domestic_violence"]) if r not in reply.resources]
        if extra:
            reply.resources += extra
            reply.text += "\n" + "\n".join(r.line() for r in extra)
    if turn_count == 0 and "AI coach" not in reply.text:
        reply.text = f"{disclosure()}\n{reply.text}"
    return reply


def support_reply(
    *, mode: Mode, region: str = "INTL", turn_in_mode: int = 0, flags: Sequence[str] = ()
) -> ProtocolReply:
    """A follow-up while in support_only or safety_first mode: grounding, one safety-plan step,
    staying with the user and a resources reminder; rotates by turn so it doesn't repeat.

    mode="normal" gives the neutral guard fallback (an open question, no advice).
    """
    if mode not in ("support_only", "safety_first", "normal"):
        raise ValueError(f"unknown mode {mode!r}")
    spec = _support()[mode]
    openings: list[str] = spec["openings"]
    steps: list[dict[str, str]] = spec["steps"]
    n = max(turn_in_mode, 0)
    opening = openings[n % len(openings)]
    step = steps[n % len(steps)]
    res = pick(region, spec["reminder_kinds"])
    if mode == "support_only" and "abuse" in flags:
        res += [r for r in pick(region, ["domestic_violence"]) if r not in res]
    lines = "\n".join(r.line() for r in res)
    text = f"{opening} {step['text']}"
    if res:
        text += f"\n{spec['reminder']}\n{lines}"
    extra = {"support_only": ["crisis"], "safety_first": ["abuse"]}.get(mode, [])
    out_flags = sorted({*flags, *extra})
    return ProtocolReply(
        text=text, mode=mode, resources=res, flags=out_flags, key=f"{mode}:{step['id']}"
    )
