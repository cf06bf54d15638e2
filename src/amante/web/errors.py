"""JSON errors with a stable code and a human message; no stack traces leave the server."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("amante.web")


class ApiError(Exception):
    """An error the client can act on."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(
        ("/api/", "/v1/")
    ) or "application/json" in request.headers.get("accept", "")


def error_response(request: Request, status: int, code: str, message: str, **extra: Any):
    if _wants_json(request):
        return JSONResponse({"code": code, "message": message, **extra}, status_code=status)
    templates = request.app.state.templates
    return (
        templates.TemplateResponse(
            request,
            "error.html",
            {
                "status": status,
                "message": message,
                "quick_exit_url": request.app.state.settings.quick_exit_url,
            },
            status_code=status,
        )
        if templates
        else HTMLResponse(message, status_code=status)
    )


_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
}


def install(app: FastAPI) -> None:
    """Register handlers that turn every failure into a clear JSON (or HTML) answer."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.code, exc.message, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        fields = []
        for err in exc.errors():
            if err.get("type") == "json_invalid":
                position = next((p for p in err.get("loc", ()) if isinstance(p, int)), None)
                where = f" (at character {position})" if position is not None else ""
                fields.append({"field": "body", "message": f"body is not valid JSON{where}"})
                continue
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
            fields.append({"field": ".".join(loc) or "body", "message": err.get("msg", "invalid")})
        message = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or "invalid request"
        return error_response(request, 422, "validation_error", message, fields=fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            # FastAPI's answer to a body it cannot decode (e.g. JSON that is not UTF-8).
            message = "body is not valid UTF-8 JSON"
            return error_response(
                request,
                422,
                "validation_error",
                message,
                fields=[{"field": "body", "message": message}],
            )
        code = _HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(request, exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        from amante.store.crypto import CryptoError
        from amante.store.database import StoreError

        if isinstance(exc, StoreError | CryptoError):
            log.error("storage unavailable: %s", exc)
            return error_response(
                request,
                503,
                "database_unavailable",
                "the database is unavailable; try again shortly",
            )
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal_error", "something went wrong on our side")
