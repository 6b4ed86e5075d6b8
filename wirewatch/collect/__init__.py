"""Collect: from the inputs a user names to ``RawDocument``s, or ``Failure``s saying why not.

``iter_documents`` is the entry point; the other names read one kind of input each::

    iter_documents(inputs, settings)   paths, directories, http(s) URLs and "-", in order
    Fetcher(settings).fetch(url)       one page over HTTP, with timeouts, caps and robots.txt
    iter_feed / parse_feed             RSS, Atom and RDF feeds, entry by entry
    iter_warc                          HTML responses archived in a WARC or ARC file
    iter_jsonl / read_bytes            JSONL dumps, and single files (gunzipped if .gz)

Collect knows nothing about articles. A problem with an input is a ``CollectError`` (raised by
the single-document functions) or a yielded ``Failure`` (from the iterators), always with a
stable code and a one-line message; a run goes on with the other inputs.
"""

from wirewatch.collect.feeds import iter_feed, looks_like_feed, parse_feed
from wirewatch.collect.files import iter_jsonl, iter_jsonl_file, read_bytes, read_stream
from wirewatch.collect.http import Fetcher
from wirewatch.collect.inputs import iter_documents
from wirewatch.collect.warc import iter_warc, iter_warc_stream

__all__ = [
    "Fetcher",
    "iter_documents",
    "iter_feed",
    "iter_jsonl",
    "iter_jsonl_file",
    "iter_warc",
    "iter_warc_stream",
    "looks_like_feed",
    "parse_feed",
    "read_bytes",
    "read_stream",
]
