"""Entry identity: GUID, else link, else a hash; feeds that repeat or omit GUIDs."""

from __future__ import annotations

from wirewatch.collect.entries import feed_entries, identity_for
from wirewatch.collect.feeds import parse_feed


def entries_of(items: str) -> list:  # type: ignore[type-arg]
    return list(
        parse_feed(f'<rss version="2.0"><channel>{items}</channel></rss>'.encode(), "f").entries
    )


def test_guid_then_link_then_hash() -> None:
    parsed = entries_of(
        "<item><guid>g1</guid><link>https://e.org/1</link></item>"
        "<item><link>https://e.org/2</link></item>"
        "<item><title>Only a title</title><pubDate>Tue, 01 Jan 2030 10:00:00 GMT</pubDate></item>"
    )
    keys = [entry.key for entry in feed_entries(parsed, "guid")]
    assert keys[:2] == ["guid:g1", "link:https://e.org/2"]
    assert keys[2].startswith("hash:") and len(keys[2]) == 37


def test_a_repeated_guid_with_different_links_switches_the_feed_to_links() -> None:
    parsed = entries_of(
        "<item><guid>same</guid><link>https://e.org/1</link></item>"
        "<item><guid>same</guid><link>https://e.org/2</link></item>"
    )
    assert identity_for(parsed, "guid") == "link"
    assert [e.key for e in feed_entries(parsed, "link")] == [
        "link:https://e.org/1",
        "link:https://e.org/2",
    ]


def test_a_repeated_entry_is_one_entry_and_link_identity_is_sticky() -> None:
    parsed = entries_of(
        "<item><guid>g</guid><link>https://e.org/1</link></item>"
        "<item><guid>g</guid><link>https://e.org/1</link></item>"
    )
    assert identity_for(parsed, "guid") == "guid"
    assert identity_for(parsed, "link") == "link"
    assert len(feed_entries(parsed, "guid")) == 1


def test_entry_dates_are_utc_or_none() -> None:
    parsed = entries_of(
        "<item><guid>a</guid><pubDate>Tue, 01 Jan 2030 12:00:00 +0200</pubDate></item>"
        "<item><guid>b</guid><pubDate>yesterday-ish</pubDate></item>"
    )
    assert [e.published for e in feed_entries(parsed, "guid")] == [
        "2030-01-01T10:00:00+00:00",
        None,
    ]
