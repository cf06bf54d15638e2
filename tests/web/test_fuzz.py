"""Fuzz the JSON API from its OpenAPI document (schemathesis): no 500s, responses as documented.

Each operation is called with generated valid data and with generated invalid data, signed in
by an API token so protected operations run their real code. About half the calls that take a
conversation id get one that exists, so the found path is fuzzed as well as the 404.

The operations are listed at import time from the document of an app built on a throwaway
SQLite file; each test then runs against its own fresh app (the `app` fixture).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from signing import sign_up

from amante.config import Settings
from amante.store.crypto import set_keyring
from amante.web.app import create_app

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


def _served_openapi() -> dict:
    """The OpenAPI document the app serves, from an app on a throwaway data folder."""
    home = Path(tempfile.mkdtemp(prefix="amante-fuzz-doc-"))
    try:
        doc_app = create_app(
            Settings(home=home, database_url=f"sqlite:///{home / 'doc.db'}", secret_key="d" * 40)
        )
        try:
            return TestClient(doc_app).get("/openapi.json").json()
        finally:
            doc_app.state.db.close()
            set_keyring(None)
    finally:
        shutil.rmtree(home, ignore_errors=True)


OPENAPI = _served_openapi()
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)
OPERATIONS = {op.ok().label: op.ok() for op in SCHEMA.get_all_operations()}

# Operations the fuzz shows to break a check: each is an app or schema bug (see the reason).
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _params() -> list:
    out = []
    for label in sorted(OPERATIONS):
        operation = OPERATIONS[label]
        modes = [GenerationMode.POSITIVE]
        if operation.body or any(p.location != "path" for p in operation.iter_parameters()):
            # Only bodies and query strings can be wrong: any string is a valid path segment.
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            reason = KNOWN_BUGS.get((label, mode.value))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(label, mode, marks=marks, id=f"{label}-{mode.value}"))
    return out


@pytest.fixture
def db_url(tmp_path) -> str:
    """SQLite only: the fuzz targets the API layer; both databases run in test_api.py."""
    return f"sqlite:///{tmp_path / 'fuzz.db'}"


@pytest.fixture
def account(app) -> dict[str, str]:
    """A user with an API token and one conversation holding a message and its reply."""
    client = TestClient(app)
    csrf = sign_up(client, "fuzzer", "fuzzing password 1")
    headers = {"x-csrf-token": csrf}
    token = client.post("/api/v1/tokens", json={"name": "fuzz"}, headers=headers).json()["token"]
    conversation = client.post("/api/v1/conversations", headers=headers).json()["id"]
    r = client.post(
        f"/api/v1/conversations/{conversation}/messages",
        json={"text": "We argue about money."},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    return {"token": token, "conversation": conversation}


def test_the_document_lists_the_api():
    assert len(OPERATIONS) >= 17
    assert all(label.split(" ", 1)[1].startswith(("/api/v1/", "/v1/")) for label in OPERATIONS)


@pytest.mark.parametrize(("label", "mode"), _params())
def test_operation_honours_its_schema(label, mode, app, account):
    operation = OPERATIONS[label]
    auth = {"authorization": f"Bearer {account['token']}"}

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(data=st.data())
    def run(data):
        case = data.draw(operation.as_strategy(generation_mode=mode))
        params = case.path_parameters or {}
        if "conversation_id" in params and data.draw(st.booleans(), label="existing id"):
            params["conversation_id"] = account["conversation"]
        response = case.call(app=app, headers=auth)
        if response.status_code == 413:
            # Bodies over the size limit: refused as JSON here; that no operation documents
            # 413 is pinned once by test_oversized_body_gets_a_documented_413.
            assert response.json()["code"] == "too_large"
            return
        case.validate_response(response, checks=CHECKS, headers=auth)

    run()


BODY_OPERATIONS = sorted(label for label, op in OPERATIONS.items() if op.body)
NOT_UTF8 = b'{"text": "\xff", "name": "\xff", "username": "\xff", "password": "\xff"}'


def _request(client: TestClient, label: str, account: dict[str, str], content: bytes):
    method, template = label.split(" ", 1)
    path = re.sub(
        r"\{\w+\}", "unknown-id", template.replace("{conversation_id}", account["conversation"])
    )
    headers = {"authorization": f"Bearer {account['token']}", "content-type": "application/json"}
    return client.request(method, path, content=content, headers=headers), method, template


@pytest.mark.parametrize("label", BODY_OPERATIONS)
def test_body_that_is_not_utf8_gets_a_documented_json_error(label, app, account):
    r, method, template = _request(TestClient(app), label, account, NOT_UTF8)
    assert 400 <= r.status_code < 500
    assert {"code", "message"} <= set(r.json())
    assert str(r.status_code) in OPENAPI["paths"][template][method.lower()]["responses"]


def test_malformed_json_names_the_body_not_a_character_offset(app, account):
    label = "POST /api/v1/conversations/{conversation_id}/messages"
    r, _, _ = _request(TestClient(app), label, account, b'{"text":')
    assert r.status_code == 422
    assert r.json()["fields"][0]["field"] == "body"


def test_oversized_body_gets_a_documented_413(app, account):
    client = TestClient(app)
    undocumented = []
    for label in BODY_OPERATIONS:
        big = b'{"text": "' + b"a" * 70_000 + b'"}'
        r, method, template = _request(client, label, account, big)
        assert r.status_code == 413 and r.json()["code"] == "too_large", label
        if "413" not in OPENAPI["paths"][template][method.lower()]["responses"]:
            undocumented.append(label)
    assert undocumented == []
