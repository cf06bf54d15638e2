"""The coaching tools through the JSON API, on SQLite and PostgreSQL: each tool end to end,
other users get 404, bad input gets a clear error with nothing saved, and the calendar feed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from signing import sign_up
from sqlalchemy import func, select

from amante.store.tool_models import (
    AssessmentResult,
    JournalEntryRow,
    RitualCheckin,
    RitualPlan,
    StarterDraw,
    StarterFavourite,
)
from amante.tools import starters as starter_tool

API = "/api/v1"


def count(app, model) -> int:
    with app.state.db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def two_users(client: TestClient, app) -> tuple[dict, TestClient, dict]:
    """Alice on `client`, Bob on a second client; each with CSRF headers."""
    a = {"x-csrf-token": sign_up(client, "alice")}
    other = TestClient(app)
    b = {"x-csrf-token": sign_up(other, "bob")}
    return a, other, b


def assert_error(r, status: int, code: str, field: str | None = None) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == code and body["message"]
    if field is not None:
        assert field in [f["field"] for f in body["fields"]], body
    return body


# ------------------------------------------------------------------ assessments
def test_assessment_take_history_and_trend(client, app):
    h = {"x-csrf-token": sign_up(client)}
    listed = client.get(f"{API}/assessments").json()
    ids = {a["id"] for a in listed}
    assert {"csi-4", "close-as-we-think", "four-horsemen-self-check"} <= ids
    csi = client.get(f"{API}/assessments/csi-4").json()
    assert csi["kind"] == "validated" and "Funk" in csi["citation"]
    items = csi["items"]
    top = {i["id"]: max(o["value"] for o in i["options"]) for i in items}
    r = client.post(f"{API}/assessments/csi-4/results", json={"answers": top}, headers=h)
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["score"]["total"] == csi["max_score"] and first["score"]["below_cutoff"] is False
    low = [min(o["value"] for o in i["options"]) for i in items]  # a list in item order
    second = client.post(f"{API}/assessments/csi-4/results", json={"answers": low}, headers=h)
    assert second.status_code == 201
    assert second.json()["score"]["total"] == csi["min_score"]
    assert second.json()["score"]["below_cutoff"] is True
    assert second.json()["score"]["next_steps"], "a low score points to a next step"
    history = client.get(f"{API}/assessments/csi-4/results").json()
    assert [x["id"] for x in history] == [first["id"], second.json()["id"]]
    one = client.get(f"{API}/assessments/csi-4/results/{first['id']}").json()
    assert one["answers"] == top
    svg = client.get(f"{API}/assessments/csi-4/trend.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and svg.text.count("<circle") == 2


@pytest.mark.parametrize(
    ("answers", "needle"),
    [
        ({"happiness": 99, "warm": 1, "rewarding": 1, "satisfied": 1}, "out of range"),
        ([0, 1], "missing"),
        ([0, 1, 2, 3, 4], "4 items but 5"),
        ({"nope": 1}, "unknown items"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(client, app, answers, needle):
    h = {"x-csrf-token": sign_up(client)}
    r = client.post(f"{API}/assessments/csi-4/results", json={"answers": answers}, headers=h)
    body = assert_error(r, 422, "invalid_answers", "answers")
    assert needle in body["message"]
    assert count(app, AssessmentResult) == 0


def test_assessment_wrong_types_and_unknown_ids(client, app):
    h = {"x-csrf-token": sign_up(client)}
    r = client.post(f"{API}/assessments/csi-4/results",
                    json={"answers": {"csi_1": "3"}}, headers=h)
    assert_error(r, 422, "validation_error")
    r = client.post(f"{API}/assessments/csi-4/results", json={"answers": [True]}, headers=h)
    assert_error(r, 422, "validation_error")
    assert_error(client.get(f"{API}/assessments/no-such-test"), 404, "not_found")
    r = client.post(f"{API}/assessments/no-such-test/results", json={"answers": [1]}, headers=h)
    assert_error(r, 404, "not_found")
    assert_error(client.get(f"{API}/assessments/csi-4/results/999"), 404, "not_found")
    assert count(app, AssessmentResult) == 0


def test_another_user_cannot_see_assessment_results(client, app):
    a, other, _ = two_users(client, app)
    r = client.post(f"{API}/assessments/close-as-we-think/results",
                    json={"answers": [1, 1, 0, 0, 1]}, headers=a)
    result_id = r.json()["id"]
    assert other.get(f"{API}/assessments/close-as-we-think/results/{result_id}").status_code == 404
    assert other.get(f"{API}/assessments/close-as-we-think/results").json() == []
    assert other.get(f"{API}/assessments/close-as-we-think/trend.svg").text.count("<circle") == 0


# ------------------------------------------------------------------ rituals
def plan(client, h, **body):
    body.setdefault("ritual_id", "nightly-gratitude")
    body.setdefault("timezone", "Europe/Berlin")
    return client.post(f"{API}/rituals/plans", json=body, headers=h)


def test_ritual_plan_check_in_streak_and_summary(client, app):
    h = {"x-csrf-token": sign_up(client)}
    catalogue = client.get(f"{API}/rituals").json()
    assert len(catalogue) >= 8 and all(r["citation"] for r in catalogue)
    assert client.get(f"{API}/rituals/catalogue/weekly-check-in").json()["frequency"] == "weekly"
    tz = ZoneInfo("America/New_York")
    today = datetime.now(tz).date()
    start = today - timedelta(days=3)
    r = plan(client, h, timezone="America/New_York", start_date=start.isoformat(),
             time_of_day="21:15")
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["ritual_id"] == "nightly-gratitude" and p["time_of_day"] == "21:15"
    assert p["streak"] == 0 and p["done_today"] is False and p["next_at"]
    for day in (start, start + timedelta(days=1), start + timedelta(days=2), today):
        r = client.post(f"{API}/rituals/plans/{p['id']}/checkins", json={"on": day.isoformat()},
                        headers=h)
        assert r.status_code == 201, r.text
    assert r.json()["streak"] == 4 and r.json()["occurrence_date"] == today.isoformat()
    dup = client.post(f"{API}/rituals/plans/{p['id']}/checkins", json={}, headers=h)
    assert_error(dup, 409, "duplicate_check_in")
    assert count(app, RitualCheckin) == 4
    streaks = client.get(f"{API}/rituals/streaks").json()
    assert streaks == [{"plan_id": p["id"], "ritual_id": "nightly-gratitude",
                        "title": p["title"], "streak": 4, "done_today": True,
                        "next_at": streaks[0]["next_at"]}]
    summary = client.get(f"{API}/rituals/summary", params={"week_of": today.isoformat()}).json()
    week = summary["plans"][0]
    assert today.isoformat() in week["done"] and summary["done"] >= 1
    assert summary["week_start"] <= today.isoformat() <= summary["week_end"]
    undo = client.delete(f"{API}/rituals/plans/{p['id']}/checkins/{today.isoformat()}",
                         headers=h)
    assert undo.status_code == 204
    assert client.get(f"{API}/rituals/plans/{p['id']}").json()["done_today"] is False


def test_ritual_plan_update_pause_and_delete(client, app):
    h = {"x-csrf-token": sign_up(client)}
    p = plan(client, h, ritual_id="weekly-check-in", timezone="UTC").json()
    assert p["frequency"] == "weekly" and p["weekdays"]
    r = client.put(f"{API}/rituals/plans/{p['id']}", json={"time_of_day": "08:05"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["time_of_day"] == "08:05" and r.json()["weekdays"] == p["weekdays"]
    r = client.put(f"{API}/rituals/plans/{p['id']}",
                   json={"frequency": "monthly", "day_of_month": "last"}, headers=h)
    assert r.status_code == 200 and r.json()["day_of_month"] == -1 and r.json()["weekdays"] == []
    paused = client.post(f"{API}/rituals/plans/{p['id']}/pause", headers=h).json()
    assert paused["active"] is False and paused["next_at"] is None
    assert client.get(f"{API}/rituals/plans").json() == []
    assert len(client.get(f"{API}/rituals/plans?include_stopped=true").json()) == 1
    r = client.post(f"{API}/rituals/plans/{p['id']}/checkins", json={}, headers=h)
    assert_error(r, 422, "invalid_input", "on")
    assert client.delete(f"{API}/rituals/plans/{p['id']}", headers=h).status_code == 204
    assert client.get(f"{API}/rituals/plans/{p['id']}").status_code == 404
    assert count(app, RitualPlan) == 0


@pytest.mark.parametrize(
    ("body", "field", "needle"),
    [
        ({"start_date": "2026-02-31"}, "start_date", "February 2026 has 28 days"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "unknown time zone"),
        ({"timezone": "../../etc/passwd"}, "timezone", "unknown time zone"),
        ({"frequency": "monthly", "day_of_month": 31}, "day_of_month", "does not exist"),
        ({"time_of_day": "25:00"}, "time_of_day", "does not exist"),
        ({"frequency": "weekly", "weekdays": ["funday"]}, "weekdays", "unknown weekday"),
        ({"start_date": "0000-01-01"}, "start_date", "between"),
    ],
)
def test_impossible_schedules_are_refused_and_nothing_is_saved(client, app, body, field, needle):
    h = {"x-csrf-token": sign_up(client)}
    r = plan(client, h, **body)
    error = assert_error(r, 422, "invalid_schedule" if needle != "between" else "invalid_input",
                         field)
    assert needle in error["message"]
    assert count(app, RitualPlan) == 0


def test_unknown_ritual_and_bad_check_in_dates(client, app):
    h = {"x-csrf-token": sign_up(client)}
    assert_error(plan(client, h, ritual_id="no-such-ritual"), 422, "invalid_input", "ritual_id")
    assert_error(client.get(f"{API}/rituals/catalogue/no-such-ritual"), 404, "not_found")
    p = plan(client, h, timezone="UTC").json()
    r = client.post(f"{API}/rituals/plans/{p['id']}/checkins", json={"on": "2026-02-31"},
                    headers=h)
    assert_error(r, 422, "invalid_schedule", "on")
    future = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    r = client.post(f"{API}/rituals/plans/{p['id']}/checkins", json={"on": future}, headers=h)
    assert_error(r, 422, "invalid_input", "on")
    assert_error(client.get(f"{API}/rituals/summary?week_of=2026-13-01"), 422,
                 "invalid_schedule", "week_of")
    assert count(app, RitualCheckin) == 0


def test_another_user_cannot_read_or_change_a_plan(client, app):
    a, other, b = two_users(client, app)
    p = plan(client, a, note="our secret").json()
    for ref in (p["id"], "nightly-gratitude"):
        assert other.get(f"{API}/rituals/plans/{ref}").status_code == 404
        assert other.put(f"{API}/rituals/plans/{ref}", json={"time_of_day": "06:00"},
                         headers=b).status_code == 404
        assert other.post(f"{API}/rituals/plans/{ref}/checkins", json={},
                          headers=b).status_code == 404
        assert other.post(f"{API}/rituals/plans/{ref}/pause", headers=b).status_code == 404
        assert other.delete(f"{API}/rituals/plans/{ref}", headers=b).status_code == 404
    assert other.get(f"{API}/rituals/plans").json() == []
    mine = client.get(f"{API}/rituals/plans/{p['id']}").json()
    assert mine == {**p, "next_at": mine["next_at"]} and count(app, RitualCheckin) == 0
    assert b"our secret" not in other.get(f"{API}/rituals/calendar.ics").content


def test_calendar_download_feed_and_rotation(client, app):
    h = {"x-csrf-token": sign_up(client)}
    daily = plan(client, h, timezone="Europe/Berlin", note="private words").json()
    weekly = plan(client, h, ritual_id="weekly-check-in", timezone="America/Chicago",
                  frequency="weekly", weekdays=["wed", "sun"]).json()
    download = client.get(f"{API}/rituals/calendar.ics")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/calendar")
    assert "attachment" in download.headers["content-disposition"]
    cal = Calendar.from_ical(download.content)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"{daily['id']}@amante", f"{weekly['id']}@amante"}
    assert events[f"{weekly['id']}@amante"]["RRULE"]["BYDAY"] == ["WE", "SU"]
    assert events[f"{daily['id']}@amante"]["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert b"private words" not in download.content

    feed = client.get(f"{API}/rituals/feed").json()
    assert feed == client.get(f"{API}/rituals/feed").json(), "the URL is stable until rotated"
    assert feed["url"].endswith(f"/api/v1/rituals/feed/{feed['token']}.ics")
    assert feed["webcal_url"].startswith("webcal://")
    anonymous = TestClient(app)  # a calendar app: no cookie, no token
    got = anonymous.get(feed["url"])
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/calendar")
    assert len(Calendar.from_ical(got.content).walk("VEVENT")) == 2

    rotated = client.post(f"{API}/rituals/feed/rotate", headers=h).json()
    assert rotated["token"] != feed["token"]
    assert_error(anonymous.get(feed["url"]), 404, "not_found")
    assert anonymous.get(rotated["url"]).status_code == 200
    assert_error(anonymous.get(f"{API}/rituals/feed/not-a-real-token.ics"), 404, "not_found")
    assert anonymous.get(f"{API}/rituals/calendar.ics").status_code == 401


# ------------------------------------------------------------------ starters
def test_draw_never_repeats_until_the_pool_is_exhausted(client, app):
    h = {"x-csrf-token": sign_up(client)}
    filters = {"depth": "vulnerable", "theme": "childhood"}
    pool = {s.id for s in starter_tool.matching(**filters)}
    assert 2 <= len(pool) <= 40
    listed = client.get(f"{API}/starters", params=filters).json()
    assert {s["id"] for s in listed} == pool
    seen = []
    for _ in range(len(pool)):
        r = client.post(f"{API}/starters/draw", json=filters, headers=h)
        assert r.status_code == 200, r.text
        seen.append(r.json()["id"])
    assert sorted(seen) == sorted(pool), "every prompt once before any repeats"
    again = client.post(f"{API}/starters/draw", json=filters, headers=h).json()
    assert again["id"] in pool and again["id"] != seen[-1]
    assert count(app, StarterDraw) == len(pool) + 1
    r = client.post(f"{API}/starters/draw", json={"depth": "bottomless"}, headers=h)
    assert_error(r, 422, "validation_error", "depth")


def test_favourites_are_per_user(client, app):
    a, other, b = two_users(client, app)
    sid = starter_tool.list_starters()[0].id
    r = client.put(f"{API}/starters/favourites/{sid}", headers=a)
    assert r.status_code == 200 and r.json()["favourite"] is True
    assert client.put(f"{API}/starters/favourites/{sid}", headers=a).status_code == 200
    assert [s["id"] for s in client.get(f"{API}/starters/favourites").json()] == [sid]
    assert other.get(f"{API}/starters/favourites").json() == []
    assert_error(other.delete(f"{API}/starters/favourites/{sid}", headers=b), 404, "not_found")
    assert count(app, StarterFavourite) == 1
    assert_error(client.put(f"{API}/starters/favourites/nope", headers=a), 404, "not_found")
    assert client.delete(f"{API}/starters/favourites/{sid}", headers=a).status_code == 204
    assert client.get(f"{API}/starters/favourites").json() == []


def test_closeness_session_escalates_and_resets(client, app):
    h = {"x-csrf-token": sign_up(client)}
    first = client.get(f"{API}/starters/session").json()
    assert first["number"] == 1 and first["set_intro"] and not first["finished"]
    assert client.get(f"{API}/starters/session").json() == first, "looking records nothing"
    second = client.post(f"{API}/starters/session/next", headers=h).json()
    assert second["number"] == 2 and second["text"] != first["text"]
    step = second
    while not step["finished"]:
        step = client.post(f"{API}/starters/session/next", headers=h).json()
    assert step["number"] == step["total"] == 36
    assert client.delete(f"{API}/starters/session", headers=h).status_code == 204
    assert client.get(f"{API}/starters/session").json() == first


# ------------------------------------------------------------------ journal
def test_journal_entry_crud_with_confirmed_emotions(client, app):
    h = {"x-csrf-token": sign_up(client)}
    text = "I felt lonely tonight when Sam stayed on his phone through dinner."
    sugg = client.post(f"{API}/journal/suggestions", json={"text": text}, headers=h)
    assert sugg.status_code == 200 and isinstance(sugg.json(), list)
    r = client.post(f"{API}/journal/entries",
                    json={"text": text, "mood": 2, "emotions": ["lonely", "Sad", "lonely"]},
                    headers=h)
    assert r.status_code == 201, r.text
    entry = r.json()
    assert entry["emotions"] == ["lonely", "sad"] and entry["families"] == ["sadness"]
    assert entry["safety"] is None and entry["mood"] == 2
    r = client.patch(f"{API}/journal/entries/{entry['id']}",
                     json={"emotions": ["hurt"], "mood": 3}, headers=h)
    assert r.status_code == 200 and r.json()["emotions"] == ["hurt"] and r.json()["text"] == text
    listed = client.get(f"{API}/journal/entries").json()
    assert [e["id"] for e in listed] == [entry["id"]]
    vocab = client.get(f"{API}/journal/vocabulary").json()
    assert list(vocab)[:2] == ["anger", "disgust"] and vocab["sadness"]["feelings"]
    assert list(client.get(f"{API}/journal/vocabulary?family=fear").json()) == ["fear"]
    assert_error(client.get(f"{API}/journal/vocabulary?family=meh"), 404, "not_found")
    svg = client.get(f"{API}/journal/mood.svg?days=7")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<circle" in svg.text
    assert client.delete(f"{API}/journal/entries/{entry['id']}", headers=h).status_code == 204
    assert_error(client.get(f"{API}/journal/entries/{entry['id']}"), 404, "not_found")


def test_journal_accepts_suggestions_when_asked(client, app):
    h = {"x-csrf-token": sign_up(client)}
    text = "I am so happy and grateful, we laughed all evening."
    suggested = [s["label"] for s in client.post(f"{API}/journal/suggestions",
                                                 json={"text": text}, headers=h).json()]
    r = client.post(f"{API}/journal/entries", json={"text": text, "accept_suggestions": True},
                    headers=h)
    assert r.status_code == 201
    assert r.json()["emotions"] == [x for x in suggested if x != "neutral"]
    assert [s["label"] for s in r.json()["suggested"]] == suggested


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"text": "   \n"}, "empty_text", "text"),
        ({"text": "A day.", "emotions": ["blorptastic"]}, "invalid_input", "emotions"),
        ({"text": "A day.", "mood": 6}, "validation_error", "mood"),
        ({"text": "x" * 20001}, "invalid_input", "text"),
        ({"text": "A day.", "colour": "red"}, "validation_error", "colour"),
    ],
)
def test_bad_journal_entries_are_refused_and_nothing_is_saved(client, app, body, code, field):
    h = {"x-csrf-token": sign_up(client)}
    assert_error(client.post(f"{API}/journal/entries", json=body, headers=h), 422, code, field)
    assert count(app, JournalEntryRow) == 0


def test_another_user_cannot_read_change_or_delete_an_entry(client, app):
    a, other, b = two_users(client, app)
    entry = client.post(f"{API}/journal/entries", json={"text": "Private thoughts about Ana."},
                        headers=a).json()
    for ref in (entry["id"], entry["id"][:8]):
        assert other.get(f"{API}/journal/entries/{ref}").status_code == 404
        assert other.patch(f"{API}/journal/entries/{ref}", json={"text": "hacked"},
                           headers=b).status_code == 404
        assert other.delete(f"{API}/journal/entries/{ref}", headers=b).status_code == 404
    assert other.get(f"{API}/journal/entries").json() == []
    assert client.get(f"{API}/journal/entries/{entry['id']}").json()["text"] == (
        "Private thoughts about Ana.")


def test_a_flagged_entry_comes_back_with_safety_words_and_resources(client, app):
    h = {"x-csrf-token": sign_up(client)}
    client.patch(f"{API}/me", json={"region": "UK"}, headers=h)
    r = client.post(f"{API}/journal/entries",
                    json={"text": "I want to kill myself tonight, I can't go on."}, headers=h)
    assert r.status_code == 201, r.text
    safety = r.json()["safety"]
    assert safety is not None and safety["level"] == "crisis" and safety["message"]
    assert safety["resources"] and any("Samaritans" in x["name"] for x in safety["resources"])
    assert count(app, JournalEntryRow) == 1, "the entry is still the user's to keep"


# ------------------------------------------------------------------ rewriter
def test_rewrite_marks_spans_and_offers_another_version(client, app):
    h = {"x-csrf-token": sign_up(client)}
    draft = "You never listen to me and you're so lazy. Whatever, I'm done talking."
    r = client.post(f"{API}/rewrite", json={"draft": draft}, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["marks"] and out["rewrite"] and out["safety"] is None
    for mark in out["marks"]:
        assert out["draft"][mark["start"]:mark["end"]] == mark["text"]
        assert mark["explanation"]
    assert "criticism" in out["horsemen"]
    assert "lazy" not in out["rewrite"].lower()
    other = client.post(f"{API}/rewrite", json={"draft": draft, "variant": 1}, headers=h).json()
    assert other["variant"] == 1 and other["rewrite"] != out["rewrite"]
    assert_error(client.post(f"{API}/rewrite", json={"draft": draft, "variant": -1}, headers=h),
                 422, "validation_error", "variant")


def test_threatening_draft_gets_safety_not_a_rewrite(client, app):
    h = {"x-csrf-token": sign_up(client)}
    r = client.post(f"{API}/rewrite", json={"draft": "If you leave me I will kill you."},
                    headers=h)
    assert r.status_code == 200
    out = r.json()
    assert out["rewrite"] is None and out["safety"]["message"] and out["safety"]["resources"]


@pytest.mark.parametrize(("draft", "code"), [("", "empty_text"), ("  \n ", "empty_text"),
                                              ("x" * 4001, "invalid_input")])
def test_empty_or_long_draft_is_refused(client, draft, code):
    h = {"x-csrf-token": sign_up(client)}
    assert_error(client.post(f"{API}/rewrite", json={"draft": draft}, headers=h), 422, code,
                 "draft")


def test_tools_need_sign_in_and_csrf(client):
    assert client.get(f"{API}/assessments").status_code == 401
    assert client.post(f"{API}/rewrite", json={"draft": "hi"}).status_code == 401
    sign_up(client)
    r = client.post(f"{API}/rewrite", json={"draft": "You never listen."})
    assert_error(r, 403, "csrf_failed")


def test_ids_no_stored_id_could_match_are_404_on_every_database(client):
    """A NUL in an id cannot reach PostgreSQL (it would fail there instead of matching)."""
    h = {"x-csrf-token": sign_up(client)}
    for method, url in [
        ("GET", f"{API}/rituals/plans/a%00b"), ("PUT", f"{API}/rituals/plans/a%00b"),
        ("POST", f"{API}/rituals/plans/a%00b/checkins"), ("DELETE", f"{API}/rituals/plans/a%00b"),
        ("GET", f"{API}/journal/entries/abcd%00"), ("DELETE", f"{API}/journal/entries/abcd%00"),
        ("DELETE", f"{API}/starters/favourites/a%00b"), ("GET", f"{API}/rituals/feed/a%00b.ics"),
        ("GET", f"{API}/journal/entries/{'a' * 101}"),
    ]:
        body = {} if method in ("PUT", "POST") else None
        r = client.request(method, url, headers=h, json=body)
        assert_error(r, 404, "not_found")
