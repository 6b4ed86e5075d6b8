"""Directories and patterns behind fsspec URLs: listed into one block per file, read by URL.

fsspec's zip file system over a file on disk stands in for object storage: it lists, globs
and opens like ``s3://`` does, and every process (a Ray worker too) can read it. No Ray here;
``test_executor.py`` reads fsspec URLs on Ray.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.stories.syndication import UNRELATED
from tests.support.warcs import article_page
from wirewatch.model import RawDocument
from wirewatch.run.cluster.blocks import split_inputs
from wirewatch.run.cluster.remote import read_remote, remote_files
from wirewatch.settings import Settings


def _bundle(tmp_path: Path) -> str:
    bundle = tmp_path / "crawl.zip"
    with zipfile.ZipFile(bundle, "w") as zipped:
        zipped.writestr("news/b.html", article_page("B", UNRELATED[2]))
        zipped.writestr("news/a.html", article_page("A", UNRELATED[2]))
        zipped.writestr("news/.partial.html", b"<html>half written")
        zipped.writestr("news/2024/c.html", article_page("C", UNRELATED[2]))
        zipped.writestr("news/2024/notes.txt", b"not a page")
        zipped.writestr("other/d.html", article_page("D", UNRELATED[2]))
    return bundle.as_uri()


def test_a_directory_behind_an_fsspec_url_is_its_files_one_block_each(tmp_path: Path) -> None:
    chain = _bundle(tmp_path)
    blocks = split_inputs([f"zip://news::{chain}", f"zip://other/d.html::{chain}"])
    # recursively, hidden entries skipped, sorted by path parts as the local executor lists
    assert blocks == [
        (f"zip://news/2024/c.html::{chain}",),
        (f"zip://news/2024/notes.txt::{chain}",),
        (f"zip://news/a.html::{chain}",),
        (f"zip://news/b.html::{chain}",),
        (f"zip://other/d.html::{chain}",),  # one file stays itself
    ]


def test_a_pattern_behind_an_fsspec_url_is_the_files_it_matches(tmp_path: Path) -> None:
    chain = _bundle(tmp_path)
    assert remote_files(f"zip://news/*.html::{chain}") == [
        f"zip://news/a.html::{chain}",
        f"zip://news/b.html::{chain}",
    ]
    assert remote_files(f"zip://news/*/*.html::{chain}") == [f"zip://news/2024/c.html::{chain}"]
    assert remote_files(f"zip://news/a.html::{chain}") is None  # one file


def test_a_pattern_that_matches_nothing_stays_one_block_and_its_read_says_why(
    tmp_path: Path,
) -> None:
    chain = _bundle(tmp_path)
    missing = f"zip://news/*.warc.gz::{chain}"
    assert remote_files(missing) == []
    assert split_inputs([missing]) == [(missing,)]
    failures = list(read_remote(missing, Settings()))
    assert len(failures) == 1 and not isinstance(failures[0], RawDocument)
    assert failures[0].code == "not_found" and failures[0].source == missing


def test_a_listed_file_is_read_and_named_by_its_own_url(tmp_path: Path) -> None:
    chain = _bundle(tmp_path)
    (first,) = split_inputs([f"zip://news/*.html::{chain}"])[0]
    documents = list(read_remote(first, Settings()))
    assert len(documents) == 1 and isinstance(documents[0], RawDocument)
    assert documents[0].source == first
    assert documents[0].content == article_page("A", UNRELATED[2])
