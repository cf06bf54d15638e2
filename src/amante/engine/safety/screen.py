"""The safety screen: runs first on every user message and says how worried to be, and why.

Rules only (no model): reviewed regex triggers from content/safety/patterns.yaml plus modifiers
for negation, hyperbole, third parties, past events in a safe present, fiction/news/hobby/work
framing, and conversation context (earlier distress or an earlier crisis raises ambiguous
statements to crisis).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from amante.engine.types import Finding, SafetyContext, SafetyLevel, SafetyResult

from .patterns import CATEGORIES, OTHERS_PARTNER, THEIR_PARTNER, Compiled, Rule, compiled
from .spelling import canonicalize

_LEVEL_RANK = {"none": 0, "elevated": 1, "crisis": 2}
_SENTENCE_END = re.compile(r"[.!?\n;]+")
_CLAUSE_END = re.compile(r"[.!?\n;,:]+|\bbut\b|\bthough\b|\bhowever\b")
_TOKEN = re.compile(r"[a-z']+")
_CONDITIONAL = frozenset({"i", "you", "we"})
_ABUSE_CATS = ("harm_from_partner", "coercive_control", "harm_from_others")
_REQUEST_CATS = ("harm_to_others", "covert_surveillance", "manipulation")
_NEAR = 200
_DENIAL = re.compile(r"\b(?:not|never|no|nothing|nobody|don'?t|doesn'?t|didn'?t|isn'?t|won'?t|"
                     r"wouldn'?t|wasn'?t|haven'?t|hasn'?t|dont|doesnt|didnt|isnt|wont)\b")
_C: Compiled = compiled()
_BOTH_HARMS = ("harm_from_partner", "harm_from_others")
# a threat the doer has carried out before, or meant: "he'll break my arm like he did in March"
_DONE_BEFORE = re.compile(
    r"\blike (?:he|she|they) did (?:in|last|before|the other)\b|\b(?:looked like|said|swore) "
    r"(?:he|she|they) meant it\b"
)
# findings whose doer the rule itself fixes (a partner just left, a doer named earlier in the
# conversation): the actor head must not swap them
_FIXED_ACTOR = frozenset(
    {r.id for r in _C.rules if r.category in _BOTH_HARMS}
    | {"ctx_abuse"}
)


@dataclass
class _Hit:
    category: str
    level: SafetyLevel
    start: int
    end: int
    refuse: bool = False
    third_party: bool = False
    rule: str = ""
    dismissed: bool = False


_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\t": " "}
)
# filter-dodging spellings: a digit or symbol for a letter inside a word ("su1c1de", "h1t",
# "r@ped", "b3at"); only between letters, so "3am", "2 years" and "$50" stay as they are
_LEET = re.compile(r"(?<=[a-z])[013457@$]{1,2}(?=[a-z])")
_LEET_MAP = str.maketrans("013457@$", "oieastas")


def normalize(text: str) -> str:
    """Lower-case, straighten quotes and undo letter-for-digit spellings without changing
    length, so offsets stay valid."""
    out = text.lower()
    if len(out) != len(text):  # rare Unicode case changes: fall back to a 1:1 map
        out = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return _LEET.sub(lambda m: m.group(0).translate(_LEET_MAP), out.translate(_QUOTES))


def _last_boundary(rx: re.Pattern[str], text: str, pos: int) -> int:
    start = 0
    for m in rx.finditer(text, 0, pos):
        start = m.end()
    return start


# "I don't have any urge to hurt the baby": a denied urge reaches four words on
_INTENT_WORDS = frozenset({"urge", "urges", "desire", "intention", "intent", "plan", "plans",
                           "thoughts", "wish"})
# "none of this is about wanting to die": the message denies what follows
_DENIED_ABOUT = re.compile(
    r"\b(?:none of (?:this|it|that)(?: is| was|'s)?|"
    r"(?:this|it|that) (?:isn'?t|is not|'s not|was not|wasn'?t)|(?:this|it|that)'s not) "
    r"(?:really |actually |even |at all )?about\s+$|"
    # a denial that lists ("never had thoughts of ending things or hurting myself")
    r"\b(?:never|not|no|don'?t|didn'?t|haven'?t) (?:\w+ )?(?:any )?(?:thoughts?|urges?|plans?|"
    r"intentions?|ideas?) (?:of|about) (?:[\w']+ ){1,4}(?:or|nor) $"
)


_SAID = frozenset({"said", "says", "say", "saying", "answered", "replied", "told"})


def _negated(clause_prefix: str, matched: str, rule: Rule) -> bool:
    """A negation cue right before the match (up to two filler words between), or inside it."""
    neg = _C.mods["negation"]
    fillers = _C.mods["negation_fillers"]
    if not rule.negation_inside and neg.search(matched):
        return True
    if _DENIED_ABOUT.search(clause_prefix):
        return True
    tokens = _TOKEN.findall(clause_prefix)
    while tokens and tokens[-1] in ("ever", "really", "actually", "once"):
        tokens = tokens[:-1]  # "nobody's ever touched me": the filler does not undo the denial
    if (
        tokens[-1:] in (["nobody's"], ["nobodys"])
        or tokens[-2:] in (["no", "one's"], ["nobody", "is"])
        or tokens[-3:] == ["no", "one", "is"]
    ):
        return True  # "nobody's hurting my kids" (not "nobody's going to find me")
    for back, tok in enumerate(reversed(tokens[-5:])):
        # the `negation` modifier also names the forms typed without an apostrophe ("havent")
        if neg.fullmatch(tok) or tok.endswith("n't") or tok == "aint":
            at = len(tokens) - 1 - back
            if tok == "no" and at >= 1 and tokens[at - 1] in _SAID:
                return False  # "he said no and took my card": an answer, not a denial
            if at >= 2 and tokens[at - 2] in ("if", "unless") and tokens[at - 1] in _CONDITIONAL:
                return False  # "if i don't, she'll take the dog": a condition, not a denial
            between = tokens[len(tokens) - back :] if back else []
            if tok == "without" and set(between) - {"even", "ever", "any", "really"}:
                return False  # "without him he'll ..." negates only its own object
            if back == 4 and not set(between) & _INTENT_WORDS:
                return False  # four words on, only a denied urge or plan still negates
            return all(fillers.match(t) for t in between)
    return False


# Someone else's words quoted by the user ("my friend texted 'i won't be a problem much
# longer'"): the opening quote right after a reporting verb whose subject is not "i", and no
# closing quote before the match. Single quotes count only at word edges (not "don't").
_REPORTED = re.compile(
    r"\b(?:texted|texts|said|says|wrote|writes|posted|posts|messaged|messages|sent|put|tweeted|"
    r"commented|told (?:me|us|everyone|them)|keeps? saying|kept saying|messaging|texting|posting|"
    r"commenting|typing|dming|spamming|replying)\b"
    r"[^.!?'\"]{0,40}?(?:\"|(?<![a-z0-9])')"
)
_QUOTE_CLOSE = re.compile(r"\"|(?<=[a-z0-9.!?,])'(?![a-z])")
_TO_THE_USER = re.compile(r"\b(?:yourself|urself|your ?self|ur ?self|you should|go die)\b")
_SELF_SUBJECT = re.compile(r"\bi(?:'ve| have| just| then| also)?\s+$")


# after words aimed at the user, the user takes them up ("... and I think I actually will")
_AGREES = re.compile(
    r"\bi (?:think i |might |actually |really |honestly |just )*(?:am going to|'m going to|will|"
    r"should|want to|wanna|might)\b|\bi'?(?:ve| have) got the\b|\bthinking i (?:will|should)\b|"
    r"\b(?:starting to |beginning to )?think (?:he|she|they) (?:had|has|have|was|were|is|are|"
    r"might (?:be|have been)) (?:a point|right)\b"
)


def _in_reported_quote(norm: str, pos: int) -> str | None:
    """Is `pos` inside words the user quotes from someone else? "speaker": about the speaker
    ("she texted 'i want to die'"); "at_user": aimed at the user ("they keep messaging me
    'kys'"), which is harassment, not anyone's own risk; None: not quoted."""
    for m in _REPORTED.finditer(norm, max(0, pos - 200), pos):
        if _SELF_SUBJECT.search(norm[max(0, m.start() - 20) : m.start()]):
            continue
        close = _QUOTE_CLOSE.search(norm, m.end())
        if close is not None and close.start() < pos:
            continue
        quoted = norm[m.end() : close.start() if close else len(norm)]
        return "at_user" if _TO_THE_USER.search(quoted) else "speaker"
    return None


def _is_third_person(sentence_prefix: str) -> bool:
    """Is the nearest subject before the match someone other than the user?"""
    third = list(_C.mods["third_party_subject"].finditer(sentence_prefix))
    first = list(_C.mods["first_person_subject"].finditer(sentence_prefix))
    if not third:
        return False
    if not first:
        return True
    return third[-1].start() > first[-1].start()


def _strict_third(clause_prefix: str) -> bool:
    """A he/she/they subject after the user's last 'I' in the clause (objects don't count)."""
    third = list(_C.mods["third_subject_strict"].finditer(clause_prefix))
    first = list(_C.mods["first_person_subject"].finditer(clause_prefix))
    return bool(third) and (not first or third[-1].start() > first[-1].start())


# a person named right after a harm verb or these prepositions is the object, not the doer
_OBJECT_CUE = re.compile(
    r"\b(?:at|to|with|of|from|off|for|about|near|toward|towards|against|than|hurt|kill|hit|"
    r"beat up|beats up|beaten up|"
    r"hits|slaps|punches|kicks|pushes|shoves|chokes|beats|hurts|grabs|grabbed|mentioned|"
    r"sending|sends|sent|send|"
    r"attacked|beat|marry|married|dating|leave|left|love|loves|texted|texting|emailing|"
    r"messaging|told|tell|blocked|asked|ask|visit|visiting|texts|kiss|kissed|kissing|"
    r"slapped|pushed|shoved|punched|kicked|threatened|threaten|stabbed|shot|choked|strangled|"
    r"grabbed|protect|defend|murder|harm|see|seeing|saw|take|taking|took|keep|keeping|lose|losing|"
    r"raise|raising|pick up|picked up|drop off|dropped off|watch|watching|meet|met|hug|hugged|"
    r"me and|us and|me,|messaged|emailed|called|rang|contacted|followed|follows|telling|tells|"
    r"calls|calling|warned|warning|asking|knows where|know where|where|picks|chooses|books|"
    r"hire|hires|fire|fires|pays|serve|serves)\s+$"
    # "slurs at me and my girlfriend", "messaged my girlfriend": an object, not the doer
)
# "my father's funeral": a possession, not a person ("my mum's boyfriend", "she's been" stay)
_POSSESSIVE_THING = re.compile(
    r"'?s\s+(?!(?:been|got|gonna|going|not|always|never|just|still|so|really|very|here|there|"
    r"outside|back|coming|home|drunk|trying|being|now|a|an|the|threatening|saying|texting|"
    r"calling|following|stalking|hitting|done|said|told|in|at|on|out|up|new|husband|hubby|wife|"
    r"boyfriend|girlfriend|bf|gf|partner|fianc\w*|spouse|ex|dad|father|mom|mum|mother|brother|"
    r"sister|uncle|aunt|cousin|son|daughter|friends?|family|boss|kids?|step\w*)\b)[a-z]"
)
_NAMED_THING = re.compile(
    r"(?:'?s)?\s+(?:name|number|photos?|pictures?|birthday|profile|instagram|posts?)\b"
)
_MENTION = re.compile(r"\b(?:mention(?:ed|s)?|said|say|brought up|bring up|talked about)\s+$")
_PREP_CUE = re.compile(
    r"\b(?:at|to|with|of|from|for|about|near|toward|towards|against|than)\s+$"
)
_COPULA = re.compile(
    r"(?:\b(?:is|was|are|were|be|been|became|become|am)|'s|'m|'re)\s+(?:(?:not|never|just)\s+)?$"
)
_THERE_IS = re.compile(r"\bthere(?:'s|\s+is|\s+was)\s+$")
_PARTNER_IS = re.compile(
    r"\b(?:husband|hubby|wife|partner|boyfriend|girlfriend|bf|gf|fianc\w*)(?:\s+(?:is|was)|'s)\s+"
    r"(?:also\s+|now\s+|basically\s+|officially\s+)?$"
)
_PLURAL_POSSESSIVE = re.compile(r"'\s+[a-z]")
_I_AM = re.compile(r"\b(?:i'?m|i am|im)\s+$")
_ORDER_AGAINST = re.compile(r"\border\s+against\s+$")
_ME_AND_SUBJECT = re.compile(r"(?:^|[.!?]\s*)me\s+and\s+$")


# "is it normal for a guy to ...": a generic person in a question may be the partner
_GENERIC_PERSON = re.compile(r"\b(?:guy|man|woman|girl|boy|person|someone|somebody)$")


def _actor_mentions(rx: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Mentions that can be the doer: not objects ('hurt my mother', 'at my sister's'), not
    predicates ('he's a different man') and not someone's relative's thing ('his mother's
    visit')."""
    out = []
    for m in rx.finditer(text):
        before = text[max(0, m.start() - 20) : m.start()]
        word = m.group(0).lstrip(" .!?")
        # "there's a guy at work who ..." introduces a doer; "there's a guy's name" does not
        there = _THERE_IS.search(before)
        predicate = bool(
            (word.startswith(("a ", "an ")) and _COPULA.search(before) and not there)
            or (word.endswith("'s") and there)
            or (word.startswith(("my ", "the ")) and _PARTNER_IS.search(before))
            or (word.startswith(("his ", "her ", "their ")) and _I_AM.search(before))
        )  # "he's a different man", "my husband is my carer", "I'm her carer"
        # an ex stays in play after a verb ("I blocked my ex ... he"), not after a preposition
        ex = re.search(r"\bex\b|\bex-", word) is not None and (
            not _PREP_CUE.search(before) or _ORDER_AGAINST.search(before) is not None
        )  # "a protection order against my ex": the ex stays the one to fear
        # "me and my flatmate have been fighting" opens a sentence: both are subjects
        me_and = _ME_AND_SUBJECT.search(before) is not None
        subject_of_to = (
            before.endswith("for ")
            and text.startswith(" to ", m.end())
            and not _GENERIC_PERSON.search(word)
        )
        object_cue = _OBJECT_CUE.search(before) and not (ex or subject_of_to or me_and)
        if object_cue or predicate:
            continue  # ("for a coworker to wait by my car": the coworker does it)
        if _POSSESSIVE_THING.match(text, m.end()) and " ex" not in " " + word:
            continue
        if _NAMED_THING.match(text, m.end()) and _MENTION.search(before):
            continue  # "I mentioned my ex's name and he hit me": the ex is only talked about
        if _PLURAL_POSSESSIVE.match(text, m.end()):
            continue  # "the girls' weekend", "the boys' night": a thing, not a doer
        out.append(m)
    return out


_PASSIVE_BY = re.compile(r"\s+by\s+")
_IT_IS = re.compile(
    r"\b(?:it|that)(?:'s| is| was| must be| has to be) (?:probably |definitely |obviously )?"
)
_LIVE_TOGETHER = re.compile(
    r"\b(?:still )?(?:live|living|lives) (?:together|with (?:him|her|them|me))\b"
)
# coercive control by a partner's family ("my husband's mother keeps my documents") stays
# coercive control: the household, not a stranger, holds the power
_PARTNER_FAMILY = re.compile(
    r"\b(?:in-?laws?|\w+-in-law|(?:husband|wife|partner|boyfriend|girlfriend|his|her)'?s? "
    r"(?:family|mother|mum|mom|father|dad|parents|sister|brother))\b[^.!?]{0,80}$"
)


# the user has left the unnamed "he" / "she": a former partner (harm from others)
# (not "I left him", which writers read as a partner the user is fleeing)
_SEPARATED = re.compile(
    r"(?:^|[.!?]\s*)separated (?:\d+|for|since|six|a few|two|three|four|five|last)\b|"
    r"\b(?:last|old) (?:guy|man|woman|girl|person|boy) i (?:dated|was seeing|went out with)\b|"
    r"\bwe (?:split(?: up)?|broke up|separated|divorced)(?= (?:last|in|a |two|three|\d|after|"
    r"years?|months?|weeks?|ages|before|when)|\s*[,.!?]|$)|"
    r"\bsince (?:i|we) (?:split|broke up|separated|divorced)\b|"
    r"\bi left (?:my )?(?:husband|wife|partner|boyfriend|girlfriend|him|her) "
    r"(?:last (?:spring|summer|autumn|fall|winter|year)|in (?:19|20)\d\d|"
    r"(?:two|three|four|five|six|\d+) (?:years|months) ago)\b|"
    r"\bi broke up with (?:him|her|them|[a-z]+)(?= (?:in|last|a |two|three|\d|after|years?|"
    r"months?|weeks?|ages|before|when)|\s*[,.!?]|$)"
)
_HEDGE = re.compile(
    r"(?:i'?m|im) (?:almost |pretty |fairly |\d+% )?(?:sure|certain|positive)|i think|i bet|"
    r"i know|pretty sure|probably|maybe|and|but|i reckon"
)


def _left_partner(text: str) -> bool:
    """The user has split from the unnamed "he" / "she" and no longer lives with them."""
    return bool(_SEPARATED.search(text)) and not _LIVE_TOGETHER.search(text)


# where a nameless assault happened when no partner is named: a date, a party, a stranger
_SETTING_OTHER = re.compile(
    r"\s*(?:[\w']+ ){0,3}?(?:on (?:a|my) (?:first |second |blind |tinder |hinge |bumble )?date|"
    r"at (?:a|the|his|her|their) (?:\w+ )?(?:party|club|bar|pub|festival|concert|gig|frat)|"
    r"by (?:a|some) (?:stranger|guy|man|woman|girl|person|random))\b"
)


def _other_after(norm: str, e: int, other_before: bool) -> bool:
    """Refine the actor with what follows: a passive 'by my ex' names the doer, also a few words
    on ('raped at a party by a friend'); with no one named before, a later "it's my ex" or a
    setting ('on a date', 'at a party') does; an ex the user still lives with is a partner."""
    end = _SENTENCE_END.search(norm, e)
    by = _PASSIVE_BY.search(norm, e, min(e + 60, end.start() if end else len(norm)))
    if by:
        tail = norm[by.end() : by.end() + 60]
        if _actor_mentions(_C.other_actor, tail):
            m_o = _actor_mentions(_C.other_actor, tail)[0].start()
            m_p = [m.start() for m in _actor_mentions(_C.partner_actor, tail)]
            return not m_p or m_o < m_p[0] or bool(_THEIR_PARTNER.match(tail, m_o))
    before = norm[:e]
    if (not other_before and not _actor_mentions(_C.partner_actor, before)
            and not _actor_mentions(_C.other_actor, before)):
        # "it's my ex" in the same sentence or opening the next one ("... It was my brother"),
        # not "yesterday it was my cousin" about something else
        who = _IT_IS.search(norm, e)
        if who and end is not None and who.start() > end.end():
            gap = norm[end.end() : who.start()].strip()
            who = who if not gap or _HEDGE.fullmatch(gap) else None
        if _left_partner(norm):
            return True  # "we split last year ... he keeps showing up": an ex
        return bool(who and _C.other_actor.match(norm, who.end())) or bool(
            _SETTING_OTHER.match(norm, e)
        )
    if other_before and _LIVE_TOGETHER.search(norm):
        last = _actor_mentions(_C.other_actor, before)
        if last and re.search(r"\bex\b|\bex-", last[-1].group(0)):
            return False
    return other_before


def names_only_partner(text: str) -> bool:
    """The message names a partner as a possible doer and no one else (not an ex, a family
    member or a stranger): the rules' partner reading stands against the actor head."""
    norm = normalize(text)
    own = [
        m for m in _actor_mentions(_C.partner_actor, norm)
        if not m.group(0).lstrip(" .!?").startswith(("her ", "his "))  # someone else's partner
        and not norm.startswith("'s", m.end())  # "my baby daddy's new girl": his, not him
    ]
    return bool(own) and not _actor_mentions(_C.other_actor, norm) and not _left_partner(norm)


_OTHER_PERSONS_PARTNER = re.compile(
    r"\b(?:metamour|meta)\b|" + THEIR_PARTNER + "|" + OTHERS_PARTNER
)


def names_other_persons_partner(text: str) -> bool:
    """The message names someone else's partner ("my girlfriend's husband", "her other
    partner", a metamour): the likely doer of harm it describes is not the user's partner."""
    return bool(_OTHER_PERSONS_PARTNER.search(normalize(text)))


# a partner named after someone else only as a witness or confidant ("the director threw a
# chair at me. my boyfriend says that's just theatre", "... my wife is terrified")
_BYSTANDER = re.compile(
    r"(?:'s|\s+is|\s+was)?\s+(?:"
    r"(?:says|said|thinks|thought|reckons|keeps saying)\s+(?:that'?s|it'?s|it was|i should|"
    r"i need to|i'm overreacting|im overreacting|i'm being|we should|to report|to just)|"
    r"(?:terrified|scared|worried|freaking out|asleep|away|at work|out of town|abroad|on nights|"
    r"on (?:a )?(?:night )?shift|on lates)\b|"
    r"(?:says|said) (?:let it go|to let it go|ignore it|to ignore it|it'?s nothing)\b|"
    r"(?:isn'?t|wasn'?t|is not|was not) (?:in the room|in|there|here|around)\b|"
    r"(?:doesn't|does not|didn't|did not) know\b|has no idea\b|"
    r"(?:isn't|is not|wasn't|won't|isnt|wont)\s+(?:picking up|answering|home|around)\b)"
)


def _names_their_partner(mention: re.Match[str]) -> bool:
    """The actor mention is someone else's partner ("her husband")."""
    return bool(_THEIR_PARTNER.fullmatch(mention.group(0).lstrip(" .!?")))


# an ex named in an aside: "since his ex took him to court", "last time i texted my ex"
_EX_ASIDE = re.compile(r"\b(?:my|his|her|the)\s+ex\b")
_ASIDE_BEFORE = re.compile(
    r"(?:\b(?:i|me)\s+(?:[\w']+\s+){0,2}|\b(?:so|though|because|since|when|if|while|unless)\s+)$"
)


def _actor_is_other(text_before: str, their_partner: bool = True) -> bool:
    """Is the nearest named actor before the match someone other than a partner?

    A partner named after that someone only as a witness or confidant does not count. With
    `their_partner` False, someone else's partner ("her husband") is not counted as a doer."""
    p = _actor_mentions(_C.partner_actor, text_before)
    o = _actor_mentions(_C.other_actor, text_before)
    if not their_partner:
        o = [m for m in o if not _names_their_partner(m)]
    if p:  # with a partner named first, an ex the user texts or works around is no doer
        o = [m for m in o if not (m.start() > p[0].start() and _EX_ASIDE.search(m.group(0))
                                  and _ASIDE_BEFORE.search(text_before, 0, m.start()))]
    if not o:
        return False
    if not p:
        return True
    if o[-1].end() >= p[-1].end():
        # the same words read both ways ("her husband", "business partner"): the longer reading
        # or someone else's partner names the doer
        return (
            o[-1].end() > p[-1].end()
            or o[-1].start() < p[-1].start()
            or _names_their_partner(o[-1])
        )
    after = [m for m in p if m.start() >= o[-1].end()]
    return bool(after) and all(_BYSTANDER.match(text_before, m.end()) for m in after)


# "I'm not writing a story": a denied frame is no frame
_FRAME_DENIED = re.compile(r"\b(?:not|n't|never|no)\s+(?:\w+\s+){0,2}$")
# "a guy I met in a game": the game is where they met, not a story
_MET_IN = re.compile(r"\b(?:met|meet|from|know|knew)\s+(?:(?:him|her|them)\s+)?$")


# the user as the one harmed or watched: work talk does not frame it
_ME_TARGETED = re.compile(
    r"\b(?:followed|follows|following|grabbed|grabs|touched|touches|groped|threatened|threatens|"
    r"stalk\w*|cornered|assaulted|attacked|hit|hits|waits? for|waiting for|find|found|watching) "
    r"me\b|\bmy (?:home )?address\b|\bknows? (?:my|what car i|where i)\b|\bam i safe\b|"
    r"\b(?:feel|felt) safe at home\b"
)
_FRAMES = ("frame_fiction", "frame_news", "frame_hobby", "frame_professional")
_STORY_FRAMES = tuple(k for k in _FRAMES if k != "frame_hobby")
_NEWS_OR_FICTION = ("frame_fiction", "frame_news")


def _frame(norm: str, kinds: tuple[str, ...] = _FRAMES) -> bool:
    """A fiction, news, hobby or work frame that the words just before it do not undo."""
    m = _C.mods
    for k in kinds:
        if k == "frame_professional" and _ME_TARGETED.search(norm):
            continue  # a nurse followed home after her shift is not talking about a patient
        for f in m[k].finditer(norm):
            before = norm[max(0, f.start() - 30) : f.start()]
            if not (_FRAME_DENIED.search(before) or _MET_IN.search(before)):
                return True
    return False


# what a distant past told from a safe present rules out (and otherwise lowers to elevated)
_PAST_SAFE_CATEGORIES = (
    "self_harm", "harm_from_partner", "harm_from_others", "coercive_control", "medical_emergency"
)


# "she'd shoot me": the short form of "would", for the future-threat modifier
_WOULD_SHORT = re.compile(r"'d\b")
# someone else's partner named as the doer ("her husband", "his girlfriend")
_THEIR_PARTNER = re.compile(THEIR_PARTNER)
_FIRST_PERSON_OBJECT = re.compile(r"\b(?:me|my|us|our|i|i'm|myself)\b")


# a word in scare quotes says the opposite ("keeps 'accidentally' stomping on my feet"), so it
# cannot rule a match out as an accident, a joke or play
_SCARE_QUOTED = re.compile(
    r"([\"'])(?:accident(?:al|ally)?|by (?:mistake|accident)|joking|joke|kidding|playful(?:ly)?|"
    r"play(?:ing)?|play ?fight\w*|tickl\w*|banter|game|games|lol|fun|clumsy|fell|fall)\1"
)


def _unscare(sentence: str) -> str:
    """`sentence` with scare-quoted excuse words blanked (same length, offsets unchanged)."""
    if "'" not in sentence and '"' not in sentence:
        return sentence
    return _SCARE_QUOTED.sub(lambda m: " " * len(m.group(0)), sentence)


def _match_rule(rule: Rule, norm: str, ctx: _Ctx) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in rule.rx.finditer(norm):
        s, e = m.span()
        matched = m.group(0)
        sent_start = _last_boundary(_SENTENCE_END, norm, s)
        clause_start = _last_boundary(_CLAUSE_END, norm, s)
        sentence_prefix = norm[sent_start:s]
        clause_prefix = norm[clause_start:s]
        sent_end_m = _SENTENCE_END.search(norm, e)
        sentence = norm[sent_start : sent_end_m.end() if sent_end_m else len(norm)]
        after = norm[e : e + 120]
        excluded = (
            (rule.exclude_after is not None and rule.exclude_after.match(after))
            or (rule.exclude_before is not None and rule.exclude_before.search(clause_prefix))
            or (rule.exclude_in is not None and rule.exclude_in.search(_unscare(sentence)))
        )
        if excluded and rule.soft_exclude:
            continue  # the rule's own narrowing, not evidence that the message is safe
        if excluded or (
            _negated(clause_prefix, matched, rule)
            and not _C.mods["negation_recent"].match(after)
        ):  # seen and ruled out: the classifier must not overrule this
            cat0 = "harm_from_partner" if rule.category == "violence" else rule.category
            hits.append(_Hit(cat0, "none", s, e, rule=rule.id, dismissed=True))
            continue
        if rule.require_near is not None and not rule.require_near.search(
            norm[max(0, s - _NEAR) : e + _NEAR]
        ):  # a family rule that needs a danger cue nearby (e.g. a weapon *and* a threat)
            continue
        third = False
        if rule.person == "third":
            third = True
        elif rule.person == "third_only":
            if not _is_third_person(sentence_prefix):
                continue
            third = True
        elif rule.person in ("auto", "notself"):
            third = _is_third_person(sentence_prefix)
            if rule.person == "notself":
                if not third:
                    continue
                third = False
        elif (
            rule.person == "self"
            and rule.category in _REQUEST_CATS
            and not _C.mods["first_person_subject"].match(matched)
            and _strict_third(clause_prefix)
        ):
            continue
        quote = _in_reported_quote(norm, s) if rule.category == "self_harm" and not third else None
        if quote == "at_user":  # "go unalive urself" sent to the user: ask how they are, a
            # crisis only with distress near it ("... and I think I will, I've got the pills")
            agree = _AGREES.search(norm, e, e + 200)
            level_q: SafetyLevel = (
                "crisis" if agree or ctx.distress_without(s, e) else "elevated"
            )
            hits.append(_Hit("self_harm", level_q, s, e, rule=rule.id))
            continue
        if quote == "speaker":
            third = True  # someone else's words, quoted: a worry for them
        friend = ctx.asking_for_friend and third and rule.category in ("self_harm", "violence")
        if friend:
            third = False
        level: SafetyLevel = "crisis" if friend else rule.level  # type: ignore[assignment]
        category = rule.category
        refuse = rule.refuse
        if category == "violence":
            # "asking for a friend: her boyfriend choked her" is the user's own partner
            other = _actor_is_other(norm[:e], their_partner=not ctx.asking_for_friend)
            category = "harm_from_others" if _other_after(norm, e, other) else "harm_from_partner"
            if (
                category == "harm_from_partner"
                and not ctx.names_partner
                and ctx.doer_before_is_other()
            ):  # "he's coming over" after "my ex won't leave me alone": the doer named before
                category = "harm_from_others"
        elif category == "coercive_control":
            before = norm[sent_start:e] if rule.actor_in_match else norm[:s]
            other = _actor_is_other(before, their_partner=False) and not _PARTNER_FAMILY.search(
                before
            )  # "she has to text her husband a photo every hour": control of her, by her partner
            if _other_after(norm, e, other):
                category = "harm_from_others"
        if (
            rule.partner_crisis
            and category == "harm_from_partner"
            and not third
            and _C.partner_actor.search(norm, 0, e)
        ):  # stalking by a named partner is a crisis (by anyone else, or no one named: elevated)
            level = "crisis"
        # framing: fiction, news, hobby, work talk lowers weak rules; sport lowers violence too.
        # A request about the user's own partner ("the best way to guilt-trip my wife ... I'm a
        # cop, I know interview techniques") is lowered only by a story or the news, not by the
        # user's job or hobby
        if (ctx.framed or ctx.context_framed) and not rule.strong and not (
            rule.refuse
            and _C.partner_actor.search(matched)
            and not _frame(norm, _NEWS_OR_FICTION)
            and not ctx.context_framed
        ):
            continue
        if rule.category == "violence" and not rule.sport_proof and (
            ctx.context_hobby
            or (
                _C.mods["frame_hobby"].search(norm)
                and (
                    _C.mods["frame_hobby"].search(sentence)
                    or _C.mods["hyperbole"].search(sentence)
                    or _C.mods["sport_marker"].search(sentence)
                )
            )
        ):  # a hobby just before, in the sentence, or earlier with a joke or the sport's marker
            continue  # ("she got me into fencing. she stabbed me 15 times tonight 🤺")
        if rule.method == "ambiguous":
            if ctx.distress_without(s, e):
                level = "crisis"
            elif _C.mods["frame_benign_travel"].search(norm):
                continue
        if rule.ambiguous and (ctx.prior_self_harm or ctx.distress_without(s, e)):
            level = "crisis"
        threat = norm[max(clause_start, s - 30) : e]  # where a threat's tense is read
        if rule.plan_upgrade and (
            _C.mods["plan"].search(sentence) or _C.mods["plan_strong"].search(norm)
        ):  # a plan in the sentence, or a weapon or a schedule anywhere in the message
            level, refuse = "crisis", True
        elif (
            rule.hyperbole
            and _C.mods["hyperbole"].search(joke := _joke_scope(norm, sentence))
            and not _C.mods["serious"].search(joke)
            and not _C.mods["serious_in_sentence"].search(joke)
            and not _C.mods["serious"].search(norm, e, e + 160)  # "... like really punch him"
            and not (category == "self_harm" and _C.mods["serious_slang"].search(joke))
        ):
            if category == "harm_to_others":
                hits.append(_Hit(category, "none", s, e, rule=rule.id, dismissed=True))
                continue
            level = "elevated"
        elif category in _BOTH_HARMS and (
            (_C.mods["hyperbole"].search(sentence) and _C.mods["future_threat"].search(threat))
            or (
                _C.mods["trivial_cause"].search(sentence)
                and _C.mods["future_threat"].search(_WOULD_SHORT.sub(" would", threat))
                and not _DONE_BEFORE.search(sentence)
            )
        ):  # "she'd stab me with a fork if I ate her dumpling 😂", "she'd shoot me if I price up
            # another job": banter, but ask ("... like he did in March" is no banter)
            level = "elevated"
        if (
            category == "self_harm"  # a recovery milestone says nothing about someone's violence
            and rule.method is None
            and ctx.milestone_safe
            and not _C.mods["present_wish"].search(norm[max(clause_start, s - 16) : e])
        ):
            continue  # "clean 8 years now ... she saw the scars last night": a safe present
        if (
            category in _PAST_SAFE_CATEGORIES
            and rule.method is None
            and ctx.past_distant
            and not ctx.present_risk
            and not (
                _C.mods["present_wish"].search(norm[max(clause_start, s - 16) : e])
                and not _C.mods["past_distant"].search(clause_prefix)
            )
        ):
            if ctx.safe_now:
                continue  # also "years ago I overdosed ... ten years clean"
            if category != "medical_emergency":
                level = "elevated"  # an emergency told without a safe present stays one
        if third and category == "self_harm" and rule.method != "direct":
            level = "elevated"
        hits.append(_Hit(category, level, s, e, refuse, third, rule.id))
        if (
            category in _BOTH_HARMS
            and not friend
            and (third or not _FIRST_PERSON_OBJECT.search(matched))
            and _THEIR_PARTNER.search(norm, max(0, s - 200), e)
        ):
            # "my friend told me her husband chokes her": abuse of someone else by their own
            # partner (the third-party abuse reply), and harm by someone other than the user's
            # partner
            twin = "harm_from_others" if category == "harm_from_partner" else "harm_from_partner"
            hits.append(_Hit(twin, level, s, e, refuse, third, rule.id))
        for extra in rule.also:
            hits.append(_Hit(extra, level, s, e, False, third, rule.id))
    return hits


def _joke_scope(norm: str, sentence: str) -> str:
    """Where a joke marker counts: the sentence, or the start of the message when the sentence
    is a bare word or two ("kms. he found my cringe fanfic")."""
    return sentence if len(_TOKEN.findall(sentence)) > 3 else norm[:400]


class _Ctx:
    """Per-message facts the rules consult, computed lazily once."""

    def __init__(self, norm: str, context: SafetyContext | None) -> None:
        m = _C.mods
        self.norm = norm
        self.framed = _frame(norm)
        self.asking_for_friend = bool(m["asking_for_a_friend"].search(norm))
        # a milestone puts a harm in the past only when the message names one: months sober
        # from drink or drugs say nothing about a rope bought today or a partner's fists
        milestone = m["milestone"].search(norm) and m["milestone_harm"].search(norm)
        self.past_distant = bool(m["past_distant"].search(norm) or milestone)
        # a recovery milestone celebrated ("3 years since I last cut ... celebrating tonight")
        # is past and safe unless the message says it came back
        self.safe_now = bool(m["safe_now"].search(norm))
        self.present_risk = bool(m["present_risk"].search(norm))
        self.milestone_safe = (
            bool(milestone)
            and bool(self.safe_now or m["milestone_glad"].search(norm))
            and not m["relapse"].search(norm)
        )
        prev_texts = context.previous_user_texts if context else ()
        prev_levels = context.previous_levels if context else ()
        prev_cats = context.previous_categories if context else ()
        self.prior_crisis = "crisis" in prev_levels
        self.prior_self_harm = "self_harm" in prev_cats or (
            self.prior_crisis and not any(c in _ABUSE_CATS for c in prev_cats)
        )
        self.prior_abuse = any(c in _ABUSE_CATS for c in prev_cats)
        self.prior_others_only = others_only(prev_cats)
        # the last eight earlier messages, normalised once for every check below
        self._earlier = [canonicalize(normalize(t))[0] for t in prev_texts[-8:]]
        self.prior_distress = any(m["distress"].search(t) for t in self._earlier)
        self._distress_spans = [x.span() for x in m["distress"].finditer(norm)]
        # the last two messages set a frame (a sport, a film, a shift at work) and nothing
        # earlier was worrying: a short "he choked me" after judo practice is the same story
        self.context_hobby = self.context_framed = False
        if prev_texts and not (self.prior_distress or self.prior_abuse or self.prior_crisis
                               or self.prior_self_harm):
            recent = self._earlier[-2:]
            self.context_hobby = any(m["frame_hobby"].search(t) for t in recent)
            self.context_framed = any(_frame(t) or m["frame_context"].search(t) for t in recent)

    @cached_property
    def names_partner(self) -> bool:
        """This message names a partner who can be the doer."""
        return bool(_actor_mentions(_C.partner_actor, self.norm))

    @cached_property
    def _prior_actor_other(self) -> bool:
        # the last doer the earlier messages named ("my stepdad drinks ... he's beaten me
        # before"): someone other than a partner
        joined = " . ".join(self._earlier[-3:])
        return bool(joined) and (
            _actor_is_other(joined)
            or (_left_partner(joined) and not _actor_mentions(_C.partner_actor, joined))
        )

    def doer_before_is_other(self) -> bool:
        """The earlier messages' doer is someone other than a partner, and stays the doer here:
        their findings named only others, or they last named someone else and this message
        names no partner."""
        return self.prior_others_only or (self._prior_actor_other and not self.names_partner)

    def distress_without(self, s: int, e: int) -> bool:
        """Distress earlier in the conversation, or near [s, e) in this message (not inside it).

        Near means within _NEAR characters, so a long story doesn't turn a passing phrase
        into a crisis."""
        if self.prior_distress or self.prior_self_harm:
            return True
        return any(
            (de <= s and s - de <= _NEAR) or (ds >= e and ds - e <= _NEAR)
            for ds, de in self._distress_spans
        )


def screen_rules(text: str, context: SafetyContext | None = None) -> ScreenResult:
    """The rule layer alone: reviewed triggers, spelling-tolerant, with all modifiers."""
    return _screen_rules(text, context)[0]


def _screen_rules(
    text: str, context: SafetyContext | None
) -> tuple[ScreenResult, str, _Ctx]:
    """The rule layer, plus the respelled text and its facts for the classifier to reuse."""
    norm, index = canonicalize(normalize(text or ""))
    ctx = _Ctx(norm, context)
    hits: list[_Hit] = []
    for rule in _C.prefilter.candidates(norm):  # only rules whose required words occur
        if rule.rx.search(norm):
            hits.extend(_match_rule(rule, norm, ctx))
    # conversation context: danger that is present now after abuse was disclosed earlier
    if ctx.prior_abuse and not any(h.category in _ABUSE_CATS and not h.dismissed for h in hits):
        m = _C.mods["abuse_present"].search(norm)
        if m:  # the doer is whoever the earlier messages named ("my ex smashed ..." -> others)
            cat = "harm_from_others" if ctx.doer_before_is_other() else "harm_from_partner"
            hits.append(_Hit(cat, "crisis", m.start(), m.end(), rule="ctx_abuse"))
    # after a self-harm crisis, fresh distress keeps the watch on
    if ctx.prior_self_harm and not any(h.category == "self_harm" for h in hits):
        m = _C.mods["distress"].search(norm)
        if m:
            hits.append(_Hit("self_harm", "elevated", m.start(), m.end(), rule="ctx_distress"))
    if index is not None:  # map spans in the respelled text back to the user's text
        for h in hits:
            h.start, h.end = index[h.start], max(index[h.start] + 1, index[max(h.end - 1, 0)] + 1)
    return _result(text, hits), norm, ctx


def message_modifiers(text: str) -> dict[str, bool]:
    """Message-level facts the classifier respects: framing, past-and-safe, jokes, other actor."""
    norm, _ = canonicalize(normalize(text or ""))
    return _modifiers(norm, _Ctx(norm, None))


class _Facts(dict):  # type: ignore[type-arg]
    """Message-level facts, a dict of bools to its readers, each worked out on first look: most
    messages raise no head, and the hyperbole and actor checks alone took 1 to 2 ms of a long
    message."""

    def __init__(self, lazy: dict[str, Callable[[], object]], **ready: bool) -> None:
        super().__init__(**ready)
        self._lazy = lazy

    def __missing__(self, key: str) -> bool:
        value = self[key] = bool(self._lazy[key]())  # KeyError for a fact that does not exist
        return value

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        return self[key] if key in self or key in self._lazy else default


def _modifiers(norm: str, ctx: _Ctx) -> dict[str, bool]:
    m = _C.mods
    past_safe = ctx.past_distant and ctx.safe_now and not ctx.present_risk
    # a hobby frame alone ("his hunting trip") says nothing about a request to spy on or
    # guilt-trip a partner; a story, the news or work talk does
    return _Facts(
        {
            "framed_story": lambda: ctx.framed and _frame(norm, _STORY_FRAMES),
            "negation": lambda: _DENIAL.search(norm),
            "hyperbole": lambda: m["hyperbole"].search(norm),
            "other_actor": lambda: _actor_is_other(norm),
            "leisure_plan": lambda: m["leisure_plan"].search(norm)
            and not m["distress"].search(norm),
            "medical_minor": lambda: m["medical_minor"].search(norm),
        },
        framed=ctx.framed, past_safe=past_safe, milestone_safe=ctx.milestone_safe,
    )


def others_only(categories: Iterable[str]) -> bool:
    """Did earlier findings name only someone other than a partner as the doer?"""
    cats = set(categories)
    return "harm_from_others" in cats and not cats & {"harm_from_partner", "coercive_control"}


def context_framed(context: SafetyContext | None) -> bool:
    """Did the last messages set a fiction/news/hobby/work frame, with nothing worrying before?"""
    return bool(context and _Ctx("", context).context_framed)


def screen(text: str, context: SafetyContext | None = None) -> SafetyResult:
    """Screen one user message (and what came before) for crisis, abuse and harmful requests.

    Rules first; then the learned classifier may raise (never lower) the level when the rules
    missed a paraphrase. Without the embedding model the rules decide alone."""
    result, norm, ctx = _screen_rules(text, context)
    from .classifier import raise_with_classifier  # local: keeps rules importable alone

    mods = _modifiers(norm, ctx)
    mods["context_framed"] = ctx.context_framed
    return raise_with_classifier(text or "", result, context, mods)


def _result(text: str, all_hits: list[_Hit]) -> ScreenResult:
    hits = [h for h in all_hits if not h.dismissed]
    dismissed = sorted({h.category for h in all_hits if h.dismissed})
    if not hits:
        return ScreenResult(dismissed=dismissed)
    best: dict[str, int] = {}
    for h in hits:
        best[h.category] = max(best.get(h.category, 0), _LEVEL_RANK[h.level])
    top = max(best.values())
    level: SafetyLevel = "crisis" if top == 2 else "elevated" if top == 1 else "none"
    cats = [c for c in CATEGORIES if c in best]
    seen: set[tuple[str, int, int]] = set()
    evidence: list[Finding] = []
    for h in sorted(hits, key=lambda h: (-_LEVEL_RANK[h.level], h.start)):
        key = (h.category, h.start, h.end)
        if key in seen:
            continue
        seen.add(key)
        evidence.append(Finding(h.category, text[h.start : h.end], h.start, h.end))
    refuse = any(h.refuse for h in hits)
    third_cats = [c for c in cats if all(h.third_party for h in hits if h.category == c)]
    third = set(cats) <= {*third_cats, "medical_emergency"} and bool(third_cats)
    return ScreenResult(
        level=level,
        categories=cats,
        evidence=evidence,
        refuse=refuse,
        third_party=third,
        third_party_categories=third_cats,
        rules=sorted({h.rule for h in hits}),
        dismissed=dismissed,
        actor_fixed=any(h.rule in _FIXED_ACTOR for h in hits),
    )


@dataclass
class ScreenResult(SafetyResult):
    """A SafetyResult plus why: the rule ids that fired and whether it is about someone else."""

    third_party: bool = False
    third_party_categories: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    dismissed: list[str] = field(default_factory=list)  # matched, then ruled out (e.g. negated)
    actor_fixed: bool = False  # the doer (partner or someone else) is fixed by rule or context


def third_party_only(result: SafetyResult) -> bool:
    """True when the self-harm or abuse findings are all about someone else (help-them replies)."""
    return bool(getattr(result, "third_party", False))


def third_party_in(result: SafetyResult, category: str) -> bool:
    """True when every finding of this category is about someone else."""
    return category in getattr(result, "third_party_categories", ())
