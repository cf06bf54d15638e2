"""A learned safety classifier beside the rules: it may raise a level, never lower one.

Rules catch what people say in the words we wrote down; people in crisis paraphrase. This layer
scores the message's MiniLM sentence embedding (the same cached vector the emotion and topic
analyzers use, so a message is embedded once) together with TF-IDF character n-grams (robust to
misspellings and slang) and word uni/bigrams, with one logistic-regression head per risk
family, trained by scripts/train_safety.py on original training messages
(tests/data/safety_train*.jsonl), the trap corpus, ordinary CounselChat questions and everyday
GoEmotions comments. Each head has
two thresholds chosen by cross-validation on that training data (never on an evaluation set):
above `high` the category is raised to its default level, above `medium` to `elevated`.
When the fine-tuned encoder is built (scripts/finetune_safety.py: MiniLM trained end to end on
the same rows and labels, int8 ONNX), each head's score combines the two scorers (their mixed
log-odds, or the larger of that and the linear score), as chosen with the thresholds on retired
blind sets neither scorer was trained on.

Guards: a category the rules flagged, or matched and then ruled out (negation, hyperbole,
exclusions), is left to the rules; so are messages framed as fiction, news, a hobby or work talk,
and past events in a present the user calls safe. A joking threat to someone else is not raised at
all; negation words and joke markers do not cap a raise (see raise_with_classifier). Risk that
builds over messages is scored on the last three user messages read together, beside the
message alone. If the embedding model or the artifact is missing, the rules decide alone.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from amante.engine.types import Finding, SafetyContext, SafetyLevel, SafetyResult
from amante.engine.understand.textfeatures import Tfidf

from .patterns import CATEGORIES

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
ARTIFACT = "safety"
ENCODER = "safety_encoder"
_RANK = {"none": 0, "elevated": 1, "crisis": 2}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# beside a threat to someone else the self-harm head must be this sure ("none of us will be
# around" is a murder-suicide; "I'm going to kill him tonight" is not self-harm)
SELF_BESIDE_THREAT = 0.85
_KILL_FOR = re.compile(
    r"\b(?:i'?d|i would|would|could) (?:honestly |literally |actually )?(?:kill for|die for "
    r"(?:a|an|one|some|just))\b"
)
# ending a relationship, not a life ("gonna end it with him, just not feeling it anymore"), and
# tiredness said as death ("dead on my feet before the night shift")
_NOT_ABOUT_LIFE = re.compile(
    r"\b(?:end|ending|ended|finish|finishing|call) (?:it|things|this) (?:off )?with "
    r"(?:him|her|them|my (?:\w+ )?(?:boyfriend|girlfriend|partner|bf|gf|husband|wife|fella|man|"
    r"missus|mrs|fianc\w*|ex))\b|\bdead on my feet\b|\bdead tired\b|\bdead to the world\b|"
    # a goodbye to someone who is leaving ("our helper is leaving ... the goodbye as a family")
    r"\b(?:the|a|our|their) goodbye (?:as a family|party|dinner|drinks|card|gift|present)\b|"
    r"\b(?:helper|nanny|au pair|maid|housekeeper|neighbou?r|colleague|friend)s? (?:is |are )?"
    r"leaving\b|\bit was mutual\b|"
    # a preference said as an idiom ("I'd rather die than go to his work party"), unless what
    # they would rather die than do is going back, living on or staying
    r"\b(?:i'?d|id|i would) (?:\w+ )?rather die than (?!(?:go(?:ing)? back|return|live|living|"
    r"keep|stay|be with|marry|go through|spend (?:my|the|another)|let (?:him|her|them) (?:touch|"
    r"near|hurt|hit)|face)\b)"
)
# words that turn a message back on the user (for a threat to someone else, see above)
_SELF_TARGET = re.compile(
    r"\b(?:myself|my ?self|my life|suicid\w*|kms|(?:want|wanna|going) to die|be dead|end it all|"
    r"and then me|then myself|me too)\b"
)
# a height or depth question and nothing else ("how high is the multistorey car park on Mill
# Road"): the self-harm head may raise it only with distress said in it or in the messages before
# it, as the rules' method questions need (the fine-tuned encoder scored such questions alone as
# high as 0.97; every such question labelled a crisis in the data has distress beside it)
_BARE_HEIGHT_QUESTION = re.compile(
    r"^\s*(?:(?:so|and|anyway|ok|also),? )?(?:(?:what'?s|whats|what is|what are|which is|"
    r"which one is|where'?s|wheres|where is|where are|do you know) (?:the )?(?:tallest|highest|"
    r"deepest)|how (?:high|tall|deep|far down|many (?:storeys|stories|floors)) (?:is|are|was)"
    r"\b)[^.!?,;\n]{0,90}[?.!]*\s*$"
)
_VIOLENCE = {"harm_from_partner", "harm_from_others"}
# the only one hurt is "myself" ("hitting myself on the head on the cupboard door"): either
# self-harm, which the self-harm rules and head read, or an accident; never a partner's doing
_REFLEXIVE_HURT = re.compile(
    r"\b(?:hit|hitting|bang(?:ed|ing)?|bump(?:ed|ing)?|cut|cutting|burn(?:ed|t|ing)?|"
    r"scald(?:ed|ing)?|hurt|hurting|slapp?(?:ed|ing)?|punch(?:ed|ing)?|smack(?:ed|ing)?|"
    r"scratch(?:ed|ing)?|bruis(?:ed|ing)) myself\b"
)
# rules that read the user hurting their own body: beside them, bruises, marks and burns are the
# user's own, and the violence head (which learned injuries as someone else's doing) stays quiet
_SELF_INJURY_RULES = frozenset(
    {"sh_fam_injury", "sh_fam_self_inflicted", "sh_fam_self_inflicted_press"}
)
_REFUSED = {"covert_surveillance", "manipulation"}  # requests amante declines

# A head may raise a category only if the message has at least one word of that family: the
# embedding and n-gram heads generalise to paraphrases, but on everyday chat ("that would be
# nice", "he walked out", "we took a break and came back an hour later" read as an
# overdose) they also fire without any sign of danger. The cues are broad on
# purpose (the heads supply the precision: injuries, sexual coercion, stalking and harassment
# are told in many plain words) and are matched after spelling repair.
_CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "self_harm": (
            r"\b(die|dying|died|dead|death|kill|end (it|this|things|my)|ending (it|things|my|ev)|"
            r"suicid|unalive|kms|arrangements|another winter|while i still can|bleed|veins?|"
            r"sh\b|thigh|carbon monoxide|garage|fumes|remember (me|you) after|"
            r"sewerslide|life|live|living|alive|exist|wake up|sleep forever|not (be )?here|"
            r"anymore|pills?|tablets|meds|medication|overdose|od\b|cut(ting)?|blade|razor|"
            r"bridge|jump|rope|hang|gun|goodbye|bye|letters?|note|funeral|burden|better off|"
            r"without me|disappear|gone|give (away|up)|gave away|pointless|no point|hopeless|"
            r"can'?t (do|take|go on)|hurt(ing)? myself|harm|enough|ready|tonight|plan|"
            r"insurance|storeys?|stories (high|up)|floors? (up|high)|how (many|much|high|long)|"
            r"last (message|time|goodbye|thing)|won'?t be (around|here)|after i'?m|forever|"
            r"permanent|take care of (my|the|him|her)|look after (my|the)|surviv|fall|"
            r"accident|step (forward|off|out in front)|platform|tracks|traffic|"
            r"(won|wouldn)'?t matter|"
            r"no future|why (to )?(continue|bother|try)|empty|numb|will\b|instructions|"
            r"passwords?|socials|given (away|my)|cancel(led|ed)? my|thank (you|u) for|in order|"
            r"won'?t be needing|peaceful|decided|decision|no reason|selfish|roof|under the water|"
            r"much longer|any longer|(a )?problem for|"
            # a service weapon or a ligature named without any other word of the family
            # (blind52: "eating my rifle", "a walk in the woods with my 9mm", "practising with
            # the belt"); with blind50-52 scored by heads that never saw them: 3 more of their
            # 165 self-harm crises, no more false alarms anywhere (session 14)
            r"rifle|pistol|9mm|glock|shotgun|12 gauge|service weapon|sidearm|bullet|one round|"
            r"barrel|belt|whoever finds|finds me|my turn|"
            r"done(?! (talking|arguing|fighting|discussing|with (him|her|you|them|work|this "
            r"(conversation|argument|fight)))))"
        ),
        # self-injury acts, means gathered, places and goodbyes told without a word of death
        # (blind64-90 read by heads that never saw them: of the self-harm head's scores from 0.5
        # to CUE_FREE that these words let through, 44 were self-harm and none were benign or
        # CounselChat questions; session 21). They count only when no one else's violence is in
        # the message: "dug her nails into my arm til it bled" is a partner's doing.
        "self_harm_act": (
            r"\b("
            r"scratch\w*|burn(s|ed|t|ing)?\b|scald\w*|hob\b|lighter|tongs|wrists?|forearms?|"
            r"knuckles|punch\w*|marks\b|scars?\b|blister\w*|sleeves|deeper|knife|knives|blades?|"
            r"stanley|compass|paperclip|till? it bled|swallow\w*|the lot\b|jar\b|bottle|"
            r"chemists?|pharmac\w*|patches|helium|vodka|whiske?y|rum\b|stockpil\w*|stocked up|"
            r"taken all|cliffs?|tram\b|level crossing|railway|motorway|ring road|reservoir|"
            r"drown\w*|river|bath\b|barrier|seatbelt|the water|leave for|write something|"
            r"to read after|watch after|if (anything|something) happens to me|"
            r"when i'?m not (around|here)|not going to be here|my pension|won'?t be picking up|"
            r"arranged|see the point|waking up|never get up|"
            # blind91-94 (session 21): ways told as driving, the sea, a height or an animal
            r"the wheel|the bend|quarry|on purpose|have me|take me|over the side|overboard|"
            r"the rail|railing|the edge|back deck|nobody would (hear|notice|question)|"
            r"wouldn'?t (even )?be my fault|goes down|let go)"
        ),
        "violence": (
            r"\b(hit|hits|hitting|hurt|punch|slap|kick|chok|strangl|throat|neck|grab|push|"
            r"shov|threw|throw|beat|bruise|black eye|blood|bled|bleed|forc|rap(e|ed)|assault|"
            r"attack|weapon|gun|knife|knives|kill|threat|scared|afraid|terrified|fear|hid(e|ing)|"
            r"lock|escape|run away|police|follow|stalk|watching me|outside my|broke in|"
            r"didn'?t stop|said no|touch(ed)?|pregnan|hospital|injur|pinned|dragg|hair|"
            r"wall|door|strike|struck|smack|bit me|burn|violent|abus|rough|jump(ed)?|stab|"
            r"finish (the job|me)|regret|creep|uncomfortabl|brush(es|ed|ing)? "
            r"against|my body|grop|pics|photos|nudes|intimate|court order|restraining|"
            r"show(s|ed|ing)? up|turn(s|ed)? up|drives? (past|by)|drove (past|by)|slows? down|"
            r"won'?t leave me alone|harass|unsafe|danger|paranoi|alone with|my face|eye\b|lip\b|"
            r"ribs|marks|long sleeves|cover (it|them|up)|make-?up over|hands on|glass|smash|"
            r"broke|in bed|sex|didn'?t want|not in the mood|made me (do|have)|wives are for|"
            r"bag packed|can'?t go back|shelter|rifle|shotgun|pistol|firearm|"
            r"machete|axe|hammer|cigarette|asleep|doing things to me|swung|bang|windows?|"
            r"which school|punish|swing|consent|agree(ing|d)? to|floor|scarves|"
            r"run (me|us) over|underwear|doxx|deserve|finds me|gas can|petrol|one eye|"
            r"something to cry|snapped|a&e|brake|broke my|(kept|keeps?) going(?! off)|"
            r"told (him|her|them) no|holds? me down|held me down|couldn'?t breathe|"
            r"can'?t breathe|turning up|"
            r"showing up|waits? (for me|outside|by|at)|found my|knows (where|my|which|what)|"
            r"remembers (where|which)|driv(es|ing) past|keeps? (messaging|texting|calling|"
            r"following|parking|sending|turning|showing|happening|waiting)|route|"
            r"licen[cs]e plate|asking around|lets? (himself|herself|themselves) in|flinch|"
            r"raises? (his|her|their|a) hand|fake profile|daily routine|my real name|"
            r"my (location|address)|pay for (it|this|what)|ruined (his|her|their) life|"
            # being watched, found or cornered; marks hidden; threats told as jokes or dates
            r"what i (wore|was wearing|had on)|what i'?m wearing|where i (live|work|had|was|am)|"
            r"new address|live alone|secret|watch(es|ed|ing)? me|record(s|ed|ing)? me|"
            r"folow|wrists?|pinch|twist|purple|sleeves|bedroom|my room|sneak|"
            r"stands there|waited for me|letting (himself|herself)|wreath|private (pictures|"
            r"photos|pics)|nobody will (believe|find)|no one will (believe|find)|can'?t have me|"
            r"while it lasts|round a tree|drove off|leaves me (there|alone)|slept in my car|"
            r"hear properly|belt|the hands|curtains|(photo|picture) of (my|her|his|our|the)|"
            r"wouldn'?t leave|won'?t stop (texting|messaging|calling)|counts the days|"
            r"nice to him|come(s)? into my|came into my|his hand|her hand|"
            # injuries explained away, weapons drawn, being cornered or run down (blind32)
            r"er\b|emergency room|stitches|staples|told (them|the \w+|everyone|people) i fell|"
            r"cornered|whoop|whup|blades?|off the road|poison|concealer|ice packs?|"
            r"(are|is|i'?m|you'?re) next\b|tire iron|crowbar|bat\b|go(es|ing)? limp|"
            r"(new|fake|another) (\w+ )?accounts?|"
            # threats of harm to come, being watched or found, injuries explained away, sexual
            # coercion told plainly (blind64-90, heads that never saw them: of the violence head's
            # scores from 0.5 to CUE_FREE these words let through, 61 were violence and none
            # benign; a word that let one benign message through was left out; session 21)
            r"(in )?one piece|make (me|you|her|him) disappear|have an accident|end me|"
            r"do (me|her|him) in|sort (her|him) out|kneecaps|acid|dead bird|silent calls|withheld|"
            r"parked (across|outside|at|by|opposite)|lights off|buzzer|the wrong way|"
            r"won'?t let me out|down the stairs|walked into|clumsy|cracked|ribs?\b|fractur\w*|"
            r"dislocat\w*|strapped|bath ?water|head under|sat on my chest|bit me|bites me|bit my|"
            r"break the skin|videos (of|to)|send (them|the videos|the pictures)|pictures|"
            r"committed|marry me off|ruin (her|his|my) face|coming up the stairs|pulling in|"
            r"live to see|never walk again|won'?t see christmas|found in the river|does it anyway|"
            r"make up for lost time|safer than (being )?home|laps of|same car|"
            r"same (servo|shop|cafe)|security questions|reading my (texts|dms|messages|emails?)|"
            r"spend time. with him|teaching me a lesson|heavy handed|lays into me|on the grog|"
            r"shook me|sewn|seat was moved|left (a|my) (coffee|note)|in the comments|doubling my|"
            r"groggy|sore in places|"
            # blind91-94 (session 21): discipline, shots fired, calls by the dozen, a worse to come
            r"disciplin\w*|saw (her|his) arm|a round|rounds\b|there'?ll be worse|"
            r"hangs? up|\d+ times a (night|day)|came at me|the kettle)"
        ),
        "request": (
            r"\b(how|can i|could i|should i|want to|wanna|gonna|going to|help me|way to|app|"
            r"install|spy|secret|without (him|her|them) knowing|hack|track|tracker|camera|"
            r"keylog|password|log ?in|make (him|her|them)|get (him|her|them) to|trick|"
            r"convince|guilt|gaslight|crazy|so (he|she|they) (stays?|won'?t|can'?t|agrees?)|"
            r"tips|make my|makes? my|write me|give me|feel like|act like|pretend|"
            r"without it looking|what (do|can|should) i (say|tell)|"
            r"so (he|she|they) (feels?|stops?|thinks?)|"
            r"(her|his|their) fault|screenshot|dash ?cam|visible|air ?tags?|gps|sew)"
        ),
        "coercive_control": (
            r"\b(money|card|account|bank|allowance|salary|paycheck|phone|password|check(s|ing)?|"
            r"track|location|gps|read(s|ing)? my|monitor|friends|family|allowed|allow|let me|"
            r"permission|control|isolat|forbid|won'?t let|makes? me|wear|eat|leave the house|"
            r"keys|car|passport|papers|visa|threat|kids|children|custody|pet|dog|cat|scared|"
            r"afraid|punish|silent treatment|rules|report|where i am|who i|made me|parents|"
            r"penny|wages|job|delete|doctor|home by|facetim|leash|grateful|put up with|mates|"
            r"privately|"
            # blind64-90 (session 21): 12 more coercive-control messages, none benign
            r"sell (it|the \w+) (from under|out from under)|certificates?|hidden my|hid my|"
            r"stays? with (her|him)|the courts?|methadone|ok every|okay every|approve every|"
            r"every (single )?purchase|keep an eye on me|my id\b|in (his|her) wallet|has a rule|"
            r"rule i|quit|depend on (me|him|her)|my pill|have nothing|call cps|"
            r"call social services|selfie|every hour|i didn'?t do|i didnt do|"
            r"don'?t go anywhere|dont go anywhere)"
        ),
        "medical": (
            r"\b(pills?|pils|tablets|meds|medication|antidepress|tylenol|paracetamol|ibuprofen|"
            r"advil|aspirin|xanax|benadryl|sleeping|overdose|od\b|(took|tok|taken|swallowed|"
            r"swalowed|had) (all|too|a bunch|half|the whole|a whole|every|like \d|\d|something|"
            r"some of|my|his|her|them)|swallow|swalow|drank|bleach|poison|bleed|bled|blood|breath|"
            r"brethe|unconscious|unresponsive|wake|waking|woke|awake|passed out|pass out|faint|"
            r"collaps|seizur|fit\b|chest|heart|stroke|drooping|droopy|slurr|can.?t lift|floppy|"
            r"sleepy|numb|dizzy|vomit|throw(ing)? up|puk|ambulance|911|999|112|000|a&e|er\b|"
            r"emergency|hospital|doctor|midwife|hurt|pain|head|injur|broken|bone|burn|blister|"
            r"cut|wound|stitches|allerg|epipen|throat|stung|sting|bites?|insulin|diabet|sugar|"
            r"asthma|inhaler|pregnan|baby|labou?r|contraction|miscarr|cramp|fever|temperature|"
            r"drunk|alcohol|drugs|high\b|pale|blue|lips|cold|shaking|convuls|respon|conscious|"
            r"chok|fell|fall|crash|accident|swell|swollen|carbon monoxide|fumes|gas|"
            r"engine running|garage|lump|bump|concuss|vision|blurr|ear\b|hear properly|"
            r"something in my drink|feel (really |realy )?(weird|wierd|strange|funny|off)|spinning|"
            r"(arm|leg|side) (doesn'?t|doesnt|does not) feel)"
        ),
    }.items()
}
_REQUESTS = ("covert_surveillance", "manipulation")  # what the user asks to do to a partner

_CUE_FOR_HEAD = {
    "self_harm": "self_harm",
    "self_harm_third": "self_harm",
    "violence": "violence",
    "coercive_control": "coercive_control",
    "covert_surveillance": "request",
    "manipulation": "request",
    "medical_emergency": "medical",
}


def _cue_found(cue: str, text: str) -> bool:
    """Whether `text` has a word of the cue list `cue`, as typed or after spelling repair."""
    from .screen import normalize
    from .spelling import canonicalize

    rx = _CUES[cue]
    return bool(rx.search(text.lower()) or rx.search(canonicalize(normalize(text))[0]))


def _has_cue(head_name: str, text: str) -> bool:
    """Whether the message has a word of the head's family (heads without cues always pass)."""
    cue = _CUE_FOR_HEAD.get(head_name)
    return cue is None or _cue_found(cue, text)


