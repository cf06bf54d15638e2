"""Retries and a circuit breaker around any backend, so a flaky one recovers and a dead one
fails fast (the composer answers meanwhile).

- Retries (exponential backoff with jitter) happen only for transient errors and only BEFORE the
  first piece of text: once text was yielded, a retry would show the user duplicated words.
- The circuit opens after `failure_threshold` consecutive failures; while open every call
  raises `CircuitOpen` at once. After `reset_after` seconds one trial call is let through
  (half-open): success closes the circuit, failure opens it again.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Literal

from amante.backends.errors import BackendError, CircuitOpen, ReplyTruncated, is_transient
from amante.engine.speak import Backend, SpeakRequest

State = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    """Counts consecutive failures; thread-safe; the clock is injectable for tests."""

    def __init__(
        self,
        failure_threshold: int = 3,
        reset_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1 or reset_after <= 0:
            raise ValueError("failure_threshold must be >= 1 and reset_after > 0")
        self.failure_threshold = failure_threshold
        self.reset_after = reset_after
        self.clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> State:
        with self._lock:
            return self._state()

    def _state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self.clock() - self._opened_at >= self.reset_after:
            return "half_open"
        return "open"

    @property
    def failures(self) -> int:
        return self._failures

    def retry_in(self) -> float:
        """Seconds until a trial call is allowed (0 when closed)."""
        with self._lock:
            if self._opened_at is None:
                return 0.0
            return max(0.0, self.reset_after - (self.clock() - self._opened_at))

    def allow(self) -> bool:
        """May a call go through now? In half-open state only one trial call at a time."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half_open" and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self.failure_threshold:
                self._opened_at = self.clock()
            self._trial_running = False


class ResilientBackend:
    """Wraps a backend with retries before the first token and a circuit breaker."""

    def __init__(
        self,
        inner: Backend,
        *,
        retries: int = 2,
        backoff: float = 0.25,
        max_backoff: float = 2.0,
        jitter: float = 0.5,
        breaker: CircuitBreaker | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.jitter = jitter
        self.breaker = breaker or CircuitBreaker()
        self.sleep = sleep
        self.rng = rng

    def delay(self, attempt: int) -> float:
        """Backoff before retry number `attempt` (1-based): base * 2^(n-1), capped, +- jitter."""
        base = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return max(0.0, base * (1 + self.jitter * (2 * self.rng() - 1)))

    def __getattr__(self, attr: str):
        # check(), warm(), model, base_url ... of the wrapped backend stay reachable.
        if attr == "inner":
            raise AttributeError(attr)
        return getattr(self.inner, attr)

    def stream(self, request: SpeakRequest) -> Iterator[str]:
        if not self.breaker.allow():
            raise CircuitOpen(
                f"circuit open: the {self.name} backend failed {self.breaker.failures} times "
                f"in a row; next try in {self.breaker.retry_in():.0f}s"
            )
        attempt = 0
        while True:
            pieces = iter(self.inner.stream(request))
            try:
                first = next(pieces)
            except StopIteration:
                self.breaker.record_failure()
                raise BackendError(f"the {self.name} backend returned nothing") from None
            except BackendError as exc:
                if isinstance(exc, ReplyTruncated):
                    self.breaker.record_success()
                    raise
                if is_transient(exc) and attempt < self.retries:
                    attempt += 1
                    self.sleep(self.delay(attempt))
                    continue
                self.breaker.record_failure()
                raise
            except Exception as exc:  # a buggy backend must not take the coach down
                self.breaker.record_failure()
                raise BackendError(f"the {self.name} backend crashed: {exc!r}") from exc
            break
        yield from self._rest(first, pieces)

    def _rest(self, first: str, pieces: Iterator[str]) -> Iterator[str]:
        """After the first piece: no more retries; the outcome still feeds the breaker.

        A reply cut at max_tokens, or a caller that stops reading early (say, on a guard
        violation), still proves the backend works. Any other exception becomes a BackendError.
        """
        outcome = self.breaker.record_success
        try:
            yield first
            yield from pieces
        except ReplyTruncated:
            raise
        except BackendError:
            outcome = self.breaker.record_failure
            raise
        except Exception as exc:
            outcome = self.breaker.record_failure
            raise BackendError(f"the {self.name} backend crashed mid-reply: {exc!r}") from exc
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()
            outcome()
