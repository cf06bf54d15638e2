"""Server-rendered partner pages: link, daily question with reveal, appreciations, shared
rituals, history, unlink. Every flow is a plain form (no JavaScript), with the csrf_token.

The page shows only couple data, read through `amante.couples`. For a user whose own safety
screen flagged partner abuse or coercive control, the page stops nudging them to share and
opens the "Ending the link quietly" section; its wording is neutral, so someone looking over
their shoulder learns nothing. The partner's page never depends on the other's flag.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from amante.couples import appreciations, daily, links, privacy, shared_rituals
from amante.tools import rituals as ritual_tool
from amante.tools.errors import ToolError
from amante.tools.rituals import parse_date
from amante.web.deps import Auth, check_form_csrf
from amante.web.pages import PageAuth, render, to_signin

router = APIRouter(include_in_schema=False)


@cache
def timezones() -> list[str]:
    return [
        "UTC",
        *sorted(
            z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))
        ),
    ]


async def _form(request: Request, auth: Auth) -> Any:
    form = await request.form()
    check_form_csrf(auth, str(form.get("csrf_token", "")))
    return form


def _back(anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/partner{anchor}", status_code=303)


def _page(request: Request, auth: Auth, status: int = 200, **ctx: Any):
    """The partner page for the caller, built only from the caller's couple views."""
    user_id = auth.user.id
    with request.app.state.db.session() as s:
        state = links.status(s, user_id)
        flagged = privacy.safety_flagged(s, user_id)
        data: dict[str, Any] = {"link": state, "flagged": flagged}
        if state.linked:
            data["today"] = daily.today(s, user_id)
            data["received"] = appreciations.list_received(s, user_id, limit=10)
            data["sent"] = appreciations.list_sent(s, user_id, limit=5)
            data["shared"] = shared_rituals.list_plans(s, user_id)
    data.update(ctx)
    return render(
        request,
        "partner.html",
        auth,
        status=status,
        timezones=timezones(),
        quiet_unlink=privacy.QUIET_UNLINK,
        rituals=ritual_tool.list_rituals(),
        gratitude=appreciations.GRATITUDE_RITUALS,
        **data,
    )


def _act(
    request: Request,
    auth: Auth,
    change: Callable[[Session, str], object],
    anchor: str = "",
    **on_error: Any,
) -> Response:
    """Make one change as the caller, then go back to the page (at `anchor`).

    A ToolError shows the page again with its status and message; `on_error` refills the form.
    """
    try:
        with request.app.state.db.session() as s:
            change(s, auth.user.id)
    except ToolError as exc:
        return _page(request, auth, status=exc.http_status, error=str(exc), **on_error)
    return _back(anchor)


@router.get("/partner", response_class=HTMLResponse)
def partner_page(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    return _page(request, auth)


@router.get("/partner/join", response_class=HTMLResponse, name="partner_join_page")
def partner_join_page(request: Request, auth: PageAuth, code: str = ""):
    """The invite link's landing page: the accept form with the code filled in."""
    if auth is None:
        return to_signin()
    return _page(request, auth, join_code=code[:40])


@router.post("/partner/invite")
async def partner_invite(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await _form(request, auth)
    try:
        with request.app.state.db.session() as s:
            made = links.create_invite(s, auth.user.id, str(form.get("timezone", "UTC")))
    except ToolError as exc:
        return _page(request, auth, status=exc.http_status, error=str(exc))
    join = str(request.url_for("partner_join_page").include_query_params(code=made.code))
    return _page(request, auth, new_invite=made, join_url=join)


@router.post("/partner/invite/cancel")
async def partner_invite_cancel(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    await _form(request, auth)
    with request.app.state.db.session() as s:
        links.cancel_invite(s, auth.user.id)
    return _back()


@router.post("/partner/accept")
async def partner_accept(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await _form(request, auth)
    code = str(form.get("code", ""))[:40]
    timezone = str(form.get("timezone", "UTC"))
    return _act(
        request, auth, lambda s, me: links.accept_invite(s, me, code, timezone), join_code=code
    )


@router.post("/partner/unlink")
async def partner_unlink(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    await _form(request, auth)
    return _act(request, auth, links.unlink)


@router.post("/partner/timezone")
async def partner_timezone(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await _form(request, auth)
    timezone = str(form.get("timezone", ""))
    return _act(request, auth, lambda s, me: links.set_timezone(s, me, timezone))


@router.post("/partner/daily/answer")
async def partner_answer(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await _form(request, auth)
    text = str(form.get("text", ""))[: daily.ANSWER_MAX + 1]
    on = str(form.get("date") or "")

    def answer(s: Session, me: str) -> None:
        daily.answer(s, me, text, parse_date(on) if on else None)

    return _act(request, auth, answer, "#daily", draft=text)


@router.post("/partner/daily/react")
async def partner_react(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await _form(request, auth)
    reply = str(form.get("reply", "")).strip()[: daily.REPLY_MAX + 1] or None
    on, heart = str(form.get("date", "")), form.get("heart") == "1"

    def react(s: Session, me: str) -> None:
        daily.react(s, me, parse_date(on), heart=heart, reply=reply)

    return _act(request, auth, react, "#daily")


@router.get("/partner/history", response_class=HTMLResponse)
def partner_history(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    try:
        with request.app.state.db.session() as s:
            days = daily.history(s, auth.user.id, limit=60)
    except ToolError:
        return _back()
    return render(request, "partner_history.html", auth, days=days)


@router.post("/partner/appreciations")
async def partner_send(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await _form(request, auth)
    text = str(form.get("text", ""))[: appreciations.TEXT_MAX + 1]
    kind = str(form.get("kind", "appreciation"))
    return _act(
        request, auth, lambda s, me: appreciations.send(s, me, text, kind), "#appreciations"
    )


@router.post("/partner/appreciations/{appreciation_id}/response")
async def partner_respond(appreciation_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await _form(request, auth)
    text = str(form.get("text", ""))[: appreciations.RESPONSE_MAX + 1]

    def respond(s: Session, me: str) -> None:
        appreciations.respond(s, me, appreciation_id, text)

    return _act(request, auth, respond, "#appreciations")


@router.post("/partner/rituals")
async def partner_plan(request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    form = await _form(request, auth)
    ritual_id = str(form.get("ritual_id", ""))
    return _act(
        request, auth, lambda s, me: shared_rituals.plan_ritual(s, me, ritual_id), "#rituals"
    )


@router.post("/partner/rituals/{plan_id}/checkin")
async def partner_checkin(plan_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    await _form(request, auth)
    return _act(request, auth, lambda s, me: shared_rituals.check_off(s, me, plan_id), "#rituals")


@router.post("/partner/rituals/{plan_id}/stop")
async def partner_stop(plan_id: str, request: Request, auth: PageAuth):
    if auth is None:
        return to_signin()
    await _form(request, auth)
    return _act(request, auth, lambda s, me: shared_rituals.stop_plan(s, me, plan_id), "#rituals")
