"""End to end with real models: a real `llama_cpp.server` process serving SmolLM2 (135M) and the
same GGUF in-process. No mocked HTTP: failures come from real closed ports, a real killed server,
and small real HTTP servers that misbehave on purpose.

SmolLM2 is fluent but a poor coach: these tests prove the wiring, the streaming, the errors and
the fallbacks, not the advice.
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from amante.backends import check_backends, get_backend
from amante.backends.errors import (
    BackendConfigError,
    BackendError,
    CircuitOpen,
    ReplyTruncated,
    TransientBackendError,
)
from amante.backends.llamacpp import LlamaCppBackend
from amante.backends.openai_compat import OpenAIBackend
from amante.backends.resilience import CircuitBreaker, ResilientBackend
from amante.config import Settings
from amante.engine.types import PastTurn

pytestmark = pytest.mark.slow


def collect(stream: Iterator[str]) -> tuple[list[str], bool]:
    """All pieces of a stream; True when the reply was cut at max_tokens (still a real reply)."""
    pieces: list[str] = []
    try:
        for piece in stream:
            pieces.append(piece)
    except ReplyTruncated as exc:
        assert exc.text == "".join(pieces)
        return pieces, True
    return pieces, False


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def openai_backend(server, **kw) -> OpenAIBackend:
    options = {"max_tokens": 24, "context_tokens": 2048, "timeout": 60.0}
    options.update(kw)
    return OpenAIBackend(model=server.model, base_url=server.url, **options)


@pytest.fixture
def light_request(make_request):
    """A request without a card: about half the prompt, since CPU time is scarce in CI."""

    def make(**kw):
        kw.setdefault("cards", [])
        kw.setdefault("draft", "It sounds like the dishes have become a sore point. What "
                               "happened the last time it came up?")
        return make_request(**kw)

    return make


# -- real generation (ordered so the server's prompt cache is reused) -----------------------


def test_openai_backend_streams_real_tokens(llama_server, make_request):
    backend = openai_backend(llama_server)
    pieces, _ = collect(backend.stream(make_request()))
    assert len(pieces) >= 3, pieces  # streamed token by token, not in one block
    assert "".join(pieces).strip()


def test_model_name_may_be_the_file_name(llama_server, gguf_path, make_request):
    backend = OpenAIBackend(model=gguf_path.stem, base_url=llama_server.url, max_tokens=8,
                            context_tokens=2048, timeout=60)
    pieces, _ = collect(backend.stream(make_request()))
    assert pieces


def test_settings_registry_and_check_against_the_real_server(llama_server, gguf_path,
                                                             make_request):
    settings = Settings(backend="openai", llm_base_url=llama_server.url,
                        llm_model=gguf_path.name, llm_max_tokens=24, llm_context_tokens=2048)
    backend = get_backend(settings)
    assert isinstance(backend, ResilientBackend)
    pieces, _ = collect(backend.stream(make_request()))
    assert len(pieces) >= 3
    rows = {r["name"]: r for r in check_backends(settings)}
    assert rows["openai"]["ok"] is True, rows["openai"]
    assert rows["openai"]["latency_ms"] > 0
    assert "answered" in rows["openai"]["detail"]


def test_reply_cut_at_max_tokens_is_reported(llama_server, light_request):
    backend = openai_backend(llama_server, max_tokens=16)
    request = light_request(text="Tell me a long story about two partners who learn to talk.")
    with pytest.raises(ReplyTruncated) as info:
        list(backend.stream(request))
    assert info.value.text.strip()
    assert len(info.value.complete) <= len(info.value.text)


@pytest.fixture(scope="module")
def local_backend(gguf_path) -> LlamaCppBackend:
    return LlamaCppBackend(gguf_path, context_tokens=768, max_tokens=16, seed=7)


def test_llamacpp_backend_in_process(local_backend, light_request):
    pieces, _ = collect(local_backend.stream(light_request()))
    assert len(pieces) >= 3, pieces
    assert "".join(pieces).strip()


def test_llamacpp_long_history_is_trimmed_with_the_real_tokenizer(local_backend, light_request):
    history = []
    for i in range(60):
        history += [PastTurn("user", f"Message {i}: we argued about the dishes again. " * 4),
                    PastTurn("coach", f"Reply {i}: that sounds tiring, tell me more. " * 4)]
    pieces, _ = collect(local_backend.stream(light_request(history=history)))
    assert pieces  # no context overflow: history was trimmed to fit 768 tokens
    assert "answered" in local_backend.check()


# -- bad configuration and broken servers ----------------------------------------------------


def test_wrong_base_url_fails_fast(make_request):
    backend = OpenAIBackend(model="m", base_url=f"http://127.0.0.1:{closed_port()}/v1",
                            timeout=30)
    start = time.monotonic()
    with pytest.raises(TransientBackendError, match="cannot connect"):
        list(backend.stream(make_request()))
    assert time.monotonic() - start < 3


def test_base_url_without_v1_is_explained(llama_server, make_request):
    root = llama_server.url.removesuffix("/v1")
    backend = OpenAIBackend(model=llama_server.model, base_url=root, timeout=30,
                            verify_model=False)
    with pytest.raises(BackendConfigError, match="/v1"):
        list(backend.stream(make_request()))


def test_wrong_model_name_fails_fast_with_the_served_list(llama_server, make_request):
    backend = OpenAIBackend(model="no-such-model", base_url=llama_server.url, timeout=30)
    start = time.monotonic()
    with pytest.raises(BackendConfigError, match="no-such-model") as info:
        list(backend.stream(make_request()))
    assert llama_server.model in str(info.value)
    assert time.monotonic() - start < 3


def test_context_overflow_is_a_clear_error(llama_server, light_request):
    # amante believes the context is large, the server only has 2048 tokens.
    backend = openai_backend(llama_server, context_tokens=16384, max_tokens=16)
    history = []
    for i in range(80):
        history += [PastTurn("user", f"Message {i}: we argued about the dishes again. " * 5),
                    PastTurn("coach", f"Reply {i}: that sounds tiring, tell me more. " * 5)]
    with pytest.raises(BackendError, match="context"):
        list(backend.stream(light_request(history=history)))


def test_server_killed_mid_stream(own_llama_server, light_request):
    backend = ResilientBackend(openai_backend(own_llama_server, max_tokens=1500),
                               retries=2, backoff=0.01)
    request = light_request(text="Please write a very long, detailed story about a couple.")
    shown: list[str] = []
    stream = backend.stream(request)
    with pytest.raises(BackendError) as info:
        for piece in stream:
            shown.append(piece)
            if len(shown) == 3:
                own_llama_server.process.send_signal(signal.SIGKILL)
                killed_at = time.monotonic()
    assert len(shown) >= 3, "tokens streamed before the kill"
    assert not isinstance(info.value, ReplyTruncated)
    assert time.monotonic() - killed_at < 5
    # the next request finds the port closed: fails fast, without repeating any text
    start = time.monotonic()
    with pytest.raises(TransientBackendError, match="cannot connect"):
        list(backend.stream(request))
    assert time.monotonic() - start < 3


def test_retries_then_circuit_breaker_on_a_closed_port(make_request):
    inner = OpenAIBackend(model="m", base_url=f"http://127.0.0.1:{closed_port()}/v1",
                          timeout=30)
    attempts = []
    original = inner.stream

    def counted(request):
        attempts.append(time.monotonic())
        yield from original(request)

    inner.stream = counted  # type: ignore[method-assign]
    backend = ResilientBackend(inner, retries=2, backoff=0.05,
                               breaker=CircuitBreaker(failure_threshold=2, reset_after=60))
    for _ in range(2):
        with pytest.raises(TransientBackendError):
            list(backend.stream(make_request()))
    assert len(attempts) == 6  # 1 try + 2 retries, twice
    assert attempts[1] - attempts[0] >= 0.02  # backed off between tries
    start = time.perf_counter()
    with pytest.raises(CircuitOpen, match="circuit open"):
        list(backend.stream(make_request()))
    assert time.perf_counter() - start < 0.05
    assert len(attempts) == 6  # the dead backend was not called again


# -- servers that answer badly (real HTTP servers, misbehaving on purpose) -------------------


class _BadServer(BaseHTTPRequestHandler):
    mode = "garbage"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        body = json.dumps({"object": "list", "data": [{"id": "m", "object": "model"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        mode = self.server.mode  # type: ignore[attr-defined]
        if mode == "html":
            body = b"<html><body>Welcome to nginx</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if mode == "error500":
            body = b'{"error": {"message": "model crashed"}}'
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()

        def event(payload: str) -> None:
            self.wfile.write(f"data: {payload}\n\n".encode())
            self.wfile.flush()

        chunk = {"id": "1", "object": "chat.completion.chunk", "created": 0, "model": "m",
                 "choices": [{"index": 0, "delta": {"content": "Hello"}, "finish_reason": None}]}
        if mode == "garbage":
            event(json.dumps(chunk))
            event("{this is not json")
        elif mode == "empty":
            event("[DONE]")
        elif mode == "badshape":
            event(json.dumps({"id": "1", "choices": [{"index": 0, "delta": 5}]}))
        elif mode == "stall":
            event(json.dumps(chunk))
            time.sleep(3)
        event("[DONE]")


@pytest.fixture
def bad_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BadServer)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("mode", "error", "message"),
    [
        ("garbage", BackendError, "malformed"),
        ("html", BackendError, "web page"),
        ("empty", BackendError, "empty reply"),
        ("badshape", BackendError, "malformed"),
        ("error500", TransientBackendError, "500"),
        ("stall", TransientBackendError, "stalled"),
    ],
)
def test_bad_answers_become_backend_errors(bad_server, make_request, mode, error, message):
    bad_server.mode = mode
    url = f"http://127.0.0.1:{bad_server.server_address[1]}/v1"
    backend = OpenAIBackend(model="m", base_url=url, timeout=1.0)
    start = time.monotonic()
    with pytest.raises(error, match=message):
        list(backend.stream(make_request()))
    assert time.monotonic() - start < 2.5
