"""The run's copy index on Ray (``run/cluster/copies.py``, ``shuffle.py``): a WARC crawl of 180
pages whose near, cut-down, exact and chained copies are spread over five files (five blocks)
gives the same articles, copies and stories as the local executor, on SQLite (the driver
stores in input order) and on PostgreSQL (the workers store, each block after the blocks it
copies from); ``--output`` writes the same copies to ``copies.parquet``.

Stages ``extract``: the copy index and story assignment need no NLP, and the run stays short.
The package's one local Ray cluster (``conftest.py``) runs them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.support.copy_corpus import copy_corpus
from tests.support.warcs import article_archive
from wirewatch.run.archives import ingest_archives
from wirewatch.run.cluster.copies import block_of
from wirewatch.run.cluster.dataset import COPIES_FILE, COPY_SCHEMA
from wirewatch.run.cluster.executor import RayRun, ingest_on_ray, write_on_ray
from wirewatch.run.ingest import IngestSummary, ingest
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.archives import list_archives
from wirewatch.store.split_archives import list_splits
from wirewatch.store.stories import list_stories, membership, story_copies

pytestmark = pytest.mark.timeout(300)
PAGES, PER_FILE = 180, 36  # five blocks, about 60 near or cut-down copies
SPLIT_PAGES = 120  # one WARC file cut into four ranges or more


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("crawl")
    pages = [(p.url, p.title, p.text) for p in copy_corpus(PAGES)]
    return [
        str(article_archive(folder / f"{n}.warc.gz", pages[start : start + PER_FILE]))
        for n, start in enumerate(range(0, PAGES, PER_FILE))
    ]


def _outcome(store: Store, summary: IngestSummary) -> tuple[object, ...]:
    """Every article's story and copy relation, each story's sightings, the counts."""
    members = [membership(store, i) for i in sorted(summary.article_ids)]
    stories = list_stories(store, limit=1000)
    sightings = sorted(
        (story.id, sorted((c.locator, c.relation) for c in story_copies(store, story.id)))
        for story in stories
    )
    return (
        [
            (m.article_id, m.story_id, m.copy_of, m.relation, m.similarity, m.containment)
            for m in members
            if m is not None
        ],
        (summary.added, summary.copies, summary.duplicates, len(summary.failures)),
        sightings,
        store.counts(),
    )


@pytest.fixture(scope="module")
def expected(crawl: list[str], tmp_path_factory: pytest.TempPathFactory) -> tuple[object, ...]:
    db = tmp_path_factory.mktemp("local") / "local.db"
    with Store.open(db) as store:
        return _outcome(store, ingest(crawl, store, Settings(), stages="extract"))


def _copies(outcome: tuple[object, ...]) -> dict[str, tuple[str, str]]:
    """Near and cut-down copies: article -> (its lead, relation)."""
    members = outcome[0]
    assert isinstance(members, list)
    return {m[0]: (m[2], m[3]) for m in members if m[3] in ("near", "truncated")}


def _check_index(run: RayRun, expected: tuple[object, ...]) -> None:
    copies = _copies(expected)
    assert len(copies) > PAGES // 5
    assert run.copies.copies == len(copies)  # every copy the store made, the index found
    assert run.copies.bytes == 16 * run.copies.rows > 0
    assert run.copies.partitions == 2
    crossing = [
        i for i in copies if block_of(run.plan.first[i]) != block_of(run.plan.first[copies[i][0]])
    ]
    assert len(crossing) > len(copies) // 2  # most copies are in another block than their lead
    assert all(p.rss > 50_000_000 for p in run.peaks.values())  # a Python worker's peak, bytes
    assert "peak memory per worker (MB)" in run.report()


def test_copies_across_blocks_are_the_local_executor_s(
    ray_cluster: int, crawl: list[str], expected: tuple[object, ...], store_target: str
) -> None:
    with Store.open(store_target) as store:
        run = ingest_on_ray(crawl, store, store_target, Settings(), stages="extract")
        assert _outcome(store, run.summary) == expected
    _check_index(run, expected)
    assert {kind for kind, _ in run.peaks} >= {"extract"}


def test_the_dataset_s_copies_are_the_local_executor_s(
    ray_cluster: int, crawl: list[str], expected: tuple[object, ...], tmp_path: Path
) -> None:
    out = tmp_path / "dataset"
    run = write_on_ray(crawl, out, Settings(), stages="extract")
    _check_index(run, expected)
    table = pq.read_table(out / COPIES_FILE)
    assert table.schema == COPY_SCHEMA
    rows = table.to_pylist()
    assert {r["article_id"]: (r["copy_of"], r["relation"]) for r in rows} == _copies(expected)
    assert all(r["copy_group"] == run.plan.groups[r["copy_of"]] for r in rows)
    assert {kind for kind, _ in run.peaks} == {"extract", "nlp"}


class _Stopped(Exception):
    """Raised from the progress callback: the run stops midway, as a killed one does."""


def _held(store: Store) -> tuple[object, ...]:
    """Every stored article's story and copy relation, the stories' sightings, the counts,
    whatever the runs that stored them."""
    ids = sorted(article.id for article in store.iter_articles())
    found = _outcome(store, IngestSummary(article_ids=ids))
    return (found[0], *found[2:])


def test_one_warc_split_into_record_ranges_is_read_as_the_whole_and_goes_on(
    ray_cluster: int, tmp_path: Path
) -> None:
    pages = [(p.url, p.title, p.text) for p in copy_corpus(SPLIT_PAGES)]
    whole = str(article_archive(tmp_path / "all.warc.gz", pages))
    size = Path(whole).stat().st_size
    settings = Settings(ray_block_bytes=size // 4, ray_spill_dir=str(tmp_path))
    with Store.open(tmp_path / "local.db") as store:
        expected = _outcome(store, ingest([whole], store, Settings(), stages="extract"))
        expected_held = _held(store)
    db = str(tmp_path / "ray.db")
    with Store.open(db) as store:
        run = ingest_on_ray([whole], store, db, settings, stages="extract")
        assert run.blocks >= 4  # one WARC file, four ranges or more, each a block
        assert _outcome(store, run.summary) == expected
        (split,) = list_splits(store)  # its ranges' counts: the whole file's
        assert (split.state, split.ranges, split.ranges_done) == ("done", run.blocks, run.blocks)
        assert (split.articles, split.copies, split.duplicates, split.failures) == expected[1]
    assert len({block_of(order) for order in run.plan.first.values()}) >= 3  # copies across

    first = tmp_path / "first.db"

    def stop_after_the_first_block(_: IngestSummary) -> None:
        if not list(tmp_path.glob("wirewatch-ray-*/block-000000.pickle")):
            raise _Stopped  # block 0 stored (its file removed): stop inside block 1

    with Store.open(first) as store:
        with pytest.raises(_Stopped):
            ingest_on_ray(
                [whole], store, str(first), settings, stages="extract",
                on_progress=stop_after_the_first_block,
            )  # fmt: skip
        (stopped,) = list_splits(store)  # what `wirewatch archives` lists
        assert (stopped.state, stopped.ranges, stopped.ranges_done) == ("running", run.blocks, 1)
    # The stopped run's store, for a local run to go on with (below).
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{first}{suffix}").exists():
            shutil.copyfile(f"{first}{suffix}", f"{tmp_path / 'local-goes-on.db'}{suffix}")
    with Store.open(first) as store:
        again = ingest_on_ray([whole], store, str(first), settings, stages="extract")
        assert again.skipped_blocks == 1 and again.blocks == run.blocks - 1
        assert _held(store) == expected_held
        (split,) = list_splits(store)
        assert (split.state, split.ranges_done) == ("done", run.blocks)
        # A copy recorded with an earlier range's articles (its text was stored there) is
        # counted again, as a duplicate, by the range that holds it when that range is read
        # again: only the articles and failures add up to one run's across a stop.
        assert (split.articles, split.failures) == (len(expected_held[0]), 0)
        done = ingest_on_ray([whole], store, str(first), settings, stages="extract")
        assert (done.blocks, done.skipped_blocks) == (0, run.blocks)
        assert done.skipped == [
            f"{whole}: already ingested (done: {run.blocks} record ranges, "
            f"{split.articles} articles, 0 failures); skipped, --again to redo"
        ]
        assert _held(store) == expected_held

    # A local run (`wirewatch ingest` or `archives` without Ray) goes on with the ranges the
    # Ray run did not finish, each stored with its marker, and stores what the whole run
    # stores; the first range's texts are not read again (not counted as duplicates).
    with Store.open(tmp_path / "local-goes-on.db") as store:
        local = ingest_archives([whole], store, Settings(), stages="extract")
        assert local.skipped == [
            f"{whole}: 1 of {run.blocks} record ranges already stored by a Ray run, skipped; "
            f"reading the other {run.blocks - 1}"
        ]
        assert _held(store) == expected_held
        assert list_archives(store) == []  # still the split file, not a new archive
        (split,) = list_splits(store)
        assert (split.state, split.ranges_done) == ("done", run.blocks)
        assert (split.articles, split.failures) == (len(expected_held[0]), 0)
        total = (local.summary.added + stopped.articles, len(local.summary.failures))
        assert total == (len(expected_held[0]), 0)
        # It counts what the Ray run that went on counted: the copies the first range
        # recorded are met again as duplicates (as above), nothing of the first range is.
        counts = (local.summary.added, local.summary.copies, local.summary.duplicates)
        assert counts == (again.summary.added, again.summary.copies, again.summary.duplicates)
        assert local.summary.duplicates <= stopped.copies
