"""Copies of one text on many sites: word shingles, MinHash signatures, LSH and containment.

Two texts are compared on their word shingles (``k`` words in a row, case folded) after
``strip_syndication`` has taken off datelines, bylines, agency credits and boilerplate. A
text's MinHash signature (datasketch, ``num_perm`` 32-bit values) estimates the Jaccard
similarity of two shingle sets. LSH finds the few stored texts worth comparing with a new one,
without a scan: the signature is cut into bands (``BandLayout``, datasketch's optimal bands and
rows for ``lsh_threshold``), each band hashed to one 64-bit key, and the texts sharing any key
with the new one are its candidates. The keys live in a ``BandTable``: the stories stage keeps
them in the store (one indexed row per band, so memory stays flat and every process sees every
other's texts), tests and benchmarks in memory (``MemoryBands``).

A candidate is a copy when

- its estimated Jaccard similarity is at least ``near_threshold`` (relation ``near``), or
- the smaller shingle set lies mostly inside the larger one, ``|A ∩ B| / |A|`` at least
  ``containment_threshold`` with ``A`` the smaller set (relation ``truncated``: one of the two
  is a cut-down version of the other; the length deltas say which).

Containment is computed on the real shingle sets (the candidate's text is read back only for
the few candidates whose estimate comes near the threshold), so a copy cut to 40% of its
length still joins its full version, whose Jaccard similarity with it is only about 0.4.

A band table covers a bounded number of recent texts, oldest dropped first, so the work per
query stays bounded. Nothing here needs NLP.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

import numpy as np
from datasketch import LeanMinHash, MinHash
from datasketch.lsh import _optimal_param

from wirewatch.stories.strip import strip_syndication

SCHEME = "affine32"  # datasketch's 32-bit permutation scheme: 4 bytes per stored value
SEED = 1  # fixed, so signatures stored by one process compare with those of another
_WORD = re.compile(r"\w+")

CopyRelation = Literal["near", "truncated"]


def shingles(text: str, size: int) -> frozenset[str]:
    """The set of ``size``-word shingles of ``text`` (words case folded, punctuation ignored).

    A text shorter than ``size`` words is one shingle; an empty text has none.

    >>> sorted(shingles("NATO chief visits Kiev", 3))
    ['chief visits kiev', 'nato chief visits']
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return frozenset()
    if len(words) <= size:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def comparable_shingles(text: str, size: int) -> frozenset[str]:
    """Shingles of ``text`` once syndication's additions are stripped off."""
    return shingles(strip_syndication(text), size)


def containment(smaller: frozenset[str], larger: frozenset[str]) -> float:
    """``|A ∩ B| / |A|`` with ``A`` the smaller set: how much of it lies inside the other.

    >>> containment(frozenset("ab"), frozenset("abcd"))
    1.0
    """
    if len(smaller) > len(larger):
        smaller, larger = larger, smaller
    if not smaller:
        return 0.0
    return len(smaller & larger) / len(smaller)


class Signer:
    """Makes MinHash signatures with one fixed set of permutations (made once, reused)."""

    def __init__(self, num_perm: int) -> None:
        self.num_perm = num_perm
        self._permutations = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations

    def sign(self, shingle_set: Iterable[str]) -> LeanMinHash:
        minhash = MinHash(
            num_perm=self.num_perm, seed=SEED, permutations=self._permutations, scheme=SCHEME
        )
        minhash.update_batch([s.encode("utf-8") for s in shingle_set])
        return LeanMinHash(minhash)


def signature_bytes(signature: LeanMinHash) -> bytes:
    """The signature's hash values as little-endian uint32 bytes (4 bytes per permutation)."""
    return np.asarray(signature.hashvalues, dtype="<u4").tobytes()


