"""A synthetic news corpus with copies: originals of made-up words, and near, cut-down, exact
and copy-of-copy versions of them, shuffled so copies land before and after their originals.

Deterministic for a seed; no file is read. Words are made of syllables, so texts share no
accidental shingles (every copy relation is one the generator made).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_SYLLABLES = ["ka", "lo", "mi", "ru", "te", "sa", "no", "vi", "de", "po", "ba", "zu", "fe", "gi"]


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    title: str
    text: str


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _original(rng: random.Random) -> list[str]:
    sentences = []
    for _ in range(rng.randint(6, 10)):
        words = [_word(rng) for _ in range(rng.randint(9, 15))]
        sentences.append(" ".join(words).capitalize() + ".")
    return sentences


def _near(rng: random.Random, sentences: list[str]) -> list[str]:
    """A copy desk's edit: a dateline added and one word changed every forty or so."""
    words = " ".join(sentences).split(" ")
    for _ in range(max(1, len(words) // 40)):
        words[rng.randrange(len(words))] = _word(rng)
    return ["PORTO VILA (Wire) -", " ".join(words)]


def _cut(sentences: list[str]) -> list[str]:
    """The first sixty per cent of the sentences: a truncated copy."""
    return sentences[: max(2, (len(sentences) * 6) // 10)]


def copy_corpus(pages: int, seed: int = 13) -> list[Page]:
    """About ``pages`` pages: half originals, the rest copies of them, in shuffled order."""
    rng = random.Random(seed)
    originals = [_original(rng) for _ in range(pages // 2)]
    made: list[tuple[str, list[str]]] = [("orig", s) for s in originals]
    while len(made) < pages:
        source = rng.choice(originals)
        kind = rng.choice(["near", "cut", "exact", "chain"])
        if kind == "near":
            made.append((kind, _near(rng, source)))
        elif kind == "cut":
            made.append((kind, _cut(source)))
        elif kind == "exact":
            made.append((kind, source))
        else:
            edited = _near(rng, source)[1].split(" ")  # a cut-down version of a near copy
            made.append((kind, [" ".join(edited[: (len(edited) * 7) // 10])]))
    rng.shuffle(made)
    return [
        Page(f"https://site{n % 7}.example/{kind}/{n}", f"Report {n}", "\n".join(lines))
        for n, (kind, lines) in enumerate(made)
    ]
