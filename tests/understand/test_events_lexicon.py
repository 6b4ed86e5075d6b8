"""The event lexicon: every CAMEO code has a pattern; the row syntax; ids; the index."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirewatch.understand.codes import cameo
from wirewatch.understand.lexicon import build, lexicon, parse_rows

CAMEO_TSV = Path(__file__).resolve().parents[2] / "wirewatch/data/cameo.tsv"


def all_codes() -> list[str]:
    lines = CAMEO_TSV.read_text("utf-8").splitlines()[1:]
    return [line.split("\t")[0] for line in lines if line.strip()]


def test_every_cameo_code_has_a_pattern() -> None:
    codes = all_codes()
    assert len(codes) == 311
    have = lexicon().codes()
    # A root ("01") is covered through its "not specified" code ("010"), which coders emit.
    missing = [c for c in codes if c not in have and not (len(c) == 2 and f"{c}0" in have)]
    assert missing == []


def test_the_lexicon_has_thousands_of_patterns_and_valid_codes() -> None:
    lex = lexicon()
    assert len(lex.patterns) >= 5000
    for pattern in lex.patterns.values():
        cameo(pattern.code)
        assert pattern.id.startswith(f"{pattern.code}:")


def test_a_row_is_the_product_of_its_alternatives_with_stable_ids() -> None:
    rows = parse_rows("163 impose|slap sanction|embargo on  # comment\n141 rally !\n", "t")
    ids = sorted(p.id for p in rows)
    assert ids == [
        "141:rally!",
        "163:impose+embargo@on",
        "163:impose+sanction@on",
        "163:slap+embargo@on",
        "163:slap+sanction@on",
    ]
    nouns = parse_rows("042 n:visit|trip - to", "t")
    assert [(p.trigger, p.prep, p.id) for p in nouns] == [
        ("n:visit", "to", "042:n:visit@to"),
        ("n:trip", "to", "042:n:trip@to"),
    ]


def test_bad_rows_are_errors() -> None:
    with pytest.raises(ValueError, match="not a CAMEO code"):
        parse_rows("999 attack", "t")
    with pytest.raises(ValueError, match="a row is"):
        parse_rows("190 attack - - - extra", "t")


def test_the_first_row_wins_and_later_ones_are_listed_as_shadowed() -> None:
    lex = build(parse_rows("190 attack\n111 attack\n", "t"))
    found = lex.get(("attack", None, None))
    assert found is not None and found.code == "190"
    assert [p.code for p in lex.shadowed] == ["111"]


def test_nominal_patterns_exist_for_events_reported_as_nouns() -> None:
    lex = lexicon()
    for key in [
        ("n:release", None, "of"),
        ("n:talk", None, "with"),
        ("n:visit", None, "to"),
        ("n:strike", "air", None),
        ("n:sanction", None, "on"),
    ]:
        assert lex.get(key) is not None, key
