"""Personal API tokens: create, list, revoke."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from amante.store import accounts
from amante.store.models import ApiToken
from amante.web.api.auth import account_error
from amante.web.api.schemas import ErrorOut, NewTokenOut, TokenIn, TokenOut
from amante.web.deps import AuthDep
from amante.web.errors import ApiError

router = APIRouter(prefix="/tokens", tags=["tokens"])
ERRORS = {
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    404: {"model": ErrorOut},
    422: {"model": ErrorOut},
}


def token_json(row: ApiToken) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "prefix": row.prefix,
        "created_at": row.created_at.isoformat(),
        "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
        "revoked": row.revoked,
    }


@router.get("", response_model=list[TokenOut], responses=ERRORS)
def list_tokens(auth: AuthDep, request: Request) -> list[dict]:
    """Your API tokens (never their secrets)."""
    with request.app.state.db.session() as s:
        return [token_json(t) for t in accounts.list_tokens(s, auth.user.id)]


@router.post("", status_code=201, response_model=NewTokenOut, responses=ERRORS)
def create_token(body: TokenIn, auth: AuthDep, request: Request) -> dict:
    """Create a token; its secret is shown only in this response."""
    try:
        with request.app.state.db.session() as s:
            new = accounts.create_token(s, auth.user.id, body.name)
            return {**token_json(new.row), "token": new.secret}
    except accounts.AccountError as exc:
        raise account_error(exc) from None


@router.delete("/{token_id}", status_code=204, responses=ERRORS)
def revoke_token(token_id: str, auth: AuthDep, request: Request) -> Response:
    """Revoke a token; requests with it fail from now on."""
    with request.app.state.db.session() as s:
        if not accounts.revoke_token(s, auth.user.id, token_id):
            raise ApiError(404, "not_found", f"no token {token_id}")
    return Response(status_code=204)
