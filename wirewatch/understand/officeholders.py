"""Who held which office when: a dated knowledge base of heads of state and government, foreign
and defence ministers, and heads of international organisations.

The knowledge base answers one question for actor coding: a person is named and the article does
not say where they belong; on the article's date, which office did that name hold? It is never
consulted against today, and the article always wins over it (docs/officeholders.md).

>>> holding_of("Vladimir V. Putin", date(2015, 3, 1)).code
'RUSGOV'
>>> holding_of("Obama", date(2020, 1, 1)) is None
True

Data: ``wirewatch/data/officeholders/*.tsv``, one file per region, written for wirewatch from
public facts; the columns are documented in each file's header and in docs/officeholders.md.

Dates. ``start`` is the first day in office, ``end`` the day the term ended (the successor's
first day), so a holding covers ``start <= day < end``. A date known only to the month
(``2004-05``) or year (``2004``) is read so that the holding covers only days it surely covers:
a partial start counts from the first day after that month or year, a partial end up to the
first day of it. An empty ``end`` is a term still running at :data:`CUTOFF`, the date the data
was last brought up to; it is presumed to last at most :data:`OPEN_TERM_HORIZON` past the cutoff,
after which lookups return None rather than guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

CUTOFF = date(2025, 6, 30)
"""The data was brought up to this day: a term with no end was running on it."""

OPEN_TERM_HORIZON = timedelta(days=730)
"""How long past :data:`CUTOFF` a running term is presumed to last (about two years)."""

ROLES = ("HOS", "HOG", "FM", "DM", "IGO_HEAD")
"""Head of state, head of government, foreign minister, defence minister, head of an
international organisation (secretary-general, president, director-general ...)."""

REGIONS = ("europe", "americas", "middle_east", "africa", "asia_pacific", "organisations")

COLUMNS = ("name", "aliases", "code", "role", "start", "end", "note")

_ROLE_ORDER = {role: rank for rank, role in enumerate(ROLES)}
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady"})
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ı": "i", "þ": "th", "ð": "d"}
)
_LISTED_ONLY = "listed forms only"
_NON_WORD = re.compile(r"[^a-z0-9]+")
_PATRONYMIC = frozenset({"bin", "ibn", "bint", "ben"})
_PARTICLES = frozenset(
    {
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "de",
        "da",
        "do",
        "dos",
        "del",
        "der",
        "den",
        "di",
        "du",
        "la",
        "le",
        "van",
        "von",
        "y",
        "ould",
        "abu",
        "ben",
        "mac",
        "st",
    }
)


@dataclass(frozen=True, slots=True)
class Holding:
    """One person in one office for one term.

    ``country`` is an ISO 3166 alpha-3 code for a state's office, or the organisation's actor
    code from ``organisations.json`` (``IGOWSTNAT``) for an office of an international body:
    its head (``IGO_HEAD``), or the EU's High Representative, the Union's foreign minister
    (``FM``).
    ``sector`` is ``GOV`` for a state's office and the organisation's own sector for its head
    (``IGO``; ``BUS`` for the IMF). ``end`` is exclusive; None means running at the cutoff.
    """

    name: str
    country: str
    role: str
    sector: str
    start: date
    end: date | None
    aliases: tuple[str, ...] = ()
    note: str = ""

    @property
    def code(self) -> str:
        """The CAMEO-style actor code: ``RUSGOV`` for a state's office, the organisation's own
        code (``IGOWSTNAT``) for the head of an international body."""
        if self.is_organisation:
            return self.country
        return self.country + self.sector

    @property
    def is_organisation(self) -> bool:
        """True for an office of an international body (its code is not a country's)."""
        return len(self.country) != 3

    @property
    def last_day(self) -> date:
        """The last day this holding is taken to cover (the open-term horizon if running)."""
        if self.end is None:
            return CUTOFF + OPEN_TERM_HORIZON
        return self.end - timedelta(days=1)

    def covers(self, on: date) -> bool:
        return self.start <= on <= self.last_day


class DataError(ValueError):
    """A row of an officeholders file that cannot be read."""


def parse_start(text: str) -> date:
    """The first day a start date surely covers: ``2004-05-12`` itself, ``2004-05`` -> June 1st,
    ``2004`` -> 2005-01-01."""
    year, month, day = _parts(text)
    if day is not None and month is not None:
        return date(year, month, day)
    if month is not None:
        return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year + 1, 1, 1)


def parse_end(text: str) -> date | None:
    """The exclusive end a date gives: ``2004-05-12`` itself, ``2004-05`` -> May 1st,
    ``2004`` -> 2004-01-01; empty -> None (running at the cutoff)."""
    if not text:
        return None
    year, month, day = _parts(text)
    return date(year, month or 1, day or 1)


def _parts(text: str) -> tuple[int, int | None, int | None]:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not match:
        raise DataError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
    year, month, day = match.groups()
    if day is not None:
        date(int(year), int(month), int(day))  # raises ValueError on 2001-02-30
    return int(year), int(month) if month else None, int(day) if day else None


