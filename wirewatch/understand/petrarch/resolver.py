"""Actor phrases to codes on the article's date, from the actors and agents dictionaries.

A phrase is read word by word; at each word the longest actor name or agent name that starts
there is taken. The codes are each actor's code on the date (its dated role, else its undated
one) with the agents' codes added after it (``[~GOV]``) or before it (``[NGO~]``): "Arnor
cleric" is ``ARNREL``, "MSF Arnor diplomat" ``NGOARNGOV``. Agents without an actor give
``---GOV`` (no country); several actors give several codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from wirewatch.understand.petrarch.actors import ActorDictionary, ActorEntry
from wirewatch.understand.petrarch.agents import Agent, AgentDictionary

NO_ACTOR = "---"


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # word index, inclusive
    end: int  # word index, exclusive
    actor: ActorEntry | None
    agent: Agent | None


@dataclass(frozen=True, slots=True)
class Resolved:
    bases: tuple[str, ...]  # the actor's codes on the date ("ARN"); empty: no actor, or "[---]"
    agents: tuple[Agent, ...]
    first: int  # word span of what was matched
    last: int
    named: bool  # an actor (not only agents) was found

    @property
    def codes(self) -> tuple[str, ...]:
        """ "ARNGOV"; "---GOV" for agents without an actor; () for an actor coded "[---]"."""
        if self.named and not self.bases:
            return ()
        return tuple(combine(base, self.agents) for base in (self.bases or (NO_ACTOR,)))


class Resolver:
    def __init__(self, actors: ActorDictionary, agents: AgentDictionary) -> None:
        self.actors = actors
        self.agents = agents

    def match_at(self, words: Sequence[str], i: int) -> Match | None:
        """The longest actor or agent name starting at word ``i`` (an actor wins a tie)."""
        top = min(max(self.actors.longest, self.agents.longest), len(words) - i)
        for n in range(top, 0, -1):
            key = tuple(words[i : i + n])
            actor = self.actors.by_name.get(key)
            if actor is not None:
                return Match(i, i + n, actor, None)
            agent = self.agents.by_name.get(key)
            if agent is not None:
                return Match(i, i + n, None, agent)
        return None

    def resolve(self, words: Sequence[str], day: date | None) -> Resolved | None:
        """The codes of a phrase's upper-case ``words`` on ``day``; None if nothing matches.
        The first actor named is the phrase's actor ("Ithilen's minister Calimehtar" is
        Ithilen's); every agent adds to it."""
        actor: ActorEntry | None = None
        agents: list[Agent] = []
        first, last = len(words), -1
        i = 0
        while i < len(words):
            match = self.match_at(words, i)
            if match is None:
                i += 1
                continue
            if match.actor is not None and actor is None:
                actor = match.actor
                first, last = min(first, match.start), max(last, match.end)
            elif match.agent is not None and match.agent not in agents:
                agents.append(match.agent)
                first, last = min(first, match.start), max(last, match.end)
            i = match.end
        if last < 0:
            return None
        bases = actor.codes_on(day) if actor is not None else ()
        return Resolved(tuple(bases), tuple(agents), first, last, actor is not None)


def combine(base: str, agents: Sequence[Agent]) -> str:
    """An actor code with its agents: prefixes before it, suffixes after it, none repeated."""
    code = base
    for agent in agents:
        if agent.before_actor:
            if not code.startswith(agent.code):
                code = agent.code + code
        elif not _has_part(code, agent.code):
            code = code + agent.code
    return code


def _has_part(code: str, part: str) -> bool:
    """Whether ``part`` is already one of the 3-letter parts after the country ("USAGOV")."""
    body = code[3:]
    return any(body[i : i + len(part)] == part for i in range(0, len(body), 3))
