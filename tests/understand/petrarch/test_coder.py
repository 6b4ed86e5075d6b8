"""Coding sentences with dictionaries over the spaCy parse; resolving actors on a date; the
events combined with wirewatch's own in the pipeline (real model, short texts)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import wirewatch
from tests.understand.petrarch.snippets import write_all
from wirewatch.settings import Settings
from wirewatch.understand.nlp import load_nlp
from wirewatch.understand.petrarch import Dictionaries, read_dictionaries
from wirewatch.understand.petrarch.coder import code_doc


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Dictionaries:
    paths = write_all(tmp_path_factory.mktemp("dicts"))
    return read_dictionaries({kind: [path] for kind, path in paths.items()})


def coded(book: Dictionaries, text: str, day: date | None = None) -> set[tuple[str, str, str]]:
    doc = load_nlp()(text)
    return {(c.source.code, c.target.code, c.code) for c in code_doc(doc, book, day)}


def test_verb_code_subject_source_and_first_actor_after_the_verb(book: Dictionaries) -> None:
    assert coded(book, "Northland gave a loan to Southland.") == {("NTH", "STH", "070")}


def test_synset_pattern_and_agents(book: Dictionaries) -> None:
    assert coded(book, "The Northland president gave swiss francs to the Southland army.") == {
        ("NTHGOV", "STHMIL", "071")
    }


def test_reverse_code_and_compound_subject(book: Dictionaries) -> None:
    assert coded(book, "The president of Eastland arrived in Northland.") == {
        ("ESTGOV", "NTH", "032"),
        ("NTH", "ESTGOV", "033"),
    }
    # "% *": the members of a compound subject act on each other
    assert coded(book, "Northland and Southland gave.") == {
        ("NTH", "STH", "030"),
        ("STH", "NTH", "030"),
    }


def test_null_codes_and_negative_patterns_code_nothing(book: Dictionaries) -> None:
    assert coded(book, "Northland broke ties with Southland.") == {("NTH", "STH", "161")}
    assert coded(book, "Northland did not break ties with Southland.") == set()
    assert coded(book, "Northland broke with Southland.") == set()  # "[---]" block code


def test_passive_with_markers(book: Dictionaries) -> None:
    # "+ WAS * BY $": the target before the verb, the source after "by"
    assert coded(book, "Southland was condemned by Northland.") == {("NTH", "STH", "123")}


def test_dated_roles_resolve_on_the_article_date(book: Dictionaries) -> None:
    text = "Jane Doe condemned Southland."
    assert coded(book, text, date(2012, 5, 1)) == {("NTHGOV", "STH", "122")}
    assert coded(book, text, date(2016, 5, 1)) == {("NTHOPP", "STH", "122")}
    assert coded(book, text, None) == {("NTH", "STH", "122")}


def test_discards(book: Dictionaries) -> None:
    assert coded(book, "Northland condemned Southland after the football match.") == set()
    text = "Northland condemned Southland. The hurricane hit the coast."
    assert coded(book, text) == set()  # a story discard stops the whole text


def test_pipeline_uses_the_dictionaries_first_and_keeps_its_own_events(tmp_path: Path) -> None:
    write_all(tmp_path)
    settings = Settings.from_sources({"petrarch_dictionaries": str(tmp_path)})
    article = wirewatch.analyze(
        "Northland condemned Southland on Monday. Russia imposed sanctions on Iran.",
        published="2016-05-01",
        settings=settings,
    )
    found = [(e.cameo, e.source[0].code, e.target[0].code, e.trigger) for e in article.events]
    assert found[0] == ("122", "NTH", "STH", "condemned")
    assert any(code.startswith("163") and trigger == "imposed" for code, *_, trigger in found)
    event = article.events[0]
    assert article.text[event.start : event.end] == "Northland condemned Southland"
    assert event.source[0].country == "NTH" and event.sentence == 0
    assert event.pattern == "petrarch:TEST.verbs.txt:28" and event.confidence is None


def test_coordinated_modifiers_and_agents_sharing_the_actors(book: Dictionaries) -> None:
    assert coded(book, "Eastland gave a loan to Northland and Southland presidents.") == {
        ("EST", "NTHGOV", "070"),
        ("EST", "STHGOV", "070"),
    }
    # "presidents" has no actor of its own: it takes those of the coordinated phrase
    assert coded(book, "The army and the presidents of Northland condemned Eastland.") == {
        ("NTHMIL", "EST", "122"),
        ("NTHGOV", "EST", "122"),
    }


def test_the_object_of_the_verb_above_acts_in_its_complement(book: Dictionaries) -> None:
    # "urged Southland to condemn": Southland condemns, not Northland
    assert coded(book, "Northland urged Southland to condemn Eastland.") == {("STH", "EST", "122")}
    assert coded(book, "Northland is about to condemn Eastland.") == {("NTH", "EST", "122")}