# Asking how to make a partner feel safe, loved or heard is care, not manipulation, however much
# it shares words ("make her feel ...") with guilt-tripping requests.
_PROSOCIAL = re.compile(
    r"\b(?:make|help|let|get) (?:him|her|them|my \w+) (?:\w+ )?(?:feel|be|know) (?:more |that "
    r"(?:he|she|they) (?:is|are) )?(?:safe|loved|heard|appreciated|valued|comfortable|special|"
    r"better|happy|happier|supported|understood|wanted|respected|secure|relaxed|calm|included|"
    r"at ease|seen|cared for)\b|"
    # asking how NOT to make a partner feel guilty, bad or pressured
    r"\b(?:how (?:do|can|could|should) i|how to|ways? to|tips (?:on|for)) (?:not|avoid|stop) "
    r"(?:making|make|letting) (?:him|her|them|my \w+) (?:\w+ )?feel\b|"
    r"\bwithout (?:making|letting) (?:him|her|them|my \w+) (?:\w+ )?feel (?:guilty|bad|blamed|"
    r"pressured|judged|attacked|rejected|stupid|small|awkward)\b"
)

# Keeping one's own phone, account or money private from a partner who checks them is not spying
# on the partner, however much it shares words ("without him finding out") with spying requests.
_OWN_PRIVACY = re.compile(
    r"\b(?:get|buy|have|keep|hide|open|set up|use) (?:a|my|my own|an?) (?:second |secret |spare |"
    r"burner |separate |own |private |new )+(?:phone|mobile|sim|email|account|bank account|card|"
    r"number)\b[^.!?]{0,40}\bwithout (?:him|her|them|my (?:husband|wife|partner|boyfriend|"
    r"girlfriend)) (?:finding out|knowing|noticing|seeing)\b"
)

