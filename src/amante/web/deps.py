"""Request dependencies: the database, the signed-in user, CSRF checks."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request

from amante.service import CoachService
from amante.store import accounts
from amante.store.database import Database
from amante.store.models import User
from amante.web.errors import ApiError

SESSION_COOKIE = "amante_session"
PRELOGIN_COOKIE = "amante_prelogin"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Auth:
    """Who is calling and how: a session cookie (needs CSRF) or a bearer API token."""

    user: User
    via: Literal["cookie", "token"]
    csrf: str | None = None
    session_token: str | None = None


def database(request: Request) -> Database:
    return request.app.state.db


def service_for(request: Request, user_id: str) -> CoachService:
    return CoachService(request.app.state.db, request.app.state.coach, user_id=user_id)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def optional_auth(request: Request) -> Auth | None:
    """The caller's identity, None when anonymous; a bad bearer token is an error."""
    db: Database = request.app.state.db
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiError(401, "invalid_token", "use 'Authorization: Bearer <token>'")
        with db.session() as s:
            user = accounts.token_user(s, value.strip())
        if user is None:
            raise ApiError(401, "invalid_token", "the API token is unknown or revoked")
        return Auth(user=user, via="token")
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with db.session() as s:
            found = accounts.session_user(s, token)
        if found:
            user, row = found
            return Auth(user=user, via="cookie", csrf=row.csrf, session_token=token)
    return None


def require_auth(request: Request, auth: Annotated[Auth | None, Depends(optional_auth)]) -> Auth:
    """A signed-in caller; unsafe requests by cookie must carry the CSRF token header."""
    if auth is None:
        raise ApiError(401, "not_authenticated", "sign in or send an API token")
    if auth.via == "cookie" and request.method in UNSAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not auth.csrf or not hmac.compare_digest(sent, auth.csrf):
            raise ApiError(403, "csrf_failed", "missing or wrong X-CSRF-Token header")
    return auth


AuthDep = Annotated[Auth, Depends(require_auth)]
OptionalAuthDep = Annotated[Auth | None, Depends(optional_auth)]


def prelogin_pair(secret: str) -> tuple[str, str]:
    """A (cookie, form token) pair for forms shown before sign-in (signed double submit)."""
    nonce = secrets.token_urlsafe(16)
    return nonce, prelogin_token(secret, nonce)


def prelogin_token(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()


def check_prelogin(request: Request, form_token: str) -> None:
    nonce = request.cookies.get(PRELOGIN_COOKIE, "")
    expected = prelogin_token(request.app.state.secret, nonce) if nonce else ""
    if not expected or not hmac.compare_digest(expected, form_token or ""):
        raise ApiError(403, "csrf_failed", "the form expired; reload the page and try again")


def check_form_csrf(auth: Auth, form_token: str) -> None:
    if (
        auth.via != "cookie"
        or not auth.csrf
        or not hmac.compare_digest(auth.csrf, form_token or "")
    ):
        raise ApiError(403, "csrf_failed", "the form expired; reload the page and try again")
