"""A migrated database (SQLite, and PostgreSQL when configured) for the couple tests."""

from __future__ import annotations

import pytest

from amante.store.database import Database


@pytest.fixture()
def db(db_url):
    database = Database(db_url)
    yield database
    database.close()


@pytest.fixture()
def lite(tmp_path):
    """A SQLite-only database for the many small rule checks."""
    database = Database(f"sqlite:///{tmp_path / 'couples.db'}")
    yield database
    database.close()
