"""Nothing flagged by the safety screen is shared with a partner."""

from __future__ import annotations

from sqlalchemy.orm import Session

from amante.couples.errors import HeldForSafety

# Disclosures of abuse, threats and harmful requests never travel to the partner.
HOLD_CATEGORIES = frozenset(
    {
        "harm_from_partner",
        "coercive_control",
        "harm_from_others",
        "harm_to_others",
        "child_safety",
        "covert_surveillance",
        "manipulation",
    }
)


def hold_if_unsafe(session: Session, user_id: str, text: str) -> None:
    """Refuse to share text with the partner when the safety screen flags it.

    An abused user's daily answer or note must never reach the person hurting them, and a
    threat must never be delivered: the writer gets the reviewed safety reply, privately, and
    nothing is saved.
    """
    from amante.engine import safety
    from amante.store.repository import get_profile

    result = safety.screen(text)
    dangerous = set(result.categories) & HOLD_CATEGORIES
    if not (result.level == "crisis" or dangerous or result.refuse):
        return  # e.g. a low-level check-in about mood: the user's own words, theirs to share
    region = get_profile(session, user_id).region or "INTL"
    reply = safety.protocol_reply(result, region=region).text
    raise HeldForSafety("This was not shared with your partner, and it was not saved.\n\n" + reply)
