"""The reference input: who said what, who did what to whom (issue "Who said what ...")."""

from __future__ import annotations

from pathlib import Path

import pytest

import wirewatch
from wirewatch.model import Article, Event, Quote

SEED = Path(__file__).parents[1] / "fixtures" / "seed_000_3ed97192f3d4092b.txt"


@pytest.fixture(scope="module")
def seed() -> Article:
    # The AFP story ran on Monday 10 July 2017 (Tillerson visited Kiev the day before).
    return wirewatch.analyze(SEED.read_text(encoding="utf-8"), published="2017-07-10")


def quote_starting(article: Article, words: str) -> Quote:
    found = [q for q in article.quotes if q.text.startswith(words)]
    assert len(found) == 1, [q.text[:40] for q in article.quotes]
    return found[0]


def events_coded(article: Article, prefix: str) -> list[Event]:
    return [e for e in article.events if e.cameo.startswith(prefix)]


def test_every_quote_has_the_right_speaker(seed: Article) -> None:
    added = quote_starting(seed, "Russia must withdraw")
    assert added.speaker is not None
    assert (added.speaker.name, added.speaker.resolved_from, added.cue) == (
        "Jens Stoltenberg",
        "he",
        "added",
    )
    kremlin = quote_starting(seed, "It (Ukraine's rapprochement with NATO)")
    assert kremlin.speaker is not None
    assert (
        kremlin.speaker.name,
        kremlin.speaker.role,
        kremlin.speaker.organisation,
        kremlin.speaker.country,
    ) == ("Dmitry Peskov", "spokesman", "Kremlin", "RUS")
    reforms = quote_starting(seed, "We are determined to reforms")
    assert reforms.speaker is not None and reforms.speaker.name == "Petro Poroshenko"
    assert reforms.speaker.resolved_from == "Poroshenko"
    for quote in seed.quotes:
        assert seed.text[quote.start : quote.end] == quote.text
    assert not any(q.text == "first step" for q in seed.quotes)


def test_the_visit_to_kiev_and_the_pledge_of_support(seed: Article) -> None:
    visit = [e for e in events_coded(seed, "042") if e.source[0].name == "Jens Stoltenberg"]
    assert len(visit) == 1
    assert visit[0].polarity == "asserted"
    assert visit[0].date == "2017-07-10" and visit[0].date_text == "Monday"
    assert visit[0].location is not None and visit[0].location.geonameid == 703448
    assert [a.code for a in visit[0].target] == ["UKRGOV"]
    pledge = events_coded(seed, "03")[0]
    assert pledge.source[0].code == "IGOWSTNAT" and [a.code for a in pledge.target] == ["UKR"]


def test_the_accusation_against_moscow_is_an_accusation(seed: Article) -> None:
    (accuse,) = events_coded(seed, "112")
    assert accuse.polarity == "asserted" and accuse.plover == "ACCUSE"
    assert [a.code for a in accuse.source] == ["UKR", "WST"]
    assert [a.code for a in accuse.target] == ["RUSGOV"]


def test_the_demand_that_russia_withdraw_is_not_a_withdrawal(seed: Article) -> None:
    (withdraw,) = events_coded(seed, "0874")
    assert withdraw.polarity == "demanded"
    assert [a.code for a in withdraw.source] == ["RUS"]
    assert withdraw.claimant is not None and withdraw.claimant.name == "Jens Stoltenberg"


def test_the_sanctions_on_russia(seed: Article) -> None:
    (sanctions,) = events_coded(seed, "163")
    assert sanctions.polarity == "asserted"
    assert [a.code for a in sanctions.source] == ["USA", "IGOEUREEC"]
    assert [a.code for a in sanctions.target] == ["RUS"]


def test_moscows_denial_is_a_denial_by_russia(seed: Article) -> None:
    denied = [e for e in seed.events if e.polarity == "denied"]
    assert len(denied) == 1
    assert [a.code for a in denied[0].source] == ["RUSGOV"]
    assert denied[0].target[0].code == "UKRREB"
    assert denied[0].claimant is not None and denied[0].claimant.code == "RUSGOV"


def test_nothing_only_reported_or_denied_is_asserted(seed: Article) -> None:
    asserted_support_by_russia = [
        e
        for e in seed.events
        if e.polarity == "asserted" and e.plover in {"SUPPORT", "AID"}
        and any(a.country == "RUS" for a in e.source)
    ]  # fmt: skip
    assert asserted_support_by_russia == []
    assert not [e for e in seed.events if e.plover == "RETREAT" and e.polarity == "asserted"]


def test_kiev_is_the_ukrainian_capital_and_moscow_stands_for_its_government(seed: Article) -> None:
    kiev = [p for p in seed.places if p.text == "Kiev"]
    assert kiev and all(p.geonameid == 703448 and p.country == "UKR" for p in kiev)
    denial_moscow = [p for p in seed.places if p.text == "Moscow" and p.metonymic]
    assert denial_moscow and all(p.geonameid == 524901 for p in denial_moscow)


def test_every_annotation_points_to_its_evidence(seed: Article) -> None:
    for event in seed.events:
        sentence = seed.sentences[event.sentence]
        assert sentence.start <= event.start < event.end <= sentence.end
        assert event.trigger in seed.text[event.start : event.end]
    for place in seed.places:
        assert seed.text[place.start : place.end] == place.text
    for actor in seed.actors:
        assert seed.text[actor.start : actor.end] == actor.text
