"""The CAMEO table, the PLOVER conversion and the event lexicon that points into them."""

from __future__ import annotations

from wirewatch.understand.codes import cameo, cameo_table, plover_type
from wirewatch.understand.lexicon import lexicon


def test_cameo_codes_keep_leading_zeros_and_scores() -> None:
    assert len(cameo_table()) == 311
    visit = cameo("042")
    assert (visit.name, visit.goldstein, visit.quad_class) == ("Make a visit", 1.9, 1)
    assert cameo("0874").name == "Retreat or surrender militarily"


def test_plover_types_fall_back_to_base_and_root_codes() -> None:
    assert plover_type("112") == "ACCUSE"
    assert plover_type("0874") == "RETREAT"
    assert plover_type("1823") == "ASSAULT"
    assert plover_type("042") == "CONSULT"


def test_every_lexicon_row_points_to_a_real_code() -> None:
    rules = lexicon().patterns
    assert len(rules) > 150
    assert rules[("impose", "sanction", "on")].code == "163"
    assert rules[("n:visit", None, "to")].code == "042"
    assert all(rule.code in cameo_table() for rule in rules.values())
