"""The residual cleaner on hand-written pages of many shapes (none of the seed's own strings)."""

from __future__ import annotations

import re
import string
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wirewatch.extract import cues
from wirewatch.extract.clean import clean_text

BODY = [
    "GENEVA, May 2 (Wire) - Delegations from the two governments resumed talks on Thursday "
    "after a three-week pause, mediators said.",
    "The talks focus on prisoner exchanges and the reopening of two border crossings closed "
    "since the winter.",
    '"We have a narrow window, and both sides know it," said Ana Lindqvist, a fictional mediator '
    "quoted for this test.",
    "A second round is expected before the end of the month, according to a statement.",
]


def lines(text: str) -> list[str]:
    return text.split("\n")


def reasons(text: str) -> dict[str, str]:
    return {d.text: d.reason for d in clean_text(text).dropped}


def test_teaser_for_another_story_with_its_headline_is_dropped() -> None:
    tail = [
        "Farmers block motorway over diesel tax",
        "Hundreds of tractors blocked the main motorway on Friday in a protest against a planned "
        "rise in diesel duty, police said. Continue reading",
    ]
    cleaned = clean_text("\n".join(BODY + tail))
    assert cleaned.lines == BODY
    assert set(reasons("\n".join(BODY + tail)).values()) == {"teaser"}


def test_related_block_and_donation_box_with_payment_lines() -> None:
    tail = [
        "More on this story",
        "Border crossings: what reopening would mean",
        "Prisoner swaps since 2019, in numbers",
        "Independent reporting like this costs money. If you value our coverage, please consider "
        "a monthly contribution; we rely on readers, not advertisers.",
        "Supporter €4 per month | card or PayPal",
        "Donate now",
    ]
    text = "\n".join(BODY + tail)
    assert clean_text(text).lines == BODY
    found = reasons(text)
    assert found["More on this story"] == "promo"
    assert found["Prisoner swaps since 2019, in numbers"] == "promo"
    assert found["Supporter €4 per month | card or PayPal"] == "donation_appeal"
    assert found["Donate now"] == "donation_appeal"


def test_feed_footer_and_comment_section_with_spam() -> None:
    tail = [
        "The post Talks resume in Geneva appeared first on Lakeside Monitor.",
        "2 comments:",
        "Thoughtful summary of a complicated negotiation.",
        "Reply",
        "Earn $500 a day working from home! Visit my site www.quick-cash-now.example",
        "Reply",
    ]
    text = "\n".join(BODY + tail)
    assert clean_text(text).lines == BODY
    found = reasons(text)
    assert found["The post Talks resume in Geneva appeared first on Lakeside Monitor."] == (
        "syndication_footer"
    )
    assert found["2 comments:"] == "comment"
    assert found["Thoughtful summary of a complicated negotiation."] == "comment"
    assert found["Earn $500 a day working from home! Visit my site www.quick-cash-now.example"] == (
        "spam"
    )


def test_junk_inside_the_body_goes_but_the_paragraphs_around_it_stay() -> None:
    text = "\n".join([BODY[0], "Advertisement", BODY[1], "Share on Facebook", *BODY[2:]])
    cleaned = clean_text(text)
    assert cleaned.lines == BODY
    assert [d.reason for d in cleaned.dropped] == ["advertisement", "share_widget"]
    assert [d.position for d in cleaned.dropped] == [1, 3]


def test_a_subheading_after_a_one_line_promo_stays() -> None:
    text = "\n".join(
        [
            BODY[0],
            BODY[1],
            "Read more: Border towns count the cost",
            "- What comes next? -",
            BODY[2],
            BODY[3],
        ]
    )
    cleaned = clean_text(text)
    assert "- What comes next? -" in cleaned.lines
    assert "Read more: Border towns count the cost" not in cleaned.lines


def test_articles_about_money_and_subscriptions_are_not_appeals() -> None:
    economy = [
        "Streaming companies reported that monthly subscription revenue rose 8% in the quarter, "
        "as price rises of $2 per month stuck.",
        "Analysts said donations to the sector's charities had fallen, but contributions from "
        "large supporters held up.",
        "The premium tier costs $18 per month and the basic plan $9.99.",
        "Shares of the largest provider closed 3% higher on Tuesday.",
    ]
    cleaned = clean_text("\n".join(economy))
    assert cleaned.lines == economy
    assert cleaned.dropped == []


def test_a_headline_on_the_first_line_becomes_the_title() -> None:
    cleaned = clean_text("\n".join(["Talks resume in Geneva after three-week pause", *BODY]))
    assert cleaned.headline == "Talks resume in Geneva after three-week pause"
    assert cleaned.lines == BODY
    assert [d.reason for d in cleaned.dropped] == ["title"]


def test_a_known_title_repeated_in_the_text_is_not_text() -> None:
    cleaned = clean_text(
        "\n".join(["Talks Resume in Geneva", *BODY]), title="Talks resume in Geneva"
    )
    assert cleaned.lines == BODY
    assert cleaned.headline is None


def test_a_read_more_button_in_the_body_drops_only_itself() -> None:
    page = [
        "Why tutoring works",
        "Small groups meeting three times a week improved reading scores in every school we "
        "visited, teachers told us.",
        "Read More",
        "Choosing a programme",
        "Schools can hire outside providers or train their own staff, and both have costs that "
        "districts should weigh carefully.",
        "Most districts in the survey chose a mix of the two approaches over the last year.",
    ]
    cleaned = clean_text("\n".join(page), title="A guide to tutoring")
    assert cleaned.lines == [line for line in page if line != "Read More"]


