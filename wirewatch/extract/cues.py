"""What a line looks like: its shape and the cues that mark it as boilerplate.

The cleaner (``clean.py``) decides from these features together with where a line sits; no cue
alone names a line junk unless it is unambiguous ("ReplyDelete", "3 comments:"). Cues are
families of phrasings found across news sites, blogs and feed services, written as patterns,
never one site's strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE

TERMINAL = re.compile(r"""[.!?…]["'”’»)\]]*\s*$|["”»]\s*$""")
URL = re.compile(r"https?://\S+|\bwww\.\S+|\b[\w-]+\.(?:com|org|net|co\.uk|info|io|ly|tt|me)\b", _I)
WORD = re.compile(r"[^\W\d_][\w'’-]*")

# A dateline opening a story: "KYIV, March 3 (Reuters) -", "Warsaw (AFP) July 6, 2017".
DATELINE = re.compile(
    r"""(?:^|[a-z])(?:[A-Z][\w.'’-]+(?:[ ,]+[A-Z][\w.'’-]+){0,3}),?\s*
        \((?:AFP|AP|Reuters|UPI|Xinhua|dpa|ANI|IANS|PTI|Bloomberg|[A-Z][A-Za-z]{1,12})\)
        \s*(?:[-–—:]|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2})""",
    re.VERBOSE,
)

TEASER_END = re.compile(
    r"""(?:^|\.\.\.|…|[.!?"”»:|-])\s*(?:read\s+more|continue\s+reading|read\s+(?:the\s+)?(?:full|whole|rest\s+of\s+the)
        \s+(?:story|article|post)|full\s+(?:story|article)|read\s+on|more\s+»)\s*[»›>→.…:]*\s*$""",
    re.VERBOSE | _I,
)
ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)\s*[»›>]*\s*$")

PROMO_HEADER = re.compile(
    r"""^\W*(?:related(?:\s+(?:links?|articles?|stories|posts?|content|coverage|news|topics|
        reading|items?|videos?))?|more\s+(?:from|on|in|about|stories|news|like\s+this|headlines|
        coverage|to\s+read)(?:\s+[\w'’ &-]{1,30})?|you\s+(?:may|might)\s+(?:also\s+)?
        (?:like|enjoy|be\s+interested(?:\s+in)?)|recommended(?:\s+(?:for\s+you|stories|articles|
        reading))?|most\s+(?:read|popular|viewed|shared|commented|watched)|trending(?:\s+now)?|
        (?:see|read)\s+also|also\s+(?:read|see|on\s+[\w ]{1,20})|further\s+reading|
        top\s+(?:stories|news|headlines)|editor'?s?’?s?\s+picks?|popular\s+(?:posts|stories|now)|
        latest\s+(?:news|stories|posts|headlines|articles)|sponsored(?:\s+(?:content|stories|links))?|
        (?:from|around)\s+(?:our|the)\s+(?:network|partners|web)|in\s+(?:other|related)\s+news|
        what\s+to\s+read\s+next|keep\s+reading|don'?’?t\s+miss|explore\s+more|other\s+stories|
        (?:useful|external|quick)\s+links|tags?|topics?|filed\s+under|categories|labels?
        )\s*[:»›>|]*\s*$""",
    re.VERBOSE | _I,
)
PROMO_LINE = re.compile(
    r"""^\W*(?:(?:learn|read|find\s+out|discover|get)\s+(?:more\s+)?(?:about|on)\s.{2,90}\s
        (?:at|on)\s+[\w.-]+\.(?:com|org|net|info|io)\b|
        (?:read\s+more|related(?:\s+(?:story|article|coverage))?|see\s+also|also\s+read|read\s+also|
        watch|listen|recommended|more|explainer|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy)|
        don'?’?t\s+miss|most\s+read|trending|editor'?’?s\s+picks?|popular)\s*[:|»›>]\s*\S|
        (?:click|tap)\s+here\b|
        (?:sign\s+up|subscribe|register)\s+(?:for|to)\s+(?:our|the|a|my)\s+[\w ]{0,30}
        (?:newsletter|alerts?|briefing|digest|emails?|updates?)|
        (?:follow|like|join)\s+us\s+on\b|
        (?:download|get)\s+(?:our|the)\s+(?:free\s+)?app\b|
        get\s+(?:the\s+)?(?:latest|breaking)\s+[\w ]{0,30}(?:delivered|in\s+your\s+inbox|sent)
        )""",
    re.VERBOSE | _I,
)
SHARE = re.compile(
    r"""^\W*(?:(?:share|tweet|email|e-mail|print|whatsapp|facebook|twitter|x|linkedin|pinterest|
        reddit|telegram|copy(?:\s+link)?|save|comment|comments|flipboard|messenger|sms|
        (?:share|print|email|e-mail|send)\s+(?:this|on|via)(?:\s+(?:article|story|page|post))?(?:\s+on)?)
        [\s|/·•,:-]*)+$""",
    re.VERBOSE | _I,
)
ADVERT = re.compile(
    r"""^\W*(?:advertisement|advertising|sponsored|ad|promoted|skip\s+to\s+(?:main\s+)?
        content|skip\s+(?:this\s+)?ad|scroll\s+to\s+continue(?:\s+with\s+content)?|
        story\s+continues\s+(?:below|after)(?:\s+(?:this\s+)?(?:advertisement|ad))?)\W*$""",
    re.VERBOSE | _I,
)
COPYRIGHT = re.compile(r"^\W*(?:©|\(c\)|copyright\b)|\ball rights reserved\b\.?\s*$", _I)
# Sign-up boxes for newsletters and alerts, wherever they sit.
NEWSLETTER = re.compile(
    r"""\b(?:sign\s+up|subscribe|join|get|receive|delivered|enter\s+your\s+email)\b.{0,60}
        \b(?:newsletters?|mailing\s+list|inbox|notifications|e-?mail\s+alerts)\b|
        \b(?:newsletters?|mailing\s+list)\b.{0,40}\b(?:sign\s+up|subscribe|join)\b""",
    re.VERBOSE | _I,
)
# A line that is only a site's interface label: a menu item, an account link, a legal link.
UI_LABEL = re.compile(
    r"""^\W*(?:home(?:\s*page)?|menu|search\W*|register|log\s*in|log\s*out|sign\s*in|sign\s*up|
        create\s+(?:an\s+|your\s+)?account|my\s+account|subscribe(?:\s+now)?|newsletters?|
        back\s+to\s+(?:top|\w+(?:\s+\w+)?)|get\s+started(?:\s+(?:today|now|for\s+free))?|
        learn\s+more|contact\s+us|about\s+us|privacy\s+policy|terms(?:\s+(?:of\s+(?:use|service)|
        and\s+conditions|&\s+conditions))?|cookie\s+(?:policy|settings|preferences)|
        advertis(?:er|ing)\s+(?:disclosure|policy)|accessibility|sitemap|jump\s+to\s+\w+)\W*$""",
    re.VERBOSE | _I,
)
# A byline: the author is metadata, not a sentence of the article.
BYLINE = re.compile(
    r"""^\W*(?i:(?:written|reported|posted|edited|reviewed|compiled|fact[- ]checked)\s+by|by)\s+
        (?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|(?:January|February|March|April|May|June|
        July|August|September|October|November|December|Then|Now|Law|Far|Contrast|Comparison)\b)
        [A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|da|al|bin|and|&)){0,5}
        (?:\s*[,|–—-]\s*(?:[\w.'’&]+\s*){1,5})?\s*$""",
    re.VERBOSE,
)
TAGS = re.compile(
    r"^\W*(?:tags?|topics?|labels?|filed\s+under|categories|keywords)\s*:\s*[^.!?]{1,200}$", _I
)
# A line that is only a date or time: page furniture, not a dateline (which names a place).
DATE_ONLY = re.compile(
    r"""^\W*(?:(?:updated|published|posted|last\s+updated|modified)\s*:?\s*)?
        (?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?
        (?:[\d０-９]{1,4}[\s./年月日時分:,-]*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*
        |at\s+|[ap]\.?m\.?\s*|(?:gmt|utc|[a-z]{2,4}t)\b\s*)+\W*$""",
    re.VERBOSE | _I,
)
NAVIGATION = re.compile(r"^(?:home|news|start)\s*(?:[>»›/|]\s*[\w &'’-]{1,40}){1,6}$", _I)

SYNDICATION = re.compile(
    r"""^(?:from\s+[^.!?]{3,160}?\s+(?:https?://|www\.)\S+\s*$|
        (?:this|the)\s+(?:article|story|post|piece)\s+(?:was\s+)?(?:originally\s+|first\s+)?
        (?:appeared|published|posted|ran)\s+(?:first\s+)?(?:on|in|at|by)\b|
        the\s+post\s+.{3,200}\s+appeared\s+first\s+on\s|
        (?:originally\s+)?(?:published|posted|appeared)\s+(?:originally\s+|first\s+)?(?:on|at|in)\s+
        \S+\s*(?:https?://\S+)?\s*\.?$|
        (?:republished|reprinted|syndicated|reposted)\s+(?:with\s+permission\s+)?(?:from|via|by)\b|
        (?:source|via|origin(?:al)?(?:\s+source)?)\s*:\s*\S.{0,80}$|
        distributed\s+by\s)""",
    re.VERBOSE | _I,
)
VIA_LINE = re.compile(r"^via\s+[\w .&'’@-]{2,60}$", _I)

# Lines that open a comment section: everything after them is comments.
COMMENT_SECTION = re.compile(
    r"""^\W*(?:(?:\d+|no|one|two|three)\s+(?:comments?|responses?|replies|thoughts?)
        (?:\s+(?:so\s+far|on\s.{1,80}))?\s*:?\s*$|
        (?:post|leave|add|write|submit)\s+(?:a\s+|your\s+)?(?:comment|reply|response)\b|
        comments?\s+(?:are\s+closed|policy|section)\b|
        (?:show|view|load|hide|see)\s+(?:all\s+|more\s+)?(?:\d+\s+)?comments?\b|
        join\s+the\s+(?:discussion|conversation)\b|subscribe\s+to\s*:?\s+post\s+comments\b|
        sign\s+in\s+to\s+comment\b|log\s+in\s+to\s+(?:reply|comment)\b)""",
    re.VERBOSE | _I,
)
# Widgets inside and around comments: a lone "Reply", a blog post's "Posted by X at 9:14 AM".
COMMENT_WIDGET = re.compile(
    r"""^\W*(?:(?:reply|delete|report(?:\s+abuse)?|permalink|quote)\W*$|
        newer\s+posts?\b|older\s+posts?\b|
        posted\s+by\s.{1,60}\s+(?:at|on)\s+\S|(?:anonymous|unknown)\s+said\b)""",
    re.VERBOSE | _I,
)
GLUED_WIDGET = re.compile(r"^\W*(?:reply\s*delete|reply(?=[A-Z])|delete(?=[A-Z]))", _I)
COMMENT_STAMP = re.compile(
    r"""^\W*[\w .'’-]{1,40}\s+(?:said|says|wrote)\s*(?:\.\.\.|…|:)\s*$|
        ^\W*(?:\w+\s+){0,3}\d{1,2},?\s+\d{4}\s+(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*$""",
    re.VERBOSE | _I,
)

_SPAM_CUES = [
    re.compile(p, _I)
    for p in (
        r"\bfree\s+(?:\w+\s+)?(?:likes|followers|views|traffic|subscribers|money|gift|iphone)",
        r"\b(?:instagram|tiktok|youtube|facebook|twitter)\s+(?:likes|followers|views|subscribers)",
        r"\b(?:buy|get|gain|boost)\s+(?:real\s+|cheap\s+)?(?:likes|followers|views|traffic|backlinks)",
        r"\bwork(?:ing)?\s+(?:from|at)\s+home\b",
        r"\b(?:make|earn|making|earning)\s+(?:easy\s+|extra\s+|real\s+)?(?:money|\$\s?\d|cash)",
        r"\b(?:casino|viagra|cialis|porn|escort|payday\s+loans?|bitcoin\s+doubler|forex\s+signals?)\b",
        r"\bon\s+autopilot\b",
        r"\b(?:are\s+you\s+looking\s+for|did\s+you\s+know\s+that\s+you\s+can|looking\s+for\s+a\s+way\s+to)\b",
        r"\b(?:check\s+out|visit)\s+(?:my|our)\s+(?:site|website|blog|page|profile|channel)\b",
        r"\b(?:whatsapp|telegram|contact)\s*(?:me|us)?\s*(?:on|at|:)?\s*\+?\d[\d\s-]{7,}",
        r"\b(?:nice|great|awesome|informative|wonderful)\s+(?:post|article|blog|share|info)\b",
        r"\bthanks?\s+(?:you\s+)?for\s+(?:sharing|this\s+(?:post|article|info))\b",
        r"\b(?:absolutely|totally|100%)\s+free\b",
        r"\b(?:seo|backlinks?|crypto\s+recovery|hack(?:er|ing)\s+services?|spell\s+caster)\b",
        r"\bregister(?:ing)?\s+(?:now|today|here|by)\b",
    )
]
SHOUTING = re.compile(r"(?:\b[A-Z]{2,}\b[\s,!]+){4,}")

_APPEAL_CUES = [
    re.compile(p, _I)
    for p in (
        r"\bwe\s+(?:need|rely\s+on|depend\s+on|ask)\b",
        r"\b(?:your|reader)\s+(?:help|support|contributions?|donations?|generosity)\b",
        r"\bplease\s+(?:consider|support|donate|help|give|subscribe|chip)\b",
        r"\b(?:consider|start)\s+(?:becoming|making|supporting|a\s+(?:monthly|one[- ]off))",
        r"\bthanks?\s+(?:you\s+)?for\s+(?:being\s+here|reading|your\s+support|visiting)\b",
        r"\bif\s+you\s+(?:value|enjoy|like|find|appreciate|believe|rely)\b",
        r"\bsupport\s+(?:us|our\s+(?:work|journalism|reporting|newsroom|mission)|independent\s+(?:journalism|media|news))\b",
        r"\bhelp\s+(?:us|keep\s+(?:us|our|this))\b",
        r"\b(?:become|join)\s+(?:a\s+|our\s+)?(?:member|patron|supporter|subscriber|insider)s?\b",
        r"\bchip\s+in\b",
        r"\breaders\s+like\s+you\b|\bfunded\s+by\s+(?:our\s+)?readers\b",
    )
]
_DONATION_CUES = [
    re.compile(p, _I)
    for p in (
        r"\bdonat(?:e|es|ed|ing|ion|ions)\b",
        r"\bcontribut(?:e|ion|ions|or|ors)\b",
        r"\bsupporters?\b",
        r"\bpaypal\b|\bpatreon\b|\bvenmo\b|\bko-fi\b|\bbuy\s+me\s+a\s+coffee\b",
        r"\bcredit\s+card\b|\bdebit\s+card\b",
        r"\bbilled\b|\brecurring\b",
        r"[$€£]\s?\d+(?:[.,]\d{2})?\s*(?:/\s*)?(?:per\s+)?"
        r"(?:month|year|once|monthly|yearly|annually|one[- ]off)?",
        r"\bone[- ]off\b|\bone[- ]time\b",
        r"\bpaywall\b|\bad[- ]?blockers?\b",
        r"\bsubscri(?:be|ption|ptions|ber|bers)\b",
        r"\bmembership\b",
        r"\btax[- ]deductible\b",
        r"\b(?:fund|funding)\s+(?:our|independent|quality)\b|\breader[- ](?:supported|funded)\b",
        r"\bfunded\s+by\b",
        r"\brevenues?\b",
    )
]
# A payment option of an appeal: "$5 Billed Monthly", "credit card or paypal |", "Donate now".
PAYMENT_LINE = re.compile(
    r"""[$€£]\s?\d+.{0,40}\b(?:billed|paypal|donat\w*|contribut\w*|supporter|patron)|
        \b(?:supporter|contributor|patron|member)\b.{0,30}[$€£]\s?\d+|
        \b(?:paypal|credit\s+card|debit\s+card)\b.{0,20}(?:only\b|\|)|
        \bdonate\s+(?:now|today|via|with|here|monthly|once)\b""",
    re.VERBOSE | _I,
)


@dataclass(slots=True)
class LineShape:
    """Cheap facts about one line, computed once."""

    text: str
    words: int
    terminal: bool
    has_url: bool
    prose: bool  # reads like a sentence of running text
    symbols_only: bool

    @property
    def title_like(self) -> bool:
        return not self.terminal and 2 <= self.words <= 20 and not self.symbols_only


def shape(line: str) -> LineShape:
    words = len(WORD.findall(line))
    terminal = bool(TERMINAL.search(line))
    has_url = bool(URL.search(line))
    prose = (words >= 8 and terminal) or words >= 25
    return LineShape(line, words, terminal, has_url, prose, words == 0)


def _any_of(cues: list[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern matching where any of ``cues`` does: most lines match none, so one scan
    tells them apart before the cues are counted one by one."""
    return re.compile("|".join(f"(?:{cue.pattern})" for cue in cues), _I)


_ANY_SPAM_CUE = _any_of(_SPAM_CUES)
_ANY_APPEAL_CUE = _any_of(_APPEAL_CUES)
_ANY_DONATION_CUE = _any_of(_DONATION_CUES)

# Letters every match of a family's cues contains (each cue above needs one of them, in
# lower case), so an ASCII line with none of them is told apart by a few substring scans,
# far cheaper than the cue patterns (tests/extract/test_clean.py checks each cue needs one).
_SPAM_WORDS = (
    "free", "instagram", "tiktok", "youtube", "facebook", "twitter", "likes", "followers",
    "views", "subscribers", "traffic", "backlink", "work", "money", "$", "cash", "casino",
    "viagra", "cialis", "porn", "escort", "payday", "bitcoin", "forex", "autopilot", "looking",
    "know", "check", "visit", "whatsapp", "telegram", "contact", "nice", "great", "awesome",
    "informative", "wonderful", "thank", "seo", "crypto", "hack", "spell", "register",
)  # fmt: skip
_APPEAL_WORDS = (
    "need", "rely", "depend", "ask", "help", "support", "contribution", "donation",
    "generosity", "please", "becoming", "making", "monthly", "one-off", "one off", "thank",
    "value", "enjoy", "like", "find", "appreciate", "believe", "member", "patron",
    "subscriber", "insider", "chip", "reader", "funded",
)  # fmt: skip
_DONATION_WORDS = (
    "donat", "contribut", "supporter", "paypal", "patreon", "venmo", "ko-fi", "coffee",
    "card", "billed", "recurring", "$", "one-off", "one off", "one-time", "one time",
    "paywall", "adblock", "ad-block", "ad block", "subscri", "membership", "tax", "fund",
    "reader", "revenue",
)  # fmt: skip


def _count(
    cues: list[re.Pattern[str]], any_cue: re.Pattern[str], words: tuple[str, ...], line: str
) -> int:
    if line.isascii():  # case-insensitive matching of ASCII text is lower-casing it
        lowered = line.lower()
        if not any(word in lowered for word in words):
            return 0
    if any_cue.search(line) is None:
        return 0
    return sum(1 for cue in cues if cue.search(line))


def spam_score(line: str) -> int:
    score = _count(_SPAM_CUES, _ANY_SPAM_CUE, _SPAM_WORDS, line)
    if SHOUTING.search(line):
        score += 1
    if URL.search(line):
        score += 1
    return score


def appeal_score(line: str) -> tuple[int, int]:
    """(reader-appeal cues, donation/payment cues) found in the line."""
    appeal = _count(_APPEAL_CUES, _ANY_APPEAL_CUE, _APPEAL_WORDS, line)
    donation = _count(_DONATION_CUES, _ANY_DONATION_CUE, _DONATION_WORDS, line)
    return appeal, donation
