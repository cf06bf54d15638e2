"""The coaching tools' pages with plain form posts (no JavaScript), on SQLite and PostgreSQL:
each flow end to end, CSRF refusal, errors shown on the form with nothing saved, other users 404.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from signing import sign_up
from sqlalchemy import func, select

from amante.store.tool_models import (
    AssessmentResult,
    FeedToken,
    JournalEntryRow,
    RitualCheckin,
    RitualPlan,
    StarterDraw,
    StarterFavourite,
)
from amante.tools import assessments as assess

PAGES = ["/tools", "/tools/assessments", "/tools/assessments/csi-4",
         "/tools/assessments/csi-4/results", "/tools/rituals", "/tools/rituals/nightly-gratitude",
         "/tools/starters", "/tools/starters/session", "/tools/journal", "/tools/journal/new",
         "/tools/rewrite"]


def count(app, model) -> int:
    with app.state.db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def post(client: TestClient, url: str, csrf: str | None, **data):
    if csrf is not None:
        data["csrf_token"] = csrf
    return client.post(url, data=data, follow_redirects=False)


def text_of(html: str) -> str:
    """Visible text, roughly: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def csrf(client) -> str:
    return sign_up(client)


def test_pages_need_sign_in(client):
    for path in PAGES:
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/signin", path


def test_every_page_renders_without_inline_script_or_style(client, csrf):
    for path in PAGES:
        r = client.get(path)
        assert r.status_code == 200, path
        html = r.text
        assert "<script>" not in html and " style=" not in html and "<style" not in html, path
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"
        # every visible form field has a label or sits inside one
        for field_id in re.findall(r'<(?:input|textarea|select)[^>]*\sid="([^"]+)"', html):
            assert f'for="{field_id}"' in html, f"{path}: #{field_id} has no label"
    index = client.get("/tools").text
    for href in ("/tools/assessments", "/tools/rituals", "/tools/starters", "/tools/journal",
                 "/tools/rewrite"):
        assert f'href="{href}"' in index


# ------------------------------------------------------------------ assessments
def test_assessment_form_flow(client, app, csrf):
    a = assess.get_assessment("close-as-we-think")
    page = client.get(f"/tools/assessments/{a.id}").text
    assert page.count('type="radio"') == sum(len(a.scales[i.scale]) for i in a.items)
    answers = {i.id: "1" for i in a.items}
    partial = dict(answers)
    partial.pop(a.items[-1].id)
    r = post(client, f"/tools/assessments/{a.id}", csrf, **partial)
    assert r.status_code == 422 and "missing answers" in r.text
    assert f'name="{a.items[0].id}" value="1" checked' in r.text, "answers are kept"
    assert count(app, AssessmentResult) == 0
    r = post(client, f"/tools/assessments/{a.id}", csrf, **{**answers, a.items[0].id: "7"})
    assert r.status_code == 422 and "out of range" in r.text
    r = post(client, f"/tools/assessments/{a.id}", csrf, **answers)
    assert r.status_code == 303
    result = client.get(r.headers["location"])
    assert result.status_code == 200
    assert f"{len(a.items)} of {len(a.items)}" in text_of(result.text)
    assert f'src="/api/v1/assessments/{a.id}/trend.svg"' in result.text
    assert client.get(f"/api/v1/assessments/{a.id}/trend.svg").text.count("<circle") == 1
    assert count(app, AssessmentResult) == 1
    assert client.get("/tools/assessments/no-such-test").status_code == 404


def test_assessment_post_without_csrf_is_refused(client, app, csrf):
    a = assess.get_assessment("close-as-we-think")
    answers = {i.id: "1" for i in a.items}
    assert post(client, f"/tools/assessments/{a.id}", None, **answers).status_code == 403
    assert post(client, f"/tools/assessments/{a.id}", csrf + "x", **answers).status_code == 403
    assert count(app, AssessmentResult) == 0


def test_another_user_cannot_open_a_result_page(client, app, csrf):
    a = assess.get_assessment("close-as-we-think")
    r = post(client, f"/tools/assessments/{a.id}", csrf, **{i.id: "0" for i in a.items})
    other = TestClient(app)
    sign_up(other, "bob")
    assert other.get(r.headers["location"]).status_code == 404


