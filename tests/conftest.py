"""Shared fixtures: every test gets its own AMANTE_HOME with a real SQLite file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from amante.config import get_settings


@pytest.fixture(autouse=True)
def amante_home(tmp_path, monkeypatch):
    """Isolate each test's data directory and settings."""
    home = tmp_path / "amante-home"
    monkeypatch.setenv("AMANTE_HOME", str(home))
    monkeypatch.delenv("AMANTE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def keyring():
    """A fresh encryption key per test, as an operator would configure."""
    from amante.store.crypto import Keyring, new_key, set_keyring

    ring = Keyring([new_key()])
    set_keyring(ring)
    yield ring
    set_keyring(None)


PG_ENV = "AMANTE_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"CI must start PostgreSQL and set {PG_ENV}")
        pytest.skip(f"set {PG_ENV} (e.g. postgresql+psycopg://amante@127.0.0.1:5432/postgres)")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin = postgres_admin_url()
    name = f"amante_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = admin.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'web.db'}"
    return request.getfixturevalue("postgres_url")
