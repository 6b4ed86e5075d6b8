"""``ingest --executor ray`` stores what the local executor stores: the same articles, copies
and stories, with copies spread over blocks (WARC files, runs of directory files), on SQLite
(the driver writes) and on PostgreSQL (the workers write).

The package's one local Ray cluster (``conftest.py``) runs them. A run costs most in its
actors' start and spaCy models, so each local executor's reference is computed once for the
tests that compare with it, a dataset is written once and loaded into both backends, and
runs whose subject is not the NLP (blocks of a directory, the commands' options) run
``--stages extract``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import ray
from click.testing import CliRunner

from tests.stories.syndication import COPIES, SAME_EVENT, UNRELATED
from tests.support.warcs import article_archive, article_page
from wirewatch.cli import main
from wirewatch.errors import StoreError, UsageError
from wirewatch.run.cluster.blocks import split_inputs
from wirewatch.run.cluster.dataset import SCHEMA, block_files
from wirewatch.run.cluster.executor import RayRun, ingest_on_ray, write_on_ray
from wirewatch.run.cluster.remote import is_remote_file
from wirewatch.run.ingest import IngestSummary, ingest
from wirewatch.run.load import load_dataset
from wirewatch.run.local import StageChoice
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.archives import list_archives
from wirewatch.store.stories import list_stories, story_copies
from wirewatch.stories.assign import copy_rules

pytestmark = pytest.mark.timeout(300)

OTHER = ("https://elsewhere.example/reprint", UNRELATED[1], UNRELATED[2])


def _archive(path: Path, pages: list[tuple[str, str, str]]) -> str:
    return str(article_archive(path, pages))


def _exact(page: tuple[str, str, str], url: str) -> tuple[str, str, str]:
    """The same text at another URL: an exact copy."""
    return (url, page[1], page[2])


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


def _local(inputs: list[str], db: Path, stages: StageChoice = "all") -> tuple[object, ...]:
    """What the local executor stores from ``inputs``."""
    with Store.open(db) as store:
        return _outcome(store, ingest(inputs, store, Settings(), stages=stages))


def _compare(
    inputs: list[str], expected: tuple[object, ...], ray_db: str, stages: StageChoice = "all",
    **options: int,
) -> RayRun:  # fmt: skip
    with Store.open(ray_db) as store:
        run = ingest_on_ray(inputs, store, ray_db, Settings(), stages=stages, **options)
        got = _outcome(store, run.summary)
    assert got == expected
    assert expected[2] >= 2  # the copies were found across blocks, not only inside one
    return run


@pytest.fixture(scope="module")
def archives_expected(
    archives: list[str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[object, ...]:
    """The local executor's outcome for ``archives``, every stage: both backends compare."""
    return _local(archives, tmp_path_factory.mktemp("local") / "local.db")


def test_warcs_on_sqlite_match_the_local_executor(
    ray_cluster: int, archives: list[str], archives_expected: tuple[object, ...], tmp_path: Path
) -> None:
    # The cluster declares one GPU: one of the two actors is placed with it (Ray makes device
    # 0 visible to it), asks spaCy for it, finds none usable and parses on the CPU, and
    # the run says so. Both actors parse (three blocks, handed out in turn).
    assert ray.cluster_resources().get("GPU") == 1
    run = _compare(archives, archives_expected, str(tmp_path / "ray.db"))
    (gpu,) = [device for device in run.devices if device.gpus > 0]
    (cpu,) = [device for device in run.devices if device.gpus == 0]
    assert (gpu.gpus, gpu.visible, gpu.on_gpu) == (1.0, "0", False)
    assert cpu.on_gpu is False and cpu.pid != gpu.pid
    assert run.report().splitlines()[-1] == (
        "ray: GPUs: 1 of 2 NLP actor(s) placed with 1 GPU each (CUDA_VISIBLE_DEVICES 0); "
        "spaCy parsed on a GPU in 0, on the CPU in 1 (spacy.prefer_gpu found no usable GPU "
        "there: no cupy or no device)"
    )


def test_a_gpu_required_where_spacy_cannot_use_one_stops_the_run(
    ray_cluster: int, archives: list[str], tmp_path: Path
) -> None:
    settings = Settings(ray_gpu_required=True)
    target = str(tmp_path / "ray.db")
    with Store.open(target) as store, pytest.raises(UsageError, match="GPU was required"):
        ingest_on_ray(archives[:1], store, target, settings, stages="all", workers=1)


