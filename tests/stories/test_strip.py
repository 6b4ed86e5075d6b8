"""Taking off what syndication adds: datelines, bylines, agency credits, boilerplate lines."""

from __future__ import annotations

import pytest

from wirewatch.stories.strip import strip_dateline, strip_syndication

LEAD = "NATO chief Jens Stoltenberg pledged support for Ukraine during a visit to Kiev on Monday."


@pytest.mark.parametrize(
    "dateline",
    [
        "KIEV (AFP) - ",
        "KIEV (AFP) — ",
        "Kiev (AFP) - ",
        "KIEV, Ukraine (AP) — ",
        "WASHINGTON, July 10 (Reuters) - ",
        "KIEV, July 10, 2017 (AFP) -- ",
        "NEW YORK — ",
        "MOMBASA, Feb 12 (Coastline Wire) - ",
        "(AFP) - ",
    ],
)
def test_a_dateline_is_taken_off_the_lead(dateline: str) -> None:
    assert strip_dateline(dateline + LEAD) == LEAD


@pytest.mark.parametrize(
    "sentence",
    [
        LEAD,
        "NATO - the alliance - said it would stay.",
        "Kiev has yet to officially apply to start the process.",
        "US President Donald Trump publicly endorsed NATO.",
    ],
)
def test_a_sentence_that_only_looks_like_a_dateline_is_kept(sentence: str) -> None:
    assert strip_dateline(sentence) == sentence


def test_bylines_credits_and_boilerplate_go_and_the_article_stays() -> None:
    text = "\n".join(
        [
            "By Oleksandr SAVOCHENKO",
            "KIEV (AFP) - " + LEAD,
            "Advertisement",
            "More than 10,000 people have been killed since April 2014.",
            "Read more",
            "Reporting by Pavel Polityuk; Editing by Alison Williams",
            "© AFP 2017",
            "Share this article",
        ]
    )
    assert strip_syndication(text) == (
        LEAD + "\nMore than 10,000 people have been killed since April 2014."
    )


def test_a_byline_shaped_line_inside_the_article_stays() -> None:
    middle = [f"Sentence number {i} of the article goes here." for i in range(10)]
    text = "\n".join([LEAD, *middle[:5], "By Monday evening", *middle[5:]])
    assert "By Monday evening" in strip_syndication(text).splitlines()
