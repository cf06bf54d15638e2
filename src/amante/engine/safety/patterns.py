"""Load and compile the reviewed triggers in content/safety/patterns.yaml, once at import."""

from __future__ import annotations

import contextlib
import marshal
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .prefilter import Prefilter, cache_file, read_cache, write_cache

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content" / "safety"

CATEGORIES: tuple[str, ...] = (
    "self_harm",
    "medical_emergency",
    "harm_from_partner",
    "harm_from_others",
    "child_safety",
    "harm_to_others",
    "coercive_control",
    "covert_surveillance",
    "manipulation",
)
_RULE_CATEGORIES = (*CATEGORIES, "violence")
_PERSONS = ("auto", "self", "third", "third_only", "any", "notself")
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


@dataclass(frozen=True)
class Rule:
    """One compiled trigger: what it means and the guards that keep it from firing falsely."""

    id: str
    category: str
    level: str
    rx: LazyRegex
    strong: bool = False
    person: str = "auto"
    negation_inside: bool = False
    ambiguous: bool = False
    method: str | None = None
    also: tuple[str, ...] = ()
    refuse: bool = False
    hyperbole: bool = False
    plan_upgrade: bool = False
    actor_in_match: bool = False
    partner_crisis: bool = False  # stalking-type: a partner doing it is a crisis, others elevated
    # its exclusions only narrow the rule ("not when a partner is named"): an excluded match is
    # skipped, not recorded as ruled out, so the classifier may still raise the category
    soft_exclude: bool = False
    # a sport or hobby in the sentence does not lower it ("clay pigeon club ... he pointed it at
    # me"): the act is never part of the game
    sport_proof: bool = False
    exclude_after: LazyRegex | None = None
    exclude_before: LazyRegex | None = None
    exclude_in: LazyRegex | None = None
    require_near: LazyRegex | None = None


@dataclass(frozen=True)
class Compiled:
    """All rules plus the modifier regexes the screen needs."""

    rules: tuple[Rule, ...]
    mods: dict[str, re.Pattern[str]]
    partner_actor: re.Pattern[str]
    other_actor: re.Pattern[str]
    prefilter: Prefilter  # which rules can match a message (sound: skips only impossible ones)


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(3):  # macros may use macros
        pattern = _MACRO.sub(lambda m: macros.get(m.group(1), m.group(0)), pattern)
    return pattern.replace(" ?", r"\s*").replace(" ", r"\s+")


class LazyRegex:
    """A rule's regex, compiled on first use.

    Compiling the ~2,400 rule patterns took about a second and a half of every cold start,
    and a message reaches only the few rules the pre-filter lets through. `compile_all`
    compiles them all (a server worker does so in the background as it starts, and the tests
    do, so a bad pattern still fails there). Once compiled, `search`, `match` and `finditer`
    are the compiled pattern's own methods, with no wrapper in between."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._rx: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        rx = self._rx
        if rx is None:
            rx = re.compile(self.pattern)
            self.search, self.match, self.finditer = rx.search, rx.match, rx.finditer
            self._rx = rx
        return rx

    def search(self, text: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled().search(text, *bounds)

    def match(self, text: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled().match(text, *bounds)

    def finditer(self, text: str, *bounds: int) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(text, *bounds)


def _compile(pattern: str | None, macros: dict[str, str]) -> LazyRegex | None:
    if not pattern:
        return None
    return LazyRegex(_expand(pattern, macros))


def compile_all() -> int:
    """Compile every rule's regexes now (raises re.error on a bad one); returns how many."""
    n = 0
    for rule in compiled().rules:
        for rx in (rule.rx, rule.exclude_after, rule.exclude_before, rule.exclude_in,
                   rule.require_near):
            if rx is not None:
                rx.compiled()
                n += 1
    return n


