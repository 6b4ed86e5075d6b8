"""A story is named by its copies' best headline; its original is the earliest dated copy; an
undated copy never stretches its span; stores written before are renamed by migration 12."""

from __future__ import annotations

from pathlib import Path

from wirewatch.headlines import Headline, best_headline, display_title, fallback_title
from wirewatch.run.ingest import ingest
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import story_summary
from wirewatch.stories.view import relation_label, story_view

SAMPLES = Path(__file__).parents[2] / "samples"
SEED_STORY = "s-f2dfca0c27519a6f"  # the undated blog repost, stored before the agency copies
AGENCY_HEADLINE = "Stoltenberg in Kiev: NATO stands by Ukraine against Russia"


def test_fallback_title_is_the_first_sentence_without_syndication() -> None:
    text = (
        "By Oleksandr SAVOCHENKO\nKIEV (AFP) - NATO chief Jens Stoltenberg pledged support "
        "for Ukraine. More than 10,000 people have been killed."
    )
    assert fallback_title(text) == "NATO chief Jens Stoltenberg pledged support for Ukraine"
    long = "Floods " + "and rain " * 8 + "hit the town, forcing " + "many " * 20 + "to flee."
    cut = fallback_title(long)
    assert cut is not None and cut.endswith("…") and len(cut) <= 101
    assert cut == long[: long.index(", forcing")] + "…"  # at the clause break, not mid-clause
    assert fallback_title("") is None and fallback_title("  \n ") is None
    assert display_title("  Real   headline ", "Body.") == "Real headline"
    assert display_title(None, "Body text here.") == "Body text here"


def test_best_headline_prefers_the_earliest_dated_copy_then_the_most_common() -> None:
    copies = [
        Headline(None, None),
        Headline("Blog: NATO is here", None),
        Headline("Later copy", "2017-07-11T08:00:00Z"),
        Headline("Agency copy", "2017-07-10"),
        Headline("Same day, seen later", "2017-07-10T00:00:00+00:00"),
    ]
    assert best_headline(copies) == "Agency copy"
    undated = [Headline("A", None), Headline("B", "July 2017"), Headline("B", None)]
    assert best_headline(undated) == "B"  # no ISO date: the headline most copies ran
    assert best_headline([Headline("A", None), Headline("B", None)]) == "A"  # tie: seen first
    assert best_headline([Headline(None, "2017-07-10"), Headline(" ", None)]) is None


def _ingest_seed_copies(target: str) -> None:
    with Store.open(target) as store:
        inputs = [
            str(SAMPLES / "afp-nato-ukraine-blog-repost.txt"),
            str(SAMPLES / "afp-nato-ukraine-copies.jsonl"),
        ]
        summary = ingest(inputs, store, Settings(), stages="extract")
        assert not summary.failures


def test_story_named_by_its_copies_and_spanned_by_dated_ones(store_target: str) -> None:
    _ingest_seed_copies(store_target)
    with Store.open(store_target) as store:
        view = story_view(store, SEED_STORY)
    assert view is not None
    assert view.summary.title == AGENCY_HEADLINE
    # The repost was ingested today and has no date: it does not stretch the 2017 story.
    assert view.summary.first_at == view.summary.last_at == "2017-07-10T00:00:00+00:00"
    labels = {c.site or c.locator: relation_label(c, view.original) for c in view.copies}
    repost = next(copy for copy in view.copies if copy.published is None)
    assert labels[repost.site or repost.locator] == "first stored"
    assert labels["wirenews.example"] == "original; near"
    assert sorted(labels.values()).count("original; near") == 1


def test_migration_12_renames_stories_of_an_older_store(store_target: str) -> None:
    _ingest_seed_copies(store_target)
    # As wirewatch wrote the story before migration 12:
    with Store.open(store_target) as store, store.transaction() as conn:
        conn.execute(
            "UPDATE stories SET title = ?, last_at = ? WHERE id = ?",
            ("NATO chief Jens Stoltenberg pledged support for…", "2026-12-07T07:11:48+00:00",
             SEED_STORY),
        )  # fmt: skip
        conn.execute("DROP INDEX stories_latest")
        conn.execute("CREATE INDEX stories_last_at ON stories(last_at)")
        # A store of version 11: the migrations after 12 undone too (13 adds the blocks table,
        # 14 the split_archives table).
        conn.execute("DROP TABLE blocks")
        conn.execute("DROP TABLE split_archives")
        conn.execute("DELETE FROM schema_migrations WHERE version >= 12")
    with Store.open(store_target) as store:  # opening a store applies what it lacks
        summary = story_summary(store, SEED_STORY)
        applied = store.connection.execute(
            "SELECT count(*) FROM schema_migrations WHERE version = 12"
        ).fetchone()[0]
    assert applied == 1
    assert summary is not None and summary.title == AGENCY_HEADLINE
    assert summary.last_at == "2017-07-10T00:00:00+00:00"


def test_undated_story_has_no_span_and_a_fallback_title(tmp_path: Path) -> None:
    db = tmp_path / "one.db"
    with Store.open(db) as store:
        ingest([str(SAMPLES / "crlf_story.txt")], store, Settings(), stages="extract")
        found = store.connection.execute("SELECT id FROM stories").fetchall()
        summary = story_summary(store, str(found[0][0]))
    assert summary is not None
    assert (summary.first_at, summary.last_at) == (None, None)  # unknown stays unknown
    assert summary.title == fallback_title((SAMPLES / "crlf_story.txt").read_text("utf-8"))