# ------------------------------------------------------------------ rituals
def test_ritual_plan_check_off_and_calendar_flow(client, app, csrf):
    form = client.get("/tools/rituals/weekly-check-in").text
    assert 'list="timezones"' in form and 'value="Europe/Berlin"' in form
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
    start = today - timedelta(days=14)
    r = client.post("/tools/rituals/weekly-check-in", follow_redirects=False, data={
        "csrf_token": csrf, "frequency": "daily", "time_of_day": "07:30",
        "timezone": "Asia/Tokyo", "start_date": start.isoformat(), "weekdays": ["mon", "thu"],
        "day_of_month": "", "duration_minutes": "15", "note": "coffee first"})
    assert r.status_code == 303, r.text  # weekday boxes are ignored for a daily plan
    page = client.get(r.headers["location"]).text
    assert "Your plan is saved" in page and "every day at 07:30 (Asia/Tokyo)" in page
    plan_id = re.search(r'id="plan-([0-9a-f-]{36})"', page).group(1)

    r = post(client, f"/tools/rituals/plans/{plan_id}/check", csrf, on="")
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Checked off" in page and "done today" in page
    r = post(client, f"/tools/rituals/plans/{plan_id}/check", csrf, on=today.isoformat())
    assert r.status_code == 409 and "already checked off" in r.text
    r = post(client, f"/tools/rituals/plans/{plan_id}/check", csrf, on="2026-02-31")
    assert r.status_code == 422 and "does not exist" in r.text
    assert count(app, RitualCheckin) == 1

    assert "Make my calendar link" in page and count(app, FeedToken) == 0
    r = post(client, "/tools/rituals/feed/rotate", csrf)
    page = client.get(r.headers["location"]).text
    url = unescape(re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', page).group(1))
    calendar_app = TestClient(app)
    feed = calendar_app.get(url)
    assert feed.status_code == 200
    (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo" and b"coffee" not in feed.content
    post(client, "/tools/rituals/feed/rotate", csrf)
    assert calendar_app.get(url).status_code == 404, "a rotated link stops working"

    assert post(client, f"/tools/rituals/plans/{plan_id}/pause", csrf).status_code == 303
    assert "(paused)" in client.get("/tools/rituals").text
    assert post(client, f"/tools/rituals/plans/{plan_id}/delete", csrf).status_code == 303
    assert count(app, RitualPlan) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"timezone": "Atlantis/Capital"}, "unknown time zone"),
        ({"start_date": "2026-02-31"}, "February 2026 has 28 days"),
        ({"frequency": "monthly", "day_of_month": "31"}, "does not exist in every month"),
        ({"frequency": "weekly"}, "needs at least one weekday"),
        ({"duration_minutes": "ten"}, "whole number of minutes"),
    ],
)
def test_impossible_plans_are_shown_on_the_form_and_not_saved(client, app, csrf, fields, message):
    data = {"csrf_token": csrf, "frequency": "daily", "time_of_day": "21:00",
            "timezone": "Europe/Berlin", "start_date": "", "day_of_month": "",
            "duration_minutes": "5", "note": "", **fields}
    r = client.post("/tools/rituals/nightly-gratitude", data=data, follow_redirects=False)
    assert r.status_code == 422 and message in text_of(r.text)
    assert f'value="{fields.get("timezone", "Europe/Berlin")}"' in r.text, "input is kept"
    assert count(app, RitualPlan) == 0


def test_another_user_cannot_check_off_pause_or_delete_a_plan(client, app, csrf):
    client.post("/tools/rituals/nightly-gratitude", data={
        "csrf_token": csrf, "frequency": "daily", "time_of_day": "21:00", "timezone": "UTC"})
    page = client.get("/tools/rituals").text
    plan_id = re.search(r'id="plan-([0-9a-f-]{36})"', page).group(1)
    other = TestClient(app)
    other_csrf = sign_up(other, "bob")
    for action in ("check", "pause", "delete"):
        r = post(other, f"/tools/rituals/plans/{plan_id}/{action}", other_csrf)
        assert r.status_code == 404, action
    assert count(app, RitualPlan) == 1 and count(app, RitualCheckin) == 0
    assert 'id="plan-' not in other.get("/tools/rituals").text