def test_warcs_on_postgresql_match_the_local_executor(
    ray_cluster: int, archives: list[str], archives_expected: tuple[object, ...], postgres_url: str
) -> None:
    # The workers write to PostgreSQL themselves, each block from its own actor.
    _compare(archives, archives_expected, postgres_url)


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
    # Stages extract: the subject is the blocks (and copies across them), not the NLP, which
    # the WARC tests above run on every stage.
    expected = _local([str(pages)], tmp_path / "local.db", stages="extract")
    _compare([str(pages)], expected, str(tmp_path / "ray.db"), "extract", files_per_block=2)


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


def _stored(store: Store) -> tuple[object, ...]:
    """What the store holds, whatever the runs that filled it: article ids, row counts,
    stories and the sizes of their copy lists."""
    stories = list_stories(store, limit=1000)
    copies = sorted(len(story_copies(store, story.id)) for story in stories)
    ids = sorted(article.id for article in store.iter_articles())
    return (ids, store.counts(), len(stories), copies)


@pytest.fixture(scope="module")
def many_archives(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Six WARC files (six blocks) with exact and near copies spread over them, and a page
    with no text (a failure) in one."""
    folder = tmp_path_factory.mktemp("many")
    pages: list[list[tuple[str, str, str]]] = [
        [COPIES[0], UNRELATED],
        [_exact(COPIES[0], "https://mirror.example/1"), SAME_EVENT],
        [COPIES[1], ("https://empty.example/x", "Nothing", "")],
        [COPIES[2], _exact(UNRELATED, "https://mirror.example/2")],
        [COPIES[3], OTHER],
        [COPIES[4], _exact(COPIES[1], "https://mirror.example/3")],
    ]
    return [_archive(folder / f"{n}.warc.gz", block) for n, block in enumerate(pages)]


def _wait_for_done(db: Path, process: subprocess.Popen[bytes], at_least: int) -> int:
    """How many archives the store says are done once ``at_least`` are (or the run ended)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if db.exists():
            try:
                with Store.open(str(db)) as store:
                    done = sum(row.state == "done" for row in list_archives(store))
            except (StoreError, sqlite3.Error):
                done = 0  # still being created
            if done >= at_least or process.poll() is not None:
                return done
        time.sleep(0.05)
    raise AssertionError("the run marked no block done in 90 s")


@pytest.fixture(scope="module")
def many_expected(many_archives: list[str], tmp_path_factory: pytest.TempPathFactory) -> object:
    """What the local executor stores from ``many_archives``."""
    with Store.open(tmp_path_factory.mktemp("local") / "local.db") as store:
        ingest(many_archives, store, Settings(), stages="all")
        return _stored(store)


def test_a_run_killed_midway_goes_on_with_the_blocks_not_done(
    ray_cluster: int, many_archives: list[str], many_expected: object, tmp_path: Path
) -> None:
    expected = many_expected
    db = tmp_path / "ray.db"
    address = ray.get_runtime_context().gcs_address
    wirewatch = str(Path(sys.executable).with_name("wirewatch"))
    command = [wirewatch, "--db", str(db), "-q", "ingest", "--executor", "ray",
               "--ray-address", address, "--jobs", "1", *many_archives]  # fmt: skip
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        done = _wait_for_done(db, process, at_least=1)
        assert process.poll() is None, "the run ended before it could be killed"
        process.kill()  # SIGKILL: no clean-up at all
    finally:
        process.wait(timeout=30)
    with Store.open(db) as store:
        states = [row.state for row in list_archives(store)]
        assert states.count("done") >= done >= 1
        assert "running" in states  # killed midway: some blocks were not done
        run = ingest_on_ray(many_archives, store, str(db), Settings(), workers=1)
        assert run.skipped_blocks == states.count("done")
        assert run.blocks == len(many_archives) - run.skipped_blocks
        assert [row.state for row in list_archives(store)] == ["done"] * len(many_archives)
        assert _stored(store) == expected
        again = ingest_on_ray(many_archives, store, str(db), Settings(), workers=1)
        assert (again.blocks, again.skipped_blocks) == (0, len(many_archives))
        assert _stored(store) == expected


def test_extracted_blocks_wait_in_spill_files_removed_as_each_block_is_stored(
    ray_cluster: int, many_archives: list[str], tmp_path: Path
) -> None:
    spill = tmp_path / "spill"
    spill.mkdir()
    waiting: list[int] = []  # spill files on disk each time the driver records a result

    def count(_: IngestSummary) -> None:
        waiting.append(len(list(spill.glob("wirewatch-ray-*/block-*.pickle"))))

    db = str(tmp_path / "s.db")
    settings = Settings(ray_spill_dir=str(spill))
    with Store.open(db) as store:
        run = ingest_on_ray(
            many_archives, store, db, settings, stages="extract", workers=1, on_progress=count
        )
    assert waiting[0] == len(many_archives)  # every block extracted before the first stored
    # Each block's file removed once it is stored, one by one (the last while it is stored).
    assert waiting == sorted(waiting, reverse=True)
    assert set(waiting) == set(range(1, len(many_archives) + 1))
    assert list(spill.iterdir()) == []  # the run's work folder is gone
    assert 1 <= run.held <= 2  # 2 x actors blocks read back at once, at most
    # The texts the copy index verifies were read from the spill files: near copies found.
    assert run.copies.verified >= 2 and run.summary.copies >= 4


def test_archives_lists_the_warc_files_a_ray_run_read(
    ray_cluster: int, archives: list[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "ray.db")
    with Store.open(db) as store:
        run = ingest_on_ray(archives, store, db, Settings(), stages="extract")
        assert run.blocks == 3
        assert run.report().startswith("ray: 10 document(s) in 3 block(s) (0 already done")
        assert "seconds by stage (summed over workers): extract " in run.report()
        rows = sorted(list_archives(store), key=lambda row: row.source)
    assert [row.source for row in rows] == archives
    assert [row.state for row in rows] == ["done"] * 3
    assert [row.records for row in rows] == [3, 4, 3]
    assert all(row.position is not None and row.position > 0 for row in rows)
    assert sum(row.articles + row.duplicates for row in rows) == 10
    listed = CliRunner().invoke(main, ["--db", db, "archives"])
    assert listed.exit_code == 0
    assert all(Path(name).name in listed.output for name in archives)
    assert listed.output.count("done") == 3


@pytest.fixture(scope="module")
def dataset(
    ray_cluster: int, many_archives: list[str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, RayRun]:
    """``many_archives`` written once as a Parquet dataset (every stage), and its run."""
    out = tmp_path_factory.mktemp("dataset") / "out"
    return out, write_on_ray(many_archives, out, Settings())


def test_a_parquet_dataset_is_written_by_block_and_goes_on(
    dataset: tuple[Path, RayRun], many_archives: list[str], tmp_path: Path
) -> None:
    written, run = dataset
    out = tmp_path / "dataset"
    shutil.copytree(written, out)  # the module's dataset stays whole for the loads
    files = block_files(out)
    assert [f.name for f in files] == [f"block-{n:06d}.parquet" for n in range(6)]
    assert (run.blocks, run.skipped_blocks, len(run.summary.failures)) == (6, 0, 1)
    table = pq.read_table(files[0])
    assert table.schema == SCHEMA
    rows = table.to_pylist()
    assert [row["kind"] for row in rows] == ["article", "article"]
    assert all(len(row["signature"]) == copy_rules(Settings()).num_perm for row in rows)
    assert all(row["band_keys"] for row in rows)
    first = json.loads(rows[0]["record"])
    assert first["events"] and first["sentences"] and first["entities"]
    assert all(e["start"] < e["end"] and e["sentence"] is not None for e in first["events"])
    again = write_on_ray(many_archives, out, Settings())  # every file there: nothing to do
    assert (again.blocks, again.skipped_blocks) == (0, 6)
    files[3].unlink()
    redone = write_on_ray(many_archives, out, Settings())
    assert (redone.blocks, redone.skipped_blocks) == (1, 5)
    assert block_files(out) == files


def test_a_parquet_dataset_loads_as_a_direct_ingest_stores(
    dataset: tuple[Path, RayRun], many_expected: object, store_target: str
) -> None:
    out, _ = dataset
    with Store.open(store_target) as store:
        loaded = load_dataset(out, store, Settings())
        assert (loaded.files, loaded.skipped) == (6, [])
        assert _stored(store) == many_expected
        twice = load_dataset(out, store, Settings())
        assert (twice.files, len(twice.skipped)) == (0, 6)
        assert _stored(store) == many_expected


def test_the_commands_write_and_load_a_dataset(
    ray_cluster: int, archives: list[str], tmp_path: Path
) -> None:
    out, db = tmp_path / "out", str(tmp_path / "s.db")
    runner = CliRunner()
    # Stages extract: the subject is the commands' options; the test above loads every stage.
    written = runner.invoke(
        main,
        ["--db", db, "ingest", "--executor", "ray", "--stages", "extract",
         "--output", str(out), *archives],
    )  # fmt: skip
    assert written.exit_code == 0, written.output
    assert "wrote 3 block file(s)" in written.output and not Path(db).exists()
    loaded = runner.invoke(main, ["--db", db, "db", "load", str(out)])
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 3 file(s)" in loaded.output and "6 new article(s), 3 copies" in loaded.output
    local = runner.invoke(main, ["--db", db, "ingest", "--output", str(out), archives[0]])
    assert local.exit_code == 2 and "--output needs --executor ray" in local.output


def test_file_urls_are_paths_and_fsspec_urls_are_blocks(tmp_path: Path) -> None:
    pages = tmp_path / "my pages"
    pages.mkdir()
    (pages / "a.html").write_bytes(article_page("A", UNRELATED[2]))
    url = (pages / "a.html").as_uri()  # file:///.../my%20pages/a.html
    assert split_inputs([url, pages.as_uri()]) == [(str(pages / "a.html"),)] * 2
    with pytest.raises(UsageError, match="file:///path"):
        split_inputs(["file://otherhost/x.html"])
    assert is_remote_file("zip://a.warc.gz::file:///data/crawl.zip")
    assert is_remote_file("memory://x/a.html")
    assert not is_remote_file(url)
    assert not is_remote_file("https://news.example/a")
    assert not is_remote_file("nosuchprotocol://x")


def test_file_and_fsspec_urls_are_read_on_ray(
    ray_cluster: int, archives: list[str], tmp_path: Path
) -> None:
    bundle = tmp_path / "crawl.zip"
    with zipfile.ZipFile(bundle, "w") as zipped:
        zipped.write(archives[1], "inner/b.warc.gz")
    inside = f"zip://inner/b.warc.gz::{bundle.as_uri()}"
    missing = f"zip://inner/none.warc.gz::{bundle.as_uri()}"
    db = str(tmp_path / "s.db")
    with Store.open(db) as store:
        run = ingest_on_ray(
            [Path(archives[0]).as_uri(), inside, missing], store, db, Settings(), stages="extract"
        )
        sources = sorted(article.source for article in store.iter_articles())
        tracked = [row.path for row in list_archives(store)]
    assert (run.summary.added, run.summary.copies) == (5, 2)  # b holds two copies of a's texts
    assert [f.code for f in run.summary.failures] == ["not_found"]
    assert run.summary.failures[0].source == missing
    assert sum(source.startswith(archives[0] + "@") for source in sources) == 3
    assert sum(source.startswith(inside + "@") for source in sources) == 2
    assert tracked == [str(Path(archives[0]).resolve())]  # the file:// WARC is tracked


def test_a_page_past_extract_timeout_fails_alone_in_its_block(
    ray_cluster: int, tmp_path: Path
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "1.html").write_bytes(article_page(COPIES[0][1], COPIES[0][2]))
    # lxml parses one element's attributes in quadratic time inside one C call: minutes.
    attributes = " ".join(f'a{i}="x"' for i in range(200_000))
    (pages / "2.html").write_text(
        f"<html><body><div {attributes}>x</div><p>Words.</p></body></html>"
    )
    (pages / "3.html").write_bytes(article_page(UNRELATED[1], UNRELATED[2]))
    db = str(tmp_path / "s.db")
    started = time.monotonic()
    with Store.open(db) as store:
        run = ingest_on_ray(
            [str(pages)], store, db, Settings(extract_timeout=1.5), stages="extract"
        )
    assert run.summary.added == 2
    assert [(f.source, f.code) for f in run.summary.failures] == [
        (str(pages / "2.html"), "extract_timeout")
    ]
    assert time.monotonic() - started < 120  # the cap, not the parse's minutes
