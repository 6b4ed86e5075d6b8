"""Actors resolved to countries and sectors from the sentence and the sentences before it."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.model import Actor, Article
from wirewatch.understand.actors import ActorCoder
from wirewatch.understand.entities import entities_of, sentences_of
from wirewatch.understand.nlp import load_nlp
from wirewatch.understand.parse_index import hyphens
from wirewatch.understand.places import resolve_places
from wirewatch.understand.regions import country_of_region
from wirewatch.understand.roles import role_sector


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def coder_for(nlp: Language, text: str) -> tuple[ActorCoder, Doc]:
    doc = nlp(text)
    article = Article(text=text, source="test", published="2008-06-01")
    article.sentences = sentences_of(doc)
    article.entities = entities_of(doc, article.sentences)
    article.places = resolve_places(doc, article)
    return ActorCoder(doc, article), doc


def code_of(nlp: Language, text: str, phrase: str) -> list[tuple[str | None, str | None]]:
    """(country, sector) of every actor the phrase names (looked up from the end)."""
    coder, doc = coder_for(nlp, text)
    return [(a.country, a.sector) for a in actors_at(coder, doc, text, phrase)]


def actors_at(
    coder: ActorCoder, doc: Doc, text: str, phrase: str, *, last: bool = True
) -> list[Actor]:
    begin = text.rfind(phrase) if last else text.find(phrase)
    span = doc.char_span(begin, begin + len(phrase), alignment_mode="expand")
    assert span is not None
    return coder.actors(span.root)


def test_the_roles_table_reads_plurals_and_titles() -> None:
    assert role_sector("policemen") == "COP"
    assert role_sector("militias") == "REB"
    assert role_sector("MPs") == "LEG"
    assert role_sector("national security advisers") == "GOV"
    assert role_sector("lawmakers") == "LEG"
    assert role_sector("table") is None


def test_regions_name_their_country() -> None:
    assert country_of_region("the Gaza Strip") == "PSE"
    assert country_of_region("Crimea") == "UKR"
    assert country_of_region("Kurdistan") == "IRQ"
    assert country_of_region("Kashmir") is None  # claimed by two countries: unknown


def test_conjoined_demonyms_give_one_actor_per_country(nlp: Language) -> None:
    text = "US and British activists staged a protest outside the embassy."
    assert code_of(nlp, text, "activists") == [("USA", "CVL"), ("GBR", "CVL")]


def test_a_possessive_places_a_title(nlp: Language) -> None:
    text = "Iraq's national security advisor met tribal leaders on Monday."
    assert code_of(nlp, text, "advisor") == [("IRQ", "GOV")]


def test_an_of_phrase_places_a_title_through_the_gazetteer(nlp: Language) -> None:
    text = "The mayor of Nablus was detained at a checkpoint on Tuesday."
    assert code_of(nlp, text, "mayor") == [("PSE", "GOV")]


def test_a_name_after_its_title_takes_the_titles_place(nlp: Language) -> None:
    text = "The mayor of Nablus, Ghassan Shakaa, was arrested by Israeli troops."
    assert code_of(nlp, text, "Shakaa") == [("PSE", "GOV")]
    assert code_of(nlp, text, "troops") == [("ISR", "MIL")]


def test_security_sources_are_coded_with_their_demonym(nlp: Language) -> None:
    text = "Palestinian security sources said two men were wounded."
    assert code_of(nlp, text, "sources") == [("PSE", "COP")]


def test_the_host_is_of_the_place_visited_and_the_visitor_is_not(nlp: Language) -> None:
    text = "Condoleezza Rice met President Michel Suleiman during a visit to Beirut."
    assert code_of(nlp, text, "Suleiman") == [("LBN", "GOV")]
    # The visitor is not placed in Beirut: the officeholders base knows her office in 2008.
    assert code_of(nlp, text, "Rice") == [("USA", "GOV")]
    travelling = "The prime minister arrived in Paris on Monday."
    assert code_of(nlp, travelling, "minister") == [(None, "GOV")]


def test_local_groups_are_of_the_place_where_they_act(nlp: Language) -> None:
    assert code_of(nlp, "Police arrested five protesters in Nablus.", "Police") == [("PSE", "COP")]
    assert code_of(nlp, "Rebels in Darfur attacked a convoy.", "Rebels") == [("SDN", "REB")]
    # Armed forces are often abroad: where they act does not say whose they are.
    assert code_of(nlp, "Soldiers opened fire in Nablus.", "Soldiers") == [(None, "MIL")]


def test_earlier_sentences_place_later_mentions(nlp: Language) -> None:
    text = (
        "Lebanese President Michel Suleiman arrived in Paris on Monday. "
        "The president said the talks went well. Suleiman met students."
    )
    assert code_of(nlp, text, "president") == [("LBN", "GOV")]
    assert code_of(nlp, text, "Suleiman") == [("LBN", "GOV")]
    text = "Israeli troops entered the camp at dawn. The soldiers detained four men."
    assert code_of(nlp, text, "soldiers") == [("ISR", "MIL")]


def test_a_later_sentence_changes_nothing(nlp: Language) -> None:
    lead = "Police arrested two men on Monday."
    assert code_of(nlp, lead, "Police") == [(None, "COP")]
    longer = lead + " Kenyan police said the men were armed. Police in Nairobi agreed."
    coder, doc = coder_for(nlp, longer)
    first = actors_at(coder, doc, longer, "Police", last=False)
    assert [(a.country, a.sector) for a in first] == [(None, "COP")]


def test_copies_of_a_sentence_get_the_same_actors(nlp: Language) -> None:
    repeated = "Security forces fired tear gas at the crowd."
    story = (
        f"{repeated} Kenyan officials said later that three people were hurt in Nairobi. "
        f"Kenyan police were deployed in Nairobi. {repeated}"
    )
    coder, doc = coder_for(nlp, story)
    first = actors_at(coder, doc, story, "Security forces", last=False)
    copy = actors_at(coder, doc, story, "Security forces", last=True)
    assert [(a.code, a.text) for a in first] == [(a.code, a.text) for a in copy]
    assert copy[0].start == story.rfind("Security forces")
    # Another copy of the story, cut after its first sentence, codes it the same way.
    alone, alone_doc = coder_for(nlp, repeated)
    assert [a.code for a in actors_at(alone, alone_doc, repeated, "forces")] == [
        a.code for a in first
    ]


def test_affiliation_is_not_nationality(nlp: Language) -> None:
    coder, doc = coder_for(nlp, "Pro-Russian separatists shelled the town.")
    (actor,) = actors_at(coder, doc, doc.text, "separatists")
    assert (actor.country, actor.sector, actor.affiliation) == (None, "REB", "RUS")


def test_unknown_stays_null(nlp: Language) -> None:
    assert code_of(nlp, "Officials said the talks would resume.", "Officials") == [(None, "GOV")]
    assert code_of(nlp, "The chair was broken.", "chair") == []


def test_bodies_and_seats_of_power(nlp: Language) -> None:
    assert code_of(nlp, "Pentagon officials confirmed the strike.", "officials") == [("USA", "MIL")]
    coder, doc = coder_for(nlp, "Hamas militants fired rockets at Israel.")
    assert [a.code for a in actors_at(coder, doc, doc.text, "militants")] == ["PSEREBHAM"]


def coded_on(nlp: Language, text: str, phrase: str, published: str) -> list[str | None]:
    doc = nlp(text)
    article = Article(text=text, source="test", published=published)
    article.sentences = sentences_of(doc)
    article.entities = entities_of(doc, article.sentences)
    article.places = resolve_places(doc, article)
    return [a.code for a in actors_at(ActorCoder(doc, article), doc, text, phrase)]


def test_the_officeholders_base_places_a_person_the_article_does_not() -> None:
    nlp = load_nlp()
    text = "Bush met the delegation on Tuesday."
    assert coded_on(nlp, text, "Bush", "2006-03-01") == ["USAGOV"]
    assert coded_on(nlp, text, "Bush", "2012-03-01") == [None]  # held no office then
    assert coded_on(nlp, text, "Bush", "") == [None]  # no date: never today's
    stoltenberg = "Stoltenberg met the delegation on Tuesday."
    assert coded_on(nlp, stoltenberg, "Stoltenberg", "2017-07-10") == ["IGOWSTNAT"]


def test_the_article_wins_over_the_officeholders_base() -> None:
    nlp = load_nlp()
    # The base has Jens Stoltenberg at NATO in 2017; the article makes him a Norwegian activist.
    text = "Norwegian activist Jens Stoltenberg joined the protest on Tuesday."
    assert coded_on(nlp, text, "Jens Stoltenberg", "2017-07-10")[0] != "IGOWSTNAT"


def test_a_noun_that_is_no_role_stands_for_what_its_own_words_name(nlp: Language) -> None:
    # a count of people is the people counted
    text = "Thousands of Kenyan students marched through Nairobi on Monday."
    assert code_of(nlp, text, "Thousands") == [("KEN", "CVL")]
    # a body named by a modifier, a military compound, conjoined demonyms
    text = "The ASEAN forum agreed to set up a fund."
    assert [a.code for a in actors_at(*coder_for(nlp, text), text, "forum")] == ["IGOSEAASN"]
    assert code_of(nlp, "Russian army trucks crossed the border.", "trucks") == [("RUS", "MIL")]
    assert code_of(nlp, "Syrian tanks shelled the town.", "tanks") == [("SYR", "MIL")]
    text = "The Serbian and Albanian sides met in Vienna."
    assert code_of(nlp, text, "sides") == [("SRB", None), ("ALB", None)]
    # a place the noun is in does not make it an actor; nor does a bare noun
    assert code_of(nlp, "Homes in Gaza were flattened on Sunday.", "Homes") == []
    assert code_of(nlp, "The trucks crossed the border.", "trucks") == []


def test_a_noun_the_tagger_took_for_a_verb_is_still_an_actor(nlp: Language) -> None:
    # the parse of "Egypt rejected a United Nations appeal", with "appeal" tagged as a verb
    words = ["Egypt", "rejected", "a", "United", "Nations", "appeal", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        spaces=[True, True, True, True, True, False, False],
        pos=["PROPN", "VERB", "DET", "PROPN", "PROPN", "VERB", "PUNCT"],
        tags=["NNP", "VBD", "DT", "NNP", "NNP", "VB", "."],
        deps=["nsubj", "ROOT", "det", "compound", "compound", "dobj", "punct"],
        heads=[1, 1, 5, 4, 5, 1, 1],
        lemmas=["Egypt", "reject", "a", "United", "Nations", "appeal", "."],
        ents=["B-GPE", "O", "O", "B-ORG", "I-ORG", "O", "O"],
        sent_starts=[True, False, False, False, False, False, False],
    )
    text = doc.text
    article = Article(text=text, source="test", published="2008-06-01")
    article.sentences = sentences_of(doc)
    article.entities = entities_of(doc, article.sentences)
    coder = ActorCoder(doc, article)
    assert [a.code for a in coder.actors(doc[5])] == ["IGOUNO"]


def test_a_conjunct_in_the_same_role_shares_the_first_nouns_demonym(nlp: Language) -> None:
    text = "Serbian officials and ministers met on Monday."
    assert code_of(nlp, text, "ministers") == [("SRB", "GOV")]
    # another role does not: "Syrian troops and rebels" are not both Syrian by their words
    text = "Georgian troops and rebels clashed on Monday."
    assert ("GEO", "REB") not in code_of(nlp, text, "rebels")


def test_a_possessed_noun_stands_for_its_possessor_with_its_sector(nlp: Language) -> None:
    # "the Turkish army's incursion" is the army's act: the army (TUR, MIL), at its own words
    text = "Iraq condemned the Turkish army's incursion into northern Iraq."
    coder, doc = coder_for(nlp, text)
    found = actors_at(coder, doc, text, "incursion")
    assert [(a.country, a.sector, a.text) for a in found] == [("TUR", "MIL", "the Turkish army")]
    # an owner with no code leaves the phrase to its own modifiers
    text = "Abu Karim's al-Qaeda network claimed the bombing."
    assert [a.code for a in actors_at(*coder_for(nlp, text), text, "network")] == ["IMGSAUQAE"]


def test_hyphen_index_is_not_read_from_another_doc(nlp: Language) -> None:
    coder, doc = coder_for(nlp, "Officials in Kiev said pro-Russian separatists shelled the town.")
    (actor,) = actors_at(coder, doc, doc.text, "separatists")
    assert actor.affiliation == "RUS"
    # a span copied out with the article's user data carries the first doc's hyphen index
    part = doc[4:].as_doc(copy_user_data=True)
    assert hyphens(part) == [t.i for t in part if t.text == "-"]
    # and the index survives the Doc's own serialisation (msgpack)
    again = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert hyphens(again) == [t.i for t in again if t.text == "-"]


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        # where settlers, refugees or tourists are is not where they are from
        ("Jewish settlers in the West Bank attacked farmers.", "Jewish settlers", [(None, "CVL")]),
        ("Jewish settlers attacked farmers in the West Bank.", "Jewish settlers", [(None, "CVL")]),
        ("Refugees in Lebanon protested on Monday.", "Refugees", [(None, "REF")]),
        # their own demonym, or a "from" place, still says it
        ("Israeli settlers in the West Bank attacked farmers.", "settlers", [("ISR", "CVL")]),
        ("Refugees from Syria protested in Lebanon.", "Refugees", [("SYR", "REF")]),
        # people who are at home are placed as before
        ("Shiite militias in Iraq attacked the embassy.", "militias", [("IRQ", "REB")]),
    ],
)
def test_people_away_from_home_are_not_placed_by_where_they_are(
    nlp: Language, text: str, phrase: str, expected: list[tuple[str | None, str | None]]
) -> None:
    assert code_of(nlp, text, phrase) == expected
