"""Quality check for generated replies: the rules a model's text must meet before it is shown.

Complements `safety.guard` (which checks harm): here we check length, repetition, invented
statistics, sources that are not among the chosen cards, the model calling itself a therapist,
and that the reply ends with a question or a next step. Any violation -> the composer's draft.
`check_partial` runs only the checks a prefix can already decide, for streaming.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from amante.engine.speak import SpeakRequest

MIN_WORDS = 15
MAX_WORDS = 260

_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|a hundred|hundred|a thousand|thousand)"
)
_BIG = r"(?:dozens|scores|hundreds|thousands|tens of thousands|millions)"
_SUBJECTS = (
    r"(?:couples|studies|participants|marriages|people|partners|spouses|relationships|"
    r"researchers|experiments|trials|surveys|respondents|families|adults|patients|subjects|"
    r"divorces|newlyweds|cases|papers)"
)
_STAT = re.compile(
    "|".join(
        [
            r"\d+(?:[.,]\d+)?\s*(?:%|percent\b|per\s?cent\b)",
            r"\b(?:\d+|" + _NUMBER_WORDS + r")\s+(?:in|out of)\s+(?:\d+|every\s+)?"
            r"(?:\d+|" + _NUMBER_WORDS + r")\b(?:\s+\w+){0,2}\s+" + _SUBJECTS,
            r"\b\d[\d,.]*\s+(?:\w+\s+)?" + _SUBJECTS + r"\b",
            r"\b" + _BIG + r"\s+of\s+(?:\w+\s+)?" + _SUBJECTS + r"\b",
            r"\b(?:studies|research|statistics|surveys|data|science|scientists|researchers)"
            r"\s+(?:\w+\s+)?(?:shows?|showed|has shown|have shown|proves?|proved|has proven|"
            r"have proven|confirms?|says)\b",
            r"\b(?:scientifically|clinically) proven\b",
            r"\b(?:\d+|twice|three times|four times|five times|ten times)\s+(?:times\s+)?"
            r"(?:as|more|less)\s+likely\b",
            r"\b(?:\d+|" + _NUMBER_WORDS + r")\s*(?::|to)\s*(?:1|one)\s+ratio\b",
            r"\b(?:\d+|decades|years)\s+(?:years\s+)?of\s+(?:research|studies|study)\b",
            r"\b(?:a|one|the)\s+(?:study|survey|paper)\s+(?:of|with|involving)\s+"
            r"(?:\d|" + _BIG + r")",
        ]
    ),
    re.IGNORECASE,
)

_NAME = r"[A-Z][A-Za-z'\u2019\u00c0-\u017f-]+"
_AUTHORS = (
    _NAME + r"(?:\s*,\s*" + _NAME + r")*(?:\s*,?\s*(?:&|and)\s+" + _NAME + r")?"
    r"(?:\s+et\s+al\.?)?"
)
_YEAR = r"(?:19|20)\d{2}[a-z]?"
_CITATION = re.compile(
    # (Gottman & Silver, 1999) / Gottman, 1999 / Gottman et al. (2005) / Gottman (1999)
    r"(?P<authors>" + _AUTHORS + r")(?:'s|\u2019s)?\s*(?:,\s*|\(\s*)(?P<year>" + _YEAR + r")\b"
)
_NOT_AUTHORS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "In",
    "Since",
    "From",
    "By",
    "Until",
    "Before",
    "After",
    "During",
    "Around",
    "Spring",
    "Summer",
    "Autumn",
    "Fall",
    "Winter",
    "The",
    "And",
    "Of",
}

_THERAPY_SELF = re.compile(
    r"\b(?:i'?m|i\s+am|i\u2019m|as\s+your|speaking\s+as)\s+(?:(?:not\s+)?(?:your|an?)\s+)?"
    r"(?:ai\s+|virtual\s+|online\s+|digital\s+|licensed\s+|trained\s+|professional\s+)?"
    r"(?:therapist|psychologist|psychiatrist|psychotherapist|counsel+or|clinician)\b"
    r"|\bas\s+an?\s+(?:\w+\s+)?(?:therapist|psychologist|counsel+or),\s+i\b"
    r"|\b(?:this|our|in\s+our|during\s+our|today'?s)\s+(?:therapy|psychotherapy|counsel+ing)"
    r"(?:\s+(?:session|sessions|work|together|is)\b)"
    r"|\bthis\s+(?:is|app\s+is|service\s+is|conversation\s+is)\s+(?:a\s+(?:form|kind)\s+of\s+)?"
    r"(?:therapy|psychotherapy|counsel+ing)\b"
    r"|\bas\s+part\s+of\s+(?:your|our)\s+therapy\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:not|never|no)\b|n'?t\b|n\u2019t\b", re.IGNORECASE)

_STEP_CUES = re.compile(
    r"\b(?:try|start|pick|choose|write|notice|plan|set aside|ask|tell|share|practi[cs]e|"
    r"take|give|let me know|this week|today|tonight|tomorrow|next time|first step|step|"
    r"you could|you might|consider|invite|schedule|agree)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
_WORD = re.compile(r"[\w'\u2019]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def sentences(text: str) -> list[str]:
    """Split into sentences on end punctuation followed by space (good enough for checks)."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


