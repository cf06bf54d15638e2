"""Sign-up, sign-in and sign-out."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response

from amante.store import accounts
from amante.web.api.schemas import Credentials, ErrorOut, SignedIn, UserOut
from amante.web.deps import SESSION_COOKIE, AuthDep, client_address
from amante.web.errors import ApiError

router = APIRouter(prefix="/auth", tags=["auth"])
ERRORS = {
    400: {"model": ErrorOut},
    401: {"model": ErrorOut},
    409: {"model": ErrorOut},
    422: {"model": ErrorOut},
    429: {"model": ErrorOut},
}
_STATUS = {"username_taken": 409, "too_many_attempts": 429, "invalid_credentials": 401}


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )


def start_session(request: Request, response: Response, user_id: str) -> str:
    """Create a session for the user, set its cookie, return its CSRF token."""
    days = request.app.state.settings.session_days
    with request.app.state.db.session() as s:
        new = accounts.create_session(s, user_id, timedelta(days=days))
    set_session_cookie(request, response, new.token)
    return new.csrf


def account_error(exc: accounts.AccountError) -> ApiError:
    extra = {"fields": [{"field": exc.field, "message": str(exc)}]} if exc.field else {}
    return ApiError(_STATUS.get(exc.code, 400), exc.code, str(exc), **extra)


@router.post("/signup", status_code=201, response_model=SignedIn, responses=ERRORS)
def signup(body: Credentials, request: Request, response: Response) -> SignedIn:
    """Create an account and sign in."""
    try:
        user = accounts.sign_up(request.app.state.db, body.username, body.password)
    except accounts.AccountError as exc:
        raise account_error(exc) from None
    csrf = start_session(request, response, user.id)
    return SignedIn(user=UserOut(id=user.id, username=user.handle), csrf_token=csrf)


@router.post("/signin", response_model=SignedIn, responses=ERRORS)
def signin(body: Credentials, request: Request, response: Response) -> SignedIn:
    """Sign in with username and password (rate limited)."""
    try:
        user = accounts.authenticate(
            request.app.state.db, body.username, body.password, client_address(request)
        )
    except accounts.AccountError as exc:
        raise account_error(exc) from None
    csrf = start_session(request, response, user.id)
    return SignedIn(user=UserOut(id=user.id, username=user.handle), csrf_token=csrf)


@router.post("/signout", status_code=204, responses=ERRORS)
def signout(auth: AuthDep, request: Request, response: Response) -> Response:
    """End this session (or nothing, for an API token)."""
    if auth.session_token:
        with request.app.state.db.session() as s:
            accounts.end_session(s, auth.session_token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/signout-everywhere", status_code=204, responses=ERRORS)
def signout_everywhere(auth: AuthDep, request: Request) -> Response:
    """End every session of this account on every device."""
    with request.app.state.db.session() as s:
        accounts.end_all_sessions(s, auth.user.id)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