# Above these scores the self-harm and coercive-control heads act without a cue word. On two
# held-out writers much of what the cue gate blocked scored above them ("wrote my passwords down
# for my sister", "he takes my fone so i cant call my famly"); on everyday chat (GoEmotions dev
# comments) those heads' false alarms stayed below. The violence head is sure of some everyday
# lines that read like the start of an assault ("last night ... he walked out": 0.98), so it
# acts without a cue only above 0.99 (without a cue, everyday chat and CounselChat questions
# scored at most 0.87 on it).
# Session 7 re-checked the gate with out-of-fold head scores (folds split by writer) on the 24
# retired blind sets: coercive control at 0.85 finds 17 more of 1,168 with no crisis false alarm
# and one more elevated GoEmotions comment; the violence head below 0.99 flags short ordinary
# lines ("He hugged me and said he's proud of me"), and the self-harm head below 0.97 adds
# everyday false alarms (7 more of 5,426 GoEmotions comments at 0.93), so both stay.
# Session 9, out of fold on the 34 retired sets: violence at 0.95 instead of 0.99 finds 7 more
# of 2,076 partner crises and 7 more of 1,548 harms from others ("my ex gets out of jail next
# week ... 'coming home'"), for 7 more of 4,280 benign training messages at crisis; benign
# messages of the blind sets, GoEmotions dev and CounselChat val+test unchanged.
# Session 13 read two new communities in a row (health workers, sport) at 0.73-0.77 self-harm
# recall; the self-harm head scored above 0.9 on most of the misses, which had no cue word
# ("gave my bike and my medals away, feels good to have things sorted", "searched 'painless
# ways' at 3am again"). Scored by heads that never saw their writer (blind48 and blind49 held out
# of training; out of fold for the 47 other retired sets), self-harm at 0.9 instead of 0.97 finds
# 82 of their 99 self-harm crises instead of 74 (11 more of 2,597 in the other sets), with their
# benign messages unchanged, 1 more crisis false alarm of 8,024 benign blind-set messages, 2 of
# 4,280 benign training messages and 4 of 5,426 GoEmotions dev comments; CounselChat unchanged.
# Session 14 read blind52 (military families) at 0.77 self-harm recall and measured again with
# blind50-52 scored by heads that never saw them (out of fold for the 49 other retired sets):
# self-harm at 0.85 finds 4 more of their 165 self-harm crises and 8 more of 2,696 elsewhere, for
# 2 more crisis false alarms of 8,351 benign blind-set messages, 3 of 4,280 benign training
# messages and 1 of 5,426 GoEmotions dev comments (0.8 adds 1 and 3 more crises for 4 more false
# alarms); violence at 0.9 finds 3 more of their 192 partner crises and 1 more of 149 harms from
# others (15 more elsewhere) for 4 more benign training messages and 2 GoEmotions comments at
# crisis; coercive control at 0.75 finds 2 more of 197 (5 elsewhere) at no cost measured.
CUE_FREE = {"self_harm": 0.85, "coercive_control": 0.8, "violence": 0.92}
# Session 15, heads retrained through blind55, out of fold by writer on the 55 retired sets: at
# the same gates, violence at 0.95 would lose 12 of 3,459 partner crises and 9 of 2,558 harms
# from others for 1 fewer benign blind-set crisis of 9,387, 5 of 4,280 benign training messages
# and 2 of 5,426 GoEmotions comments. The heads retrained through blind57 are surer of everyday
# lines ("Last night I said something mean and he walked out": violence 0.915; "He says I nag
# him all the time": coercive control 0.77), so their gates moved with them, measured the same
# way on the 57 retired sets: violence 0.92 and coercive control 0.8 instead of 0.9 and 0.75 lose
# 8 of 3,575 partner crises, 2 of 2,651 harms from others and 1 of 3,050 coercive-control
# messages, for 1 fewer benign blind-set crisis of 9,741, 2 of 4,280 benign training messages and
# 1 of 5,426 GoEmotions comments (violence 0.95 would lose 22 partner crises).
# An argument turned around on the user ("he flipped it back on me and said I started it"), or a
# partner walking out of one ("I said something mean and he walked out": violence 0.928 from the
# heads through blind60), has no word of violence and is never acted on without one.
_ARGUMENT_NOT_ATTACK = re.compile(
    r"\b(?:flip|flipped|flips|flipping|turn|turned|turns|turning|twist|twisted|twists|twisting) "
    r"(?:it|this|that|everything|things|the (?:argument|blame|conversation|story)) (?:all )?"
    r"(?:back |around )?(?:on|onto) me\b|"
    r"\b(?:he|she|they) (?:just )?(?:walked|stormed|stomped|marched) (?:out|off)\b"
)

