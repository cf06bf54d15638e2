"""Every rule regex compiles, though the screen compiles each only on first use."""

import re

from amante.engine.safety import patterns


def test_every_rule_pattern_compiles():
    n = patterns.compile_all()
    rules = patterns.compiled().rules
    assert n >= len(rules)  # each rule has a pattern, some also exclusions
    assert all(isinstance(r.rx.compiled(), re.Pattern) for r in rules)


def test_a_lazy_regex_matches_like_the_compiled_one():
    rx = patterns.LazyRegex(r"\bhit me\b")
    assert rx.search("he hit me last night").group(0) == "hit me"
    assert rx.match("hit me") is not None and rx.match("he hit me") is None
    assert [m.start() for m in rx.finditer("hit me, hit me")] == [0, 8]
    assert rx.search("he hit me", 4) is None
