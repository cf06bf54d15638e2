"""Backend registry: which backend writes the reply, chosen by AMANTE_BACKEND.

Built in: `builtin` (the composer, no model), `openai` (any OpenAI-compatible server) and
`llamacpp` (a local GGUF in-process, extra `amante[local]`). A package adds one by declaring an
entry point in the group `amante.backends` whose object is a factory `factory(settings) ->
Backend`; `register()` does the same from code. Built-in names cannot be taken by entry points.
"""

from __future__ import annotations

import importlib.metadata
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from amante.backends.errors import (
    BackendConfigError,
    BackendError,
    CircuitOpen,
    ReplyTruncated,
    TransientBackendError,
)
from amante.config import Settings
from amante.engine.speak import Backend, SpeakRequest
from amante.engine.types import Analysis, Conversation, Plan

__all__ = [
    "ENTRY_POINT_GROUP",
    "BackendConfigError",
    "BackendError",
    "BackendFactory",
    "CircuitOpen",
    "ReplyTruncated",
    "TransientBackendError",
    "UnknownBackend",
    "available",
    "check_backends",
    "create_backend",
    "get_backend",
    "register",
]

BackendFactory = Callable[[Settings], Backend]
ENTRY_POINT_GROUP = "amante.backends"
BUILTIN_NAMES = ("builtin", "openai", "llamacpp")
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


class UnknownBackend(BackendConfigError):
    """AMANTE_BACKEND names no known backend."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(
            f"unknown backend {name!r} (AMANTE_BACKEND); known backends: {', '.join(known)}"
        )
        self.name = name
        self.known = known


def _builtin(settings: Settings) -> Backend:
    from amante.backends.builtin import BuiltinBackend

    return BuiltinBackend()


def _openai(settings: Settings) -> Backend:
    from amante.backends.openai_compat import OpenAIBackend

    return OpenAIBackend.from_settings(settings)


def _llamacpp(settings: Settings) -> Backend:
    from amante.backends.llamacpp import LlamaCppBackend

    return LlamaCppBackend.from_settings(settings)


_lock = threading.Lock()
_factories: dict[str, BackendFactory] = {
    "builtin": _builtin,
    "openai": _openai,
    "llamacpp": _llamacpp,
}
_plugins: set[str] = set()
_plugins_loaded = False


def register(name: str, factory: BackendFactory) -> None:
    """Add (or replace) a backend factory under a lowercase name."""
    if not _NAME.match(name):
        raise ValueError(f"backend names are lowercase letters, digits, - or _: {name!r}")
    if not callable(factory):
        raise TypeError("a backend factory must be callable: factory(settings) -> Backend")
    with _lock:
        _factories[name] = factory
        _plugins.discard(name)


def _entry_point_factory(ep: importlib.metadata.EntryPoint) -> BackendFactory:
    """Load the plugin only when it is chosen, so a broken plugin cannot break the others."""

    def factory(settings: Settings) -> Backend:
        try:
            target = ep.load()
        except Exception as exc:
            raise BackendConfigError(
                f"cannot load backend {ep.name!r} from entry point {ep.value!r}: {exc!r}"
            ) from exc
        return target(settings)

    return factory


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    found = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    with _lock:
        for ep in found:
            name = ep.name.strip().lower()
            if name in BUILTIN_NAMES or name in _factories or not _NAME.match(name):
                continue
            _factories[name] = _entry_point_factory(ep)
            _plugins.add(name)
        _plugins_loaded = True


def reload_plugins() -> None:
    """Forget entry points read earlier and read them again (for tests and long processes)."""
    global _plugins_loaded
    with _lock:
        for name in _plugins:
            _factories.pop(name, None)
        _plugins.clear()
        _plugins_loaded = False
    _load_plugins()


def available() -> list[str]:
    """All backend names: the built-in ones first, then registered and plugin ones."""
    _load_plugins()
    with _lock:
        names = list(_factories)
    return [n for n in BUILTIN_NAMES if n in names] + sorted(set(names) - set(BUILTIN_NAMES))


def create_backend(name: str, settings: Settings) -> Backend:
    """Build the named backend (unwrapped). Raises UnknownBackend or BackendConfigError."""
    key = name.strip().lower()
    _load_plugins()
    with _lock:
        factory = _factories.get(key)
    if factory is None:
        raise UnknownBackend(name, available())
    try:
        backend = factory(settings)
    except BackendError:
        raise
    except Exception as exc:
        raise BackendConfigError(f"cannot create backend {key!r}: {exc!r}") from exc
    if not callable(getattr(backend, "stream", None)) or not isinstance(
        getattr(backend, "name", None), str
    ):
        raise BackendConfigError(f"backend {key!r} has no name or stream(request) method")
    return backend


def get_backend(settings: Settings, *, resilient: bool = True) -> Backend | None:
    """The configured backend (None for the built-in composer), wrapped with retries and a
    circuit breaker unless `resilient=False`. Raises UnknownBackend / BackendConfigError with a
    message for the user; the caller should then run on the composer."""
    if settings.backend.strip().lower() == "builtin":
        return None
    backend = create_backend(settings.backend, settings)
    if not resilient:
        return backend
    from amante.backends.resilience import ResilientBackend

    return ResilientBackend(backend)


def _probe_request() -> SpeakRequest:
    return SpeakRequest(
        conversation=Conversation(id="backend-check"),
        text="Hello!",
        analysis=Analysis(intent="smalltalk"),
        plan=Plan("explore", "question", ask_for="situation"),
        draft="Hello! What's on your mind today?",
    )


def _probe(backend: Backend) -> str:
    """A tiny real call: the backend's own check() if it has one, else a few streamed pieces."""
    check = getattr(backend, "check", None)
    if callable(check):
        return str(check())
    stream = iter(backend.stream(_probe_request()))
    pieces = []
    try:
        for piece in stream:
            pieces.append(piece)
            if len(pieces) >= 8:
                break
    except ReplyTruncated as exc:
        pieces = [exc.text]
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    return f"answered {' '.join(''.join(pieces).split())[:40]!r}"


