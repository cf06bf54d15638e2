"""The backend registry: built-ins, register(), entry-point plugins from a real (temporary)
installed distribution, unknown names, and `check_backends` rows."""

from __future__ import annotations

import textwrap

import pytest

import amante.backends as backends
from amante.backends import (
    BackendConfigError,
    UnknownBackend,
    available,
    check_backends,
    create_backend,
    get_backend,
    register,
)
from amante.backends.builtin import BuiltinBackend
from amante.backends.llamacpp import llama_cpp_installed
from amante.backends.openai_compat import OpenAIBackend
from amante.backends.resilience import ResilientBackend
from amante.config import Settings


@pytest.fixture(autouse=True)
def clean_registry():
    saved = dict(backends._factories)
    backends.reload_plugins()
    yield
    backends._factories.clear()
    backends._factories.update(saved)
    backends.reload_plugins()


def test_builtins_are_listed_first():
    assert available()[:3] == ["builtin", "openai", "llamacpp"]


def test_builtin_means_no_backend_object():
    assert get_backend(Settings(backend="builtin")) is None
    assert isinstance(create_backend("builtin", Settings()), BuiltinBackend)


def test_builtin_streams_the_draft(make_request):
    request = make_request()
    pieces = list(BuiltinBackend().stream(request))
    assert len(pieces) > 3
    assert "".join(pieces) == request.draft


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(UnknownBackend) as info:
        get_backend(Settings(backend="gpt-magic"))
    message = str(info.value)
    assert "gpt-magic" in message
    for name in ("builtin", "openai", "llamacpp"):
        assert name in message
    assert isinstance(info.value, BackendConfigError)


def test_openai_is_wrapped_and_configured_from_settings():
    settings = Settings(
        backend="openai", llm_base_url="http://127.0.0.1:9/v1/", llm_model="m",
        llm_timeout=7, llm_max_tokens=123,
    )
    backend = get_backend(settings)
    assert isinstance(backend, ResilientBackend)
    assert backend.name == "openai"
    inner = backend.inner
    assert isinstance(inner, OpenAIBackend)
    assert (inner.base_url, inner.model, inner.max_tokens) == ("http://127.0.0.1:9/v1", "m", 123)
    assert isinstance(get_backend(settings, resilient=False), OpenAIBackend)


@pytest.mark.parametrize(
    ("settings", "expect"),
    [
        ({"llm_base_url": "http://127.0.0.1:9/v1"}, "AMANTE_LLM_MODEL"),
        ({"llm_model": "gpt-x"}, "AMANTE_LLM_API_KEY"),
        ({"llm_model": "m", "llm_base_url": "127.0.0.1:9"}, "http://"),
    ],
)
def test_openai_configuration_errors_are_clear(settings, expect):
    with pytest.raises(BackendConfigError, match=expect):
        get_backend(Settings(backend="openai", **settings))


def test_llamacpp_needs_a_model_file(tmp_path):
    if not llama_cpp_installed():
        with pytest.raises(BackendConfigError, match=r"amante\[local\]"):
            get_backend(Settings(backend="llamacpp"))
        return
    with pytest.raises(BackendConfigError, match="AMANTE_LLM_MODEL_PATH"):
        get_backend(Settings(backend="llamacpp"))
    with pytest.raises(BackendConfigError, match="no such file"):
        get_backend(Settings(backend="llamacpp", llm_model_path=str(tmp_path / "x.gguf")))


def test_llamacpp_missing_package_message(monkeypatch):
    import amante.backends.llamacpp as mod

    monkeypatch.setattr(mod, "llama_cpp_installed", lambda: False)
    with pytest.raises(BackendConfigError, match=r'pip install "amante\[local\]"'):
        get_backend(Settings(backend="llamacpp", llm_model_path="/x.gguf"))


class Echo:
    name = "echo"

    def __init__(self, settings: Settings) -> None:
        self.model = settings.llm_model

    def stream(self, request):
        yield from request.text.split()


