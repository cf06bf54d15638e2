"""What the user wants from this message (intent) and the need under it (needs).

The planner uses intent so that a venting user gets reflection before any advice, and the
voiced need so the reply can name it ("it sounds like you want to feel heard"). Both are
precompiled patterns: pure Python, fast, and easy to read. The six needs follow the common
ground of attachment and couples work (Johnson, 2008, "Hold Me Tight"; Gottman & Silver,
1999, "The Seven Principles for Making Marriage Work"): to be heard, appreciated, safe,
close, respected and free.
"""

from __future__ import annotations

import re

from amante.engine.types import Intent, Label

_F = re.IGNORECASE

NEEDS: tuple[str, ...] = ("heard", "appreciated", "safe", "close", "respected", "free")
NEED_THRESHOLD = 0.5

# --- intent ------------------------------------------------------------------------------

_GREETING = re.compile(
    r"^\W*(?:(?:hi|hey|hello|hiya|yo|howdy|heya|hola|good (?:morning|afternoon|evening|night)|"
    r"morning|evening|thanks?|thank you|thank you so much|thanks a lot|thanks so much|thx|ty|"
    r"cheers|bye|goodbye|good ?bye|see you|see ya|later|night|gn|ok|okay|k|kk|cool|nice|great|"
    r"awesome|got it|sounds good|perfect|lol|haha|hahaha|yes|yeah|yep|no|nope|sure|alright|"
    r"all right|that helps|that helped|this helps|this helped|that's helpful|that was helpful|"
    r"very helpful|so helpful|helpful|makes sense|that makes sense|appreciate it|i appreciate "
    r"(?:it|that|you)|you'?re (?:the best|great|sweet|kind)|how are you|how'?s it going|"
    r"how are you doing|what'?s up|sup|i'?m (?:back|good|fine|ok|okay)|nice to meet you|"
    r"it'?s me again|me again|it'?s me|i'?ll try (?:that|it|this)|will do|i'?ll give it a (?:go|"
    r"try|"
    r"shot)|try that|will try|gonna try|good|fine|there|again|so much|a lot|really|you|coach|"
    r"amante|"
    r"for (?:that|this|listening|the help|your help|everything)|today|all|everyone|friend|"
    r"buddy|again|doing|it|that|is|was|and|just|wanted to say|really|very|much)\W*)+$",
    _F,
)
_PRODUCT = re.compile(
    r"\b(?:are|r) (?:you|u) (?:a |an )?(?:real|human|person|bot|robot|ai|machine|chatbot|"
    r"computer|program|therapist|counsell?or|psychologist|doctor|licensed|qualified|trained|"
    r"alive|sentient|a real person|actually)\b|"
    r"\bis (?:this|it|amante|my data|my info|this chat|this app|the app|everything) "
    r"(?:private|confidential|secure|safe to use|encrypted|anonymous|free|stored|saved|"
    r"recorded|shared|really private|a real person|a bot|an ai|ai|therapy|legit)\b|"
    r"\b(?:who|what company) (?:made|built|created|runs|owns|programmed|trained) (?:you|this|"
    r"amante|the app)\b|\bwhat (?:can|do|are) you (?:do|help with|good at|for)\b|"
    r"\bwhat (?:is|are) you\b|\bwho are you\b|\bhow do(?:es)? (?:you|this|amante|the app|it) "
    r"work\b|\b(?:do|will|can|does) (?:you|amante|this app|the app|anyone|this) (?:store|save|"
    r"keep|remember|share|sell|read|record|log|see|forget|delete)\b|"
    r"\b(?:delete|erase|export|download|wipe|remove) (?:my|all my|our) (?:data|history|"
    r"messages|account|conversations?|chats?|info)\b|\bhow much (?:does|is) (?:it|this|amante)"
    r"\b|\bwhat do you know about me\b|\bwhat (?:model|llm|ai) (?:are you|do you use|is this)\b|"
    r"\b(?:is|are) (?:there|you) (?:a )?(?:human|person|people) (?:reading|behind|on the "
    r"other end|watching)\b|\bcan (?:my|anyone) (?:partner|husband|wife|boyfriend|girlfriend|"
    r"else) (?:see|read|find)\b|\bwho (?:can|will) (?:see|read) (?:this|my)\b|"
    r"\bamante\b|\bopen[- ]source\b|\bself[- ]host|\bprivacy policy\b|"
    r"\bwhere (?:is|are) (?:my|the) (?:data|messages|conversations?) (?:stored|kept|saved)\b|"
    r"\bcan you (?:replace|be|substitute for) (?:my |a |an |our )?(?:therapist|counsell?or|"
    r"couples (?:counsell?ing|therapy|therapist)|therapy|counsell?ing|psychologist)\b|"
    r"\b(?:anyone|someone|a human|a person|people|staff) (?:reading|read|see|seeing|"
    r"looking at|watching) (?:these|this|my|our) (?:chats?|messages|conversations?|texts?)\b|"
    r"\bwhat (?:kind of |sort of )?(?:things|stuff|topics|problems) (?:can|do|could) you\b|"
    r"\bwhat (?:are|were) you (?:made|built|trained|designed) (?:for|to do|with)\b|"
    r"\bhow (?:are|were) you (?:made|built|trained)\b|\byour (?:limits|limitations)\b|"
    r"\bdo you (?:have feelings|understand|judge|get tired|have a name)\b|\bare you free\b",
    _F,
)
_TOOL = re.compile(
    r"\b(?:re-?write|re-?word|re-?phrase|soften|edit|fix|polish|improve|tweak|proofread)\b"
    r"(?:\s+\w+){0,4}\s*(?:this|that|it|my|message|text|draft|email|letter|note)|"
    r"\b(?:help me|can you|could you|would you|please)\s+(?:\w+\s+){0,2}(?:write|draft|word|"
    r"phrase|say this|compose|put (?:this|it) into words|script|re-?write|re-?word|turn|"
    r"re-?phrase|soften)\b|\bmake (?:this|it|my|the)(?: message| text| note| email| draft)? "
    r"(?:sound )?(?:nicer|softer|"
    r"kinder|gentler|less (?:harsh|angry|mean|aggressive|passive)|better|calmer|more "
    r"(?:loving|gentle|kind|polite|calm))\b|"
    r"\b(?:conversation|date|talk) (?:starters?|prompts?|ideas?|questions?|nights? ideas?)\b|"
    r"\bstarters?\b|\bquiz(?:zes)?\b|\bexercises?\b|\bworksheets?\b|\bassessments?\b|"
    r"\bquestionnaires?\b|\brituals?\b|\bjournal(?:ing)? (?:prompts?|exercises?|ideas?)\b|"
    r"\b(?:start|keep|help me|want to|how to) (?:a )?journal\b|"
    r"\bturn (?:this|it|my \w+) into\b|\b(?:something|a message|a text|a note) I can "
    r"(?:actually |really )?send\b|\bshow me (?:a|an|some|how to say)\b|"
    r"\bprompts?\b|\btemplates?\b|\bcheck[- ]in\b|\bactivit(?:y|ies)\b|\bgames?\b|"
    r"\bquestions (?:to|we can|I can|for us to) ask\b|\bquestions for (?:couples|us)\b|"
    r"\b(?:a|an|some) (?:\w+ )?(?:tool|technique|script|practice|plan|schedule|list|test|drill|"
    r"worksheet|routine|step[- ]by[- ]step)\b|\b36 questions\b|\blove languages? (?:quiz|"
    r"test)\b|\bhelp me (?:write|draft|plan|prepare|make|script)\b|"
    r"\b(?:how|what) (?:should|would|could|do|can) I (?:word|phrase|say|write|text)\b"
    r"(?:\s+\w+){0,4}\s*(?:this|that|it|to (?:him|her|them))|\bhow to (?:word|phrase)\b|"
    r"\btrack (?:my|our)\b|\blog (?:my|our)\b|\bremind (?:me|us)\b|\breminders?\b|"
    r"\bgratitude (?:list|practice|exercise)\b|\bhelp (?:me )?(?:with )?(?:wording|phrasing|"
    r"writing|drafting|word|phrase|write|draft) (?:a|an|my|this|the|some)\b|\bhere'?s (?:my|"
    r"the) (?:draft|message|text)\b",
    _F,
)
_ADVICE = re.compile(
    r"\b(?:how (?:do|can|should|could|would|might) (?:i|we)|how to|what (?:should|do|can|"
    r"could|would|might) (?:i|we)|should (?:i|we)|shall (?:i|we)|is it (?:ok|okay|normal|"
    r"wrong|fair|bad|healthy|reasonable|too late|worth|time)|am i (?:wrong|crazy|overreacting|"
    r"being|the problem|right|unreasonable|too)|do you think|what would you|any (?:tips|"
    r"advice|ideas|suggestions|thoughts)|(?:give|need|want|looking for) (?:me )?(?:some )?"
    r"(?:advice|tips|suggestions|guidance|ideas|help)|advi[cs]e|tips? (?:on|for)|"
    r"ways to|is there (?:a|any) way|what(?:'s| is) the best way|where do (?:i|we) (?:start|"
    r"begin)|what are (?:my|our) options|help me (?:figure|understand|decide|deal|cope|"
    r"know|fix|work out|get|stop|handle|find|be|learn|talk|approach|with)|how (?:can|do) "
    r"(?:i|we) (?:get|stop|make|fix|help|handle|deal|cope|talk|tell|bring|ask|move|rebuild|"
    r"trust|forgive|save|improve)|what (?:now|next)|how do (?:people|couples)|"
    r"does (?:it|this) (?:get better|mean)|can (?:this|we|a relationship|our marriage) "
    r"(?:be saved|survive|work|recover|come back)|would it be|is (?:this|that) (?:normal|"
    r"okay|ok|a red flag|healthy|abuse|toxic|gaslighting)|why (?:does|do|is|would|did) "
    r"(?:he|she|they|my)\b[^.!]*\?|what does (?:it|that|this) mean|recommend|"
    r"what do you suggest|(?:need|want) to know (?:how|what|if|whether))",
    _F,
)
_QUESTION_ME = re.compile(r"\b(?:i|we|my|me|our|us)\b[^.!?]*\?", _F)

