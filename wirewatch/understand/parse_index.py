"""What the coder reads of a parse many times, read once from its arrays.

``Token.sent`` walks the parse to find the sentence's edges each time it is asked (about 15 µs
on a 30-word sentence), and every ``Token`` attribute read builds a Python object first; the
coder asks for a sentence, a part of speech or a lemma for many tokens of every sentence. The
sentence starts and the parts of speech, dependency labels and lemmas of all tokens are read
once per parse into ``Doc.user_data`` with the parse's length (msgpack-safe: ints in lists) and
read back only when the length still fits, as ``actor_phrase._hyphens`` keeps its index.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import DEP, LEMMA, POS
from spacy.tokens import Doc, Span, Token

__all__ = ["Columns", "columns", "lower_lemma", "sentence_of"]

_STARTS = "wirewatch.sentence_starts"
_COLUMNS = "wirewatch.columns"

# (parts of speech, dependency labels, lemmas): one int per token each (spaCy symbol ids and
# string-store hashes).
Columns = tuple[list[int], list[int], list[int]]


def _starts(doc: Doc) -> list[int]:
    cached = doc.user_data.get(_STARTS)
    if cached is not None and cached[0] == len(doc):
        found: list[int] = cached[1]
        return found
    starts = [sent.start for sent in doc.sents]
    doc.user_data[_STARTS] = [len(doc), starts]
    return starts


def sentence_of(token: Token) -> Span:
    """The sentence ``token`` is in: the same span as ``token.sent``."""
    doc = token.doc
    starts = _starts(doc)
    index = bisect_right(starts, token.i) - 1
    end = starts[index + 1] if index + 1 < len(starts) else len(doc)
    return doc[starts[index] : end]


def columns(doc: Doc) -> Columns:
    """Every token's part of speech (compare with ``spacy.symbols``), dependency label and
    lemma, as ints (``doc.vocab.strings`` maps labels and lemmas to their hashes)."""
    cached = doc.user_data.get(_COLUMNS)
    if cached is not None and cached[0] == len(doc):
        return cached[1], cached[2], cached[3]
    if len(doc):
        pos, dep, lemma = doc.to_array([POS, DEP, LEMMA]).T.tolist()
    else:
        pos, dep, lemma = [], [], []
    doc.user_data[_COLUMNS] = [len(doc), pos, dep, lemma]
    return pos, dep, lemma


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
