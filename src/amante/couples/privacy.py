"""The privacy and safety rules of couple mode, in one place.

1. Private stays private. A partner's coach conversations, journal, assessments, memories
   (facts, profile) and personal ritual plans are never read by couple code on behalf of the
   other partner. Couple views read only couple tables, always through the caller's active
   link; `shared_context` is the single, narrow way shared things reach the coach.
2. The coach knows only what is shared: that the user is linked, the rituals planned
   together (with their streak), and daily answers after both answered.
3. Safety first. When the user's own safety screen ever flagged partner abuse or coercive
   control (a safety event, or a conversation carrying the "abuse" flag), the coach gets no
   joint activity to suggest (`prepare_conversation` marks the conversation unsafe and the
   joint tools as already offered), the partner pages stop nudging them to share, and they
   are shown how to unlink quietly. Nothing about a flag ever reaches the partner: partner
   views never call `safety_flagged` for anyone but the caller.
4. Unlinking stops all sharing at once (every view needs an active link) and keeps each
   person's own rows. Deleting an account removes the person's couple rows and ends the link
   (`delete_user_data`; the lead wires it into account deletion).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from amante.couples import daily, links, shared_rituals
from amante.engine.types import Conversation, Fact
from amante.store.couple_models import (
    Appreciation,
    CoupleInvite,
    CoupleMember,
    DailyAnswer,
    DailyQuestion,
    DailyReaction,
    SharedRitualCheckin,
    SharedRitualPlan,
)
from amante.store.models import ConversationRow, SafetyEventRow

__all__ = [
    "ABUSE_CATEGORIES",
    "JOINT_TOOLS",
    "QUIET_UNLINK",
    "SharedContext",
    "delete_user_data",
    "export_user_data",
    "prepare_conversation",
    "safety_flagged",
    "shared_context",
]

ABUSE_CATEGORIES = frozenset({"harm_from_partner", "coercive_control"})
ABUSE_FLAGS = frozenset({"abuse"})
JOINT_TOOLS = ("rituals", "starters")  # tools the composer offers that involve the partner
SHARED_ANSWER_CHARS = 200
QUIET_UNLINK = (
    "You can end the link at any time from this page with \"Unlink\". Your partner is not "
    "sent a message; their partner page simply shows that you are no longer linked. Your "
    "conversations, journal and self-checks were never shared and stay private. If someone "
    "checks your phone, the Quick exit button (or Esc three times) leaves this site at once."
)


def safety_flagged(session: Session, user_id: str) -> bool:
    """Has this user's own safety screen ever flagged partner abuse or coercive control?

    Only ever called for the signed-in user about themselves: a partner's flag must never
    change what the other partner sees.
    """
    kinds = session.scalars(select(SafetyEventRow.kind).where(SafetyEventRow.user_id == user_id))
    if any(ABUSE_CATEGORIES & set(kind.split(",")) for kind in kinds):
        return True
    states = session.scalars(select(ConversationRow.state).where(
        ConversationRow.user_id == user_id))
    return any(ABUSE_FLAGS & set((state or {}).get("flags") or []) for state in states)


@dataclass
class SharedContext:
    """What the coach may know about the couple: only things both already share."""

    linked: bool = False
    rituals: list[tuple[str, int]] = field(default_factory=list)  # (title, shared streak)
    revealed: list[tuple[str, str, str]] = field(default_factory=list)  # (question, me, them)
    daily_streak: int = 0
    joint_ok: bool = True  # False: suggest no joint activity, no nudge to share

    def facts(self) -> list[Fact]:
        """The shared things as coach facts (never stored: the coach only reads them)."""
        if not self.linked:
            return []
        out = [Fact("couple_mode", "linked with their partner in amante")]
        if not self.joint_ok:
            return out
        for title, streak in self.rituals:
            out.append(Fact("shared_ritual", f"{title} (done {streak} in a row)"))
        for question, mine, theirs in self.revealed[:1]:
            out.append(Fact("daily_question", f"{question} They answered: {mine!r}; their "
                                              f"partner answered: {theirs!r}"))
        return out


def _short(text: str) -> str:
    return text if len(text) <= SHARED_ANSWER_CHARS else text[: SHARED_ANSWER_CHARS - 1] + "…"


def shared_context(session: Session, user_id: str, now: datetime | None = None) -> SharedContext:
    """The narrow view of couple data the coach may use for this user.

    Reads only couple tables through the user's active link; a partner's answer is included
    only once both answered that day (revealed). A safety-flagged user gets linked status only.
    """
    now = links.now_utc(now)
    couple = links.active_couple(session, user_id, now)
    if couple is None:
        return SharedContext()
    if safety_flagged(session, user_id):
        return SharedContext(linked=True, joint_ok=False)
    ctx = SharedContext(linked=True)
    ctx.rituals = [(p.title, p.streak)
                   for p in shared_rituals.list_plans(session, user_id, now=now)]
    for day in daily.history(session, user_id, limit=3, now=now):
        if day.revealed and day.my_answer and day.partner_answer:
            ctx.revealed.append((day.question, _short(day.my_answer.text),
                                 _short(day.partner_answer.text)))
    ctx.daily_streak = daily.streak(session, couple, couple.today(now))
    return ctx


def prepare_conversation(
    session: Session, user_id: str, conversation: Conversation, now: datetime | None = None
) -> Conversation:
    """The conversation the coach should see for this user, with couple rules applied.

    Returns a copy: shared facts appended (not stored), and for a safety-flagged user the
    "abuse" flag (the engine then picks only cards safe for an unsafe user and refuses
    relationship-improvement advice) plus the joint tools marked as already offered, so no
    ritual or starter is suggested to do with the partner. The flag is applied whether or not
    the user is linked: it is about the user's safety, not the link.
    """
    out = copy.deepcopy(conversation)
    ctx = shared_context(session, user_id, now)
    flagged = not ctx.joint_ok or safety_flagged(session, user_id)
    out.facts = [*out.facts, *ctx.facts()]
    if flagged:
        state = out.state
        out.state = dataclasses.replace(
            state,
            flags=sorted(set(state.flags) | ABUSE_FLAGS),
            used_snippets=[*state.used_snippets,
                           *(f"tools:{t}" for t in JOINT_TOOLS
                             if f"tools:{t}" not in state.used_snippets)],
        )
    return out


def delete_user_data(session: Session, user_id: str) -> dict[str, int]:
    """Remove this user's couple data and end their link (for account deletion).

    The partner keeps their own rows (answers they wrote, appreciations they sent) inside the
    ended link; nothing of the deleted user remains.
    """
    counts: dict[str, int] = {}
    if links.active_couple(session, user_id) is not None:
        links.unlink(session, user_id)
        counts["links_ended"] = 1

    def run(name: str, stmt: Any) -> None:
        counts[name] = session.execute(stmt).rowcount or 0

    run("daily_reactions", delete(DailyReaction).where(or_(
        DailyReaction.user_id == user_id,
        DailyReaction.answer_id.in_(select(DailyAnswer.id).where(DailyAnswer.user_id == user_id)),
    )))
    run("daily_answers", delete(DailyAnswer).where(DailyAnswer.user_id == user_id))
    run("shared_ritual_checkins", delete(SharedRitualCheckin).where(
        SharedRitualCheckin.user_id == user_id))
    run("shared_ritual_plans", delete(SharedRitualPlan).where(
        SharedRitualPlan.user_id == user_id))
    run("appreciations", delete(Appreciation).where(or_(
        Appreciation.user_id == user_id, Appreciation.recipient_id == user_id)))
    run("couple_invites", delete(CoupleInvite).where(CoupleInvite.user_id == user_id))
    run("couple_members", delete(CoupleMember).where(CoupleMember.user_id == user_id))
    session.flush()
    return counts


def export_user_data(session: Session, user_id: str) -> dict[str, Any]:
    """This user's own couple rows for their export (nothing the partner wrote)."""
    couple = links.active_couple(session, user_id)

    def iso(value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else value

    answers = session.execute(
        select(DailyQuestion.day, DailyQuestion.starter_id, DailyAnswer.text,
               DailyAnswer.created_at)
        .join(DailyQuestion, DailyQuestion.id == DailyAnswer.question_id)
        .where(DailyAnswer.user_id == user_id).order_by(DailyQuestion.day))
    sent = session.scalars(select(Appreciation).where(Appreciation.user_id == user_id)
                           .order_by(Appreciation.created_at))
    reactions = session.scalars(select(DailyReaction).where(DailyReaction.user_id == user_id)
                                .order_by(DailyReaction.id))
    return {
        "linked": couple is not None,
        "linked_since": iso(couple.since) if couple else None,
        "daily_answers": [{"date": iso(d), "question_id": s, "text": t,
                           "answered_at": iso(c)} for d, s, t, c in answers],
        "daily_reactions": [{"heart": r.heart, "reply": r.reply, "created_at": iso(r.created_at)}
                            for r in reactions],
        "appreciations_sent": [{"kind": a.kind, "text": a.text, "created_at": iso(a.created_at)}
                               for a in sent],
    }
