from __future__ import annotations

import json
from datetime import UTC, datetime

from amante.tools import assessments as A
from amante.tools import delete_tools, export_tools
from amante.tools import journal as J
from amante.tools import rituals as R
from amante.tools import starters as S
from amante.tools.journal import EmotionSuggestion

NOW = datetime(2026, 3, 2, 20, tzinfo=UTC)


def _fill(s, uid):
    A.submit(s, uid, "csi-4", [3, 3, 3, 3])
    R.plan_ritual(s, uid, "nightly-gratitude", timezone="UTC", start_date="2026-03-01",
                  note="private note", now=NOW)
    R.check_off(s, uid, "nightly-gratitude", now=NOW)
    R.feed_token(s, uid)
    S.draw(s, uid)
    S.add_favourite(s, uid, S.list_starters()[0].id)
    J.add_entry(s, uid, "dear diary", emotions=["calm"],
                suggestions=[EmotionSuggestion("neutral", "neutral", 0.5, [])])


def test_export_holds_everything_decrypted_and_only_this_user(db, user, other_user):
    with db.session() as s:
        _fill(s, user)
        _fill(s, other_user)
        data = export_tools(s, user)
    json.dumps(data)  # JSON-ready
    assert len(data["assessment_results"]) == 1
    assert data["ritual_plans"][0]["note"] == "private note"
    assert len(data["ritual_checkins"]) == 1
    assert data["journal_entries"][0]["text"] == "dear diary"
    assert len(data["starter_draws"]) == 1 and len(data["starter_favourites"]) == 1
    assert data["calendar_feed"] == {"enabled": True}


def test_delete_removes_every_row_of_one_user(db, user, other_user):
    with db.session() as s:
        _fill(s, user)
        _fill(s, other_user)
        counts = delete_tools(s, user)
    assert all(n >= 1 for n in counts.values()), counts
    with db.session() as s:
        mine = export_tools(s, user)
        theirs = export_tools(s, other_user)
    assert not any(mine[k] for k in mine if k != "calendar_feed")
    assert mine["calendar_feed"] == {"enabled": False}
    assert len(theirs["journal_entries"]) == 1


def test_deleting_the_user_cascades(db, user):
    from amante.store.models import User

    with db.session() as s:
        _fill(s, user)
    with db.session() as s:
        s.delete(s.get(User, user))
    with db.engine.connect() as conn:
        for table in ("assessment_results", "ritual_plans", "ritual_checkins", "starter_draws",
                      "starter_favourites", "journal_entries", "feed_tokens"):
            assert conn.exec_driver_sql(f"select count(*) from {table}").scalar() == 0, table