_BOUNDARY = re.compile(r"[.!?\u2026][\"'\u2019\u201d)\]]*(?=\s)|\n")


def sentence_end(text: str) -> int:
    """Index just after the last complete sentence (0 if none yet): while streaming, the text
    before it can be checked and shown, the rest waits for more tokens."""
    last = 0
    for m in _BOUNDARY.finditer(text):
        last = m.end()
    return last


def _norm(text: str) -> str:
    return " ".join(_words(text))


def _grounding_text(request: SpeakRequest) -> str:
    """Text the reply may legitimately echo (numbers in a card step are not invented)."""
    parts = [request.draft]
    for card in request.cards:
        parts += [card.summary, card.when_to_use, card.example, *card.steps]
    return _norm(" ".join(parts))


def _surnames(author: str) -> set[str]:
    """Surnames in an author string like 'Gottman, J. M., & Silver, N.' or 'Brené Brown'."""
    names = re.findall(r"([A-Z][A-Za-z'\u2019\u00c0-\u017f-]{1,})(?=,)", author)
    if not names:
        names = re.findall(r"[A-Z][A-Za-z'\u2019\u00c0-\u017f-]{1,}", author)[-1:]
    return {n.lower() for n in names}


def allowed_sources(request: SpeakRequest) -> list[tuple[set[str], str]]:
    """(surnames, year) for every source on the chosen cards."""
    return [(_surnames(s.author), str(s.year)) for card in request.cards for s in card.sources]


def citations(text: str) -> list[tuple[list[str], str, str]]:
    """Author-year citations found in text: (surnames, year, matched text)."""
    found = []
    for m in _CITATION.finditer(text):
        names = [
            n
            for n in re.findall(_NAME, m.group("authors"))
            if n not in _NOT_AUTHORS and n.lower() not in {"and", "et"}
        ]
        if names:
            found.append(([n.lower() for n in names], m.group("year")[:4], m.group(0)))
    return found


def _invented_statistic(text: str, grounding: str) -> bool:
    return any(_norm(m.group(0)) not in grounding for m in _STAT.finditer(text))


def _unknown_source(text: str, allowed: Iterable[tuple[set[str], str]]) -> bool:
    allowed = list(allowed)
    for names, year, _ in citations(text):
        if not any(year == y and set(names) & surnames for surnames, y in allowed):
            return True
    return False


def _therapy_self(text: str) -> bool:
    for m in _THERAPY_SELF.finditer(text):
        window = text[max(0, m.start() - 12) : m.end()]
        if not _NEGATION.search(window):
            return True
    return False


def check_partial(text_so_far: str, request: SpeakRequest) -> list[str]:
    """Violations already certain on a prefix of the reply (for checking while streaming)."""
    violations = []
    if _invented_statistic(text_so_far, _grounding_text(request)):
        violations.append("invented_statistic")
    if _unknown_source(text_so_far, allowed_sources(request)):
        violations.append("unknown_source")
    if _therapy_self(text_so_far):
        violations.append("self_description_therapy")
    return violations


def _repeats(reply: str) -> list[str]:
    found = []
    paragraphs = [_norm(p) for p in re.split(r"\n\s*\n", reply) if len(_words(p)) >= 4]
    if len(paragraphs) != len(set(paragraphs)):
        found.append("repeated_paragraph")
    sents = [_norm(s) for s in sentences(reply) if len(_words(s)) >= 4]
    if len(sents) != len(set(sents)):
        found.append("repeated_sentence")
    words = _words(reply)
    grams = Counter(tuple(words[i : i + 6]) for i in range(len(words) - 5))
    if grams and grams.most_common(1)[0][1] >= 3 and "repeated_sentence" not in found:
        found.append("repeated_sentence")
    return found


def _has_ending(reply: str) -> bool:
    """Lenient: a question anywhere, or a next-step cue in the last two sentences."""
    if "?" in reply or "\uff1f" in reply:
        return True
    tail = " ".join(sentences(reply)[-2:])
    return bool(_STEP_CUES.search(tail))


def check_reply(reply: str, request: SpeakRequest) -> list[str]:
    """All violation codes for a finished reply (empty list: fine to show)."""
    violations = []
    n = len(_words(reply))
    if n < MIN_WORDS:
        violations.append("too_short")
    elif n > MAX_WORDS:
        violations.append("too_long")
    violations += _repeats(reply)
    violations += check_partial(reply, request)
    if n >= MIN_WORDS and not _has_ending(reply):
        violations.append("no_ending")
    return violations