# --- needs -------------------------------------------------------------------------------

_NEED_PATTERNS: dict[str, tuple[tuple[str, float], ...]] = {
    "heard": (
        (
            r"\b(?:never|doesn'?t|don'?t|won'?t|didn'?t|refuses? to|not|stopped|barely|"
            r"rarely|never really)\s+(?:even\s+|really\s+|actually\s+)?(?:listens?|listening|"
            r"listened|hears? me|hear what|heard me|pays? attention)\b",
            0.8,
        ),
        (r"\b(?:be|feel|felt|being|am|was|get)\s+(?:heard|listened to|understood|seen)\b", 0.8),
        (r"\b(?:understand|understands|gets?|hear|hears)\s+me\b", 0.55),
        (
            r"\b(?:him|her|them|he|she|they|partner|husband|wife|boyfriend|girlfriend)\s+"
            r"(?:to\s+)?(?:actually |really |just |ever )?(?:listen|listens|hear me)\b|"
            r"\b(?:doesn'?t|don'?t|never|won'?t|didn'?t) (?:even )?(?:get|gets|understand) "
            r"(?:it|me|that|why|how)\b",
            0.6,
        ),
        (
            r"\b(?:not|never|don'?t|doesn'?t|didn'?t|no one|nobody)\b[^.!?]{0,25}\b(?:hear|"
            r"hears|understand|understands|get|gets|listen|listens) (?:me|what I|how I|my "
            r"side|where I)\b",
            0.8,
        ),
        (
            r"\b(?:dismiss(?:es|ed|ive|ing)?|brush(?:es|ed)? (?:me|it|my \w+) off|cuts? me off|"
            r"interrupt(?:s|ed|ing)?|talks? over me|talked over me|invalidat\w*|tunes? me out|"
            r"talking to a (?:brick )?wall|like I(?:'m| am) not (?:even )?there|"
            r"(?:my|our) (?:feelings|opinion|side) (?:don'?t|doesn'?t|never) (?:matter|count)|"
            r"doesn'?t care what I (?:say|think|feel)|not (?:being )?listened to|"
            r"nobody listens|no one listens|on deaf ears|(?:no one|nobody)\b[^.!?]{0,30}\blistens?|"
            r"(?:want|need)s? to vent|"
            r"just (?:want|need)(?:ed)? (?:someone|him|her|them|you) to listen|"
            r"just need to (?:say|get) (?:this|it) out|talk about my day)\b",
            0.75,
        ),
        (
            r"\b(?:ignores?|ignored|ignoring) (?:me|what I|my (?:feelings|words|texts|messages))\b",
            0.6,
        ),
    ),
    "appreciated": (
        (
            r"\b(?:unappreciated|underappreciated|under-appreciated|taken for granted|"
            r"take(?:s)? me for granted|took me for granted|thankless|invisible|unnoticed|"
            r"unseen|undervalued|unvalued|not valued|no credit|never gets? credit|"
            r"like (?:a|the|his|her|their) (?:maid|servant|housekeeper|nanny|cook|ATM|"
            r"bank|employee|secretary|assistant|chauffeur))\b",
            0.85,
        ),
        (
            r"\b(?:never|doesn'?t|don'?t|didn'?t|won'?t|not|no one|nobody|hardly ever|rarely)\s+"
            r"(?:even\s+|once\s+|ever\s+)?(?:notices?|noticed|thanks? me|thanked me|says? thank|"
            r"said thank|appreciates?|appreciated|acknowledges?|acknowledged|recogni[sz]es?|"
            r"recogni[sz]ed|compliments?|complimented|praises?|values?|valued|says? (?:thanks|"
            r"anything nice|a kind word|good job))\b",
            0.8,
        ),
        (
            r"\bnothing I do (?:is|ever|gets|matters|counts|seems)\b|"
            r"\b(?:want|need|wish|like|love)(?:ed)? (?:to )?(?:be |feel |him to |her to |them "
            r"to )?(?:appreciated|valued|noticed|recogni[sz]ed|thanked|acknowledged)\b|"
            r"\b(?:feel|felt|feeling) (?:so )?(?:appreciated|valued|noticed|seen for)\b|"
            r"\b(?:all|everything) I do (?:for|around)\b|\bdo everything (?:around|for)\b|"
            r"\bdoes(?:n'?t| not) (?:even )?see (?:how much|all|everything) I\b|"
            r"\bwould it kill (?:him|her|them) to say (?:thanks|thank you)\b|"
            r"\ba little (?:thanks|gratitude|recognition|appreciation)\b|"
            r"\b(?:not|no|never|without) (?:even )?(?:a |one |a single )?(?:thank you|thanks|"
            r"word of thanks)\b|\b(?:notices?|noticed|see|sees) (?:the|my|all the|all my) "
            r"(?:effort|efforts|work|hard work|things I)\b|"
            r"\b(?:I'?m|I am) (?:so )?(?:tired of|sick of|done) being the (?:only )?one who\b|"
            r"\bthe only one who (?:does|plans|cleans|cooks|cares|tries|remembers|organi[sz]es|"
            r"pays|works)\b|\bI (?:did|do|handle|handled|plan|planned|organi[sz]ed|pay|paid) "
            r"(?:all|everything|all the \w+)(?: \w+)? (?:alone|by myself|on my own)\b|"
            r"\b(?:my|the) (?:effort|efforts|hard work|work) (?:goes|go|is|are) unnoticed\b",
            0.8,
        ),
    ),
    "safe": (
        (
            r"\b(?:scared|afraid|frightened|terrified|fear|fearful)\b(?! of (?:spiders|heights|"
            r"flying|the dark|commitment))",
            0.65,
        ),
        (
            r"\b(?:unsafe|not safe|feel safe|be safe|safety|secure|security|insecure|"
            r"on eggshells|threaten\w*|threats?|hit me|hits me|hurt me|hurts me|violent|"
            r"violence|abus\w+|grab(?:s|bed)? me|push(?:es|ed)? me|shov\w+ me|choke\w*|"
            r"afraid of (?:him|her|them|what)|scared of (?:him|her|them|what)|"
            r"what (?:he|she|they)(?:'ll| will| might) do|explod\w+|temper|rage|"
            r"\btrust\b|can(?:'t|not) trust|don'?t trust|lost (?:my |all )?trust|trust (?:issues|"
            r"him|"
            r"her|them|again)|rebuild trust|cheat\w*|affair|lie[sd]? to me|lying to me|"
            r"will leave me|going to leave me|abandon\w*|reassur\w+|stable|stability|"
            r"anxious (?:about|that|he|she|they)|worried (?:he|she|they)(?:'ll| will| is| might)|"
            r"(?:read|reads|reading|went through|goes through|snooping in) my (?:journal|diary|"
            r"texts|messages|emails|phone)|(?:husband|wife|partner|boyfriend|girlfriend|he|she) "
            r"(?:see|sees|find out|finds out|read|reads)\b|"
            r"(?:need|want) to (?:know|feel) (?:he|she|they|we)(?:'ll| will| are|'re) "
            r"(?:stay|there|okay|ok|committed))\b",
            0.7,
        ),
    ),
    "close": (
        (
            r"\b(?:roommates|room-mates|flatmates|strangers|ships passing|disconnected|"
            r"disconnection|distant|distance between us|drift(?:ed|ing)? apart|grown apart|"
            r"growing apart|lonely|loneliness|alone in (?:this|the|my|our)|feel alone|felt alone|"
            r"so alone|all alone|no intimacy|intimacy|affection|affectionate|cuddle|cuddles|"
            r"cuddling|hold me|hug me|kiss me|touch me|no sex|sex life|dead bedroom|"
            r"connection|connected|closeness|closer|close to (?:him|her|them|each other|you)|"
            r"spark|romance|romantic|quality time|time together|spend time|date night|"
            r"no time for us|(?:miles|worlds|far|so far) apart|feel(?:s)? apart|reconnect\w*|"
            r"co-?parents|not a couple|(?:like|as) a couple|"
            r"pull(?:s|ed|ing)? away|push(?:es|ed|ing)? me away|"
            r"miss (?:us|him|her|them|you|the way|how we|when we|what we|"
            r"being|our)|missing (?:us|him|her|the way|how we)|used to be close|"
            r"(?:barely|never|don'?t|no longer|rarely|hardly) (?:even )?(?:talk|touch|kiss|hug|"
            r"laugh|spend|spoke|speak|see each other|have sex|go out)(?:es)?\b"
            r"(?: (?:any ?more|anymore|together|to each other))?|we don'?t talk|"
            r"more like (?:friends|roommates|coworkers|business partners)|"
            r"feel (?:close|closer|connected|loved|wanted|desired|like a couple)|"
            r"feel like (?:a couple|we'?re together)|want (?:him|her|them) to want me|"
            r"bond|together again)\b",
            0.75,
        ),
    ),
    "respected": (
        (
            r"\b(?:disrespect\w*|respect\w*|belittl\w+|condescend\w*|patroni[sz]\w+|"
            r"talks? down to|talked down to|talking down to|look(?:s|ed)? down on|"
            r"treat(?:s|ed)? me like (?:a |an )?(?:child|kid|idiot|moron|servant|baby|dirt|"
            r"nothing|I(?:'m| am) stupid)|makes? fun of me|made fun of me|mock(?:s|ed|ing)? me|"
            r"humiliat\w+|embarrass(?:es|ed)? me|in front of (?:his|her|their|our|my) "
            r"(?:friends|family|parents|kids|coworkers|mother|mom|dad)|insult\w*|"
            r"call(?:s|ed)? me (?:names|stupid|an idiot|dumb|lazy|useless|pathetic|crazy|"
            r"a \w+)|rolls? (?:his|her|their) eyes|rolled (?:his|her|their) eyes|"
            r"my (?:opinion|opinions|voice|say|views?|input) (?:doesn'?t|don'?t|never|isn'?t)|"
            r"without (?:even )?(?:asking|consulting|telling|checking with|talking to) me|"
            r"criticiz\w* me|criticis\w* me|judg(?:es|ed|ing) me|laugh(?:s|ed|ing)? at (?:me|my)|"
            r"(?:doesn'?t|don'?t|never) (?:take|takes) me seriously|as an equal|"
            r"like (?:my|an) (?:equal|adult)|(?:like|as if) I(?:'m| am) (?:stupid|dumb|an idiot|"
            r"a child|nothing|worthless)|second[- ]guess(?:es)? (?:me|everything I)|"
            r"questions everything I (?:do|say)|corrects? me in front|"
            r"(?:my|our) boundaries|crosses? (?:my|the) line|walks? all over me|doormat|"
            r"(?:not|isn'?t|wasn'?t) fair to me|dignity)\b",
            0.75,
        ),
    ),
    "free": (
        (
            r"\b(?:smother\w*|suffocat\w*|stifl\w*|trapped|caged|controlling|control (?:me|my|"
            r"everything|what I)|controls (?:me|my|everything|what I)|checks? my (?:phone|"
            r"messages|texts|location|email|bank)|track(?:s|ed|ing)? (?:me|my)|"
            r"(?:need|needs|needed|want|wants|wanted|give me|giving me|have) (?:some |more |a "
            r"little |my own )?(?:space|breathing room|room to breathe|independence|freedom|"
            r"alone time|time (?:alone|to myself|for myself|on my own)|time with my friends|"
            r"my own life|a life of my own)|(?:no|any) (?:space|privacy|freedom|independence|"
            r"me time)|me[- ]time|alone time|time to myself|time for myself|on my own terms|"
            r"(?:can'?t|cannot|not allowed to|won'?t let me|doesn'?t let me|don'?t let me) "
            r"(?:go|see|do|have|spend|wear|leave|text|talk to|visit|hang out|be)|"
            r"(?:ask|asking) (?:for )?permission|clingy|clinginess|possessive|"
            r"jealous when I|gets? jealous (?:if|when|whenever)|every (?:minute|moment|second) "
            r"(?:of my|together)|(?:my|our) own (?:friends|hobbies|interests)|"
            r"(?:time|night|nights|evening|weekend|trip) (?:out )?with (?:my )?(?:friends|girls|"
            r"guys|mates|sister|brother)|"
            r"(?:weekend|night|evening|day|time|trip|holiday|vacation) (?:alone|by myself|"
            r"on my own|"
            r"to myself)|my own person|lose myself|lost myself|losing myself|independent|"
            r"on a (?:short )?"
            r"leash|micromanag\w+|(?:needs?|wants?) to know where I am)\b",
            0.75,
        ),
    ),
}
_NEED_RULES: tuple[tuple[str, re.Pattern[str], float], ...] = tuple(
    (need, re.compile(pattern, _F), weight)
    for need, patterns in _NEED_PATTERNS.items()
    for pattern, weight in patterns
)
_NOT_NEED = re.compile(
    r"\b(?:respectively|with respect to|in respect of|at a distance|long[- ]distance "
    r"(?:call|flight|drive)|safe(?:ly)? (?:travels?|trip|flight)|game night|free (?:time|trial|"
    r"version|plan|tier))\b",
    _F,
)


