"""Sign-up through the API, shared by the web tests."""

from __future__ import annotations

from fastapi.testclient import TestClient


def sign_up(client: TestClient, username: str = "maya", password: str = "correct horse 1") -> str:
    """Sign up through the API; returns the CSRF token for cookie requests."""
    r = client.post("/api/v1/auth/signup", json={"username": username, "password": password})
    assert r.status_code == 201, r.text
    return r.json()["csrf_token"]
