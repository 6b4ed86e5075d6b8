"""understand: batches of Articles through one spaCy pipeline, then our components.

After the parse, in order: sentences and entity mentions with canonical names
(``entities.py``), places resolved to GeoNames (``places.py``), actors coded CAMEO-style
(``actors.py``), quotes with speakers (``quotes.py``), events in CAMEO and PLOVER
(``events.py``), then each event's place from its clause, sentence or dateline
(``event_places.py``). Every annotation carries character offsets into ``Article.text`` and the
index of its sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from wirewatch.cores import nlp_processes
from wirewatch.model import Article
from wirewatch.settings import Settings
from wirewatch.understand.actors import ActorCoder
from wirewatch.understand.entities import entities_of, sentences_of
from wirewatch.understand.event_places import place_events
from wirewatch.understand.events import find_events
from wirewatch.understand.nlp import batch_size_for, load_nlp, parse
from wirewatch.understand.petrarch import load_dictionaries, with_dictionary_events
from wirewatch.understand.places import resolve_places
from wirewatch.understand.quotes import find_quotes

__all__ = ["annotate", "annotate_doc"]


def annotate(articles: Sequence[Article], settings: Settings) -> None:
    """Parse the articles in one ``nlp.pipe`` run and annotate each from its parse."""
    if not articles:
        return
    nlp = load_nlp(settings.nlp_model)
    petrarch = load_dictionaries(settings.petrarch_dictionaries)  # None unless set
    pairs = ((article.text, i) for i, article in enumerate(articles))
    # A batch's working memory grows with its characters: cap them as well as the articles.
    lengths = [len(article.text) for article in articles]
    batch_size = batch_size_for(lengths, settings.nlp_batch_size, settings.nlp_batch_chars)
    # spaCy hands whole batches to its processes: more processes than batches only cost forks.
    batches = -(-len(articles) // batch_size)
    processes = min(nlp_processes(settings), batches)
    # Strings spaCy adds to its vocabulary while parsing (every new word, name, number) are
    # freed when the batch is done: a long run, such as the watcher, does not grow with the
    # number of articles it has parsed. Nothing of a parse outlives annotate_doc.
    with nlp.memory_zone():
        for doc, i in parse(nlp, pairs, batch_size=batch_size, processes=processes):
            annotate_doc(doc, articles[i])
            if petrarch is not None:  # PETRARCH dictionaries code first (docs/petrarch.md)
                articles[i].events = with_dictionary_events(doc, articles[i], petrarch)
                place_events(articles[i])  # the dictionaries' events too; placed ones keep theirs


def annotate_doc(doc: Doc, article: Article) -> None:
    """Every annotation of one article from its parse (``doc`` is ``nlp(article.text)``)."""
    article.sentences = sentences_of(doc)
    article.entities = entities_of(doc, article.sentences)
    article.places = resolve_places(doc, article)
    coder = ActorCoder(doc, article)
    article.actors = coder.mentions()
    article.quotes = find_quotes(doc, article)
    article.events = find_events(doc, article, coder, article.places, article.quotes)
    place_events(article)
