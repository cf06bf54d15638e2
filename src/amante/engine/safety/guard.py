"""The reply guard: checks every reply from any backend before the user sees it.

Blocks self-harm method details, diagnosis, medication advice, calling the service therapy,
victim-blaming, and relationship-improvement advice while the user may be unsafe. On a violation
the caller uses the safe fallback reply and records the event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from amante.engine.types import Mode, SafetyResult

from .screen import normalize

_UNSAFE_CATS = {"harm_from_partner", "coercive_control", "harm_from_others", "child_safety"}
_UNSAFE_FLAGS = {"abuse", "crisis", "child_safety", "harm_from_others"}


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"))


# method details: always blocked, in any mode
_METHOD = _rx(
    r"\b(?:lethal|fatal|deadly|toxic) (?:dose|amount|quantity|dosage)s?\b(?! (?:is|are) not)"
    r"|\b\d+ ?(?:mg|milligrams?|grams?|g|pills|tablets|capsules) (?:\w+ ){0,4}"
    r"(?:would|will|could|can|is|are) (?:be )?(?:enough|fatal|lethal|deadly|kill)"
    r"|\b(?:tie|tying|make|making) a noose\b|\bhow to hang\b|\b(?:slit|cut) (?:your|the|my) "
    r"(?:wrists?|veins?|throat)\b|\bbleed(?:ing)? out\b|\bexit bag\b|\bcarbon monoxide\b"
    r"|\bhelium (?:tank|hood|method)\b|\b(?:bridges?|buildings?|towers?) (?:\w+ ){0,3}"
    r"(?:taller|higher) than \d+|\b(?:george washington|brooklyn|golden gate|verrazz?ano|"
    r"manhattan|queensboro|williamsburg|triborough|rfk|bayonne|tappan zee|mario cuomo) bridge\b"
    r"|\b(?:painless|quickest|easiest|surest) (?:way|method)s? (?:to|of) (?:die|dying|kill|end)"
)
_DX = (
    r"(?:bpd|borderline(?: personality)?(?: disorder)?|bipolar(?: disorder)?|npd|narcissis\w*"
    r"(?: personality disorder)?|a narcissist|sociopath\w*|psychopath\w*|adhd|ptsd|c-ptsd|ocd|"
    r"autis\w+|schizo\w*|clinical(?:ly)? depress\w*|major depress\w*|depression|"
    r"(?:an? )?(?:anxiety|personality|mental|eating|attachment|mood) disorder|codependen\w+|"
    r"avoidant personality)"
)
_DIAGNOSIS = _rx(
    r"\b(?:you|he|she|they|your (?:\w+ )?(?:partner|husband|wife|boyfriend|girlfriend|ex))"
    r"(?:'s|'re| (?:clearly|probably|definitely|likely|obviously|might|may|must|could|seem to"
    r"|seems to))? ?(?:have |has |suffer from |suffers from |(?:is |are |be )?(?:a |an )?"
    r"(?:classic |textbook |clinical |total |real )?)" + _DX + r"\b"
    r"|\bsounds like (?:you|he|she|they) (?:have |has |(?:is |are )?(?:a |an )?)"
    + _DX
    + r"|\b(?:i (?:would )?diagnose|my diagnosis is|this is (?:a )?(?:textbook|classic) case of)\b"
)
_MEDICATION = _rx(
    r"\b(?:take|try|taking|trying|increas(?:e|ing)|decreas(?:e|ing)|lower(?:ing)?|rais(?:e|ing)|"
    r"doubl(?:e|ing)|halv(?:e|ing)|skip(?:ping)?|stop(?:ping)? taking|come off|go off|get off|up|"
    r"start(?:ing)?|switch(?:ing)? to) (?:your |a |an |some |the |more |less )?"
    r"(?:dose|dosage|meds|medication|medicine|pills|xanax|valium|klonopin|ativan|sertraline|"
    r"zoloft|prozac|fluoxetine|lexapro|escitalopram|wellbutrin|bupropion|lithium|lamictal|"
    r"seroquel|adderall|ritalin|melatonin|benadryl|ambien|zolpidem|ssris?|antidepressants?|"
    r"sleeping pills|benzos?|benzodiazepines?|antipsychotics?|mood stabili[sz]ers?)\b"
    r"|\b\d+ ?(?:mg|milligrams?) (?:of |a day|daily|twice|before bed|at night)"
)
_THERAPY_SELF = _rx(
    r"\b(?:i'?m|i am|as your|speaking as) (?:your |an? )?(?:ai |virtual |online |digital )?"
    r"(?:therapist|psychologist|psychiatrist|psychotherapist|counsel(?:l)?or|clinician)\b"
    r"|\b(?:this|our|in our|during our|today'?s) (?:therapy|psychotherapy|counsel(?:l)?ing) "
    r"(?:session|sessions|work|together|is)\b|\bthis (?:is|app is|service is) therapy\b"
    r"|\bas part of (?:your|our) therapy\b"
)
_VICTIM_BLAME = _rx(
    r"\bwhat did you do to (?:make|provoke|set|upset)|\byou (?:must|might|may|probably) have "
    r"(?:provoked|upset|pushed|triggered|made) (?:him|her|them)|\byou (?:provoked|asked for|"
    r"deserved|invited) (?:it|him|her|them|that)\b|\b(?:it'?s|it is|it was|that'?s) (?:partly |"
    r"also |kind of |a bit |at least partly )?your fault\b|\bwhy (?:didn'?t|don'?t|haven'?t) you "
    r"(?:just )?(?:leave|left|fight back|report|call)|\bwhy (?:did|do) you (?:stay|go back)\b|"
    r"\byou should have (?:left|known|seen it|fought|said no)\b|\bif you hadn'?t\b|\byou let "
    r"(?:him|her|them) (?:do|treat|hurt)|\bit takes two\b|\bboth (?:of you )?(?:are|were) "
    r"(?:to blame|responsible)|\btry not to (?:provoke|upset|trigger|anger) (?:him|her|them)|"
    r"\bavoid (?:making|getting) (?:him|her|them) (?:angry|mad|upset)"
)
_REL_ADVICE = _rx(
    r"\bcouples? (?:therapy|counsel(?:l)?ing|coaching|work|retreat|session)|\bmarriage "
    r"(?:counsel(?:l)?ing|therapy)|\b(?:see|understand|consider) (?:it |things )?(?:from )?"
    r"(?:his|her|their) (?:side|point of view|perspective)|\b(?:his|her|their) (?:side of "
    r"(?:the|things)|perspective)\b|\bwork (?:on|through) (?:it|this|things|your relationship|"
    r"the relationship) together|\bcompromise\b|\bmeet (?:him|her|them) halfway|\bgive "
    r"(?:him|her|them) (?:another|a second|one more) chance|\b(?:gentle|soft(?:ened)?) "
    r"start[- ]?up\b|\bi[- ]statements?\b|\blove languages?\b|\bdate night\b|\bappreciat(?:e|ion)"
    r" (?:for )?(?:him|her|them)\b|\btry to understand (?:him|her|them)|\bcommunicate (?:better |"
    r"more )?with (?:him|her|them)|\bbe more (?:patient|understanding|supportive) with|\bimprove "
    r"(?:the|your) relationship|\bstrengthen (?:the|your) (?:relationship|bond|marriage)|\bturn"
    r"(?:ing)? toward (?:him|her|them)|\brepair attempts?|\bsave (?:the|your) (?:relationship|"
    r"marriage)|\bkeep the peace\b|\bnot to (?:set|tick) (?:him|her|them) off"
)


_NEG_BEFORE = re.compile(r"\b(?:not|never|n't)\b|n't")


@dataclass
class GuardResult:
    """Whether a reply may be shown, and which rules it broke."""

    ok: bool
    violations: list[str] = field(default_factory=list)


def unsafe_context(safety: SafetyResult, mode: Mode, flags: Sequence[str] = ()) -> bool:
    """Is the user possibly unsafe, so relationship-improvement advice is off the table?"""
    return (
        mode in ("safety_first", "support_only")
        or bool(_UNSAFE_CATS & set(safety.categories))
        or (safety.level == "crisis")
        or bool(_UNSAFE_FLAGS & set(flags))
    )


def guard(
    reply: str, *, safety: SafetyResult, mode: Mode, flags: Sequence[str] = ()
) -> GuardResult:
    """Check a reply against the safety rules; ok=False lists the violation codes."""
    text = normalize(reply or "")
    violations: list[str] = []
    if _METHOD.search(text):
        violations.append("method_info")
    if _DIAGNOSIS.search(text):
        violations.append("diagnosis")
    if _MEDICATION.search(text):
        violations.append("medication")
    if any(
        not _NEG_BEFORE.search(text[max(0, m.start() - 4) : m.end()])
        for m in _THERAPY_SELF.finditer(text)
    ):
        violations.append("therapy_self_description")
    if _VICTIM_BLAME.search(text):
        violations.append("victim_blaming")
    if unsafe_context(safety, mode, flags) and _REL_ADVICE.search(text):
        violations.append("relationship_advice_while_unsafe")
    return GuardResult(ok=not violations, violations=violations)
