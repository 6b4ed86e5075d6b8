"""Exact copies recorded as sightings without parsing, re-ingest, and a new process's index."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.stories.syndication import COPIES, STORY_LINES, document
from wirewatch.extract import extract
from wirewatch.model import RawDocument
from wirewatch.run.ingest import ingest, ingest_documents
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import story_copies, story_id_of
from wirewatch.stories import assign as assign_module

URL, TITLE, TEXT = COPIES[1]


def ingest_extract(store: Store, docs: list[RawDocument]) -> tuple[int, int, int]:
    summary = ingest_documents(docs, store, Settings(), stages="extract")
    assert not summary.failures
    return summary.added, summary.copies, summary.duplicates


def article_count(store: Store) -> int:
    return int(store.counts()["articles"])


def test_the_same_text_at_another_url_is_a_copy_not_an_article(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        assert ingest_extract(store, [document(URL, TITLE, TEXT)]) == (1, 0, 0)
        mirror = document("https://mirror.example/afp/nato", "NATO in Kiev", TEXT)
        assert ingest_extract(store, [mirror]) == (0, 1, 0)
        assert article_count(store) == 1
        (article_id,) = [r[0] for r in store.connection.execute("SELECT id FROM articles")]
        story = story_id_of(store, article_id)
        assert story == "s-" + article_id
        sightings = story_copies(store, story)
        assert [(c.url, c.relation) for c in sightings] == [
            (URL, "original"),
            ("https://mirror.example/afp/nato", "exact"),
        ]
        exact = sightings[1]
        assert (exact.title, exact.site, exact.headline_differs) == (
            "NATO in Kiev",
            "mirror.example",
            True,
        )
        assert (exact.chars_delta, exact.words_delta, exact.similarity) == (0, 0, 1.0)
        # The same URL again changes nothing, whether it was the article's or the copy's.
        assert ingest_extract(store, [mirror, document(URL, TITLE, TEXT)]) == (0, 0, 2)
        assert len(story_copies(store, story)) == 2


def test_copies_within_one_run_wait_for_their_text_to_be_stored(tmp_path: Path) -> None:
    docs = [document(f"https://site{i}.example/nato", TITLE, TEXT) for i in range(3)]
    with Store.open(tmp_path / "s.db") as store:
        assert ingest_extract(store, [*docs, docs[0]]) == (1, 2, 1)
        (article_id,) = [r[0] for r in store.connection.execute("SELECT id FROM articles")]
        relations = [c.relation for c in story_copies(store, "s-" + article_id)]
        assert relations == ["original", "exact", "exact"]


def test_a_file_read_twice_is_a_duplicate_and_another_file_with_its_text_a_copy(
    tmp_path: Path,
) -> None:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text(TEXT, encoding="utf-8")
    two.write_text(TEXT, encoding="utf-8")
    with Store.open(tmp_path / "s.db") as store:
        first = ingest([str(one)], store, Settings(), stages="extract")
        again = ingest([str(one), str(two)], store, Settings(), stages="extract")
        assert (first.added, again.added, again.duplicates, again.copies) == (1, 0, 1, 1)


def test_an_article_stored_before_stories_gets_one_when_a_copy_arrives(tmp_path: Path) -> None:
    old = extract(document(URL, TITLE, TEXT), Settings())
    with Store.open(tmp_path / "s.db") as store:
        store.add_article(old)  # as a store written before stories existed holds it
        assert story_id_of(store, old.id) is None
        assert ingest_extract(store, [document("https://b.example/x", "X", TEXT)]) == (0, 1, 0)
        assert story_id_of(store, old.id) == "s-" + old.id


def test_a_new_process_finds_copies_from_stored_signatures_without_reading_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        ingest_extract(store, [document(URL, TITLE, TEXT)])
    read: list[str] = []
    real = assign_module.article_text

    def counting(store: Store, article_id: str) -> str | None:
        read.append(article_id)
        return real(store, article_id)

    monkeypatch.setattr(assign_module, "article_text", counting)
    edited = TEXT.replace("have driven ties", "have pushed relations")
    with Store.open(path) as store:
        assert ingest_extract(store, [document("https://c.example/y", "Y", edited)]) == (1, 0, 0)
        rows = store.connection.execute(
            "SELECT relation, copy_of FROM story_articles ORDER BY rowid"
        ).fetchall()
        assert [tuple(r) for r in rows][1][0] == "near"
        assert read == []  # a near copy is found from signatures alone
        half = "\n".join(STORY_LINES[:8])
        assert ingest_extract(store, [document("https://d.example/z", "Z", half)]) == (1, 0, 0)
        relation = store.connection.execute(
            "SELECT relation FROM story_articles ORDER BY rowid DESC LIMIT 1"
        ).fetchone()[0]
        assert relation == "truncated"
        assert read  # containment is verified on the candidate's real text


def band_rows(store: Store) -> int:
    return int(store.connection.execute("SELECT count(*) FROM story_bands").fetchone()[0])


def test_two_processes_on_one_store_find_each_others_copies(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as first, Store.open(path) as second:
        assert ingest_extract(first, [document(URL, TITLE, TEXT)]) == (1, 0, 0)
        assert band_rows(first) == 37  # one row per LSH band, written with the signature
        edited = TEXT.replace("have driven ties", "have pushed relations")
        assert ingest_extract(second, [document("https://c.example/y", "Y", edited)]) == (1, 0, 0)
        relations = [
            row[0]
            for row in second.connection.execute(
                "SELECT relation FROM story_articles ORDER BY rowid"
            )
        ]
        assert relations == ["original", "near"]


def test_band_rows_missing_from_an_older_store_are_filled_once(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        ingest_extract(store, [document(URL, TITLE, TEXT)])
        with store.transaction() as conn:
            conn.execute("DELETE FROM story_bands")  # as a store written before the band table
    edited = TEXT.replace("have driven ties", "have pushed relations")
    with Store.open(path) as store:
        assert ingest_extract(store, [document("https://c.example/y", "Y", edited)]) == (1, 0, 0)
        assert band_rows(store) == 2 * 37
        relation = store.connection.execute(
            "SELECT relation FROM story_articles ORDER BY rowid DESC LIMIT 1"
        ).fetchone()[0]
        assert relation == "near"


def test_texts_outside_the_window_are_not_found_and_their_rows_go(tmp_path: Path) -> None:
    settings = Settings(dedup_index_size=2)
    others = [
        document(f"https://o.example/{i}", f"O{i}", " ".join(f"word{i}x{j}" for j in range(60)))
        for i in range(2)
    ]
    edited = TEXT.replace("have driven ties", "have pushed relations")
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest_documents(
            [document(URL, TITLE, TEXT), *others, document("https://c.example/y", "Y", edited)],
            store,
            settings,
            stages="extract",
        )
        assert summary.added == 4 and not summary.failures
        relations = [
            row[0]
            for row in store.connection.execute(
                "SELECT relation FROM story_articles ORDER BY rowid"
            )
        ]
        assert relations == ["original"] * 4  # the lead fell out of a window of two texts
        oldest = store.connection.execute("SELECT min(signature_seq) FROM story_bands").fetchone()[
            0
        ]
        assert oldest >= 3  # a small window prunes at every signature: rows left with it
