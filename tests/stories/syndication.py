"""Five copies of the seed's AFP story as five sites ran it, and articles that are not copies.

Each copy has its own headline, dateline, byline and boilerplate; one is cut to about half,
one has a small edit. Built from the seed's article lines, so they stay true to the fixture.
"""

from __future__ import annotations

from pathlib import Path

from wirewatch.model import RawDocument

SEED = Path(__file__).parents[1] / "fixtures" / "seed_000_3ed97192f3d4092b.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
PUBLISHED = "2017-07-10"
# The seed's article is its first 20 lines; the rest is the blog's junk.
STORY_LINES = SEED_TEXT.splitlines()[:20]


def _lines(*parts: str | list[str]) -> str:
    out: list[str] = []
    for part in parts:
        out.extend([part] if isinstance(part, str) else part)
    return "\n".join(out) + "\n"


def _edited() -> list[str]:
    lines = list(STORY_LINES)
    # A small edit, as a copy desk makes: two words changed in a background sentence.
    lines[5] = lines[5].replace("have driven ties", "have pushed relations")
    lines.insert(8, "Advertisement")
    return lines


COPIES: list[tuple[str, str, str]] = [
    # (url, headline, text)
    (
        "https://spacewar-blog.example/2017/07/nato-chief-pledges-support.html",
        "NATO chief pledges support for Ukraine in Kiev",
        SEED_TEXT,
    ),
    (
        "https://www.wirenews.example/world/europe/stoltenberg-kiev",
        "Stoltenberg in Kiev: NATO stands by Ukraine against Russia",
        _lines(
            "By Oleksandr SAVOCHENKO",
            "KIEV (AFP) - " + STORY_LINES[0],
            STORY_LINES[1:],
            "© AFP 2017",
        ),
    ),
    (
        "https://dailyglobe.example/news/2017/07/10/nato-ukraine",
        "NATO backs Ukraine as Russia tensions simmer",
        _lines("Kiev (AFP) - " + STORY_LINES[0], STORY_LINES[1:10], "Read more"),
    ),
    (
        "https://eastern-herald.example/articles/nato-ukraine-support",
        "Ukraine gets NATO pledge of support",
        _lines(_edited(), "Share this article", "Subscribe to our newsletter"),
    ),
    (
        "https://capitalpost.example/world/nato-stoltenberg-visits-kiev",
        "NATO's Stoltenberg visits Kiev, urges Russia to withdraw troops",
        _lines(
            "KIEV, July 10 (AFP) — " + STORY_LINES[0],
            STORY_LINES[1:],
            "AFP contributed to this report.",
        ),
    ),
]

SAME_EVENT = (
    "https://kyivdaily.example/politics/stoltenberg-poroshenko-meeting",
    "Ukraine wins NATO backing as Stoltenberg meets Poroshenko",
    "Jens Stoltenberg, the secretary general of NATO, met Ukrainian President Petro Poroshenko "
    "in Kiev on Monday and promised that the alliance would keep helping Ukraine.\n"
    "The war against pro-Russian separatists in eastern Ukraine has killed more than 10,000 "
    "people since it began in April 2014.\n"
    "Poroshenko said Ukraine wants to join the 29-member alliance but must first carry out "
    "painful reforms.\n"
    "The Kremlin warned that closer ties between Kiev and NATO would not bring stability to "
    "Europe, and Stoltenberg called on Russia to pull its soldiers out of Ukraine.\n",
)

UNRELATED = (
    "https://harbourtimes.example/local/ferry-timetable",
    "New ferry timetable for the island routes",
    "The regional transport authority published a new summer timetable for the island ferries "
    "on Monday, adding two evening crossings on the busiest route.\n"
    "Passengers will be able to book tickets online from next week, the authority said, and "
    "season passes bought before the change remain valid.\n"
    "Local businesses on the islands welcomed the extra crossings, which they expect to bring "
    "more visitors during the festival season.\n",
)

WEEKS_LATER = (
    "https://wirenews.example/world/europe/nato-ukraine-august",
    "NATO chief again pledges support for Ukraine",
    "NATO chief Jens Stoltenberg again pledged support for Ukraine on Thursday, as fighting "
    "with pro-Russian separatists in the east continued.\n"
    "More than 10,000 people have been killed since the conflict erupted in April 2014, and "
    "Ukraine wants to join the 29-member alliance.\n"
    "Ukrainian President Petro Poroshenko said reforms in Kiev would continue.\n",
)


def document(url: str, title: str, text: str, published: str = PUBLISHED) -> RawDocument:
    return RawDocument(
        source=url,
        content=text.encode("utf-8"),
        url=url,
        content_type="text",
        encoding="utf-8",
        published=published,
        title=title,
    )


def copy_documents() -> list[RawDocument]:
    return [document(url, title, text) for url, title, text in COPIES]
