"""Copies of one story inside WARC archives become one story, whichever executor stores them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.stories.syndication import COPIES, UNRELATED
from tests.support.warcs import article_archive
from wirewatch.run.archives import ingest_archives
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import list_stories, story_copies


@pytest.mark.parametrize("jobs", [1, 2])
def test_copies_spread_over_two_archives_are_one_story(tmp_path: Path, jobs: int) -> None:
    first = article_archive(tmp_path / "a.warc.gz", [*COPIES[:3], UNRELATED])
    second = article_archive(tmp_path / "b.warc.gz", COPIES[3:])
    with Store.open(tmp_path / "s.db") as store:
        run = ingest_archives(
            [str(first), str(second)], store, Settings(), stages="extract", jobs=jobs
        )
        assert not run.summary.failures
        stories = list_stories(store)
        assert len(stories) == 2
        syndicated = max(stories, key=lambda story: story.copies)
        assert syndicated.copies == len(COPIES)
        assert {copy.url for copy in story_copies(store, syndicated.id)} == {
            url for url, _, _ in COPIES
        }
