"""Gottman's Four Horsemen and repair attempts, found by precompiled patterns.

The coach looks for criticism, contempt, defensiveness and stonewalling (Gottman, 1994,
"What Predicts Divorce?"; Gottman & Silver, 1999, "The Seven Principles for Making Marriage
Work") both in what the user reports ("she rolled her eyes") and in drafts they paste
("You never listen."). Each finding carries the exact span that showed it, so the coach can
quote it back. Patterns are plain regular expressions compiled at import: pure Python, well
under a millisecond per message, and every decision can be read and tested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from amante.engine.types import Finding

HORSEMEN: tuple[str, ...] = ("criticism", "contempt", "defensiveness", "stonewalling")
REPAIR = "repair"

_F = re.IGNORECASE

# --- shared vocabulary -------------------------------------------------------------------

_PARTNER_NOUN = (
    r"(?:partner|husband|wife|boyfriend|girlfriend|fianc[eé]e?|spouse|bf|gf|hubby|ex|"
    r"man|woman|guy|girl|other half|so)"
)
# Capitalised names, minus words that often start a sentence.
_NAME = (
    r"(?-i:(?!(?:It|This|That|These|Those|There|Here|Things?|Everything|Everyone|Everybody|"
    r"Nothing|Nobody|Life|Work|We|Today|Tonight|Sometimes|Time|Love|People|Someone|Somebody|"
    r"Something|What|Why|How|When|Where|Who|Which|And|But|So|Or|If|Because|The|An?|My|Our|"
    r"Your|His|Her|Their|Yes|No|Well|Oh|Ok|Okay|Honestly|Maybe|Now|Then|Also|Just|Still|"
    r"Even|Money|Dinner|Mom|Dad|Mum|God|Lol|Haha)\b)[A-Z][a-z]+)"
)
_SUBJ = rf"(?:you|he|she|they|(?:my|your) {_PARTNER_NOUN}|{_NAME})"
_AUX = (
    r"(?:\s+(?:have|has|will|would|do|does|did|just|literally|seriously|basically|still|"
    r"honestly|really|pretty much|practically|almost))*"
)
_BE = r"(?:'re|’re|'s|’s|\s+are|\s+is|\s+was|\s+were|\s+has been|\s+have been|'ve been|'ve)"

_TRAITS = (
    r"(?:lazy|selfish|inconsiderate|thoughtless|careless|irresponsible|self[- ]cent(?:ered|red)|"
    r"self[- ]absorbed|immature|unreliable|insensitive|cold(?!\s+(?:at|in|when|outside|hands|"
    r"feet|and (?:flu|sick)))|needy|clingy|dramatic|messy|a slob|"
    r"a mess|sloppy|ungrateful|mean|rude|cheap|stingy|negative|demanding|uncaring|heartless|"
    r"spoiled|spoilt|entitled|a nag|nagging|disorganized|disorganised|stubborn|arrogant|"
    r"a liar|a cheat|a bad (?:father|mother|dad|mom|mum|parent|partner|husband|wife|boyfriend|"
    r"girlfriend|person|friend)|a terrible \w+|a horrible \w+|hopeless|impossible|"
    r"the worst|so difficult|too sensitive|oversensitive|over-sensitive|paranoid|jealous|"
    r"controlling|manipulative|cruel|heartless|a coward|cowardly|weak|boring|a bore|"
    r"unbearable|exhausting|a control freak|a know-it-all|a narcissist|narcissistic|"
    r"a terrible listener|a bad listener|clueless about \w+|incapable of \w+|the problem|"
    r"the reason (?:we|why|for|that|this|everything|nothing|our|I)\b|"
    r"the (?:laziest|meanest|rudest|coldest|messiest|stingiest|cheapest|worst|most \w+)"
    r"(?: (?:man|woman|person|guy|girl|partner|husband|wife|boyfriend|girlfriend))?"
    r"(?: (?:alive|ever|in the world|I know|I'?ve ever met))?|"
    r"emotional|too emotional|irrational|unreasonable|hysterical|overbearing|bossy|toxic|"
    r"closed off|shallow|vain|two-faced|petty|passive[- ]aggressive|moody|grumpy|"
    r"too (?:much|sensitive|loud|intense|demanding)|a hypocrite|hypocritical|"
    r"only (?:think|thinks|thinking|care|cares|caring) about (?:yourself|himself|herself|"
    r"themselves|themself))"
)
_INSULTS = (
    r"(?:idiot|idiotic|stupid|moron|moronic|dumb|dumbass|pathetic|loser|useless|worthless|"
    r"disgusting|a joke|a clown|imbecile|an embarrassment|embarrassing|a waste of space|"
    r"good for nothing|good-for-nothing|incompetent|clueless|dense|brainless|an airhead|"
    r"a baby|a big baby|a child|a crybaby|a drama queen|a psycho|crazy|insane|nuts|pitiful|"
    r"a failure|a fool|foolish|ridiculous|trash|garbage|a disgrace|a parasite|a freeloader|"
    r"fat|ugly|gross|a nobody|dead weight|a burden|a princess|a snowflake|"
    r"a piece of work|an ass|a jerk|an asshole|a bitch|a bastard|a dick|a slut|"
    r"a retard|retarded|a creep)"
)
# "crazy about me", "a child psychologist": not insults.
_NOT_ABOUT = r"(?!\s+(?:about|for|over|in love|psycholog\w*|care|therapist|of|to (?:me|us)|at)\b)"
_MODS = r"(?:(?:so|such|really|just|completely|totally|always|being|a|an|the most|too|"
_MODS += r"truly|absolutely|utterly|incredibly|unbelievably|freaking|fucking|damn|bloody|"
_MODS += r"such an?|literally|acting|a little|kind of|kinda|very|plain|simply|honestly|seriously|"
_MODS += r"genuinely|actually|clearly|obviously|basically|still|ever so|the single most)\s+)*"

# What follows "you always"/"you never" that is praise, not blame.
_POSITIVE_AFTER_ALWAYS = re.compile(
    r"^\s*(?:(?:attacking|blaming|accusing|picking on|criticizing|criticising) me|"
    r"(?:know|knows|knew) (?:how|what|just|exactly)|"
    r"(?:make|makes|made) (?:me|us|everyone|everybody|my day|things)(?: \w+)?\s*"
    r"(?:laugh|smile|happy|feel (?:good|better|safe|loved|special|seen|heard|calm)|better)|"
    r"(?:make|makes|made) time|"
    r"(?:help|helps|helped|support|supports|supported|surprise|surprises|amaze|amazes|"
    r"cheer|cheers|encourage|encourages|believe|believes|back|backs|protect|protects|"
    r"comfort|comforts|remember|remembers|listen|listens|thank|thanks|appreciate|"
    r"appreciates|care|cares|cook|cooks|(?:bring|brings) (?:me|us|home|flowers|coffee)|"
    r"hug|hugs|kiss|kisses|love|loves|(?:check|checks) (?:on|in)|(?:ask|asks) (?:about|how|"
    r"if|me how)|notice|notices|(?:find|finds) (?:a way|time|the time|the good)|"
    r"manage|manages|come through|"
    r"comes through|show up|shows up|"
    r"(?:say|says) [\"“']?(?:thank|i love|sweet|nice|the right|good morning|good night|hello)|"
    r"(?:put|puts) (?:me|us|the kids|our|family) |(?:keep|keeps) (?:your|his|her|their) "
    r"(?:promise|word)|(?:look|looks) (?:great|good|amazing|beautiful|handsome|lovely|cute)|"
    r"been (?:there|kind|good|great|patient|supportive|so)|"
    r"have my back|has my back|got my back|there for|so kind|so patient|so sweet|"
    r"so thoughtful|so supportive|so generous|so good|on time|right there|welcome|"
    r"the first to (?:apologi|say sorry|help)|willing|happy to|ready to|honest|"
    r"fun|patient|kind|sweet|thoughtful|generous|calm|gentle|loyal|lovely|"
    r"(?:in|on) my corner|by my side|wanted|wanting to|tries|try (?:to|so|hard)|do your best|"
    r"does (?:his|her|their) best|"
    r"(?:get|gets) (?:me|it)|understand|understands)\b)",
    _F,
)
_POSITIVE_AFTER_NEVER = re.compile(
    r"^\s*(?:(?:fail|fails|failed) to|(?:let|lets) (?:me|us) down|(?:give|gives) up|"
    r"(?:complain|complains|complained)|(?:judge|judges|judged)|"
    r"(?:forget|forgets|forgot) (?:my|our|to|a|the)|(?:miss|misses|missed) (?:a|our|my|the)|"
    r"(?:cease|ceases) to|(?:stop|stops|stopped) (?:making|loving|trying|surprising|"
    r"caring|supporting|believing|helping|amazing|being)|"
    r"(?:yell|yells|yelled|shout|shouts|hit|hits|lie|lies|lied|cheat|cheats|cheated|"
    r"hurt|hurts|raise|raises|raised|belittle|belittles|criticize|criticizes|criticise|"
    r"criticises|blame|blames|pressure|pressures|push|pushes|rush|rushes|nag|nags|"
    r"doubt|doubts|doubted|mock|mocks|waver|wavers|hesitate|hesitates|disappoint|"
    r"disappoints|bore|bores|gets? bored|tire|tires|gets? tired|mind|minds|hold|holds|"
    r"(?:say|says) (?:no|a bad word|anything bad|anything mean)|"
    r"looked better|looked so|been (?:happier|better|more|so happy|so in love|this happy)|"
    r"felt (?:so|more|this|closer)|had a bad|(?:take|takes) (?:me|us) for granted|"
    r"(?:make|makes) (?:me )?feel (?:bad|small|stupid|guilty|judged)|too busy for|"
    r"(?:leave|leaves) (?:me|us)|gone to bed angry|go to bed angry|goes to bed angry|"
    r"been (?:to|there|abroad|on|in|out of)|heard of|(?:late|rude|mean|unkind|cruel|jealous|"
    r"selfish|lazy|boring|dull|grumpy|unfair|harsh|dishonest)\b|seen (?:a|the|it|that)|tried|"
    r"know(?:s)? (?:what(?:'s| is| will| might)|with|how (?:it|things)|when (?:it|something|"
    r"things))|knows?\s*[.!?,]|mind|mind me|thought|expected|imagined|"
    r"(?:meant|means) to (?:hurt|upset)|wanted to hurt)\b)",
    _F,
)

# --- rule table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """One pattern for one label; `neg` means a nearby negation cancels it."""

    label: str
    pattern: re.Pattern[str]
    neg: bool = False
    check: str = ""  # "always" / "never": continuation must not be praise


# "You always X" is criticism when X is a complaint, not a neutral habit ("always calls his mom").
_ALWAYS_BLAME = re.compile(
    r"^\s*(?:\w+\s+){0,4}?(?:late|forget\w*|forgot|leav(?:e|es|ing) (?:your|his|her|their|"
    r"the|me|us|dishes|clothes|stuff|things|a mess)|on (?:your|his|her|their) (?:phone|laptop|"
    r"computer|game|tablet)|complain\w*|nag\w*|criticiz\w*|criticis\w*|interrupt\w*|yell\w*|"
    r"shout\w*|scream\w*|blam\w+|bring\w* up|brought up|turn\w* (?:every|it|everything|this)|"
    r"make\w* (?:everything|it|this|a scene|a big deal|excuses|me (?:wait|feel (?:bad|small|"
    r"stupid|guilty)))|find\w* (?:something|fault|a reason)|ruin\w*|mess\w*|wrong|"
    r"(?:has|have|need|needs) to (?:be right|have|win|get|control|be the|make it)|last word|"
    r"lie|lies|lying|ignor\w+|cancel\w*|flak\w+|bail\w*|too busy|busy|tired|working|at work|"
    r"out with|glued|gaming|drunk|drinking|spend\w* (?:money|too|all|so much)|overreact\w*|"
    r"exaggerat\w*|twist\w*|correct\w*|lectur\w*|judg\w*|pick\w* (?:on|fights?|apart)|"
    r"start\w* (?:fights?|arguments?|drama|something)|put\w* (?:me|us) (?:last|down|second)|"
    r"choos\w+ (?:your|his|her|their)|side\w* with|tak\w+ (?:your|his|her|their) \w+'?s? "
    r"side|doing (?:this|that)|do (?:this|that)|the same thing|mad|angry|upset|grumpy|rude|"
    r"snap\w*|attack\w*|in a (?:bad|foul|mood)|on my (?:case|back)|asleep|sleeping|texting|"
    r"gone|away|somewhere else|distracted|avoid\w*|sulk\w*|dismiss\w*|expect\w*|assum\w*|"
    r"get\w* (?:your|his|her|their) (?:own )?way|talk\w* (?:over|about (?:yourself|himself|"
    r"herself|themselves|your|his|her))|leaves? me|left me|about (?:you|him|her|them)|"
    r"one(?:-| )upp?\w*|sarcastic|negative|critical|defensive|on edge|distant|"
    r"with (?:your|his|her|their) (?:friends|phone|mom|mother)|says? (?:I|I'm|that I|no)|"
    r"said (?:I|that I)|tell\w* me (?:I|what|how)|say\w* no|find\w* (?:a way|an excuse) to|"
    r"the (?:victim|one who)|act\w* like|push\w*|rush\w*|pressur\w*|wait\w* until|"
    r"wait\w* for the last|last minute|put\w* (?:it|things) off|procrastinat\w*|"
    r"interrupt|check\w* (?:your|his|her|their|out)|excuses?|some excuse|an excuse|"
    r"point\w* out|need\w* (?:something|more)|(?:looking|look|looks|picking|pick|picks) "
    r"(?:for )?(?:a )?fights?)",
    _F,
)
_COMPLAINT_CONTEXT = re.compile(
    r"\b(?:tired of|sick of|fed up|hate|annoy\w*|frustrat\w*|can'?t stand|ugh|seriously|"
    r"drives me|every (?:single )?time|why|again|anymore|instead of|like it'?s my job|sick|"
    r"exhausting|exhausted|hurt\w*|upset|angry|mad)\b|!",
    _F,
)


def _r(label: str, pattern: str, *, neg: bool = False, check: str = "") -> _Rule:
    return _Rule(label, re.compile(pattern, _F), neg, check)


_CLAUSE = r"[^.!?;,\n\"“”]{0,70}"

_RULES: tuple[_Rule, ...] = (
    # ---------------- criticism: global "always/never" and character attacks
    _r(
        "criticism",
        rf"\b{_SUBJ}{_BE}?{_AUX}\s+(?P<kw>always|never|constantly|continually|forever)\b"
        rf"(?P<cont>{_CLAUSE})",
        check="kw",
    ),
    _r(
        "criticism",
        rf"\b(?:why|how come)\s+(?:do|does|can't|cant|won't|wont|don't|dont|doesn't|doesnt|"
        rf"can|is|are|must)\s+{_SUBJ}\s+(?P<kw>always|never|ever)\b(?P<cont>{_CLAUSE})",
        check="kw",
    ),
    _r(
        "criticism",
        rf"\b{_SUBJ}\s+(?:can't|cannot|won't|don't|doesn't|couldn't|didn't|can never)\s+"
        rf"(?:ever|even once)\b{_CLAUSE}",
    ),
    _r("criticism", rf"\b{_SUBJ}\s+(?:have|has)n't once\b{_CLAUSE}"),
    _r("criticism", rf"\bnot (?:once|one time)\s+(?:have|has|did|do|does)\s+{_SUBJ}\b{_CLAUSE}"),
    _r(
        "criticism",
        rf"\b{_SUBJ}{_BE}\s+{_MODS}(?P<trait>{_TRAITS})\b",
        neg=True,
    ),
    _r(
        "criticism",
        rf"\bwhat(?:'s| is) wrong with (?:you|him|her|them)\b|"
        rf"\bwhat kind of (?:person|man|woman|husband|wife|partner|mother|father)\s+"
        rf"(?:does|would|forgets|says)\b{_CLAUSE}|"
        rf"\b(?:so |how )?typical(?: of (?:you|him|her|them))?\b(?=[.!?]|\s*$)|"
        rf"\bthat's (?:just )?so (?:like you|you)\b|"
        rf"\bevery (?:single )?time,? (?:you|he|she|they)\b{_CLAUSE}|"
        rf"\b(?:you|he|she|they) (?:only|just) (?:ever )?(?:think|thinks|care|cares) about "
        rf"(?:yourself|himself|herself|themselves)\b|"
        rf"\byou(?:'re| are) (?:the )?(?:reason|problem) (?:why|that|for|with)\b{_CLAUSE}",
    ),
    _r(
        "criticism",
        rf"\b(?:say|says|said|tell|tells|told|thinks|thought|claims|claimed|yell|yells|yelled|"
        rf"scream|screams|screamed|shout|shouts|shouted|keeps? saying|kept saying|complain|"
        rf"complains|complained|accuse|accuses|accused|keeps? telling me|kept telling me|"
        rf"tells everyone|told everyone|insists|insisted)\s+(?:me\s+)?(?:that\s+)?"
        rf"I(?:'m| am|'ve| have)?\s+(?P<kw>always|never|constantly)\b(?P<cont>{_CLAUSE})",
        check="report",
    ),
    _r(
        "criticism",
        rf"\b(?:say|says|said|tell|tells|told|thinks|thought|claims|claimed|yell|yells|yelled|"
        rf"scream|screams|screamed|shout|shouts|shouted|keeps? saying|kept saying|accused me of "
        rf"being|calls? me|called me|calling me|keeps? telling me|kept telling me|tells everyone|"
        rf"told everyone|insists|insisted|keeps? calling me|kept calling me)\s+(?:me\s+)?"
        rf"(?:that\s+)?(?:I(?:'m| am| was)"
        rf"\s+)?{_MODS}(?P<trait>{_TRAITS})\b",
        neg=True,
    ),
    # ---------------- contempt: insults, mockery, eye-rolling, superiority, sarcasm
    _r("contempt", rf"\b{_SUBJ}{_BE}\s+{_MODS}(?:{_INSULTS})\b{_NOT_ABOUT}", neg=True),
    _r(
        "contempt",
        rf"\b{_SUBJ}{_BE}\s+{_MODS}(?:[a-z]+\s+)?(?:jerk|idiot|moron|loser|asshole|bitch|"
        rf"bastard|dick|fool|clown|creep|imbecile|dumbass|failure|disgrace|slob|pig|brat)\b",
        neg=True,
    ),
    _r(
        "contempt",
        rf"\b(?:calls?|called|calling|call)\s+me\s+(?:a\s+|an\s+)?{_MODS}(?:{_INSULTS})\b",
        neg=True,
    ),
    _r(
        "contempt",
        rf"\b(?:say|says|said|tell|tells|told|thinks|yells|yelled|screamed|shouted|"
        rf"keeps? saying|kept saying|keeps? telling me|kept telling me|tells everyone|"
        rf"told everyone|insists|insisted)\s+(?:me\s+)?(?:that\s+)?I(?:'m| am| was)\s+{_MODS}"
        rf"(?:{_INSULTS})\b",
        neg=True,
    ),
    _r(
        "contempt",
        r"\b(?:you|what an?|you're an?|you are an?)\s+(?:absolute |total |"
        r"complete |stupid |fucking |freaking |pathetic |utter )*(?:idiot|moron|loser|"
        r"imbecile|clown|fool|dumbass|joke|disgrace)\b",
        neg=True,
    ),
    _r("contempt", r"(?<![\w'])(?:pathetic|idiot|moron|loser)(?=\s*[.!?]|\s*$)"),
    _r(
        "contempt",
        r"\b(?:roll|rolls|rolled|rolling)\s+(?:his|her|their|my|your|its)\s+eyes\b|"
        r"\beye[- ]?rolls?\b|\beye[- ]?rolling\b|\*\s*rolls? eyes\s*\*",
    ),
    _r(
        "contempt",
        r"\b(?:sneer|sneers|sneered|sneering|scoff|scoffs|scoffed|scoffing|smirk|smirks|"
        r"smirked|smirking|snicker|snickers|snickered|snort|snorts|snorted)\b(?! at the (?:movie|"
        r"film|show|joke))(?:\s+at\s+(?:me|him|her|them|us))?",
    ),
    _r(
        "contempt",
        r"\b(?:mock|mocks|mocked|mocking|mimic|mimics|mimicked|imitate|imitates|imitated|"
        r"imitating|ridicule|ridicules|ridiculed|ridiculing|belittle|belittles|belittled|"
        r"belittling|humiliate|humiliates|humiliated|humiliating|insult|insults|insulted|"
        r"insulting)\s+(?:me|him|her|them|us|my|his|her|the way I)\b",
    ),
    _r(
        "contempt",
        r"\b(?:makes?|made|making) fun of (?:me|him|her|them|us|my|how I|the way I)\b|"
        r"\b(?:laugh|laughs|laughed|laughing) (?:at|in) (?:me|my face|him|her|them)\b|"
        r"\b(?:talks?|talked|talking|speaks?|spoke|speaking) down to (?:me|him|her|them|us)\b|"
        r"\b(?:looks?|looked|looking) down on (?:me|him|her|them|us)\b|"
        r"\bcondescending\b|\bpatroni[sz](?:e|es|ed|ing)\b|\bin disgust\b|"
        r"\b(?:calls?|called|calling) me names\b|\bname[- ]calling\b|"
        r"\btreats? me like (?:a |an )?(?:child|idiot|kid|servant|maid|moron|baby|nothing|"
        r"dirt|garbage|trash|an? (?:idiot|child))\b|\btreated me like (?:a |an )?(?:child|"
        r"idiot|kid|servant|maid|moron|baby|nothing|dirt|garbage|trash)\b|"
        r"\blooks? at me like I(?:'m| am) (?:stupid|an idiot|nothing|dirt|crazy|a child)\b|"
        r"\blooked at me like I was (?:stupid|an idiot|nothing|dirt|crazy|a child)\b",
    ),
    _r(
        "contempt",
        r"\b(?:you|he|she|they|it)\s+(?:disgust|disgusts|disgusted|sicken|sickens)\s+me\b|"
        r"\bgrow up\b|\bget a life\b|\bboo[- ]?hoo\b|\bcry me a river\b|"
        r"\bwhatever you say\b|\boh,? poor (?:you|baby|thing)\b|"
        r"\bI(?:'m| am) the only (?:adult|grown[- ]up|one with a brain|responsible one|"
        r"sane one|one who (?:does|cares|works|thinks|pulls))\b|"
        r"\bunlike (?:you|some people)\b|"
        r"\b(?:even )?a (?:child|toddler|monkey|five[- ]year[- ]old|5[- ]year[- ]old|"
        r"kid) (?:could|would|can) (?:do|figure|understand|manage)\b|"
        r"\bdo I (?:have|need) to (?:spell it out|explain everything|draw you a picture)\b|"
        r"\bhow (?:stupid|dumb|dense|thick) (?:are|can) you\b|"
        r"\bare you (?:really |even |seriously )?(?:that|this) (?:stupid|dumb|dense|thick|"
        r"slow)\b|\bI can't believe I (?:married|ended up with|chose|picked|date)\b|"
        r"\bwhat (?:a|an) (?:joke|loser|idiot|baby|child|clown|disappointment)\b|"
        r"\bwho even (?:does|says|thinks) that\b|"
        r"\bnice (?:going|job|work|one),? (?:genius|einstein|sherlock|hero|champ)\b|"
        r"\b(?:oh|wow|yeah),? (?:great|nice|good|brilliant|fantastic|amazing|well done)"
        r"(?: job| going| work| move| one| idea| plan)?,? (?:genius|einstein|sherlock|"
        r"captain obvious|mr\.? perfect|ms\.? perfect|your majesty|princess|hero|champ)\b|"
        r"\b(?:oh|wow),? (?:great|nice|good|brilliant|way to go) (?:job|going|work|move)\b"
        r"(?!,? (?:honey|babe|love|sweetie|darling))|"
        r",\s*(?:genius|einstein|sherlock|captain obvious|your majesty)\b|"
        r"\bwith (?:a |that )?(?:sarcastic|mocking|nasty|snide|condescending) (?:tone|voice|"
        r"laugh|smile|look)\b|\bsarcastic(?:ally)?\b|\bsnide\b|\bcontemptuous(?:ly)?\b|"
        r"\bshakes? (?:his|her|their) head at me\b|\bshook (?:his|her|their) head at me\b|"
        r"\b(?:wow|oh),? (?:what a|such a) (?:surprise|shock)\b|"
        r"\bwho (?:asked|cares) (?:you|what you think)\b|"
        r"\byou(?:'re| are) (?:such )?a (?:joke|disappointment|child|baby)\b|"
        r"\bact(?:ing)? like (?:a )?(?:child|baby|toddler|five[- ]year[- ]old)\b|"
        r"\bmakes? me feel (?:stupid|small|worthless|like an idiot|like nothing|pathetic)\b|"
        r"\bmade me feel (?:stupid|small|worthless|like an idiot|like nothing|pathetic)\b",
        neg=True,
    ),
    _r(
        "contempt",
        r"\b(?:your|his|her|their) (?:stupid|pathetic|idiotic|dumb|ridiculous|precious|"
        r"little|so-called|silly) (?:job|friends?|hobby|hobbies|feelings|ideas?|plans?|"
        r"opinions?|car|games?|diet|band|family|mother|mom|dad|problems?|drama|excuses?)\b|"
        r"\b(?:I'?m|I am|she'?s|he'?s|they'?re|she is|he is|they are)\s+the only (?:one|"
        r"adult|grown[- ]up|person)(?: in (?:this|the|our) (?:house|home|marriage|relationship|"
        r"family))?\s+(?:with (?:a brain|any sense|common sense|half a brain)|who (?:can|"
        r"knows|thinks|has a brain|has any sense)|that (?:can|knows|thinks))\b|"
        r"\bcongratulations,? you (?:managed|finally|actually)\b|\bslow clap\b|"
        r"\b(?:little |cheap |snide |nasty )?(?:digs?|jabs?|cheap shots?|put[- ]downs?) "
        r"(?:about|at) (?:me|my|how I|the way I)\b|\bbackhanded (?:compliments?|comments?)\b|"
        r"\b(?:disgusted|dirty|nasty|withering|contemptuous|scornful) (?:look|looks|face|"
        r"glance|stare)\b|\blook of (?:disgust|contempt|pity)\b|"
        r"\b(?:wow|oh),? you (?:finally|actually) (?:did|remembered|managed)\b|"
        r"\b(?:acts?|acted|acting|thinks?|thought) (?:like )?(?:he'?s|she'?s|they'?re|he is|"
        r"she is|they are|he was|she was) (?:so much |way |so )?(?:better|smarter|superior|"
        r"above) (?:than )?(?:me|us|everyone)\b|\blooks? down (?:his|her|their) nose\b|"
        r"\b(?:do you )?want a (?:medal|cookie|trophy|gold star|parade|prize|round of "
        r"applause)\b|\b(?:should I|shall I) (?:throw you a parade|give you a medal)\b|"
        r"\bacts? like I(?:'m| am) (?:a |an )?(?:child|idiot|kid|moron|baby|stupid|dumb|"
        r"toddler)\b|\bacted like I was (?:a |an )?(?:child|idiot|kid|moron|baby|stupid)\b|"
        r"\b(?:sarcastic|mocking|snide|condescending|patroni[sz]ing|sneering|smug|"
        r"contemptuous|whiny|baby) (?:tone|voice|laugh|smile|look|comment|comments|remark|"
        r"remarks|way|grin|face)\b",
        neg=True,
    ),
    # ---------------- defensiveness: counter-attack, innocent victim, "yes, but"
    _r(
        "defensiveness",
        r"(?:^|[.!?:]\s*|[\"“‘]\s*|(?<!\w)'|\b(?:said|says|goes|snapped|replied)\s+)"
        r"(?:oh,?\s+)?(?:well|oh yeah|yeah well)\s*,?\s+(?:you(?!\s+(?:know|see|could|"
        r"might|may|can)\b)|what about|"
        r"maybe if you|if you|at least I|I wouldn't|I wouldn't have|I'd)\b[^.!?\n\"”]{0,60}",
    ),
    _r(
        "defensiveness",
        r"\bwhat about (?:when|the time|all the times|that time|you|your|how you)\b"
        r"[^.!?\n\"”]{0,50}",
    ),
    _r(
        "defensiveness",
        r"\b(?:it'?s|it is|it was|that'?s|that is|that was|this is|this was|wasn't|isn't|"
        r"is not|was not)\s*(?:not\s+)?(?:my|his|her|their) fault\b|"
        r"\bnot (?:my|his|her|their) fault\b|"
        r"\b(?:why|how come) (?:is it|it'?s) (?:always )?my fault\b|"
        r"\bso (?:it'?s|now it'?s|everything'?s) my fault\b|"
        r"\b(?:of course|so) (?:it'?s|everything is) (?:all )?my fault\b|"
        r"\bwhy (?:are|do) you (?:always )?(?:attacking|attack|blaming|blame|picking on|"
        r"pick on|criticizing|criticising|coming at|getting on) me\b|"
        r"\bstop (?:attacking|blaming|criticizing|criticising|picking on|accusing) me\b|"
        r"\byou(?:'re| are) (?:always )?(?:attacking|blaming|accusing|picking on) me\b|"
        r"\bdon't (?:blame|look at) me\b|\bI didn't do anything(?: wrong)?\b|"
        r"\b(?:I|he|she|they)(?: (?:did|has done|have done|had done)|'ve done|'s done) "
        r"nothing wrong\b|\bI haven't done anything(?: wrong)?\b|"
        r"\b(?:he|she|they) (?:didn'?t|hasn'?t|haven'?t) done anything wrong\b|"
        r"\bI was (?:only|just) (?:trying|joking|kidding|being honest|asking|saying)\b|"
        r"\bI only did (?:that|it) because you\b|\byou made me (?:do|say|act|react|yell|"
        r"lose)\b|\byou(?:'re| are) the one who\b[^.!?\n\"”]{0,50}|\byou started it\b|"
        r"\byou do (?:it|that|the same)(?: thing)? too\b|\byou(?:'re| are) one to talk\b|"
        r"\blook who'?s talking\b|\blike you(?:'re| are) (?:so )?perfect\b|"
        r"\byou(?:'re| are)n'?t (?:exactly )?perfect either\b|"
        r"\byou(?:'re| are) not (?:exactly )?perfect either\b|"
        r"\bI(?:'m| am) not the (?:only )?one who\b[^.!?\n\"”]{0,50}|"
        r"\bI can't do anything right\b|\bnothing I do is ever good enough for you\b|"
        r"\bI had no choice\b|\bI can't help it if\b|\bhow was I supposed to know\b|"
        r"\bit'?s not like I\b[^.!?\n\"”]{0,40}|\bI was going to\b[^.!?\n\"”]{0,25}\bbut you\b|"
        r"\bI already (?:said|told you) I\b|\bexcuse me for (?:breathing|living|existing)\b|"
        r"\bsorry for (?:breathing|existing|being alive)\b|"
        r"\bthat'?s not what (?:I|happened)\b|\bthat'?s not true,? I\b",
    ),
    _r(
        "defensiveness",
        r"(?:^|[.!?\"“]\s*|,\s*|(?<!\w)')(?:yes|yeah|yea|sure|ok|okay|fine|right|true),?\s+"
        r"but\s+(?:you|I|it|that|he|she|they|what about|at least|if you|honestly|in my "
        r"defen[cs]e|your)\b[^.!?\n\"”]{0,50}",
    ),
    _r(
        "defensiveness",
        r"\b(?:gets?|got|getting|became|becomes|is|was|are|were|'s|'re|be|being|went)\s+"
        r"(?:so |really |super |very |always |immediately |instantly |all |totally |just |"
        r"extremely |incredibly )*defensive\b|"
        r"\b(?:turns?|turned|turning|flips?|flipped|flipping|twists?|twisted|twisting)\s+"
        r"(?:it|everything|things|the (?:whole )?(?:thing|conversation|argument))\s+"
        r"(?:around|back)(?: on me| on him| on her| to me)?\b|"
        r"\b(?:makes?|made|making) (?:it|everything|this) (?:all )?about (?:him|her|them|"
        r"himself|herself|themselves)\b|"
        r"\b(?:lists?|listed|listing|lists off|rattles off|rattled off) (?:everything|all the "
        r"(?:things|stuff)|every (?:mistake|thing)) (?:I'?ve|I have|I) (?:ever )?(?:done|did)"
        r"(?: wrong)?\b|\b(?:brings?|brought) up my (?:mistakes|past|old mistakes)\b|"
        r"\bnot (?:my|his|her|their) problem\b|"
        r"\brich coming from you\b|\bsays the (?:one|guy|man|woman|person) who\b|"
        r"\bpot calling the kettle\b|\bI(?:'m| am) not the one (?:with|who)\b[^.!?\n]{0,40}|"
        r"\b(?:says?|said|tells? me|told me) (?:that )?I(?:'m| am| was) the one (?:who|that)\b|"
        r"\b(?:has|had|have|there'?s) (?:always )?(?:some|an|another|a new) excuse\b|"
        r"\balways an excuse\b|\bexcuses? for everything\b|"
        r"\b(?:blames?|blamed|blaming) (?:me|everyone|everything|it on)\b|"
        r"\b(?:plays?|played|playing) the victim\b|\b(?:makes?|made|making) excuses\b|"
        r"\b(?:has|had) an excuse for everything\b|\bdeflects?\b|\bdeflected\b|\bdeflecting\b|"
        r"\bnever admits? (?:he|she|they|that|anything|fault|to)\b|"
        r"\b(?:denies|denied) (?:everything|it|doing|saying|that)\b|"
        r"\b(?:brings?|brought) up (?:something|stuff|things|everything|the time|what) I\b|"
        r"\bthrows? (?:my|our|it) .{0,20}?back (?:at|in) me\b|"
        r"\b(?:says?|said) (?:it'?s|it was|that'?s) not (?:his|her|their) fault\b|"
        r"\b(?:says?|said) I'?m (?:the one )?(?:attacking|blaming|picking on) (?:him|her|them)\b|"
        r"\b(?:says?|said) I(?:'m| am) (?:always )?attacking\b|"
        r"\b(?:counter[- ]?attacks?|counter[- ]?attacked|counter[- ]?attacking)\b|"
        r"\bit'?s always (?:my|someone else'?s|somebody else'?s) fault\b|"
        r"\bjustif(?:y|ies|ied|ying) (?:himself|herself|themselves|myself|everything)\b|"
        r"\bI (?:always )?(?:get|got) defensive\b|\b(?:says?|said) (?:I|he|she) started it\b",
    ),
    # ---------------- stonewalling: shutting down, walking away, silent treatment
    _r(
        "stonewalling",
        r"\b(?:walks?|walked|walking|storms?|stormed|storming|stomps?|stomped)\s+"
        r"(?:off|away|out)(?: on me| of the room| mid[- ]sentence| in the middle)?\b"
        r"(?!\s+(?:to (?:work|the (?:store|shop|gym|station|office|park))|with|"
        r"the door to))|"
        r"\b(?:leaves?|left|leaving)\s+the\s+(?:room|table|conversation)\b|"
        r"\b(?:leaves?|left|leaving)\s+the\s+house\b(?!\s+(?:at|for|to|early|this|every|by|"
        r"before|after|around|with|on time|on))|"
        r"\bsilent treatment\b|\bcold shoulder\b|"
        r"\b(?:won't|wouldn't|doesn't|didn't|don't|refuses? to|refused to|refusing to|stops?|"
        r"stopped|stopping|can't|cannot)\s+(?:even\s+)?(?:talk|talking|speak|speaking|"
        r"answer|answering|respond|responding|reply|replying|engage|engaging|discuss|"
        r"discussing|look at me|looking at me|say a word|saying a word|say anything|"
        r"saying anything|text back|answer (?:me|my))\b(?! (?:about the (?:weather|game)))|"
        r"\b(?:stares?|stared|staring|scrolls?|scrolled|scrolling)\s+(?:at|on|through)?\s*"
        r"(?:his|her|their|my|the)\s+(?:phone|tv|screen|wall|laptop|computer|game)\b|"
        r"\b(?:goes|went|going|go|gone)\s+(?:completely\s+|totally\s+|all\s+)?"
        r"(?:quiet|silent|cold|dark|mute|blank|numb)\b|"
        r"\b(?:shuts?|shut|shutting)\s+(?:down|me out|him out|her out|them out|off|"
        r"the conversation down|everything down|it down)\b|"
        r"\b(?:clams?|clammed|clamming)\s+up\b|"
        r"\b(?:tunes?|tuned|tuning|zones?|zoned|zoning|checks?|checked|checking)\s+"
        r"(?:me\s+)?out\b|"
        r"\bstonewall(?:s|ed|ing)?\s+(?:me|us|him|her|them)\b|"
        r"\b(?:(?:he|she|they|you|I|partner|husband|wife|boyfriend|girlfriend)\s+(?:is|keeps?|"
        r"kept|was|has been|have been|were|are|am|just)|I'm|he's|she's|they're|you're)\s+"
        r"(?:always\s+|just\s+|totally\s+)?stonewalling\b|"
        r"\b(?:ignores?|ignored|ignoring)\s+(?:me|him|her|them|my (?:texts|messages|calls|"
        r"questions))\b|"
        r"\bleft me on read\b|\bleaves me on read\b|\b(?:hangs?|hung)\s+up\s+on\b|"
        r"\bone[- ]word answers?\b|\bturns? (?:his|her|their) back\b|"
        r"\bturned (?:his|her|their) back\b|\bacts? like I(?:'m| am) not (?:there|here)\b|"
        r"\bacted like I wasn't (?:there|here)\b|\bpretends? (?:not to hear|I'm not there)\b|"
        r"\b(?:puts?|put) (?:his|her|their) headphones on\b|"
        r"\bI(?:'m| am) done (?:talking|discussing|with this conversation)\b|"
        r"\bI don'?t want to talk about (?:it|this|that)\b|"
        r"\bI(?:'m| am) not (?:talking|discussing) (?:about )?(?:this|it|that)"
        r"(?=\s*(?:[.!,?]|$|anymore|again|now|right now|with you|tonight|any ?more))|"
        r"\bI(?:'m| am) not (?:talking to you|doing this|having this conversation)\b|"
        r"\b(?:locks?|locked|locking) (?:himself|herself|themselves|myself) (?:in|away)\b|"
        r"\b(?:goes|go|went|going|retreats?|retreated|disappears?|disappeared|escapes?|"
        r"escaped) (?:to|into) (?:the|my|his|her|their) (?:bedroom|room|garage|office|basement|"
        r"car|study)\b(?!\s+(?:to (?:get|grab|find|fetch)|for (?:a|the) \w+))|"
        r"\bpretends? (?:(?:he|she|they|I) )?(?:didn'?t|doesn'?t|can'?t|not to) hear\b|"
        r"\bpretended (?:(?:he|she|they|I) )?(?:didn'?t|couldn'?t|not to) hear\b|"
        r"\bend of (?:discussion|conversation|story)\b|"
        r"(?:^|[.!?]\s*)not (?:doing|having) this (?:again|now|tonight|anymore|right now)\b|"
        r"\b(?:this|the) conversation is over\b|\bwe(?:'re| are) done here\b|"
        r"\bI (?:just )?(?:stop|stopped) (?:talking|responding|answering|replying)\b|"
        r"\bI (?:just )?(?:shut|shuts) down\b|\bI (?:just )?(?:go|went) (?:quiet|silent|numb)\b|"
        r"\bleave me alone\b|\bghost(?:s|ed|ing)? me\b|\bblocks? me\b|\bblocked me\b|"
        r"\bdoesn'?t (?:even )?(?:look up|react|flinch|acknowledge me)\b|"
        r"\bdidn'?t (?:even )?(?:look up|react|acknowledge me)\b|"
        r"\b(?:like|it'?s like) talking to a (?:wall|brick wall|rock|stone)\b|"
        r"\b(?:hides?|hid|hiding) in (?:the|his|her|their) (?:garage|office|room|bedroom)\b|"
        r"\bjust (?:stares|stared|sits|sat) there\b|\bstone[- ]faced\b|\bnot a word\b|"
        r"\bfor days without (?:a word|speaking|talking)\b|\bwithdraws?\b|\bwithdrew\b|"
        r"\bwithdrawn\b|\bwithdrawing\b",
        neg=False,
    ),
    # ---------------- repair: apologies, do-overs, taking responsibility, breaks with return
    _r(
        "repair",
        r"\bI(?:'m| am)\s+(?:so |really |very |truly |genuinely )?sorry\b|"
        r"(?:^|[.!?\"“]\s*)sorry(?:,| for| about| that| I| babe| love|\.|!|$)|"
        r"\bI apologi[sz]e\b|\b(?:apologi[sz]ed|apologi[sz]es|apologi[sz]ing)\b|"
        r"\b(?:said|says|say) (?:he'?s |she'?s |they'?re |he was |she was |they were |I'?m |"
        r"I was )?sorry\b|\bmy bad\b|\bI was wrong\b|\bI (?:messed|screwed) up\b|"
        r"\byou(?:'re| are) right(?: about|,|\.|!| that|$)|\bthat'?s (?:fair|a fair point|"
        r"a good point|true)\b|\bgood point\b|\bI see your point\b|\bI hear you\b|"
        r"\bI get (?:it|why|what you|that you)\b|\bI understand (?:why|how|that|what)\b|"
        r"\bcan we (?:please )?(?:start over|try (?:that |this )?again|take a (?:break|breath|"
        r"breather|minute|pause|time[- ]out|step back)|pause|reset|hit reset|rewind|"
        r"come back to (?:this|it)|talk about (?:this|it) (?:later|tomorrow|when)|calm down|"
        r"slow down|start again|do (?:that|this) again|have a do[- ]over)\b|"
        r"\blet me (?:try (?:that |this )?again|rephrase|start over|say (?:that|it|this) "
        r"(?:again|better|differently|another way)|try again)\b|"
        r"\blet'?s (?:start over|try (?:that |this )?again|take a (?:break|breather|breath|"
        r"minute|pause|time[- ]out|step back)|pause|calm down|slow down|both (?:take|calm|"
        r"breathe)|figure (?:this|it) out together|hit reset|rewind|start again|"
        r"find a (?:compromise|middle ground)|hug it out)\b|"
        r"\bI need (?:a|some) (?:break|minute|few minutes|time[- ]out|breather|time to cool "
        r"down)\b[^.!?\n]{0,40}\b(?:come back|talk later|continue|pick (?:this|it) up|return|"
        r"talk (?:again|tonight|tomorrow|after))\b|"
        r"\bI need (?:a |some |a few |\w+ )?(?:break|minutes?|moments?|time[- ]out|breather|"
        r"time|space)(?: to (?:cool off|cool down|calm down|think|breathe|settle))?[^.!?\n]{0,40}"
        r"\b(?:come back|talk later|continue|pick (?:this|it) up|all yours|I'?ll be back|"
        r"return|then (?:we|I)(?:'ll| can| will))\b|"
        r"\b(?:reached|reaches|reach|reaching) for my hand\b|\bsqueezed my hand\b|"
        r"\bI(?:'ll| will) come back\b|\bwe(?:'re| are) on the same (?:team|side)\b|"
        r"\btalk (?:about (?:this|it) )?(?:later|tomorrow|in the morning|after (?:dinner|we|I)|"
        r"when we(?:'re|'ve| are| have) (?:both )?(?:calm|cooled|rested))\b|"
        r"\blet'?s not (?:fight|argue|do this)\b|\bI don'?t want to fight\b|"
        r"\byou got me there\b|\bfair enough\b|\bpoint taken\b|"
        r"\bI owe you an apology\b|\bstart (?:fresh|over|again)\b|\bclean slate\b|"
        r"\bwe(?:'re| are) (?:okay|ok|good|alright|all right)\b|\b(?:hear|understand) your "
        r"side\b|\byour side of (?:it|this|things|the story)\b|\bI'?m listening\b|"
        r"\byou(?:'ve| have) (?:got )?a (?:good |fair )?point\b|"
        r"\bI didn'?t mean (?:that|it|to)\b|\bI overreacted\b|\bthat came out wrong\b|"
        r"\btruce\b|\bdo[- ]over\b|\bwhite flag\b|\bpeace offering\b|\bhug it out\b|"
        r"\bI(?:'ll| will) make it up to you\b|\bI want to understand\b|"
        r"\bhelp me understand\b|\btell me more about (?:how|what|why)\b|"
        r"\bwhat can I do to (?:help|make|fix)\b|"
        r"\b(?:made|cracked|tried|tell|told|makes|cracks) (?:a |some )?(?:silly )?jokes? to "
        r"(?:lighten|break|ease|calm|cheer)\b|\bto lighten the mood\b|"
        r"\b(?:broke|breaks|break) the tension\b|\btried to make me laugh\b|"
        r"\b(?:reached|reaches) out to make up\b|\btried to make up\b|"
        r"\b(?:came|comes) back (?:later |after|an hour|and)\b[^.!?\n]{0,30}\b(?:talk|apolog|"
        r"calm|finish|hug|said)\w*|"
        r"\b(?:took|take|takes) a (?:break|breather|time[- ]out) and (?:came|come|comes) back\b|"
        r"\bI love you,? (?:and|but) I\b|\bI own (?:that|my part)\b|"
        r"\bmy part in (?:this|it)\b|\bI take (?:responsibility|that back)\b|"
        r"\bthat'?s on me\b|\bthat was (?:unfair|not fair) of me\b|\bI was out of line\b",
        neg=True,
    ),
)

# --- context that cancels findings ----------------------------------------------------------

_NEG_BEFORE = re.compile(
    r"(?:\b(?:not|never|no longer|nobody|no one|n't|wouldn't|didn't|don't|doesn't|isn't|"
    r"aren't|wasn't|won't|stop|stopped|refuse|refuses|refused)|n't)\s+"
    r"(?:\w+\s+){0,3}$",
    _F,
)
_MEDIA = re.compile(
    r"\b(?:movies?|films?|(?:tv|the|a|that|this) (?:show|series|play)|sitcom|episode|book|"
    r"novel|song|lyrics?|characters?|villain|musical|podcast|video game|netflix|trailer|comic|"
    r"cartoon|actor|actress|documentary|soap opera|reality show)\b",
    _F,
)
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|(?<!\w)'[^'\n]*'(?!\w)")
# A sentence about the idea itself, not about the user's relationship.
_CONCEPT = re.compile(
    r"\b(?:sign|signs|example|examples|form|kind|type|definition|meaning) of\b|"
    r"\b(?:horsem[ae]n|gottman|stonewalling|defensiveness|contempt|criticism)\b.*\?|"
    r"\b(?:read|heard|learned|learnt) (?:that|about)\b|\bwhat (?:is|does|are)\b|"
    r"\b(?:avoid|avoiding|instead of|rather than|statements?|phrases?|wording)\b",
    _F,
)
_SORRY_NOT_REPAIR = re.compile(
    r"sorry\s+(?:for|about|if)\s+(?:the|this|my)?\s*(?:long|rant|ranting|wall|message|"
    r"text|bother|bothering|ramble|rambling|venting|typos?|essay|dump|ramble|english|"
    r"late reply|delay)|sorry\s+to\s+(?:bother|hear|say|dump|unload)|sorry for your loss|"
    r"sorry if this|sorry,? (?:this|it)(?:'s| is) (?:long|a lot)|sorry for (?:asking|the "
    r"question)|sorry (?:that )?you (?:had|feel|felt|are|were|'re|went|have|got)|"
    r"sorry to hear|sorry,? (?:I don'?t (?:understand|follow|get)|what do you mean|can you "
    r"repeat|I didn'?t (?:catch|get) (?:that|it|the))|sorry for (?:asking|the "
    r"question)|(?:i'?m|i am) sorry,? (?:what|who|where|huh)\b",
    _F,
)
_SENT_END = re.compile(r"[.!?\n]+")


def _negated(text: str, start: int) -> bool:
    """True when a negation just before the match cancels it ("I don't think he's lazy")."""
    line_start = max(text.rfind(c, 0, start) for c in ".!?\n")
    window = text[max(line_start + 1, start - 30) : start]
    return bool(_NEG_BEFORE.search(window))


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence that holds `pos`."""
    start = 0
    for m in _SENT_END.finditer(text, 0, pos):
        start = m.end()
    m = _SENT_END.search(text, pos)
    end = m.end() if m else len(text)
    return start, end


