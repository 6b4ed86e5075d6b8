"""Exports: JSON Lines reads back into equal articles; CSV survives a round trip."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.store.builders import nato_article, short_article
from wirewatch.errors import UsageError
from wirewatch.model import Article
from wirewatch.serialize import article_from_dict
from wirewatch.store import Store, export_articles
from wirewatch.store.export import CSV_COLUMNS

AWKWARD_TEXT = (
    'Peskov said: "It will not contribute to stability",\nand added, "we\'ll see";\r\n'
    "Київ, 10 July — 29-member bloc."
)


@pytest.fixture
def articles(store: Store) -> list[Article]:
    added = [nato_article(), short_article(AWKWARD_TEXT, title='The "Kremlin" view, again')]
    store.add_articles(added)
    return added


def test_jsonl_has_one_article_per_line_that_reads_back_equal(
    store: Store, articles: list[Article]
) -> None:
    out = io.StringIO()
    assert export_articles(store, "jsonl", out) == 2

    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "Київ" in lines[1]  # non-ASCII kept as it is, not \u-escaped
    assert [article_from_dict(json.loads(line)) for line in lines] == articles


def test_csv_round_trips_through_csv_reader(store: Store, articles: list[Article]) -> None:
    out = io.StringIO(newline="")
    assert export_articles(store, "csv", out) == 2

    table = list(csv.reader(io.StringIO(out.getvalue(), newline="")))

    assert table[0] == list(CSV_COLUMNS)
    nato = dict(zip(CSV_COLUMNS, table[1], strict=True))
    assert nato["id"] == articles[0].id
    assert nato["site"] == "Space War"
    assert nato["word_count"] == str(articles[0].word_count)
    assert nato["dropped_count"] == "3"
    # People, organisations and places by canonical name, once each, in order of mention;
    # DATE and LOC mentions are left out, "Kiev" is listed under its canonical name.
    assert nato["entities"] == "NATO; Jens Stoltenberg; Ukraine; Kyiv; Russia; Dmitry Peskov"
    assert nato["text"] == articles[0].text
    awkward = dict(zip(CSV_COLUMNS, table[2], strict=True))
    assert awkward["text"] == AWKWARD_TEXT
    assert awkward["title"] == 'The "Kremlin" view, again'
    assert awkward["url"] == awkward["author"] == awkward["entities"] == ""


def test_an_empty_store_exports_only_a_header(store: Store) -> None:
    out = io.StringIO()
    assert export_articles(store, "csv", out) == 0
    assert out.getvalue() == ",".join(CSV_COLUMNS) + "\r\n"


def test_an_unknown_format_is_a_usage_error(store: Store) -> None:
    with pytest.raises(UsageError, match="unknown export format 'xml'"):
        export_articles(store, "xml", io.StringIO())  # type: ignore[arg-type]
