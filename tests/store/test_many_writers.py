"""Several processes ingesting into one store at once, each text arriving in every process
at the same moment: nothing lost, nothing stored twice, one story per text, its copies all
recorded, no failure. On SQLite (one writer at a time) and on PostgreSQL (many)."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

from tests.store.writers import STORIES, report_to, write_folder
from wirewatch.model import Article
from wirewatch.settings import Settings
from wirewatch.store import AddResult, Store
from wirewatch.stories.assign import StoryAssigner

WRITERS = 4


def test_writers_storing_the_same_texts_at_once_lose_and_repeat_nothing(
    store_target: str, tmp_path: Path
) -> None:
    Store.open(store_target).close()  # created and migrated before the writers start
    folders = []
    for writer in range(WRITERS):
        folder = tmp_path / f"writer{writer}"
        write_folder(folder, writer)
        folders.append(str(folder))
    # Processes of their own (not a pool's daemons: ingest starts its extraction workers).
    context = multiprocessing.get_context("spawn")
    queue, start = context.Queue(), context.Barrier(WRITERS)
    writers = [
        context.Process(target=report_to, args=(queue, store_target, folder, start))
        for folder in folders
    ]
    for writer in writers:
        writer.start()
    reports = [queue.get(timeout=240) for _ in writers]
    for writer in writers:
        writer.join(timeout=60)
        assert writer.exitcode == 0

    assert sum(r["failures"] for r in reports) == 0
    assert sum(r["added"] for r in reports) == len(STORIES)
    # Every other arrival of a text is a copy of the stored one, at its own path.
    assert sum(r["copies"] for r in reports) == len(STORIES) * (WRITERS - 1)
    with Store.open(store_target) as store:
        conn = store.connection
        assert store.counts()["articles"] == len(STORIES)
        assert store.counts()["failures"] == 0
        assert conn.execute("SELECT count(*) FROM stories").fetchone()[0] == len(STORIES)
        per_story = conn.execute(
            "SELECT story_id, count(*) FROM story_copies GROUP BY story_id"
        ).fetchall()
        assert sorted(row[1] for row in per_story) == [WRITERS] * len(STORIES)
        seqs = [row[0] for row in conn.execute("SELECT seq FROM articles ORDER BY seq")]
        assert len(set(seqs)) == len(STORIES)


ROUNDS = len(STORIES)  # one story each: two rounds of one story would be copies


def test_copies_added_at_the_same_moment_are_one_article_and_one_story(
    store_target: str,
) -> None:
    """Each round, every writer (a thread with its own connection, as a process would have)
    adds the same text at once, and a variant of it with a line of its own: the text is
    stored once, the variants are near copies, and all of them join one story."""
    Store.open(store_target).close()
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            with Store.open(store_target, busy_timeout=60) as store:
                stories = StoryAssigner(store, Settings())
                for number in range(ROUNDS):
                    text = STORIES[number % len(STORIES)] + f" Round {number}."
                    same = Article(
                        text=text, source="test", url=f"https://w{writer}.example/{number}"
                    )
                    variant = Article(
                        text=text + f" Writer {writer} adds a line of its own.", source="test"
                    )
                    start.wait(timeout=60)
                    for article in (same, variant):
                        if store.add_article(article) is AddResult.ADDED:
                            stories.assign(article)
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
            start.abort()

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    with Store.open(store_target) as store:
        conn = store.connection
        # One row per distinct text: the round's text once, each writer's variant once.
        assert store.counts()["articles"] == ROUNDS * (1 + WRITERS)
        assert conn.execute("SELECT count(*) FROM stories").fetchone()[0] == ROUNDS
        assert conn.execute("SELECT count(*) FROM story_articles").fetchone()[0] == ROUNDS * (
            1 + WRITERS
        )