def name_tokens(text: str) -> tuple[str, ...]:
    """Lower-case, accent-free tokens of a name, without initials, honorifics or punctuation:
    "Vladimir V. Putin" -> ("vladimir", "putin"); "Kim Jong-un" -> ("kim", "jong", "un");
    "Omar El Bashir" -> ("omar", "al", "bashir"), as "Omar al-Bashir"."""
    folded = text.lower().translate(_LETTERS).replace("'", "").replace("\u2019", "")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    tokens = [tok for tok in _NON_WORD.split(folded) if tok]
    # The Arabic article is written "al" or "el" ("Omar al-Bashir", "Omar El Bashir"): one key
    tokens = ["al" if tok == "el" else tok for tok in tokens if len(tok) > 1 or tok.isdigit()]
    while tokens and tokens[0] in _HONORIFICS:
        tokens.pop(0)
    return tuple(tokens)


@lru_cache(maxsize=8192)
def name_keys(name: str, aliases: tuple[str, ...] = (), derived: bool = True) -> frozenset[str]:
    """Every form a person may be named by: the full name and aliases, first + last name, and
    the trailing parts of the name ("Putin", "von der Leyen", "der Leyen", "Leyen") where they
    are not a bare particle, a regnal number or shorter than three letters. Regnal, "of" and
    patronymic names get only the forms listed (:func:`_listed_forms_only`), and so does every
    name with ``derived=False`` (a row whose note says "listed forms only": Timor-Leste's
    Francisco Guterres, whose surname alone would make "Guterres" ambiguous against the UN
    Secretary-General's)."""
    keys: set[str] = set()
    for form in (name, *aliases):
        tokens = name_tokens(form)
        if not tokens:
            continue
        keys.add(" ".join(tokens))
        if derived and len(tokens) > 2 and not _listed_forms_only(tokens):
            keys.add(f"{tokens[0]} {tokens[-1]}")
    tokens = name_tokens(name)
    if not derived or _listed_forms_only(tokens):
        return frozenset(keys)
    for index in range(1, len(tokens)):
        tail = tokens[index:]
        if len(tail) == 1 and (
            tail[0] in _PARTICLES or len(tail[0]) < 3 or re.fullmatch(r"[ivx]+|\d+", tail[0])
        ):
            continue
        keys.add(" ".join(tail))
    return frozenset(keys)


def _listed_forms_only(tokens: tuple[str, ...]) -> bool:
    """Names whose trailing parts are not a surname: regnal names ("Felipe VI"), "of" names
    ("Henri of Luxembourg"), patronymic chains ("Mohammed bin Salman", "Sabah Al-Ahmad
    Al-Jaber Al-Sabah": "Salman" is his father, "Al-Sabah" a ruling family)."""
    if not tokens or "of" in tokens or re.fullmatch(r"[ivx]+", tokens[-1]):
        return True
    return bool(_PATRONYMIC & set(tokens)) or tokens.count("al") > 1


def read_rows(text: str, source: str = "") -> Iterator[Holding]:
    """The holdings of one officeholders TSV file; ``DataError`` names the file and line of a
    row that cannot be read."""
    sectors = _organisation_sectors()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "name":
            continue
        where = f"{source}:{number}"
        if not 6 <= len(fields) <= 7:
            raise DataError(f"{where}: expected 6 or 7 tab-separated fields, got {len(fields)}")
        name, alias_text, code, role_text, start_text, end_text = fields[:6]
        note = fields[6] if len(fields) == 7 else ""
        aliases = tuple(alias for alias in alias_text.split("|") if alias)
        try:
            start, end = parse_start(start_text), parse_end(end_text)
        except (DataError, ValueError) as exc:
            raise DataError(f"{where}: {exc}") from exc
        for role in role_text.split(","):
            if role not in ROLES:
                raise DataError(f"{where}: unknown role {role!r}")
            if role == "IGO_HEAD" or len(code) != 3:
                if code not in sectors:
                    raise DataError(f"{where}: {code!r} is not in organisations.json")
                sector = sectors[code]
            else:
                if not re.fullmatch(r"[A-Z]{3}", code):
                    raise DataError(f"{where}: {code!r} is not an ISO alpha-3 code")
                sector = "GOV"
            yield Holding(name, code, role, sector, start, end, aliases, note)


@lru_cache(maxsize=1)
def _organisation_sectors() -> dict[str, str]:
    import json

    raw = json.loads(
        resources.files("wirewatch.data").joinpath("organisations.json").read_text("utf-8")
    )
    return {code: entry["sector"] for code, entry in raw.items() if not code.startswith("_")}


@dataclass(frozen=True, slots=True)
class _Index:
    holdings: tuple[Holding, ...]
    by_key: dict[str, tuple[int, ...]]


