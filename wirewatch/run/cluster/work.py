"""What a Ray worker runs: decode and extract one block; parse (and store) extracted results.

Nothing here imports Ray: ``executor`` wraps ``extract_block`` as a task and ``Understander``
as an actor. An actor loads its spaCy model once, on its first batch, and keeps it (the model
cache is per process), so a pool of actors parses with one model each.
"""

from __future__ import annotations

from dataclasses import replace

from wirewatch.collect import iter_documents
from wirewatch.model import Article, Failure
from wirewatch.run.ingest import IngestSummary, Recorder
from wirewatch.run.local import RunStats, StageChoice, understand_stage
from wirewatch.run.pool import extract_document
from wirewatch.run.threads import single_threaded_numerics
from wirewatch.settings import Settings
from wirewatch.store import Store

Result = Article | Failure


def extract_block(block: tuple[str, ...], settings: Settings) -> list[Result]:
    """Every document of ``block`` read and extracted in this process, in input order."""
    single_threaded_numerics()
    results: list[Result] = []
    for item in iter_documents(block, settings):
        if isinstance(item, Failure):
            results.append(item)
        else:
            results.append(extract_document(item, settings)[0])
    return results


class Understander:
    """One NLP worker: parses batches of results, and with a store target stores them too.

    ``target`` is a PostgreSQL URL when workers write (many writers), else ``None``: the
    driver then stores what ``parse`` returns.
    """

    def __init__(self, settings: Settings, target: str | None = None) -> None:
        # One spaCy process per actor: the cluster's parallelism is the number of actors.
        self.settings = replace(settings, nlp_processes=1)
        self.target = target
        self._store: Store | None = None

    def parse(self, results: list[Result]) -> list[Result]:
        """``results`` with every article annotated (or failed in ``understand``), in order."""
        return list(understand_stage(results, self.settings, RunStats()))

    def ingest(self, results: list[Result], stages: StageChoice) -> IngestSummary:
        """Store ``results`` as the local ``ingest`` does: texts the store holds are recorded
        as duplicates or copies without parsing, the others parsed, stored and given stories.
        """
        if self.target is None:
            raise ValueError("this worker has no store to write to")
        if self._store is None:
            self._store = Store.open(self.target)
        recorder = Recorder(self._store, settings=self.settings)
        fresh = [r for r in results if not (isinstance(r, Article) and recorder.known(r))]
        for result in self.parse(fresh) if stages == "all" else fresh:
            recorder.record(result)
        recorder.finish()
        return recorder.summary

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
