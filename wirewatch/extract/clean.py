"""The residual cleaner: drops the junk that syndication wraps around an article, line by line.

Extractors leave junk behind and plain-text copies bring it along: a teaser for another story,
related-link promos, donation appeals with their payment lines, a feed's syndication footer,
share and comment widgets, spam comments. The cleaner decides from three things together:

1. **cues** on the line itself (``cues.py``): phrasings and shapes that mark boilerplate;
2. **position**: junk gathers after the article. The *tail* starts at the first junk line
   after which little uncued running text remains; inside the tail, lines without cues of
   their own (a promo headline, "||", "via <blog>", a comment's text) belong to the block
   they sit in. Before the tail, only lines with their own cues are dropped;
3. **blocks**: a headline or a second dateline right before a teaser is part of the teaser; the
   short lines under a "Related" header or a donation appeal belong to it.

Every dropped line keeps its text, position and reason (``teaser``, ``promo``,
``donation_appeal``, ``syndication_footer``, ``comment``, ``spam``, ``share_widget``,
``advertisement``, ``copyright``, ``navigation``, ``byline``, ``tags``, ``date_line``,
``title``), so
nothing is lost.
Datelines, sub-headings and every sentence of the article stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wirewatch.extract import cues
from wirewatch.extract.cues import LineShape
from wirewatch.model import DroppedLine

# Reasons whose blocks extend over the short, uncued lines that follow them.
_BLOCK_REASONS = {"teaser", "promo", "donation_appeal", "syndication_footer", "comment", "spam"}
# Junk that, found after the body, opens the article's tail.
_TAIL_REASONS = _BLOCK_REASONS | {"share_widget", "copyright"}
# Uncued running text after the tail start may be this share of the body's, at most.
_TAIL_PROSE_SHARE = 0.15
_TAIL_PROSE_FLOOR = 30  # words
# ... and at least this share of the lines after it carry junk cues of their own.
_TAIL_CUED_SHARE = 0.3
# Longest line that cues alone may call an appeal or spam.
_MAX_BLOCK_WORDS = 150


@dataclass(slots=True)
class CleanedText:
    """The article's lines, what was dropped, and a headline found on the first line."""

    lines: list[str]
    dropped: list[DroppedLine] = field(default_factory=list)
    headline: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def clean_text(text: str, *, title: str | None = None) -> CleanedText:
    """Clean an article's text; ``title``, when known, is removed if the text repeats it.

    >>> cleaned = clean_text("Rebels took the town on Monday, officials said.\\nShare on Facebook")
    >>> cleaned.text, [(d.text, d.reason) for d in cleaned.dropped]
    ('Rebels took the town on Monday, officials said.', [('Share on Facebook', 'share_widget')])
    """
    return clean_lines(text.split("\n"), title=title)


def clean_lines(raw_lines: list[str], *, title: str | None = None) -> CleanedText:
    """Clean a list of lines; positions in ``dropped`` index ``raw_lines``."""
    positions = [i for i, line in enumerate(raw_lines) if line.strip()]
    lines = [" ".join(raw_lines[i].split()) for i in positions]
    shapes = [cues.shape(line) for line in lines]
    reasons: list[str | None] = [_line_reason(s) for s in shapes]
    _mark_teaser_openers(shapes, reasons, tail=_tail_start(shapes, reasons))
    tail = _tail_start(shapes, reasons)
    _extend_blocks(shapes, reasons, end=tail)
    _sweep_tail(shapes, reasons, tail)
    headline = _headline(lines, shapes, reasons, title)

    kept: list[str] = []
    dropped: list[DroppedLine] = []
    for position, line, reason in zip(positions, lines, reasons, strict=True):
        if reason is None:
            kept.append(line)
        else:
            dropped.append(DroppedLine(text=line, reason=reason, position=position))
    return CleanedText(lines=kept, dropped=dropped, headline=headline)


def _line_reason(s: LineShape) -> str | None:
    """The reason a line is junk on its own evidence, or None."""
    line = s.text
    if s.symbols_only:
        return None  # decided by the block it sits in
    if cues.GLUED_WIDGET.search(line):
        return "spam" if cues.spam_at_least(s, 2) else "comment"
    if not s.prose and (
        cues.COMMENT_SECTION.search(line)
        or cues.COMMENT_WIDGET.search(line)
        or cues.COMMENT_STAMP.search(line)
    ):
        return "comment"
    if cues.SYNDICATION.search(line) and (s.words <= 30 or s.has_url):
        return "syndication_footer"
    if cues.found(cues.TEASER_END, s):
        return "teaser"
    if not s.prose and cues.PROMO_HEADER.search(line):
        return "promo"
    if s.words <= 30 and (cues.PROMO_LINE.search(line) or cues.found(cues.NEWSLETTER, s)):
        return "promo"
    if s.words <= 6 and cues.UI_LABEL.search(line):
        return "navigation"
    if s.words <= 12 and not s.terminal and cues.BYLINE.search(line):
        return "byline"
    if cues.SHARE.search(line):
        return "share_widget"
    if cues.ADVERT.search(line):
        return "advertisement"
    if s.words <= 30 and cues.found(cues.COPYRIGHT, s):
        return "copyright"
    if cues.NAVIGATION.search(line):
        return "navigation"
    if cues.TAGS.search(line):
        return "tags"
    if s.words <= 8 and cues.DATE_ONLY.search(line) and any(ch.isdigit() for ch in line):
        return "date_line"
    # A whole page run into one line (some extractions are) is not an appeal or a comment.
    if s.words > _MAX_BLOCK_WORDS:
        return None
    if _is_donation(s):
        return "donation_appeal"
    if cues.spam_at_least(s, 2):
        return "spam"
    return None


