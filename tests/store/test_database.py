import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from amante.engine.types import Fact
from amante.store import repository as repo
from amante.store.database import Database, StoreError
from amante.store.models import Base


def test_migrations_create_the_tables_the_models_describe(db_url):
    db = Database(db_url)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_uses_wal_and_foreign_keys(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_upgrade_is_idempotent_and_keeps_data(db_url):
    url = db_url
    db = Database(url)
    with db.session() as s:
        user = repo.get_or_create_user(s, "me")
        repo.add_facts(s, user.id, [Fact("partner_name", "Sam")])
    db.close()
    db2 = Database(url)
    with db2.session() as s:
        user = repo.get_or_create_user(s, "me")
        assert [f.value for f in repo.list_facts(s, user.id)] == ["Sam"]


def test_corrupt_file_gives_a_clear_error_and_is_left_untouched(tmp_path):
    path = tmp_path / "amante.db"
    junk = b"this is not a database at all" * 100
    path.write_bytes(junk)
    with pytest.raises(StoreError, match="not a valid amante database"):
        Database(f"sqlite:///{path}")
    assert path.read_bytes() == junk


def test_read_only_database_error_and_nothing_written(tmp_path):
    """A database opened read-only (as root can't be stopped by chmod) reports read-only."""
    path = tmp_path / "amante.db"
    Database(f"sqlite:///{path}").close()
    db = Database(f"sqlite:///file:{path}?mode=ro&uri=true", migrate=False)
    with pytest.raises(StoreError, match="read-only"), db.session() as s:
        repo.get_or_create_user(s, "someone")
    con = sqlite3.connect(path)
    assert con.execute("select count(*) from users").fetchone()[0] == 0


def test_a_failed_transaction_writes_nothing(db_url):
    db = Database(db_url)
    with db.session() as s:
        uid = repo.get_or_create_user(s, "me").id
    with pytest.raises(RuntimeError), db.session() as s:
        repo.add_facts(s, uid, [Fact("partner_name", "Sam")])
        raise RuntimeError("crash between writes")
    with db.session() as s:
        assert repo.list_facts(s, uid) == []


def test_single_valued_fact_is_replaced(db_url):
    db = Database(db_url)
    with db.session() as s:
        uid = repo.get_or_create_user(s, "me").id
        repo.add_facts(s, uid, [Fact("partner_name", "Sam"), Fact("recurring_issue", "money")])
        repo.add_facts(s, uid, [Fact("partner_name", "Alex"), Fact("recurring_issue", "chores")])
        facts = {(f.key, f.value) for f in repo.list_facts(s, uid)}
    assert ("partner_name", "Sam") not in facts
    assert {
        ("partner_name", "Alex"),
        ("recurring_issue", "money"),
        ("recurring_issue", "chores"),
    } <= facts


def test_users_see_only_their_own_conversations(db_url):
    db = Database(db_url)
    with db.session() as s:
        a = repo.get_or_create_user(s, "a").id
        b = repo.get_or_create_user(s, "b").id
        conv = repo.create_conversation(s, a).id
    with db.session() as s, pytest.raises(repo.NotFound):
        repo.get_conversation_row(s, b, conv)
    with db.session() as s:
        assert repo.list_conversations(s, b) == []
