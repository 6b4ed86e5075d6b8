"""Events from the parse: codes, actors, polarity, dates and places (real model, short texts)."""

from __future__ import annotations

import pytest

import wirewatch
from wirewatch.model import Article, Event


def analyze(text: str, published: str | None = "2024-03-14") -> Article:
    return wirewatch.analyze(text, published=published)


def only(article: Article, cameo_prefix: str) -> Event:
    found = [e for e in article.events if e.cameo.startswith(cameo_prefix)]
    assert len(found) == 1, [(e.cameo, e.trigger) for e in article.events]
    return found[0]


def codes(actors: list[wirewatch.model.Actor]) -> list[str | None]:  # type: ignore[name-defined]
    return [a.code for a in actors]


def test_coordinated_sources_and_the_object_of_the_rows_preposition() -> None:
    event = only(analyze("The US and the European Union have imposed sanctions on Iran."), "163")
    assert codes(event.source) == ["USA", "IGOEUREEC"]
    assert codes(event.target) == ["IRN"]
    assert (event.plover, event.quad_class, event.polarity) == ("COERCE", 4, "asserted")


def test_a_denial_is_not_the_act() -> None:
    article = analyze("Tehran has denied arming the rebels in Yemen.")
    event = only(article, "072")
    assert event.polarity == "denied"
    assert codes(event.source) == ["IRNGOV"]
    assert event.claimant is not None and event.claimant.code == "IRNGOV"


def test_an_accusation_is_asserted_and_its_content_is_only_claimed() -> None:
    article = analyze("Kenya accused Somalia of attacking a border post on Tuesday.")
    accuse = only(article, "112")
    assert (accuse.polarity, codes(accuse.source), codes(accuse.target)) == (
        "asserted",
        ["KEN"],
        ["SOM"],
    )
    attack = only(article, "19")
    assert attack.polarity == "reported_claim"
    assert codes(attack.source) == ["SOM"]


def test_must_is_a_demand_and_will_is_an_intention() -> None:
    demand = only(analyze("Ethiopia must withdraw its troops from Somalia."), "0874")
    assert (demand.polarity, codes(demand.source), codes(demand.target)) == (
        "demanded",
        ["ETH"],
        ["SOM"],
    )
    intent = analyze("Japan will send aid to Haiti next week.").events
    assert [(e.cameo, e.polarity) for e in intent] == [("033", "intended")]


def test_negation() -> None:
    event = only(analyze("Serbia did not recognise Kosovo."), "054")
    assert event.polarity == "negated"


def test_a_demand_to_do_something_is_coded_as_a_demand() -> None:
    event = only(analyze("The United Nations urged Myanmar to release the prisoners."), "10")
    assert event.cameo == "1053"
    assert codes(event.source) == ["IGOUNO"]


def test_people_are_coded_from_what_the_article_says_about_them() -> None:
    text = (
        "Chilean Foreign Minister Ana Reyes met Bolivian officials in La Paz on Monday. "
        "Reyes later criticised Peru."
    )
    article = analyze(text, published="2024-03-14")
    meet = only(article, "04")
    assert meet.source[0].name == "Ana Reyes" and meet.source[0].code == "CHLGOV"
    assert meet.date == "2024-03-11" and meet.date_text == "Monday"
    criticise = only(article, "111")
    assert criticise.source[0].text == "Reyes" and criticise.source[0].code == "CHLGOV"


def test_no_date_without_an_anchor_and_offsets_point_to_the_evidence() -> None:
    article = analyze("Egypt hosted talks on Monday.", published=None)
    for event in article.events:
        assert event.date is None
        evidence = article.text[event.start : event.end]
        assert event.trigger in evidence
        for actor in (*event.source, *event.target):
            assert article.text[actor.start : actor.end] == actor.text


@pytest.mark.parametrize("text", ["The minister demonstrated the new app.", "Protesters marched."])
def test_intransitive_protest_verbs(text: str) -> None:
    article = analyze(text)
    protests = [e for e in article.events if e.plover == "PROTEST"]
    assert bool(protests) == (text == "Protesters marched.")