def _is_donation(s: LineShape) -> bool:
    if s.words <= 25 and cues.found(cues.PAYMENT_LINE, s):
        return True
    return cues.is_appeal_for_money(s)


def _mark_teaser_openers(shapes: list[LineShape], reasons: list[str | None], *, tail: int) -> None:
    """A headline, or a line carrying another story's dateline, just before a teaser.

    In the body only a teaser paragraph ("... read more") takes its headline along; a bare
    "Read more" button there is dropped alone, the headings above it may be the article's.
    """
    for i, reason in enumerate(reasons):
        if reason != "teaser" or (i < tail and not shapes[i].prose):
            continue
        j = i - 1
        while j >= 0 and i - j <= 2 and reasons[j] is None:
            s = shapes[j]
            if not (s.title_like or (j > 0 and cues.DATELINE.search(s.text) and not s.prose)):
                break
            reasons[j] = "teaser"
            j -= 1


def _extend_blocks(shapes: list[LineShape], reasons: list[str | None], *, end: int) -> None:
    """Before the tail, list-like lines under a promo header or donation appeal belong to it.

    Only lines without a sentence (no terminal punctuation, a dozen words at most) extend a
    block, so a sub-heading or a paragraph after a one-line promo stays.
    """
    for i in range(1, end):
        previous = reasons[i - 1]
        if reasons[i] is not None or previous not in {"promo", "donation_appeal"}:
            continue
        s = shapes[i]
        if s.symbols_only or (not s.terminal and s.words <= 12 and _list_like(shapes, i, end)):
            reasons[i] = previous


def _list_like(shapes: list[LineShape], i: int, end: int) -> bool:
    """The line is one of a run of short lines, not a heading followed by running text."""
    nxt = i + 1
    return nxt >= end or not shapes[nxt].prose


def _tail_start(shapes: list[LineShape], reasons: list[str | None]) -> int:
    """Index where the junk after the article begins (``len(shapes)`` when there is none).

    The tail opens at a junk line after the body when little uncued running text follows it
    and junk keeps coming: a third of the lines after it carry cues of their own.
    """
    prose_words = [
        s.words if s.prose and r is None else 0 for s, r in zip(shapes, reasons, strict=True)
    ]
    cued_after = [0] * (len(reasons) + 1)
    for i in range(len(reasons) - 1, -1, -1):
        cued_after[i] = cued_after[i + 1] + (reasons[i] is not None)
    total = sum(prose_words)
    before = 0
    for i, reason in enumerate(reasons):
        if reason in _TAIL_REASONS and before > 0:
            after = total - before - prose_words[i]
            rest = len(reasons) - i - 1
            junk_continues = rest == 0 or cued_after[i + 1] >= _TAIL_CUED_SHARE * rest
            # Readers' comments may be long, but they follow the article and open with a header.
            opens_comments = reason == "comment" and cues.COMMENT_SECTION.search(shapes[i].text)
            if (opens_comments and after <= before) or (
                junk_continues and after <= max(_TAIL_PROSE_FLOOR, _TAIL_PROSE_SHARE * before)
            ):
                return i
        before += prose_words[i]
    return len(shapes)


def _sweep_tail(shapes: list[LineShape], reasons: list[str | None], tail: int) -> None:
    """Every line of the tail is junk; uncued ones take the reason of the block they are in."""
    in_comments = False
    current: str | None = None
    for i in range(tail, len(shapes)):
        reason = reasons[i]
        if reason == "comment":
            in_comments = True
        if reason is None:
            s = shapes[i]
            if in_comments:
                reason = "spam" if cues.spam_at_least(s, 1) else "comment"
            elif cues.ELLIPSIS_END.search(s.text) or (cues.DATELINE.search(s.text)):
                reason = "teaser"
            elif cues.spam_at_least(s, 1) and current in {"spam", "syndication_footer"}:
                reason = "spam"
            else:
                reason = _inherited(current)
            reasons[i] = reason
        current = reason


def _inherited(current: str | None) -> str:
    if current in _BLOCK_REASONS:
        return "comment" if current == "spam" else str(current)
    return "trailing_boilerplate"


def _headline(
    lines: list[str], shapes: list[LineShape], reasons: list[str | None], title: str | None
) -> str | None:
    """Mark the first kept line as the title when it is one; return it if it was found here."""
    kept = [i for i, reason in enumerate(reasons) if reason is None]
    if not kept:
        return None
    first = kept[0]
    if title and _same_words(lines[first], title):
        reasons[first] = "title"
        return None
    follows_prose = len(kept) > 1 and shapes[kept[1]].prose
    s = shapes[first]
    looks_like_headline = (
        s.title_like
        and s.words >= 3
        and follows_prose
        and not cues.DATELINE.search(s.text)
        and not lines[first].rstrip().endswith((":", ",", "-"))
    )
    if title is None and looks_like_headline:
        reasons[first] = "title"
        return lines[first]
    return None


def _same_words(a: str, b: str) -> bool:
    return cues.WORD.findall(a.casefold()) == cues.WORD.findall(b.casefold())
