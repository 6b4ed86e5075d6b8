"""Copies of one text on many sites: word shingles, MinHash signatures, LSH and containment.

Two texts are compared on their word shingles (``k`` words in a row, case folded) after
``strip_syndication`` has taken off datelines, bylines, agency credits and boilerplate. A
text's MinHash signature (datasketch, ``num_perm`` 32-bit values) estimates the Jaccard
similarity of two shingle sets; an LSH index over the signatures of recent articles finds the
few stored texts worth comparing with a new one, without a scan.

A candidate is a copy when

- its estimated Jaccard similarity is at least ``near_threshold`` (relation ``near``), or
- the smaller shingle set lies mostly inside the larger one, ``|A ∩ B| / |A|`` at least
  ``containment_threshold`` with ``A`` the smaller set (relation ``truncated``: one of the two
  is a cut-down version of the other; the length deltas say which).

Containment is computed on the real shingle sets (the candidate's text is read back only for
the few candidates whose estimate comes near the threshold), so a copy cut to 40% of its
length still joins its full version, whose Jaccard similarity with it is only about 0.4.

The index holds at most ``capacity`` signatures, oldest dropped first: memory and the work per
query are bounded. Nothing here needs NLP.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

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


class CopyIndex:
    """LSH over the signatures of recent texts; finds which stored text a new one copies.

    ``shingles_of(article_id)`` gives a stored text's shingles (read back from the store) to
    verify containment; it may return None when the text is gone, and the estimate is used.
    """

    def __init__(self, rules: CopyRules, shingles_of: ShinglesOf, capacity: int) -> None:
        self.rules = rules
        self.signer = Signer(rules.num_perm)
        self._shingles_of = shingles_of
        self._capacity = capacity
        self._lsh = MinHashLSH(threshold=rules.lsh_threshold, num_perm=rules.num_perm)
        self._held: OrderedDict[str, tuple[LeanMinHash, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._held)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._held

    def fingerprint(self, text: str) -> Fingerprint:
        found = comparable_shingles(text, self.rules.shingle_size)
        return Fingerprint(found, self.signer.sign(found))

    def add(self, article_id: str, signature: LeanMinHash, size: int) -> None:
        """Hold ``article_id``'s signature; the oldest held one goes when over capacity."""
        if article_id in self._held or size < self.rules.min_shingles:
            return
        self._lsh.insert(article_id, signature)
        self._held[article_id] = (signature, size)
        while len(self._held) > self._capacity:
            oldest, _ = self._held.popitem(last=False)
            self._lsh.remove(oldest)

    def candidates(self, fingerprint: Fingerprint) -> list[str]:
        """Held articles whose signatures collide with this one in some LSH band."""
        if fingerprint.size < self.rules.min_shingles or not self._held:
            return []
        return sorted(str(key) for key in self._lsh.query(fingerprint.signature))

    def find(self, fingerprint: Fingerprint, exclude: str | None = None) -> CopyMatch | None:
        """The held text this one copies most closely, or None when it copies none."""
        best: CopyMatch | None = None
        for article_id in self.candidates(fingerprint):
            if article_id == exclude:
                continue
            match = self.compare(fingerprint, article_id)
            if match is not None and (best is None or _rank(match) > _rank(best)):
                best = match
        return best

    def compare(self, fingerprint: Fingerprint, article_id: str) -> CopyMatch | None:
        """How ``fingerprint`` copies held article ``article_id``, or None if it does not."""
        held = self._held.get(article_id)
        if held is None:
            return None
        signature, size = held
        similarity = float(fingerprint.signature.jaccard(signature))
        estimate = _estimated_containment(similarity, fingerprint.size, size)
        if similarity >= self.rules.near_threshold:
            return CopyMatch(article_id, "near", similarity, estimate)
        if not self.rules.use_containment:
            return None
        # Verify on the real sets only when the estimate comes near the threshold.
        if estimate < self.rules.containment_threshold - 0.2:
            return None
        stored = self._shingles_of(article_id)
        contained = estimate if stored is None else containment(fingerprint.shingles, stored)
        if contained >= self.rules.containment_threshold:
            return CopyMatch(article_id, "truncated", similarity, contained)
        return None

    def measure(self, fingerprint: Fingerprint, article_id: str) -> tuple[float, float] | None:
        """Similarity and containment of ``fingerprint`` against a held article, copy or not."""
        held = self._held.get(article_id)
        if held is None:
            return None
        similarity = float(fingerprint.signature.jaccard(held[0]))
        stored = self._shingles_of(article_id)
        if stored is None:
            return similarity, _estimated_containment(similarity, fingerprint.size, held[1])
        return similarity, containment(fingerprint.shingles, stored)


def _estimated_containment(similarity: float, size_a: int, size_b: int) -> float:
    """``|A ∩ B| / min(|A|, |B|)`` from the Jaccard similarity: ``|A ∩ B| = J(|A|+|B|)/(1+J)``."""
    smaller = min(size_a, size_b)
    if smaller == 0:
        return 0.0
    return min(1.0, similarity * (size_a + size_b) / ((1 + similarity) * smaller))


def _rank(match: CopyMatch) -> tuple[float, float]:
    return (max(match.similarity, match.containment), match.similarity)
