from __future__ import annotations

import random
from collections import Counter

import pytest

from amante.tools import starters as S
from amante.tools.errors import PoolExhausted, ToolError, UnknownItem


def test_no_repeat_until_the_matching_pool_is_exhausted(db, user):
    pool = S.matching(depth="vulnerable", theme="childhood")
    assert len(pool) >= 5
    rng = random.Random(7)
    with db.session() as s:
        first_round = [S.draw(s, user, depth="vulnerable", theme="childhood", rng=rng).id
                       for _ in pool]
        second_round = [S.draw(s, user, depth="vulnerable", theme="childhood", rng=rng).id
                        for _ in pool]
    assert sorted(first_round) == sorted(p.id for p in pool)  # every prompt exactly once
    assert sorted(second_round) == sorted(p.id for p in pool)
    assert first_round[-1] != second_round[0]  # no back-to-back repeat across rounds


def test_no_repeat_holds_across_different_filters(db, user):
    rng = random.Random(1)
    with db.session() as s:
        seen = [S.draw(s, user, theme="fun", rng=rng).id for _ in range(10)]
        seen += [S.draw(s, user, theme="fun", depth="light", rng=rng).id for _ in range(3)]
    counts = Counter(seen)
    assert max(counts.values()) == 1


def test_draws_are_per_user(db, user, other_user):
    pool = S.matching(depth="light", theme="dreams")
    with db.session() as s:
        for _ in pool:
            S.draw(s, user, depth="light", theme="dreams")
        theirs = {S.draw(s, other_user, depth="light", theme="dreams").id for _ in pool}
    assert theirs == {p.id for p in pool}


def test_stage_filter_keeps_any_stage_prompts():
    dating = S.matching(stage="dating")
    assert all("dating" in p.stages or "any" in p.stages for p in dating)
    assert not any(p.stages == ["long_term"] for p in dating)
    assert len(S.matching(stage="long_term")) > len([p for p in S.list_starters()
                                                      if "long_term" in p.stages])


def test_bad_filters_and_empty_pools_are_clear():
    with pytest.raises(ToolError, match="unknown depth 'deep'"):
        S.matching(depth="deep")
    with pytest.raises(ToolError, match="unknown theme"):
        S.matching(theme="money")


def test_empty_pool_raises(db, user, monkeypatch):
    monkeypatch.setattr(S, "matching", lambda *a, **k: [])
    with pytest.raises(PoolExhausted), db.session() as s:
        S.draw(s, user)


def test_favourites(db, user, other_user):
    some = S.list_starters()[:3]
    with db.session() as s:
        for st in some:
            S.add_favourite(s, user, st.id)
        S.add_favourite(s, user, some[0].id)  # twice is harmless
        S.remove_favourite(s, user, some[1].id)
        assert [f.id for f in S.list_favourites(s, user)] == [some[0].id, some[2].id]
        assert S.list_favourites(s, other_user) == []
        with pytest.raises(UnknownItem):
            S.add_favourite(s, user, "no-such-prompt")
        with pytest.raises(UnknownItem):
            S.remove_favourite(s, user, some[1].id)


def test_closeness_session_walks_36_questions_in_order_then_finishes(db, user):
    with db.session() as s:
        steps = [S.session_step(s, user) for _ in range(36)]
        done = S.session_step(s, user)
        peek = S.session_step(s, user, advance=False)
    assert [st.number for st in steps] == list(range(1, 37))
    assert [st.set_number for st in steps] == [1] * 12 + [2] * 12 + [3] * 12
    assert [st.number for st in steps if st.set_intro] == [1, 13, 25]
    assert len({st.text for st in steps}) == 36
    assert done.finished and peek.finished
    with db.session() as s:
        assert S.reset_session(s, user) == 36
        assert S.session_step(s, user).number == 1
