"""Turning what a user types into an FTS5 query that means what they meant.

FTS5's query language gives meaning to characters that news queries are full of: ``-`` in
"pro-Russian", ``'`` in "NATO's", ``:`` and ``.``; typed bare, they raise syntax errors or
search the wrong thing. So every bare word becomes a quoted FTS5 string, which the tokenizer
splits exactly as it split the article text ("pro-Russian" matches the phrase "pro russian").
What stays an operator: ``AND``, ``OR``, ``NOT`` in capitals, ``"quoted phrases"``, balanced
parentheses, and a trailing ``*`` for a prefix (``Stolten*``).

>>> fts_query("NATO's chief pro-Russian")
'"NATO\\'s" "chief" "pro-Russian"'
>>> fts_query('"Jens Stoltenberg" OR Poroshenko')
'"Jens Stoltenberg" OR "Poroshenko"'

A query's cost grows with its prefix terms (each ``Stolten*`` reads every indexed word it
starts, so a short one reads much of the index) and its ``OR`` branches (each one searched in
full). ``QueryCost`` bounds both; a query over them is refused as ``query_too_costly`` before
it runs, and the server passes its limits (settings ``search_max_prefixes``,
``search_min_prefix_chars``, ``search_max_or_terms``). Control characters (a NUL byte) are
read as spaces: the tokenizer would have split there anyway.

>>> fts_query("Stolten* OR NATO", QueryCost(max_prefixes=1, min_prefix_chars=3, max_or_terms=2))
'"Stolten"* OR "NATO"'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wirewatch.errors import UsageError

OPERATORS = frozenset({"AND", "OR", "NOT"})
_PARENTHESES = frozenset({"(", ")"})

# A quoted phrase, a parenthesis, a run of anything else but space, or a lone quote mark.
_TOKEN = re.compile(r'"[^"]*"|[()]|[^\s()"]+|"')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
TOO_COSTLY = "query_too_costly"
"""The error code of a query refused for what it would cost to run."""


@dataclass(frozen=True, slots=True)
class QueryCost:
    """The most a search query may ask of the index."""

    max_prefixes: int
    """Prefix terms (``word*``) in one query."""
    min_prefix_chars: int
    """Characters a prefix needs before its ``*``."""
    max_or_terms: int
    """Alternatives joined by ``OR`` in one query, counted over the whole query."""


def fts_query(query: str, cost: QueryCost | None = None) -> str:
    """The FTS5 MATCH expression for a user's search ``query``.

    Raises ``UsageError`` for a query with nothing to search for, and (code
    ``query_too_costly``) for one over ``cost``. A query can still be invalid FTS5
    (``NATO AND``: an operator without a term on one side); the store reports that.
    """
    query = _CONTROL.sub(" ", query)
    parts = [part for part in map(_translate, _TOKEN.findall(query)) if part]
    if not _balanced(parts):
        # Unbalanced, as in "Warsaw (AFP": the parentheses are punctuation, not grouping.
        parts = [part for part in parts if part not in _PARENTHESES]
    parts = _with_explicit_and(parts)
    if not any(part not in OPERATORS and part not in _PARENTHESES for part in parts):
        raise UsageError(f"nothing to search for in {query.strip()!r}")
    if cost is not None:
        check_cost(parts, cost)
    return " ".join(parts)


def check_cost(parts: list[str], cost: QueryCost) -> None:
    """Refuse (``query_too_costly``) a translated query over the limits of ``cost``."""
    prefixes = [part for part in parts if part.endswith("*")]
    for prefix in prefixes:
        stem = prefix[1:-2].replace('""', '"')  # '"Stolten"*' -> Stolten
        if len(stem) < cost.min_prefix_chars:
            raise UsageError(
                f"the prefix {stem + '*'!r} is too short to search for: give at least "
                f"{cost.min_prefix_chars} characters before the *",
                code=TOO_COSTLY,
            )
    if len(prefixes) > cost.max_prefixes:
        raise UsageError(
            f"the query has {len(prefixes)} prefix terms (word*); at most "
            f"{cost.max_prefixes} are searched at once",
            code=TOO_COSTLY,
        )
    alternatives = parts.count("OR") + 1
    if alternatives > cost.max_or_terms:
        raise UsageError(
            f"the query has {alternatives} alternatives joined by OR; at most "
            f"{cost.max_or_terms} are searched at once",
            code=TOO_COSTLY,
        )


def _translate(token: str) -> str:
    """One token as FTS5 query syntax; empty when it searches for nothing."""
    if token in _PARENTHESES or token in OPERATORS:
        return token
    if token == '"':
        return ""  # an unclosed quote mark: the words after it are searched as words
    if len(token) >= 2 and token.startswith('"') and token.endswith('"'):
        # A phrase the user quoted: FTS5 reads it as one; an empty one searches for nothing.
        return token if token[1:-1].strip() else ""
    if token.endswith("*") and token.strip("*"):
        return _quote(token.rstrip("*")) + "*"
    return _quote(token)


def _with_explicit_and(parts: list[str]) -> list[str]:
    joined: list[str] = []
    for part in parts:
        if joined and _needs_and(joined[-1], part):
            joined.append("AND")
        joined.append(part)
    return joined


def _needs_and(left: str, right: str) -> bool:
    """True between a group and a term (either way round) with no operator between them.

    FTS5 reads side-by-side phrases as AND, but not a group beside anything: ``(AFP) Kiev`` is
    a syntax error. An explicit AND there means what the user meant and nothing else, since
    the query would not have parsed without it.
    """
    left_ends_operand = left not in OPERATORS and left != "("
    right_starts_operand = right not in OPERATORS and right != ")"
    touches_group = left == ")" or right == "("
    return left_ends_operand and right_starts_operand and touches_group


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _balanced(parts: list[str]) -> bool:
    """True when parentheses nest properly and none encloses nothing."""
    depth = 0
    previous = ""
    for part in parts:
        if part == "(":
            depth += 1
        elif part == ")":
            if depth == 0 or previous == "(":
                return False
            depth -= 1
        previous = part
    return depth == 0


def lead_snippet(text: str, limit: int = 160) -> str:
    """The start of an article's text as one line, cut at a word with ``…`` when too long.

    What a hit found by filters alone shows in place of a snippet around search words.

    >>> lead_snippet("NATO chief Jens Stoltenberg pledged support.\\nMore.", limit=30)
    'NATO chief Jens Stoltenberg…'
    """
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(" ,;:") + "…"
