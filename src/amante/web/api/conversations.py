"""Conversations and their messages, with streaming replies (server-sent events)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from amante.engine.coach import Replace
from amante.engine.errors import InputError, clean_message
from amante.engine.types import Turn
from amante.store.repository import NotFound
from amante.web.api.schemas import (
    ConversationDetail,
    ConversationOut,
    ErrorOut,
    MessageIn,
    MessageOut,
    ReplyOut,
)
from amante.web.deps import AuthDep, service_for
from amante.web.errors import ApiError

router = APIRouter(prefix="/conversations", tags=["conversations"])
ERRORS = {
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    404: {"model": ErrorOut},
    422: {"model": ErrorOut},
}


def _not_found(conversation_id: str) -> ApiError:
    return ApiError(404, "not_found", f"no conversation {conversation_id}")


def reply_json(turn: Turn) -> dict:
    return {
        "conversation": turn.conversation_id,
        "reply": turn.reply,
        "safety": turn.safety.to_dict(),
        "strategy": turn.strategy,
        "techniques": [t.to_dict() for t in turn.techniques],
    }


def sse_stream(items: Iterator[str | Replace | Turn]) -> Iterator[str]:
    """Server-sent events: `chunk` (append), `replace` (show this instead), `done` (the reply)."""
    for item in items:
        if isinstance(item, Turn):
            yield f"event: done\ndata: {json.dumps(reply_json(item))}\n\n"
        elif isinstance(item, Replace):
            yield f"event: replace\ndata: {json.dumps({'text': item.text})}\n\n"
        else:
            yield f"event: chunk\ndata: {json.dumps({'text': item})}\n\n"


@router.get("", response_model=list[ConversationOut], responses=ERRORS)
def list_conversations(auth: AuthDep, request: Request) -> list[dict]:
    """Your conversations, newest first."""
    return service_for(request, auth.user.id).conversations()


@router.post("", status_code=201, response_model=ConversationOut, responses=ERRORS)
def create_conversation(auth: AuthDep, request: Request) -> dict:
    """Start a new conversation."""
    service = service_for(request, auth.user.id)
    conversation_id = service.new_conversation()
    return next(c for c in service.conversations() if c["id"] == conversation_id)


@router.get("/{conversation_id}", response_model=ConversationDetail, responses=ERRORS)
def get_conversation(conversation_id: str, auth: AuthDep, request: Request) -> dict:
    """One conversation with its messages."""
    try:
        (item,) = service_for(request, auth.user.id).history(conversation_id)
    except NotFound:
        raise _not_found(conversation_id) from None
    item["title"] = item["title"] or "New conversation"
    return item


@router.delete("/{conversation_id}", status_code=204, responses=ERRORS)
def delete_conversation(conversation_id: str, auth: AuthDep, request: Request) -> Response:
    """Delete a conversation and all its messages."""
    try:
        service_for(request, auth.user.id).delete_conversation(conversation_id)
    except NotFound:
        raise _not_found(conversation_id) from None
    return Response(status_code=204)


@router.get("/{conversation_id}/messages", response_model=list[MessageOut], responses=ERRORS)
def list_messages(conversation_id: str, auth: AuthDep, request: Request) -> list[dict]:
    """The messages of one conversation, oldest first."""
    try:
        (item,) = service_for(request, auth.user.id).history(conversation_id)
    except NotFound:
        raise _not_found(conversation_id) from None
    return item["messages"]


@router.post(
    "/{conversation_id}/messages",
    status_code=201,
    response_model=ReplyOut,
    responses={**ERRORS, 201: {"content": {"text/event-stream": {}}}},
)
def send_message(
    conversation_id: str,
    body: MessageIn,
    auth: AuthDep,
    request: Request,
    stream: bool = Query(False, description="Stream the reply as server-sent events."),
):
    """Send a message to the coach; the reply comes whole or streamed (SSE).

    Streamed, the reply arrives as `chunk` events (and a `replace` event if a language model's
    text failed a check mid-stream); the final `done` event is sent only after the message and
    the reply are stored, so an acknowledged message is never lost. If the client goes away
    mid-stream, the reply is still finished and stored.
    """
    service = service_for(request, auth.user.id)
    try:
        text = clean_message(body.text)
        conversation = service.load(conversation_id)
    except NotFound:
        raise _not_found(conversation_id) from None
    except InputError as exc:
        raise ApiError(
            422, "validation_error", str(exc), fields=[{"field": "text", "message": str(exc)}]
        ) from None
    wants_stream = stream or "text/event-stream" in request.headers.get("accept", "")
    if wants_stream:
        return StreamingResponse(
            sse_stream(service.stream(conversation, text)),
            status_code=201,
            media_type="text/event-stream",
            headers={"x-accel-buffering": "no"},
        )
    turn = next(i for i in service.stream(conversation, text) if isinstance(i, Turn))
    return reply_json(turn)
