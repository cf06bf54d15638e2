"""An OpenAI-compatible `/v1/chat/completions` endpoint, so existing chat clients can use the
coach (with all its safety and memory), authenticated by a personal API token.

The coach answers the last user message. Memory lives in amante, so a conversation is found
by the `X-Amante-Conversation` header or, failing that, by the first user message of the
request (clients resend the whole history each time).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from amante.engine.coach import Replace
from amante.engine.errors import InputError, clean_message
from amante.engine.types import Turn
from amante.store import repository as repo
from amante.store.repository import NotFound
from amante.web.api.schemas import ErrorOut
from amante.web.deps import AuthDep, service_for
from amante.web.errors import ApiError

router = APIRouter(prefix="/v1", tags=["openai-compatible"], responses={413: {"model": ErrorOut}})
MODEL = "amante-coach"
_NAMESPACE = uuid.UUID("6f1c3d2a-5b7e-4c1a-9d8e-2a4b6c8d0e1f")


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    """The fields amante uses; other OpenAI parameters are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str = MODEL
    messages: list[ChatMessage] = Field(min_length=1, max_length=500)
    stream: bool = False


def _conversation_id(user_id: str, request: ChatRequest, header: str | None) -> str:
    if header:
        return header
    first = next((m.text() for m in request.messages if m.role == "user"), "")
    return str(uuid.uuid5(_NAMESPACE, f"{user_id}\n{first}"))


def _completion(turn: Turn, completion_id: str, created: int) -> dict[str, Any]:
    words = len(turn.reply.split())
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": turn.reply},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": words, "total_tokens": words},
        "amante": {
            "conversation": turn.conversation_id,
            "safety": turn.safety.to_dict(),
            "techniques": [t.to_dict() for t in turn.techniques],
        },
    }


def _chunk(completion_id: str, created: int, delta: dict[str, str], finish: str | None) -> str:
    body = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n"


def _stream(items: Iterator[str | Replace | Turn], completion_id: str, created: int):
    yield _chunk(completion_id, created, {"role": "assistant", "content": ""}, None)
    for item in items:
        if isinstance(item, Turn):
            break
        # The protocol cannot take text back: a replacement follows as a new paragraph.
        text = f"\n\n{item.text}" if isinstance(item, Replace) else item
        yield _chunk(completion_id, created, {"content": text}, None)
    yield _chunk(completion_id, created, {}, "stop")
    yield "data: [DONE]\n\n"


@router.get("/models")
def list_models(auth: AuthDep) -> dict[str, Any]:
    """The one model amante serves: the coach."""
    return {
        "object": "list",
        "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "amante"}],
    }


@router.post(
    "/chat/completions",
    responses={200: {"content": {"application/json": {}, "text/event-stream": {}}}},
)
def chat_completions(
    body: ChatRequest,
    auth: AuthDep,
    request: Request,
    x_amante_conversation: str | None = Header(default=None, max_length=36),
):
    """Answer the last user message as the coach, whole or streamed like OpenAI's API."""
    last = next((m for m in reversed(body.messages) if m.role == "user"), None)
    if last is None:
        raise ApiError(
            422,
            "validation_error",
            "messages must contain a user message",
            fields=[{"field": "messages", "message": "no user message"}],
        )
    try:
        text = clean_message(last.text())
    except InputError as exc:
        raise ApiError(
            422, "validation_error", str(exc), fields=[{"field": "messages", "message": str(exc)}]
        ) from None
    service = service_for(request, auth.user.id)
    conversation_id = _conversation_id(auth.user.id, body, x_amante_conversation)
    try:
        conversation = service.load(conversation_id)
    except NotFound:
        if x_amante_conversation:
            raise ApiError(404, "not_found", f"no conversation {conversation_id}") from None
        with request.app.state.db.session() as s:
            repo.create_conversation(s, auth.user.id, conversation_id)
        conversation = service.load(conversation_id)
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())
    items = service.stream(conversation, text)
    if body.stream:
        return StreamingResponse(
            _stream(items, completion_id, created), media_type="text/event-stream"
        )
    turn = next(i for i in items if isinstance(i, Turn))
    return _completion(turn, completion_id, created)
