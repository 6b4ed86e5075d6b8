"""The agents dictionary: role and group nouns that add a sector to an actor's code.

The format, as the PETRARCH/TABARI files write it::

    !PERSON! = MAN, MEN, WOMAN     a substitution: "CONGRESS!PERSON!" is CONGRESSMAN, ...
    PRESIDENT [~GOV]               "~" after the actor: Arnor + president = ARNGOV
    MSF {} [NGO~]                  "~" before the actor: MSF Arnor = NGOARN; "{}": no plural
    ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]   the plurals, when not regular

Plurals are made as PETRARCH makes them: -S, -ES after S/SH/CH/X/Z, -IES for a final
consonant + Y, MEN for a final MAN, on the last word of the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from wirewatch.understand.petrarch.lines import DictionaryLine, read_lines
from wirewatch.understand.petrarch.phrases import words_of

_CODE = re.compile(r"\[([^\]]*)\]")
_BRACES = re.compile(r"\{([^}]*)\}")
_SUBSTITUTION = re.compile(r"^(?P<name>![A-Z0-9_]+!)\s*=\s*(?P<values>.+)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Agent:
    code: str
    before_actor: bool  # "[NGO~]": the agent code goes before the actor's code
    line: int


@dataclass(slots=True)
class AgentDictionary:
    by_name: dict[tuple[str, ...], Agent] = field(default_factory=dict)
    longest: int = 0


def plural(word: str) -> str:
    if word.endswith("MAN"):
        return word[:-3] + "MEN"
    if word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        return word[:-1] + "IES"
    if word.endswith(("S", "SH", "CH", "X", "Z")):
        return word + "ES"
    return word + "S"


def read_agents(path: Path) -> AgentDictionary:
    """Read an agents dictionary; ``UsageError`` naming the file and line for a bad entry."""
    book = AgentDictionary()
    substitutions: dict[str, list[str]] = {}
    for line in read_lines(path):
        match = _SUBSTITUTION.match(line.text)
        if match:
            values = [v.strip().upper() for v in match.group("values").split(",") if v.strip()]
            if not values:
                raise line.error("a substitution with no values")
            substitutions[match.group("name").upper()] = values
            continue
        _entry(book, line, substitutions)
    return book


def _entry(
    book: AgentDictionary, line: DictionaryLine, substitutions: dict[str, list[str]]
) -> None:
    text = line.text
    if text.count("[") == 1 and text.count("]") == 0 and text.rstrip().endswith("}"):
        text = text.rstrip()[:-1] + "]"  # "[~ENV}": a brace typed for the closing bracket
    if text.count("[") != 1 or text.count("]") != 1:
        raise line.error("an agent needs one [~CODE]")
    code_text = _CODE.search(text)
    assert code_text is not None
    body = code_text.group(1).replace(" ", "").upper()
    if body.count("~") != 1 or len(body) < 2:
        raise line.error(f"bad agent code [{code_text.group(1)}] (expected [~GOV] or [NGO~])")
    agent = Agent(body.replace("~", ""), body.endswith("~"), line.number)
    rest = _CODE.sub(" ", text)
    plurals_given = _BRACES.findall(rest)
    name_text = _BRACES.sub(" ", rest).strip().upper()
    if not name_text or "{" in name_text or "}" in name_text:
        raise line.error("an agent line without a name, or unbalanced braces")
    for name in _expand(line, name_text, substitutions):
        words = words_of(name)
        names = [words]
        if not plurals_given:
            names.append((*words[:-1], plural(words[-1])))
        for given in plurals_given:
            names.extend(words_of(p) for p in given.split() if p)
        for variant in names:
            book.by_name.setdefault(variant, agent)
            book.longest = max(book.longest, len(variant))


def _expand(line: DictionaryLine, name: str, substitutions: dict[str, list[str]]) -> list[str]:
    match = re.search(r"![A-Z0-9_]+!", name)
    if match is None:
        return [name]
    values = substitutions.get(match.group(0))
    if values is None:
        raise line.error(f"unknown substitution {match.group(0)}")
    out: list[str] = []
    for value in values:
        out.extend(
            _expand(line, name[: match.start()] + value + name[match.end() :], substitutions)
        )
    return out
