"""Helpers for the couple tests: a fixed clock, users, and a link made through a real invite."""

from __future__ import annotations

from datetime import UTC, datetime

from amante.couples import links
from amante.store import repository as repo
from amante.store.database import Database

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def make_users(database: Database, *names: str) -> list[str]:
    with database.session() as s:
        return [repo.get_or_create_user(s, n).id for n in names]


def link(database: Database, a: str, b: str, tz_a: str = "UTC", tz_b: str = "UTC",
         now: datetime = NOW) -> None:
    """Link a and b through a real invite."""
    with database.session() as s:
        code = links.create_invite(s, a, tz_a, now=now).code
    with database.session() as s:
        links.accept_invite(s, b, code, tz_b, now=now)