def test_register_adds_a_backend(make_request):
    register("echo", Echo)
    assert "echo" in available()
    backend = get_backend(Settings(backend="echo", llm_model="e1"))
    assert backend.name == "echo" and backend.model == "e1"
    assert list(backend.stream(make_request(text="a b c"))) == ["a", "b", "c"]


def test_register_rejects_bad_names():
    with pytest.raises(ValueError):
        register("Bad Name", Echo)
    with pytest.raises(TypeError):
        register("ok", "not callable")  # type: ignore[arg-type]


def test_factory_must_return_a_backend():
    register("broken", lambda settings: object())
    with pytest.raises(BackendConfigError, match="stream"):
        get_backend(Settings(backend="broken"))
    register("raises", lambda settings: 1 / 0)
    with pytest.raises(BackendConfigError, match="ZeroDivisionError"):
        get_backend(Settings(backend="raises"))


def _install_fake_distribution(root, entry_points: str, module: str) -> None:
    """A real installed distribution on sys.path: dist-info with entry_points.txt + a module."""
    info = root / "amante_fake_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: amante-fake-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points), encoding="utf-8")
    (root / "amante_fake_plugin.py").write_text(textwrap.dedent(module), encoding="utf-8")


def test_entry_point_plugins_are_found_and_loaded_on_use(tmp_path, monkeypatch, make_request):
    _install_fake_distribution(
        tmp_path,
        """
        [amante.backends]
        shout = amante_fake_plugin:make
        openai = amante_fake_plugin:make
        broken = amante_fake_plugin:missing
        """,
        """
        LOADED = []

        class Shout:
            name = "shout"

            def stream(self, request):
                yield request.text.upper()

        def make(settings):
            LOADED.append(settings.backend)
            return Shout()
        """,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    backends.reload_plugins()
    names = available()
    assert "shout" in names and "broken" in names
    assert names.count("openai") == 1  # a plugin cannot take a built-in name
    assert isinstance(create_backend("openai", Settings(llm_model="m", llm_base_url="http://x/v1")),
                      OpenAIBackend)

    import amante_fake_plugin

    backend = get_backend(Settings(backend="shout"))
    assert amante_fake_plugin.LOADED == ["shout"]
    assert list(backend.stream(make_request(text="hi there"))) == ["HI THERE"]
    with pytest.raises(BackendConfigError, match="broken"):
        get_backend(Settings(backend="broken"))


def test_check_backends_rows(make_request):
    register("echo", Echo)
    rows = {r["name"]: r for r in check_backends(Settings(backend="echo"))}
    assert set(rows) >= {"builtin", "openai", "llamacpp", "echo"}
    assert rows["builtin"]["configured"] and rows["builtin"]["ok"] is True
    assert rows["echo"]["configured"] and rows["echo"]["ok"] is True
    assert rows["echo"]["latency_ms"] is not None
    assert "answered" in rows["echo"]["detail"]
    assert rows["openai"]["configured"] is False and rows["openai"]["ok"] is None
    assert "AMANTE_BACKEND=openai" in rows["openai"]["detail"]


def test_check_backends_reports_failures():
    register("boom", lambda settings: 1 / 0)
    rows = {r["name"]: r for r in check_backends(Settings(backend="boom"))}
    assert rows["boom"]["ok"] is False and "ZeroDivisionError" in rows["boom"]["detail"]
    rows = check_backends(Settings(backend="nope"))
    assert rows[0]["name"] == "nope" and rows[0]["ok"] is False
    assert "known backends" in rows[0]["detail"]


def test_check_backends_calls_openai_for_real_and_reports_refused_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends
    rows = {r["name"]: r for r in check_backends(
        Settings(backend="openai", llm_base_url=f"http://127.0.0.1:{port}/v1", llm_model="m")
    )}
    assert rows["openai"]["ok"] is False
    assert "cannot connect" in rows["openai"]["detail"]
