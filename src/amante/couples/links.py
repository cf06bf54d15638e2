"""Linking two accounts as a couple: single-use invite codes, accepting, unlinking, status.

An invite code is 12 random characters (about 60 bits) from an alphabet without look-alike
characters, shown once and stored only as its SHA-256 hash; it expires after 72 hours and
works once. Making a new invite voids the previous one. A link is created together with both
memberships and the used invite in one transaction, so a failure leaves no partial link; the
primary key on `couple_members.user_id` keeps one active link per user even under races.

Unlinking ends the link at once for both people: every shared view checks for an active
membership first. Each person's own rows (answers they wrote, appreciations they sent) stay
theirs, for their export, but nothing crosses any more.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from amante.couples.errors import (
    AlreadyLinked,
    CoupleError,
    InviteExpired,
    InviteInvalid,
    InviteUsed,
    NotLinked,
    SelfInvite,
)
from amante.store.couple_models import CoupleInvite, CoupleLink, CoupleMember
from amante.store.models import User

__all__ = [
    "INVITE_TTL",
    "Couple",
    "Invite",
    "Status",
    "accept_invite",
    "active_couple",
    "cancel_invite",
    "create_invite",
    "normalize_code",
    "require_couple",
    "set_timezone",
    "status",
    "unlink",
]

INVITE_TTL = timedelta(hours=72)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 12
SHARED_THINGS = (
    "that you are linked, and since when",
    "the daily question, and each answer only after you have both answered",
    "hearts and short replies to revealed answers",
    "rituals you plan together, their check-offs and streak",
    "appreciations and bids for connection you send each other",
)
PRIVATE_THINGS = (
    "your conversations with the coach",
    "your journal",
    "your self-assessments and their results",
    "what the coach remembers about you",
    "your own ritual plans",
)


def now_utc(now: datetime | None = None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise CoupleError("`now` must be timezone-aware")
    return now


def aware(ts: datetime) -> datetime:
    """SQLite returns naive datetimes; they are UTC."""
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def check_timezone(name: str | None) -> str:
    name = (name or "UTC").strip() or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CoupleError(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Berlin or "
            "America/New_York"
        ) from None
    return name


def _hash(code: str) -> str:
    return hashlib.sha256(f"amante-couple-invite:{code}".encode()).hexdigest()


def normalize_code(raw: str) -> str:
    """The canonical form of a typed code: upper case, without spaces or dashes.

    Raises InviteInvalid for anything that cannot be a code (wrong length or characters).
    """
    code = "".join(ch for ch in (raw or "").upper() if ch not in " -\t\n")
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        raise InviteInvalid("that invite code is not valid; check it with your partner")
    return code


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class Invite:
    """A fresh invite: the code is shown once and never stored in clear."""

    code: str
    created_at: datetime
    expires_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "created_at": self.created_at.isoformat(),
                "expires_at": self.expires_at.isoformat()}


@dataclass(frozen=True)
class Couple:
    """The caller's active link as the caller sees it."""

    link_id: str
    user_id: str
    partner_id: str
    partner_handle: str
    timezone: str
    partner_timezone: str
    since: datetime

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self, now: datetime) -> date:
        """The caller's local date: each partner's day is counted in their own time zone."""
        return now.astimezone(self.tz).date()


@dataclass
class Status:
    linked: bool
    partner_handle: str | None = None
    since: datetime | None = None
    timezone: str | None = None
    invite_expires_at: datetime | None = None
    shared: list[str] = field(default_factory=lambda: list(SHARED_THINGS))
    private: list[str] = field(default_factory=lambda: list(PRIVATE_THINGS))

    def to_dict(self) -> dict[str, Any]:
        return {
            "linked": self.linked,
            "partner": {"handle": self.partner_handle} if self.linked else None,
            "since": self.since.isoformat() if self.since else None,
            "timezone": self.timezone,
            "invite_expires_at": (
                self.invite_expires_at.isoformat() if self.invite_expires_at else None
            ),
            "shared": list(self.shared),
            "private": list(self.private),
        }


def _end_link(session: Session, link_id: str, now: datetime) -> None:
    link = session.get(CoupleLink, link_id)
    if link is not None and link.ended_at is None:
        link.ended_at = now
    session.execute(delete(CoupleMember).where(CoupleMember.link_id == link_id))


def active_couple(session: Session, user_id: str, now: datetime | None = None) -> Couple | None:
    """The caller's active link, or None.

    A link whose other member is gone (an account deleted without the couple hook) is ended
    here, so the remaining partner is never left sharing with nobody.
    """
    me = session.get(CoupleMember, user_id)
    if me is None:
        return None
    other = session.scalar(select(CoupleMember).where(
        CoupleMember.link_id == me.link_id, CoupleMember.user_id != user_id))
    partner = session.get(User, other.user_id) if other is not None else None
    link = session.get(CoupleLink, me.link_id)
    if other is None or partner is None or link is None:
        _end_link(session, me.link_id, now_utc(now))
        session.flush()
        return None
    return Couple(
        link_id=me.link_id, user_id=user_id, partner_id=other.user_id,
        partner_handle=partner.handle, timezone=me.timezone, partner_timezone=other.timezone,
        since=aware(link.created_at),
    )