# A partner's complaint about the user ("He says I nag him all the time": coercive control 0.868
# from the heads through blind62, over the cue-free gate) is not control; without a cue word of
# the family the coercive-control head never acts on it.
_COMPLAINT_ABOUT_ME = re.compile(
    r"\b(?:he|she|they) (?:says|said|thinks|reckons|keeps saying|told me|tells me) (?:that )?"
    r"i(?:'m| am)? (?:\w+ )?(?:nag|nags|nagging|moan|moaning|complain|complaining|controlling|"
    r"clingy|needy|jealous|too much|overreact\w*|dramatic|difficult|cold|distant|boring)\b"
)

# In a message framed as a hobby, a job, a story or the news the risk heads stay silent (the
# request heads still act on a hobby frame) unless they are at least this sure: people at work
# or at the gym say their own risk in its words ("I'm a nurse. I know exactly how much of my own
# meds it would take", "the auto belay at the climbing wall is looking like a solution lol").
# Same check as CUE_FREE: 4 more self-harm crises, 2 partner crises and 3 harms from others of
# the two held-out sets, 1 more of the other sets, 1 more benign blind-set crisis of 8,024;
# training benign, GoEmotions dev and CounselChat unchanged.
FRAMED_SURE: dict[str, float] = {"self_harm": 0.9, "violence": 0.95}
STORY_SURE: dict[str, float] = {"self_harm": 0.95, "violence": 0.97}

