"""What the coder reads of a parse many times, read once from its arrays.

``Token.sent`` walks the parse to find the sentence's edges each time it is asked (about 15 µs
on a 30-word sentence), and every ``Token`` attribute read builds a Python object first; the
coder asks for a sentence, a part of speech or a lemma for many tokens of every sentence. The
sentence starts, the parts of speech, dependency labels and lemmas of all tokens, and the
indices of its "-" tokens are read once per parse into ``Doc.user_data`` with the parse's
length (msgpack-safe: ints in lists) and read back only when the length still fits.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Any, TypeVar

from spacy.attrs import DEP, LEMMA, ORTH, POS
from spacy.tokens import Doc, Span, Token

__all__ = ["Columns", "columns", "hyphens", "lower_lemma", "sentence_of"]

# (parts of speech, dependency labels, lemmas): one int per token each (spaCy symbol ids and
# string-store hashes).
Columns = tuple[list[int], list[int], list[int]]
_Kept = TypeVar("_Kept")


def _kept(doc: Doc, key: str, read: Callable[[Doc], _Kept]) -> _Kept:
    """``read(doc)``, kept in ``doc.user_data[key]`` with the parse's length and read back only
    while the length still fits: ``Span.as_doc(copy_user_data=True)`` and merging tokens carry
    or keep another token layout's index."""
    cached: Any = doc.user_data.get(key)
    if cached is not None and cached[0] == len(doc):
        found: _Kept = cached[1]
        return found
    value = read(doc)
    doc.user_data[key] = [len(doc), value]
    return value


def _read_starts(doc: Doc) -> list[int]:
    return [sent.start for sent in doc.sents]


def sentence_of(token: Token) -> Span:
    """The sentence ``token`` is in: the same span as ``token.sent``."""
    doc = token.doc
    starts = _kept(doc, "wirewatch.sentence_starts", _read_starts)
    index = bisect_right(starts, token.i) - 1
    end = starts[index + 1] if index + 1 < len(starts) else len(doc)
    return doc[starts[index] : end]


def _read_columns(doc: Doc) -> list[list[int]]:
    if not len(doc):
        return [[], [], []]
    found: list[list[int]] = doc.to_array([POS, DEP, LEMMA]).T.tolist()
    return found


def columns(doc: Doc) -> Columns:
    """Every token's part of speech (compare with ``spacy.symbols``), dependency label and
    lemma, as ints (``doc.vocab.strings`` maps labels and lemmas to their hashes)."""
    pos, dep, lemma = _kept(doc, "wirewatch.columns", _read_columns)
    return pos, dep, lemma


def _read_hyphens(doc: Doc) -> list[int]:
    if not len(doc):
        return []
    hyphen = doc.vocab.strings["-"]
    return [i for i, orth in enumerate(doc.to_array(ORTH).tolist()) if orth == hyphen]


def hyphens(doc: Doc) -> list[int]:
    """The indices of the parse's "-" tokens."""
    return _kept(doc, "wirewatch.hyphens", _read_hyphens)


_LOWERED: dict[int, str] = {}  # lemma hash -> lower-case lemma (a hash names one string)
_LOWERED_MAX = 200_000


def lower_lemma(doc: Doc, key: int) -> str:
    """The lower-case lemma a ``columns`` lemma hash stands for (``token.lemma_.lower()``)."""
    found = _LOWERED.get(key)
    if found is None:
        if len(_LOWERED) >= _LOWERED_MAX:
            _LOWERED.clear()
        found = _LOWERED[key] = doc.vocab.strings[key].lower()
    return found
