"""amante as an OpenAI-compatible server: the official `openai` client against a real server."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient
from openai import AuthenticationError, OpenAI
from signing import sign_up


@pytest.fixture
def served(app):
    """The app on a real loopback HTTP server in this process; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def token(app) -> str:
    client = TestClient(app)
    csrf = sign_up(client)
    r = client.post("/api/v1/tokens", json={"name": "chat client"}, headers={"x-csrf-token": csrf})
    return r.json()["token"]


def test_official_client_gets_a_coaching_reply(served, token):
    client = OpenAI(base_url=f"{served}/v1", api_key=token, max_retries=0)
    models = [m.id for m in client.models.list()]
    assert models == ["amante-coach"]
    out = client.chat.completions.create(
        model="amante-coach",
        messages=[{"role": "user", "content": "My wife Ana and I keep fighting about chores."}],
        temperature=0.2,
    )
    reply = out.choices[0].message.content
    assert out.choices[0].finish_reason == "stop"
    assert "AI coach" in reply and "Ana" in reply


def test_official_client_streams_and_memory_carries_over(served, token, app):
    client = OpenAI(base_url=f"{served}/v1", api_key=token, max_retries=0)
    first = "My husband Theo works late every night and I feel lonely."
    client.chat.completions.create(model="x", messages=[{"role": "user", "content": first}])
    stream = client.chat.completions.create(
        model="x",
        stream=True,
        messages=[
            {"role": "user", "content": first},
            {"role": "assistant", "content": "..."},
            {"role": "user", "content": "What could I say to him tonight?"},
        ],
    )
    pieces = [c.choices[0].delta.content or "" for c in stream if c.choices]
    assert len([p for p in pieces if p]) > 3
    web = TestClient(app, headers={"authorization": f"Bearer {token}"})
    (conversation,) = web.get("/api/v1/conversations").json()
    messages = web.get(f"/api/v1/conversations/{conversation['id']}/messages").json()
    assert [m["text"] for m in messages if m["role"] == "user"] == [
        first,
        "What could I say to him tonight?",
    ]


def test_crisis_through_the_compatible_api_gets_the_protocol(served, token):
    client = OpenAI(base_url=f"{served}/v1", api_key=token, max_retries=0)
    out = client.chat.completions.create(
        model="x", messages=[{"role": "user", "content": "I want to kill myself tonight"}]
    )
    assert "emergency" in out.choices[0].message.content.lower()


def test_wrong_token_is_refused(served):
    client = OpenAI(base_url=f"{served}/v1", api_key="amt_nope_nope", max_retries=0)
    with pytest.raises(AuthenticationError):
        client.chat.completions.create(model="x", messages=[{"role": "user", "content": "hi"}])


def test_request_without_user_message_names_the_field(app, token):
    client = TestClient(app, headers={"authorization": f"Bearer {token}"})
    r = client.post(
        "/v1/chat/completions",
        json={"model": "x", "messages": [{"role": "system", "content": "be nice"}]},
    )
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "messages"