def detect_intent(text: str) -> Intent:
    """vent, advice, tool, product or smalltalk: what the user wants from this message."""
    t = (text or "").strip()
    if not t:
        return "smalltalk"
    if len(t) <= 80 and _GREETING.match(t):
        return "smalltalk"
    if _PRODUCT.search(t):
        return "product"
    if _TOOL.search(t):
        return "tool"
    if _ADVICE.search(t):
        return "advice"
    if t.endswith("?") and _QUESTION_ME.search(t):
        return "advice"
    return "vent"


def detect_needs(text: str) -> list[Label]:
    """The needs the user voices, each with a score in [0, 1], strongest first."""
    if not text:
        return []
    cleaned = _NOT_NEED.sub(" ", text)
    scores: dict[str, float] = {}
    for need, pattern, weight in _NEED_RULES:
        hits = len(pattern.findall(cleaned))
        if not hits:
            continue
        # Independent evidence combines like probabilities: 1 - prod(1 - w).
        miss = (1.0 - scores.get(need, 0.0)) * (1.0 - weight) ** hits
        scores[need] = 1.0 - miss
    believed = [Label(n, round(s, 4)) for n, s in scores.items() if s >= NEED_THRESHOLD]
    return sorted(believed, key=lambda lab: (-lab.score, NEEDS.index(lab.label)))
