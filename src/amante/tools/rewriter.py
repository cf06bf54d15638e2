"""The conflict rewriter: mark the Four Horsemen and blame in a draft message, explain each in
one sentence, and propose a gentle start-up ("I feel ... about ... I need ...") that keeps the
user's facts (names, times, things, named events) and leaves the attacks out.

Gentle start-up: describe the situation, say how you feel and what you need, without blame
(Gottman & Silver, 1999; Carrère & Gottman, 1999). The built-in version is deterministic:
the same draft and `variant` give the same rewrite, and each variant words it differently.
If the safety screen finds threats or abuse in the draft, no rewrite is offered: the result
carries a safety notice instead, because polishing a threat is never the coach's job.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from amante.engine.types import Finding
from amante.engine.understand.horsemen import detect_horsemen
from amante.tools.errors import EmptyText, ToolError

__all__ = [
    "EXPLANATIONS",
    "MAX_DRAFT_CHARS",
    "VARIANTS",
    "Facts",
    "Mark",
    "RewriteResult",
    "SafetyNotice",
    "detect_blame",
    "extract_facts",
    "rewrite",
]

MAX_DRAFT_CHARS = 4000
VARIANTS = 3
_F = re.IGNORECASE

EXPLANATIONS: dict[str, str] = {
    "criticism": (
        "Criticism attacks who your partner is (\"always\", \"never\", \"you're so...\") "
        "instead of naming one situation, so it invites a counter-attack."
    ),
    "contempt": (
        "Contempt (insults, mockery, sarcasm, eye-rolling) says \"I'm above you\"; it is the "
        "most damaging of the four and makes repair very hard."
    ),
    "defensiveness": (
        "Defensiveness turns the complaint back on your partner; it feels protective but tells "
        "them their concern does not count."
    ),
    "stonewalling": (
        "Stonewalling shuts the conversation down; saying you need a break and when you will "
        "come back keeps the door open."
    ),
    "blame": (
        "Blame puts the whole problem on your partner, so they are likely to defend themselves "
        "instead of hearing what you need."
    ),
    "demand": (
        "An order (\"you need to\", \"you should have\") tells your partner what to do instead "
        "of asking, which usually gets resistance rather than help."
    ),
}

# --- blame and demands (the horsemen come from the engine's detector) ----------------------
_BLAME_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(p, _F)) for kind, p in (
        ("blame", r"\b(?:it'?s|this is|that'?s|it was|this was|that was|all)\s+(?:all\s+)?"
                  r"(?:your|his|her|their)\s+fault\b"),
        ("blame", r"\b(?:all\s+)?because of you\b"),
        ("blame", r"\bthanks to you\b"),
        ("blame", r"\byou (?:made|make|makes) me\b[^.!?,;\n]{0,40}"),
        ("blame", r"\byou (?:ruined|ruin|wrecked|wreck|spoiled|spoilt|spoil|destroyed|"
                  r"messed up|screwed up)\b[^.!?,;\n]{0,40}"),
        ("blame", r"\byou(?:'re| are) (?:the one|to blame|responsible) (?:who|for|that)\b"
                  r"[^.!?,;\n]{0,40}"),
        ("blame", r"\byou (?:caused|cause)\b[^.!?,;\n]{0,40}"),
        ("blame", r"\b(?:the|your) (?:problem|issue) is (?:you|that you)\b[^.!?,;\n]{0,40}"),
        ("blame", r"\bhow many (?:more )?times do I have to\b[^.!?,;\n]{0,50}"),
        ("blame", r"\bwhy (?:can't|can not|cannot|don't|won't|didn't|couldn't|wouldn't) you "
                  r"(?:ever |just |even )?[^.!?,;\n]{0,50}"),
        ("blame", r"\bI(?:'m| am) (?:so )?(?:sick|tired|fed up)(?: and tired)? of\b"
                  r"[^.!?,;\n]{0,50}"),
        ("blame", r"\bas usual\b|\blike always\b|\bas always\b"),
        ("demand", r"\byou (?:need|have|had better|better) to\b[^.!?,;\n]{0,40}"),
        ("demand", r"\byou (?:should|shouldn't|ought to)(?:'ve| have| not have)?\b"
                   r"[^.!?,;\n]{0,40}"),
        ("demand", r"(?:^|(?<=[.!?,;:]\s)|(?<=[.!?,;:])|(?<=\bjust\s)|(?<=\n))"
                   r"(?:grow up|get over it|deal with it|figure it out|man up|calm down)\b"),
    )
)

# --- threats: the draft-specific safety net (the engine's screen runs first) -------------
_THREATS = re.compile(
    r"\b(?:I(?:'ll| will| am going to|'m going to|'m gonna| gonna) "
    r"(?:kill|hurt|hit|beat|strangle|choke|stab|shoot|destroy|ruin|end) (?:you|him|her|them)\b|"
    r"I(?:'ll| will) (?:make|make sure) you (?:pay|regret|suffer|sorry)\b|"
    r"you(?:'ll| will) (?:regret|pay for) (?:this|it|that)\b|"
    r"you(?:'ll| will) never see (?:the kids|the children|your (?:kids|children|son|daughter))|"
    r"I(?:'ll| will) take the (?:kids|children)\b|"
    r"I know where you (?:are|live|work)\b|watch your back\b|or else\b|"
    r"I(?:'ll| will) (?:post|share|send|leak) (?:your|the|those) (?:photos|pictures|pics|"
    r"videos|nudes)\b|"
    r"I(?:'ll| will) (?:kill|hurt) myself if you\b)",
    _F,
)
_TAKEOVER = {"self_harm", "medical_emergency", "harm_from_partner", "harm_from_others",
             "child_safety", "harm_to_others", "coercive_control", "covert_surveillance",
             "manipulation", "threat"}
_RESOURCE_KINDS = {
    "self_harm": ("emergency", "crisis_line"),
    "medical_emergency": ("emergency",),
    "harm_from_partner": ("emergency", "domestic_violence"),
    "harm_from_others": ("emergency", "domestic_violence"),
    "coercive_control": ("domestic_violence",),
    "child_safety": ("emergency",),
}

# --- fact vocabulary ----------------------------------------------------------------------
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|"
          r"december)")
_NUMWORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|a few)"
_TIME_RE = re.compile(
    rf"\b(?:(?:last|this|next|on|every|that)\s+)?{_DAY}(?:\s+(?:night|morning|evening|"
    rf"afternoon))?\b|"
    r"\b(?:last|this|next|that|tomorrow|yesterday)\s+(?:night|week|weekend|month|year|"
    r"morning|evening|afternoon|time)\b|"
    r"\b(?:yesterday|today|tonight|tomorrow|this morning|this evening|this afternoon|"
    r"the other day|the other night)\b|"
    rf"\b(?:on |in )?{_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?\b|"
    rf"\b(?:on the )?\d{{1,2}}(?:st|nd|rd|th)(?: of {_MONTH})?\b|"
    r"\bat\s+\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|o'clock)?|"
    r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|"
    rf"\bfor\s+{_NUMWORD}\s+(?:minutes?|hours?|days?|weeks?|months?)\b|"
    rf"\b{_NUMWORD}\s+(?:minutes?|hours?|days?|weeks?|months?)\s+(?:late|ago|early)\b|"
    r"\b(?:at|for|during|after|before) (?:dinner|lunch|breakfast|christmas|thanksgiving|"
    r"easter|new year'?s(?: eve)?|the weekend|the holidays|work|school)\b",
    _F,
)
_MONEY_RE = re.compile(
    r"[$£€]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|grand))?|\b\d[\d,]*(?:\.\d+)?\s?(?:dollars|pounds|"
    r"euros|bucks|quid|rupees)\b",
    _F,
)
_DETERMINERS = r"(?:the|my|our|your|his|her|their|this|that|these|those)"
_STOP_NOUN = {
    "way", "time", "thing", "things", "stuff", "one", "point", "fact", "problem", "issue",
    "same", "whole", "only", "first", "last", "other", "lot", "end", "kind", "sort", "rest",
    "fault", "reason", "worst", "best", "most", "least", "moment", "day", "night", "week",
    "morning", "evening", "usual", "truth", "part", "side", "mess", "hell", "idea",
    "times", "ones", "days", "nights", "weeks", "years", "minutes", "hours", "conversation",
    "discussion", "talk", "argument", "fight", "attitude", "face", "mouth", "problems",
}
_BREAK_WORDS = {"last", "next", "this", "that", "every", "yesterday", "today", "tonight",
                "tomorrow", "again"}
_ADJ_DROP = re.compile(
    r"^(?:stupid|idiotic|dumb|pathetic|ridiculous|precious|little|so-called|silly|"
    r"useless|lazy|selfish|damn|bloody|freaking|fucking|crappy|stupid-ass|whole|entire|"
    r"same|usual|constant|endless|never-ending|other|own|new|old|big|only|last|first|"
    r"next|one|two|three)$",
    _F,
)
_FUNCTION = {
    "a", "an", "the", "and", "or", "but", "to", "of", "in", "on", "at", "for", "with", "from",
    "by", "up", "out", "off", "about", "into", "over", "after", "before", "again", "is", "was",
    "are", "were", "be", "been", "it", "that", "this", "you", "me", "i", "we", "they", "he",
    "she", "him", "her", "them", "us", "my", "your", "our", "their", "his", "its", "when",
    "while", "if", "so", "as", "like", "then", "than", "just", "even", "still", "too", "not",
    "no", "never", "always", "every", "all", "any", "some", "because", "what", "which", "who",
    "how", "why", "where", "can", "could", "would", "should", "will", "do", "did", "does",
    "have", "has", "had", "get", "got", "go", "went", "there", "here", "now", "ever",
    "anything", "nothing", "something", "everything", "once", "let", "make", "made",
}
_NAME_STOP = {
    "I", "I'm", "I've", "I'd", "I'll", "OK", "Ok", "You", "Your", "We", "My", "The", "It",
    "This", "That", "And", "But", "So", "Why", "How", "What", "When", "Where", "Who", "Do",
    "Don't", "Did", "Didn't", "Can", "Can't", "Is", "Are", "Was", "Were", "If", "Oh", "Well",
    "Yes", "No", "Yeah", "Sorry", "Thanks", "Please", "Just", "Again", "Seriously", "Honestly",
    "Whatever", "Wow", "Great", "Nice", "Fine", "Not", "Never", "Always", "Every", "There",
    "Here", "Now", "Then", "Also", "Even", "Still", "Maybe", "Because", "Or", "Of", "To",
    "In", "On", "At", "For", "With", "Like", "As", "Thank", "Dear", "Hey", "Hi",
    "Stop", "Grow", "Get", "Let", "Look", "Go", "Come", "Have", "Has", "Had", "Will", "Would",
    "Should", "Could", "Nobody", "Everyone", "Everybody", "Nothing", "Something", "Sure",
}
_EVENT_NOUN = (r"(?:birthday|party|wedding|anniversary|dinner|lunch|breakfast|barbecue|bbq|"
               r"concert|game|match|recital|appointment|meeting|interview|funeral|graduation|"
               r"trip|holiday|vacation|visit|date|show|play|event|reunion|christening|"
               r"baby shower|housewarming|presentation|surgery|check-up|exam|test)")
_EVENT_RE = re.compile(
    rf"\b(?:[A-Z][a-z]+(?:'s|’s)\s+(?:\w+\s+)?{_EVENT_NOUN}|"
    rf"(?:the|our|my|your|his|her|their)\s+(?:[a-z]+\s+)?{_EVENT_NOUN})\b"
)
_POSSESSIVE_NAME = re.compile(r"\b([A-Z][a-z]+)(?:'s|’s)\b")
_INTENSIFIERS = re.compile(
    r"\b(?:always|never|constantly|continually|forever|literally|seriously|honestly|"
    r"totally|completely|absolutely|ever|even|once again|again|as usual|like always|"
    r"for once|for god'?s sake|for christ'?s sake|damn|bloody|freaking|fucking|effing)\b\s*",
    _F,
)

# --- feelings and needs -------------------------------------------------------------------
_FEELING_CUES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(p, _F), words) for p, words in (
        (r"\b(?:alone|lonely|ignored|invisible|on your phone|phone|not listening|don'?t listen|"
         r"never listen|shut me out|walk away|walked away|left me on read|ghost)",
         ("lonely", "hurt", "left out")),
        (r"\b(?:embarrass\w*|humiliat\w*|in front of)", ("embarrassed", "hurt", "exposed")),
        (r"\b(?:worried|scared|afraid|anxious|safe|where were you|didn'?t call|no call|"
         r"didn'?t text|no text)", ("worried", "anxious", "uneasy")),
        (r"\b(?:forgot|forget|forgotten|missed|didn'?t show|no-show|stood me up|birthday|"
         r"anniversary|promised|promise)", ("let down", "disappointed", "hurt")),
        (r"\b(?:chores?|dishes|laundry|trash|rubbish|bins?|clean\w*|mess|housework|cook\w*|"
         r"groceries|everything myself|do everything|all the work)",
         ("overwhelmed", "tired", "stretched thin")),
        (r"\b(?:late|waiting|waited|on time|hours?|minutes?)",
         ("frustrated", "stressed", "let down")),
        (r"\b(?:money|spent|spend\w*|bills?|rent|credit card|debt|budget|bought)",
         ("anxious", "worried", "uneasy")),
        (r"\b(?:sex|touch|affection|kiss|hug|cuddle|intima\w*)",
         ("lonely", "rejected", "far from you")),
    )
)
_FAMILY_FEELINGS = {
    "anger": ("frustrated", "upset", "hurt"),
    "disgust": ("upset", "uncomfortable", "hurt"),
    "fear": ("worried", "anxious", "uneasy"),
    "sadness": ("sad", "hurt", "let down"),
    "surprise": ("thrown", "confused", "unsettled"),
    "joy": ("unsettled", "unsure", "torn"),
    "neutral": ("frustrated", "upset", "unsettled"),
}
_NEED_CUES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(p, _F), needs) for p, needs in (
        (r"\b(?:chores?|dishes|laundry|trash|rubbish|bins?|clean\w*|mess|housework|cook\w*|"
         r"groceries|everything myself|do everything|all the work|kids?|children|school)",
         ("us to share the load in a way that feels fair to both of us",
          "to feel like we are a team with the everyday jobs",
          "a plan for who does what, so it doesn't all land on me")),
        (r"\b(?:late|waiting|waited|on time|didn'?t call|didn'?t text|no call|no text|"
         r"where were you)",
         ("to be able to count on the times we agree on",
          "a quick message when plans change, so I'm not left wondering",
          "us to agree on times we can both keep")),
        (r"\b(?:phone|listen\w*|ignor\w*|talk to me|not hearing|tv|screen|game)",
         ("to feel listened to when I talk to you",
          "some time with your full attention",
          "to know you're with me when we talk")),
        (r"\b(?:money|spent|spend\w*|bills?|rent|credit card|debt|budget|bought)",
         ("us to make money decisions together",
          "us to agree on a budget we can both live with",
          "to talk before big purchases")),
        (r"\b(?:mother|mom|mum|dad|father|family|parents|in-laws?|sister|brother)",
         ("to feel that we face family things as a team",
          "us to agree together on how we handle family plans",
          "to know you're on my side with family")),
        (r"\b(?:forgot|forget|birthday|anniversary|promised|promise|missed)",
         ("to feel that the things that matter to me matter to you too",
          "to know I can count on you for the important days",
          "us to find a way to keep track of what matters to each of us")),
        (r"\b(?:sex|touch|affection|kiss|hug|cuddle|intima\w*)",
         ("more closeness between us",
          "us to talk about what closeness means to each of us",
          "to feel wanted and close to you")),
    )
)
_NEED_BY_LABEL = {
    "heard": ("to feel heard when I bring something up", "to know you understand how this "
              "feels for me", "you to listen to me before we look for a fix"),
    "appreciated": ("to know that what I do is noticed", "some appreciation for what I put in",
                    "to hear that my effort matters to you"),
    "safe": ("to feel safe bringing this up with you", "us to talk about this calmly",
             "to feel secure that we're okay"),
    "close": ("to feel close to you again", "some time that is just for us",
              "more moments where we really connect"),
    "respected": ("us to speak to each other with respect, even when we disagree",
                  "my view to count when we decide things", "us to treat each other as equals"),
    "free": ("a bit of room to decide some things for myself", "some time of my own",
             "us to trust each other with some space"),
}
_DEFAULT_NEEDS = ("us to talk about this calmly and find something that works for both of us",
                  "to sort this out together with you",
                  "us to understand each other on this")
_OPENERS = ("", "Can I share something that's on my mind? ", "I want to talk about something, "
            "and I want to do it kindly. ")
_OWN_PART = ("I know I have a part in this too.", "I can see some of this is on me as well.",
             "I want to own my side of this too.")
_BREAKS = ("Right now I need a short break to calm down, and I'd like to come back to this in "
           "an hour.", "I'm feeling flooded, so I'm taking twenty minutes to settle, and then I "
           "want to pick this up again.", "Can we pause for a bit and talk again after dinner? "
           "I do want to sort this out.")
_REQUESTS = ("Could we talk about it tonight and find a plan together?",
             "Would you be up for sitting down this week to work it out together?",
             "Can we find a time to talk it through, just the two of us?")


# --- results ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mark:
    """One marked span of the draft: a horseman or blame, with a one-sentence explanation."""

    label: str
    kind: str  # "horseman" or "blame"
    start: int
    end: int
    text: str
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Facts:
    """What the rewrite must keep: names, times, things and named events."""

    names: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    things: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.events, *self.names, *self.things, *self.times]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SafetyNotice:
    """Returned instead of a rewrite when the draft shows threats, abuse or crisis."""

    level: str
    categories: list[str]
    message: str
    resources: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RewriteResult:
    draft: str
    marks: list[Mark]
    rewrite: str | None
    variant: int
    variants: int
    facts: Facts
    feeling: str | None = None
    need: str | None = None
    safety: SafetyNotice | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def horsemen(self) -> list[str]:
        return sorted({m.label for m in self.marks if m.kind == "horseman"})

    def to_dict(self) -> dict[str, Any]:
        return {
            "draft": self.draft, "marks": [m.to_dict() for m in self.marks],
            "horsemen": self.horsemen, "rewrite": self.rewrite, "variant": self.variant,
            "variants": self.variants, "facts": self.facts.to_dict(), "feeling": self.feeling,
            "need": self.need, "safety": self.safety.to_dict() if self.safety else None,
            "notes": list(self.notes),
        }


# --- detection ----------------------------------------------------------------------------
def detect_blame(text: str) -> list[Finding]:
    """Blame and orders ("it's your fault", "you made me", "you need to"), with spans."""
    found: list[tuple[int, int, str]] = []
    for kind, pattern in _BLAME_RULES:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            while end > start and text[end - 1] in " \t,;:-\"'":
                end -= 1
            if end > start:
                found.append((start, end, kind))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    kept: list[tuple[int, int, str]] = []
    for s, e, k in found:
        if any(s < ke and ks < e for ks, ke, _ in kept):
            continue
        kept.append((s, e, k))
    return [Finding(k, text[s:e], s, e) for s, e, k in sorted(kept)]


def _marks(text: str) -> list[Mark]:
    marks = [Mark(f.label, "horseman", f.start, f.end, f.evidence, EXPLANATIONS[f.label])
             for f in detect_horsemen(text)]
    for f in detect_blame(text):
        if any(m.start <= f.start and f.end <= m.end for m in marks):
            continue  # already inside a horseman span
        marks.append(Mark(f.label, "blame", f.start, f.end, f.evidence, EXPLANATIONS[f.label]))
    return sorted(marks, key=lambda m: (m.start, m.end))


# --- facts --------------------------------------------------------------------------------
def _sentence_starts(text: str) -> set[int]:
    starts = {0}
    for m in re.finditer(r"[.!?\n]+[\"')\]]*\s*", text):
        starts.add(m.end())
    return starts


def _add(bucket: list[str], value: str) -> None:
    value = value.strip(" ,.;:!?\"'")
    if value and value.lower() not in {v.lower() for v in bucket}:
        bucket.append(value)


def extract_facts(text: str) -> Facts:
    """Names, times, things and named events in a draft (kept by the rewrite)."""
    facts = Facts()
    taken: list[tuple[int, int]] = []
    for m in _TIME_RE.finditer(text):
        _add(facts.times, m.group(0))
        taken.append((m.start(), m.end()))
    event_spans: list[tuple[int, int]] = []
    for m in _EVENT_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        words = m.group(0).split()
        words = [w for i, w in enumerate(words) if i == 0 or not _ADJ_DROP.match(w)]
        _add(facts.events, " ".join(words))
        event_spans.append((m.start(), m.end()))
    for m in _MONEY_RE.finditer(text):
        _add(facts.things, m.group(0))
        taken.append((m.start(), m.end()))
    starts = _sentence_starts(text)
    for m in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b", text):
        word = m.group(0)
        first = word.split()[0]
        if first in _NAME_STOP or any(s <= m.start() < e for s, e in taken + event_spans):
            continue
        if _TIME_RE.fullmatch(word):
            continue
        possessive = text[m.end():m.end() + 2] in ("'s", "’s")
        if m.start() in starts and not possessive:
            continue
        _add(facts.names, word)
    for det_m in re.finditer(rf"\b{_DETERMINERS}\b", text, _F):
        if any(s <= det_m.start() < e for s, e in taken):
            continue
        follow = re.match(r"\s+((?:[\w'’-]+\s+){0,2}[\w'’-]+)", text[det_m.end():])
        if not follow:
            continue
        det = det_m.group(0)
        head: list[str] = []
        for w in follow.group(1).split():
            if w.lower() in _FUNCTION or w.lower() in _BREAK_WORDS:
                break
            if _ADJ_DROP.match(w):
                continue
            head.append(w)
        for i, w in enumerate(head):
            if re.search(r"['’]s$", w):
                head = [*head[:i], w[:-2]]
                break
        while len(head) > 1 and re.search(r"(?:ed|ing)$", head[-1]) and not head[-1].endswith(
                ("thing", "ceiling", "wedding", "building", "evening", "morning", "meeting")):
            head.pop()
        if not head or head[-1].lower() in _STOP_NOUN or head[-1].lower().endswith("ly"):
            continue
        if re.search(r"ed$", head[0], _F) and len(head[0]) > 4:
            continue
        if _TIME_RE.fullmatch(" ".join(head)):
            continue
        det = det.lower() if det_m.start() in starts else det
        _add(facts.things, f"{det} {' '.join(head)}")
    low_things = [t.lower() for t in facts.things]
    facts.events = [e for e in facts.events
                    if not any(e.lower() in t and e.lower() != t for t in low_things)]
    facts.things = [t for t in facts.things
                    if not any(t.lower() in e.lower() for e in facts.events)]
    return facts


# --- the rewrite --------------------------------------------------------------------------
def _clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans: split on sentence ends, semicolons, commas and ' but '."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?;\n]+|,\s+|\s+but\s+|\s+and\s+(?=(?:you|I|we|he|she|they)\b)",
                         text, _F):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _clean_clause(clause: str) -> str:
    out = _INTENSIFIERS.sub("", clause)
    out = re.sub(r"\s{2,}", " ", out).strip(" ,;:-\"'")
    out = re.sub(r"^(?:and|but|so|oh|well|look|listen|seriously|honestly)\b[\s,]*", "", out,
                 flags=_F)
    return out.strip()


_QUESTIONISH = re.compile(r"^(?:why|how come|what|who|do|does|did|can|can't|could|would|"
                          r"will|won't|is|are|was|were)\b", _F)
_OBSERVATION_OK = re.compile(
    r"\b(?:you|I|we)\s+(?:forgot|left|came|got|said|told|spent|bought|missed|didn'?t|did not|"
    r"haven'?t|hasn'?t|were|was|went|took|made plans|booked|cancelled|canceled|invited|"
    r"waited|had|stayed|drove|picked|arrived|moved|sent|answered|promised|agreed|planned|"
    r"asked|texted|called|walked|played|watched|ate|used|borrowed|lost|broke|changed|"
    r"decided|put|kept|hung|worked|cooked|cleaned|did)\b",
    _F,
)


def _observations(draft: str, marks: list[Mark]) -> list[str]:
    """Clauses that describe what happened without attacking (kept close to the user's words)."""
    out: list[str] = []
    for s, e in _clauses(draft):
        if any(m.start < e and s < m.end for m in marks):
            continue
        raw = draft[s:e]
        clause = _clean_clause(raw)
        if len(clause.split()) < 3 or _QUESTIONISH.match(clause) or "?" in raw:
            continue
        if not _OBSERVATION_OK.search(clause):
            continue
        if detect_horsemen(clause) or detect_blame(clause):
            continue
        clause = clause[0].lower() + clause[1:] if not clause.startswith("I ") else clause
        out.append(clause)
    return out[:2]


def _pick(options: tuple[str, ...], variant: int) -> str:
    return options[variant % len(options)]


def _feeling(draft: str, variant: int) -> str:
    for pattern, words in _FEELING_CUES:
        if pattern.search(draft):
            return _pick(words, variant)
    family = "neutral"
    try:
        from amante.engine.understand.emotions import ekman_of, predict_emotions

        labels = [lab for lab in predict_emotions(draft) if lab.label != "neutral"]
        if labels:
            family = ekman_of(labels[0].label) or "neutral"
    except Exception:  # the model is optional here: fall back to a plain word
        family = "neutral"
    return _pick(_FAMILY_FEELINGS[family], variant)


def _need(draft: str, variant: int) -> str:
    for pattern, needs in _NEED_CUES:
        if pattern.search(draft):
            return _pick(needs, variant)
    from amante.engine.understand.intent import detect_needs

    labels = detect_needs(draft)
    if labels:
        return _pick(_NEED_BY_LABEL.get(labels[0].label, _DEFAULT_NEEDS), variant)
    return _pick(_DEFAULT_NEEDS, variant)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_DURATION = re.compile(r"^(?:for\s|\S+\s+(?:minutes?|hours?|days?|weeks?|months?)\s)", _F)


def _when(time: str) -> str:
    """A point in time as it reads after a noun: "Friday" -> "on Friday"."""
    if re.fullmatch(rf"{_DAY}(?:\s+\w+)?", time, _F):
        return f"on {time}"
    if re.fullmatch(rf"{_MONTH}", time, _F):
        return f"in {time}"
    first, _, rest = time.partition(" ")
    if rest and first.lower() in ("at", "on", "in", "for", "during", "after", "before", "last",
                                  "this", "next", "that"):
        return f"{first.lower()} {rest}"
    return time


def _about(facts: Facts) -> str:
    subjects = [*facts.events, *facts.things][:3]
    names = [n for n in facts.names if not any(n in s for s in subjects)][:2]
    points = [t for t in facts.times if not _DURATION.match(t)]
    spans = [t for t in facts.times if _DURATION.match(t)]
    parts = subjects + names
    if parts:
        about = _join(parts)
        if points:
            about += f" {_when(points[0])}"
    elif points:
        about = f"what happened {_when(points[0])}"
    else:
        about = "what has been happening between us"
    if spans:
        span = spans[0]
        about += f" and being {span}" if span.lower().endswith(("late", "early")) else f" ({span})"
    return about


def _facts_missing(text: str, facts: Facts) -> list[str]:
    low = text.lower()
    return [f for f in facts.all() if f.lower() not in low]


def _sentence_upto(text: str, mark: Mark) -> str:
    """The sentence holding `mark`, up to the mark's end (who is doing it?)."""
    start = max(text.rfind(c, 0, mark.start) for c in ".!?\n") + 1
    return text[start:mark.end]


def _compose(
    draft: str, marks: list[Mark], facts: Facts, variant: int, observe: bool = True
) -> tuple[str, str, str]:
    feeling = _feeling(draft, variant)
    need = _need(draft, variant)
    about = _about(facts)
    observations = _observations(draft, marks) if observe else []
    parts = [f"{_pick(_OPENERS, variant)}I feel {feeling} about {about}."]
    if observations:
        lead = ("From my side, this is what happened: ", "What I noticed is that ",
                "For me, it was that ")[variant % 3]
        parts.append(lead + "; ".join(observations) + ".")
    labels = {m.label for m in marks}
    if "defensiveness" in labels:
        parts.append(_pick(_OWN_PART, variant))
    parts.append(f"I need {need}.")
    own_stonewall = any(m.label == "stonewalling" and not re.search(
        r"\b(?:you|he|she|they|his|her|their)\b", _sentence_upto(draft, m), _F) for m in marks)
    if own_stonewall:
        parts.append(_pick(_BREAKS, variant))
    missing = _facts_missing(" ".join(parts), facts)
    if missing:
        parts.append(f"I'm thinking of {_join(missing)}.")
    if not own_stonewall:
        parts.append(_pick(_REQUESTS, variant))
    return " ".join(p.strip() for p in parts), feeling, need


def _guarded(text: str) -> bool:
    return not detect_horsemen(text) and not detect_blame(text)


def _resources(categories: list[str], region: str) -> list[dict[str, str]]:
    kinds: list[str] = []
    for cat in categories:
        for kind in _RESOURCE_KINDS.get(cat, ("emergency", "crisis_line")):
            if kind not in kinds:
                kinds.append(kind)
    try:
        from amante.engine.safety.resources import pick
    except ImportError:
        return []
    return [r.to_dict() for r in pick(region, [*kinds, "directory"])]


def _safety(draft: str, region: str = "INTL") -> SafetyNotice | None:
    try:
        from amante.engine.safety import screen
    except ImportError:
        screen = None
    level, categories = "none", []
    if screen is not None:
        result = screen(draft)
        if result.flagged:
            cats = set(result.categories)
            if result.level == "crisis" or cats & _TAKEOVER or result.refuse:
                level, categories = result.level, sorted(cats) or ["refuse"]
    if level == "none" and _THREATS.search(draft):
        level, categories = "elevated", ["threat"]
    if level == "none":
        return None
    if {"self_harm", "suicide"} & set(categories):
        message = (
            "amante won't rewrite this message. It sounds like you might be in a lot of pain "
            "right now. If you are thinking about hurting yourself, please contact a crisis "
            "line or your local emergency number now; you deserve support today."
        )
    elif {"harm_from_partner", "harm_from_others", "coercive_control", "child_safety",
          "medical_emergency"} & set(categories):
        message = (
            "amante won't rewrite this message, because what you describe sounds unsafe. "
            "Your safety comes first, not the wording. If you are in danger now, call your "
            "local emergency number. A domestic abuse helpline can talk it through with you "
            "in confidence and help you plan what to do next."
        )
    else:
        message = (
            "amante won't rewrite this message: it contains a threat or words that could "
            "frighten or harm someone. If you feel you might hurt someone, step away now and "
            "talk to someone you trust or a crisis line. If you are the one who is afraid, "
            "your safety comes first: contact a domestic abuse helpline or your local "
            "emergency number."
        )
    return SafetyNotice(level, categories, message, _resources(categories, region))


def rewrite(draft: str, variant: int = 0, region: str = "INTL") -> RewriteResult:
    """Mark the draft and propose a gentle start-up; `variant` gives another wording.

    Raises EmptyText for an empty draft and ToolError for one that is too long or a bad
    variant. A flagged draft returns `rewrite=None` with `safety` set.
    """
    if not isinstance(draft, str):
        raise ToolError("the draft must be text")
    text = draft.strip()
    if not text:
        raise EmptyText("the draft is empty: paste the message you want to send")
    if len(text) > MAX_DRAFT_CHARS:
        raise ToolError(f"the draft is {len(text)} characters; the limit is {MAX_DRAFT_CHARS}")
    if isinstance(variant, bool) or not isinstance(variant, int) or variant < 0:
        raise ToolError(f"variant {variant!r} must be a whole number of 0 or more")
    marks = _marks(text)
    facts = extract_facts(text)
    safety = _safety(text, region)
    if safety is not None:
        return RewriteResult(text, marks, None, variant, VARIANTS, facts, safety=safety,
                             notes=["No rewrite: the safety rules take over for this draft."])
    notes: list[str] = []
    if not marks:
        notes.append("No Four Horsemen or blame found; the rewrite is only a suggestion.")
    composed, feeling, need = _compose(text, marks, facts, variant)
    if not _guarded(composed):
        # A kept phrase still reads as an attack: fall back to the facts alone.
        bare = Facts(facts.names, facts.times, [], facts.events)
        composed, feeling, need = _compose(text, marks, bare, variant, observe=False)
        notes.append("Some details were left out because they read as an attack.")
    return RewriteResult(text, marks, composed, variant, VARIANTS, facts, feeling, need,
                         notes=notes)
