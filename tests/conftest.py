"""Shared fixtures: every test gets its own AMANTE_HOME with a real SQLite file."""

from __future__ import annotations

import pytest

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