# libyaml's C parser when PyYAML was built with it (the wheels are): the pure-Python one took
# about a second and a half of every cold start on patterns.yaml alone
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(name: str) -> Any:
    """Read one YAML file from content/safety, through a cache of the parsed data.

    Even libyaml's parser took about a quarter of a second of every cold start on patterns.yaml.
    The cache file is keyed by the file's bytes and the Python version (marshal's format is the
    interpreter's own) and kept with the pre-filter's in the user's cache folder; a missing,
    unreadable or unwritable cache only costs the parse."""
    raw = (CONTENT_DIR / name).read_bytes()
    path = cache_file(_cache_dir(), f"yaml-{Path(name).stem}", raw, suffix=".marshal")
    blob = read_cache(path)
    if blob is not None:
        try:
            return marshal.loads(blob)
        except (ValueError, EOFError, TypeError):
            pass
    data = yaml.load(raw.decode("utf-8"), Loader=_YAML_LOADER)  # a safe loader, C or Python
    with contextlib.suppress(ValueError):  # types marshal cannot hold (the resources' dates)
        write_cache(path, marshal.dumps(data))
    return data


# "ex-army", "ex-police": a former job, not a former partner
_NOT_EX_ROLE = (
    r"(?!-?(?:army|military|forces|navy|marines?|police|cop|con|smoker|pat|convict|offender)\b)"
)


# someone else's partner ("her husband", "his wife"); "as his wife", "I'm his wife" are the user
THEIR_PARTNER = (
    r"(?<!\bas )(?<!\bi'm )(?<!\bim )(?<!\bi am )\b(?:his|her|their)\s+"
    r"(?:(?:new|current|old|other)\s+)?(?:husband|wife|boyfriend|girlfriend|partner|fianc\w+|spouse|"
    r"missus|hubby|bf|gf)\b"
)
# someone else's partner named through its owner: "a patient's husband", "my cousin's ex wife"
OTHERS_PARTNER = (
    r"\b(?:my|a|an|the|some|this|that|her|his)\s+[\w-]+'?s\s+"
    r"(?:(?:first|second|third|last|other|new|old|late|former|current|ex)\s+)?"
    r"(?:husband|wife|boyfriend|girlfriend|partner|fianc\w+|bf|gf)\b"
)


def _cache_dir() -> Path | None:
    """Where the pre-filter keeps its formulas: $AMANTE_CACHE_DIR ("off" for none), else the
    user's cache folder."""
    env = os.environ.get("AMANTE_CACHE_DIR")
    if env:
        return None if env == "off" else Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("amante"))


