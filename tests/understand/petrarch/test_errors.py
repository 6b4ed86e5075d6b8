"""A bad dictionary or setting is a UsageError naming the file and line; the run stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.understand.petrarch.snippets import ACTORS, AGENTS, DISCARDS, VERBS, write
from wirewatch.errors import UsageError
from wirewatch.model import RawDocument
from wirewatch.run.local import RunStats, extract_stage, understand_stage
from wirewatch.settings import Settings
from wirewatch.understand.petrarch.actors import read_actors
from wirewatch.understand.petrarch.agents import read_agents
from wirewatch.understand.petrarch.dictionaries import dictionary_paths, load_dictionaries
from wirewatch.understand.petrarch.verbs import read_verbs


@pytest.mark.parametrize(
    ("kind", "text", "line", "why"),
    [
        ("verbs", "- * TIES [161]\n", 1, "outside a verb block"),
        ("verbs", VERBS.replace("- * TIES [161]", "- TIES [161]"), 24, "exactly one '*'"),
        ("verbs", VERBS.replace("- * TIES [161]", "- * TIES"), 24, "without a [code]"),
        ("verbs", VERBS.replace("- * TIES [161]", "- * &NOPE [161]"), 24, "unknown synset"),
        ("verbs", VERBS.replace("--- ARRIVE  [032:033]  ---", "--- [032] ---"), 18, "header"),
        ("actors", ACTORS.replace("\t[NTH]", "\t[NTH 2010-2011]"), 11, "bad actor code"),
        ("actors", ACTORS.replace("20141231", "20141331"), 9, "bad date 20141331"),
        ("actors", "[NTH]\n", 1, "no actor above"),
        ("agents", AGENTS.replace("[~GOV]", "[GOV]"), 2, "bad agent code"),
        ("agents", AGENTS.replace("POLICE!PERSON!", "POLICE!CHILD!"), 4, "unknown substitution"),
    ],
)
def test_bad_entries_name_the_file_and_line(
    tmp_path: Path, kind: str, text: str, line: int, why: str
) -> None:
    path = write(tmp_path, **{kind: text})[kind]
    reader = {"verbs": read_verbs, "actors": read_actors, "agents": read_agents}[kind]
    with pytest.raises(UsageError) as caught:
        reader(path)
    assert f"{path} line {line}:" in caught.value.message
    assert why in caught.value.message


@pytest.mark.parametrize(
    ("setting", "why"),
    [
        ("{tmp}/missing", "is not a directory"),
        ("verbs={tmp}/TEST.verbs.txt", "no actors file"),
        ("actors={tmp}/TEST.actors.txt", "exactly one verbs file"),
        ("verbs={tmp}/TEST.verbs.txt,actors={tmp}/nope.txt", "does not exist"),
        ("verbs={tmp}/TEST.verbs.txt,people={tmp}/TEST.actors.txt", "bad item"),
    ],
)
def test_bad_settings(tmp_path: Path, setting: str, why: str) -> None:
    write(tmp_path, verbs=VERBS, actors=ACTORS)
    with pytest.raises(UsageError, match=why):
        dictionary_paths(setting.format(tmp=tmp_path))


def test_the_setting_as_a_mapping_of_files(tmp_path: Path) -> None:
    paths = write(tmp_path, verbs=VERBS, actors=ACTORS, agents=AGENTS, discards=DISCARDS)
    setting = ",".join(f"{kind}={path}" for kind, path in paths.items())
    book = load_dictionaries(setting)
    assert book is not None and book.discards is not None
    assert load_dictionaries("") is None


def test_the_run_stops_on_a_bad_dictionary_instead_of_failing_each_article(
    tmp_path: Path,
) -> None:
    write(tmp_path, verbs=VERBS.replace("- * TIES [161]", "- * TIES"), actors=ACTORS)
    settings = Settings.from_sources({"petrarch_dictionaries": str(tmp_path)})
    stats = RunStats()
    documents = [
        RawDocument(source=f"doc{i}", content=b"Northland condemned Southland.", url=None)
        for i in range(2)
    ]
    with pytest.raises(UsageError, match=r"TEST\.verbs\.txt line 24"):
        list(understand_stage(extract_stage(documents, settings, stats), settings, stats))