def check_backends(settings: Settings) -> list[dict[str, Any]]:
    """One row per backend: name, configured, ok (None when not checked), detail, latency_ms.

    The configured backend (and the always-present composer) is really called with a tiny
    prompt, so a wrong URL, key or model shows up here with a message saying what to fix.
    """
    selected = settings.backend.strip().lower()
    names = available()
    rows: list[dict[str, Any]] = []
    if selected not in names:
        rows.append(
            {
                "name": selected,
                "configured": True,
                "ok": False,
                "detail": str(UnknownBackend(selected, names)),
                "latency_ms": None,
            }
        )
    for name in names:
        configured = name in (selected, "builtin")
        row: dict[str, Any] = {
            "name": name, "configured": configured, "ok": None, "detail": "", "latency_ms": None
        }
        if not configured:
            row["detail"] = f"not selected (AMANTE_BACKEND={name} to use it)"
            if name == "llamacpp":
                from amante.backends.llamacpp import INSTALL_HINT, llama_cpp_installed

                if not llama_cpp_installed():
                    row["detail"] += f"; not installed: {INSTALL_HINT}"
            rows.append(row)
            continue
        start = time.perf_counter()
        try:
            row["detail"] = _probe(create_backend(name, settings))
            row["ok"] = True
        except BackendError as exc:
            row["ok"], row["detail"] = False, str(exc)
        except Exception as exc:
            row["ok"], row["detail"] = False, f"{name} backend crashed: {exc!r}"
        row["latency_ms"] = round((time.perf_counter() - start) * 1000, 1)
        if name == "builtin":
            row["detail"] = "the built-in composer (always available as the fallback)"
        rows.append(row)
    return rows
