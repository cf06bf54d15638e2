"""Pull who/what/when facts out of a message: partner's name and role, stage, length, issues."""

from __future__ import annotations

import re

from amante.engine.types import Fact

ROLES = {
    "husband": "he",
    "wife": "she",
    "partner": "they",
    "boyfriend": "he",
    "girlfriend": "she",
    "bf": "he",
    "gf": "she",
    "fiance": "they",
    "fiancé": "he",
    "fiancee": "she",
    "fiancée": "she",
    "spouse": "they",
    "ex": "they",
    "ex-husband": "he",
    "ex-wife": "she",
    "ex-boyfriend": "he",
    "ex-girlfriend": "she",
    "ex-partner": "they",
}
_ROLE_RE = "|".join(sorted((re.escape(r) for r in ROLES), key=len, reverse=True))
# Capitalised words that follow "my wife" but are not names.
_NOT_NAMES = {
    "I",
    "And",
    "But",
    "So",
    "He",
    "She",
    "They",
    "We",
    "It",
    "Is",
    "Has",
    "Was",
    "Just",
    "Never",
    "Always",
    "Said",
    "Says",
    "Told",
    "Keeps",
    "Thinks",
    "Wants",
    "Doesn't",
    "Does",
    "Did",
    "The",
    "Then",
    "When",
    "Who",
    "Lately",
    "Today",
    "Yesterday",
    "Also",
    "Still",
    "Really",
}

_PARTNER_NAMED = re.compile(
    rf"\b(?i:my)\s+(?P<role>(?i:{_ROLE_RE}))\s*(?:,\s*|\s+(?:is\s+)?(?:called|named)\s+|\s+)"
    r"(?P<name>[A-Z][a-z]{1,20}(?:-[A-Z][a-z]+)?)\b"
)
_NAME_IS_PARTNER = re.compile(
    rf"\b(?P<name>[A-Z][a-z]{{1,20}})\s*(?:,|is|\()\s*(?i:my)\s+(?P<role>(?i:{_ROLE_RE}))\b"
)
_PARTNER_ROLE = re.compile(rf"\bmy\s+(?P<role>{_ROLE_RE})\b", re.IGNORECASE)
_USER_NAME = re.compile(
    r"\b(?:my name is|my name's|call me)\s+(?P<name>[A-Z][a-z]{1,20})\b", re.IGNORECASE
)
_LENGTH = re.compile(
    r"\b(?:we(?:'ve| have)? been|been)\s+(?P<what>together|married|dating|seeing each other)"
    r"\s+(?:for\s+)?(?:about\s+|almost\s+|over\s+|nearly\s+)?"
    r"(?P<n>\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)\s+"
    r"(?P<unit>years?|months?|weeks?)\b",
    re.IGNORECASE,
)
_STAGE = [
    (
        "married",
        re.compile(
            r"\b(?:we(?:'re| are) married|been married|my (?:husband|wife|spouse)"
            r"|we got married)\b",
            re.I,
        ),
    ),
    (
        "engaged",
        re.compile(
            r"\b(?:we(?:'re| are|'ve| have)(?: just)? (?:got )?engaged|my fianc[eé]e?)\b", re.I
        ),
    ),
    (
        "separated",
        re.compile(r"\b(?:we(?:'re| are) separated|we separated|getting divorced|my ex)\b", re.I),
    ),
    (
        "living together",
        re.compile(r"\b(?:we live together|moved in together|living together)\b", re.I),
    ),
    ("long distance", re.compile(r"\blong[- ]distance\b", re.I)),
    (
        "dating",
        re.compile(
            r"\b(?:we(?:'ve| have)? (?:just )?started dating|we(?:'re| are) dating"
            r"|my (?:boyfriend|girlfriend|bf|gf))\b",
            re.I,
        ),
    ),
]
_ISSUE = re.compile(
    r"\b(?:we|i|they)\s+(?:always|keep|constantly|often|still|never stop)\s+"
    r"(?:fighting|arguing|fight|argue|bicker|bickering)\s+(?:about|over)\s+(?P<what>[^.,;!?]{3,60})",
    re.IGNORECASE,
)
_ISSUE_SIMPLE = re.compile(
    r"\b(?:fight|argue|argument|arguments|fights)\s+(?:about|over)\s+(?P<what>[^.,;!?]{3,40})",
    re.IGNORECASE,
)
_KIDS = re.compile(
    r"\b(?:our|my)\s+(?P<kid>son|daughter|kids|children|baby|toddler|stepson|stepdaughter)\b", re.I
)


def _clean_issue(what: str) -> str:
    words = what.strip().split()
    stop = {"and", "but", "because", "when", "which", "then", "so"}
    out: list[str] = []
    for w in words[:7]:
        if w.lower() in stop:
            break
        out.append(w)
    return " ".join(out).rstrip(" .").lower()


def extract_facts(text: str) -> list[Fact]:
    """Facts a coach would remember from this message, most specific first, without duplicates."""
    facts: list[Fact] = []

    def add(key: str, value: str, evidence: str) -> None:
        if value and not any(f.key == key and f.value == value for f in facts):
            facts.append(Fact(key, value, evidence))

    for pattern in (_PARTNER_NAMED, _NAME_IS_PARTNER):
        for m in pattern.finditer(text):
            name, role = m.group("name"), m.group("role").lower()
            if name in _NOT_NAMES or name.lower() in ROLES:
                continue
            key = "ex_name" if role.startswith("ex") else "partner_name"
            add(key, name, m.group(0))
            add("partner_role" if key == "partner_name" else "ex_role", role, m.group(0))
    for m in _PARTNER_ROLE.finditer(text):
        role = m.group("role").lower()
        add("ex_role" if role.startswith("ex") else "partner_role", role, m.group(0))
    if m := _USER_NAME.search(text):
        add("user_name", m.group("name").capitalize(), m.group(0))
    if m := _LENGTH.search(text):
        unit = m.group("unit").lower()
        n = m.group("n").lower()
        if n in {"a", "one"}:
            unit = unit.rstrip("s")
        add("relationship_length", f"{n} {unit}", m.group(0))
    for stage, pattern in _STAGE:
        if m := pattern.search(text):
            add("relationship_stage", stage, m.group(0))
            break
    for pattern in (_ISSUE, _ISSUE_SIMPLE):
        for m in pattern.finditer(text):
            issue = _clean_issue(m.group("what"))
            if len(issue) >= 3:
                add("recurring_issue", issue, m.group(0))
        if any(f.key == "recurring_issue" for f in facts):
            break
    for m in _KIDS.finditer(text):
        add("children", m.group("kid").lower(), m.group(0))
    return facts


def pronoun_for_role(role: str | None) -> str:
    """The pronoun a role suggests, 'they' when unknown; the profile's choice always wins."""
    return ROLES.get((role or "").lower(), "they")
