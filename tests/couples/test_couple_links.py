"""Linking: single-use hashed invite codes, expiry, bad codes, one link per user, unlink."""

from __future__ import annotations

from datetime import timedelta

import pytest
from couple_helpers import NOW, link, make_users
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from amante.couples import daily, links
from amante.couples.errors import (
    AlreadyLinked,
    InviteExpired,
    InviteInvalid,
    InviteUsed,
    NotLinked,
    SelfInvite,
)
from amante.store.couple_models import CoupleInvite, CoupleLink, CoupleMember


def count(database, model) -> int:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_invite_and_accept_link_both_ways(db):
    a, b = make_users(db, "ana", "ben")
    with db.session() as s:
        invite = links.create_invite(s, a, "Asia/Tokyo", now=NOW)
    assert invite.expires_at - invite.created_at == timedelta(hours=72)
    assert len(invite.code.replace("-", "")) == links.CODE_LENGTH
    with db.session() as s:
        couple = links.accept_invite(s, b, invite.code.lower(), "America/New_York", now=NOW)
    assert couple.partner_handle == "ana"
    with db.session() as s:
        sa, sb = links.status(s, a, now=NOW), links.status(s, b, now=NOW)
        ca = links.require_couple(s, a, now=NOW)
    assert sa.linked and sa.partner_handle == "ben" and sa.timezone == "Asia/Tokyo"
    assert sb.linked and sb.partner_handle == "ana" and sb.timezone == "America/New_York"
    assert ca.partner_timezone == "America/New_York"


def test_code_is_stored_only_as_a_hash(db):
    (a,) = make_users(db, "ana")
    with db.session() as s:
        code = links.create_invite(s, a, now=NOW).code
    with db.engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM couple_invites"))
                        for v in row)
    assert code not in dump and code.replace("-", "") not in dump


def test_reused_code_is_refused_and_nothing_changes(lite):
    a, b, c = make_users(lite, "ana", "ben", "cy")
    with lite.session() as s:
        code = links.create_invite(s, a, now=NOW).code
    with lite.session() as s:
        links.accept_invite(s, b, code, now=NOW)
    with pytest.raises(InviteUsed), lite.session() as s:
        links.accept_invite(s, c, code, now=NOW)
    with lite.session() as s:
        assert links.active_couple(s, c, now=NOW) is None
    assert count(lite, CoupleMember) == 2 and count(lite, CoupleLink) == 1


def test_expired_code_is_refused(lite):
    a, b = make_users(lite, "ana", "ben")
    with lite.session() as s:
        code = links.create_invite(s, a, now=NOW).code
    with pytest.raises(InviteExpired), lite.session() as s:
        links.accept_invite(s, b, code, now=NOW + links.INVITE_TTL)
    with lite.session() as s:  # one second before the deadline still works
        links.accept_invite(s, b, code, now=NOW + links.INVITE_TTL - timedelta(seconds=1))


@pytest.mark.parametrize("forged", ["AAAA-BBBB-CCCC", "", "short", "0000-1111-OOOO",
                                    "ABCD-EFGH-JKLM-NPQR", "' OR 1=1 --"])
def test_forged_or_malformed_codes_are_invalid(lite, forged):
    a, b = make_users(lite, "ana", "ben")
    with lite.session() as s:
        links.create_invite(s, a, now=NOW)
    with pytest.raises(InviteInvalid), lite.session() as s:
        links.accept_invite(s, b, forged, now=NOW)
    assert count(lite, CoupleMember) == 0


def test_own_code_cannot_be_accepted(lite):
    (a,) = make_users(lite, "ana")
    with lite.session() as s:
        code = links.create_invite(s, a, now=NOW).code
    with pytest.raises(SelfInvite), lite.session() as s:
        links.accept_invite(s, a, code, now=NOW)
    assert count(lite, CoupleLink) == 0


def test_accepting_while_linked_is_refused_and_the_code_stays_usable(lite):
    a, b, c, d = make_users(lite, "ana", "ben", "cy", "dee")
    link(lite, a, b)
    with lite.session() as s:
        code = links.create_invite(s, c, now=NOW).code
    with pytest.raises(AlreadyLinked), lite.session() as s:
        links.accept_invite(s, b, code, now=NOW)
    with lite.session() as s:
        assert links.require_couple(s, b, now=NOW).partner_id == a
        links.accept_invite(s, d, code, now=NOW)  # nothing was consumed by the refusal
        assert links.require_couple(s, d, now=NOW).partner_id == c


