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

# Each cue with the lower-case strings one of which every match of it contains: a cue runs
# only when one of its strings is in the line as ``folded`` gives it, which a few substring
# scans tell far faster than the pattern; most lines have none of a family's strings
# (tests/extract/test_clean.py checks each cue against its strings).
_SPAM = (
    (r"\bfree\s+(?:\w+\s+)?(?:likes|followers|views|traffic|subscribers|money|gift|iphone)",
     ("free",)),
    (r"\b(?:instagram|tiktok|youtube|facebook|twitter)\s+(?:likes|followers|views|subscribers)",
     ("instagram", "tiktok", "youtube", "facebook", "twitter")),
    (r"\b(?:buy|get|gain|boost)\s+(?:real\s+|cheap\s+)?(?:likes|followers|views|traffic|backlinks)",
     ("likes", "followers", "views", "traffic", "backlinks")),
    (r"\bwork(?:ing)?\s+(?:from|at)\s+home\b", ("home",)),
    (r"\b(?:make|earn|making|earning)\s+(?:easy\s+|extra\s+|real\s+)?(?:money|\$\s?\d|cash)",
     ("money", "$", "cash")),
    (r"\b(?:casino|viagra|cialis|porn|escort|payday\s+loans?|bitcoin\s+doubler|forex\s+signals?)\b",
     ("casino", "viagra", "cialis", "porn", "escort", "payday", "bitcoin", "forex")),
    (r"\bon\s+autopilot\b", ("autopilot",)),
    (r"\b(?:are\s+you\s+looking\s+for|did\s+you\s+know\s+that\s+you\s+can|looking\s+for\s+a\s+way\s+to)\b",
     ("looking", "know")),
    (r"\b(?:check\s+out|visit)\s+(?:my|our)\s+(?:site|website|blog|page|profile|channel)\b",
     ("check", "visit")),
    (r"\b(?:whatsapp|telegram|contact)\s*(?:me|us)?\s*(?:on|at|:)?\s*\+?\d[\d\s-]{7,}",
     ("whatsapp", "telegram", "contact")),
    (r"\b(?:nice|great|awesome|informative|wonderful)\s+(?:post|article|blog|share|info)\b",
     ("nice", "great", "awesome", "informative", "wonderful")),
    (r"\bthanks?\s+(?:you\s+)?for\s+(?:sharing|this\s+(?:post|article|info))\b", ("thank",)),
    (r"\b(?:absolutely|totally|100%)\s+free\b", ("free",)),
    (r"\b(?:seo|backlinks?|crypto\s+recovery|hack(?:er|ing)\s+services?|spell\s+caster)\b",
     ("seo", "backlink", "crypto", "hack", "spell")),
    (r"\bregister(?:ing)?\s+(?:now|today|here|by)\b", ("register",)),
)  # fmt: skip
SHOUTING = re.compile(r"(?:\b[A-Z]{2,}\b[\s,!]+){4,}")
_CAPITALS = re.compile(r"[A-Z]{2}")  # in every match of SHOUTING, and far faster to look for

