"""Spill files: each block's extracted results kept on disk between extraction and storing.

A Ray run needs every block signed before the first article is given its story (the copy
index covers the whole run), but it must not hold every block's texts meanwhile. So the task
that extracts a block writes its results, one at a time as they come, to the block's spill
file in the run's work folder, and returns only the file's name and the block's signatures
(no texts). The texts are read back from there: by the copy index's verify tasks (the texts
of the articles in candidate pairs) and by the writer that stores the block, which removes the
file once the block is stored. The work folder is removed at the end of the run.

The work folder is ``ray_spill_dir`` (a folder every node mounts at the same path, or an
fsspec URL such as ``s3://bucket/tmp``), or a temporary folder on the driver's machine when
that setting is empty, which only a one-machine cluster can share. A file is a sequence of
pickles, one per result, written by this run's own workers and read only by them.

Nothing here imports Ray.
"""

from __future__ import annotations

import contextlib
import pickle
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from typing import IO, Any

import fsspec
from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

from wirewatch.model import Article, Failure

Result = Article | Failure
_PREFIX = "wirewatch-ray-"


def make_work_folder(where: str = "") -> str:
    """A new, empty work folder for one run under ``where`` (a temporary folder if empty)."""
    parent = where or tempfile.gettempdir()
    fs, root = url_to_fs(parent)
    folder = f"{root.rstrip('/')}/{_PREFIX}{uuid.uuid4().hex}"
    fs.makedirs(folder, exist_ok=True)
    return folder if isinstance(fs, LocalFileSystem) else fs.unstrip_protocol(folder)


def remove_work_folder(folder: str) -> None:
    """The run's work folder and every spill file left in it (blocks that failed)."""
    fs, path = url_to_fs(folder)
    if fs.exists(path):
        fs.rm(path, recursive=True)


def spill_path(folder: str, number: int) -> str:
    return f"{folder.rstrip('/')}/block-{number:06d}.pickle"


class SpillWriter:
    """Block ``number``'s results written to its spill file as they come."""

    def __init__(self, folder: str, number: int) -> None:
        self.path = spill_path(folder, number)
        self._file: IO[bytes] = fsspec.open(self.path, "wb").open()
        self.count = 0

    def add(self, result: Result) -> None:
        pickle.dump(result, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> SpillWriter:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()


def read_spill(path: str) -> Iterator[Result]:
    """The results of a spill file, in the order they were written."""
    with fsspec.open(path, "rb") as handle:
        while True:
            try:
                yield pickle.load(handle)
            except EOFError:
                return


def spill_texts(path: str, positions: Iterable[int]) -> dict[int, str]:
    """The texts of the articles at ``positions`` (places in the block) of a spill file."""
    wanted = set(positions)
    found: dict[int, str] = {}
    for position, result in enumerate(read_spill(path)):
        if position in wanted and isinstance(result, Article):
            found[position] = result.text
            if len(found) == len(wanted):
                break
    return found


def remove_spill(path: str) -> None:
    """A block's spill file, once the block is stored (gone already: nothing to do)."""
    fs, where = url_to_fs(path)
    with contextlib.suppress(FileNotFoundError):
        fs.rm_file(where)
