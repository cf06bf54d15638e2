"""The application service: load what the coach remembers, run it, store the turn.

CLI and web call this; it is the only place that joins the engine and the store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from amante.config import Settings, get_settings
from amante.couples import privacy
from amante.engine.coach import Coach, Replace
from amante.engine.errors import clean_message
from amante.engine.types import Conversation, Fact, Profile, Turn
from amante.profiles import update_profile
from amante.store import repository as repo
from amante.store.crypto import Keyring, load_or_create_keys
from amante.store.database import Database, StoreError
from amante.store.models import MessageRow, User


def make_coach(settings: Settings, warn: Callable[[str], None] | None = None) -> Coach:
    """The coach with the configured backend; on a configuration error, the composer.

    A wrong backend name, URL or missing package must never leave a user without a coach: the
    problem is reported through `warn` (or logged) and the built-in composer answers.
    """
    from amante.backends import get_backend
    from amante.engine.speak import BackendError

    try:
        backend = get_backend(settings)
    except BackendError as exc:
        message = f"{exc}; using the built-in composer (check with `amante backends`)"
        (warn or log.warning)(message)
        backend = None
    return Coach(backend=backend)


def message_json(m: MessageRow) -> dict[str, Any]:
    """A stored message as the CLI and API show it (the coach's carries its techniques)."""
    out: dict[str, Any] = {
        "id": m.id,
        "role": m.role,
        "text": m.text,
        "created_at": m.created_at.isoformat(),
    }
    if m.role == "coach":
        out["techniques"] = (m.meta or {}).get("techniques", [])
    return out


def open_database(settings: Settings) -> Database:
    """The configured database with its encryption keys (generated on first embedded run)."""
    try:
        keys = load_or_create_keys(settings.home, settings.encryption_keys)
    except OSError as exc:
        raise StoreError(
            f"cannot read or create the key file in {settings.home}: {exc.strerror}"
        ) from exc
    return Database(settings.db_url, keyring=Keyring(keys))


log = logging.getLogger("amante")


class CoachService:
    """One user's coaching sessions over one database."""

    def __init__(
        self,
        db: Database,
        coach: Coach | None = None,
        handle: str = "local",
        user_id: str | None = None,
    ) -> None:
        self.db = db
        self.coach = coach or Coach()
        if user_id is not None:
            self.user_id = user_id
        else:
            with db.session() as s:
                self.user_id = repo.get_or_create_user(s, handle).id

    @classmethod
    def open(
        cls, settings: Settings | None = None, warn: Callable[[str], None] | None = None
    ) -> CoachService:
        settings = settings or get_settings()
        return cls(open_database(settings), make_coach(settings, warn), handle=settings.user)

    def new_conversation(self) -> str:
        with self.db.session() as s:
            return repo.create_conversation(s, self.user_id).id

    def latest_conversation(self) -> str | None:
        with self.db.session() as s:
            row = repo.latest_conversation(s, self.user_id)
            return row.id if row else None

    def load(self, conversation_id: str | None = None) -> Conversation:
        """What the coach remembers for this conversation (a new one when no id is given)."""
        with self.db.session() as s:
            if conversation_id is None:
                row = repo.create_conversation(s, self.user_id)
            else:
                row = repo.get_conversation_row(s, self.user_id, conversation_id)
            conversation = repo.load_conversation(s, self.user_id, row)
            # Couple rules: only what both chose to share, and no joint nudges when unsafe.
            return privacy.prepare_conversation(s, self.user_id, conversation)

    def stream(self, conversation: Conversation, text: str) -> Iterator[str | Replace | Turn]:
        """Coach one message as it is produced; ends with the stored Turn.

        The turn is stored even if the reader goes away mid-stream: the coach finishes the
        reply and the message and reply are written together, or not at all.
        """
        replies = self.coach.stream(conversation, text)
        turn: Turn | None = None
        try:
            for item in replies:
                if isinstance(item, Turn):
                    turn = item
                    break
                yield item
        finally:
            if turn is None:
                turn = next((i for i in replies if isinstance(i, Turn)), None)
            if turn is not None:
                with self.db.session() as s:
                    repo.save_turn(s, self.user_id, turn)
        yield turn

    def reply(self, text: str, conversation_id: str | None = None) -> Turn:
        """Coach one message; the message and reply are stored together or not at all."""
        clean_message(text)  # refuse bad input before a conversation is created
        conversation = self.load(conversation_id)
        for item in self.stream(conversation, text):
            if isinstance(item, Turn):
                return item
        raise AssertionError("stream() always ends with a Turn")  # pragma: no cover

    def profile(self) -> Profile:
        with self.db.session() as s:
            return repo.get_profile(s, self.user_id)

    def set_profile(self, changes: dict[str, Any]) -> Profile:
        with self.db.session() as s:
            profile = update_profile(repo.get_profile(s, self.user_id), changes)
            repo.save_profile(s, self.user_id, profile)
            return profile

    def facts(self) -> list[Fact]:
        with self.db.session() as s:
            return repo.list_facts(s, self.user_id)

    def conversations(self) -> list[dict[str, Any]]:
        """The user's conversations, newest first, without messages."""
        with self.db.session() as s:
            rows = repo.list_conversations(s, self.user_id)
            return [
                {
                    "id": c.id,
                    "title": c.title or "New conversation",
                    "created_at": c.created_at.isoformat(),
                    "updated_at": c.updated_at.isoformat(),
                }
                for c in reversed(rows)
            ]

    def delete_conversation(self, conversation_id: str) -> None:
        with self.db.session() as s:
            s.delete(repo.get_conversation_row(s, self.user_id, conversation_id))

    def history(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Conversations with their messages (one conversation when an id is given)."""
        with self.db.session() as s:
            rows = (
                [repo.get_conversation_row(s, self.user_id, conversation_id)]
                if conversation_id
                else repo.list_conversations(s, self.user_id)
            )
            return [
                {
                    "id": c.id,
                    "title": c.title,
                    "created_at": c.created_at.isoformat(),
                    "updated_at": c.updated_at.isoformat(),
                    "messages": [message_json(m) for m in repo.messages(s, self.user_id, c.id)],
                }
                for c in rows
            ]

    def export(self) -> dict[str, Any]:
        with self.db.session() as s:
            user = s.get(User, self.user_id)
            assert user is not None
            return repo.export(s, user)

    def forget(self, what: str = "all") -> dict[str, int]:
        with self.db.session() as s:
            return repo.forget(s, self.user_id, what)