_APPEAL = (
    (r"\bwe\s+(?:need|rely\s+on|depend\s+on|ask)\b", ("need", "rely", "depend", "ask")),
    (r"\b(?:your|reader)\s+(?:help|support|contributions?|donations?|generosity)\b",
     ("help", "support", "contribution", "donation", "generosity")),
    (r"\bplease\s+(?:consider|support|donate|help|give|subscribe|chip)\b", ("please",)),
    (r"\b(?:consider|start)\s+(?:becoming|making|supporting|a\s+(?:monthly|one[- ]off))",
     ("becoming", "making", "supporting", "monthly", "one-off", "one off")),
    (r"\bthanks?\s+(?:you\s+)?for\s+(?:being\s+here|reading|your\s+support|visiting)\b",
     ("thank",)),
    (r"\bif\s+you\s+(?:value|enjoy|like|find|appreciate|believe|rely)\b",
     ("value", "enjoy", "like", "find", "appreciate", "believe", "rely")),
    (r"\bsupport\s+(?:us|our\s+(?:work|journalism|reporting|newsroom|mission)|independent\s+(?:journalism|media|news))\b",
     ("support",)),
    (r"\bhelp\s+(?:us|keep\s+(?:us|our|this))\b", ("help",)),
    (r"\b(?:become|join)\s+(?:a\s+|our\s+)?(?:member|patron|supporter|subscriber|insider)s?\b",
     ("member", "patron", "supporter", "subscriber", "insider")),
    (r"\bchip\s+in\b", ("chip",)),
    (r"\breaders\s+like\s+you\b|\bfunded\s+by\s+(?:our\s+)?readers\b", ("readers",)),
)  # fmt: skip
_DONATION = (
    (r"\bdonat(?:e|es|ed|ing|ion|ions)\b", ("donat",)),
    (r"\bcontribut(?:e|ion|ions|or|ors)\b", ("contribut",)),
    (r"\bsupporters?\b", ("supporter",)),
    (r"\bpaypal\b|\bpatreon\b|\bvenmo\b|\bko-fi\b|\bbuy\s+me\s+a\s+coffee\b",
     ("paypal", "patreon", "venmo", "ko-fi", "coffee")),
    (r"\bcredit\s+card\b|\bdebit\s+card\b", ("card",)),
    (r"\bbilled\b|\brecurring\b", ("billed", "recurring")),
    (r"[$€£]\s?\d+(?:[.,]\d{2})?\s*(?:/\s*)?(?:per\s+)?"
     r"(?:month|year|once|monthly|yearly|annually|one[- ]off)?", ("$", "€", "£")),
    (r"\bone[- ]off\b|\bone[- ]time\b", ("one-off", "one off", "one-time", "one time")),
    (r"\bpaywall\b|\bad[- ]?blockers?\b", ("paywall", "adblock", "ad-block", "ad block")),
    (r"\bsubscri(?:be|ption|ptions|ber|bers)\b", ("subscri",)),
    (r"\bmembership\b", ("membership",)),
    (r"\btax[- ]deductible\b", ("deductible",)),
    (r"\b(?:fund|funding)\s+(?:our|independent|quality)\b|\breader[- ](?:supported|funded)\b",
     ("fund", "reader")),
    (r"\bfunded\s+by\b", ("funded",)),
    (r"\brevenues?\b", ("revenue",)),
)  # fmt: skip
_SPAM_CUES = [re.compile(pattern, _I) for pattern, _ in _SPAM]
_APPEAL_CUES = [re.compile(pattern, _I) for pattern, _ in _APPEAL]
_DONATION_CUES = [re.compile(pattern, _I) for pattern, _ in _DONATION]
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
    lowered: str = ""  # ``folded(text)``: where the cues' strings are looked for

    @property
    def title_like(self) -> bool:
        return not self.terminal and 2 <= self.words <= 20 and not self.symbols_only


# Every match of ``URL`` contains one of these, lower-cased.
_URL_STRINGS = ("://", "www.", ".com", ".org", ".net", ".co", ".info", ".io", ".ly", ".tt", ".me")
# What ``TERMINAL`` allows after the final stop, and the stops themselves.
_CLOSERS = "\"'”’»)]"
_STOPS = ".!?…"


def shape(line: str) -> LineShape:
    words = len(WORD.findall(line))
    lowered = folded(line)
    terminal = is_terminal(line)
    has_url = any(map(lowered.__contains__, _URL_STRINGS)) and URL.search(line) is not None
    prose = (words >= 8 and terminal) or words >= 25
    return LineShape(line, words, terminal, has_url, prose, words == 0, lowered)


def is_terminal(line: str) -> bool:
    """Whether ``TERMINAL`` matches the line, read from its end instead of searched for.

    >>> is_terminal('He left." '), is_terminal("Next: (see below)")
    (True, False)
    """
    end = line.rstrip()
    if not end:
        return False
    if end[-1] in '"”»':
        return True
    bare = end.rstrip(_CLOSERS)
    return bool(bare) and bare[-1] in _STOPS


# Characters other than ASCII letters that match an ASCII letter when case is ignored
# (``re.IGNORECASE``) and do not lower-case to it; tests/extract/test_clean.py checks the list
# against every code point.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


@dataclass(frozen=True, slots=True)
class _Family:
    cues: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]  # each cue with its strings
    needles: tuple[str, ...]  # all the cues' strings


