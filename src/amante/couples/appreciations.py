"""Appreciations and bids for connection sent to a linked partner, and a gratitude ritual.

An appreciation names something the partner did or is ("Thank you for the coffee this
morning"); a bid is a small reach for attention or closeness ("Can we take a walk tonight?").
Noticing and answering small bids is what Gottman & Silver (1999) call turning toward, and
everyday expressed gratitude strengthens relationships (Algoe, Gable & Maisel, 2010). The
partner sees what arrived on their partner page and can answer with a short reply.

Optional gratitude ritual: when the couple plans the shared "nightly-gratitude" or
"appreciation-note" ritual, sending an appreciation on a day it is due checks it off for both.

Texts are encrypted at rest and visible only within the active link that carried them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from amante.couples import shared_rituals
from amante.couples.errors import CoupleError, UnknownCoupleItem
from amante.couples.links import Couple, aware, now_utc, require_couple
from amante.couples.safety_hold import hold_if_unsafe
from amante.store.couple_models import Appreciation
from amante.tools.errors import ToolError

__all__ = [
    "GRATITUDE_RITUALS",
    "KINDS",
    "AppreciationView",
    "list_received",
    "list_sent",
    "mark_seen",
    "respond",
    "send",
    "start_gratitude_ritual",
]

KINDS = ("appreciation", "bid")
TEXT_MAX = 500
RESPONSE_MAX = 280
GRATITUDE_RITUALS = ("nightly-gratitude", "appreciation-note")


@dataclass
class AppreciationView:
    id: str
    kind: str
    text: str
    direction: str  # "sent" or "received"
    created_at: datetime
    seen: bool
    response: str | None
    responded_at: datetime | None
    ritual_checked: list[str] | None = None  # gratitude rituals this one checked off

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "text": self.text,
                "direction": self.direction, "created_at": self.created_at.isoformat(),
                "seen": self.seen, "response": self.response,
                "responded_at": self.responded_at.isoformat() if self.responded_at else None,
                "ritual_checked": self.ritual_checked or []}


def _view(row: Appreciation, couple: Couple) -> AppreciationView:
    return AppreciationView(
        id=row.id, kind=row.kind, text=row.text,
        direction="sent" if row.user_id == couple.user_id else "received",
        created_at=aware(row.created_at), seen=row.seen_at is not None, response=row.response,
        responded_at=aware(row.responded_at) if row.responded_at else None,
    )


def send(
    session: Session, user_id: str, text: str, kind: str = "appreciation",
    now: datetime | None = None,
) -> AppreciationView:
    """Send a short appreciation or bid to the partner (checks off a due gratitude ritual)."""
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    if kind not in KINDS:
        raise CoupleError(f"kind must be one of: {', '.join(KINDS)}")
    text = (text or "").strip()
    if not text:
        raise CoupleError("write a few words first")
    if len(text) > TEXT_MAX:
        raise CoupleError(f"keep it short: at most {TEXT_MAX} characters")
    hold_if_unsafe(session, user_id, text)
    row = Appreciation(id=str(uuid.uuid4()), link_id=couple.link_id, user_id=user_id,
                       recipient_id=couple.partner_id, kind=kind, text=text, created_at=now)
    session.add(row)
    session.flush()
    checked: list[str] = []
    if kind == "appreciation":
        for plan in shared_rituals.list_plans(session, user_id, now=now):
            if plan.ritual_id in GRATITUDE_RITUALS and not plan.done_today:
                try:
                    shared_rituals.check_off(session, user_id, plan.id, now=now)
                except ToolError:
                    continue  # not due today: nothing to check off
                checked.append(plan.ritual_id)
    view = _view(row, couple)
    view.ritual_checked = checked
    return view


def _rows(session: Session, couple: Couple, received: bool, limit: int) -> list[Appreciation]:
    who = Appreciation.recipient_id if received else Appreciation.user_id
    return list(session.scalars(
        select(Appreciation)
        .where(Appreciation.link_id == couple.link_id, who == couple.user_id)
        .order_by(Appreciation.created_at.desc(), Appreciation.id)
        .limit(max(1, min(limit, 200)))))


def list_received(session: Session, user_id: str, limit: int = 20, unseen_only: bool = False,
                  now: datetime | None = None) -> list[AppreciationView]:
    """What the partner sent, newest first (only while linked)."""
    couple = require_couple(session, user_id, now)
    rows = _rows(session, couple, True, limit)
    if unseen_only:
        rows = [r for r in rows if r.seen_at is None]
    return [_view(r, couple) for r in rows]


def list_sent(session: Session, user_id: str, limit: int = 20, now: datetime | None = None
              ) -> list[AppreciationView]:
    couple = require_couple(session, user_id, now)
    return [_view(r, couple) for r in _rows(session, couple, False, limit)]


def _received(session: Session, couple: Couple, appreciation_id: str) -> Appreciation:
    row = session.scalar(select(Appreciation).where(
        Appreciation.id == appreciation_id, Appreciation.link_id == couple.link_id,
        Appreciation.recipient_id == couple.user_id))
    if row is None:
        raise UnknownCoupleItem(f"no appreciation {appreciation_id!r} sent to you")
    return row


def mark_seen(session: Session, user_id: str, appreciation_id: str,
              now: datetime | None = None) -> AppreciationView:
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    row = _received(session, couple, appreciation_id)
    if row.seen_at is None:
        row.seen_at = now
    session.flush()
    return _view(row, couple)


def respond(session: Session, user_id: str, appreciation_id: str, text: str,
            now: datetime | None = None) -> AppreciationView:
    """Answer what the partner sent (turning toward a bid); replaces an earlier answer."""
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    row = _received(session, couple, appreciation_id)
    text = (text or "").strip()
    if not text:
        raise CoupleError("write a few words first")
    if len(text) > RESPONSE_MAX:
        raise CoupleError(f"keep it short: at most {RESPONSE_MAX} characters")
    row.response, row.responded_at = text, now
    row.seen_at = row.seen_at or now
    session.flush()
    return _view(row, couple)


def start_gratitude_ritual(
    session: Session, user_id: str, ritual_id: str = "nightly-gratitude",
    timezone: str | None = None, now: datetime | None = None,
) -> shared_rituals.SharedPlanView:
    """Plan a gratitude ritual for the couple; appreciations then check it off when due."""
    if ritual_id not in GRATITUDE_RITUALS:
        raise CoupleError(f"the gratitude ritual must be one of: {', '.join(GRATITUDE_RITUALS)}")
    return shared_rituals.plan_ritual(session, user_id, ritual_id, timezone=timezone, now=now)
