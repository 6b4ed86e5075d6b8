"""``wirewatch db load DIR``: a Parquet dataset written by ``ingest --executor ray --output``
stored as ``ingest`` would have stored its inputs.

Block files are read in block order and each block's results in input order, the order a
direct ``ingest`` stores them in: texts the store already holds are recorded as duplicates or
copies, the others stored and given their stories, so the same inputs give the same articles,
copies and stories either way. Each file is stored in one transaction with its row in the
``blocks`` table (keyed by the SHA-256 of the file's bytes): loading again, or after a stop,
skips the files done and stores nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wirewatch.errors import UsageError
from wirewatch.model import Article
from wirewatch.run.cluster.dataset import block_files, read_block
from wirewatch.run.ingest import IngestSummary, Recorder
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.blocks import BlockCounts, find_block, finish_block, start_block


@dataclass(slots=True)
class LoadRun:
    """What ``load_dataset`` did: the summary, files stored, files skipped as done."""

    summary: IngestSummary
    files: int = 0
    skipped: list[str] = field(default_factory=list)


def load_dataset(
    folder: Path,
    store: Store,
    settings: Settings,
    *,
    on_progress: Callable[[IngestSummary], None] | None = None,
) -> LoadRun:
    """Store the dataset at ``folder``; files already loaded are skipped."""
    files = block_files(folder)
    if not files:
        raise UsageError(f"no block files (block-*.parquet) in {folder}")
    recorder = Recorder(store, settings=settings, on_progress=on_progress)
    run = LoadRun(recorder.summary)
    for path in files:
        key = "parquet:" + _sha256(path)
        row = find_block(store, key)
        if row is not None and row.state == "done":
            run.skipped.append(str(path))
            continue
        start_block(store, key, str(path), 1)
        _load_file(path, key, recorder)
        run.files += 1
    recorder.finish()
    return run


def _load_file(path: Path, key: str, recorder: Recorder) -> None:
    """One block file, as the Ray driver stores a block: known texts first, then the rest."""
    summary = recorder.summary
    before = _counts(summary)
    results = list(read_block(path))
    fresh = [r for r in results if not (isinstance(r, Article) and recorder.known(r))]
    ids = [r.id for r in fresh if isinstance(r, Article)]
    with recorder.store.transaction() as conn:
        for result in fresh:
            recorder.record(result)
        recorder.settle(ids)
        after = _counts(summary)
        done = BlockCounts(len(results), *(a - b for a, b in zip(after, before, strict=True)))
        finish_block(conn, key, done)


def _counts(summary: IngestSummary) -> tuple[int, int, int, int]:
    return summary.added, summary.copies, summary.duplicates, len(summary.failures)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
