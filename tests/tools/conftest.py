"""A migrated SQLite database and a user for the tools' tests."""

from __future__ import annotations

import pytest

from amante.store import repository as repo
from amante.store.database import Database


@pytest.fixture()
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'tools.db'}")
    yield database
    database.close()


@pytest.fixture()
def user(db):
    with db.session() as s:
        return repo.get_or_create_user(s, "tester").id


@pytest.fixture()
def other_user(db):
    with db.session() as s:
        return repo.get_or_create_user(s, "someone-else").id
