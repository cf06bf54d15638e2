"""Retries before the first token only, and the circuit breaker (fake backend + fake clock)."""

from __future__ import annotations

import threading

import pytest

from amante.backends.errors import (
    BackendConfigError,
    BackendError,
    CircuitOpen,
    ReplyTruncated,
    TransientBackendError,
)
from amante.backends.resilience import CircuitBreaker, ResilientBackend


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Script:
    """A fake backend that plays one scripted behaviour per call."""

    name = "fake"

    def __init__(self, *plays) -> None:
        self.plays = list(plays)
        self.calls = 0

    def stream(self, request):
        play = self.plays[min(self.calls, len(self.plays) - 1)]
        self.calls += 1
        for item in play:
            if isinstance(item, BaseException):
                raise item
            yield item


def wrap(inner, *, threshold=3, reset=30.0, retries=2, clock=None):
    clock = clock or Clock()
    sleeps: list[float] = []
    backend = ResilientBackend(
        inner, retries=retries, backoff=0.1, max_backoff=1.0, jitter=0.5,
        breaker=CircuitBreaker(threshold, reset, clock=clock), sleep=sleeps.append,
        rng=lambda: 0.5,
    )
    return backend, clock, sleeps


def test_transient_errors_before_the_first_token_are_retried(make_request):
    inner = Script([TransientBackendError("refused")], [TransientBackendError("refused")],
                   ["Hello", " there"])
    backend, _, sleeps = wrap(inner)
    assert "".join(backend.stream(make_request())) == "Hello there"
    assert inner.calls == 3
    assert sleeps == [0.1, 0.2]  # exponential (rng 0.5 means no jitter offset)
    assert backend.breaker.state == "closed" and backend.breaker.failures == 0


def test_retries_give_up_after_the_limit(make_request):
    inner = Script([TransientBackendError("timeout")])
    backend, _, sleeps = wrap(inner, retries=2)
    with pytest.raises(TransientBackendError):
        list(backend.stream(make_request()))
    assert inner.calls == 3 and len(sleeps) == 2


def test_non_transient_errors_are_not_retried(make_request):
    inner = Script([BackendConfigError("bad key")])
    backend, _, sleeps = wrap(inner)
    with pytest.raises(BackendConfigError):
        list(backend.stream(make_request()))
    assert inner.calls == 1 and sleeps == []


def test_no_retry_after_text_was_streamed(make_request):
    """A retry after the first token would show the user duplicated words."""
    inner = Script(["Hello", " wor", TransientBackendError("connection reset")], ["never"])
    backend, _, _ = wrap(inner)
    shown = []
    with pytest.raises(TransientBackendError):
        for piece in backend.stream(make_request()):
            shown.append(piece)
    assert shown == ["Hello", " wor"] and inner.calls == 1
    assert backend.breaker.failures == 1


def test_jitter_spreads_delays():
    values = iter([0.0, 1.0])
    backend = ResilientBackend(Script(["x"]), backoff=1.0, max_backoff=10, jitter=0.5,
                               rng=lambda: next(values))
    assert backend.delay(1) == pytest.approx(0.5)
    assert backend.delay(1) == pytest.approx(1.5)
    backend.rng = lambda: 0.5
    assert backend.delay(10) == pytest.approx(10)  # capped


def test_circuit_opens_fails_fast_then_half_opens(make_request):
    inner = Script([BackendConfigError("down")], [BackendConfigError("down")],
                   [BackendConfigError("down")], ["back"], ["again"])
    backend, clock, _ = wrap(inner, threshold=3, reset=30)
    for _ in range(3):
        with pytest.raises(BackendConfigError):
            list(backend.stream(make_request()))
    assert backend.breaker.state == "open"
    with pytest.raises(CircuitOpen, match="circuit open"):
        list(backend.stream(make_request()))
    assert inner.calls == 3  # failed fast: the backend was not called
    clock.now += 29
    with pytest.raises(CircuitOpen):
        list(backend.stream(make_request()))
    clock.now += 2
    assert backend.breaker.state == "half_open"
    assert list(backend.stream(make_request())) == ["back"]
    assert backend.breaker.state == "closed"
    assert list(backend.stream(make_request())) == ["again"]


def test_failed_trial_reopens_the_circuit(make_request):
    inner = Script([BackendConfigError("down")])
    backend, clock, _ = wrap(inner, threshold=2, reset=10)
    for _ in range(2):
        with pytest.raises(BackendError):
            list(backend.stream(make_request()))
    clock.now += 11
    with pytest.raises(BackendConfigError):
        list(backend.stream(make_request()))  # the trial call
    assert backend.breaker.state == "open"
    with pytest.raises(CircuitOpen):
        list(backend.stream(make_request()))
    assert inner.calls == 3


def test_half_open_lets_one_trial_through_at_a_time():
    clock = Clock()
    breaker = CircuitBreaker(1, 5, clock=clock)
    breaker.record_failure()
    clock.now += 6
    results = []
    barrier = threading.Barrier(8)

    def try_it():
        barrier.wait()
        results.append(breaker.allow())

    threads = [threading.Thread(target=try_it) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1


def test_success_resets_the_failure_count(make_request):
    inner = Script([BackendConfigError("x")], [BackendConfigError("x")], ["ok"],
                   [BackendConfigError("x")], [BackendConfigError("x")], ["ok"])
    backend, _, _ = wrap(inner, threshold=3)
    for _ in range(2):
        with pytest.raises(BackendError):
            list(backend.stream(make_request()))
    assert list(backend.stream(make_request())) == ["ok"]
    for _ in range(2):
        with pytest.raises(BackendError):
            list(backend.stream(make_request()))
    assert backend.breaker.state == "closed"


def test_truncated_reply_and_early_stop_do_not_count_as_failures(make_request):
    inner = Script(["a", ReplyTruncated("limit", "a", "")], ["x", "y", "z"])
    backend, _, _ = wrap(inner, threshold=1)
    with pytest.raises(ReplyTruncated):
        list(backend.stream(make_request()))
    assert backend.breaker.state == "closed"
    stream = backend.stream(make_request())
    assert next(stream) == "x"
    stream.close()  # the caller found a violation and stopped reading
    assert backend.breaker.state == "closed"


def test_crashing_backend_becomes_a_backend_error(make_request):
    inner = Script([KeyError("oops")], ["a", ZeroDivisionError("mid")])
    backend, _, _ = wrap(inner, threshold=5)
    with pytest.raises(BackendError, match="KeyError"):
        list(backend.stream(make_request()))
    with pytest.raises(BackendError, match="ZeroDivisionError"):
        list(backend.stream(make_request()))
    assert backend.breaker.failures == 2


def test_empty_stream_is_a_failure(make_request):
    backend, _, _ = wrap(Script([]), threshold=1)
    with pytest.raises(BackendError, match="nothing"):
        list(backend.stream(make_request()))
    assert backend.breaker.state == "open"


def test_wrapper_exposes_the_inner_backend():
    inner = Script(["x"])
    inner.model = "m1"
    backend, _, _ = wrap(inner)
    assert backend.name == "fake" and backend.model == "m1"
