import sqlite3

import pytest

from amante.engine.types import Fact
from amante.store import repository as repo
from amante.store.crypto import CryptoError, Keyring, load_or_create_keys, new_key, set_keyring
from amante.store.database import Database
from amante.store.models import MessageRow
from amante.store.rotation import rotate_keys

SECRET = "my husband Theodore read my diary"


def _store_secret(db: Database) -> str:
    with db.session() as s:
        uid = repo.get_or_create_user(s, "me").id
        conv = repo.create_conversation(s, uid)
        s.add(
            MessageRow(
                conversation_id=conv.id,
                user_id=uid,
                role="user",
                text=SECRET,
                meta={"analysis": {"evidence": SECRET}},
            )
        )
        repo.add_facts(s, uid, [Fact("partner_name", "Theodore", SECRET)])
    return uid


def test_sensitive_text_is_not_stored_in_plaintext(tmp_path):
    path = tmp_path / "a.db"
    db = Database(f"sqlite:///{path}")
    uid = _store_secret(db)
    db.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("a.db*"))
    assert b"Theodore" not in raw and b"diary" not in raw
    db = Database(f"sqlite:///{path}")
    with db.session() as s:
        assert [f.value for f in repo.list_facts(s, uid)] == ["Theodore"]
        assert repo.messages(s, uid, repo.list_conversations(s, uid)[0].id)[0].text == SECRET


def test_wrong_key_is_a_clear_error(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    uid = _store_secret(db)
    set_keyring(Keyring([new_key()]))
    with pytest.raises(CryptoError, match="cannot be decrypted"), db.session() as s:
        repo.list_facts(s, uid)


def test_rotation_re_encrypts_everything_with_the_new_key(tmp_path, keyring):
    path = tmp_path / "a.db"
    db = Database(f"sqlite:///{path}")
    uid = _store_secret(db)
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO facts (user_id, key, value, evidence, created_at) "
        "VALUES (?, 'recurring_issue', 'legacy plaintext', '', '2026-01-01')",
        (uid,),
    )
    con.commit()
    con.close()
    new = new_key()
    both = Keyring([new, *keyring.keys])
    set_keyring(both)
    assert rotate_keys(db.engine, both) >= 4
    set_keyring(Keyring([new]))  # the old key is gone now
    with db.session() as s:
        values = {f.value for f in repo.list_facts(s, uid)}
    assert values == {"Theodore", "legacy plaintext"}
    raw = path.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("a.db-*"))
    assert b"legacy plaintext" not in raw


def test_malformed_key_is_refused():
    with pytest.raises(CryptoError, match="malformed"):
        Keyring(["not-a-key"])


def test_key_file_is_created_once_and_private(tmp_path):
    keys = load_or_create_keys(tmp_path, None)
    assert load_or_create_keys(tmp_path, None) == keys
    assert (tmp_path / "encryption.key").stat().st_mode & 0o077 == 0
    assert load_or_create_keys(tmp_path, "a,b") == ["a", "b"]