def _in_media_quote(text: str, start: int, media: bool) -> bool:
    """A quote from a film or book is not the user's relationship."""
    if not media:
        return False
    s, e = _sentence_bounds(text, start)
    if _MEDIA.search(text[s:e]):
        return True
    return any(q.start() <= start < q.end() for q in _QUOTED.finditer(text))


_THIRD_PARTY = re.compile(
    r"^\W*(?:\w+,?\s+){0,3}?(?:my|our|the|his|her|their|a)\s+(?:\w+\s+)?(?:coworkers?|"
    r"co-workers?|colleagues?|boss|manager|friends?|mom|mum|mother|dad|father|sister|brother|"
    r"sons?|daughters?|kids?|children|teachers?|neighbou?rs?|customers?|clients?|dog|cat|"
    r"puppy|roommates?|flatmates?|in-laws?|mother-in-law|father-in-law|sister-in-law|"
    r"brother-in-law|landlord|students?|team|family|parents?|toddler|teen(?:ager)?s?|"
    r"baby|grandma|grandpa|aunt|uncle|cousin)\b(?!'s? (?:husband|wife|partner))",
    _F,
)


_PARTNER_WORD = re.compile(rf"\b(?:my|your) {_PARTNER_NOUN}\b|\byou\b", _F)


def _third_party(text: str, start: int) -> bool:
    """True when the sentence is about someone other than the couple ("my boss is an idiot")."""
    s, e = _sentence_bounds(text, start)
    sentence = text[s:e]
    return bool(_THIRD_PARTY.match(sentence)) and not _PARTNER_WORD.search(sentence)


