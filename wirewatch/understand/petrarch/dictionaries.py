"""The ``petrarch_dictionaries`` setting: which PETRARCH/TABARI files to read, read once.

The setting is either a directory, whose ``*.txt`` files are taken by name (``verbs``,
``actors``, ``agents``, ``discards`` in the file name, case-insensitive), or a comma-separated
list of ``kind=path`` ("verbs=CAMEO.verbpatterns.txt,actors=Countries.actors.txt,
actors=International.actors.txt"). One verbs file and at least one actors file are required;
several actors, agents or discards files are merged, the first naming an entry winning.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wirewatch.errors import UsageError
from wirewatch.understand.petrarch.actors import ActorDictionary, read_actors
from wirewatch.understand.petrarch.agents import AgentDictionary, read_agents
from wirewatch.understand.petrarch.discards import Discards, read_discards
from wirewatch.understand.petrarch.resolver import Resolver
from wirewatch.understand.petrarch.verbs import VerbDictionary, read_verbs

KINDS = ("verbs", "actors", "agents", "discards")


@dataclass(frozen=True, slots=True)
class Dictionaries:
    verbs: VerbDictionary
    actors: ActorDictionary
    agents: AgentDictionary
    discards: Discards | None
    resolver: Resolver


def dictionary_paths(setting: str) -> dict[str, list[Path]]:
    """The files the setting names, by kind; ``UsageError`` for a bad setting."""
    paths: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    text = setting.strip()
    if "=" not in text:
        folder = Path(text).expanduser()
        if not folder.is_dir():
            raise UsageError(
                f"petrarch_dictionaries: {text!r} is not a directory "
                "(give a directory or kind=path,kind=path with kinds verbs, actors, agents, "
                "discards)"
            )
        for path in sorted(folder.iterdir()):
            kinds = [k for k in KINDS if k in path.name.lower()]
            if path.is_file() and len(kinds) == 1:
                paths[kinds[0]].append(path)
    else:
        for item in text.split(","):
            kind, sep, value = item.partition("=")
            kind = kind.strip().lower()
            if not sep or kind not in KINDS or not value.strip():
                raise UsageError(
                    f"petrarch_dictionaries: bad item {item.strip()!r}; expected kind=path "
                    "with kind one of verbs, actors, agents, discards"
                )
            path = Path(value.strip()).expanduser()
            if not path.is_file():
                raise UsageError(f"petrarch_dictionaries: {kind} file {path} does not exist")
            paths[kind].append(path)
    if len(paths["verbs"]) != 1:
        raise UsageError(
            f"petrarch_dictionaries: need exactly one verbs file, found {len(paths['verbs'])} "
            f"in {text!r}"
        )
    if not paths["actors"]:
        raise UsageError(f"petrarch_dictionaries: no actors file in {text!r}")
    return paths


def read_dictionaries(paths: dict[str, list[Path]]) -> Dictionaries:
    verbs = read_verbs(paths["verbs"][0])
    actors = ActorDictionary()
    for path in paths["actors"]:
        part = read_actors(path)
        actors.entries.extend(part.entries)
        for name, entry in part.by_name.items():
            actors.by_name.setdefault(name, entry)
        actors.longest = max(actors.longest, part.longest)
    agents = AgentDictionary()
    for path in paths.get("agents", []):
        more = read_agents(path)
        for name, agent in more.by_name.items():
            agents.by_name.setdefault(name, agent)
        agents.longest = max(agents.longest, more.longest)
    discards: Discards | None = None
    for path in paths.get("discards", []):
        more_discards = read_discards(path)
        if discards is None:
            discards = more_discards
        else:
            discards.sentence |= more_discards.sentence
            discards.story |= more_discards.story
    return Dictionaries(verbs, actors, agents, discards, Resolver(actors, agents))


@lru_cache(maxsize=4)
def load_dictionaries(setting: str) -> Dictionaries | None:
    """The dictionaries the setting names, read once per process; None when it is empty."""
    if not setting.strip():
        return None
    return read_dictionaries(dictionary_paths(setting))
