"""Plain functions over a Session; every query filters by the owner's user id."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from amante.engine.types import Conversation, ConversationState, Fact, PastTurn, Profile, Turn
from amante.store.models import (
    ConversationRow,
    FactRow,
    MessageRow,
    ProfileRow,
    SafetyEventRow,
    User,
    utcnow,
)

HISTORY_TURNS = 20


class NotFound(LookupError):
    """The object does not exist for this user."""


_ID = re.compile(r"^[A-Za-z0-9-]{1,36}$")


def plausible_id(value: str) -> bool:
    """Ids are UUIDs; anything else (NUL bytes, long strings) matches nothing, without a query."""
    return bool(_ID.match(value))


def get_or_create_user(session: Session, handle: str) -> User:
    user = session.scalar(select(User).where(User.handle == handle))
    if user is None:
        user = User(id=str(uuid.uuid4()), handle=handle, created_at=utcnow())
        session.add(user)
        session.flush()
    return user


def get_profile(session: Session, user_id: str) -> Profile:
    row = session.get(ProfileRow, user_id)
    if row is None:
        return Profile()
    known = {k: v for k, v in row.data.items() if k in Profile.__dataclass_fields__}
    return Profile(**known)


def save_profile(session: Session, user_id: str, profile: Profile) -> None:
    row = session.get(ProfileRow, user_id)
    if row is None:
        session.add(ProfileRow(user_id=user_id, data=profile.to_dict(), updated_at=utcnow()))
    else:
        row.data = profile.to_dict()
        row.updated_at = utcnow()


def list_facts(session: Session, user_id: str) -> list[Fact]:
    rows = session.scalars(select(FactRow).where(FactRow.user_id == user_id).order_by(FactRow.id))
    return [Fact(r.key, r.value, r.evidence) for r in rows]


SINGLE_VALUED = {
    "partner_name",
    "partner_role",
    "relationship_length",
    "relationship_stage",
    "user_name",
    "ex_name",
    "ex_role",
}


def add_facts(session: Session, user_id: str, facts: list[Fact]) -> None:
    """Store new facts; a single-valued key (partner's name, stage) replaces its old value.

    Values are encrypted with a random IV, so duplicates are found in Python, not in SQL.
    """
    rows = list(session.scalars(select(FactRow).where(FactRow.user_id == user_id)))
    for fact in facts:
        if fact.key in SINGLE_VALUED:
            for row in [r for r in rows if r.key == fact.key and r.value != fact.value]:
                session.delete(row)
                rows.remove(row)
        if any(r.key == fact.key and r.value.lower() == fact.value.lower() for r in rows):
            continue
        row = FactRow(
            user_id=user_id,
            key=fact.key,
            value=fact.value,
            evidence=fact.evidence[:500],
            created_at=utcnow(),
        )
        session.add(row)
        rows.append(row)
    session.flush()


def create_conversation(
    session: Session, user_id: str, conversation_id: str | None = None
) -> ConversationRow:
    now = utcnow()
    row = ConversationRow(
        id=conversation_id or str(uuid.uuid4()),
        user_id=user_id,
        title="",
        state={},
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def get_conversation_row(session: Session, user_id: str, conversation_id: str) -> ConversationRow:
    if not plausible_id(conversation_id):
        raise NotFound(f"no conversation {conversation_id[:40]!r}")
    row = session.scalar(
        select(ConversationRow).where(
            ConversationRow.id == conversation_id, ConversationRow.user_id == user_id
        )
    )
    if row is None:
        raise NotFound(f"no conversation {conversation_id!r}")
    return row


def latest_conversation(session: Session, user_id: str) -> ConversationRow | None:
    return session.scalar(
        select(ConversationRow)
        .where(ConversationRow.user_id == user_id)
        .order_by(ConversationRow.updated_at.desc(), ConversationRow.created_at.desc())
        .limit(1)
    )


def list_conversations(session: Session, user_id: str) -> list[ConversationRow]:
    return list(
        session.scalars(
            select(ConversationRow)
            .where(ConversationRow.user_id == user_id)
            .order_by(ConversationRow.created_at)
        )
    )


def messages(
    session: Session, user_id: str, conversation_id: str, limit: int | None = None
) -> list[MessageRow]:
    query = (
        select(MessageRow)
        .where(MessageRow.user_id == user_id, MessageRow.conversation_id == conversation_id)
        .order_by(MessageRow.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(reversed(list(session.scalars(query))))


def _summaries(session: Session, user_id: str, exclude: str) -> list[str]:
    """Short notes from earlier conversations (their first user message), newest first."""
    out: list[str] = []
    for conv in reversed(list_conversations(session, user_id)):
        if conv.id == exclude:
            continue
        first = session.scalar(
            select(MessageRow.text)
            .where(
                MessageRow.user_id == user_id,
                MessageRow.conversation_id == conv.id,
                MessageRow.role == "user",
            )
            .order_by(MessageRow.id)
            .limit(1)
        )
        if first:
            out.append(first[:200])
        if len(out) >= 3:
            break
    return out


def load_conversation(session: Session, user_id: str, row: ConversationRow) -> Conversation:
    """What the coach remembers: profile, facts, recent turns, state, earlier sessions."""
    history = [
        PastTurn(role="user" if m.role == "user" else "coach", text=m.text, meta=m.meta or {})
        for m in messages(session, user_id, row.id, limit=HISTORY_TURNS)
    ]
    return Conversation(
        id=row.id,
        profile=get_profile(session, user_id),
        facts=list_facts(session, user_id),
        history=history,
        state=ConversationState.from_dict(row.state),
        earlier_summary=_summaries(session, user_id, row.id),
    )


def save_turn(session: Session, user_id: str, turn: Turn) -> None:
    """Persist the user's message, the reply, new facts, state and safety events together."""
    row = get_conversation_row(session, user_id, turn.conversation_id)
    now = utcnow()
    user_meta: dict[str, Any] = {
        "analysis": turn.analysis.to_dict(),
        "safety_level": turn.safety.level,
        "safety_categories": list(turn.safety.categories),
        "emotion": turn.analysis.top_emotion,
    }
    coach_meta: dict[str, Any] = {
        "plan": turn.plan.to_dict(),
        "techniques": [t.to_dict() for t in turn.techniques],
        "backend": turn.backend,
        "events": list(turn.events),
    }
    session.add(
        MessageRow(
            conversation_id=row.id,
            user_id=user_id,
            role="user",
            text=turn.text,
            meta=user_meta,
            created_at=now,
        )
    )
    session.add(
        MessageRow(
            conversation_id=row.id,
            user_id=user_id,
            role="coach",
            text=turn.reply,
            meta=coach_meta,
            created_at=now,
        )
    )
    add_facts(session, user_id, turn.new_facts)
    if not row.title:
        row.title = turn.text[:80]
    row.state = turn.state.to_dict()
    row.updated_at = now
    if turn.safety.flagged:
        kind = ",".join(turn.safety.categories) or "refuse"
        session.add(
            SafetyEventRow(
                user_id=user_id,
                conversation_id=row.id,
                kind=kind[:120],
                level=turn.safety.level,
                created_at=now,
            )
        )
    session.flush()


def forget(session: Session, user_id: str, what: str = "all") -> dict[str, int]:
    """Delete facts, conversations, or everything (profile included) for this user."""
    counts: dict[str, int] = {}
    if what in {"facts", "all"}:
        counts["facts"] = (
            session.execute(delete(FactRow).where(FactRow.user_id == user_id)).rowcount or 0
        )
    if what in {"conversations", "all"}:
        counts["safety_events"] = (
            session.execute(
                delete(SafetyEventRow).where(SafetyEventRow.user_id == user_id)
            ).rowcount
            or 0
        )
        counts["messages"] = (
            session.execute(delete(MessageRow).where(MessageRow.user_id == user_id)).rowcount or 0
        )
        counts["conversations"] = (
            session.execute(
                delete(ConversationRow).where(ConversationRow.user_id == user_id)
            ).rowcount
            or 0
        )
    if what == "all":
        from amante.couples.privacy import delete_user_data
        from amante.tools import delete_tools

        counts.update(delete_user_data(session, user_id))
        counts["profile"] = (
            session.execute(delete(ProfileRow).where(ProfileRow.user_id == user_id)).rowcount or 0
        )
        counts.update(delete_tools(session, user_id))
    return counts


def _iso(ts: datetime) -> str:
    return ts.isoformat()


def export(session: Session, user: User) -> dict[str, Any]:
    """Everything stored about this user, as JSON-ready data."""
    from amante.couples.privacy import export_user_data
    from amante.tools import export_tools

    return {
        "format": "amante-export",
        "version": 1,
        "user": {"id": user.id, "handle": user.handle, "created_at": _iso(user.created_at)},
        "profile": get_profile(session, user.id).to_dict(),
        "facts": [f.to_dict() for f in list_facts(session, user.id)],
        "conversations": [
            {
                "id": c.id,
                "title": c.title,
                "created_at": _iso(c.created_at),
                "messages": [
                    {
                        "role": m.role,
                        "text": m.text,
                        "meta": m.meta,
                        "created_at": _iso(m.created_at),
                    }
                    for m in messages(session, user.id, c.id)
                ],
            }
            for c in list_conversations(session, user.id)
        ],
        "safety_events": [
            {
                "conversation_id": e.conversation_id,
                "kind": e.kind,
                "level": e.level,
                "created_at": _iso(e.created_at),
            }
            for e in session.scalars(
                select(SafetyEventRow)
                .where(SafetyEventRow.user_id == user.id)
                .order_by(SafetyEventRow.id)
            )
        ],
        "tools": export_tools(session, user.id),
        "couple": export_user_data(session, user.id),
    }