# ------------------------------------------------------------------ starters
def test_starter_draw_favourite_and_session(client, app, csrf):
    r = post(client, "/tools/starters/draw", csrf, depth="light", theme="fun", stage="")
    assert r.status_code == 303 and "depth=light" in r.headers["location"]
    page = client.get(r.headers["location"]).text
    shown = re.search(r'action="/tools/starters/favourites/([a-z0-9-]+)"', page).group(1)
    back = re.search(r'name="next" value="([^"]+)"', page).group(1)
    r = post(client, f"/tools/starters/favourites/{shown}", csrf, next=unescape(back))
    assert r.status_code == 303 and r.headers["location"].startswith("/tools/starters?shown=")
    page = client.get("/tools/starters").text
    assert "Remove from favourites" in page and count(app, StarterFavourite) == 1
    r = post(client, f"/tools/starters/favourites/{shown}", csrf, remove="1",
             next="https://evil.example/")
    assert r.headers["location"] == "/tools/starters", "no open redirect"
    assert count(app, StarterFavourite) == 0
    assert post(client, "/tools/starters/favourites/nope", csrf).status_code == 404

    assert "Question 1 of 36" in client.get("/tools/starters/session").text
    post(client, "/tools/starters/session", csrf, action="next")
    assert "Question 2 of 36" in client.get("/tools/starters/session").text
    post(client, "/tools/starters/session", csrf, action="reset")
    assert "Question 1 of 36" in client.get("/tools/starters/session").text
    assert post(client, "/tools/starters/session", None, action="next").status_code == 403
    assert count(app, StarterDraw) == 1  # the one light/fun draw


# ------------------------------------------------------------------ journal
def test_journal_suggest_confirm_edit_and_delete(client, app, csrf):
    text = "I felt so lonely and sad today when Sam ignored my messages all evening."
    r = post(client, "/tools/journal/new", csrf, text=text, mood="2", action="suggest")
    assert r.status_code == 200 and count(app, JournalEntryRow) == 0, "suggesting saves nothing"
    boxes = re.findall(r'<input type="checkbox" name="emotions" value="([a-z -]+)" checked>',
                       r.text)
    assert boxes, "suggested feelings come back ticked"
    assert f">{text}</textarea>" in r.text and 'value="2" checked' in r.text
    r = client.post("/tools/journal/new", follow_redirects=False, data={
        "csrf_token": csrf, "text": text, "mood": "2", "emotions": ["lonely", "hurt"],
        "action": "save"})
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "Feelings you named: lonely, hurt" in page and "Saved." in page
    entry_id = r.headers["location"].split("/")[3].split("?")[0]
    edit = client.get(f"/tools/journal/{entry_id}/edit").text
    assert 'value="lonely" checked' in edit
    r = client.post(f"/tools/journal/{entry_id}/edit", follow_redirects=False, data={
        "csrf_token": csrf, "text": text + " Then we talked.", "mood": "3",
        "emotions": ["relieved"], "action": "save"})
    assert r.status_code == 303
    page = client.get(f"/tools/journal/{entry_id}").text
    assert "Then we talked." in page and "relieved" in page and "(okay)" in page
    listing = client.get("/tools/journal").text
    assert f'href="/tools/journal/{entry_id}"' in listing
    assert 'src="/api/v1/journal/mood.svg?days=30"' in listing
    assert post(client, f"/tools/journal/{entry_id}/delete", csrf).status_code == 303
    assert count(app, JournalEntryRow) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "the journal entry is empty"),
        ({"text": "A day.", "emotions": ["blorptastic"]}, "is not in the feelings list"),
        ({"text": "A day.", "mood": "9"}, "must be a whole number from 1"),
    ],
)
def test_bad_journal_entries_are_shown_on_the_form(client, app, csrf, fields, message):
    r = client.post("/tools/journal/new", follow_redirects=False,
                    data={"csrf_token": csrf, "action": "save", **fields})
    assert r.status_code == 422 and message in text_of(r.text)
    assert count(app, JournalEntryRow) == 0


