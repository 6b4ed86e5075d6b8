"""Quotes and their speakers: every pattern on short fictional paragraphs, the reference input,
and a floor under the accuracy on the annotated set (``bench/quotes.py``).

The model is loaded once for the module; quote marks are tested without it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from spacy.language import Language

import wirewatch
from wirewatch.model import Article, Quote
from wirewatch.settings import Settings
from wirewatch.understand import annotate
from wirewatch.understand.nlp import load_nlp
from wirewatch.understand.quotes import cue_lexicon, find_quotes, quoted_spans

ROOT = Path(__file__).parents[2]
SEED = ROOT / "tests" / "fixtures" / "seed_000_3ed97192f3d4092b.txt"

# Final figures on the whole annotated set (bench/quotes.py, 172 quotes in 93 passages):
# exact-span F1 0.994, speaker accuracy on matched quotes 0.977, speaker F1 0.973. The floors
# leave room for two or three quotes of drift when the model or the entity layer changes, and
# catch any real regression.
EXACT_F1_FLOOR = 0.97
LOOSE_F1_FLOOR = 0.97
SPEAKER_ACCURACY_FLOOR = 0.95
SPEAKER_F1_FLOOR = 0.95


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def quotes_of(nlp: Language, text: str) -> list[Quote]:
    article = Article(text=text, source="test")
    annotate([article], Settings())
    return find_quotes(nlp(article.text), article)


def summary(quotes: list[Quote]) -> list[tuple[str, str, str | None, str | None]]:
    """(kind, text, cue, speaker name) of each quote, the way a reader checks them."""
    return [(q.kind, q.text, q.cue, q.speaker.name if q.speaker else None) for q in quotes]


def words(text: str, quotes: list[Quote]) -> list[str]:
    return [text[q.start : q.end] for q in quotes]


# --- Quote marks, without the model ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('"We will stay," she said.', ["We will stay"]),
        ("“We will stay,” she said.", ["We will stay"]),
        ("«We will stay», she said.", ["We will stay"]),
        ("« Nous restons », a-t-elle dit.", ["Nous restons"]),
        ("‘We will stay,’ she said.", ["We will stay"]),
        ("'We will stay,' she said.", ["We will stay"]),
        (
            "\"The inspector said it was 'perfectly safe',\" she said.",
            ["The inspector said it was 'perfectly safe'"],
        ),
        ("‘The “consultation” took a day,’ she said.", ["The “consultation” took a day"]),
        ("Moscow’s plan and the workers' union don't change.", []),
    ],
)
def test_quoted_spans_in_every_mark_style(text: str, quoted: list[str]) -> None:
    assert [text[s.start : s.end] for s in quoted_spans(text)] == quoted


def test_a_quote_left_open_runs_on_into_the_next_paragraph() -> None:
    text = '"The first call came at two.\n"By three the wing was burning," Amsel said.\nEnd.'
    first, second = quoted_spans(text)
    assert (text[first.start : first.end], first.continues, first.close_mark) == (
        "The first call came at two.",
        True,
        None,
    )
    assert text[second.start : second.end] == "By three the wing was burning"
    assert (first.paragraph, second.paragraph) == (0, 1)


def test_an_unclosed_quote_without_a_following_mark_ends_with_its_paragraph() -> None:
    text = '"The bridge is closed, she said.\nTraffic was diverted.'
    (span,) = quoted_spans(text)
    assert text[span.start : span.end] == "The bridge is closed, she said."
    assert not span.continues


def test_the_cue_list_covers_the_reporting_verbs_of_wire_copy() -> None:
    lexicon = cue_lexicon()
    required = {
        *("say", "add", "tell", "warn", "insist", "stress", "urge", "deny", "claim", "note"),
        *("explain", "argue", "ask", "announce", "declare", "write", "tweet", "acknowledge"),
        *("admit", "concede", "reply", "respond", "state", "vow", "promise", "pledge"),
        *("maintain", "suggest", "caution", "predict", "recall"),
    }
    assert required <= lexicon.speech
    assert {"laugh", "shout"} <= lexicon.manner
    assert "call" in lexicon.naming


# --- Direct quotes -----------------------------------------------------------------------


def test_direct_quotes_with_a_name_a_surname_and_a_pronoun(nlp: Language) -> None:
    text = (
        '"We have cleared most of the wreckage," harbour chief Tilda Varga said on Monday.\n'
        '"The cranes are working again," Varga told reporters in Kessport.\n'
        '"Nobody should expect normal traffic before the end of the month," she added.'
    )
    quotes = quotes_of(nlp, text)
    assert summary(quotes) == [
        ("direct", "We have cleared most of the wreckage", "said", "Tilda Varga"),
        ("direct", "The cranes are working again", "told", "Tilda Varga"),
        (
            "direct",
            "Nobody should expect normal traffic before the end of the month",
            "added",
            "Tilda Varga",
        ),
    ]
    speakers = [q.speaker for q in quotes]
    assert [(s.text, s.resolved_from) for s in speakers if s] == [
        ("harbour chief Tilda Varga", None),
        ("Varga", "Varga"),
        ("she", "she"),
    ]
    assert words(text, quotes) == [q.text for q in quotes]
    assert [q.sentence for q in quotes] == [0, 1, 2]


def test_curly_quotes_with_an_inverted_cue_and_an_apposition(nlp: Language) -> None:
    text = (
        "“The tunnel will not open this year,” said Oskar Lindqvist, a spokesman for the "
        "Northern Rail Company. “We owe passengers an honest timetable.”"
    )
    quotes = quotes_of(nlp, text)
    assert summary(quotes) == [
        ("direct", "The tunnel will not open this year", "said", "Oskar Lindqvist"),
        ("direct", "We owe passengers an honest timetable.", "said", "Oskar Lindqvist"),
    ]
    speaker = quotes[0].speaker
    assert speaker is not None and speaker.text == "Oskar Lindqvist"


def test_guillemets(nlp: Language) -> None:
    text = "«We are not leaving the negotiating table», said union leader Marit Solberg."
    assert summary(quotes_of(nlp, text)) == [
        ("direct", "We are not leaving the negotiating table", "said", "Marit Solberg")
    ]


def test_nested_single_marks_stay_inside_the_quote(nlp: Language) -> None:
    text = (
        "\"When the inspector told us the wall was 'perfectly safe', we believed him,\" said "
        "Ilse Brandt, whose shop was destroyed."
    )
    assert summary(quotes_of(nlp, text)) == [
        (
            "direct",
            "When the inspector told us the wall was 'perfectly safe', we believed him",
            "said",
            "Ilse Brandt",
        )
    ]


def test_a_quote_of_several_sentences_is_one_quote(nlp: Language) -> None:
    text = (
        '"The river rose faster than any model predicted. We moved two hundred families '
        'overnight. Some of them lost everything," Mayor Jonas Ekdahl said.'
    )
    (quote,) = quotes_of(nlp, text)
    assert quote.text.startswith("The river rose") and quote.text.endswith("lost everything")
    assert (quote.sentence, quote.speaker and quote.speaker.name) == (0, "Jonas Ekdahl")


def test_a_quote_continued_across_paragraphs_keeps_its_speaker(nlp: Language) -> None:
    text = (
        "Veteran skipper Arne Dahl has fished these waters for forty years.\n"
        '"When I started, you could fill the hold in a morning.\n'
        '"Now we come back half empty.\n'
        '"My son will not take over the boat," Dahl said.'
    )
    assert summary(quotes_of(nlp, text)) == [
        ("direct", "When I started, you could fill the hold in a morning.", "said", "Arne Dahl"),
        ("direct", "Now we come back half empty.", "said", "Arne Dahl"),
        ("direct", "My son will not take over the boat", "said", "Arne Dahl"),
    ]


def test_a_quote_split_around_its_cue_is_two_quotes_of_one_speaker(nlp: Language) -> None:
    text = '"The vote was free," observer Lena Marsh said, "but it was not fair."'
    assert summary(quotes_of(nlp, text)) == [
        ("direct", "The vote was free", "said", "Lena Marsh"),
        ("direct", "but it was not fair.", "said", "Lena Marsh"),
    ]


def test_colon_introductions(nlp: Language) -> None:
    text = (
        'Finance Minister Clara Hoffer said: "There is no money for a second bailout."\n'
        'Opposition leader Pavel Dorn replied: "Then say where the first one went."'
    )
    assert summary(quotes_of(nlp, text)) == [
        ("direct", "There is no money for a second bailout.", "said", "Clara Hoffer"),
        ("direct", "Then say where the first one went.", "replied", "Pavel Dorn"),
    ]


def test_a_whole_quoted_paragraph_after_a_quote_is_attributed_without_a_cue(
    nlp: Language,
) -> None:
    text = (
        "Union leader Marit Solberg signed the agreement on Monday.\n"
        '"Our members have waited three years for this," Solberg said.\n'
        '"Today they finally have it in writing."'
    )
    assert summary(quotes_of(nlp, text))[1:] == [
        ("direct", "Today they finally have it in writing.", None, "Marit Solberg")
    ]


def test_an_unattributed_statement_has_no_speaker(nlp: Language) -> None:
    text = '"There is no plan B." That was the message from the finance ministry on Monday.'
    assert summary(quotes_of(nlp, text)) == [("direct", "There is no plan B.", None, None)]


# --- Indirect and mixed quotes -----------------------------------------------------------


def test_indirect_quotes_with_and_without_that(nlp: Language) -> None:
    text = (
        "Pavel Dorn said the budget had been written in secret.\n"
        "He told journalists that his party would vote against it."
    )
    assert summary(quotes_of(nlp, text)) == [
        ("indirect", "the budget had been written in secret", "said", "Pavel Dorn"),
        ("indirect", "his party would vote against it", "told", "Pavel Dorn"),
    ]


def test_according_to_before_and_after_the_clause(nlp: Language) -> None:
    text = (
        "According to the Coast Guard, three fishing boats are still missing.\n"
        "The search will continue through the night, according to rescue coordinator Ines Falk."
    )
    assert summary(quotes_of(nlp, text)) == [
        ("indirect", "three fishing boats are still missing", "According to", "Coast Guard"),
        (
            "indirect",
            "The search will continue through the night",
            "according to",
            "Ines Falk",
        ),
    ]


def test_a_partial_quote_in_reported_speech_is_mixed(nlp: Language) -> None:
    text = (
        'Councillor Mirela Dusan said the demolition order was "illegal and illegitimate".\n'
        "Greenwave campaigner Mia Holt called the review 'a fig leaf'."
    )
    quotes = quotes_of(nlp, text)
    assert [(q.kind, q.text, q.cue) for q in quotes] == [
        ("mixed", 'the demolition order was "illegal and illegitimate"', "said"),
        ("mixed", "the review 'a fig leaf'", "called"),
    ]
    assert quotes[1].speaker is not None and quotes[1].speaker.name == "Mia Holt"


@pytest.mark.parametrize(
    ("sentence", "cue", "clause"),
    [
        ("warned that a strike could start within days", "warned", "a strike could start"),
        ("insisted that the offer was final", "insisted", "the offer was final"),
        ("denied that the union had walked out", "denied", "the union had walked out"),
        ("conceded that the sides were far apart", "conceded", "the sides were far apart"),
        ("pledged that the city would pay", "pledged", "the city would pay"),
        ("pointed out that the promise was old", "pointed out", "the promise was old"),
    ],
)
def test_reporting_verbs_with_a_clause(nlp: Language, sentence: str, cue: str, clause: str) -> None:
    text = f"Union negotiator Marit Solberg {sentence}."
    (quote,) = quotes_of(nlp, text)
    assert (quote.kind, quote.cue, quote.speaker and quote.speaker.name) == (
        "indirect",
        cue,
        "Marit Solberg",
    )
    assert quote.text.startswith(clause)


def test_a_dateline_is_neither_speaker_nor_reported(nlp: Language) -> None:
    text = "KESSPORT, March 4 - Dockworkers will strike from Monday, their union said on Thursday."
    (quote,) = quotes_of(nlp, text)
    assert (quote.kind, quote.text) == ("indirect", "Dockworkers will strike from Monday")
    assert quote.speaker is not None
    assert (quote.speaker.text, quote.speaker.name) == ("their union", None)


def test_another_speakers_report_ends_the_clause(nlp: Language) -> None:
    text = (
        "The opposition Liberty Party warned that it would block the bill, while the "
        "government insisted the measure was needed."
    )
    assert summary(quotes_of(nlp, text)) == [
        ("indirect", "it would block the bill", "warned", "Liberty Party"),
        ("indirect", "the measure was needed", "insisted", None),
    ]


def test_quoted_as_saying(nlp: Language) -> None:
    text = (
        "The Kessport Herald quoted harbour pilot Sven Orr as saying that the channel had not "
        "been dredged for years."
    )
    assert summary(quotes_of(nlp, text)) == [
        ("indirect", "the channel had not been dredged for years", "as saying", "Sven Orr")
    ]


# --- Speakers ----------------------------------------------------------------------------


def test_a_pronoun_between_two_people_stays_unresolved(nlp: Language) -> None:
    text = (
        "Hana Kovac arrived as Mirela Dusan was leaving the ministry.\n"
        '"Nothing has been agreed," she said.'
    )
    (quote,) = quotes_of(nlp, text)
    assert quote.speaker is not None
    assert (quote.speaker.text, quote.speaker.name, quote.speaker.resolved_from) == (
        "she",
        None,
        None,
    )


def test_a_pronoun_reaches_over_a_sentence_without_people(nlp: Language) -> None:
    text = (
        "Port director Emil Sander announced the closure on Tuesday.\n"
        "The terminal handles a third of the country's grain exports.\n"
        '"We had no choice," he said.'
    )
    assert summary(quotes_of(nlp, text)) == [("direct", "We had no choice", "said", "Emil Sander")]


def test_a_title_resolves_only_when_one_person_holds_it(nlp: Language) -> None:
    text = (
        "Health Minister Agnes Toth visited the hospital in Varnholm on Sunday.\n"
        "The minister said the new wing would open in March."
    )
    (quote,) = quotes_of(nlp, text)
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.resolved_from) == ("Agnes Toth", "The minister")
    two = (
        "Interior Minister Bruno Castell and Defence Minister Lise Aaberg toured the border.\n"
        "The minister said more guards would be sent.\n"
        "A spokesman said no decision had been taken."
    )
    assert [q.speaker and q.speaker.name for q in quotes_of(nlp, two)] == [None, None]


def test_organisations_speak_and_it_refers_back_to_them(nlp: Language) -> None:
    text = (
        "The Harbour Authority announced on Friday that the port would close for two days. "
        "It said the storm could bring waves of up to eight metres."
    )
    assert summary(quotes_of(nlp, text)) == [
        ("indirect", "the port would close for two days", "announced", "Harbour Authority"),
        (
            "indirect",
            "the storm could bring waves of up to eight metres",
            "said",
            "Harbour Authority",
        ),
    ]


def test_a_speaker_takes_role_and_country_from_their_title(nlp: Language) -> None:
    text = (
        '"The talks are over," French Foreign Minister Claire Dubois said.\n'
        '"We will not return to the table," she added.'
    )
    speakers = [q.speaker for q in quotes_of(nlp, text)]
    assert [(s.name, s.role, s.country) for s in speakers if s] == [
        ("Claire Dubois", "foreign minister", "FRA"),
        ("Claire Dubois", "foreign minister", "FRA"),
    ]


# --- Not quotes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'Envoy Hugo Mertens urged both sides to take the "first step" towards a ceasefire.',
        'The so-called "temporary" checkpoints have been in place for a year.',
        'Her documentary "The Last Ferry to Osterfjord" won the main prize.',
        'Protesters chanted "No cuts, no deals" and carried banners reading "Hands off".',
        "Mayor Jonas Ekdahl pledged support for the flood victims and vowed to rebuild.",
        "Varnholm has denied backing the rebels.",
        "The report did not say whether the dam was safe.",
        "The data suggested that prices would rise.",
        "The renovation is going according to plan.",
    ],
)
def test_not_quotes(nlp: Language, text: str) -> None:
    assert quotes_of(nlp, text) == []


def test_a_doc_of_another_text_is_refused(nlp: Language) -> None:
    article = Article(text='"Yes," she said.', source="test")
    with pytest.raises(ValueError, match="not the parse"):
        find_quotes(nlp("Something else."), article)


# --- The reference input -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_quotes(nlp: Language) -> tuple[str, list[Quote]]:
    article = wirewatch.analyze(SEED.read_text(encoding="utf-8"))
    return article.text, find_quotes(nlp(article.text), article)


def quote_starting(quotes: list[Quote], words: str) -> Quote:
    (quote,) = [q for q in quotes if q.text.startswith(words)]
    return quote


def test_seed_every_quote_is_its_own_text(seed_quotes: tuple[str, list[Quote]]) -> None:
    text, quotes = seed_quotes
    assert [text[q.start : q.end] for q in quotes] == [q.text for q in quotes]
    assert len([q for q in quotes if q.kind == "direct"]) == 7


def test_seed_he_added_is_stoltenberg(seed_quotes: tuple[str, list[Quote]]) -> None:
    quote = quote_starting(seed_quotes[1], "Russia must withdraw")
    assert quote.speaker is not None
    assert (quote.cue, quote.speaker.name, quote.speaker.resolved_from) == (
        "added",
        "Jens Stoltenberg",
        "he",
    )


def test_seed_kremlin_quote_is_peskov_with_his_title(
    seed_quotes: tuple[str, list[Quote]],
) -> None:
    quote = quote_starting(seed_quotes[1], "It (Ukraine's rapprochement with NATO)")
    speaker = quote.speaker
    assert speaker is not None
    assert (speaker.text, speaker.name, speaker.resolved_from) == (
        "Kremlin spokesman Dmitry Peskov",
        "Dmitry Peskov",
        None,
    )
    assert (speaker.role, speaker.organisation, speaker.country) == ("spokesman", "Kremlin", "RUS")


def test_seed_reforms_quote_is_poroshenko(seed_quotes: tuple[str, list[Quote]]) -> None:
    quote = quote_starting(seed_quotes[1], "We are determined to reforms")
    assert quote.text == "We are determined to reforms... to meet the membership criteria"
    assert quote.speaker is not None
    assert (quote.cue, quote.speaker.name, quote.speaker.resolved_from) == (
        "told",
        "Petro Poroshenko",
        "Poroshenko",
    )


def test_seed_crimea_paragraph_continues_stoltenberg_without_a_cue(
    seed_quotes: tuple[str, list[Quote]],
) -> None:
    quote = quote_starting(seed_quotes[1], "NATO allies do not and will not recognise")
    assert quote.speaker is not None
    assert (quote.kind, quote.cue, quote.speaker.name) == ("direct", None, "Jens Stoltenberg")


def test_seed_first_step_is_not_a_quote(seed_quotes: tuple[str, list[Quote]]) -> None:
    assert not [q for q in seed_quotes[1] if "first step" in q.text]


# --- Accuracy on the annotated set -------------------------------------------------------


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_quotes", ROOT / "bench" / "quotes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


def test_accuracy_on_the_annotated_set_stays_above_its_floor() -> None:
    bench = load_bench()
    records = bench.load(bench.DEFAULT_DATA)
    assert len(records) >= 30
    assert sum(len(r["quotes"]) for r in records) >= 80
    scores = bench.evaluate(records)
    assert scores["exact_f1"] >= EXACT_F1_FLOOR, scores["errors"]
    assert scores["loose_f1"] >= LOOSE_F1_FLOOR, scores["errors"]
    assert scores["speaker_accuracy"] >= SPEAKER_ACCURACY_FLOOR, scores["errors"]
    assert scores["speaker_f1"] >= SPEAKER_F1_FLOOR, scores["errors"]
