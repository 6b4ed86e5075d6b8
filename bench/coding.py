"""Shared by bench/events.py and bench/nonevents.py: parse texts once, annotate them as
``wirewatch.understand.annotate_doc`` does, and time the parse against the actor resolution and
event coding (``ActorCoder`` with its mentions, then ``find_events``).

``rerun_with`` runs the calling bench again with another checkout's ``wirewatch`` package on
``PYTHONPATH`` (the baseline, e.g. ``../main``), in the same invocation, and returns its JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from wirewatch.model import Article, RawDocument
from wirewatch.run.local import RunStats, extract_stage
from wirewatch.settings import Settings
from wirewatch.understand.actors import ActorCoder
from wirewatch.understand.entities import entities_of, sentences_of
from wirewatch.understand.events import find_events
from wirewatch.understand.nlp import load_nlp
from wirewatch.understand.places import resolve_places
from wirewatch.understand.quotes import find_quotes


@dataclass
class Timing:
    parse: float = 0.0  # nlp.pipe after a warm-up, the faster of 2 passes
    coder: float = 0.0  # ActorCoder(...) + mentions() + find_events(...), the faster of 2 passes
    texts: int = 0
    extra: dict[str, float] = field(default_factory=dict)

    def share(self) -> float:
        return self.coder / self.parse if self.parse else 0.0


def articles_of(texts: list[tuple[str, str, str | None]]) -> list[Article]:
    """(id, text, date) -> extracted articles, in order (texts that fail are left out)."""
    documents = [
        RawDocument(source=i, content=t.encode("utf-8"), content_type="text",
                    encoding="utf-8", published=d)
        for i, t, d in texts
    ]  # fmt: skip
    settings = Settings()
    out = []
    for result in extract_stage(documents, settings, RunStats()):
        out.append(result if isinstance(result, Article) else None)
    return out  # type: ignore[return-value]


def annotate_timed(articles: list[Article | None], timing: Timing) -> None:
    nlp = load_nlp(Settings().nlp_model)
    real = [a for a in articles if a is not None]
    texts = [a.text for a in real]
    list(nlp.pipe(texts[:16], batch_size=64))  # first-call set-up is no part of the parse rate
    # The parse, like the coder below, is the faster of two passes: on a shared machine one
    # pass can be slowed by other jobs, and both sides of the share are measured alike.
    parses = []
    for _ in range(2):
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=64))
        parses.append(time.perf_counter() - started)
    timing.parse += min(parses)
    timing.texts += len(real)
    for doc, article in zip(docs, real, strict=True):
        article.sentences = sentences_of(doc)
        article.entities = entities_of(doc, article.sentences)
        article.places = resolve_places(doc, article)
        article.quotes = find_quotes(doc, article)
    # Actors and events twice, the faster pass counted: the first also pays one-time loading
    # (lexicons, word vectors) and a busy machine's pauses; both trees are measured alike.
    # Each pass starts from the parses as the earlier stages left them: what the coder keeps in
    # ``Doc.user_data`` (indexes read once per parse) must be paid again, as in a real run.
    kept = [dict(doc.user_data) for doc in docs]
    passes = []
    for _ in range(2):
        for doc, before in zip(docs, kept, strict=True):
            doc.user_data.clear()
            doc.user_data.update(before)
        started = time.perf_counter()
        for doc, article in zip(docs, real, strict=True):
            coder = ActorCoder(doc, article)
            article.actors = coder.mentions()
            article.events = find_events(doc, article, coder, article.places, article.quotes)
        passes.append(time.perf_counter() - started)
    timing.coder += min(passes)


def rerun_with(baseline: Path, script: str, args: list[str]) -> dict[str, object]:
    """This bench's JSON result with ``baseline``'s wirewatch package in place of ours."""
    env = dict(os.environ, PYTHONPATH=f"{baseline.resolve()}{os.pathsep}{Path(script).parent}")
    done = subprocess.run(
        [sys.executable, script, *args, "--json"], env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])
