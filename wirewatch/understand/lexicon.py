"""The event lexicon: patterns that turn a verb or an event noun into a CAMEO code.

The patterns live in ``wirewatch/data/event_lexicon/``, one file per CAMEO root (``01.txt`` to
``20.txt``), written for wirewatch. One line is one row; ``#`` starts a comment. A row is
whitespace-separated fields::

    CODE  TRIGGERS  [OBJECTS  [PREPOSITIONS]]

    163   impose|slap|reimpose   sanction|embargo   on|against
    042   n:visit|trip|tour      -                  to
    141   rally|march            !

- ``TRIGGERS``: verb lemmas separated by ``|``; ``n:`` before the first makes them all nouns
  (nominal events, "a visit to Kiev").
- ``OBJECTS``: lemmas of the verb's direct object, or of the object of the row's preposition
  ("call for the release": ``call release for``); for a noun, a modifier of it ("air strike":
  ``n:strike air``). ``-`` (or nothing) for any object or none; ``!`` for no direct object at
  all ("demonstrate" protests, "demonstrate resolve" does not).
- ``PREPOSITIONS``: a preposition or particle the verb (or its object) governs ("crack down
  on": ``crack - down``), ``|`` between alternatives; ``-`` (or nothing) for any.

A row stands for the product of its alternatives: ``impose|slap sanction|embargo on`` is four
patterns. Inflections are not listed: the parse's lemma is matched. Every pattern gets a stable
id, ``CODE:trigger[+object][!][@preposition]`` ("163:impose+sanction@on"), which events carry
as ``Event.pattern``. Files are read in order (``01.txt`` first) and rows top to bottom; a
pattern an earlier row already gave keeps the earlier code (``Lexicon.shadowed`` lists the
later ones, so that alternation lists may overlap without hiding which code wins). A code
CAMEO does not have is an error.

The index is by trigger lemma, so matching a token costs a few dictionary look-ups whatever
the size of the lexicon (``matching.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import product

from wirewatch.understand.codes import cameo

Key = tuple[str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Pattern:
    id: str
    trigger: str  # a verb lemma, or "n:" and a noun lemma
    obj: str | None  # "!" for a verb that must have no direct object
    prep: str | None
    code: str
    source: str = ""  # "file:line" of the row, for error messages

    @property
    def intransitive(self) -> bool:
        return self.obj == "!"

    @property
    def specificity(self) -> int:
        """2 for trigger+object+preposition, 1 for one of them, 0 for the trigger alone."""
        return (self.obj not in {None, "!"}) + (self.prep is not None)


@dataclass(frozen=True, slots=True)
class Lexicon:
    patterns: dict[Key, Pattern]
    triggers: frozenset[str]  # verb lemmas and "n:" noun lemmas with at least one pattern
    shadowed: tuple[Pattern, ...] = ()  # patterns an earlier row already gave

    def get(self, key: Key) -> Pattern | None:
        return self.patterns.get(key)

    def codes(self) -> set[str]:
        return {p.code for p in self.patterns.values()}


def pattern_id(code: str, trigger: str, obj: str | None, prep: str | None, bare: bool) -> str:
    text = f"{code}:{trigger}"
    if obj is not None:
        text += f"+{obj}"
    if bare:
        text += "!"
    if prep is not None:
        text += f"@{prep}"
    return text


def parse_rows(text: str, name: str) -> list[Pattern]:
    """The patterns of one lexicon file's text (``name`` labels errors)."""
    out: list[Pattern] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        if not 2 <= len(fields) <= 4:
            raise ValueError(f"{name}:{number}: a row is CODE TRIGGERS [OBJECTS [PREPOSITIONS]]")
        fields += ["-"] * (4 - len(fields))
        code, triggers, objects, preps = fields
        try:
            cameo(code)
        except KeyError:
            raise ValueError(f"{name}:{number}: {code} is not a CAMEO code") from None
        noun = triggers.startswith("n:")
        words = triggers[2:].split("|") if noun else triggers.split("|")
        bare = objects == "!"
        obj_options: list[str | None] = [None] if objects == "-" else [*objects.split("|")]
        prep_options: list[str | None] = [None] if preps == "-" else [*preps.split("|")]
        for word, obj, prep in product(words, obj_options, prep_options):
            if not word or obj == "" or prep == "":
                raise ValueError(f"{name}:{number}: an empty alternative")
            trigger = f"n:{word}" if noun else word
            pid = pattern_id(code, trigger, None if bare else obj, prep, bare)
            out.append(Pattern(pid, trigger, obj, prep, code, f"{name}:{number}"))
    return out


def build(patterns: list[Pattern]) -> Lexicon:
    """The index of ``patterns``; the first pattern given for a key wins."""
    index: dict[Key, Pattern] = {}
    shadowed: list[Pattern] = []
    for pattern in patterns:
        key = (pattern.trigger, pattern.obj, pattern.prep)
        if key in index:
            shadowed.append(pattern)
        else:
            index[key] = pattern
    return Lexicon(index, frozenset(key[0] for key in index), tuple(shadowed))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The project's event lexicon (every file of ``wirewatch/data/event_lexicon/``)."""
    folder = resources.files("wirewatch.data").joinpath("event_lexicon")
    patterns: list[Pattern] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            patterns += parse_rows(entry.read_text("utf-8"), f"event_lexicon/{entry.name}")
    return build(patterns)
