"""A local GGUF model run in-process with llama-cpp-python (the optional extra `amante[local]`).

The model loads on first use (or `warm()`), then replies stream token by token. One model
instance is not safe to use from two threads at once, so generations take turns on a lock.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from amante.backends.errors import (
    BackendConfigError,
    BackendError,
    ReplyTruncated,
    TransientBackendError,
)
from amante.config import Settings
from amante.engine.prompts import build_messages
from amante.engine.quality import sentences
from amante.engine.speak import SpeakRequest

INSTALL_HINT = 'pip install "amante[local]"'


def llama_cpp_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


_PATCH_LOCK = threading.Lock()


def amx_build(llama_cpp: Any) -> bool:
    """Was llama.cpp compiled with the AMX kernels (a native build on a recent Xeon)?"""
    try:
        return b"AMX_INT8 = 1" in llama_cpp.llama_print_system_info()
    except Exception:
        return False


def _load(llama_cpp: Any, kwargs: dict[str, Any]) -> Any:
    """Load a model; on AMX builds without the extra (AMX/repacked) weight buffers.

    Native builds on AMX CPUs crashed the whole process with a segfault on the first decode of
    the Q4_1 test model (llama-cpp-python 0.3.36), and upstream reports wrong AMX results for
    Q4_0/Q4_1. Plain CPU buffers are slower but safe. `Llama()` has no option for this, so the
    default model parameters are adjusted while this one model loads.
    """
    low = getattr(llama_cpp, "llama_cpp", None)
    original = getattr(low, "llama_model_default_params", None)
    if original is None or not amx_build(llama_cpp):
        return llama_cpp.Llama(**kwargs)

    def safe_params():
        params = original()
        if hasattr(params, "use_extra_bufts"):
            params.use_extra_bufts = False
        return params

    with _PATCH_LOCK:
        low.llama_model_default_params = safe_params
        try:
            return llama_cpp.Llama(**kwargs)
        finally:
            low.llama_model_default_params = original


class LlamaCppBackend:
    """Streams replies from a GGUF file loaded in this process."""

    name = "llamacpp"

    def __init__(
        self,
        model_path: str | Path | None,
        *,
        context_tokens: int = 4096,
        max_tokens: int = 400,
        temperature: float = 0.7,
        timeout: float = 30.0,
        n_threads: int | None = None,
        seed: int | None = None,
    ) -> None:
        if not llama_cpp_installed():
            raise BackendConfigError(
                f"the llamacpp backend needs llama-cpp-python: {INSTALL_HINT}"
            )
        if not model_path:
            raise BackendConfigError(
                "AMANTE_LLM_MODEL_PATH is not set: point it at a .gguf model file"
            )
        path = Path(model_path).expanduser()
        if not path.is_file():
            raise BackendConfigError(f"AMANTE_LLM_MODEL_PATH: no such file {str(path)!r}")
        self.model_path = path
        self.context_tokens = context_tokens
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.timeout = timeout
        self.n_threads = n_threads
        self.seed = seed
        self._llm: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> LlamaCppBackend:
        return cls(
            settings.llm_model_path,
            context_tokens=settings.llm_context_tokens,
            max_tokens=settings.llm_max_tokens,
            timeout=settings.llm_timeout,
        )

    def warm(self) -> Any:
        """Load the model now (a few seconds) instead of on the first reply."""
        if self._llm is not None:
            return self._llm
        with self._load_lock:
            if self._llm is None:
                llama_cpp = importlib.import_module("llama_cpp")
                kwargs: dict[str, Any] = {
                    "model_path": str(self.model_path),
                    "n_ctx": self.context_tokens,
                    "verbose": False,
                }
                if self.n_threads:
                    kwargs["n_threads"] = self.n_threads
                if self.seed is not None:
                    kwargs["seed"] = self.seed
                try:
                    self._llm = _load(llama_cpp, kwargs)
                except (ValueError, RuntimeError, OSError) as exc:
                    raise BackendConfigError(
                        f"cannot load {self.model_path.name}: {exc} (is it a GGUF model file?)"
                    ) from exc
        return self._llm

    def _count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def stream(self, request: SpeakRequest) -> Iterator[str]:
        """Grounded messages for this request, streamed as text pieces."""
        llm = self.warm()
        try:
            messages = build_messages(
                request,
                context_tokens=llm.n_ctx(),
                max_tokens=self.max_tokens,
                count_tokens=self._count_tokens,
            )
        except ValueError as exc:
            raise BackendError(str(exc)) from exc
        yield from self.stream_messages(messages)

    def stream_messages(
        self, messages: list[dict[str, str]], *, max_tokens: int | None = None
    ) -> Iterator[str]:
        """Stream text for chat messages; BackendError on failure, ReplyTruncated at the limit."""
        llm = self.warm()
        limit = max_tokens or self.max_tokens
        if not self._run_lock.acquire(timeout=self.timeout):
            raise TransientBackendError(
                f"the local model was busy for more than {self.timeout:g}s"
            )
        text: list[str] = []
        finish = None
        chunks: Any = None
        try:
            try:
                chunks = llm.create_chat_completion(
                    messages=messages, stream=True, max_tokens=limit, temperature=self.temperature
                )
                for chunk in chunks:
                    choice = chunk["choices"][0]
                    piece = choice.get("delta", {}).get("content")
                    finish = choice.get("finish_reason") or finish
                    if piece:
                        text.append(piece)
                        yield piece
            except (ValueError, RuntimeError, KeyError, IndexError, TypeError) as exc:
                raise BackendError(f"the local model failed: {exc}") from exc
        finally:
            if chunks is not None and hasattr(chunks, "close"):
                chunks.close()  # stop generating when the caller stops reading
            self._run_lock.release()
        full = "".join(text)
        if not full.strip():
            raise BackendError(f"{self.model_path.name} returned an empty reply")
        if finish == "length":
            done = sentences(full)
            complete = " ".join(done[:-1]) if done and full.rstrip()[-1:] not in ".!?" else full
            raise ReplyTruncated(
                f"the reply hit the {limit}-token limit (AMANTE_LLM_MAX_TOKENS)",
                text=full,
                complete=complete,
            )

    def check(self) -> str:
        """Load the model and generate a few tokens, for `amante backends`."""
        try:
            text = "".join(
                self.stream_messages(
                    [{"role": "user", "content": "Reply with one short friendly word."}],
                    max_tokens=8,
                )
            )
        except ReplyTruncated as exc:
            text = exc.text
        return f"{self.model_path.name} answered {' '.join(text.split())[:40]!r}"
