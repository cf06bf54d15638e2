"""Spelling-tolerant matching: rewrite misspelled key words to their canonical form.

People in distress type fast and badly ("sucide", "suicdal", "kil myself", "cuttin"). Instead of
adding every variant to every rule, the screen rewrites a handful of key words before matching:
an explicit map of known variants, dropped-g forms ("cuttin'" -> "cutting"), and a small
Damerau-Levenshtein search against key words (same first letter, at most the key's allowed
distance) that never touches a protected real word. The rewrite keeps a character map back to
the original text so evidence spans stay exact. Data lives in content/safety/patterns.yaml
under `spelling`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .patterns import load_yaml

_WORD = re.compile(r"[a-z]+(?:'[a-z]*)?|(?<![\w.,])2(?![\w.,])")
# texting's "2" for "to", only after words that take "to" ("want 2 die", "going 2 jump"): "took 2
# pills" and "2 years" keep their number
_TO_BEFORE = frozenset((
    "want", "wanna", "wants", "wanted", "going", "gonna", "got", "have", "has", "need", "needs",
    "trying", "try", "tried", "ready", "plan", "planning", "deserve", "supposed", "about", "used",
))


@dataclass(frozen=True)
class _Spelling:
    fixed: dict[str, str]
    fuzzy: dict[str, int]
    protect: frozenset[str]
    by_first: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _data() -> _Spelling:
    raw = load_yaml("patterns.yaml").get("spelling") or {}
    fixed: dict[str, str] = {str(k): str(v) for k, v in (raw.get("fixed") or {}).items()}
    for form in raw.get("g_dropped") or ():  # "cutting" -> "cuttin", "cuttin'"
        stem = str(form)[:-1]
        fixed.setdefault(stem, str(form))
        fixed.setdefault(stem + "'", str(form))
    fuzzy = {str(k): int(v) for k, v in (raw.get("fuzzy") or {}).items()}
    protect = frozenset(str(w) for w in raw.get("protect") or ()) | frozenset(fuzzy)
    by_first: dict[str, list[str]] = {}
    for key in fuzzy:
        by_first.setdefault(key[0], []).append(key)
    return _Spelling(fixed, fuzzy, protect, {k: tuple(v) for k, v in by_first.items()})


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, cut off early once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=4096)
def canonical_word(word: str) -> str:
    """The canonical spelling of one lower-case word (the word itself when nothing fits)."""
    sp = _data()
    if word in sp.fixed:
        return sp.fixed[word]
    if len(word) < 5 or word in sp.protect or "'" in word:
        return word
    best, best_d = word, (99, 99)
    for key in sp.by_first.get(word[0], ()):
        limit = sp.fuzzy[key]
        d = _distance(word, key, limit)
        d2 = (d, abs(len(word) - len(key)))  # ties: prefer the key of the same length
        if d <= limit and d2 < best_d:
            best, best_d = key, d2
    return best


# a word typed letter by letter to dodge filters ("s t r a n g l e d", "k i l l")
_SPACED = re.compile(r"(?<![\w'])(?:[a-z] ){3,}[a-z](?![\w'])")

# one rewrite: replace norm[start:end] with `text`, whose characters come from `origins`
_Edit = tuple[int, int, str, Iterable[int]]


def _splice(norm: str, edits: Iterable[_Edit]) -> tuple[str, list[int] | None]:
    """Apply non-overlapping, ordered edits; (text, map to `norm` offsets) or (norm, None)."""
    pieces: list[str] = []
    index: list[int] = []
    last = 0
    for s, e, text, origins in edits:
        pieces.append(norm[last:s])
        index.extend(range(last, s))
        pieces.append(text)
        index.extend(origins)
        last = e
    if not pieces:
        return norm, None
    pieces.append(norm[last:])
    index.extend(range(last, len(norm)))
    index.append(len(norm))
    return "".join(pieces), index


def _spaced_edits(norm: str) -> Iterator[_Edit]:
    """Letter-by-letter words joined up, each letter mapped to where it was typed."""
    for m in _SPACED.finditer(norm):
        s, e = m.span()
        yield s, e, m.group(0).replace(" ", ""), range(s, e, 2)


def _word_edits(norm: str) -> Iterator[_Edit]:
    """Misspelled key words respelled ("sucide" -> "suicide", "want 2" -> "want to")."""
    prev = ""
    for m in _WORD.finditer(norm):
        word = m.group(0)
        fixed = ("to" if prev in _TO_BEFORE else word) if word == "2" else canonical_word(word)
        if fixed == word and word.endswith("'") and len(word) > 1:  # "'kys'": a closing quote
            fixed = canonical_word(word[:-1]) + "'"
        prev = fixed
        if fixed != word:
            s, e = m.span()
            yield s, e, fixed, [min(s + i, e - 1) for i in range(len(fixed))]


def canonicalize(norm: str) -> tuple[str, list[int] | None]:
    """Rewrite misspelled key words; returns (text, map) where map[i] is the offset in `norm`
    of output character i (with one extra entry for the end), or None when nothing changed."""
    joined, first = _splice(norm, _spaced_edits(norm))
    text, second = _splice(joined, _word_edits(joined))
    if first is None or second is None:
        return text, first if second is None else second
    return text, [first[i] for i in second]