def signature_from_bytes(blob: bytes) -> LeanMinHash:
    """A signature stored with ``signature_bytes``."""
    values = np.frombuffer(blob, dtype="<u4").astype(np.uint32)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup knows of one text: its shingles, their count and its signature."""

    shingles: frozenset[str]
    signature: LeanMinHash

    @property
    def size(self) -> int:
        return len(self.shingles)


@dataclass(frozen=True, slots=True)
class CopyMatch:
    """A stored text that a new one copies, and how closely."""

    article_id: str
    relation: CopyRelation
    similarity: float  # estimated Jaccard similarity of the two shingle sets
    containment: float  # |A ∩ B| / |A|, A the smaller set (an estimate when not verified)


@dataclass(frozen=True, slots=True)
class CopyRules:
    """Thresholds for calling two texts copies (see the module docstring)."""

    shingle_size: int = 5
    num_perm: int = 128
    lsh_threshold: float = 0.3
    near_threshold: float = 0.7
    containment_threshold: float = 0.8
    min_shingles: int = 10
    use_containment: bool = True


ShinglesOf = Callable[[str], frozenset[str] | None]


@dataclass(frozen=True, slots=True)
class BandLayout:
    """How a signature is cut into LSH bands: ``bands`` bands of ``rows`` values each.

    Two texts become candidates when all ``rows`` values of some band agree. datasketch's
    optimisation picks (bands, rows) for a similarity threshold (equal weights on missed and
    false candidates), as its in-memory ``MinHashLSH`` does, so the two find the same pairs.
    """

    num_perm: int
    bands: int
    rows: int

    @classmethod
    def for_threshold(cls, threshold: float, num_perm: int) -> BandLayout:
        bands, rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
        return cls(num_perm, int(bands), int(rows))

    def keys(self, signature: LeanMinHash) -> list[int]:
        """One signed 64-bit key per band: a hash of the layout, the band's number and its
        values, so keys of different bands (or of another layout) do not meet."""
        values = np.asarray(signature.hashvalues, dtype="<u4")
        person = f"ww{self.num_perm}b{self.bands}r{self.rows}".encode()[:16]
        found = []
        for band in range(self.bands):
            chunk = values[band * self.rows : (band + 1) * self.rows].tobytes()
            digest = hashlib.blake2b(
                band.to_bytes(2, "little") + chunk, digest_size=8, person=person
            ).digest()
            found.append(int.from_bytes(digest, "little", signed=True))
        return found


@dataclass(frozen=True, slots=True)
class Held:
    """A stored text's signature as the band table returns it."""

    article_id: str
    signature: LeanMinHash
    size: int  # shingle count


class BandTable(Protocol):
    """Where band keys live: ``lookup`` gives the texts having any of the keys (each once,
    ordered by id), only those among the first ``upto`` added when it is given; ``held`` gives
    one text's signature, or None when it is not held."""

    def lookup(self, keys: Sequence[int], upto: int | None = None) -> list[Held]: ...

    def held(self, article_id: str) -> Held | None: ...


class MemoryBands:
    """A band table in memory (tests, benchmarks): key -> article ids, ``capacity`` most
    recent texts, oldest dropped first. The stories stage keeps its table in the store
    (``wirewatch.store.stories.StoreBands``)."""

    def __init__(self, layout: BandLayout, capacity: int) -> None:
        self.layout = layout
        self._capacity = capacity
        self._keys: dict[int, set[str]] = {}
        self._held: OrderedDict[str, tuple[Held, list[int]]] = OrderedDict()
        self._added: dict[str, int] = {}  # id -> how many texts were added before it, plus one

    def __len__(self) -> int:
        return len(self._held)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._held

    def add(self, article_id: str, signature: LeanMinHash, size: int) -> None:
        if article_id in self._held:
            return
        keys = self.layout.keys(signature)
        self._held[article_id] = (Held(article_id, signature, size), keys)
        self._added[article_id] = len(self._added) + 1
        for key in keys:
            self._keys.setdefault(key, set()).add(article_id)
        while len(self._held) > self._capacity:
            oldest, (_, old_keys) = self._held.popitem(last=False)
            self._added.pop(oldest, None)
            for key in old_keys:
                holders = self._keys[key]
                holders.discard(oldest)
                if not holders:
                    del self._keys[key]

    def lookup(self, keys: Sequence[int], upto: int | None = None) -> list[Held]:
        found: set[str] = set()
        for key in keys:
            found |= self._keys.get(key, set())
        if upto is not None:
            found = {article_id for article_id in found if self._added[article_id] <= upto}
        return [self._held[article_id][0] for article_id in sorted(found)]

    def held(self, article_id: str) -> Held | None:
        entry = self._held.get(article_id)
        return None if entry is None else entry[0]


