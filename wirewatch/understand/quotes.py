"""Quotes: who said what, with the words' offsets in ``Article.text`` and the speaker's name.

    >>> article = wirewatch.analyze(text)  # doctest: +SKIP
    >>> [(q.kind, q.cue, q.speaker.name) for q in find_quotes(load_nlp()(article.text), article)]
    [('direct', 'said', 'Jens Stoltenberg'), ('direct', 'added', 'Jens Stoltenberg'), ...]

The method, in the order it runs, one module a step (``docs/quotes.md`` has the details and the
fixture format; each module's docstring has its step in full):

1. ``quotemarks.py``: ``quoted_spans``, the words between quote marks, paragraph by paragraph,
   in every style (``"`` ``“”`` ``«»`` and single marks).
2. ``cues.py``: the cue lexicon (``cue_lexicon``) and the cues, reporting verbs and "according
   to", with the clauses they report.
3. ``drafts.py``: cue clauses and quote marks paired into ``direct``, ``indirect`` and ``mixed``
   quotes.
4. ``uncued.py``: marks still without a cue take the attribution their position implies; other
   spans without a cue are kept only when they read as a whole statement.
5. ``speakers.py``: the speaker token of each cue and the name it stands for (names, "he"/"she",
   "the minister").

``layout.py`` holds where paragraphs, datelines and tokens start, which steps 2 to 5 share. This
module runs the steps and assembles the ``Quote`` records; it re-exports ``quoted_spans``,
``QuotedSpan``, ``cue_lexicon`` and ``CueLexicon``.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from wirewatch.model import Article, Quote
from wirewatch.understand.cues import CueLexicon, _cues, cue_lexicon
from wirewatch.understand.drafts import _Draft, _drafts
from wirewatch.understand.layout import _Layout
from wirewatch.understand.quotemarks import QuotedSpan, quoted_spans
from wirewatch.understand.speakers import _Speakers
from wirewatch.understand.uncued import _inherit, _statement

__all__ = ["CueLexicon", "QuotedSpan", "cue_lexicon", "find_quotes", "quoted_spans"]


def find_quotes(doc: Doc, article: Article) -> list[Quote]:
    """Direct, indirect and mixed quotes of an article, each with its cue and speaker, in text
    order.

    ``doc`` is the spaCy parse of ``article.text``; ``article.entities`` and
    ``article.sentences`` must already be set (their canonical names become speaker names).
    Raises ``ValueError`` when ``doc`` is the parse of another text.
    """
    if doc.text != article.text:
        raise ValueError("find_quotes: doc is not the parse of article.text")
    layout = _Layout(doc, article.text)
    spans = quoted_spans(article.text)
    drafts = _drafts(layout, spans, _cues(layout, spans, cue_lexicon()))
    speakers = _Speakers(layout, article, spans)
    for draft in drafts:
        if draft.cue is not None and draft.cue.subject is not None:
            draft.speaker = speakers.resolve(draft.cue.subject)
    _inherit(article.text, drafts)
    return [
        _quote(article.text, draft, speakers.sentence_of(draft.start))
        for draft in drafts
        if draft.cue is not None or _statement(article.text, draft)
    ]


def _quote(text: str, draft: _Draft, sentence: int) -> Quote:
    cue = draft.cue.text if draft.cue is not None and draft.shows_cue else None
    return Quote(
        text=text[draft.start : draft.end],
        start=draft.start,
        end=draft.end,
        kind=draft.kind,
        cue=cue,
        # A copy each: two quotes of one speaker must not share a mutable record.
        speaker=replace(draft.speaker) if draft.speaker is not None else None,
        sentence=sentence,
    )
