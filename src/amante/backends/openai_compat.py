"""Any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp server, LM Studio, hosted APIs).

Uses the official `openai` client with streaming chat completions. Every failure becomes a
`BackendError` with a message that says what to fix; transient ones (connection, timeout, 429,
5xx) are `TransientBackendError`s so the resilience wrapper may retry them before the first token.
The client's own retries are off: retrying is the wrapper's job, and a dead server must fail fast.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

import openai

from amante.backends.errors import (
    BackendConfigError,
    BackendError,
    ReplyTruncated,
    TransientBackendError,
)
from amante.config import Settings
from amante.engine.prompts import build_messages, estimate_tokens
from amante.engine.quality import sentences
from amante.engine.speak import SpeakRequest

DEFAULT_BASE_URL = "https://api.openai.com/v1"
CONNECT_TIMEOUT = 5.0


def _transport_errors(name: str) -> tuple[type[BaseException], ...]:
    """The HTTP library's exception class `name`. openai 1.x uses httpx, 3.x uses httpx2; most
    versions wrap these in APIConnectionError, but some let them escape from a stream."""
    found = []
    for module in ("httpx2", "httpx"):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


_TIMEOUTS = (openai.APITimeoutError, *_transport_errors("TimeoutException"))
_BROKEN = (openai.APIConnectionError, *_transport_errors("HTTPError"))


def _status_error(err: openai.APIStatusError, base_url: str, model: str) -> BackendError:
    code = err.status_code
    detail = _short(err.message)
    if code == 401:
        return BackendConfigError(f"{base_url} rejected the API key (check AMANTE_LLM_API_KEY)")
    if code == 403:
        return BackendConfigError(f"{base_url} refused access to model {model!r}: {detail}")
    if code == 404:
        return BackendConfigError(
            f"{base_url} answered 404 for model {model!r}: check AMANTE_LLM_MODEL, and that "
            f"AMANTE_LLM_BASE_URL ends with /v1 ({detail})"
        )
    if code in (400, 413, 422) and _is_context_error(detail):
        return BackendError(f"context overflow at {base_url}: {detail} (lower "
                            "AMANTE_LLM_CONTEXT_TOKENS or AMANTE_LLM_MAX_TOKENS)")
    if code == 429 or code >= 500 or code == 408:
        return TransientBackendError(f"{base_url} answered {code}: {detail}")
    return BackendError(f"{base_url} answered {code}: {detail}")


def _is_context_error(detail: str) -> bool:
    low = detail.lower()
    return "context" in low or "too long" in low or ("maximum" in low and "token" in low)


def _short(text: object, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _model_matches(wanted: str, served: str) -> bool:
    """Does a served model id answer to the configured name? (Ollama adds ':latest', the
    llama.cpp server reports the file path.)"""
    if wanted == served or served == f"{wanted}:latest" or wanted == f"{served}:latest":
        return True
    path = PurePath(served)
    return wanted in (path.name, path.stem)


class OpenAIBackend:
    """Streams a reply from an OpenAI-compatible chat completions endpoint."""

    name = "openai"

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        max_tokens: int = 400,
        context_tokens: int = 4096,
        temperature: float = 0.7,
        verify_model: bool = True,
    ) -> None:
        if not model:
            raise BackendConfigError(
                "AMANTE_LLM_MODEL is not set: name the model the server should use "
                "(e.g. llama3.2 for Ollama)"
            )
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise BackendConfigError(
                f"AMANTE_LLM_BASE_URL must start with http:// or https://, got {self.base_url!r}"
            )
        if base_url is None and not api_key:
            raise BackendConfigError(
                "AMANTE_LLM_API_KEY is required for api.openai.com; for a local server set "
                "AMANTE_LLM_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama)"
            )
        self.model = model
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.context_tokens = context_tokens
        self.temperature = temperature
        self.verify_model = verify_model
        self._model_checked = False
        self._lock = threading.Lock()
        self.client = openai.OpenAI(
            base_url=self.base_url,
            # Local servers ignore the key, but the client insists on one.
            api_key=api_key or "not-needed",
            timeout=openai.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
            max_retries=0,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIBackend:
        return cls(
            model=settings.llm_model or "",
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout,
            max_tokens=settings.llm_max_tokens,
            context_tokens=settings.llm_context_tokens,
        )

    # -- the Backend protocol -------------------------------------------------------------
    def stream(self, request: SpeakRequest) -> Iterator[str]:
        """Grounded messages for this request, streamed as text pieces."""
        try:
            messages = build_messages(
                request, context_tokens=self.context_tokens, max_tokens=self.max_tokens
            )
        except ValueError as exc:
            raise BackendError(str(exc)) from exc
        yield from self.stream_messages(messages)

    # -- lower level ----------------------------------------------------------------------
    def _call(self, fn, *args: Any, **kwargs: Any) -> Any:
        """Run a client call, turning client exceptions into BackendErrors."""
        try:
            return fn(*args, **kwargs)
        except openai.APITimeoutError as exc:
            raise TransientBackendError(
                f"{self.base_url} did not answer within {self.timeout:g}s (AMANTE_LLM_TIMEOUT)"
            ) from exc
        except openai.APIConnectionError as exc:
            raise TransientBackendError(
                f"cannot connect to {self.base_url}: {_short(exc.__cause__ or exc)} "
                "(is the server running? check AMANTE_LLM_BASE_URL)"
            ) from exc
        except openai.APIStatusError as exc:
            raise _status_error(exc, self.base_url, self.model) from exc
        except openai.OpenAIError as exc:
            raise BackendError(f"{self.base_url}: {_short(exc)}") from exc

    def ensure_model(self) -> None:
        """Once per backend: is the configured model among those the server lists?

        Servers that cannot list models are given the benefit of the doubt; the first completion
        then tells. Some servers (llama.cpp) answer for any model name, so without this check a
        typo would silently use whatever model is loaded.
        """
        if not self.verify_model or self._model_checked:
            return
        with self._lock:
            if self._model_checked:
                return
            try:
                served = [m.id for m in self._call(self.client.models.list)]
            except (BackendConfigError, TransientBackendError):
                raise
            except BackendError:
                served = []
            if served and not any(_model_matches(self.model, s) for s in served):
                listed = ", ".join(served[:8]) + (" ..." if len(served) > 8 else "")
                raise BackendConfigError(
                    f"model {self.model!r} is not served by {self.base_url} (it serves: "
                    f"{listed}); set AMANTE_LLM_MODEL to one of these"
                )
            self._model_checked = True

    def stream_messages(
        self, messages: list[dict[str, str]], *, max_tokens: int | None = None
    ) -> Iterator[str]:
        """Stream text for chat messages. Raises BackendError (or a subclass) on any failure,
        ReplyTruncated when the reply was cut at max_tokens, BackendError on empty output."""
        self.ensure_model()
        stream = self._call(
            self.client.chat.completions.create,
            model=self.model,
            messages=messages,
            stream=True,
            max_tokens=max_tokens or self.max_tokens,
            temperature=self.temperature,
        )
        text: list[str] = []
        finish: str | None = None
        content_type = getattr(getattr(stream, "response", None), "headers", {}).get(
            "content-type", ""
        )
        if content_type.startswith("text/html"):
            stream.close()
            raise BackendError(
                f"{self.base_url} answered with a web page, not an OpenAI-compatible API "
                "(check AMANTE_LLM_BASE_URL)"
            )
        try:
            for chunk in stream:
                try:
                    choices = chunk.choices
                    if not choices:  # usage-only or keep-alive chunks
                        continue
                    choice = choices[0]
                    piece = choice.delta.content if choice.delta is not None else None
                    finish = choice.finish_reason or finish
                except (AttributeError, TypeError, IndexError) as exc:
                    raise BackendError(
                        f"{self.base_url} sent a malformed stream chunk: {_short(chunk)}"
                    ) from exc
                if piece:
                    if not isinstance(piece, str):
                        raise BackendError(f"{self.base_url} sent non-text content: {piece!r}")
                    text.append(piece)
                    yield piece
        except BackendError:
            raise
        except _TIMEOUTS as exc:
            raise TransientBackendError(
                f"{self.base_url} stalled for more than {self.timeout:g}s mid-reply"
            ) from exc
        except _BROKEN as exc:
            raise TransientBackendError(
                f"the connection to {self.base_url} broke mid-reply: {_short(exc)}"
            ) from exc
        except openai.OpenAIError as exc:
            raise BackendError(
                f"{self.base_url} reported an error mid-stream: {_short(exc)}"
            ) from exc
        except ValueError as exc:  # undecodable JSON in the event stream
            raise BackendError(f"{self.base_url} sent a malformed stream: {_short(exc)}") from exc
        finally:
            stream.close()
        full = "".join(text)
        if not full.strip():
            size = sum(estimate_tokens(m.get("content", "")) for m in messages)
            raise BackendError(
                f"{self.base_url} returned an empty reply (model {self.model!r}) for a prompt "
                f"of about {size} tokens; if the server's context window is smaller, lower "
                f"AMANTE_LLM_CONTEXT_TOKENS (now {self.context_tokens})"
            )
        if finish == "length":
            done = sentences(full)
            complete = " ".join(done[:-1]) if done and full.rstrip()[-1:] not in ".!?" else full
            raise ReplyTruncated(
                f"the reply hit the {max_tokens or self.max_tokens}-token limit "
                "(AMANTE_LLM_MAX_TOKENS)",
                text=full,
                complete=complete,
            )

    def check(self) -> str:
        """A tiny real completion, for `amante backends`."""
        try:
            text = "".join(
                self.stream_messages(
                    [{"role": "user", "content": "Reply with one short friendly word."}],
                    max_tokens=8,
                )
            )
        except ReplyTruncated as exc:  # a cut-off answer still proves the server answers
            text = exc.text
        return f"{self.model} at {self.base_url} answered {_short(text, 40)!r}"