def test_flagged_journal_entry_shows_safety_resources(client, app, csrf):
    client.patch("/api/v1/me", json={"region": "US"}, headers={"x-csrf-token": csrf})
    r = post(client, "/tools/journal/new", csrf, text="I want to kill myself tonight.",
             action="save")
    assert r.status_code == 200
    assert 'class="safety-notice" role="alert"' in r.text and "988" in r.text
    assert count(app, JournalEntryRow) == 1


def test_another_user_cannot_open_edit_or_delete_an_entry(client, app, csrf):
    r = post(client, "/tools/journal/new", csrf, text="Private words about Ana.", action="save")
    entry_id = r.headers["location"].split("/")[3].split("?")[0]
    other = TestClient(app)
    other_csrf = sign_up(other, "bob")
    assert other.get(f"/tools/journal/{entry_id}").status_code == 404
    assert other.get(f"/tools/journal/{entry_id}/edit").status_code == 404
    r = post(other, f"/tools/journal/{entry_id}/edit", other_csrf, text="hacked", action="save")
    assert r.status_code == 404
    assert post(other, f"/tools/journal/{entry_id}/delete", other_csrf).status_code == 404
    assert "Private words about Ana." in client.get(f"/tools/journal/{entry_id}").text


# ------------------------------------------------------------------ rewriter
def test_rewriter_marks_spans_escapes_html_and_offers_another_version(client, csrf):
    draft = "You never listen <b>ever</b> and you're so lazy. It's all your fault."
    r = post(client, "/tools/rewrite", csrf, draft=draft)
    assert r.status_code == 200
    marks = re.findall(r'<mark class="m-([a-z]+)">(.*?)</mark>', r.text)
    assert ("blame", "It&#39;s all your fault") in marks
    assert any(label == "criticism" for label, _ in marks)
    assert "<b>ever</b>" not in r.text and "&lt;b&gt;ever&lt;/b&gt;" in r.text
    first = text_of(re.search(r'<blockquote class="rewrite".*?</blockquote>', r.text, re.S)[0])
    assert "lazy" not in first.lower()
    variant = re.search(r'name="variant" value="(\d+)"', r.text).group(1)
    assert variant == "1"
    again = post(client, "/tools/rewrite", csrf, draft=draft, variant=variant)
    second = text_of(re.search(r'<blockquote class="rewrite".*?</blockquote>', again.text,
                               re.S)[0])
    assert second != first and "Version 2 of 3" in again.text


def test_threatening_draft_shows_safety_and_no_rewrite(client, csrf):
    r = post(client, "/tools/rewrite", csrf, draft="If you leave me I will kill you.")
    assert r.status_code == 200
    assert 'class="safety-notice" role="alert"' in r.text
    assert '<blockquote class="rewrite"' not in r.text and "Another version" not in r.text


def test_empty_draft_and_missing_csrf(client, csrf):
    r = post(client, "/tools/rewrite", csrf, draft="   ")
    assert r.status_code == 422 and "the draft is empty" in r.text
    assert post(client, "/tools/rewrite", None, draft="You never listen.").status_code == 403


@pytest.mark.parametrize("url", [
    "/tools/rituals/nightly-gratitude", "/tools/rituals/feed/rotate", "/tools/starters/draw",
    "/tools/journal/new", "/tools/starters/favourites/x",
])
def test_forms_without_the_csrf_token_change_nothing(client, app, csrf, url):
    data = {"text": "A quiet day.", "action": "save", "frequency": "daily",
            "time_of_day": "21:00", "timezone": "UTC"}
    r = client.post(url, data=data, follow_redirects=False)
    assert r.status_code == 403 and "the form expired" in r.text
    for model in (RitualPlan, FeedToken, StarterDraw, JournalEntryRow, StarterFavourite):
        assert count(app, model) == 0
