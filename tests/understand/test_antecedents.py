"""The noun a pronoun stands for (real model, short texts)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from wirewatch.understand.antecedents import antecedents
from wirewatch.understand.nlp import load_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def first(nlp: Language, text: str, pronoun: str, nth: int = 0) -> str | None:
    doc = nlp(text)
    token = [t for t in doc if t.text == pronoun][nth]
    found = next(antecedents(token), None)
    return found.text if found is not None else None


def test_a_pronoun_is_the_subject_of_a_clause_that_governs_it(nlp: Language) -> None:
    assert first(nlp, "Uganda said it had paid the farmers.", "it") == "Uganda"
    assert first(nlp, "The rebels said they would free the hostages.", "they") == "rebels"


def test_number_and_person_must_agree(nlp: Language) -> None:
    # "they" is the nationals or nothing, never the country that is singular
    text = "Uganda said it had paid British nationals for assets they lost."
    assert first(nlp, text, "they") != "Uganda"
    # "he" is a person, not a government
    assert first(nlp, "The government said he would resign.", "he") is None


def test_a_pronoun_inside_the_subject_is_not_the_subject(nlp: Language) -> None:
    text = "Serb leaders said their forces had completed the withdrawal."
    assert first(nlp, text, "their") == "leaders"


def test_the_previous_sentence_is_read_when_the_sentence_has_nothing(nlp: Language) -> None:
    text = "The Ghanaian president arrived in Lome on Monday. He met the prime minister."
    assert first(nlp, text, "He") == "president"
    assert first(nlp, "The weather was bad. He met the prime minister.", "He") is None


def test_an_object_pronoun_is_not_its_own_clauses_subject(nlp: Language) -> None:
    text = "Police chased the students and beat them."
    assert first(nlp, text, "them") == "students"
    assert "Police" not in [t.text for t in antecedents(nlp(text)[-2])]


def test_he_is_never_an_outlet_a_firm_or_an_institution(nlp: Language) -> None:
    text = "The Russian president visited Cuba. The newspaper said he had criticised Washington."
    assert first(nlp, text, "he") == "president"
    assert first(nlp, "The bank said she had resigned.", "she") is None


def test_each_candidate_is_offered_once(nlp: Language) -> None:
    doc = nlp("Uganda said it had paid the farmers.")
    found = [t.i for t in antecedents(doc[2])]
    assert len(found) == len(set(found))
