"""The ingest endpoint's work: fetch one URL (a page or a feed) and store what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wirewatch.collect.http import Fetcher
from wirewatch.run.ingest import ingest
from wirewatch.serialize import failure_to_dict
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.web.outbound import check_url


def ingest_url(db: str | Path, settings: Settings, url: str) -> dict[str, Any]:
    """Run ``url`` through the whole pipeline into the store at ``db``.

    ``UsageError`` before anything is fetched for a URL that is not http(s) or, unless
    ``web_allow_private_urls`` is set, whose host the fetch policy refuses. The URL came in
    a request, so it is data: unless ``web_allow_private_urls`` is set the Fetcher trusts
    nothing, and every connection it opens (the URL's own, robots.txt, each redirect, a
    feed's entries) is checked after DNS; a refused one is stored as a failure
    (``url_not_allowed``, ``redirect_not_allowed``) like any other.
    """
    checked = str(check_url(url, settings))
    trust = settings.web_allow_private_urls
    with Fetcher(settings, trust_named=trust) as fetcher, Store.open(db) as store:
        summary = ingest([checked], store, settings, stages="all", fetcher=fetcher)
    return {
        "url": checked,
        "added": summary.article_ids,
        "duplicates": summary.duplicates,
        "failures": [failure_to_dict(failure) for failure in summary.failures],
    }
