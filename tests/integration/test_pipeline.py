"""The local executor: order, failures as records, batching and worker processes."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

import wirewatch.run.pool as pool
from wirewatch.model import Article, Failure, RawDocument
from wirewatch.run.local import RunStats, analyze_inputs
from wirewatch.serialize import article_to_dict
from wirewatch.settings import Settings

SAMPLES = Path(__file__).parents[2] / "samples"


def write_texts(tmp_path: Path, count: int) -> list[str]:
    paths = []
    for i in range(count):
        path = tmp_path / f"story{i:02d}.txt"
        path.write_text(
            f"OSLO, June {i + 1} - Anna Lindqvist, a fictional minister, opened bridge number {i} "
            "on Monday, officials said.\nLindqvist said the bridge would carry 9,000 cars a day.",
            encoding="utf-8",
        )
        paths.append(str(path))
    return paths


def test_results_keep_input_order_with_failures_in_place(tmp_path: Path) -> None:
    paths = write_texts(tmp_path, 5)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    inputs = [paths[0], str(empty), paths[1], str(tmp_path / "missing.txt"), *paths[2:]]
    stats = RunStats()
    results = list(analyze_inputs(inputs, Settings(nlp_batch_size=2), stats=stats))
    sources = [r.source for r in results]
    assert sources == inputs
    assert [type(r).__name__ for r in results] == [
        "Article", "Failure", "Article", "Failure", "Article", "Article", "Article"
    ]  # fmt: skip
    assert stats.articles == 5
    assert dict(stats.failures) == {"collect:empty_input": 1, "collect:not_found": 1}


def test_a_crash_on_one_document_is_a_failure_and_the_others_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = write_texts(tmp_path, 3)
    real_extract = pool.extract

    def flaky(raw: RawDocument, settings: Settings) -> Article:
        if raw.source == paths[1]:
            raise RuntimeError("parser exploded\non two lines")
        return real_extract(raw, settings)

    monkeypatch.setattr(pool, "extract", flaky)  # the workers are forked with it in place
    # Workers forked from this process carry the patch (a fork server, used when other threads
    # run, would not).
    monkeypatch.setattr(pool, "_context", lambda: multiprocessing.get_context("fork"))
    results = list(analyze_inputs(paths, Settings(), stages="extract"))
    failure = results[1]
    assert isinstance(failure, Failure)
    assert (failure.stage, failure.code) == ("extract", "internal_error")
    assert failure.message == "RuntimeError: parser exploded on two lines"
    assert all(isinstance(r, Article) for r in (results[0], results[2]))


def test_extract_stage_only_does_no_nlp(tmp_path: Path) -> None:
    (article,) = analyze_inputs(write_texts(tmp_path, 1), Settings(), stages="extract")
    assert isinstance(article, Article)
    assert article.entities == [] and article.sentences == []


def test_worker_processes_give_the_same_annotations_as_one_process() -> None:
    one = [r for r in analyze_inputs([str(SAMPLES)], Settings(nlp_batch_size=3))]
    two = [r for r in analyze_inputs([str(SAMPLES)], Settings(nlp_batch_size=3, nlp_processes=2))]

    def comparable(results: list[Article | Failure]) -> list[dict[str, object]]:
        out = []
        for r in results:
            assert isinstance(r, Article), r
            data = article_to_dict(r)
            data.pop("fetched_at")
            out.append(data)
        return out

    assert comparable(two) == comparable(one)
    assert sum(len(r.entities) for r in one if isinstance(r, Article)) > 50
