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


def test_prefilter_formulas_read_from_the_cache_equal_the_computed_ones(tmp_path):
    from amante.engine.safety import prefilter

    pats = [r.rx.pattern for r in patterns.compiled().rules][:200]
    computed = [prefilter.required_literals(p) for p in pats]
    first = prefilter.cached_formulas(pats, tmp_path)  # computes and writes the file
    (cache,) = tmp_path.glob("prefilter-*.json")
    second = prefilter.cached_formulas(pats, tmp_path)  # reads it back
    assert first == computed and second == computed
    cache.write_text("{not json", encoding="utf-8")  # a damaged cache is recomputed
    assert prefilter.cached_formulas(pats, tmp_path) == computed
    assert prefilter.cached_formulas(pats[:10], tmp_path) == computed[:10]  # other key


def test_a_prefilter_built_from_the_cache_picks_the_same_rules(tmp_path):
    from amante.engine.safety.prefilter import Prefilter

    rules = list(patterns.compiled().rules)
    pats = [r.rx.pattern for r in rules]
    fresh = Prefilter(rules, pats, cache_dir=None)
    Prefilter(rules, pats, cache_dir=tmp_path)  # writes the cache
    cached = Prefilter(rules, pats, cache_dir=tmp_path)  # reads it
    for text in ("he hit me last night and i'm scared", "we argue about the dishes",
                 "i want to end it all tonight", "can i read her messages without her knowing"):
        assert [r.id for r in cached.candidates(text)] == [r.id for r in fresh.candidates(text)]


def test_the_prefilter_select_code_is_cached_and_a_damaged_file_is_rebuilt(tmp_path):
    from amante.engine.safety.prefilter import Prefilter

    rules = list(patterns.compiled().rules)
    pats = [r.rx.pattern for r in rules]
    fresh = Prefilter(rules, pats, cache_dir=None)
    Prefilter(rules, pats, cache_dir=tmp_path)
    (code_file,) = tmp_path.glob("prefilter-select-*.marshal")
    code_file.write_bytes(b"\x00damaged")
    rebuilt = Prefilter(rules, pats, cache_dir=tmp_path)
    text = "he hit me last night and i'm scared"
    assert [r.id for r in rebuilt.candidates(text)] == [r.id for r in fresh.candidates(text)]
    assert code_file.read_bytes() != b"\x00damaged"  # written afresh


def test_safety_yaml_read_through_the_cache_equals_the_parsed_file(tmp_path, monkeypatch):
    import yaml

    monkeypatch.setenv("AMANTE_CACHE_DIR", str(tmp_path))
    parsed = yaml.safe_load((patterns.CONTENT_DIR / "patterns.yaml").read_text(encoding="utf-8"))
    assert patterns.load_yaml("patterns.yaml") == parsed  # parses and writes the cache
    (cache,) = tmp_path.glob("yaml-patterns-*.marshal")
    assert patterns.load_yaml("patterns.yaml") == parsed  # read back
    cache.write_bytes(b"\x00damaged")
    assert patterns.load_yaml("patterns.yaml") == parsed  # a damaged cache is parsed afresh
    # dates (the resources' last-verified days) cannot be cached: the file is parsed each time
    dated = yaml.safe_load((patterns.CONTENT_DIR / "resources.yaml").read_text(encoding="utf-8"))
    assert patterns.load_yaml("resources.yaml") == dated
    monkeypatch.setenv("AMANTE_CACHE_DIR", "off")
    assert patterns.load_yaml("patterns.yaml") == parsed