def _about_the_concept(text: str, start: int) -> bool:
    """True when the span sits in a sentence about the idea ("is eye-rolling a sign of...")."""
    s, e = _sentence_bounds(text, start)
    sentence = text[s:e]
    if not _CONCEPT.search(sentence):
        return False
    quoted = any(q.start() <= start < q.end() for q in _QUOTED.finditer(text))
    mentions_idea = re.search(
        r"\b(?:sign|example|form|kind|type|definition|read|heard|learned|learnt)\b", sentence, _F
    )
    return quoted or bool(mentions_idea)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces and punctuation from a span."""
    while end > start and text[end - 1] in " \t,;:-–—\"“”'":
        end -= 1
    while start < end and text[start] in " \t,;:.!?\"“”'":
        start += 1
    return start, end


def _scan(text: str, labels: Iterable[str]) -> list[Finding]:
    wanted = set(labels)
    media = bool(_MEDIA.search(text))
    raw: list[tuple[int, int, str]] = []
    for rule in _RULES:
        if rule.label not in wanted:
            continue
        for m in rule.pattern.finditer(text):
            start, end = _trim(text, m.start(), m.end())
            if end <= start:
                continue
            if rule.check:
                kw = m.group("kw").lower()
                cont = m.group("cont")
                after = text[m.start("cont") : m.start("cont") + 80]
                negative_kw = kw in ("never", "ever")
                praise = _POSITIVE_AFTER_NEVER if negative_kw else _POSITIVE_AFTER_ALWAYS
                if praise.match(after):
                    continue
                reported = rule.check == "report"
                if kw == "always" and not reported and not _ALWAYS_BLAME.match(after):
                    s0, e0 = _sentence_bounds(text, m.start())
                    if not _COMPLAINT_CONTEXT.search(text[s0:e0]):
                        continue
                if not cont.strip():
                    continue
            if rule.neg and _negated(text, start):
                continue
            if rule.label == REPAIR and _SORRY_NOT_REPAIR.search(text, max(0, start - 2)):
                sm = _SORRY_NOT_REPAIR.search(text, max(0, start - 2))
                if sm and sm.start() <= end and sm.end() >= start:
                    continue
            if rule.label != REPAIR and _in_media_quote(text, start, media):
                continue
            if _about_the_concept(text, start):
                continue
            if rule.label != REPAIR and _third_party(text, start):
                continue
            raw.append((start, end, rule.label))
    raw.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    kept: list[tuple[int, int, str]] = []
    for start, end, label in raw:
        if any(lab == label and start < e and s < end for s, e, lab in kept):
            continue
        kept.append((start, end, label))
    kept.sort(key=lambda t: (t[0], t[1], t[2]))
    return [Finding(label, text[s:e], s, e) for s, e, label in kept]


def detect_horsemen(text: str) -> list[Finding]:
    """Criticism, contempt, defensiveness and stonewalling in `text`, with exact spans."""
    if not text:
        return []
    return _scan(text, HORSEMEN)


def detect_repairs(text: str) -> list[Finding]:
    """Repair attempts (apologies, do-overs, owning a part, breaks with a return)."""
    if not text:
        return []
    return _scan(text, (REPAIR,))