def _family(
    table: tuple[tuple[str, tuple[str, ...]], ...], compiled: list[re.Pattern[str]]
) -> _Family:
    needles = tuple(dict.fromkeys(needle for _, strings in table for needle in strings))
    return _Family(tuple(zip(compiled, (strings for _, strings in table), strict=True)), needles)


_SPAM_FAMILY = _family(_SPAM, _SPAM_CUES)
_APPEAL_FAMILY = _family(_APPEAL, _APPEAL_CUES)
_DONATION_FAMILY = _family(_DONATION, _DONATION_CUES)


def folded(line: str) -> str:
    """The line as the cues see it without case: any match of a cue's pattern in ``line`` is,
    lower-cased, one of the cue's strings, and that string is in ``folded(line)``."""
    return line.lower() if line.isascii() else line.translate(_FOLD).lower()


def _count(family: _Family, line: str, lowered: str, enough: int | None = None) -> int:
    """How many of the family's cues match ``line``; ``lowered`` is ``folded(line)``.

    With ``enough``, the count stops once it reaches it: the answer is then ``enough`` or the
    full count below it, which is all a caller asking "at least ``enough``?" needs.
    """
    found = lowered.__contains__
    if not any(map(found, family.needles)):
        return 0
    count = 0
    for cue, needles in family.cues:
        if any(map(found, needles)) and cue.search(line):
            count += 1
            if count == enough:
                break
    return count


# Strings one of which every match of these cues contains, lower-cased: ``found`` looks for
# them in the folded line before it runs the pattern (tests/extract/test_clean.py checks them).
_STRINGS: dict[re.Pattern[str], tuple[str, ...]] = {
    TEASER_END: ("read", "full", "more"),
    NEWSLETTER: ("newsletter", "mailing", "inbox", "notifications", "alerts"),
    COPYRIGHT: ("©", "(c)", "copyright", "all rights reserved"),
    PAYMENT_LINE: ("$", "€", "£", "paypal", "card", "donate"),
}


def found(cue: re.Pattern[str], s: LineShape) -> bool:
    """Whether ``cue`` matches the line: ``cue.search``, without the scan when the line has
    none of the strings every match contains."""
    strings = _STRINGS.get(cue)
    if strings is not None and not any(map(s.lowered.__contains__, strings)):
        return False
    return cue.search(s.text) is not None


def spam_score(line: str | LineShape) -> int:
    """Spam cues found in the line (its ``LineShape`` saves folding it and looking for a URL)."""
    if isinstance(line, LineShape):
        text, lowered, has_url = line.text, line.lowered, line.has_url
    else:
        text, lowered, has_url = line, folded(line), URL.search(line) is not None
    score = _count(_SPAM_FAMILY, text, lowered)
    if _CAPITALS.search(text) and SHOUTING.search(text):
        score += 1
    if has_url:
        score += 1
    return score


def spam_at_least(s: LineShape, score: int) -> bool:
    """``spam_score(s) >= score``, its cues searched only until the score is reached: the URL
    and shouting first, then the spam cues one by one."""
    needed = score - int(s.has_url)
    if needed > 0 and _CAPITALS.search(s.text) and SHOUTING.search(s.text):
        needed -= 1
    return needed <= 0 or _count(_SPAM_FAMILY, s.text, s.lowered, needed) >= needed


def is_appeal_for_money(s: LineShape) -> bool:
    """Whether ``appeal_score(s)`` is (>= 1, >= 2) or (>= 2, >= 1): donation cues counted
    first, up to 2, and reader-appeal cues, up to what is still needed, only on a line that
    has one (most lines have none, and are not searched for appeals at all)."""
    donation = _count(_DONATION_FAMILY, s.text, s.lowered, 2)
    if donation == 0:
        return False
    needed = 1 if donation >= 2 else 2
    return _count(_APPEAL_FAMILY, s.text, s.lowered, needed) >= needed


def appeal_score(line: str | LineShape) -> tuple[int, int]:
    """(reader-appeal cues, donation/payment cues) found in the line."""
    text, lowered = (
        (line.text, line.lowered) if isinstance(line, LineShape) else (line, folded(line))
    )
    return _count(_APPEAL_FAMILY, text, lowered), _count(_DONATION_FAMILY, text, lowered)