class CopyIndex:
    """Finds which stored text a new one copies: LSH band keys looked up in a ``BandTable``,
    then the candidates' signatures compared (and containment verified).

    ``shingles_of(article_id)`` gives a stored text's shingles (read back from the store) to
    verify containment; it may return None when the text is gone, and the estimate is used.
    """

    def __init__(self, rules: CopyRules, shingles_of: ShinglesOf, bands: BandTable) -> None:
        self.rules = rules
        self.signer = Signer(rules.num_perm)
        self.bands = bands
        self._shingles_of = shingles_of

    def fingerprint(self, text: str) -> Fingerprint:
        found = comparable_shingles(text, self.rules.shingle_size)
        return Fingerprint(found, self.signer.sign(found))

    def keys(self, fingerprint: Fingerprint) -> list[int]:
        """The band keys to store for this text; none for a text too short to be matched."""
        if fingerprint.size < self.rules.min_shingles:
            return []
        return layout_of(self.rules).keys(fingerprint.signature)

    def candidates(self, fingerprint: Fingerprint, upto: int | None = None) -> list[Held]:
        """Held texts whose signatures agree with this one on some LSH band (among the
        first ``upto`` held, when given)."""
        keys = self.keys(fingerprint)
        if not keys:
            return []
        return self.bands.lookup(keys) if upto is None else self.bands.lookup(keys, upto)

    def find(
        self, fingerprint: Fingerprint, exclude: str | None = None, upto: int | None = None
    ) -> CopyMatch | None:
        """The held text this one copies most closely (among the first ``upto`` held, when
        given), or None when it copies none."""
        best: CopyMatch | None = None
        for held in self.candidates(fingerprint, upto):
            if held.article_id == exclude:
                continue
            match = self.compare(fingerprint, held)
            if match is not None and (best is None or rank(match) > rank(best)):
                best = match
        return best

    def compare(self, fingerprint: Fingerprint, held: Held) -> CopyMatch | None:
        """How ``fingerprint`` copies the held text, or None if it does not."""
        if held.signature.hashvalues.size != fingerprint.signature.hashvalues.size:
            return None  # made with another dedup_num_perm: does not compare
        similarity = float(fingerprint.signature.jaccard(held.signature))
        estimate = _estimated_containment(similarity, fingerprint.size, held.size)
        if similarity >= self.rules.near_threshold:
            return CopyMatch(held.article_id, "near", similarity, estimate)
        if not self.rules.use_containment:
            return None
        # Verify on the real sets only when the estimate comes near the threshold.
        if estimate < self.rules.containment_threshold - 0.2:
            return None
        stored = self._shingles_of(held.article_id)
        contained = estimate if stored is None else containment(fingerprint.shingles, stored)
        if contained >= self.rules.containment_threshold:
            return CopyMatch(held.article_id, "truncated", similarity, contained)
        return None

    def measure(self, fingerprint: Fingerprint, article_id: str) -> tuple[float, float] | None:
        """Similarity and containment of ``fingerprint`` against a held article, copy or not."""
        held = self.bands.held(article_id)
        if held is None or held.signature.hashvalues.size != fingerprint.signature.hashvalues.size:
            return None
        similarity = float(fingerprint.signature.jaccard(held.signature))
        stored = self._shingles_of(article_id)
        if stored is None:
            return similarity, _estimated_containment(similarity, fingerprint.size, held.size)
        return similarity, containment(fingerprint.shingles, stored)


@lru_cache(maxsize=16)
def layout_of(rules: CopyRules) -> BandLayout:
    """The band layout of ``rules``' LSH threshold and permutation count."""
    return BandLayout.for_threshold(rules.lsh_threshold, rules.num_perm)


def _estimated_containment(similarity: float, size_a: int, size_b: int) -> float:
    """``|A ∩ B| / min(|A|, |B|)`` from the Jaccard similarity: ``|A ∩ B| = J(|A|+|B|)/(1+J)``."""
    smaller = min(size_a, size_b)
    if smaller == 0:
        return 0.0
    return min(1.0, similarity * (size_a + size_b) / ((1 + similarity) * smaller))


def rank(match: CopyMatch) -> tuple[float, float]:
    """How closely a match copies: the higher the better (``find`` keeps the best, ties to the
    id that sorts first)."""
    return (max(match.similarity, match.containment), match.similarity)