@lru_cache(maxsize=1)
def compiled() -> Compiled:
    """Compile patterns.yaml; raises ValueError on an unknown category, level or person."""
    data = load_yaml("patterns.yaml")
    macros: dict[str, str] = data["macros"]
    rules: list[Rule] = []
    seen: set[str] = set()
    for raw in data["rules"]:
        rid = raw["id"]
        if rid in seen:
            raise ValueError(f"duplicate safety rule id {rid}")
        seen.add(rid)
        if raw["category"] not in _RULE_CATEGORIES:
            raise ValueError(f"{rid}: unknown category {raw['category']}")
        if raw["level"] not in ("elevated", "crisis"):
            raise ValueError(f"{rid}: unknown level {raw['level']}")
        person = raw.get("person", "auto")
        if person not in _PERSONS:
            raise ValueError(f"{rid}: unknown person {person}")
        rx = _compile(raw["pattern"], macros)
        assert rx is not None
        if raw.get("dismiss") and raw.get("exclude_in"):
            raise ValueError(f"{rid}: dismiss and exclude_in together")
        rules.append(
            Rule(
                id=rid,
                category=raw["category"],
                level=raw["level"],
                rx=rx,
                strong=bool(raw.get("strong", False)),
                person=person,
                negation_inside=bool(raw.get("negation_inside", False)),
                ambiguous=bool(raw.get("ambiguous", False)),
                method=raw.get("method"),
                also=tuple(raw.get("also", ())),
                refuse=bool(raw.get("refuse", False)),
                hyperbole=bool(raw.get("hyperbole", False)),
                plan_upgrade=bool(raw.get("plan_upgrade", False)),
                actor_in_match=bool(raw.get("actor_in_match", False)),
                partner_crisis=bool(raw.get("partner_crisis", False)),
                soft_exclude=bool(raw.get("soft_exclude", False)),
                sport_proof=bool(raw.get("sport_proof", False)),
                exclude_after=_compile(raw.get("exclude_after"), macros),
                exclude_before=_compile(raw.get("exclude_before"), macros),
                # `dismiss`: the rule rules out its own match, so it only records the family
                # as ruled out (the classifier then leaves it alone), without repeating the
                # pattern as `exclude_in`
                exclude_in=rx if raw.get("dismiss") else _compile(raw.get("exclude_in"), macros),
                require_near=_compile(raw.get("require_near"), macros),
            )
        )
    mods = {k: re.compile(_expand(v, macros)) for k, v in data["modifiers"].items()}
    # "my mum's boyfriend" names someone else's partner: a kin word before the partner word
    partner = re.compile(_expand(
        r"\b(?:my|our|her|his) (?!ex\b)(?!(?:former|previous|late) )"
        r"(?!(?:{KIN}|ex|ex-?\w+|best friend|stepdad|stepmom|"
        r"stepmum|step-?\w+|roomie|housemate|boss|sis|bro|best mate|mate|twin|employer|"
        r"madam|sponsor|landlord|landlady|agent)'?s? )"
        # "my husband's boss" is someone else; "my husband's the owner" is the husband
        r"(?![\w-]+'s (?!(?:the|a|an|been|got|gone|just|always|never|not|so|very|really|still|"
        r"now|also|started|getting|going|being|taking|making|asleep|drunk|angry)\b))"
        # "my managing partner", "my tennis partner": a role at work or in a game, not a partner
        r"(?!(?:managing|senior|equity|supervising|business|junior|salaried|founding|silent|"
        r"sleeping|dance|dancing|tennis|squash|padel|lab|study|training|sparring|climbing|"
        r"running|gym|workout|practice|debate|doubles|play|trading|firm'?s) partners?\b)"
        r"(?:\w+ )?{PARTNER}\b|"
        r"\bthe (?:missus|mrs|wife|hubby|husband|old man|other half)\b|"
        # "the guy I'm seeing": someone the user dates now is a partner
        r"(?:\b(?:the|this|a) |(?:^|(?<=[.!?]\s)))(?:guy|girl|man|woman|person|lad|boy|bloke|dude) "
        r"(?:i'?m|im|i am|i'?ve been|ive been|i have been) (?:seeing|dating|hooking up with|"
        r"sleeping with|going out with)\b|"
        # a bare partner word opening a sentence ("missus went off and glassed me")
        r"(?:^|(?<=[.!?]\s))(?:missus|hubby|wifey|bf|gf|boyfriend|girlfriend|husband|wife|dh|dp|dw|"
        r"fianc[eé]e?|partner)\b(?!')",
        macros))
    other = re.compile(
        r"\b(?:my|our|your|a|an|this|that|some|the|his|her|their)\s+"
        r"(?:(?:late|former|first|second|new|old|current)\s+)?(?:[\w-]+'s\s+)?"
        r"(?!(?:a|an|the)\s)(?:\w+(?:'s)?\s+)?"
        r"(?:ex" + _NOT_EX_ROLE + r"|ex" + _NOT_EX_ROLE + r"-?\w+|"
        r"dad|da|mam|mammy|maw|father|stepdad|step-?father|mom|mum|mother|step-?mom|step-?mum|"
        r"step-?mother|brother|"
        r"twin(?!s)|sister|"
        r"step-?brother|step-?sister|uncle|aunt|cousin|grand(?:pa|father|ma|mother|son|daughter)|"
        r"boss|manager|supervisor|co-?worker|colleague|neighbou?r|stranger|roommate|flatmate|"
        r"housemate|roomie|lodger|landlord|teacher|tutor|coach|classmate|in-laws?|in laws?|"
        r"(?:mother|father|brother|sister)-in-law|son|daughter|step-?son|step-?daughter|guy|man|"
        r"woman|girl|boy|lad|bloke|dude|client|customer|pastor|priest|date|hook-?up|friend|mate|bestie|bff|"
        r"bouncer|driver|uber driver|doctor|carer|caregiver|care worker|aide|support worker|pa|"
        r"lowlife|junkie|thug|mugger|robber|creep|sergeant|sarge|lieutenant|"
        r"match(?= (?:put|spiked|drugged|slipped|grabbed|followed|hit|raped|assaulted|choked|"
        r"forced|touched|threatened|stalked|keeps|kept|won'?t))|"
        r"platoon|squad|nco|corporal|lance corporal|senior airman|airman|drill instructor|"
        r"instructor|gunny|petty officer|staff sergeant|commander|commanding officer|"
        r"chain of command|"
        r"passenger(?! seat| side| door| window)|chef|head chef|sous chef|"
        r"personal assistant|punter|madam|employer|"
        r"agent|recruiter|coordinator|care coordinator|landlady|pimp|trafficker|kafeel|sir|lady|"
        r"home help|warden|owner|farm owner|"
        r"(?:night|care|day|agency) staff|staff at|"
        r"officer|cop|ta|family|brothers|guys|men|group of \w+|gang|professor|prof|lecturer|"
        r"senior|seniors|advisor|adviser|lads|captain|frat brothers?|"
        r"patient|charge nurse|consultant|registrar|doctors|"
        # work, stage and screen, online and community roles
        r"director|producer|showrunner|promoter|tour manager|stage manager|choreographer|"
        r"conductor|bandmate|band ?mates|guitarist|bassist|drummer|singer|lead singer|"
        r"keyboardist|castmate|cast member|co-?star|understudy|photographer|bodyguard|"
        r"security guard|security team|roadie|crew member|ceo|founder|team lead|foreman|"
        r"contractor|subbie|subcontractor|tradie|labourer|sparky|brickie|"
        r"leading hand|charge ?hand|gaffer|site manager|shift (?:manager|lead|boss)|"
        r"dispatcher|toolpusher|ganger|team leader|line manager|depot manager|bosun|skipper|"
        r"dealer|old dealer|sponsee|house manager|key ?worker|case manager|"
        r"regular|supplier|business partner|investor|creditor|debt collector|bailiff|"
        r"loan shark|metamour|meta|rope top|dungeon master|play partner|cofounder|co-founder|"
        r"partner i report to|senior partner|managing partner|equity partner|supervising partner|"
        r"birth (?:mum|mom|dad|father|mother|parents?|family)|host|supported lodgings host|"
        r"head ?teacher|head of (?:department|year|school|maths|english|science)|deputy head|"
        r"assistant head|senco|teaching assistant|head(?= (?:keeps|kept|has|had|grabbed|touched|"
        r"called|shouted|pulled|pushed|made|makes|cornered|said|says))|"
        r"mentor|trainer|personal trainer|fans|stalker|"
        r"fan(?= (?:has|had|was|is|keeps|kept|who|that|of mine|sent|sends|followed|showed|turned|"
        r"grabbed|messaged|found|knows|waited|waits))|harasser|troll|follower|viewer|"
        r"subscriber|"
        r"sub(?= (?:keeps|kept|has|had|is|was|who|sent|sends|found|knows|messaged|texted))|"
        r"moderator|streamer|teammate|team-mate|guildmate|raid leader|nephew|niece|"
        r"godfather|imam|rabbi|deacon|"
        r"bishop|minister|vicar|youth leader|scout leader|"
        r"tenant|babysitter|nanny|ayi|amah|maid|housekeeper|domestic helper|"
        r"(?:first|second|third|fourth|final) years|older students|"
        r"upperclassmen|"
        r"grandparents?|mil|fil|sil|bil|(?:mother|father|sister|brother) in law|"
        r"saas|sasur|nanad|jethani|devrani|bhabhi)"
        # "her dad's safe", "my sister's car": the thing named, not a doer
        r"(?!'?s\s+(?:safe|car|truck|van|funeral|birthday|wedding|phone|account|money|ashes|"
        r"grave|stuff|things|care order|school|nursery|bedroom|cot|toys|passport|documents|"
        r"placement|adoption|contact|meds|medication)\b)(?:'?s)?\b"
        # "the guy on the news" is no one in the user's life
        r"(?! (?:on|in|from) (?:the )?(?:news|tv|telly|film|movie|show|documentary)\b)|"
        r"\bex" + _NOT_EX_ROLE + r"(?:-\w+)?\b|"
        r"\b(?:former|previous) (?:partner|husband|wife|boyfriend|girlfriend|spouse|bf|gf|"
        r"fianc\w+)\b|"
        r"\b(?:someone|somebody|a stranger|some guy|this guy|a guy|a man|some bloke|this bloke|"
        r"a bloke|some woman|this woman|a woman|some lad|some fella|this fella)\b|"
        # someone else's partner: "her husband", "his wife" (never the user's own)
        + THEIR_PARTNER + r"|"
        # "followed by 3 guys", "two men grabbed me" ("we're two men" is the couple)
        r"(?<!feed )(?<!feeding )(?<!for )(?<!cook for )"
        r"\b(?:\d+|three|four|five|six|several|(?<!'re )(?<!are )(?<!between )two)\s+"
        r"(?:guys|men|women|girls|boys|lads|blokes|dudes|strangers|people|teenagers|teens)\b|"
        # someone else's partner: "a patient's husband", "my cousin's husband"
        + OTHERS_PARTNER + r"|"
        # "my 16 yr old stepson"
        r"\b(?:my|our|his|her)\s+\d{1,2}[- ]?(?:yr|year)s?[- ]old\s+(?:step-?)?(?:son|daughter|kid|"
        r"brother|sister|nephew|niece|cousin)\b|"
        r"(?:^|[.!?]\s*)(?:(?:grindr|tinder|hinge|bumble|app|online) (?:hook-?up|date|guy|match)|"
        r"hook-?up|sir|man|guy|woman|men|guys|stranger|coworker|co-worker|neighbou?r|landlord|"
        r"team captain|captain|coach|"
        r"mil|fil|sil|bil|"
        r"landlady|boss|manager|roommate|flatmate|housemate|cousin|uncle|aunt|stepdad|"
        r"leading hand|charge ?hand|foreman|supervisor|gaffer|team leader|line manager|"
        r"shift (?:manager|lead|boss)|dispatcher|dealer|"
        r"(?:step[- ]?)?(?:brother|sister|dad|father|mum|mom|mother))\b|"
        r"(?:^|[.!?]\s*)(?:birth )?(?:mum|mom|dad|stepdad|stepmum|stepmom)'?s (?:new )?(?:\w+)\b|"
        # a bare "fella at the bowls club" opening a sentence: someone placed elsewhere, not the
        # user's "fella"
        r"(?:^|[.!?]\s*)(?:fella|bloke|chap|lad|bird)\s+(?:at|from|down|in|on) (?:the|my|our|his|"
        r"her|work)\b"
    )
    prefilter = Prefilter(rules, [r.rx.pattern for r in rules], cache_dir=_cache_dir())
    return Compiled(rules=tuple(rules), mods=mods, partner_actor=partner, other_actor=other,
                    prefilter=prefilter)
