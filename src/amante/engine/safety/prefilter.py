"""A sound pre-filter for the rule layer: which rules can possibly match this message?

Each rule's regex is walked once (with Python's own regex parser) into a formula over literal
strings that every match must contain: a sequence needs all of its parts, an alternation needs
one of its branches ("kill(?:ing)? myself" needs "kill" and "myself"; "(?:hit|punch)(?:es)? me"
needs "hit" or "punch"). One Aho-Corasick pass (pyahocorasick) finds which literals occur in the
message, as a bit mask, and a rule runs only when its formula holds. Sound by construction: a
rule is skipped only when no match is possible, so results are identical to running every rule.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
import re._constants as _sc  # type: ignore[import-not-found]
import re._parser as _sp  # type: ignore[import-not-found]
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ahocorasick

# a formula: ("lit", s) | ("and", [...]) | ("or", [...]); None means "no literal is required"
Formula = tuple[str, Any]
# compiled form: an int mask (one of these literals) or (all_of?, children)
Mask = int | tuple[bool, tuple[Any, ...]]

_MIN_LITERAL = 3  # shorter strings are in nearly every message: no use as a filter
_REPEATS = (_sc.MAX_REPEAT, _sc.MIN_REPEAT, _sc.POSSESSIVE_REPEAT)


def _formula(items: Any) -> Formula | None:
    """What one parsed sequence requires (None: nothing usable)."""
    parts: list[Formula] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= _MIN_LITERAL:
            parts.append(("lit", "".join(run)))
        run.clear()

    for op, av in items:
        if op is _sc.LITERAL:
            run.append(chr(av))
            continue
        sub: Formula | None = None
        if op is _sc.BRANCH:
            # the parser factors a shared prefix out of an alternation ("check|chks" becomes
            # "ch" + (eck|ks)): glue the literal run just before it back onto every branch
            prefix = [(_sc.LITERAL, ord(c)) for c in run]
            alts = [_formula([*prefix, *a]) for a in av[1]]
            if all(a is not None for a in alts):
                sub = ("or", alts)
                run.clear()  # now part of every branch
        elif op is _sc.SUBPATTERN:
            add_flags = av[1]
            if not add_flags & re.IGNORECASE:  # case-folded literals would not be exact
                sub = _formula(av[-1])
        elif op in _REPEATS and av[0] >= 1:
            sub = _formula(av[2])
        flush()
        if sub is not None:
            parts.append(sub)
    flush()
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ("and", parts)


def required_literals(pattern: str) -> Formula | None:
    """The literal formula every match of `pattern` satisfies (None: no literal is required)."""
    try:
        return _simplify(_formula(_sp.parse(pattern)))
    except (re.error, TypeError, ValueError, IndexError):
        return None


def _shortest(words: set[str]) -> set[str]:
    # "hit" in the text already covers "hits": keep only strings that contain no other
    return {w for w in words if not any(v != w and v in w for v in words)}


def _simplify(f: Formula | None) -> Formula | None:
    """Flatten nested and/or, and merge the plain literals of an alternation into one set."""
    if f is None or f[0] == "lit":
        return f
    kind = f[0]
    flat: list[Formula] = []
    for child in (_simplify(c) for c in f[1]):
        assert child is not None
        flat.extend(child[1] if child[0] == kind else [child])
    if kind == "or":
        words = {w for c in flat if c[0] == "any" for w in c[1]}
        words |= {c[1] for c in flat if c[0] == "lit"}
        rest = [c for c in flat if c[0] not in ("lit", "any")]
        if words:
            short = _shortest(words)
            one = len(short) == 1
            rest.insert(0, ("lit", next(iter(short))) if one else ("any", frozenset(short)))
        flat = rest
    else:  # test the most selective requirement first: longest shortest literal
        flat.sort(key=_selectivity)
    return flat[0] if len(flat) == 1 else (kind, flat)


def _selectivity(f: Formula) -> tuple[int, int]:
    if f[0] == "lit":
        return (0, -len(f[1]))
    if f[0] == "any":
        return (len(f[1]), -min(map(len, f[1])))
    return (1_000, 0)


def _literals(f: Formula | None, out: set[str]) -> None:
    if f is None:
        return
    if f[0] == "lit":
        out.add(f[1])
    elif f[0] == "any":
        out.update(f[1])
    else:
        for c in f[1]:
            _literals(c, out)


def _holds(m: Mask, present: int) -> bool:
    if m.__class__ is int:
        return bool(present & m)  # type: ignore[operator]
    all_of, children = m  # type: ignore[misc]
    if all_of:
        return all(_holds(c, present) for c in children)
    return any(_holds(c, present) for c in children)


def _to_json(f: Formula | None) -> Any:
    if f is None or f[0] == "lit":
        return f
    if f[0] == "any":
        return ["any", sorted(f[1])]
    return [f[0], [_to_json(c) for c in f[1]]]


def _from_json(f: Any) -> Formula | None:
    if f is None:
        return None
    kind, body = f
    if kind == "lit":
        return ("lit", str(body))
    if kind == "any":
        return ("any", frozenset(body))
    if kind not in ("and", "or"):
        raise ValueError(f"not a formula: {kind!r}")
    return (kind, [_from_json(c) for c in body])


def cache_file(cache_dir: Path | None, name: str, *parts: bytes, suffix: str) -> Path | None:
    """Where a cached artifact lives: `name-<key><suffix>` in `cache_dir`, the key a hash of the
    Python version and `parts` (what the artifact is computed from); None without a cache."""
    if cache_dir is None:
        return None
    key = hashlib.sha256(b"\0".join([sys.version.encode(), *parts])).hexdigest()[:32]
    return cache_dir / f"{name}-{key}{suffix}"


def read_cache(path: Path | None) -> bytes | None:
    """A cache file's bytes, or None when there is no cache or the file cannot be read."""
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_cache(path: Path | None, blob: bytes) -> None:
    """Write a cache file whole (a temporary file, then a rename); an unwritable cache is
    skipped: it only costs the work again next time."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    except OSError:
        pass


def cached_formulas(patterns: Sequence[str], cache_dir: Path | None) -> list[Formula | None]:
    """`required_literals` of every pattern, read from a cache file when one exists.

    Walking ~1,200 rule patterns with Python's regex parser is most of the time it takes to
    load the rules. The file is keyed by the patterns, this module's source and the Python
    version, so any change computes the formulas afresh; a missing, unreadable or unwritable
    cache only costs that time."""
    path = cache_file(cache_dir, "prefilter", Path(__file__).read_bytes(),
                      *(p.encode() for p in patterns), suffix=".json")
    blob = read_cache(path)
    if blob is not None:
        try:
            data = json.loads(blob)
            if isinstance(data, list) and len(data) == len(patterns):
                return [_from_json(f) for f in data]
        except (ValueError, TypeError, IndexError):
            pass
    formulas = [required_literals(p) for p in patterns]
    write_cache(path, json.dumps([_to_json(f) for f in formulas]).encode("utf-8"))
    return formulas


class Prefilter:
    """Picks, for one message, the items (rules) whose patterns can match it."""

    def __init__(
        self, items: Sequence[Any], patterns: Sequence[str], cache_dir: Path | None = None
    ) -> None:
        formulas = cached_formulas(patterns, cache_dir)
        words: set[str] = set()
        for f in formulas:
            _literals(f, words)
        self._bit = {w: 1 << i for i, w in enumerate(sorted(words))}
        self._automaton = ahocorasick.Automaton()
        for i, w in enumerate(sorted(words)):
            self._automaton.add_word(w, i)  # a literal's number: its bit in the masks
        if words:
            self._automaton.make_automaton()
        self._entries: list[tuple[Mask | None, Any]] = [
            (None if f is None else self._mask(f), item)
            for item, f in zip(items, formulas, strict=True)
        ]
        self._select = _compile_select([mask for mask, _ in self._entries], cache_dir)
        self._items = [item for _, item in self._entries]

    def _mask(self, f: Formula) -> Mask:
        if f[0] == "lit":
            return self._bit[f[1]]
        if f[0] == "any":
            m = 0
            for w in f[1]:
                m |= self._bit[w]
            return m
        return (f[0] == "and", tuple(self._mask(c) for c in f[1]))

    def present_ids(self, text: str) -> set[int]:
        """The numbers of the literals that occur in `text`."""
        return {i for _, i in self._automaton.iter(text)} if self._bit else set()

    def present(self, text: str) -> int:
        """Bit mask of the literals that occur in `text`."""
        found = 0
        for i in self.present_ids(text):
            found |= 1 << i
        return found

    def candidates(self, text: str) -> list[Any]:
        """The items whose literal formula holds in `text`, in their original order."""
        return self._select(self.present_ids(text), self._items)

    def candidates_slow(self, text: str) -> list[Any]:
        """The same selection, formula by formula (the reference the compiled one is tested on)."""
        p = self.present(text)
        return [item for mask, item in self._entries if mask is None or _holds(mask, p)]


def _condition(m: Mask, names: dict[frozenset[int], str]) -> str:
    """A Python expression over `s`, the set of the numbers of the literals present, that is true
    when `m` holds.

    One literal is a set lookup (`12 in s`); one of several is `not s.isdisjoint(k3)`, with each
    set a module-level name (`k0`, `k1`, ...), not written out. Set lookups replaced `p & mask` on
    a mask of several thousand bits, which made a new big integer per test: the select ran about
    a third faster on CounselChat questions."""
    if m.__class__ is int:
        ids = _bit_numbers(m)  # type: ignore[arg-type]
        if len(ids) == 1:
            return f"{ids[0]} in s"
        key = frozenset(ids)
        name = names.get(key)
        if name is None:
            name = names[key] = f"k{len(names)}"
        return f"not s.isdisjoint({name})"
    all_of, children = m  # type: ignore[misc]
    joiner = " and " if all_of else " or "
    return "(" + joiner.join(f"({_condition(c, names)})" for c in children) + ")"


def _bit_numbers(mask: int) -> list[int]:
    """The numbers of the bits set in `mask`, lowest first."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _compile_select(masks: list[Mask | None], cache_dir: Path | None = None) -> Any:
    """One function that tests every rule's formula in turn (generated once at start-up: the
    formulas become plain `and`/`or` expressions, about five times faster than walking them)."""
    names: dict[frozenset[int], str] = {}
    lines = ["def select(s, items):", "    out = []", "    add = out.append"]
    for i, m in enumerate(masks):
        cond = "True" if m is None else _condition(m, names)
        lines.append(f"    if {cond}: add(items[{i}])")
    lines.append("    return out")
    namespace: dict[str, Any] = {name: value for value, name in names.items()}
    exec(_select_code("\n".join(lines), cache_dir), namespace)
    return namespace["select"]


def _select_code(source: str, cache_dir: Path | None) -> Any:
    """The generated function's byte code, read from a cache file when one exists.

    Compiling the generated source took about a fifth of a second of every cold start. The file
    is keyed by the source and the Python version (marshal's format is the interpreter's own), and
    lives in the user's cache folder beside the formulas, trusted as Python trusts its
    `__pycache__`; a missing, unreadable or unwritable cache only costs the compile."""
    path = cache_file(cache_dir, "prefilter-select", source.encode(), suffix=".marshal")
    blob = read_cache(path)
    if blob is not None:
        try:
            return marshal.loads(blob)
        except (ValueError, EOFError, TypeError):
            pass
    code = compile(source, "<prefilter>", "exec")
    write_cache(path, marshal.dumps(code))
    return code
