"""The JSON API on SQLite and PostgreSQL: accounts, conversations, streaming, privacy, errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from signing import sign_up
from sqlalchemy import func, select

from amante.store.models import (
    ConversationRow,
    FactRow,
    MessageRow,
    ProfileRow,
    SessionRow,
    User,
    utcnow,
)


def new_conversation(client: TestClient, csrf: str) -> str:
    r = client.post("/api/v1/conversations", headers={"x-csrf-token": csrf})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def send(client: TestClient, csrf: str, conv: str, text: str, **kw):
    return client.post(
        f"/api/v1/conversations/{conv}/messages",
        json={"text": text},
        headers={"x-csrf-token": csrf},
        **kw,
    )


def test_signup_chat_and_history(client):
    csrf = sign_up(client)
    conv = new_conversation(client, csrf)
    r = send(client, csrf, conv, "My wife Ana and I keep fighting about chores.")
    assert r.status_code == 201
    body = r.json()
    assert body["conversation"] == conv and body["reply"]
    assert body["safety"] == {"level": "none", "categories": [], "refuse": False}
    messages = client.get(f"/api/v1/conversations/{conv}/messages").json()
    assert [m["role"] for m in messages] == ["user", "coach"]
    assert messages[0]["text"] == "My wife Ana and I keep fighting about chores."
    listed = client.get("/api/v1/conversations").json()
    assert listed[0]["id"] == conv and "chores" in listed[0]["title"]
    me = client.get("/api/v1/me").json()
    assert {"key": "partner_name", "value": "Ana"} in me["facts"]


def test_streamed_reply_arrives_in_chunks_and_is_stored_first(client):
    csrf = sign_up(client)
    conv = new_conversation(client, csrf)
    with client.stream(
        "POST",
        f"/api/v1/conversations/{conv}/messages?stream=true",
        json={"text": "We keep arguing about money. What can I do?"},
        headers={"x-csrf-token": csrf},
    ) as r:
        assert r.status_code == 201
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())
    events = [block for block in raw.split("\n\n") if block.strip()]
    chunks = [json.loads(b.split("data: ", 1)[1])["text"] for b in events if "event: chunk" in b]
    done = json.loads(events[-1].split("data: ", 1)[1])
    assert len(chunks) > 3
    assert "".join(chunks) == done["reply"]
    stored = client.get(f"/api/v1/conversations/{conv}/messages").json()
    assert stored[-1]["text"] == done["reply"]


def test_crisis_message_gets_resources_for_the_profile_region(client):
    csrf = sign_up(client)
    r = client.patch("/api/v1/me", json={"region": "AU"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 200 and r.json()["region"] == "AU"
    conv = new_conversation(client, csrf)
    body = send(client, csrf, conv, "I'm going to kill myself tonight").json()
    assert body["safety"]["level"] == "crisis"
    assert "13 11 14" in body["reply"]
    assert body["techniques"] == []


def test_another_user_cannot_read_change_or_delete(client, app):
    csrf_a = sign_up(client, "alice")
    conv = new_conversation(client, csrf_a)
    send(client, csrf_a, conv, "private words about Sam")
    other = TestClient(app)
    csrf_b = sign_up(other, "bob")
    assert other.get(f"/api/v1/conversations/{conv}").status_code == 404
    assert other.get(f"/api/v1/conversations/{conv}/messages").status_code == 404
    assert send(other, csrf_b, conv, "hello").status_code == 404
    assert (
        other.delete(f"/api/v1/conversations/{conv}", headers={"x-csrf-token": csrf_b}).status_code
        == 404
    )
    assert other.get("/api/v1/conversations").json() == []
    assert "Sam" not in json.dumps(other.get("/api/v1/export").json())
    assert len(client.get(f"/api/v1/conversations/{conv}/messages").json()) == 2


def test_cookie_requests_need_the_csrf_header(client):
    csrf = sign_up(client)
    r = client.post("/api/v1/conversations")
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
    r = client.post("/api/v1/conversations", headers={"x-csrf-token": csrf + "x"})
    assert r.status_code == 403
    assert client.get("/api/v1/conversations").status_code == 200  # safe methods need none


def test_signin_wrong_password_and_rate_limit(client):
    sign_up(client, "maya", "correct horse 1")
    fresh = TestClient(client.app)
    for _ in range(5):
        r = fresh.post("/api/v1/auth/signin", json={"username": "maya", "password": "wrong one!!"})
        assert r.status_code == 401 and r.json()["code"] == "invalid_credentials"
    r = fresh.post("/api/v1/auth/signin", json={"username": "maya", "password": "correct horse 1"})
    assert r.status_code == 429 and r.json()["code"] == "too_many_attempts"


def test_signup_errors_name_the_field(client):
    r = client.post("/api/v1/auth/signup", json={"username": "maya", "password": "short"})
    assert r.status_code == 400 and r.json()["fields"][0]["field"] == "password"
    sign_up(client, "maya")
    r = TestClient(client.app).post(
        "/api/v1/auth/signup", json={"username": "MAYA", "password": "long enough pw"}
    )
    assert r.status_code == 409 and r.json()["code"] == "username_taken"


def test_signout_everywhere_ends_all_sessions(client, app):
    csrf = sign_up(client, "maya", "correct horse 1")
    second = TestClient(app)
    second.post("/api/v1/auth/signin", json={"username": "maya", "password": "correct horse 1"})
    assert second.get("/api/v1/me").status_code == 200
    assert (
        client.post("/api/v1/auth/signout-everywhere", headers={"x-csrf-token": csrf}).status_code
        == 204
    )
    assert second.get("/api/v1/me").status_code == 401


def test_expired_and_forged_sessions_are_refused(client, app):
    sign_up(client)
    with app.state.db.session() as s:
        for row in s.scalars(select(SessionRow)):
            row.expires_at = utcnow() - timedelta(seconds=1)
    r = client.get("/api/v1/me")
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
    forged = TestClient(app, cookies={"amante_session": "forged-value"})
    assert forged.get("/api/v1/me").status_code == 401


def test_api_tokens_create_use_revoke(client, app):
    csrf = sign_up(client)
    r = client.post("/api/v1/tokens", json={"name": "script"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 201
    token, token_id = r.json()["token"], r.json()["id"]
    bearer = TestClient(app, headers={"authorization": f"Bearer {token}"})
    conv = bearer.post("/api/v1/conversations").json()["id"]  # no CSRF needed for tokens
    assert (
        bearer.post(
            f"/api/v1/conversations/{conv}/messages", json={"text": "hello there"}
        ).status_code
        == 201
    )
    listed = client.get("/api/v1/tokens").json()
    assert listed[0]["prefix"] in token and "token" not in listed[0]
    assert (
        client.delete(f"/api/v1/tokens/{token_id}", headers={"x-csrf-token": csrf}).status_code
        == 204
    )
    r = bearer.get("/api/v1/me")
    assert r.status_code == 401 and r.json()["code"] == "invalid_token"


def test_export_and_delete_account_remove_everything(client, app):
    csrf = sign_up(client)
    conv = new_conversation(client, csrf)
    send(client, csrf, conv, "My husband Theo and I fight about money.")
    export = client.get("/api/v1/export")
    assert export.status_code == 200
    assert "attachment" in export.headers["content-disposition"]
    data = export.json()
    assert data["conversations"][0]["messages"][0]["text"].startswith("My husband Theo")
    assert client.delete("/api/v1/account", headers={"x-csrf-token": csrf}).status_code == 204
    with app.state.db.session() as s:
        for model in (User, ConversationRow, MessageRow, FactRow, ProfileRow, SessionRow):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model.__name__
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        (b'{"text": ', {"content-type": "application/json"}, 422, "validation_error"),
        (
            b'{"text": "hi", "mood": "x"}',
            {"content-type": "application/json"},
            422,
            "validation_error",
        ),
        (
            b"text=hi",
            {"content-type": "application/x-www-form-urlencoded"},
            422,
            "validation_error",
        ),
        (b'{"text": ""}', {"content-type": "application/json"}, 422, "validation_error"),
        (
            b'{"text": "' + b"x" * 70000 + b'"}',
            {"content-type": "application/json"},
            413,
            "too_large",
        ),
    ],
)
def test_bad_bodies_get_clear_errors_and_write_nothing(client, app, body, headers, status, code):
    csrf = sign_up(client)
    conv = new_conversation(client, csrf)
    r = client.post(
        f"/api/v1/conversations/{conv}/messages",
        content=body,
        headers={**headers, "x-csrf-token": csrf},
    )
    assert r.status_code == status
    assert r.json()["code"] == code and r.json()["message"]
    assert "Traceback" not in r.text
    with app.state.db.session() as s:
        assert s.scalar(select(func.count()).select_from(MessageRow)) == 0


def test_unknown_field_error_names_the_field(client):
    csrf = sign_up(client)
    r = client.patch("/api/v1/me", json={"shoe_size": 9}, headers={"x-csrf-token": csrf})
    assert r.status_code == 422
    assert r.json()["fields"][0]["field"] == "shoe_size"
    r = client.patch("/api/v1/me", json={"region": "Mars"}, headers={"x-csrf-token": csrf})
    assert r.status_code == 422 and "region" in r.json()["message"]


def test_security_headers(client):
    r = client.get("/signin")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    cookie = client.post(
        "/api/v1/auth/signup", json={"username": "hdr1", "password": "long enough pw"}
    ).headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_openapi_document_lists_the_resources(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/conversations",
        "/api/v1/conversations/{conversation_id}/messages",
        "/api/v1/me",
        "/api/v1/export",
        "/api/v1/account",
        "/api/v1/tokens",
        "/api/v1/auth/signup",
        "/api/v1/auth/signin",
    ):
        assert path in paths


def test_ids_and_names_with_nul_bytes_are_not_found_not_a_crash(client):
    csrf = sign_up(client)
    for path in ("/api/v1/conversations/abc%00def", "/api/v1/conversations/" + "9" * 300):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.delete("/api/v1/tokens/x%00y", headers={"x-csrf-token": csrf})
    assert r.status_code == 404
    r = TestClient(client.app).post(
        "/api/v1/auth/signin", json={"username": "ma\u0000ya", "password": "whatever it is"}
    )
    assert r.status_code == 401 and r.json()["code"] == "invalid_credentials"
