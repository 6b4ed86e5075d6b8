"""The story-level record tables: each distinct event (quote) of a story once, with its
mentions and GDELT-style counts. SQL only; deciding which mentions are one record is
``wirewatch.stories.records``.

Every listing, count and export that counts events or quotes "once" leaves out the mentions
that are not their record's representative (``EVENT_ONCE``, ``QUOTE_ONCE``); an event of an
article without a story has no mention row and is a record of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wirewatch.store.records import record_id
from wirewatch.store.store import Store


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One story-level record: its representative mention, every mention, and the counts."""

    article_id: str
    index: int
    mentions: Sequence[tuple[str, int]]  # (article id, index), the representative first
    num_mentions: int
    num_articles: int
    num_sources: int
    kind: str = "event"  # or "quote"

    @property
    def id(self) -> int:
        return record_id(self.article_id, self.index, self.kind)


def write_story_records(
    store: Store, story_id: str, events: Sequence[RecordRow], quotes: Sequence[RecordRow]
) -> None:
    """Replace the story's event and quote records with these, in one transaction."""
    with store.transaction() as conn:
        for kind, records in (("event", events), ("quote", quotes)):
            table, mentions = f"story_{kind}s", f"story_{kind}_mentions"
            conn.execute(
                f"DELETE FROM {mentions} WHERE record_id IN "
                f"(SELECT id FROM {table} WHERE story_id = ?)",
                (story_id,),
            )
            conn.execute(f"DELETE FROM {table} WHERE story_id = ?", (story_id,))
            conn.executemany(
                f"INSERT INTO {table} (id, story_id, article_id, idx, num_mentions, "
                "num_articles, num_sources) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.id,
                        story_id,
                        r.article_id,
                        r.index,
                        r.num_mentions,
                        r.num_articles,
                        r.num_sources,
                    )
                    for r in records
                ],
            )
            # A mention can move to another record when the story gains a member, so its old
            # row (of this story) was deleted above; ON CONFLICT guards a mention that another
            # story's refresh holds (an article belongs to one story, so it should not happen).
            conn.executemany(
                f"INSERT INTO {mentions} (article_id, idx, record_id, representative) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (article_id, idx) DO UPDATE SET "
                "record_id = excluded.record_id, representative = excluded.representative",
                [
                    (article_id, index, r.id, int(n == 0))
                    for r in records
                    for n, (article_id, index) in enumerate(r.mentions)
                ],
            )


def stories_without_records(store: Store, limit: int = 500) -> list[str]:
    """Stories with events or quotes but no records (stored before records existed)."""
    return [
        row[0]
        for row in store.connection.execute(
            """SELECT DISTINCT sa.story_id FROM story_articles AS sa
            WHERE (EXISTS (SELECT 1 FROM events AS e WHERE e.article_id = sa.article_id)
                   AND NOT EXISTS (SELECT 1 FROM story_events AS r
                                   WHERE r.story_id = sa.story_id))
               OR (EXISTS (SELECT 1 FROM quotes AS q WHERE q.article_id = sa.article_id)
                   AND NOT EXISTS (SELECT 1 FROM story_quotes AS r
                                   WHERE r.story_id = sa.story_id))
            LIMIT ?""",
            (limit,),
        )
    ]
