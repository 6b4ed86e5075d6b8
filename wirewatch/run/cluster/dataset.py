"""A run's results as a Parquet dataset (``ingest --executor ray --output DIR``), and back.

One file per block, ``block-000000.parquet`` (the block's number in the run's input order),
written by the worker that parsed the block: first to a hidden temporary name, then renamed,
so a file that exists is whole. A run started again with the same inputs skips the blocks whose
file exists. Each row is one result in input order: ``kind`` (``article`` or ``failure``), the
article's ``id``, ``url`` and ``published``, the whole record as JSON (``record``: text,
sentences, entities, quotes, events with their offsets and sentences, dropped lines; a
failure's source, stage, code and message), and for an article its MinHash ``signature``
(uint32 per permutation) and LSH ``band_keys`` as the copy index computes them (empty for a
text too short to be matched), so copies can be grouped from the dataset alone.

``copies.parquet`` holds the run's copy index (``run/cluster/copies.py``): one row per article
of the run that copies an earlier one (``COPY_SCHEMA``).

Nothing here imports Ray; ``wirewatch.run.load`` stores a dataset.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from wirewatch.model import Article, Failure
from wirewatch.run.cluster.copies import CopyPlan
from wirewatch.serialize import article_from_dict, article_to_dict, failure_to_dict
from wirewatch.settings import Settings
from wirewatch.stories.assign import copy_rules
from wirewatch.stories.dedup import Signer, comparable_shingles, layout_of

Result = Article | Failure
SCHEMA = pa.schema(
    [
        ("block", pa.int32()),
        ("position", pa.int32()),
        ("kind", pa.string()),
        ("id", pa.string()),
        ("url", pa.string()),
        ("published", pa.string()),
        ("record", pa.string()),
        ("signature", pa.list_(pa.uint32())),
        ("band_keys", pa.list_(pa.int64())),
    ]
)
_PATTERN = "block-*.parquet"
COPIES_FILE = "copies.parquet"
COPY_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("copy_of", pa.string()),  # its lead, had every article of the run been stored
        ("match", pa.string()),  # the earlier article it copies most closely
        ("relation", pa.string()),  # near or truncated
        ("similarity", pa.float64()),  # estimated Jaccard similarity with ``match``
        ("containment", pa.float64()),  # |A ∩ B| / |A| with ``match``, A the smaller set
        ("copy_group", pa.string()),  # the group's first article in the run (union-find)
    ]
)


def block_file(folder: Path, number: int) -> Path:
    return folder / f"block-{number:06d}.parquet"


def block_files(folder: Path) -> list[Path]:
    """The dataset's block files, in block order."""
    return sorted(folder.glob(_PATTERN))


def write_block(folder: Path, number: int, results: list[Result], settings: Settings) -> Path:
    """Write block ``number``'s results; the file appears whole or not at all."""
    rules = copy_rules(settings)
    signer = Signer(rules.num_perm)
    layout = layout_of(rules)
    columns: dict[str, list[object]] = {name: [] for name in SCHEMA.names}
    for position, result in enumerate(results):
        columns["block"].append(number)
        columns["position"].append(position)
        if isinstance(result, Article):
            found = comparable_shingles(result.text, rules.shingle_size)
            signature = signer.sign(found)
            keys = layout.keys(signature) if len(found) >= rules.min_shingles else []
            columns["kind"].append("article")
            columns["id"].append(result.id)
            columns["url"].append(result.url)
            columns["published"].append(result.published)
            columns["record"].append(json.dumps(article_to_dict(result), ensure_ascii=False))
            columns["signature"].append([int(v) for v in signature.hashvalues])
            columns["band_keys"].append(keys)
        else:
            columns["kind"].append("failure")
            for name in ("id", "url", "published"):
                columns[name].append(None)
            columns["record"].append(json.dumps(failure_to_dict(result), ensure_ascii=False))
            columns["signature"].append([])
            columns["band_keys"].append([])
    folder.mkdir(parents=True, exist_ok=True)
    final = block_file(folder, number)
    partial = folder / f".{final.name}.{os.getpid()}.partial"
    pq.write_table(pa.Table.from_pydict(columns, schema=SCHEMA), partial)
    os.replace(partial, final)
    return final


def write_copies(folder: Path, plan: CopyPlan) -> Path:
    """Write the run's copy index as ``copies.parquet``, articles in input order."""
    leads = plan.replay()
    rows: dict[str, list[object]] = {name: [] for name in COPY_SCHEMA.names}
    for article_id in sorted(plan.matches, key=plan.first.__getitem__):
        best = plan.matches[article_id][0]
        rows["article_id"].append(article_id)
        rows["copy_of"].append(leads[article_id].article_id)
        rows["match"].append(best.article_id)
        rows["relation"].append(best.relation)
        rows["similarity"].append(round(best.similarity, 4))
        rows["containment"].append(round(best.containment, 4))
        rows["copy_group"].append(plan.groups[article_id])
    final = folder / COPIES_FILE
    partial = folder / f".{COPIES_FILE}.{os.getpid()}.partial"
    pq.write_table(pa.Table.from_pydict(rows, schema=COPY_SCHEMA), partial)
    os.replace(partial, final)
    return final


def read_block(path: Path) -> Iterator[Result]:
    """The results in one block file, in input order."""
    table = pq.read_table(path, columns=["position", "kind", "record"]).sort_by("position")
    for kind, record in zip(
        table.column("kind").to_pylist(), table.column("record").to_pylist(), strict=True
    ):
        data = json.loads(record)
        yield article_from_dict(data) if kind == "article" else Failure(**data)
