"""The run's copy index (``run/cluster/copies.py``), without Ray: band keys partitioned and
grouped, pairs verified and planned find the copies the local copy index finds, one text at a
time in input order."""

from __future__ import annotations

import pytest

from tests.support.copy_corpus import copy_corpus
from wirewatch.model import Article
from wirewatch.run.cluster.copies import (
    CopyPlan,
    Signed,
    block_of,
    candidate_pairs,
    make_plan,
    order_of,
    partition,
    sign_results,
    verify,
)
from wirewatch.stories.dedup import (
    CopyIndex,
    CopyMatch,
    CopyRules,
    MemoryBands,
    comparable_shingles,
    layout_of,
)

RULES = CopyRules()


def _articles(pages: int) -> list[Article]:
    return [
        Article(text=page.text, source=page.url, url=page.url, title=page.title)
        for page in copy_corpus(pages)
    ]


def _local(articles: list[Article]) -> dict[str, CopyMatch]:
    """What the store's assigner decides, one text at a time: each text's best earlier
    match, and the lead it copies (its match's lead, or its match)."""
    texts = {a.id: a.text for a in articles}
    index = CopyIndex(
        RULES,
        lambda i: comparable_shingles(texts[i], RULES.shingle_size),
        MemoryBands(layout_of(RULES), 10_000),
    )
    leads: dict[str, CopyMatch] = {}
    for article in articles:
        if article.id in index.bands:  # type: ignore[operator]
            continue  # the same text again: an exact copy
        found = index.fingerprint(article.text)
        match = index.find(found, exclude=article.id)
        if match is not None:
            lead = leads.get(match.article_id)
            leads[article.id] = (
                match
                if lead is None
                else CopyMatch(lead.article_id, match.relation, match.similarity, match.containment)
            )
        if index.keys(found):
            index.bands.add(article.id, found.signature, found.size)  # type: ignore[attr-defined]
    return leads


def _planned(articles: list[Article], per_block: int, parts: int) -> CopyPlan:
    blocks: list[list[Signed]] = [
        sign_results(articles[i : i + per_block], n, RULES)
        for n, i in enumerate(range(0, len(articles), per_block))
    ]
    texts = {  # what the verify tasks read from the blocks' spill files
        order_of(n, p): article.text
        for n, i in enumerate(range(0, len(articles), per_block))
        for p, article in enumerate(articles[i : i + per_block])
    }
    mapped = [partition(block, parts) for block in blocks]
    pairs = [candidate_pairs(*(m[part] for m in mapped)) for part in range(parts)]
    verified = []
    for found in pairs:
        for earlier, later in found.tolist():
            assert earlier < later
            named = {block_of(earlier), block_of(later)}
            verified += verify(found[(found == (earlier, later)).all(axis=1)], RULES, texts,
                               *(blocks[b] for b in named))  # fmt: skip
    return make_plan(verified)


@pytest.mark.parametrize(("per_block", "parts"), [(25, 3), (300, 1), (7, 4)])
def test_the_plan_finds_what_the_local_index_finds(per_block: int, parts: int) -> None:
    articles = _articles(300)
    expected = _local(articles)
    plan = _planned(articles, per_block, parts)
    assert len(expected) > 60  # near, cut-down and chained copies, across blocks
    assert plan.replay() == expected
    # Groups by union-find: every copy is in the group of the lead it copies.
    assert all(plan.groups[i] == plan.groups[m.article_id] for i, m in expected.items())
    firsts = {a.id: n for n, a in reversed(list(enumerate(articles)))}
    for group in set(plan.groups.values()):
        members = [i for i, g in plan.groups.items() if g == group]
        assert group == min(members, key=firsts.__getitem__)


def test_a_block_s_rows_are_sixteen_bytes_a_band_key() -> None:
    articles = _articles(40)
    signed = sign_results(articles, 3, RULES)
    parts = partition(signed, 4)
    keys = sum(len(s.keys) for s in signed)
    assert keys == layout_of(RULES).bands * sum(1 for s in signed if s.keys)
    assert sum(p.nbytes for p in parts) == 16 * keys
    assert all(block_of(s.order) == 3 for s in signed)
    assert signed[0].order == order_of(3, 0)
    assert all((p["key"] % 4 == n).all() for n, p in enumerate(parts))
