"""Accounts: password sign-up and sign-in, browser sessions, API tokens, login rate limiting.

Only hashes of session and API tokens are stored, so a copy of the database cannot be used
to sign in. Passwords use argon2id (argon2-cffi).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from amante.store.database import Database, StoreError
from amante.store.models import ApiToken, LoginAttempt, SessionRow, User, utcnow

_hasher = PasswordHasher()
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 256
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_MAX_FAILURES = 5
TOKEN_PREFIX = "amt_"


class AccountError(ValueError):
    """Sign-up or sign-in cannot go on; `code` is stable for the API."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(ts: datetime) -> datetime:
    """SQLite returns naive datetimes; treat them as UTC."""
    from datetime import UTC

    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def check_new_credentials(username: str, password: str) -> None:
    if not USERNAME.match(username):
        raise AccountError(
            "invalid_username",
            "username must be 3-32 characters: letters, digits, dot, dash or underscore, "
            "starting with a letter or digit",
            "username",
        )
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(
            "weak_password",
            f"password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long",
            "password",
        )


# Hashing is slow on purpose (argon2): it runs outside any transaction, so it never holds a
# pooled connection, and at most one hash per core runs at once, so a burst of sign-ins queues
# instead of starving every other request of CPU.
_hash_slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


def hash_password(password: str) -> str:
    with _hash_slots:
        return _hasher.hash(password)


def _verify_hash(stored: str | None, password: str) -> bool:
    with _hash_slots:
        if not stored:
            _hasher.hash(password)  # same work either way, so timing does not reveal usernames
            return False
        try:
            return _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False


def _find(session: Session, username: str) -> User | None:
    lookup = username.replace("\x00", "").lower()
    return session.scalar(select(User).where(func.lower(User.handle) == lookup))


def sign_up(db: Database, username: str, password: str) -> User:
    """Create an account; AccountError says which field is wrong or that the name is taken."""
    check_new_credentials(username, password)
    with db.session() as s:
        if _find(s, username) is not None:
            raise AccountError(
                "username_taken", "that username is taken; choose another", "username"
            )
    hashed = hash_password(password)
    try:
        with db.session() as s:
            if _find(s, username) is not None:  # taken while we were hashing
                raise AccountError(
                    "username_taken", "that username is taken; choose another", "username"
                )
            user = User(
                id=str(uuid.uuid4()), handle=username, password_hash=hashed, created_at=utcnow()
            )
            s.add(user)
            s.flush()
    except StoreError:
        with db.session() as s:
            if _find(s, username) is not None:  # the unique index caught a concurrent sign-up
                raise AccountError(
                    "username_taken", "that username is taken; choose another", "username"
                ) from None
        raise
    return user


def _throttle_keys(username: str, client: str) -> list[str]:
    # NUL cannot be stored in PostgreSQL text; it never belongs in a username anyway.
    return [f"user:{username.replace(chr(0), '').lower()}", f"ip:{client}"]


def is_throttled(session: Session, username: str, client: str) -> bool:
    since = utcnow() - LOGIN_WINDOW
    for key in _throttle_keys(username, client):
        failures = session.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.key == key, LoginAttempt.created_at >= since
            )
        )
        limit = LOGIN_MAX_FAILURES if key.startswith("user:") else LOGIN_MAX_FAILURES * 4
        if (failures or 0) >= limit:
            return True
    return False


def record_failure(session: Session, username: str, client: str) -> None:
    now = utcnow()
    for key in _throttle_keys(username, client):
        session.add(LoginAttempt(key=key[:200], created_at=now))
    session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - LOGIN_WINDOW * 4))


def authenticate(db: Database, username: str, password: str, client: str) -> User:
    """The user for these credentials, or AccountError (same message for any wrong part).

    Failures are recorded for rate limiting (per username and per client address).
    """
    with db.session() as s:
        if is_throttled(s, username, client):
            raise AccountError(
                "too_many_attempts", "too many failed sign-ins; wait 15 minutes and try again"
            )
        user = _find(s, username)
    if user is None or not _verify_hash(user.password_hash, password):
        with db.session() as s:
            record_failure(s, username, client)
        raise AccountError("invalid_credentials", "wrong username or password")
    if _hasher.check_needs_rehash(user.password_hash or ""):
        hashed = hash_password(password)
        with db.session() as s:
            row = s.get(User, user.id)
            if row is not None:
                row.password_hash = hashed
    return user


def verify_password(user: User, password: str) -> bool:
    return _verify_hash(user.password_hash, password)


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf: str
    expires_at: datetime


def create_session(session: Session, user_id: str, lifetime: timedelta) -> NewSession:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    expires = utcnow() + lifetime
    session.add(
        SessionRow(
            id=_digest(token), user_id=user_id, csrf=csrf, created_at=utcnow(), expires_at=expires
        )
    )
    session.flush()
    return NewSession(token, csrf, expires)


def session_user(session: Session, token: str) -> tuple[User, SessionRow] | None:
    """The signed-in user for a session cookie, if the session exists and has not expired."""
    row = session.get(SessionRow, _digest(token))
    if row is None:
        return None
    if _aware(row.expires_at) <= utcnow():
        session.delete(row)
        return None
    user = session.get(User, row.user_id)
    return (user, row) if user else None


def end_session(session: Session, token: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.id == _digest(token)))


def end_all_sessions(session: Session, user_id: str) -> int:
    return session.execute(delete(SessionRow).where(SessionRow.user_id == user_id)).rowcount or 0


@dataclass(frozen=True)
class NewToken:
    row: ApiToken
    secret: str


def create_token(session: Session, user_id: str, name: str) -> NewToken:
    name = name.strip()
    if not 1 <= len(name) <= 80:
        raise AccountError("invalid_name", "token name must be 1-80 characters", "name")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken(
        id=str(uuid.uuid4()),
        user_id=user_id,
        name=name,
        token_hash=_digest(secret),
        prefix=prefix,
        created_at=utcnow(),
        revoked=False,
    )
    session.add(row)
    session.flush()
    return NewToken(row, secret)


def token_user(session: Session, secret: str) -> User | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if row is None or row.revoked:
        return None
    row.last_used_at = utcnow()
    return session.get(User, row.user_id)


def list_tokens(session: Session, user_id: str) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at)
        )
    )


def revoke_token(session: Session, user_id: str, token_id: str) -> bool:
    from amante.store.repository import plausible_id

    if not plausible_id(token_id):
        return False
    row = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    )
    if row is None:
        return False
    row.revoked = True
    return True


def delete_user(session: Session, user_id: str) -> None:
    """Remove the account and, through ON DELETE CASCADE and explicit deletes, all its data."""
    from amante.store import repository as repo

    repo.forget(session, user_id, "all")
    session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
    session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
    session.execute(delete(User).where(User.id == user_id))
