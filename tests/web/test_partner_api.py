"""Couple mode over HTTP: /api/v1/partner, /daily-question, /rituals/shared, /appreciations,
and the partner pages, on SQLite and PostgreSQL. Error codes are stable; nothing leaks."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

PASSWORD = "correct horse 1"


def user(app, name: str) -> TestClient:
    client = TestClient(app)
    r = client.post("/api/v1/auth/signup", json={"username": name, "password": PASSWORD})
    assert r.status_code == 201, r.text
    client.headers["x-csrf-token"] = r.json()["csrf_token"]
    return client


def linked(app) -> tuple[TestClient, TestClient]:
    a, b = user(app, "maya"), user(app, "noah")
    code = a.post("/api/v1/partner/invite", json={"timezone": "Europe/Berlin"}).json()["code"]
    r = b.post("/api/v1/partner/accept", json={"code": code, "timezone": "Europe/Berlin"})
    assert r.status_code == 201, r.text
    return a, b


def test_link_answer_reveal_react_and_unlink(app):
    a, b = user(app, "maya"), user(app, "noah")
    assert a.get("/api/v1/partner").json()["linked"] is False
    made = a.post("/api/v1/partner/invite", json={"timezone": "Europe/Berlin"})
    assert made.status_code == 201
    body = made.json()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", body["code"])
    assert body["url"].endswith(f"/partner/join?code={body['code']}")
    assert a.get("/api/v1/partner").json()["invite_expires_at"] is not None
    r = b.post("/api/v1/partner/accept", json={"code": body["code"], "timezone": "Europe/Berlin"})
    assert r.status_code == 201 and r.json()["partner"] == {"handle": "maya"}
    status = a.get("/api/v1/partner").json()
    assert status["linked"] and status["partner"]["handle"] == "noah"
    assert status["private"] and status["quiet_unlink"]

    qa, qb = a.get("/api/v1/daily-question").json(), b.get("/api/v1/daily-question").json()
    assert qa["question"] == qb["question"]
    r = a.post("/api/v1/daily-question/answer", json={"text": "Our trip to the lake"})
    assert r.status_code == 201 and r.json()["revealed"] is False
    seen = b.get("/api/v1/daily-question").json()
    assert seen["partner_answered"] and seen["partner_answer"] is None
    assert "lake" not in b.get("/api/v1/daily-question").text
    assert "lake" not in b.get("/api/v1/daily-question/history").text
    r = b.post(f"/api/v1/daily-question/{qb['date']}/reaction", json={"heart": True})
    assert r.status_code == 409 and r.json()["code"] == "not_revealed"
    r = b.post("/api/v1/daily-question/answer", json={"text": "Dancing in the kitchen"})
    assert r.json()["revealed"] and r.json()["partner_answer"]["text"] == "Our trip to the lake"
    r = b.post(f"/api/v1/daily-question/{qb['date']}/reaction",
               json={"heart": True, "reply": "Me too"})
    assert r.status_code == 200
    mine = a.get("/api/v1/daily-question").json()
    assert mine["partner_answer"]["text"] == "Dancing in the kitchen" and mine["streak"] == 1
    assert mine["my_answer"]["reaction"] == {"heart": True, "reply": "Me too"}
    r = a.post("/api/v1/daily-question/answer", json={"text": "again"})
    assert r.status_code == 409 and r.json()["code"] == "already_answered"

    assert a.post("/api/v1/partner/unlink").json()["linked"] is False
    for client in (a, b):
        r = client.get("/api/v1/daily-question")
        assert r.status_code == 409 and r.json()["code"] == "not_linked"
        assert "lake" not in r.text and "kitchen" not in r.text
    r = b.post("/api/v1/partner/unlink")
    assert r.status_code == 409 and r.json()["code"] == "not_linked"


def test_bad_invite_codes_have_stable_errors_and_link_nothing(app):
    a, b, c = user(app, "maya"), user(app, "noah"), user(app, "olga")
    code = a.post("/api/v1/partner/invite", json={}).json()["code"]
    cases = [
        (a, code, 422, "self_invite"),
        (b, "ZZZZ-ZZZZ-ZZZZ", 404, "invite_invalid"),
        (b, "not a code", 404, "invite_invalid"),
    ]
    for client, sent, status, error in cases:
        r = client.post("/api/v1/partner/accept", json={"code": sent})
        assert (r.status_code, r.json()["code"]) == (status, error), r.text
        assert client.get("/api/v1/partner").json()["linked"] is False
    assert b.post("/api/v1/partner/accept", json={"code": code}).status_code == 201
    r = c.post("/api/v1/partner/accept", json={"code": code})
    assert (r.status_code, r.json()["code"]) == (410, "invite_used")
    r = b.post("/api/v1/partner/accept", json={"code": code})
    assert (r.status_code, r.json()["code"]) == (409, "already_linked")
    r = a.post("/api/v1/partner/invite", json={})
    assert (r.status_code, r.json()["code"]) == (409, "already_linked")
    r = c.post("/api/v1/partner/invite", json={"timezone": "Mars/Base"})
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "timezone"
    assert c.delete("/api/v1/partner/invite").status_code == 404


def test_shared_rituals_through_the_rituals_resource_and_feed(app):
    a, b = linked(app)
    r = a.post("/api/v1/rituals/shared", json={"ritual_id": "nightly-gratitude"})
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["planned_by"] == "you" and plan["timezone"] == "Europe/Berlin"
    assert b.get("/api/v1/rituals/shared").json()[0]["planned_by"] == "partner"
    r = b.post(f"/api/v1/rituals/shared/{plan['id']}/checkins", json={})
    assert r.status_code == 201 and r.json()["streak"] == 1
    r = a.post(f"/api/v1/rituals/shared/{plan['id']}/checkins", json={})
    assert (r.status_code, r.json()["code"]) == (409, "duplicate_check_in")
    assert a.get(f"/api/v1/rituals/shared/{plan['id']}").json()["done_today_by"] == "partner"
    token = b.get("/api/v1/rituals/feed").json()["token"]
    feed = TestClient(app).get(f"/api/v1/rituals/feed/{token}.ics")
    titles = [str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert titles == ["Nightly gratitude exchange (together)"]
    r = a.post("/api/v1/rituals/shared", json={"ritual_id": "no-such-ritual"})
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "ritual_id"
    r = a.put(f"/api/v1/rituals/shared/{plan['id']}", json={"time_of_day": "25:00"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_schedule"
    assert a.delete(f"/api/v1/rituals/shared/{plan['id']}").status_code == 204
    assert b.get(f"/api/v1/rituals/shared/{plan['id']}").status_code == 404


def test_appreciations_and_gratitude_ritual(app):
    a, b = linked(app)
    r = a.post("/api/v1/appreciations/gratitude-ritual", json={})
    assert r.status_code == 201 and r.json()["ritual_id"] == "nightly-gratitude"
    r = a.post("/api/v1/appreciations", json={"text": "Thanks for the flowers"})
    assert r.status_code == 201 and r.json()["ritual_checked"] == ["nightly-gratitude"]
    bid = a.post("/api/v1/appreciations", json={"kind": "bid", "text": "Coffee later?"}).json()
    got = b.get("/api/v1/appreciations").json()
    assert [g["text"] for g in got] == ["Coffee later?", "Thanks for the flowers"]
    assert a.get("/api/v1/appreciations").json() == []
    r = b.post(f"/api/v1/appreciations/{bid['id']}/response", json={"text": "Yes please"})
    assert r.status_code == 200 and r.json()["response"] == "Yes please"
    r = a.post(f"/api/v1/appreciations/{bid['id']}/response", json={"text": "to myself"})
    assert r.status_code == 404
    sent = a.get("/api/v1/appreciations?box=sent").json()
    assert sent[0]["response"] == "Yes please"
    r = a.post("/api/v1/appreciations", json={"kind": "order", "text": "x"})
    assert r.status_code == 422


def test_private_data_never_appears_in_partner_responses(app):
    a, b = linked(app)
    secret = "GOOSEBERRY"
    r = a.post("/api/v1/conversations", json={})
    conv = r.json()["id"]
    r = a.post(f"/api/v1/conversations/{conv}/messages", json={"text": f"I feel lonely {secret}"})
    assert r.status_code == 201, r.text
    assert a.post("/api/v1/journal/entries", json={"text": f"Journal {secret}"}).status_code == 201
    assert a.post("/api/v1/daily-question/answer", json={"text": f"Answer {secret}"}).status_code \
        == 201
    paths = ["/api/v1/partner", "/api/v1/daily-question", "/api/v1/daily-question/history",
             "/api/v1/rituals/shared", "/api/v1/appreciations", "/partner", "/partner/history"]
    for path in paths:
        r = b.get(path)
        assert r.status_code == 200, path
        assert secret not in r.text, path
    assert secret in a.get("/api/v1/daily-question").text  # Maya sees her own answer


def test_unauthenticated_and_csrf(app):
    anon = TestClient(app)
    for path in ("/api/v1/partner", "/api/v1/daily-question", "/api/v1/rituals/shared",
                 "/api/v1/appreciations"):
        assert anon.get(path).status_code == 401
    a = user(app, "maya")
    del a.headers["x-csrf-token"]
    r = a.post("/api/v1/partner/invite", json={})
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"


@pytest.mark.parametrize("flagged", [False, True])
def test_partner_page_for_a_flagged_user_opens_quiet_unlink_and_stops_nudges(app, flagged):
    a, b = linked(app)
    b.post("/api/v1/daily-question/answer", json={"text": "hello"})
    if flagged:
        conv = a.post("/api/v1/conversations", json={}).json()["id"]
        r = a.post(f"/api/v1/conversations/{conv}/messages",
                   json={"text": "He checks my phone every night and won't let me see my friends."})
        assert r.status_code == 201 and r.json()["safety"]["level"] != "none", r.text
    page = a.get("/partner").text
    assert ('<details class="quiet-unlink" id="quiet-unlink" open>' in page) is flagged
    assert ('id="partner-answered"' in page) is not flagged
    assert "abuse" not in page.lower() and "coercive" not in page.lower()
    # Noah's page and API do not change with Maya's flag.
    other = b.get("/partner").text
    assert 'id="quiet-unlink" open' not in other


def test_pages_invite_accept_answer_and_unlink_without_javascript(app):
    a, b = user(app, "maya"), user(app, "noah")
    csrf_a, csrf_b = a.headers["x-csrf-token"], b.headers["x-csrf-token"]
    page = a.post("/partner/invite", data={"csrf_token": csrf_a, "timezone": "UTC"})
    code = re.search(r'id="invite-code">([A-Z0-9-]+)<', page.text).group(1)
    join = b.get(f"/partner/join?code={code}")
    assert f'value="{code}"' in join.text
    r = b.post("/partner/accept", data={"csrf_token": csrf_b, "code": code, "timezone": "UTC"},
               follow_redirects=False)
    assert r.status_code == 303
    assert "You are linked with" in a.get("/partner").text
    r = b.post("/partner/accept", data={"csrf_token": csrf_b, "code": code})
    assert r.status_code == 409 and "already linked" in r.text
    a.post("/partner/daily/answer", data={"csrf_token": csrf_a, "text": "Sunlit mornings"})
    assert "Sunlit mornings" not in b.get("/partner").text
    b.post("/partner/daily/answer", data={"csrf_token": csrf_b, "text": "Rainy evenings"})
    assert "Sunlit mornings" in b.get("/partner").text
    r = a.post("/partner/unlink", data={"csrf_token": "wrong"})
    assert r.status_code == 403
    a.post("/partner/unlink", data={"csrf_token": csrf_a})
    assert "Rainy evenings" not in a.get("/partner").text
    assert "Got a code?" in b.get("/partner").text
