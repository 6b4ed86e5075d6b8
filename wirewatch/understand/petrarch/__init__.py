"""PETRARCH/TABARI dictionaries: read them, resolve actors on a date, code events with them.

``load_dictionaries(settings.petrarch_dictionaries)`` reads the files the setting names (once
per process); ``with_dictionary_events`` codes an article's parse with them and combines the
result with wirewatch's own events. Formats, rules and limits: docs/petrarch.md.

Modules: ``lines`` (comments, line numbers), ``phrases`` (dictionary phrases), ``verbs``,
``actors``, ``agents``, ``discards`` (readers), ``dictionaries`` (the setting), ``resolver``
(actor phrases to codes), ``phrase_tokens`` (words and noun phrases of the parse), ``coder``
(patterns matched over the parse), ``events`` (wirewatch ``Event`` records).
"""

from __future__ import annotations

from wirewatch.understand.petrarch.dictionaries import (
    Dictionaries,
    load_dictionaries,
    read_dictionaries,
)
from wirewatch.understand.petrarch.events import with_dictionary_events

__all__ = ["Dictionaries", "load_dictionaries", "read_dictionaries", "with_dictionary_events"]
