"""Canonical names within an article, tested on hand-built mentions (no model needed)."""

from __future__ import annotations

from wirewatch.model import Entity
from wirewatch.understand.entities import canonicalise, place_aliases


def mention(text: str, label: str, start: int = 0) -> Entity:
    return Entity(
        text=text, label=label, start=start, end=start + len(text), canonical=text, sentence=0
    )


def canonical(mentions: list[Entity]) -> list[str]:
    canonicalise(mentions)
    return [m.canonical for m in mentions]


def test_a_surname_takes_the_full_name_mentioned_in_the_article() -> None:
    names = [mention("Marta Ekholm-Varga", "PERSON"), mention("Ekholm-Varga", "PERSON")]
    assert canonical(names) == ["Marta Ekholm-Varga", "Marta Ekholm-Varga"]


def test_an_ambiguous_surname_stays_as_written() -> None:
    names = [
        mention("Ann Harlow", "PERSON"),
        mention("Bo Harlow", "PERSON"),
        mention("Harlow", "PERSON"),
    ]
    assert canonical(names)[-1] == "Harlow"


def test_a_longer_form_with_a_title_does_not_make_the_name_ambiguous() -> None:
    names = [
        mention("Ilina Marek", "PERSON"),
        mention("Deputy Ilina Marek", "PERSON"),
        mention("Marek", "PERSON"),
    ]
    assert canonical(names)[-1] == "Ilina Marek"


def test_one_name_one_label_within_an_article() -> None:
    names = [
        mention("Davor Kessling", "PERSON"),
        mention("Kessling", "WORK_OF_ART"),
        mention("Sarno", "GPE"),
        mention("Sarno", "GPE"),
        mention("Sarno", "ORG"),
    ]
    canonicalise(names)
    assert [(m.label, m.canonical) for m in names] == [
        ("PERSON", "Davor Kessling"),
        ("PERSON", "Davor Kessling"),
        ("GPE", "Sarno"),
        ("GPE", "Sarno"),
        ("GPE", "Sarno"),
    ]


def test_an_acronym_takes_the_name_it_abbreviates() -> None:
    orgs = [
        mention("the Eastern Power Alliance", "ORG"),
        mention("EPA", "ORG"),
        mention("IMF", "ORG"),
    ]
    assert canonical(orgs) == ["Eastern Power Alliance", "Eastern Power Alliance", "IMF"]


def test_place_spellings_and_country_short_forms_are_one_place() -> None:
    places = [
        mention("Kiev", "GPE"),
        mention("Kyiv", "GPE"),
        mention("Kiew", "GPE"),
        mention("U.S.", "GPE"),
        mention("the United States", "GPE"),
        mention("Georgia", "GPE"),
        mention("Moscow", "GPE"),
    ]
    assert canonical(places) == [
        "Kyiv", "Kyiv", "Kyiv", "United States", "United States", "Georgia", "Moscow"
    ]  # fmt: skip


def test_place_aliases_never_rename_a_place_to_another_place() -> None:
    aliases = place_aliases()
    assert aliases["kiev"] == "Kyiv"
    assert "paris" not in aliases and "georgia" not in aliases