# An elevated self-harm flag from the rules (a joke marker, an ambiguous phrase) becomes a crisis
# only when the self-harm head is this sure. The head never learned the ambiguous messages
# ("I'm done with everything", labelled elevated): they score high too. With the heads trained
# on seven writers' sets, about one in eight of the written ones score above 0.98 (one in four
# above 0.95).
# Out of fold on the 24 retired blind sets (session 7), 0.95 lifts 6 more of 1,453 crisis
# self-harm messages and one of 4,459 benign training messages; 0.9 lifts 9 and 3.
LIFT_TO_CRISIS = 0.95

# The same lift for harm from a partner that the rules read at elevated ("he follows me",
# "he says accidents happen"): partner violence, threats and stalking are crises for the user.
# Not in jest (a joke marker in the message keeps the rules' level). Out of fold on the 29
# retired blind sets (session 8): at 0.9 it lifts 7 more of 1,656 partner-harm crises (0.95: 6)
# and one of 4,280 benign training messages; GoEmotions dev and CounselChat unchanged.
LIFT_PARTNER = 0.9

# The actor head (the column after the risk heads, when the artifact has one) reads who the doer
# is in a message of violence toward the user: a partner (harm_from_partner) or anyone else
# (harm_from_others). Out of fold, split by writer, it named the doer better than the rules'
# whole-message reading of the last named person ("my dad ... my husband isn't around"). A
# classifier raise takes its answer when it is at least this sure, else the rules' reading; a
# rule finding, whose doer the rules read next to the match, changes only when it is surer
# still (ACTOR_OVERRIDE).
ACTOR_CONFIDENT = 0.7
ACTOR_OVERRIDE = 0.9

# "I could strangle him": the user's exasperation, which the violence head can read as an attack
_I_COULD = re.compile(r"\bi could (?:\w+ )?(?:kill|murder|strangle|throttle)\b")

_lock = threading.Lock()


@dataclass(frozen=True)
class Head:
    """One risk family: which category it raises, to what level, and its two thresholds."""

    name: str
    category: str
    level: SafetyLevel
    high: float
    medium: float
    third_party: bool = False


# The encoder runs only when a linear head gives the message at least this probability. On the
# dev sets (retired blind64 to blind96) this skipped it for a third of the ordinary messages and
# lost no positive at any head's threshold (0.05 lost one self-harm message).
ENCODER_GATE = 0.02


def combine_scores(
    p_linear: np.ndarray, z_encoder: np.ndarray, mix: Any, keep_linear: Any
) -> np.ndarray:
    """The linear probabilities and the encoder's logits combined: the sigmoid of their log-odds
    mixed at `mix` (the linear weight), never below the linear probability where `keep_linear`.
    Serving and scripts/finetune_safety.py (which chooses mix and keep_linear) both use it."""
    lin = np.clip(p_linear, 1e-6, 1 - 1e-6)
    z = mix * np.log(lin / (1 - lin)) + (1 - mix) * z_encoder
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    return np.where(keep_linear, np.maximum(p, p_linear), p)


class HeadEncoder:
    """A fine-tuned MiniLM with one logit per risk head (scripts/finetune_safety.py), served
    beside the linear heads. Per head, as chosen on dev sets: the sigmoid of the two scorers'
    log-odds mixed at `mix` (the linear heads' weight), with `keep_linear` never below the
    linear head's own probability; and the thresholds chosen for that combination."""

    def __init__(self, onnx_path: Path, meta_path: Path, heads: tuple[Head, ...]) -> None:
        from amante.engine.understand.embedding import onnx_session

        info: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        if tuple(info["heads"]) != tuple(h.name for h in heads):
            raise ValueError("safety encoder heads do not match the linear heads")
        self.session = onnx_session(onnx_path)
        self.max_tokens = int(info.get("max_tokens", 128))
        self.combine: dict[str, dict[str, Any]] = info["combine"]
        names = [h.name for h in heads]
        self.mix = np.array([float(self.combine[n]["mix"]) for n in names], dtype=np.float32)
        self.keep_linear = np.array([bool(self.combine[n]["keep_linear"]) for n in names])

    def mixed(self, p_linear: np.ndarray, texts: list[str]) -> np.ndarray:
        """The linear probabilities with the head columns replaced by the combined scores.

        A text on which every linear head is below ENCODER_GATE keeps its linear scores: the
        encoder is not run (most everyday messages), which on the dev sets lost no positive."""
        from amante.engine.understand.embedding import run_encoder

        n = len(self.mix)
        out = p_linear.copy()
        rows = np.flatnonzero(p_linear[:, :n].max(axis=1) >= ENCODER_GATE)
        if rows.size == 0:
            return out
        z = run_encoder(self.session, [texts[i] for i in rows], max_tokens=self.max_tokens)
        out[rows, :n] = combine_scores(p_linear[rows, :n], z, self.mix, self.keep_linear)
        return out