@lru_cache(maxsize=1)
def _index() -> _Index:
    holdings: list[Holding] = []
    folder = resources.files("wirewatch.data").joinpath("officeholders")
    for region in REGIONS:
        name = f"{region}.tsv"
        holdings.extend(read_rows(folder.joinpath(name).read_text("utf-8"), name))
    by_key: dict[str, list[int]] = {}
    for position, holding in enumerate(holdings):
        listed_only = _LISTED_ONLY in holding.note
        for key in name_keys(holding.name, holding.aliases, derived=not listed_only):
            by_key.setdefault(key, []).append(position)
    return _Index(tuple(holdings), {key: tuple(found) for key, found in by_key.items()})


def all_holdings() -> tuple[Holding, ...]:
    """Every holding in the knowledge base, in file order (loaded once per process)."""
    return _index().holdings


def holding_of(name: str, on: date) -> Holding | None:
    """The office ``name`` held on ``on``, or None when no one by that name held one then, or
    when the name fits more than one person then ("Kim" in 2000). A person holding two offices
    at once gets the higher one (head of state before head of government before minister)."""
    index = _index()
    tokens = name_tokens(name)
    if not tokens:
        return None
    found = [index.holdings[pos] for pos in index.by_key.get(" ".join(tokens), ())]
    current = [holding for holding in found if holding.covers(on)]
    if len({holding.name for holding in current}) != 1:
        return None
    return min(current, key=lambda holding: _ROLE_ORDER[holding.role])


def former_country(name: str, on: date) -> str | None:
    """The country ``name`` held national office in before ``on``, when every listed holder of
    the name who had started by then held it for that one country ("former prime minister
    Andreas Papandreou" in 2000: GRC); None otherwise. International bodies' heads do not
    count: their offices say nothing of a nationality."""
    tokens = name_tokens(name)
    if not tokens:
        return None
    index = _index()
    holdings = [index.holdings[pos] for pos in index.by_key.get(" ".join(tokens), ())]
    if any(holding.role == "IGO_HEAD" for holding in holdings):
        return None
    found = {holding.country for holding in holdings if holding.start <= on}
    return found.pop() if len(found) == 1 else None


NAMESAKE_CITY_POPULATION = 250_000
"""A bare name that is also the name of a city this large ("Goma", "Lagos", "Austin") is read
through the base only when the article ties it to the officeholder (:func:`needs_tie`)."""

_OFFICE_WORDS: dict[str, tuple[str, ...]] = {
    "HOS": ("president", "king", "queen", "emir", "sultan", "monarch", "head of state"),
    "HOG": ("prime minister", "premier", "chancellor", "head of government"),
    "FM": ("foreign", "secretary of state", "high representative"),
    "DM": ("defence", "defense", "war minister"),
    "IGO_HEAD": ("secretary-general", "secretary general", "director-general",
                 "director general", "president", "chief", "head"),
}  # fmt: skip


def needs_tie(name: str) -> bool:
    """Whether a name alone is too common to be read through the base: a bare surname that many
    people bear in the news of several countries ("Khan", "Smith", "Yadav": the written-for-
    wirewatch table ``data/common_surnames.txt``) or that is also a large city's name ("Goma",
    Louis Sylvain Goma's surname, is a city of the DR Congo). A full name ("Morshed Khan") or
    initials ("A. Q. Khan", read "khan") do not count as a tie: initials are dropped."""
    tokens = name_tokens(name)
    if len(tokens) != 1:
        return False
    return tokens[0] in _common_surnames() or _large_city_name(tokens[0])


def title_names_office(title: str | None, holding: Holding) -> bool:
    """Whether a title the article gives the person ("President Yadav", "Foreign Minister
    Khan") names the office ``holding`` is for: the tie :func:`needs_tie` asks for."""
    if not title:
        return False
    lowered = title.lower()
    return any(word in lowered for word in _OFFICE_WORDS[holding.role])


@lru_cache(maxsize=1)
def _common_surnames() -> frozenset[str]:
    text = resources.files("wirewatch.data").joinpath("common_surnames.txt").read_text("utf-8")
    names = (name_tokens(line) for line in text.splitlines() if not line.startswith("#"))
    return frozenset(" ".join(tokens) for tokens in names if tokens)


@lru_cache(maxsize=4096)
def _large_city_name(key: str) -> bool:
    from wirewatch.understand.gazetteer import gazetteer  # the gazetteer is loaded once

    return any(
        main
        and entry.feature in ("city", "capital")
        and entry.population >= NAMESAKE_CITY_POPULATION
        and name_tokens(entry.name) == (key,)
        for entry, main in gazetteer().lookup_names(key)
    )


def holdings_on(on: date) -> list[Holding]:
    """Every holding that covers ``on``, ordered by country, role and name."""
    return sorted(
        (holding for holding in _index().holdings if holding.covers(on)),
        key=lambda holding: (holding.country, _ROLE_ORDER[holding.role], holding.name),
    )