@pytest.mark.parametrize("dateline", ["KIEV (AFP) - ", "KIEV, July 10 (AFP) — "])
def test_a_datelines_place_and_date_are_not_the_events_actor_or_date(dateline: str) -> None:
    lead = (
        "NATO chief Jens Stoltenberg pledged support for Ukraine during a visit to Kiev on Monday, "
        "as the ex-Soviet republic battles a bloody insurgency by pro-Russian separatists."
    )
    plain = analyze(lead, published="2017-07-10")
    dated = analyze(dateline + lead, published="2017-07-10")
    for article in (plain, dated):
        visit = only(article, "042")
        assert codes(visit.source) == ["IGOWSTNAT"]
        assert visit.date == "2017-07-10" and visit.date_text == "Monday"
        assert only(article, "190").date == "2017-07-10"


def test_a_phrase_naming_two_countries_gives_an_actor_for_each() -> None:
    article = analyze("US and British activists attacked the embassy in Baghdad on Monday.")
    attacks = [e for e in article.events if e.trigger.startswith("attack")]
    assert attacks, [(e.cameo, e.trigger) for e in article.events]
    assert sorted(codes(attacks[0].source)) == ["GBRCVL", "USACVL"]


def test_an_agreement_stands_when_what_was_agreed_has_no_coded_actor() -> None:
    # "cooperate" has no coded actor ("their countries"), so the agreement itself is the event
    article = analyze(
        "Polish and Czech officials agreed on Monday that their countries should cooperate."
    )
    event = only(article, "03")
    assert codes(event.source) == ["POLGOV", "CZEGOV"]
    # and where the agreed act is coded, it replaces the agreement ("agreed to withdraw": 0356)
    article = analyze("Armenia agreed to withdraw its troops from the region.")
    assert [e.cameo for e in article.events] == ["0356"]


def test_a_pronoun_that_acts_is_the_noun_it_stands_for() -> None:
    event = only(analyze("Chile said on Monday it had expelled two Peruvian diplomats."), "166")
    assert (codes(event.source), codes(event.target)) == (["CHL"], ["PERGOV"])
    # an object pronoun is not its own clause's subject, but may be the joined verb's object
    article = analyze("Police chased the Nepalese students and beat them in Kathmandu.")
    assert codes(only(article, "182").target) == ["NPLCVL"]


def test_a_complement_that_is_no_event_still_names_the_target() -> None:
    event = only(
        analyze("Iran threatened to cut off electricity to Armenia over unpaid bills."), "13"
    )
    assert (codes(event.source), codes(event.target)) == (["IRN"], ["ARM"])


def test_a_protest_is_against_what_its_purpose_names_and_is_counted_once() -> None:
    article = analyze(
        "Hundreds of Chilean students staged a hunger strike to protest Peru's decision."
    )
    event = only(article, "14")  # the strike, not also "protest"
    assert (codes(event.source), codes(event.target)) == (["CHLCVL"], ["PER"])
    event = only(
        analyze("Farmers blocked roads in protest of the Polish government's reforms."), "14"
    )
    assert codes(event.target) == ["POLGOV"]


def test_copies_of_a_sentence_resolve_their_pronouns_alike() -> None:
    repeated = "It said it would expel two Peruvian diplomats."
    story = f"Chile summoned the ambassador. {repeated} Peru denied any spying. {repeated}"
    expels = [e for e in analyze(story).events if e.trigger == "expel"]
    assert len(expels) == 2
    # each copy read in its own context says Chile, then Peru: unknown in both
    assert [codes(e.source) for e in expels] == [[], []]
    # copies whose contexts agree keep the actor, each at its own antecedent's words
    story = f"Chile summoned the ambassador. {repeated} Chile recalled its envoy. {repeated}"
    expels = [e for e in analyze(story).events if e.trigger == "expel"]
    assert [codes(e.source) for e in expels] == [["CHL"], ["CHL"]]
    assert expels[0].source[0].start < expels[1].source[0].start


def test_a_pronoun_whose_nearest_antecedent_is_unknown_stays_unknown() -> None:
    text = "Israel bombed the town. The report said it had killed 12 Lebanese civilians."
    killing = [e for e in analyze(text).events if e.trigger == "killed"]
    assert all(codes(e.source) == [] for e in killing)


def test_a_body_the_tagger_missed_or_named_by_a_modifier_is_an_actor() -> None:
    text = "The pro-Iranian Hizbollah (Party of God) group declared a truce on Friday in Lebanon."
    assert codes(only(analyze(text), "087").source) == ["LBNREBHEZ"]
    text = "The pro-Syrian Hizbollah group fired rockets at Israel on Monday."
    event = only(analyze(text), "19")
    assert (codes(event.source), codes(event.target)) == (["LBNREBHEZ"], ["ISR"])


