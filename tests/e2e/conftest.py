"""Browser-test fixtures: a real `amante serve`, a neutral quick-exit page, headless chromium.

The browser is Debian's chromium (installed by .ci/run); Playwright never downloads one here.
A failing test leaves a full-page screenshot in test-artifacts/e2e/ at the repository root.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

CHROMIUM = os.environ.get("AMANTE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
NEUTRAL_TEXT = "Weather today: mild and sunny"
TIMEOUT_MS = 10_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NeutralPage(BaseHTTPRequestHandler):
    """The page quick exit leads to: nothing about amante on it."""

    def do_GET(self) -> None:
        body = (
            f"<!doctype html><title>Weather</title><h1 id='neutral'>{NEUTRAL_TEXT}</h1>"
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def neutral_url() -> Iterator[str]:
    """A tiny loopback site standing in for the weather page quick exit opens."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _NeutralPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/weather"
    server.shutdown()
    server.server_close()


@dataclass
class LiveServer:
    url: str
    home: Path
    process: subprocess.Popen


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, neutral_url) -> Iterator[LiveServer]:
    """`amante serve` in a subprocess on a free loopback port, on a fresh SQLite home."""
    home = tmp_path_factory.mktemp("e2e-home")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMANTE_")}
    env.update(
        AMANTE_HOME=str(home),
        AMANTE_SECRET_KEY=secrets.token_urlsafe(48),
        AMANTE_QUICK_EXIT_URL=neutral_url,
        PYTHONUNBUFFERED="1",
    )
    log = (home / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "amante.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=home,  # no stray .env from the developer's checkout
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"server exited with {process.returncode}: "
                    + (home / "server.log").read_text()[-2000:]
                )
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer /healthz within 30 s")
            time.sleep(0.1)
        yield LiveServer(url=url, home=home, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session (Debian's; never a downloaded one)."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install chromium at {CHROMIUM}")
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def new_context(browser, live_server, request):
    """Make browser contexts (separate cookie jars); screenshot their pages if the test fails."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(ARTIFACTS / f"{name}-{i}-{j}.png"), full_page=True)
                except Exception as exc:  # a closed or crashed page: report, don't mask the failure
                    print(f"screenshot of {name} page {i}-{j} failed: {exc}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh context (a new visitor with no cookies)."""
    return new_context().new_page()
