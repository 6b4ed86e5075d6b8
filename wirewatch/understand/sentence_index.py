"""A token's sentence, found from the parse's sentence starts read once per parse.

``Token.sent`` walks the parse to find the sentence's edges each time it is asked (about 15 µs
on a 30-word sentence); the coder asks it for many tokens of every sentence. The starts are
kept in ``Doc.user_data`` with the parse's length (msgpack-safe: ints in lists) and read back
only when the length still fits, as ``actor_phrase._hyphens`` keeps its index.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

__all__ = ["sentence_of"]

_STARTS = "wirewatch.sentence_starts"


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
