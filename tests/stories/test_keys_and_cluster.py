"""Event and quote keys, clustering features and scores, and the choice of a story."""

from __future__ import annotations

from wirewatch.model import Actor, Article, Entity, Event, Place, Quote, Speaker
from wirewatch.store.records import StoredEvent, StoredQuote
from wirewatch.store.stories import MemberRow
from wirewatch.stories.cluster import Candidate, ClusterRules, choose_story, overlap, score
from wirewatch.stories.features import StoryFeatures, numbers_in, story_features
from wirewatch.stories.keys import event_key, quote_key, sentence_words
from wirewatch.stories.records import CopyGroups, Placed, StoryEvent, StoryQuote

DAY = 86400.0


def visit(**changes: object) -> Event:
    event = Event(
        cameo="042",
        cameo_name="Make a visit",
        plover="CONSULT",
        quad_class=1,
        goldstein=1.9,
        source=[Actor("NATO chief Jens Stoltenberg", 0, 27, "IGONAT", name="Jens Stoltenberg")],
        target=[Actor("Ukraine", 40, 47, "UKR")],
        polarity="asserted",
        trigger="visit",
        start=0,
        end=90,
        sentence=0,
        date="2017-07-10",
        location=Place("Kiev", 60, 64, "Kyiv", 703448, 50.45, 30.52, "UKR", "capital", False, 0),
    )
    for name, value in changes.items():
        setattr(event, name, value)
    return event


def test_the_same_event_in_other_words_and_offsets_has_one_key() -> None:
    other = visit(
        start=100,
        end=180,
        sentence=3,
        trigger="visited",
        source=[Actor("Stoltenberg", 100, 111, "IGONAT")],
        location=Place("Kyiv", 150, 154, "Kyiv", 703448, 50.45, 30.52, "UKR", "capital", False, 3),
    )
    assert event_key(visit()) == event_key(other)


def test_polarity_date_place_and_actors_tell_events_apart() -> None:
    key = event_key(visit())
    assert event_key(visit(polarity="denied")) != key
    assert event_key(visit(date="2017-07-11")) != key
    assert event_key(visit(location=None)) != key
    assert event_key(visit(target=[Actor("Russia", 40, 46, "RUS")])) != key
    assert event_key(visit(target=[Actor("Ukraine", 1, 8, None)])) == (
        "042",
        ("IGONAT",),
        ("ukraine",),
        "2017-07-10",
        "asserted",
        "703448",
    )


def test_a_quote_key_is_its_words_and_speaker() -> None:
    speaker = Speaker("he", 0, 2, name="Jens Stoltenberg", resolved_from="he")
    one = Quote(
        "Russia must withdraw its thousands of soldiers", 0, 40, "direct", "added", speaker, 1
    )
    two = Quote("Russia must  withdraw its thousands of soldiers.", 9, 50, "direct", "said",
                Speaker("Stoltenberg", 0, 11, name="Jens Stoltenberg"), 2)  # fmt: skip
    assert quote_key(one) == quote_key(two)
    assert quote_key(Quote(one.text, 0, 40, "direct", None, None, 0)) == (
        "russia must withdraw its thousands of soldiers",
        None,
    )


def test_numbers_are_normalised_and_small_ones_left_out() -> None:
    assert numbers_in("10,000 people, 10000 soldiers, 29-member bloc, 3 days, 1.50 dollars") == [
        "10000",
        "29",
    ]


def test_features_come_from_entities_actors_numbers_and_words() -> None:
    text = "NATO chief Jens Stoltenberg visited Kiev; more than 10,000 people were killed."
    article = Article(
        text=text,
        source="t",
        published="2017-07-10",
        entities=[
            Entity("Jens Stoltenberg", "PERSON", 11, 27, "Jens Stoltenberg", 0),
            Entity("Kiev", "GPE", 36, 40, "Kyiv", 0),
            Entity("Monday", "DATE", 0, 0, "Monday", 0),
        ],
        events=[visit()],
    )
    features = story_features(article)
    assert features.entities == {"jens stoltenberg", "kyiv"}
    assert features.actors == {"IGONAT", "UKR"}
    assert features.numbers == {"10000"}
    assert {"stoltenberg", "killed", "nato"} <= features.keywords
    assert features.at == 1499644800.0  # 2017-07-10T00:00Z
    again = StoryFeatures.from_values(features.values(), features.at)
    assert again == features


def features(words: str, entities: str = "", at: float = 0.0) -> StoryFeatures:
    return StoryFeatures(
        frozenset(entities.split(",")) - {""},
        frozenset(),
        frozenset(),
        frozenset(words.split()),
        at,
    )


def test_overlap_rewards_shared_names_but_not_a_single_one() -> None:
    assert overlap(frozenset({"kiev"}), frozenset({"kiev", "nato"})) == 0.5
    assert overlap(frozenset(), frozenset({"kiev"})) is None


