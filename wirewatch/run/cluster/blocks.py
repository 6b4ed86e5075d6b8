"""Inputs split into blocks, the unit of work a Ray task reads: a WARC file, a JSONL file,
one URL, or a run of files from a directory. A ``file://`` URL is the path it names; an fsspec
URL of a directory or pattern is its files, one block each (``remote.py``).

A block is a tuple of input names that ``iter_documents`` reads as it reads the user's inputs,
so every document keeps the source name the local executor gives it (a file found in a
directory ``news/`` is ``news/a/b.html`` either way). Directory files are listed as the local
executor lists them: recursively, hidden entries skipped, in sorted order.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from wirewatch.errors import UsageError
from wirewatch.run.cluster.remote import is_remote_file, local_path, remote_files

Block = tuple[str, ...]
FILES_PER_BLOCK = 64


def split_inputs(inputs: Iterable[str], *, files_per_block: int = FILES_PER_BLOCK) -> list[Block]:
    """The blocks of ``inputs``, in input order; standard input (``-``) cannot be split."""
    if files_per_block < 1:
        raise ValueError("files_per_block must be at least 1")
    blocks: list[Block] = []
    for name in inputs:
        if name == "-":
            raise UsageError("--executor ray reads files, directories and URLs, not stdin (-)")
        name = local_path(name) or name  # file:///x is the path /x
        # (one that lists nothing stays one block: reading it records why)
        listed = remote_files(name) if is_remote_file(name) else None
        if listed:  # a directory or pattern behind an fsspec URL: a file a block
            blocks += [(url,) for url in listed]
        elif Path(name).is_dir():
            files = _directory_files(name)
            if files is None:  # unlistable in part: read whole, so the failures are reported
                blocks.append((name,))
                continue
            blocks += [
                tuple(files[i : i + files_per_block]) for i in range(0, len(files), files_per_block)
            ]
        else:
            blocks.append((name,))
    return blocks


def _directory_files(name: str) -> list[str] | None:
    """The files under ``name`` as the local executor names them; None if listing failed."""
    root = Path(name)
    problems: list[OSError] = []
    found: list[str] = []
    for folder, subfolders, files in os.walk(root, onerror=problems.append):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        found += [os.path.join(folder, f) for f in files if not f.startswith(".")]
    if problems:
        return None
    ordered = sorted(found, key=lambda p: Path(p).relative_to(root).parts)
    return [os.path.join(name, os.path.relpath(path, root)) for path in ordered]