def require_couple(session: Session, user_id: str, now: datetime | None = None) -> Couple:
    couple = active_couple(session, user_id, now)
    if couple is None:
        raise NotLinked("you are not linked with a partner (or the link was just removed)")
    return couple


def _pending_invite(session: Session, user_id: str, now: datetime) -> CoupleInvite | None:
    rows = session.scalars(select(CoupleInvite).where(
        CoupleInvite.user_id == user_id, CoupleInvite.used_at.is_(None)))
    live = [r for r in rows if aware(r.expires_at) > now]
    return max(live, key=lambda r: aware(r.created_at)) if live else None


def create_invite(
    session: Session, user_id: str, timezone: str | None = None, now: datetime | None = None
) -> Invite:
    """A new single-use code for this user's partner; any earlier unused code stops working."""
    now = now_utc(now)
    tzname = check_timezone(timezone)
    if active_couple(session, user_id, now) is not None:
        raise AlreadyLinked("you are already linked with a partner; unlink first to invite "
                            "someone else")
    session.execute(delete(CoupleInvite).where(
        CoupleInvite.user_id == user_id, CoupleInvite.used_at.is_(None)))
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + INVITE_TTL
    session.add(CoupleInvite(id=str(uuid.uuid4()), user_id=user_id, code_hash=_hash(code),
                             timezone=tzname, created_at=now, expires_at=expires))
    session.flush()
    return Invite(format_code(code), now, expires)


def cancel_invite(session: Session, user_id: str) -> bool:
    """Void this user's unused invite; True when there was one."""
    result = session.execute(delete(CoupleInvite).where(
        CoupleInvite.user_id == user_id, CoupleInvite.used_at.is_(None)))
    return bool(result.rowcount)


def accept_invite(
    session: Session, user_id: str, code: str, timezone: str | None = None,
    now: datetime | None = None,
) -> Couple:
    """Link the caller with the person who made `code`.

    Checks, in order: the code's form, the caller's own link, that the code exists, is not
    the caller's own, unused and unexpired, and that its maker is still free. Everything is
    written in the caller's transaction or nothing is.
    """
    now = now_utc(now)
    tzname = check_timezone(timezone)
    canonical = normalize_code(code)
    if active_couple(session, user_id, now) is not None:
        raise AlreadyLinked("you are already linked with a partner; unlink first to accept "
                            "another invite")
    invite = session.scalar(select(CoupleInvite).where(
        CoupleInvite.code_hash == _hash(canonical)))
    if invite is None:
        raise InviteInvalid("that invite code is not valid; check it with your partner")
    if invite.user_id == user_id:
        raise SelfInvite("this is your own invite code; give it to your partner to accept")
    if invite.used_at is not None:
        raise InviteUsed("this invite code was already used; ask your partner for a new one")
    if aware(invite.expires_at) <= now:
        raise InviteExpired("this invite code has expired (codes last 72 hours); ask your "
                            "partner for a new one")
    if active_couple(session, invite.user_id, now) is not None:
        raise InviteUsed("this invite code can no longer be used; ask your partner for a new "
                         "one")
    link = CoupleLink(id=str(uuid.uuid4()), created_at=now)
    session.add(link)
    session.flush()
    session.add_all([
        CoupleMember(user_id=invite.user_id, link_id=link.id, timezone=invite.timezone,
                     joined_at=now),
        CoupleMember(user_id=user_id, link_id=link.id, timezone=tzname, joined_at=now),
    ])
    invite.used_at = now
    try:
        session.flush()
    except IntegrityError:  # a concurrent accept linked one of us first; caller rolls back
        raise AlreadyLinked("one of you was linked a moment ago; reload and try again") from None
    session.execute(delete(CoupleInvite).where(
        CoupleInvite.user_id.in_([user_id, invite.user_id]), CoupleInvite.used_at.is_(None)))
    return require_couple(session, user_id, now)


def unlink(session: Session, user_id: str, now: datetime | None = None) -> None:
    """End the caller's link: sharing stops for both at once; own data is kept."""
    now = now_utc(now)
    couple = require_couple(session, user_id, now)
    _end_link(session, couple.link_id, now)
    session.flush()


def set_timezone(
    session: Session, user_id: str, timezone: str, now: datetime | None = None
) -> Couple:
    """Change the time zone the caller's days (daily question, streak) are counted in."""
    tzname = check_timezone(timezone)
    require_couple(session, user_id, now)
    member = session.get(CoupleMember, user_id)
    assert member is not None
    member.timezone = tzname
    session.flush()
    return require_couple(session, user_id, now)


def status(session: Session, user_id: str, now: datetime | None = None) -> Status:
    """What the caller sees about their link: never anything about the partner's private data."""
    now = now_utc(now)
    couple = active_couple(session, user_id, now)
    if couple is None:
        pending = _pending_invite(session, user_id, now)
        return Status(linked=False, invite_expires_at=aware(pending.expires_at)
                      if pending else None)
    return Status(linked=True, partner_handle=couple.partner_handle, since=couple.since,
                  timezone=couple.timezone)
