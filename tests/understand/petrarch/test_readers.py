"""Reading verbs, actors, agents and discards files written in the PETRARCH/TABARI formats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.understand.petrarch.snippets import VERBS, write, write_all
from wirewatch.understand.petrarch.actors import read_actors
from wirewatch.understand.petrarch.agents import read_agents
from wirewatch.understand.petrarch.discards import read_discards
from wirewatch.understand.petrarch.verbs import Code, read_verbs


def test_verbs_blocks_forms_patterns_and_synsets(tmp_path: Path) -> None:
    book = read_verbs(write_all(tmp_path)["verbs"])
    assert [b.name for b in book.blocks] == ["GIVE", "ARRIVE", "BREAK", "CONDEMN"]
    give = book.blocks[0]
    assert give.code == Code("070")
    # regular and irregular forms of the block's verbs; a verb line's own code
    assert {v.code.event for v in book.verbs_for("gave")} == {"070"}
    assert {v.code.event for v in book.verbs_for("donates")} == {"073"}
    assert book.verbs_for("gived") and not book.verbs_for("gaves")
    assert book.blocks[1].code == Code("032", "033")
    # a compound verb: the inflected word and the word after it
    broke_off = [v for v in book.verbs_for("BROKE") if v.after]
    assert broke_off[0].after == ("OFF",) and broke_off[0].code == Code(None)
    # synsets, nested ones too
    assert ("SWISS", "FRANCS") in [tuple(e.word for e in p) for p in book.synsets["&MONEY"]]
    assert [e.word for e in book.synsets["&GIFTS"][0]] == ["&MONEY"]
    # patterns: words before "*" read leftwards, "_" tight, "[---]" codes nothing
    by_code = {p.code.event: p for b in book.blocks for p in b.patterns}
    assert [e.word for e in by_code["071"].after] == ["&GIFTS"]
    negated = next(p for p in book.blocks[2].patterns if p.code == Code(None))
    assert [(e.word, e.tight) for e in negated.before] == [("NOT", True)]
    condemned = by_code["123"]
    assert [e.word for e in condemned.before] == ["WAS", "+"]
    assert [e.word for e in condemned.after] == ["BY", "$"]
    assert by_code["###"].line == 30  # "#" inside [...] is a code, not a comment


def test_actors_synonyms_multiple_codes_and_dated_roles(tmp_path: Path) -> None:
    book = read_actors(write_all(tmp_path)["actors"])
    north = book.by_name[("NORTHLANDER",)]
    assert north is book.by_name[("THE", "NORTH")] is book.by_name[("NORTHLAND",)]
    assert north.codes_on(None) == ("NTH",)
    assert book.by_name[("EASTLAND",)].codes_on(None) == ("EST",)
    assert book.by_name[("RIVER", "ISLES")].codes_on(None) == ("RIV", "ISL")
    jane = book.by_name[("JANE", "DOE")]
    assert jane.codes_on(date(2009, 12, 31)) == ("NTH",)  # no dated role: the undated one
    assert jane.codes_on(date(2010, 1, 1)) == ("NTHGOV",)  # both ends included
    assert jane.codes_on(date(2014, 12, 31)) == ("NTHGOV",)
    assert jane.codes_on(date(2015, 1, 1)) == ("NTHOPP",)  # two-digit years: 15 is 2015
    john = book.by_name[("JOHN", "SMITH")]
    assert john.codes_on(date(2009, 12, 31)) == ("STHMIL",)
    assert john.codes_on(date(2010, 1, 1)) == ()  # "<" excludes the day; no undated role
    assert book.by_name[("BLANK", "PERSON")].codes_on(None) == ()


def test_agents_substitutions_plurals_and_prefixes(tmp_path: Path) -> None:
    book = read_agents(write_all(tmp_path)["agents"])
    assert book.by_name[("PRESIDENTS",)].code == "GOV"
    assert ("ARMIES",) not in book.by_name and ("ARMY",) in book.by_name  # "{}": no plural
    assert book.by_name[("POLICEWOMEN",)].code == "COP"  # !PERSON! substituted, then plural
    assert book.by_name[("CHILDREN",)].code == "CHL" and ("CHILDS",) not in book.by_name
    aid = book.by_name[("AID", "AGENCIES")]
    assert aid.code == "NGO" and aid.before_actor


def test_discards_sentence_and_story(tmp_path: Path) -> None:
    book = read_discards(write_all(tmp_path)["discards"])
    assert book.sentence == {("FOOTBALL",)} and book.story == {("HURRICANE",)}


def test_petrarch2_pattern_groups_and_reverse_only_codes(tmp_path: Path) -> None:
    verbs = VERBS.replace("- * TIES [161]", "- * (WITH {DIPLOMATIC TIES}) [:161]")
    book = read_verbs(write(tmp_path, verbs=verbs)["verbs"])
    pattern = next(p for p in book.blocks[2].patterns if p.code == Code(None, "161"))
    assert [(e.word, e.tight) for e in pattern.after] == [
        ("WITH", False),
        ("DIPLOMATIC", False),
        ("TIES", True),
    ]
    assert book.phrases("&GIFTS") == [("SWISS", "FRANCS"), ("DOLLARS",), ("BOOKS",)]


def test_an_agent_code_closed_by_a_brace_is_read(tmp_path: Path) -> None:
    book = read_agents(write(tmp_path, agents="ECOLOGIST [~ENV}\n")["agents"])
    assert book.by_name[("ECOLOGISTS",)].code == "ENV"


def test_petrarch2_style_files(tmp_path: Path) -> None:
    """Forms found in PETRARCH 2 dictionaries: reverse-only block codes, groups in patterns,
    transformations, several dated roles on one line, names with punctuation."""
    verbs = """\
&ARMS
+RIFLE
+MACHINE_GUN

---  OFFEND   [:110]  ---
OFFEND
+SHOT_AND {} [193]# a comment right after the code
- * (WITH {&ARMS FIRE}) [194]

######## TRANSFORMATIONS ##########
~ a (a b ATTACK) SAY = a b 015
"""
    actors = """\
NORDIC_WATCH_(NW)_\t[IGOSCN]\t# a body
ANNA_BERG_\t[IGOSCN 910101-911231][NORGOV 970701-021231] [ELI]\t# two roles and a default
"""
    paths = write(tmp_path, verbs=verbs, actors=actors)
    book = read_verbs(paths["verbs"])
    assert book.blocks[0].code == Code(None, "110")
    assert {v.head for v in book.verbs_for("SHOT")} == {"SHOT"}
    assert book.verbs_for("SHOT")[0].after == ("AND",)
    assert [(e.word, e.tight) for e in book.blocks[0].patterns[0].after] == [
        ("WITH", False),
        ("&ARMS", False),
        ("FIRE", True),
    ]
    assert not book.verbs_for("~")
    people = read_actors(paths["actors"])
    anna = people.by_name[("ANNA", "BERG")]
    assert anna.codes_on(date(1991, 6, 1)) == ("IGOSCN",)
    assert anna.codes_on(date(2000, 6, 1)) == ("NORGOV",)
    assert anna.codes_on(date(2010, 6, 1)) == ("ELI",)
    # "Nordic Watch (NW)": the parentheses are punctuation, left out of words as in a sentence
    assert people.by_name[("NORDIC", "WATCH", "NW")].codes_on(None) == ("IGOSCN",)
