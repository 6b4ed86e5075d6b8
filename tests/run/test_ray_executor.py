"""``ingest --executor ray`` stores what the local executor stores: the same articles, copies
and stories, with copies spread over blocks (WARC files, runs of directory files), on SQLite
(the driver writes) and on PostgreSQL (the workers write).

One local Ray cluster (127.0.0.1, 2 CPUs) is started for the module by the executor's own
session code and stopped after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.stories.syndication import COPIES, UNRELATED
from tests.support.warcs import article_archive, article_page
from wirewatch.cli import main
from wirewatch.errors import UsageError
from wirewatch.run.cluster.blocks import split_inputs
from wirewatch.run.cluster.executor import ingest_on_ray
from wirewatch.run.cluster.session import ray_session
from wirewatch.run.ingest import IngestSummary, ingest
from wirewatch.run.local import StageChoice
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.stories import list_stories, story_copies

pytestmark = pytest.mark.timeout(120)

OTHER = ("https://elsewhere.example/reprint", UNRELATED[1], UNRELATED[2])


def _archive(path: Path, pages: list[tuple[str, str, str]]) -> str:
    return str(article_archive(path, pages))


def _exact(page: tuple[str, str, str], url: str) -> tuple[str, str, str]:
    """The same text at another URL: an exact copy."""
    return (url, page[1], page[2])


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[int]:
    with ray_session(cpus=2) as cpus:
        yield cpus


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Three WARC files (three blocks), each with copies of texts in the others."""
    folder = tmp_path_factory.mktemp("warcs")
    return [
        _archive(folder / "a.warc.gz", [COPIES[0], UNRELATED, COPIES[1]]),
        _archive(
            folder / "b.warc.gz",
            [COPIES[2], _exact(COPIES[0], "https://mirror.example/a"), OTHER, COPIES[3]],
        ),
        _archive(
            folder / "c.warc.gz",
            [COPIES[4], _exact(COPIES[1], "https://mirror.example/b"), UNRELATED],
        ),
    ]


def _outcome(store: Store, summary: IngestSummary) -> tuple[object, ...]:
    stories = list_stories(store, limit=1000)
    copies = sorted(len(story_copies(store, story.id)) for story in stories)
    return (
        sorted(summary.article_ids),
        summary.added,
        summary.copies,
        summary.duplicates,
        len(summary.failures),
        len(stories),
        copies,
        store.counts(),
    )


def _compare(
    inputs: list[str], local_db: str, ray_db: str, stages: StageChoice = "all", **options: int
) -> None:
    settings = Settings()
    with Store.open(local_db) as store:
        expected = _outcome(store, ingest(inputs, store, settings, stages=stages))
    with Store.open(ray_db) as store:
        summary = ingest_on_ray(inputs, store, ray_db, settings, stages=stages, **options)
        got = _outcome(store, summary)
    assert got == expected
    assert expected[2] >= 2  # the copies were found across blocks, not only inside one


def test_warcs_on_sqlite_match_the_local_executor(
    ray_cluster: int, archives: list[str], tmp_path: Path
) -> None:
    _compare(archives, str(tmp_path / "local.db"), str(tmp_path / "ray.db"))


def test_warcs_on_postgresql_match_the_local_executor(
    ray_cluster: int, archives: list[str], postgres_url: str, tmp_path: Path
) -> None:
    # The workers write to PostgreSQL themselves, each block from its own actor.
    _compare(archives, str(tmp_path / "local.db"), postgres_url)


def test_a_directory_split_into_blocks_matches_the_local_executor(
    ray_cluster: int, tmp_path: Path
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    texts = [COPIES[0], COPIES[2], UNRELATED, COPIES[0], UNRELATED, COPIES[2], COPIES[3]]
    for number, (_, title, text) in enumerate(texts):
        (pages / f"{number:02d}.html").write_bytes(article_page(title, text))
    (pages / ".hidden.html").write_bytes(article_page("hidden", "not read"))
    assert split_inputs([str(pages)], files_per_block=2) == [
        (str(pages / "00.html"), str(pages / "01.html")),
        (str(pages / "02.html"), str(pages / "03.html")),
        (str(pages / "04.html"), str(pages / "05.html")),
        (str(pages / "06.html"),),
    ]
    _compare([str(pages)], str(tmp_path / "local.db"), str(tmp_path / "ray.db"), files_per_block=2)


def test_a_model_not_installed_stops_the_run(
    ray_cluster: int, archives: list[str], tmp_path: Path
) -> None:
    settings = Settings(nlp_model="en_no_such_model")
    target = str(tmp_path / "ray.db")
    with Store.open(target) as store, pytest.raises(UsageError, match="en_no_such_model"):
        ingest_on_ray(archives[:1], store, target, settings, stages="all")


def test_the_command_refuses_what_ray_cannot_run(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    alone = runner.invoke(main, ["--db", db, "ingest", "--ray-address", "auto", "x.html"])
    assert alone.exit_code == 2
    assert "--ray-address needs --executor ray" in alone.output
    stdin = runner.invoke(main, ["--db", db, "ingest", "--executor", "ray", "-"], input="x")
    assert stdin.exit_code == 2
    assert "not stdin" in stdin.output
