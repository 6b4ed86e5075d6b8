"""The actors dictionary: names, their synonyms and their codes, dated or not.

The format, as the PETRARCH/TABARI files write it::

    GONDOR [GON]                   a name (words joined by "_" or spaces) and its code
    +MINAS_TIRITH                  synonyms of the entry above
    GOLLUM                         a name whose codes follow on indented lines:
        [HOB < 950601]             before a date (YYMMDD or YYYYMMDD)
        [HOBGOV 19950601 - 19990815]   between two dates, both included
        [HOBREB > 990816]          after a date
        [HOB]                      any other date
    LORIEN [ELR/GAL]               two actors at once
    BOROMIR [---]                  known, coded as nothing

Where dated roles overlap, the first listed wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from wirewatch.understand.petrarch.lines import DictionaryLine, read_lines
from wirewatch.understand.petrarch.phrases import words_of

_CODE = re.compile(r"\[([^\]]*)\]")
_ROLE = re.compile(
    r"^(?P<code>[^\s<>\d-][^\s<>]*|-{3})?\s*"
    r"(?:(?P<op>[<>])\s*(?P<date>\d{6}|\d{8})|(?P<start>\d{6}|\d{8})\s*-\s*(?P<end>\d{6}|\d{8}))?$"
)


@dataclass(frozen=True, slots=True)
class Role:
    codes: tuple[str, ...]  # empty: "---", coded as nothing
    start: date | None = None  # first day the role holds, if bounded
    end: date | None = None  # last day the role holds, if bounded

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(slots=True)
class ActorEntry:
    names: list[tuple[str, ...]]
    roles: list[Role]
    line: int

    def codes_on(self, day: date | None) -> tuple[str, ...]:
        """The codes for ``day`` (the first dated role holding then, else the undated one)."""
        if day is not None:
            for role in self.roles:
                if role.dated and role.holds_on(day):
                    return role.codes
        for role in self.roles:
            if not role.dated:
                return role.codes
        return ()


@dataclass(slots=True)
class ActorDictionary:
    entries: list[ActorEntry] = field(default_factory=list)
    by_name: dict[tuple[str, ...], ActorEntry] = field(default_factory=dict)
    longest: int = 0  # words in the longest name


def parse_day(line: DictionaryLine, text: str) -> date:
    """ "950601" -> 1995-06-01 (two-digit years before 30 are 20xx), "20100109" -> 2010-01-09."""
    if len(text) == 6:
        year = int(text[:2])
        year += 2000 if year < 30 else 1900
        text = f"{year}{text[2:]}"
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise line.error(f"bad date {text}") from None


def parse_role(line: DictionaryLine, body: str) -> Role:
    match = _ROLE.match(body.strip())
    if match is None or not (match.group("code") or match.group("op") or match.group("start")):
        raise line.error(f"bad actor code [{body}]")
    raw = match.group("code") or ""
    codes = tuple(c for c in raw.upper().split("/") if c and set(c) != {"-"})
    if match.group("op") == "<":
        before = parse_day(line, match.group("date"))
        return Role(codes, None, date.fromordinal(before.toordinal() - 1))
    if match.group("op") == ">":
        return Role(codes, parse_day(line, match.group("date")), None)
    if match.group("start"):
        start, end = parse_day(line, match.group("start")), parse_day(line, match.group("end"))
        if end < start and len(match.group("start")) == 6:  # "250101-300101": 1925, not 2025
            start = start.replace(year=start.year - 100)
        if end < start:
            raise line.error("role ends before it starts")
        return Role(codes, start, end)
    return Role(codes)


def read_actors(path: Path) -> ActorDictionary:
    """Read an actors dictionary; ``UsageError`` naming the file and line for a bad entry."""
    book = ActorDictionary()
    entry: ActorEntry | None = None
    for line in read_lines(path):
        text = line.text
        if text.startswith("["):
            if entry is None:
                raise line.error("a code with no actor above it")
            entry.roles.extend(_roles(line, text))
            continue
        if text.startswith("+"):
            if entry is None:
                raise line.error("a synonym with no actor above it")
            name = _name(line, text[1:])
            if name:
                entry.names.append(name)
            continue
        name = _name(line, text)
        if not name:
            raise line.error("an actor line without a name")
        entry = ActorEntry([name], _roles(line, text), line.number)
        book.entries.append(entry)
    for actor in book.entries:
        for name in actor.names:
            book.by_name.setdefault(name, actor)
            book.longest = max(book.longest, len(name))
    return book


def _roles(line: DictionaryLine, text: str) -> list[Role]:
    if text.count("[") != text.count("]"):
        raise line.error("unbalanced brackets")
    return [parse_role(line, body) for body in _CODE.findall(text)]


def _name(line: DictionaryLine, text: str) -> tuple[str, ...]:
    bare = _CODE.sub(" ", text)
    if "[" in bare or "]" in bare:
        raise line.error("unbalanced brackets")
    return words_of(bare)