def test_the_score_leaves_out_parts_without_evidence_and_the_window_bounds_it() -> None:
    a = features("nato ukraine kiev stoltenberg visit", "nato,kyiv")
    b = features("nato ukraine kiev stoltenberg pledge", "nato,kyiv", at=DAY)
    near = score(a, b, 3 * DAY)
    assert 0.6 < near < 1.0
    assert score(a, features("nato ukraine kiev stoltenberg pledge", at=DAY), 3 * DAY) != near
    assert score(a, b, 0.5 * DAY) == 0.0


def test_an_article_joins_the_best_story_and_links_the_related_ones() -> None:
    rules = ClusterRules(window_seconds=3 * DAY, merge_threshold=0.55, related_threshold=0.35)
    new = features("nato ukraine kiev stoltenberg visit pledge", "nato,kyiv,jens stoltenberg")
    same = Candidate("a1", "s-a1", features("nato ukraine kiev stoltenberg visit", "nato,kyiv"))
    close = Candidate("b1", "s-b1", features("nato ukraine summit brussels", "nato"))
    far = Candidate("c1", "s-c1", features("ferry timetable island", "harbour board"))
    choice = choose_story(new, [far, close, same], rules)
    assert choice.story_id == "s-a1"
    assert choice.score is not None and choice.score >= 0.55
    assert [story for story, _ in choice.related] == ["s-b1"]
    alone = choose_story(new, [far], rules)
    assert (alone.story_id, alone.score, alone.related) == (None, None, ())


def placed(article: str, sentence: str, event: Event) -> Placed:
    return Placed(
        article,
        sentence_words(sentence),
        (event.cameo, event.polarity),
        event_key(event),
        event.trigger,
        StoryEvent(_stored(article, event)),
    )


def _stored(article: str, event: Event) -> StoredEvent:
    return StoredEvent(
        article_id=article,
        index=0,
        event=event,
        url=None,
        published=None,
        added="2017-07-10T00:00:00+00:00",
        sentence_text="",
        lead=True,
    )


def member(article: str, copy_of: str | None) -> MemberRow:
    relation = "original" if copy_of is None else "near"
    return MemberRow(article, "s-x", copy_of, relation, None, None, None, None, None, None, None)


SENTENCE = "Rebels in eastern Ukraine shelled Avdiivka overnight, the army said on Monday."


def test_a_copys_event_in_the_leads_sentence_is_the_leads_whatever_its_actor_codes() -> None:
    groups = CopyGroups([member("lead", None), member("copy", "lead"), member("other", None)])
    by_key: dict[object, StoryEvent] = {}
    shelling = visit(cameo="195", trigger="shelled", source=[Actor("Rebels", 0, 6, "UKRREB")])
    first = placed("lead", SENTENCE, shelling)
    lead_event = groups.place("lead", first, by_key, first.target)
    # The copy (less context) codes the rebels REB, and carries a dateline.
    recoded = visit(cameo="195", trigger="shelled", source=[Actor("Rebels", 0, 6, "REB")])
    copy = placed("copy", "KIEV (AFP) - " + SENTENCE, recoded)
    assert groups.place("copy", copy, by_key, copy.target) is lead_event
    # Another article of the story with that coding is another event (key-based identity).
    other = placed("other", SENTENCE, recoded)
    assert groups.place("other", other, by_key, other.target) is not lead_event
    # Another CAMEO code in the same sentence of the copy is not the lead's event.
    claim = placed("copy", SENTENCE, visit(cameo="010", trigger="said"))
    assert groups.place("copy", claim, by_key, claim.target) is not lead_event
    assert len(by_key) == 3


def test_a_copys_quote_in_the_leads_sentence_is_the_leads_whoever_its_speaker() -> None:
    groups = CopyGroups([member("lead", None), member("copy", "lead")])
    by_key: dict[object, StoryQuote] = {}
    sentence = '"Russia must withdraw its soldiers," Stoltenberg said.'
    words = '"Russia must withdraw its soldiers,"'

    def entry(article: str, speaker: Speaker | None) -> Placed:
        quote = Quote(words, 0, 36, "direct", "said", speaker, 0)
        stored = StoredQuote(article, 0, None, None, quote, sentence)
        key = quote_key(quote)
        return Placed(article, sentence_words(sentence), key[0], key, None, StoryQuote(stored))

    lead = entry("lead", Speaker("Stoltenberg", 37, 48, name="Jens Stoltenberg"))
    found = groups.place("lead", lead, by_key, lead.target)
    unresolved = entry("copy", None)
    assert groups.place("copy", unresolved, by_key, unresolved.target) is found
    assert len(by_key) == 1
