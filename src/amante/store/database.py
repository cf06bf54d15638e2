"""Open the database (SQLite WAL by default, PostgreSQL by URL) and run Alembic migrations."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from amante.store.crypto import Keyring, set_keyring

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(RuntimeError):
    """The database cannot be used; the message says why and what to do."""


def explain(exc: BaseException, url: str) -> StoreError:
    """Turn a driver error into a message a person can act on."""
    text = str(getattr(exc, "orig", exc)).lower()
    where = url.split("///", 1)[-1] if url.startswith("sqlite") else "the database server"
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return StoreError(
            f"{where} is not a valid amante database (corrupt or another file). "
            "Move it aside or restore a backup; nothing was changed."
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"{where} is read-only; amante could not save. Check the file's permissions; "
            "nothing was changed."
        )
    if "unable to open" in text:
        return StoreError(f"cannot open {where}; check that the folder exists and is writable.")
    if "locked" in text:
        return StoreError(f"{where} is busy (locked by another program); try again in a moment.")
    return StoreError(f"database error at {where}: {getattr(exc, 'orig', exc)}")


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(
            "PRAGMA secure_delete=ON"
        )  # deleted text is overwritten, not left in free pages
        cur.execute("PRAGMA busy_timeout=5000")
        mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            # A read-only file keeps its mode; writes then report read-only clearly.
            with contextlib.suppress(sqlite3.OperationalError):
                cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
    finally:
        cur.close()


def make_engine(url: str) -> Engine:
    """An Engine for `url`; SQLite files get their folder, WAL and foreign keys."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for {path}: {exc.strerror}") from exc
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Web requests run in a thread pool of up to 40 threads per worker: let each have a
    # connection instead of timing out in the queue under a burst.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=30)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    url = engine.url.render_as_string(hide_password=False)
    cfg = alembic_config(url)
    try:
        with engine.begin() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            head = ScriptDirectory.from_config(cfg).get_current_head()
            if current == head:
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except (OperationalError, DatabaseError) as exc:
        raise explain(exc, url) from exc


class Database:
    """An engine plus a session factory, migrated on open."""

    def __init__(self, url: str, migrate: bool = True, keyring: Keyring | None = None) -> None:
        self.url = url
        if keyring is not None:
            set_keyring(keyring)
        self.engine = make_engine(url)
        if migrate:
            upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back entirely on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise explain(exc, self.url) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()