def test_inviting_while_linked_is_refused(lite):
    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b)
    with pytest.raises(AlreadyLinked), lite.session() as s:
        links.create_invite(s, a, now=NOW)


def test_a_new_invite_voids_the_old_one(lite):
    a, b = make_users(lite, "ana", "ben")
    with lite.session() as s:
        old = links.create_invite(s, a, now=NOW).code
        new = links.create_invite(s, a, now=NOW).code
    with pytest.raises(InviteInvalid), lite.session() as s:
        links.accept_invite(s, b, old, now=NOW)
    with lite.session() as s:
        links.accept_invite(s, b, new, now=NOW)


def test_inviter_who_linked_elsewhere_voids_their_code(lite):
    a, b, c = make_users(lite, "ana", "ben", "cy")
    with lite.session() as s:
        code_a = links.create_invite(s, a, now=NOW).code
        code_b = links.create_invite(s, b, now=NOW).code
    with lite.session() as s:
        links.accept_invite(s, b, code_a, now=NOW)  # ben links with ana
    with pytest.raises((InviteInvalid, InviteUsed)), lite.session() as s:
        links.accept_invite(s, c, code_b, now=NOW)  # ben's own old code is void
    with lite.session() as s:
        assert links.active_couple(s, c, now=NOW) is None


def test_one_active_link_per_user_is_enforced_by_the_database(lite):
    a, b, c = make_users(lite, "ana", "ben", "cy")
    link(lite, a, b)
    with pytest.raises(Exception) as info, lite.session() as s:
        other = CoupleLink(id="x" * 36, created_at=NOW)
        s.add(other)
        s.flush()
        s.add(CoupleMember(user_id=a, link_id=other.id, timezone="UTC", joined_at=NOW))
        s.add(CoupleMember(user_id=c, link_id=other.id, timezone="UTC", joined_at=NOW))
        s.flush()
    assert isinstance(info.value.__cause__, IntegrityError)
    with lite.session() as s:
        assert links.require_couple(s, a, now=NOW).partner_id == b


def test_a_failed_accept_leaves_no_partial_link(lite, monkeypatch):
    a, b = make_users(lite, "ana", "ben")
    with lite.session() as s:
        code = links.create_invite(s, a, now=NOW).code

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(links, "require_couple", broken)  # fails after the rows were added
    with pytest.raises(RuntimeError), lite.session() as s:
        links.accept_invite(s, b, code, now=NOW)
    monkeypatch.undo()
    assert count(lite, CoupleLink) == 0 and count(lite, CoupleMember) == 0
    with lite.session() as s:
        assert s.scalar(select(CoupleInvite.used_at)) is None  # the code is still usable
        links.accept_invite(s, b, code, now=NOW)


def test_unlink_stops_sharing_at_once_and_keeps_own_data(db):
    a, b = make_users(db, "ana", "ben")
    link(db, a, b)
    with db.session() as s:
        daily.answer(s, a, "my own words", now=NOW)
    with db.session() as s:
        links.unlink(s, b, now=NOW)
    for who in (a, b):
        with db.session() as s:
            assert not links.status(s, who, now=NOW).linked
        with pytest.raises(NotLinked), db.session() as s:
            daily.today(s, who, now=NOW)
        with pytest.raises(NotLinked), db.session() as s:
            links.unlink(s, who, now=NOW)  # acting on a link that was just removed
    from amante.couples.privacy import export_user_data

    with db.session() as s:
        mine = export_user_data(s, a)
        theirs = export_user_data(s, b)
    assert [x["text"] for x in mine["daily_answers"]] == ["my own words"]
    assert theirs["daily_answers"] == []
    # Both can link again, with anyone.
    link(db, b, a)


def test_a_partner_deleted_without_the_hook_ends_the_link(lite):
    from amante.store import accounts

    a, b = make_users(lite, "ana", "ben")
    link(lite, a, b)
    with lite.session() as s:
        accounts.delete_user(s, a)
    with lite.session() as s:
        assert links.active_couple(s, b, now=NOW) is None
        assert not links.status(s, b, now=NOW).linked
    with lite.session() as s:
        assert s.scalar(select(CoupleLink.ended_at)) is not None


def test_unknown_time_zone_is_refused(lite):
    (a,) = make_users(lite, "ana")
    with pytest.raises(links.CoupleError, match="time zone"), lite.session() as s:
        links.create_invite(s, a, "Mars/Olympus", now=NOW)
