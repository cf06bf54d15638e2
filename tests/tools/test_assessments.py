from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from amante.tools import assessments as A
from amante.tools.errors import InvalidAnswers, UnknownItem


def test_csi4_scoring_matches_published_ranges_and_cutoff():
    a = A.get_assessment("csi-4")
    assert a.score_range == (0, 21)
    assert a.cutoff == 13.5
    assert [a.item_range(i)[1] for i in a.items] == [6, 5, 5, 5]
    low = A.score_answers("csi-4", [3, 3, 3, 4])  # 13: just below the cut-off
    high = A.score_answers("csi-4", [3, 4, 3, 4])  # 14: just above
    assert (low.total, low.below_cutoff, low.band) == (13, True, "below_cutoff")
    assert (high.total, high.below_cutoff, high.band) == (14, False, "satisfied")
    assert A.score_answers("csi-4", [0, 0, 0, 0]).band == "strained"
    assert A.score_answers("csi-4", [6, 5, 5, 5]).total == 21


def test_close_as_we_think_fewer_than_three_means_reset():
    assert A.score_answers("close-as-we-think", [1, 1, 0, 0, 0]).band == "reset"
    assert A.score_answers("close-as-we-think", [1, 1, 1, 0, 0]).band == "gaps"
    assert A.score_answers("close-as-we-think", [1] * 5).band == "close"


def test_reverse_items_are_flipped():
    a = A.get_assessment("emotional-self-audit")
    best = {i.id: (0 if i.reverse else 4) for i in a.items}
    worst = {i.id: (4 if i.reverse else 0) for i in a.items}
    assert A.score_answers(a.id, best).total == 32
    assert A.score_answers(a.id, worst).total == 0


def test_horsemen_subscale_puts_its_antidote_first():
    a = A.get_assessment("four-horsemen-self-check")
    answers = {i.id: (4 if i.id.startswith("stone") else 0) for i in a.items}
    score = A.score_answers(a.id, answers)
    by_id = {s.id: s.score for s in score.subscales}
    assert by_id == {"criticism": 0, "contempt": 0, "defensiveness": 0, "stonewalling": 12}
    assert score.next_steps[0]["id"] == "gottman-self-soothing-break"


@pytest.mark.parametrize("answers, message", [
    ([3, 4, 4], "missing answers for satisfied"),
    ([3, 9, 4, 4], "warm: 9 is out of range 0-5"),
    ([7, 4, 4, 4], "happiness: 7 is out of range 0-6"),
    ([3, 4, 4, 4, 1], "has 4 items but 5 answers"),
    ({"happiness": 3, "warm": 4, "rewarding": 4, "satisfied": 4, "bogus": 1},
     "unknown items bogus"),
    (["a", 4, 4, 4], "'a' is not a whole number"),
    ([3, True, 4, 4], "not a whole number"),
])
def test_bad_answers_are_refused_with_a_specific_message(answers, message):
    with pytest.raises(InvalidAnswers, match=message):
        A.score_answers("csi-4", answers)


def test_unknown_assessment_lists_the_known_ones():
    with pytest.raises(UnknownItem, match="csi-4"):
        A.get_assessment("happiness-quiz")


def test_submit_history_and_isolation(db, user, other_user):
    t0 = datetime(2026, 1, 5, tzinfo=UTC)
    with db.session() as s:
        A.submit(s, user, "csi-4", [2, 2, 2, 2], taken_at=t0)
        A.submit(s, user, "csi-4", [4, 4, 4, 4], taken_at=t0 + timedelta(days=14))
    with pytest.raises(InvalidAnswers), db.session() as s:
        A.submit(s, user, "csi-4", [4, 4])
    with db.session() as s:
        hist = A.history(s, user, "csi-4")
        assert [h.score.total for h in hist] == [8, 16]
        assert hist[0].answers == {"happiness": 2, "warm": 2, "rewarding": 2, "satisfied": 2}
        assert A.history(s, other_user) == []


def test_answers_are_encrypted_at_rest(db, user):
    with db.session() as s:
        A.submit(s, user, "csi-4", [1, 2, 3, 4])
    with db.engine.connect() as conn:
        raw = conn.exec_driver_sql("select answers, result from assessment_results").one()
    assert all(v.startswith("gAAAAA") for v in raw)


def test_trend_svg_is_valid_xml_with_one_point_per_result(db, user):
    t0 = datetime(2026, 1, 5, tzinfo=UTC)
    with db.session() as s:
        empty = A.trend_svg(s, user, "csi-4")
        for k, total in enumerate([[1, 1, 1, 1], [3, 3, 3, 3], [5, 5, 5, 5]]):
            A.submit(s, user, "csi-4", total, taken_at=t0 + timedelta(days=7 * k))
        svg = A.trend_svg(s, user, "csi-4")
    assert "No data yet" in empty
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f".//{ns}circle")) == 3
    assert len(root.findall(f".//{ns}polyline")) == 1
    assert "cut-off 13.5" in svg