@dataclass(frozen=True, eq=False)  # identity hash: scores are cached per (model, text)
class SafetyClassifier:
    """Linear heads (weights per feature block: embedding, char n-grams, words; biases), and
    the fine-tuned encoder mixed into them when it is built."""

    weights: np.ndarray
    bias: np.ndarray
    heads: tuple[Head, ...]
    meta: dict[str, Any]
    char: Tfidf | None = None
    char_weights: np.ndarray | None = None
    word: Tfidf | None = None
    word_weights: np.ndarray | None = None
    encoder: HeadEncoder | None = None

    @property
    def has_actor(self) -> bool:
        """Whether the artifact carries the actor column after the risk heads."""
        return self.weights.shape[1] == len(self.heads) + 1

    def linear_part(self, p: np.ndarray) -> np.ndarray:
        """The linear heads' own scores in one message's score row: after the combined heads
        and the actor column when an encoder added them (see score()), else the row itself."""
        n_cols = len(self.heads) + int(self.has_actor)
        return p[n_cols:] if len(p) > n_cols else p

    def probs(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        """Probabilities per head (and the actor column, if any) for texts and embeddings."""
        z = np.atleast_2d(vectors).astype(np.float32) @ self.weights + self.bias
        for features, weights in ((self.char, self.char_weights), (self.word, self.word_weights)):
            if features is not None and weights is not None:
                z = z + np.stack([features.logits(t, weights) for t in texts])
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def score(self, texts: list[str], with_encoder: bool = True) -> np.ndarray | None:
        """Probabilities per head for texts (None when the embedding model is missing).

        `with_encoder=False` reads the linear heads alone (cheaper: for ranking sentences)."""
        if len(texts) == 1:
            vec = _vector(texts[0])
            vectors = None if vec is None else vec[None, :]
        else:
            from amante.engine.understand.embedding import embed

            vectors = embed(texts)
        if vectors is None:
            return None
        p = self.probs(vectors, texts)
        if not (with_encoder and self.encoder):
            return p
        # the combined scores, then the linear heads' own: the "sure" bars (CUE_FREE, the lifts,
        # the frames) were set on the linear heads' scale and keep reading it
        return np.concatenate([self.encoder.mixed(p, texts), p[:, : len(self.heads)]], axis=1)


def _switched_on(variable: str) -> bool:
    """An environment switch that is on unless set to 0/false/off/no."""
    value = os.environ.get(variable, "on").strip().lower()
    return value not in ("0", "false", "off", "no")


def enabled() -> bool:
    """The classifier runs unless AMANTE_SAFETY_CLASSIFIER is 0/false/off/no."""
    return _switched_on("AMANTE_SAFETY_CLASSIFIER")


def encoder_enabled() -> bool:
    """The fine-tuned encoder is mixed in (when built) unless AMANTE_SAFETY_ENCODER is off."""
    return _switched_on("AMANTE_SAFETY_ENCODER")


def _heads(meta: dict[str, Any]) -> tuple[Head, ...]:
    heads = tuple(
        Head(
            h["name"],
            h["category"],
            h["level"],
            float(h["high"]),
            float(h["medium"]),
            bool(h.get("third_party", False)),
        )
        for h in meta["heads"]
    )
    for h in heads:
        if h.category not in CATEGORIES or h.level not in ("elevated", "crisis"):
            raise ValueError(f"safety classifier head {h.name}: bad category or level")
    return heads


def load(directory: str | None = None) -> SafetyClassifier | None:
    """The packaged heads, or None when switched off (AMANTE_SAFETY_CLASSIFIER) or not built.

    AMANTE_SAFETY_MODEL_DIR serves heads from another folder (scripts/train_safety.py --out,
    scripts/finetune_safety.py --out); AMANTE_SAFETY_ENCODER=off serves the linear heads alone."""
    if not enabled():
        return None
    directory = directory or os.environ.get("AMANTE_SAFETY_MODEL_DIR") or None
    return _load_artifact(directory, encoder_enabled())


@lru_cache(maxsize=4)
def _load_artifact(
    directory: str | None = None, with_encoder: bool = True
) -> SafetyClassifier | None:
    """The linear heads (models/safety.npz + safety.json) and, when built and wanted, the
    encoder beside them (safety_encoder.onnx + .json, whose thresholds then replace the
    heads'); None when the linear heads are absent."""
    base = Path(directory) if directory else MODELS_DIR
    npz, meta_path = base / f"{ARTIFACT}.npz", base / f"{ARTIFACT}.json"
    if not npz.is_file() or not meta_path.is_file():
        return None
    with _lock:
        data = np.load(npz)
        meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        blocks: dict[str, Any] = {}
        for name in ("char", "word"):
            if f"{name}_vocab" in data.files:
                options = meta[name]
                blocks[name] = Tfidf.from_arrays(
                    str(data[f"{name}_vocab"]),
                    data[f"{name}_idf"],
                    analyzer=options["analyzer"],
                    ngram_range=tuple(options["ngram_range"]),
                    **(
                        {"token_pattern": options["token_pattern"]}
                        if "token_pattern" in options
                        else {}
                    ),
                )
                blocks[f"{name}_weights"] = data[f"W_{name}"].astype(np.float32)
        heads = _heads(meta)
        onnx_path, enc_meta = base / f"{ENCODER}.onnx", base / f"{ENCODER}.json"
        if with_encoder and onnx_path.is_file() and enc_meta.is_file():
            encoder = HeadEncoder(onnx_path, enc_meta, heads)
            heads = tuple(
                replace(
                    h,
                    high=float(encoder.combine[h.name]["high"]),
                    medium=float(encoder.combine[h.name]["medium"]),
                )
                for h in heads
            )
            blocks["encoder"] = encoder
        return SafetyClassifier(
            data["W"].astype(np.float32), data["b"].astype(np.float32), heads, meta, **blocks
        )


def _vector(text: str) -> np.ndarray | None:
    """The shared, cached message embedding; None when the model is not installed."""
    try:
        from amante.engine.understand.embedding import EmbeddingModelMissing, analyze_embedding
    except ImportError:  # pragma: no cover - numpy/onnxruntime missing
        return None
    try:
        return analyze_embedding(text)
    except (EmbeddingModelMissing, OSError, RuntimeError):
        return None


@lru_cache(maxsize=256)
def _scores_cached(model: SafetyClassifier, text: str) -> np.ndarray | None:
    p = model.score([text])
    return None if p is None else p[0]


def _scores(model: SafetyClassifier, text: str) -> np.ndarray | None:
    """One message's head probabilities, cached (the screen may see a message twice)."""
    try:
        return _scores_cached(model, text)
    except (OSError, RuntimeError):
        return None


def head_scores(text: str, linear: bool = False) -> dict[str, float]:
    """Each head's probability for one message ({} when the model is unavailable); with
    `linear`, the linear heads' own (what the "sure" bars read) rather than the combined."""
    model = load()
    p = _scores(model, text) if model is not None and text.strip() else None
    if model is None or p is None:
        return {}
    row = model.linear_part(p) if linear else p
    return {h.name: float(row[i]) for i, h in enumerate(model.heads)}


def _evidence(model: SafetyClassifier, text: str, head_index: int) -> tuple[str, int, int]:
    """The sentence that scored highest for the head (the whole text if it is one sentence)."""
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    if len(spans) <= 1:
        s = len(text) - len(text.lstrip())
        return text.strip(), s, s + len(text.strip())
    # only sentences with a word of the head's family can be the evidence, when any has one:
    # embedding every sentence of a long message costs more than the rest of the screen
    head = model.heads[head_index].name
    spans = [sp for sp in spans if _has_cue(head, text[sp[0] : sp[1]])] or spans
    if len(spans) == 1:
        s, e = spans[0]
    else:
        scores = model.score([text[s:e] for s, e in spans], with_encoder=False)
        s, e = spans[int(np.argmax(scores[:, head_index]))] if scores is not None else spans[0]
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return text[s:e], s, e


def raise_with_classifier(
    text: str,
    result: SafetyResult,
    context: SafetyContext | None = None,
    mods: dict[str, bool] | None = None,
) -> SafetyResult:
    """Raise `result` where a head is confident and the rules said less; never lower anything.

    `mods` are the message-level facts the rule layer already read (`message_modifiers` plus
    `context_framed`); without them they are read here."""
    if not enabled() or not text.strip():
        return result
    model = load()
    if model is None:
        return result
    from .screen import context_framed, message_modifiers, others_only

    if mods is None:
        mods = message_modifiers(text)
        mods["context_framed"] = context_framed(context)
    if mods["past_safe"] or mods["context_framed"]:
        return result
    p = _scores(model, text)
    if p is None:
        return result
    earlier = [t for t in (context.previous_user_texts if context else ()) if t.strip()]
    source = [text] * len(model.heads)  # the text each head's score (and cue) comes from
    if earlier:
        # risk that builds over messages: the last few read together ("is 12 storeys enough?"
        # after "she left and I can't do this"); a message alone keeps its own score
        window = "\n".join([*earlier[-2:], text])
        joined = _scores(model, window)
        if joined is not None:
            source = [window if joined[i] > p[i] else text for i in range(len(p))]
            p = np.maximum(p, joined)
    sure = model.linear_part(p)  # what the "sure" bars read
    # in a story, the news or work talk only a head at least STORY_SURE sure may raise
    story_silent = [
        bool(mods["framed_story"]) and sure[i] < STORY_SURE.get(h.name, 2.0)
        for i, h in enumerate(model.heads)
    ]
    if all(story_silent):
        return result  # no head is sure: the rules decide
    others_before = others_only(context.previous_categories if context else ())
    low = text.lower()
    self_target = bool(_SELF_TARGET.search(low))
    kill_for = bool(_KILL_FOR.search(low)) and not self_target
    raised: dict[str, tuple[SafetyLevel, int, bool]] = {}
    flagged = set(result.categories)
    dismissed = set(getattr(result, "dismissed", ())) - flagged
    self_injury = bool(_SELF_INJURY_RULES & set(getattr(result, "rules", ())))
    others_violent = bool(flagged & {*_VIOLENCE, "child_safety"}) or any(
        h.name == "violence" and p[j] >= h.medium for j, h in enumerate(model.heads)
    )
    for i, head in enumerate(model.heads):
        if story_silent[i]:
            continue
        if mods["framed"] and head.category not in _REQUESTS and sure[i] < FRAMED_SURE.get(
            head.name, 2.0
        ):
            continue  # a hobby or a job: only the request heads, or a sure risk head, may raise
        if mods.get("milestone_safe") and head.category in ("self_harm", "medical_emergency"):
            continue  # "3 years since I last cut, celebrating tonight": a recovery, not a risk
        cue_free = sure[i] >= CUE_FREE.get(head.name, float("inf")) and not (
            (head.name == "violence" and _ARGUMENT_NOT_ATTACK.search(low))
            or (head.name == "coercive_control" and _COMPLAINT_ABOUT_ME.search(low))
        )
        if (
            p[i] >= head.medium
            and not cue_free
            and not _has_cue(head.name, source[i])
            and not (
                head.name == "self_harm"
                and not others_violent
                and _cue_found("self_harm_act", source[i])
            )
        ):
            continue
        if p[i] >= head.high:
            level: SafetyLevel = head.level
        elif p[i] >= head.medium:
            level = "elevated"
        else:
            continue
        category = head.category
        if category == "harm_from_partner" and (
            _doer_is_other(model, source[i], mods) or (source[i] != text and others_before)
        ):  # a doer the earlier messages named ("my girlfriend's mum hit me") stays the doer
            category = "harm_from_others"
        family = _VIOLENCE if category in _VIOLENCE else {category}
        if family & dismissed:
            continue  # the rules saw it and ruled it out (negation, a joke, an exclusion)
        if category in _VIOLENCE and not family & flagged and (
            self_injury or _REFLEXIVE_HURT.search(low)
        ):
            continue  # "punching myself in the thigh ... big purple bruises": her own doing
        lift = level == "crisis" and result.level == "elevated" and (
            (category == "self_harm" and sure[i] >= LIFT_TO_CRISIS)
            or (
                category == "harm_from_partner"
                and "harm_from_partner" in flagged
                and "harm_from_partner" not in getattr(result, "third_party_categories", ())
                and not mods["hyperbole"]
                and sure[i] >= LIFT_PARTNER
            )
        )
        if family & flagged and not lift:
            # the rules flagged it at the level they chose; only a head that learned
            # crisis-level messages may lift an elevated flag to crisis: self-harm ("kms fr this
            # time, not joking" after a rule read it as a joke) and harm from a partner, which
            # is always a crisis for the user (writers label it so) unless said in jest
            continue
        if category == "manipulation" and _PROSOCIAL.search(low):
            continue
        if category == "covert_surveillance" and _OWN_PRIVACY.search(low):
            continue  # hiding one's own phone or cash from a controlling partner: not spying
        if mods["hyperbole"] and (
            category == "harm_to_others" or (category in _VIOLENCE and _I_COULD.search(low))
        ):
            continue  # "I could kill him lol", "I could strangle him": the rules decide jest
        if (
            category == "self_harm"
            and _BARE_HEIGHT_QUESTION.match(low)
            and not _distress_before(model, text, earlier, i)
        ):
            continue  # "how tall is the bridge in town", asked alone: a question, not a sign
        if category == "self_harm" and mods["leisure_plan"]:
            continue  # "tallest buildings ... a rooftop bar for our anniversary", with no word of
            # distress in the message: a plan, as the rules read it (at any head score)
        if (
            category == "self_harm"
            and "harm_to_others" in flagged
            and sure[i] < SELF_BESIDE_THREAT
            and not self_target
        ):
            continue  # "I'm going to kill him tonight": the threat is to someone else
        if category == "self_harm" and _NOT_ABOUT_LIFE.search(low) and not self_target:
            continue  # "I'm gonna end it with him": a breakup; "dead on my feet": tired
        if kill_for and category in ("self_harm", "harm_from_partner", "harm_to_others"):
            continue  # "I'd kill for one quiet weekend": an idiom of wanting, not a threat
        if category == "medical_emergency" and mods["medical_minor"]:
            continue  # "a small cut, it stopped bleeding": handled already, not an emergency
        # No cap for negation words or joke markers otherwise: "I don't want to be here" and
        # "hopefully not wake up lol" are how people say it. The heads were trained on negated
        # and joking benign messages, and a negation of the risk itself ("I'm not suicidal") is
        # ruled out by the rules (dismissed above).
        current = raised.get(category)
        if current is None or _RANK[level] > _RANK[current[0]]:
            raised[category] = (level, i, head.third_party)
    result = _reattribute(model, text, result)
    return _merge(model, text, result, raised) if raised else result


def _distress_before(model: SafetyClassifier, text: str, earlier: list[str], head: int) -> bool:
    """Distress in the message or the two messages before it: the rules' distress words, or
    the head scoring the earlier messages alone at its elevated bar."""
    from .screen import _C, normalize
    from .spelling import canonicalize

    shown = [*earlier[-2:], text]
    if any(_C.mods["distress"].search(canonicalize(normalize(t))[0]) for t in shown):
        return True
    if not earlier:
        return False
    before = _scores(model, "\n".join(earlier[-2:]))
    return before is not None and before[head] >= model.heads[head].medium


def _actor_p(model: SafetyClassifier, source: str) -> float | None:
    """The actor head's probability that the doer is not a partner (None without the head)."""
    if not model.has_actor:
        return None
    own = _scores(model, source)  # the window's when the score came from it (cached either way)
    return None if own is None else float(own[len(model.heads)])


def _sure_doer(a: float | None, bar: float) -> str | None:
    """The violence category the actor head names when it is at least `bar` sure, else None."""
    if a is None:
        return None
    if a >= bar:
        return "harm_from_others"
    return "harm_from_partner" if a <= 1 - bar else None


def _doer_is_other(model: SafetyClassifier, source: str, mods: dict[str, bool]) -> bool:
    """For a violence raise: is the doer someone other than a partner?"""
    sure = _sure_doer(_actor_p(model, source), ACTOR_CONFIDENT)
    if sure == "harm_from_partner" and mods["other_actor"]:
        from .screen import names_other_persons_partner

        if names_other_persons_partner(source):
            return True  # "my metamour ... her other partner": the head reads a partner word
    return mods["other_actor"] if sure is None else sure == "harm_from_others"


def _reattribute(model: SafetyClassifier, text: str, result: SafetyResult) -> SafetyResult:
    """Swap a rule finding of violence between partner and others when the actor head is sure.

    Only when the rules named exactly one of the two, for the user (not a third party)."""
    cats = set(result.categories)
    if not model.has_actor or len(cats & _VIOLENCE) != 1 or getattr(result, "actor_fixed", False):
        return result
    if cats & _VIOLENCE & set(getattr(result, "third_party_categories", [])):
        return result
    (have,) = cats & _VIOLENCE
    want = _sure_doer(_actor_p(model, text), ACTOR_OVERRIDE)
    if want is None or want == have:
        return result
    from .screen import ScreenResult, names_only_partner, names_other_persons_partner

    if have == "harm_from_partner" and names_only_partner(text):
        return result  # "my boyfriend keeps turning up outside my lectures": no one else named
    if have == "harm_from_others" and names_other_persons_partner(text):
        return result  # "my girlfriend's husband shoved me": the rules read whose partner

    def swap(c: str) -> str:
        return want if c == have else c

    return ScreenResult(
        level=result.level,
        categories=[c for c in CATEGORIES if c in {swap(c) for c in result.categories}],
        evidence=[Finding(swap(f.label), f.evidence, f.start, f.end) for f in result.evidence],
        refuse=result.refuse,
        third_party=bool(getattr(result, "third_party", False)),
        third_party_categories=list(getattr(result, "third_party_categories", [])),
        rules=sorted({*getattr(result, "rules", []), "clf_actor"}),
        dismissed=list(getattr(result, "dismissed", [])),
        actor_fixed=bool(getattr(result, "actor_fixed", False)),
    )


def _merge(
    model: SafetyClassifier,
    text: str,
    result: SafetyResult,
    raised: dict[str, tuple[SafetyLevel, int, bool]],
) -> SafetyResult:
    """A copy of `result` with the classifier's raises added (categories, level, evidence)."""
    from .screen import ScreenResult

    cats = list(result.categories)
    evidence = list(result.evidence)
    third_cats = list(getattr(result, "third_party_categories", []))
    rules = list(getattr(result, "rules", []))
    level = result.level
    changed = False
    for category, (lvl, head_index, third) in raised.items():
        had = category in cats
        rule_level = result.level if had else "none"
        if had and (third or category in third_cats or _RANK[lvl] <= _RANK[rule_level]):
            continue  # the rules already said as much, or found it is about someone else
        if not had:
            cats.append(category)
            if third:
                third_cats.append(category)
        if _RANK[lvl] > _RANK[level]:
            level = lvl
        ev, s, e = _evidence(model, text, head_index)
        evidence.append(Finding(category, ev, s, e))
        rules.append(f"clf_{model.heads[head_index].name}")
        changed = True
    if not changed:
        return result
    cats = [c for c in CATEGORIES if c in cats]
    third_only = bool(third_cats) and set(cats) <= {*third_cats, "medical_emergency"}
    refuse = result.refuse or bool(set(cats) & _REFUSED)
    return ScreenResult(
        level=level,
        categories=cats,
        evidence=evidence,
        refuse=refuse,
        third_party=third_only,
        third_party_categories=third_cats,
        rules=sorted(set(rules)),
        dismissed=list(getattr(result, "dismissed", [])),
        actor_fixed=bool(getattr(result, "actor_fixed", False)),
    )