def test_date_and_tag_lines_are_page_furniture() -> None:
    text = "\n".join(["Updated: 14 March 2024, 10:15 GMT", *BODY, "Tags: diplomacy, Geneva, talks"])
    found = reasons(text)
    assert found == {
        "Updated: 14 March 2024, 10:15 GMT": "date_line",
        "Tags: diplomacy, Geneva, talks": "tags",
    }


def test_positions_index_the_original_lines_blank_lines_included() -> None:
    cleaned = clean_text(BODY[0] + "\n\n" + BODY[1] + "\n\nShare on Facebook\n")
    assert [(d.position, d.reason) for d in cleaned.dropped] == [(4, "share_widget")]
    assert cleaned.lines == BODY[:2]


# One line matching each cue of each family, in the cues' order (cues.py).
_CUE_EXAMPLES = {
    "spam": [
        "Get free instagram followers today",
        "Buy TikTok likes now",
        "Gain real followers fast",
        "I am working from home and love it",
        "Making extra money is easy",
        "Best online casino bonus",
        "Run your shop on autopilot",
        "Are you looking for a loan?",
        "Check out my website for more",
        "WhatsApp me on +1 555 123 4567",
        "Nice post, very helpful",
        "Thanks for sharing this",
        "It is 100% free",
        "Cheap SEO backlinks here",
        "Register now for the webinar",
    ],
    "appeal": [
        "We rely on readers",
        "Your support keeps us going",
        "Please consider a gift",
        "Consider making a monthly gift",
        "Thank you for reading",
        "If you value this work",
        "Support independent journalism",
        "Help keep us free",
        "Become a member",
        "Chip in today",
        "Funded by readers",
    ],
    "donation": [
        "Donate today",
        "Every contribution counts",
        "Thanks to our supporters",
        "Give through PayPal",
        "Pay by credit card",
        "Billed monthly",
        "$5 per month",
        "Make a one-off gift",
        "Please turn off your ad blocker",
        "Subscribe for full access",
        "Membership has perks",
        "Gifts are tax-deductible",
        "Fund independent reporting",
        "Funded by our members",
        "Ad revenue is falling",
    ],
}
_FAMILIES = {
    "spam": cues._SPAM_FAMILY,
    "appeal": cues._APPEAL_FAMILY,
    "donation": cues._DONATION_FAMILY,
}


@pytest.mark.parametrize("family", sorted(_FAMILIES))
def test_cue_strings_never_hide_a_cue(family: str) -> None:
    """Each cue's strings are in every line it matches, so the count is the patterns' count."""
    examples = _CUE_EXAMPLES[family]
    assert len(examples) == len(_FAMILIES[family].cues)
    for (pattern, strings), line in zip(_FAMILIES[family].cues, examples, strict=True):
        assert pattern.search(line), (pattern.pattern, line)
        assert any(string in cues.folded(line) for string in strings), (strings, line)
        for variant in (line, line.upper(), line.replace("i", "\u0131").replace("s", "\u017f")):
            expected = sum(1 for cue, _ in _FAMILIES[family].cues if cue.search(variant))
            assert cues._count(_FAMILIES[family], variant, cues.folded(variant)) == expected


def test_folding_covers_every_character_that_matches_a_letter_without_case() -> None:
    letter = re.compile("[a-z]", re.IGNORECASE)
    others = [chr(cp) for cp in range(128, sys.maxunicode + 1) if letter.fullmatch(chr(cp))]
    for char in others:
        (target,) = [c for c in string.ascii_lowercase if re.fullmatch(c, char, re.IGNORECASE)]
        assert cues.folded(char) == target, hex(ord(char))


_PIECES = st.sampled_from([
    " ", "  ", ".", "!", "?", "…", '"', "'", "”", "’", "»", ")", "]", ":", "|", "-", ",", "$",
    "€", "£", "5", "10", "£5", "€10", "$3", "©", "(c)", "\u0130", "\u0131", "\u017f", "\u212a",
    "\t",
    "read", "more", "full", "story", "Read more", "newsletter", "sign up", "inbox", "all rights",
    "reserved", "Copyright", "donate", "now", "PayPal", "credit card", "only", "supporter",
    "member", "https://", "www.", "example", ".com", ".co.uk", ".me", "FREE", "MONEY", "NOW",
    "CLICK", "Free followers", "casino", "thanks for sharing", "we need", "your support",
    "one-off", "one off", "ad blocker", "subscribe", "Help us", "readers like you", "news",
])  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_shortcuts_agree_with_the_patterns(line: str) -> None:
    """Every string prefilter and end-of-line reading gives what the full pattern scan gives."""
    shape = cues.shape(line)
    assert shape.terminal == bool(cues.TERMINAL.search(line))
    assert shape.has_url == bool(cues.URL.search(line))
    for pattern in cues._STRINGS:
        assert cues.found(pattern, shape) == bool(pattern.search(line)), pattern.pattern
    for family in _FAMILIES.values():
        expected = sum(1 for cue, _ in family.cues if cue.search(line))
        assert cues._count(family, line, shape.lowered) == expected
    shouting = bool(cues.SHOUTING.search(line))
    assert cues.spam_score(shape) == cues.spam_score(line)
    assert cues.spam_score(line) >= shouting
    for score in (1, 2, 3):
        assert cues.spam_at_least(shape, score) == (cues.spam_score(line) >= score)
    appeal, donation = cues.appeal_score(line)
    assert cues.is_appeal_for_money(shape) == (
        (appeal >= 1 and donation >= 2) or (appeal >= 2 and donation >= 1)
    )
    for family in _FAMILIES.values():
        full = cues._count(family, line, shape.lowered)
        for enough in (1, 2, 3):
            assert cues._count(family, line, shape.lowered, enough) == min(full, enough)
