"""Server-rendered pages: everything works without JavaScript except live streaming."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from amante.engine.errors import InputError
from amante.profiles import ProfileError
from amante.store import accounts
from amante.store.repository import NotFound
from amante.web.api.auth import account_error, start_session
from amante.web.deps import (
    PRELOGIN_COOKIE,
    SESSION_COOKIE,
    Auth,
    check_form_csrf,
    check_prelogin,
    client_address,
    optional_auth,
    prelogin_pair,
    service_for,
)
from amante.web.errors import ApiError

router = APIRouter(include_in_schema=False)
PageAuth = Annotated[Auth | None, Depends(optional_auth)]


def render(request: Request, name: str, auth: Auth | None, status: int = 200, **ctx: Any):
    settings = request.app.state.settings
    ctx.update(
        user=auth.user if auth else None,
        csrf=auth.csrf if auth else None,
        quick_exit_url=settings.quick_exit_url,
    )
    return request.app.state.templates.TemplateResponse(request, name, ctx, status_code=status)


def to_signin() -> RedirectResponse:
    return RedirectResponse("/signin", status_code=303)


def prelogin_form(request: Request, name: str, status: int = 200, **ctx: Any) -> Response:
    nonce, token = prelogin_pair(request.app.state.secret)
    response = render(request, name, None, status=status, form_token=token, **ctx)
    response.set_cookie(
        PRELOGIN_COOKIE,
        nonce,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.cookie_secure,
        max_age=3600,
    )
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, auth: PageAuth):
    if auth:
        return RedirectResponse("/chat", status_code=303)
    return render(request, "home.html", None)


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    with request.app.state.db.engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    return JSONResponse({"status": "ok"})


# ------------------------------------------------------------------ accounts
@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request):
    return prelogin_form(request, "signup.html")


@router.post("/signup")
def signup_submit(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    check_prelogin(request, csrf_token)
    try:
        user = accounts.sign_up(request.app.state.db, username.strip(), password)
    except accounts.AccountError as exc:
        return prelogin_form(
            request,
            "signup.html",
            status=account_error(exc).status,
            error=str(exc),
            username=username,
        )
    response = RedirectResponse("/chat", status_code=303)
    start_session(request, response, user.id)
    response.delete_cookie(PRELOGIN_COOKIE)
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request):
    return prelogin_form(request, "signin.html")


@router.post("/signin")
def signin_submit(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    check_prelogin(request, csrf_token)
    client = client_address(request)
    try:
        user = accounts.authenticate(request.app.state.db, username.strip(), password, client)
    except accounts.AccountError as exc:
        return prelogin_form(
            request,
            "signin.html",
            status=account_error(exc).status,
            error=str(exc),
            username=username,
        )
    response = RedirectResponse("/chat", status_code=303)
    start_session(request, response, user.id)
    response.delete_cookie(PRELOGIN_COOKIE)
    return response


@router.post("/signout")
def signout_submit(request: Request, auth: PageAuth, csrf_token: Annotated[str, Form()] = ""):
    if auth is None:
        return to_signin()
    check_form_csrf(auth, csrf_token)
    with request.app.state.db.session() as s:
        accounts.end_session(s, auth.session_token or "")
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/signout-everywhere")
def signout_everywhere_submit(
    request: Request, auth: PageAuth, csrf_token: Annotated[str, Form()] = ""
):
    if auth is None:
        return to_signin()
    check_form_csrf(auth, csrf_token)
    with request.app.state.db.session() as s:
        accounts.end_all_sessions(s, auth.user.id)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# ------------------------------------------------------------------ chat
def _chat(request: Request, auth: Auth, conversation_id: str | None, **ctx: Any):
    service = service_for(request, auth.user.id)
    conversation = None
    if conversation_id:
        try:
            (conversation,) = service.history(conversation_id)
        except NotFound:
            raise ApiError(404, "not_found", "no such conversation") from None
    return render(
        request,
        "chat.html",
        auth,
        conversations=service.conversations(),
        conversation=conversation,
        **ctx,
    )


@router.get("/chat", response_class=HTMLResponse)
def chat_new(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return _chat(request, auth, None)


@router.get("/chat/{conversation_id}", response_class=HTMLResponse)
def chat_page(conversation_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return _chat(request, auth, conversation_id)


def _send(request: Request, auth: Auth, conversation_id: str | None, text: str, csrf: str):
    check_form_csrf(auth, csrf)
    service = service_for(request, auth.user.id)
    try:
        turn = service.reply(text, conversation_id)
    except InputError as exc:
        return _chat(request, auth, conversation_id, error=str(exc), draft=text)
    except NotFound:
        raise ApiError(404, "not_found", "no such conversation") from None
    return RedirectResponse(f"/chat/{turn.conversation_id}#latest", status_code=303)


@router.post("/chat")
def chat_new_submit(
    request: Request,
    auth: PageAuth,
    text: Annotated[str, Form(max_length=9000)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    if auth is None:
        return to_signin()
    return _send(request, auth, None, text, csrf_token)


@router.post("/chat/{conversation_id}")
def chat_submit(
    conversation_id: str,
    request: Request,
    auth: PageAuth,
    text: Annotated[str, Form(max_length=9000)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    if auth is None:
        return to_signin()
    return _send(request, auth, conversation_id, text, csrf_token)


@router.post("/chat/{conversation_id}/delete")
def chat_delete(
    conversation_id: str,
    request: Request,
    auth: PageAuth,
    csrf_token: Annotated[str, Form()] = "",
):
    if auth is None:
        return to_signin()
    check_form_csrf(auth, csrf_token)
    try:
        service_for(request, auth.user.id).delete_conversation(conversation_id)
    except NotFound:
        raise ApiError(404, "not_found", "no such conversation") from None
    return RedirectResponse("/history", status_code=303)


@router.get("/history", response_class=HTMLResponse)
def history_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return render(
        request,
        "history.html",
        auth,
        conversations=service_for(request, auth.user.id).conversations(),
    )


# ------------------------------------------------------------------ profile
PROFILE_FIELDS = [
    "name",
    "pronouns",
    "partner_name",
    "partner_pronouns",
    "relationship_stage",
    "relationship_length",
    "context",
    "region",
]


@router.get("/profile", response_class=HTMLResponse)
def profile_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    service = service_for(request, auth.user.id)
    return render(request, "profile.html", auth, profile=service.profile(), facts=service.facts())


@router.post("/profile")
async def profile_submit(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await request.form()
    check_form_csrf(auth, str(form.get("csrf_token", "")))
    changes: dict[str, Any] = {
        f: (str(form.get(f, "")).strip() or None) for f in PROFILE_FIELDS if f in form
    }
    if changes.get("region") is None:
        changes.pop("region", None)
    if "goals" in form:
        changes["goals"] = [g.strip() for g in str(form["goals"]).splitlines() if g.strip()]
    service = service_for(request, auth.user.id)
    try:
        service.set_profile(changes)
    except ProfileError as exc:
        return render(
            request,
            "profile.html",
            auth,
            status=422,
            profile=service.profile(),
            facts=service.facts(),
            error=str(exc),
        )
    return render(
        request, "profile.html", auth, profile=service.profile(), facts=service.facts(), saved=True
    )


# ------------------------------------------------------------------ privacy and settings
def _privacy_context(request: Request, auth: Auth) -> dict[str, Any]:
    data = service_for(request, auth.user.id).export()
    counts = {
        "conversations": len(data["conversations"]),
        "messages": sum(len(c["messages"]) for c in data["conversations"]),
        "learned facts": len(data["facts"]),
        "safety events": len(data["safety_events"]),
    }
    return {"counts": counts, "profile": data["profile"], "facts": data["facts"]}


@router.get("/privacy", response_class=HTMLResponse)
def privacy_page(request: Request, auth: PageAuth):
    if auth is None:
        return render(request, "privacy.html", None)
    return render(request, "privacy.html", auth, **_privacy_context(request, auth))


@router.get("/privacy/export")
def privacy_export(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    data = service_for(request, auth.user.id).export()
    return JSONResponse(
        data, headers={"content-disposition": 'attachment; filename="amante-export.json"'}
    )


@router.post("/privacy/delete")
def privacy_delete(
    request: Request,
    auth: PageAuth,
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    if auth is None:
        return to_signin()
    check_form_csrf(auth, csrf_token)
    if not accounts.verify_password(auth.user, password):
        return render(
            request,
            "privacy.html",
            auth,
            status=403,
            error="That password is not right; nothing was deleted.",
            **_privacy_context(request, auth),
        )
    with request.app.state.db.session() as s:
        accounts.delete_user(s, auth.user.id)
    response = render(request, "deleted.html", None)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    with request.app.state.db.session() as s:
        tokens = accounts.list_tokens(s, auth.user.id)
    return render(request, "settings.html", auth, tokens=tokens)


@router.post("/settings/tokens")
def settings_token_create(
    request: Request,
    auth: PageAuth,
    name: Annotated[str, Form(max_length=80)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    if auth is None:
        return to_signin()
    check_form_csrf(auth, csrf_token)
    try:
        with request.app.state.db.session() as s:
            new = accounts.create_token(s, auth.user.id, name)
            secret = new.secret
            tokens = accounts.list_tokens(s, auth.user.id)
    except accounts.AccountError as exc:
        with request.app.state.db.session() as s:
            tokens = accounts.list_tokens(s, auth.user.id)
        return render(request, "settings.html", auth, status=422, tokens=tokens, error=str(exc))
    return render(request, "settings.html", auth, tokens=tokens, new_secret=secret)


@router.post("/settings/tokens/{token_id}/revoke")
def settings_token_revoke(
    token_id: str, request: Request, auth: PageAuth, csrf_token: Annotated[str, Form()] = ""
):
    if auth is None:
        return to_signin()
    check_form_csrf(auth, csrf_token)
    with request.app.state.db.session() as s:
        if not accounts.revoke_token(s, auth.user.id, token_id):
            raise ApiError(404, "not_found", "no such token")
    return RedirectResponse("/settings", status_code=303)