def test_a_visit_arrived_on_is_one_visit_to_the_place_arrived_in() -> None:
    article = analyze("The Kenyan president arrived in Kampala on a two-day visit on Monday.")
    event = only(article, "04")
    assert event.cameo == "042"
    assert (codes(event.source), [a.country for a in event.target]) == (["KENGOV"], ["UGA"])
    article = analyze("The Kenyan foreign minister is in Kampala on a two-day visit.")
    assert [(e.cameo, e.trigger) for e in article.events] == [("042", "visit")]


def test_one_actor_per_code_on_each_side() -> None:
    event = only(analyze("NATO and NATO allies stand by Ukraine."), "05")
    assert codes(event.source) == ["IGOWSTNAT"]
    assert event.source[0].text == "NATO"


def test_what_a_possessor_did_is_the_possessors_not_the_acts() -> None:
    text = "The Iraqi government condemned the Turkish army's incursion into northern Iraq."
    event = only(analyze(text), "11")
    assert codes(event.target) == ["TURMIL"]
    assert [a.text for a in event.target] == ["the Turkish army"]


def test_a_count_that_is_no_noun_is_the_people_it_counts() -> None:
    # "some" (a pronoun) and "several" (an adjective) count the people of their "of" phrase
    event = only(analyze("Some of the Colombian rebels surrendered to the army on Sunday."), "08")
    assert codes(event.source) == ["COLREB"]
    event = only(analyze("Several of the Iranian diplomats were expelled by Britain."), "166")
    assert codes(event.target) == ["IRNGOV"]
    assert [a.text for a in event.target] == ["the Iranian diplomats"]


def test_a_protest_in_a_purpose_clause_stands_when_nothing_else_is_a_protest() -> None:
    # spaCy makes a new Token object at each lookup: the clause's own trigger must be told
    # apart by index, or every purpose-clause protest counts as its own duplicate
    text = "Police fired tear gas at students who had gathered to protest against the government."
    article = analyze(text)
    assert [e.cameo[:2] for e in article.events if e.trigger == "protest"] == ["14"]


def test_an_event_on_a_condition_is_not_stated_as_fact() -> None:
    article = analyze("Hamas threatened to fire rockets unless Israel accepted its conditions.")
    assert only(article, "08").polarity == "conditional"
    assert only(analyze("Chad will send troops if Niger is attacked."), "19").polarity == (
        "conditional"
    )
    assert only(analyze("Rebels attacked the town after troops left."), "19").polarity == (
        "asserted"
    )


def test_a_passive_without_its_agent_has_no_known_doer() -> None:
    # not Ukraine: it said the town was shelled, it did not shell it
    assert analyze("Ukraine said the town was shelled overnight.").events == []
    event = only(analyze("Kenya said its border post was shelled by Somali militants."), "19")
    assert [a.country for a in event.source] == ["SOM"]


def test_a_pronoun_in_a_quote_is_read_within_the_quote() -> None:
    text = (
        "The Kremlin has long opposed the plan. "
        '"It will not contribute to the stability of Europe," Kremlin spokesman Dmitry Peskov said.'
    )
    events = [e for e in analyze(text).events if e.trigger == "contribute"]
    assert all("RUSGOV" not in codes(e.source) for e in events)


def test_whom_they_met_comes_before_where() -> None:
    event = only(analyze("Chinese officials met US officials and lawmakers in Washington."), "04")
    assert codes(event.target) == ["USAGOV", "USALEG"]
    event = only(analyze("Russian and Ukrainian negotiators met in Istanbul."), "04")
    assert [a.country for a in event.target] == ["TUR"]


def test_a_people_no_table_places_is_placed_by_its_modifiers() -> None:
    event = only(analyze("Thousands of Iraqi Kurds protested in Kirkuk on Sunday."), "14")
    assert codes(event.source) == ["IRQ"]


def test_a_disaster_in_a_when_clause_kills_nobody_as_an_actor() -> None:
    assert (
        analyze("Dozens of villagers were killed when a landslide buried their homes.").events == []
    )
    text = "Two soldiers were killed when rebels attacked their convoy."
    assert any(codes(e.source) == ["REB"] for e in analyze(text).events)
