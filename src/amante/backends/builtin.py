"""The built-in backend: the composer's draft, streamed in small chunks (no model at all)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from amante.engine.speak import SpeakRequest

_CHUNK = re.compile(r"\S+\s*")


class BuiltinBackend:
    """Returns the composer's reply unchanged; the floor every other backend falls back to."""

    name = "builtin"

    def __init__(self, words_per_chunk: int = 3) -> None:
        self.words_per_chunk = max(1, words_per_chunk)

    def stream(self, request: SpeakRequest) -> Iterator[str]:
        words = _CHUNK.findall(request.draft)
        for i in range(0, len(words), self.words_per_chunk):
            yield "".join(words[i : i + self.words_per_chunk])

    def check(self) -> str:
        return "the built-in composer needs no model"
