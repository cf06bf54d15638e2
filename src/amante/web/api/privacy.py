"""Export everything, or delete the account and everything in it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from amante.store import accounts
from amante.web.api.schemas import ErrorOut
from amante.web.deps import SESSION_COOKIE, AuthDep, service_for

router = APIRouter(tags=["privacy"])
ERRORS = {401: {"model": ErrorOut}, 403: {"model": ErrorOut}}


@router.get("/export", responses={**ERRORS, 200: {"content": {"application/json": {}}}})
def export(auth: AuthDep, request: Request) -> JSONResponse:
    """Everything stored about you, as one JSON document (a download)."""
    data = service_for(request, auth.user.id).export()
    return JSONResponse(
        data, headers={"content-disposition": 'attachment; filename="amante-export.json"'}
    )


@router.delete("/account", status_code=204, responses=ERRORS)
def delete_account(auth: AuthDep, request: Request) -> Response:
    """Delete your account and everything in it, at once and for good."""
    with request.app.state.db.session() as s:
        accounts.delete_user(s, auth.user.id)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
