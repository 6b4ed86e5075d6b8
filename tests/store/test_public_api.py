"""The store's public surface is what ``wirewatch.store.__all__`` says, and nothing is missing."""

from __future__ import annotations

import wirewatch.store


def test_all_names_the_public_api() -> None:
    assert sorted(wirewatch.store.__all__) == [
        "AddResult",
        "SearchHit",
        "Store",
        "StoredEvent",
        "StoredQuote",
        "export_articles",
        "export_records",
    ]
    for name in wirewatch.store.__all__:
        assert getattr(wirewatch.store, name).__doc__
