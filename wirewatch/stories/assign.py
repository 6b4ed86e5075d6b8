"""The stories stage: gives each stored article its story, right after it is stored.

``StoryAssigner.assign(article)`` decides, in this order:

1. a near or truncated copy of a recent text (``dedup.CopyIndex``) joins that text's story, as
   a copy of its copy group's lead, with how it differs from that lead;
2. otherwise clustering (``cluster.choose_story``) over recent stories that share features or
   LSH buckets with it: it joins the best story scoring at least the merge threshold, as a
   member, and related stories are linked;
3. otherwise it founds a story, ``s-`` + its own id: ids are repeatable, so the same inputs in
   the same order give the same stories in any store.

``add_exact_copy(article)`` records the same text seen at another URL as a sighting of the
stored article, without storing or parsing it again. An article that already has a story
keeps it: assigning again changes nothing.
"""

from __future__ import annotations

import re
from typing import Protocol

from wirewatch.errors import StoreError, UsageError
from wirewatch.headlines import dated_at, display_title
from wirewatch.model import Article
from wirewatch.settings import Settings
from wirewatch.store import Store
from wirewatch.store.store import STORIES_LOCK
from wirewatch.store.stories import (
    STORY_PREFIX,
    ArticleWrite,
    CopyRow,
    MemberRow,
    article_facts,
    article_text,
    feature_candidates,
    iso_time,
    member_features,
    membership,
    write_article,
    write_copy,
)
from wirewatch.stories.bands import StoreBands
from wirewatch.stories.cluster import Candidate, ClusterRules, choose_story
from wirewatch.stories.dedup import (
    CopyIndex,
    CopyMatch,
    CopyRules,
    Fingerprint,
    comparable_shingles,
    layout_of,
    rank,
    signature_bytes,
)
from wirewatch.stories.features import StoryFeatures, article_time, story_features
from wirewatch.stories.records import refresh_story_records

_NOT_WORD = re.compile(r"\W+")


def copy_rules(settings: Settings) -> CopyRules:
    """The copy thresholds of ``settings``; ``UsageError`` for a share above 1."""
    _check_shares(
        settings,
        "dedup_lsh_threshold",
        "dedup_near_threshold",
        "dedup_containment_threshold",
    )
    return CopyRules(
        shingle_size=settings.dedup_shingle_words,
        num_perm=settings.dedup_num_perm,
        lsh_threshold=settings.dedup_lsh_threshold,
        near_threshold=settings.dedup_near_threshold,
        containment_threshold=settings.dedup_containment_threshold,
        min_shingles=settings.dedup_min_shingles,
    )


def cluster_rules(settings: Settings) -> ClusterRules:
    """The clustering thresholds and window of ``settings``; ``UsageError`` for a share above 1."""
    _check_shares(settings, "story_merge_threshold", "story_related_threshold")
    return ClusterRules(
        window_seconds=settings.story_window_days * 86400.0,
        merge_threshold=settings.story_merge_threshold,
        related_threshold=settings.story_related_threshold,
    )


def _check_shares(settings: Settings, *names: str) -> None:
    for name in names:
        value = getattr(settings, name)
        if not 0 < value <= 1:
            raise UsageError(f"setting {name} is a share: between 0 and 1, got {value}")


def sighting_locator(article: Article) -> str:
    """What names one sighting of a text: its URL, else its canonical URL, else its source
    with the text's id (a path or stdin may hold another text next time)."""
    return article.url or article.canonical_url or f"{article.source}#{article.id}"


class PlannedCopies(Protocol):
    """Copies found before storing, by a run's own copy index (``run/cluster/copies.py``):
    for each article of the run, the earlier ones it copies, best first; ``upto`` is the last
    signature the store held when the run began."""

    @property
    def upto(self) -> int: ...

    def ranked(self, article_id: str) -> list[CopyMatch]: ...


class StoryAssigner:
    """Assigns stored articles to stories in one store (see the module docstring).

    The copy index's band keys live in the store (``bands.StoreBands``): a new process
    reads no article text and rebuilds nothing to find copies of recent ones, and sees the
    texts other processes store. With ``planned`` (a Ray run's copy index), an article's copy
    is the best of the planned matches already stored and the store's texts from before the
    run: what the band lookup finds when the run is stored in input order, whatever order the
    run's writers store it in.
    """

    def __init__(
        self, store: Store, settings: Settings, planned: PlannedCopies | None = None
    ) -> None:
        self._store = store
        self._settings = settings
        self._planned = planned
        self._copy_rules = copy_rules(settings)
        self._cluster_rules = cluster_rules(settings)
        self._index: CopyIndex | None = None

    @property
    def index(self) -> CopyIndex:
        if self._index is None:
            if self._settings.dedup_index_size < 1:
                raise UsageError(
                    "setting dedup_index_size must be at least 1, "
                    f"got {self._settings.dedup_index_size}"
                )
            bands = StoreBands(
                self._store,
                layout_of(self._copy_rules),
                self._settings.dedup_index_size,
                self._copy_rules.min_shingles,
            )
            bands.fill()
            self._index = CopyIndex(self._copy_rules, self._stored_shingles, bands)
        return self._index

    def assign(self, article: Article) -> MemberRow:
        """Give the stored ``article`` its story; returns its row (the old one if it had one)."""
        article_id = article.id
        existing = membership(self._store, article_id)
        if existing is not None:
            return existing
        index = self.index
        fingerprint = index.fingerprint(article.text)
        at = article_time(article)
        with self._store.transaction():
            # One writer at a time looks for the text's copies and writes its story, so two
            # copies stored by two processes at the same moment join one story, not two.
            self._store.lock(STORIES_LOCK)
            existing = membership(self._store, article_id)
            if existing is not None:
                return existing
            match = self._find(index, fingerprint, article_id)
            if match is not None:
                write = self._as_copy(article, fingerprint, match, at)
            else:
                write = self._as_member(article, fingerprint, at)
            write_article(self._store, write)
            refresh_story_records(self._store, write.member.story_id)
        return write.member

    def add_exact_copy(self, article: Article) -> bool:
        """Record ``article`` (the text of a stored article, seen at another URL) as a copy.

        Returns False when this URL was already recorded. Raises ``StoreError`` when no stored
        article has this text.
        """
        member = membership(self._store, article.id) or self._assign_stored(article.id)
        lead_id = member.copy_of or article.id
        lead = article_facts(self._store, lead_id)
        headline, chars, words = _differences(article, lead)
        similarity = 1.0 if member.copy_of is None else member.similarity
        contained = 1.0 if member.copy_of is None else member.containment
        sighting = _sighting(
            article,
            member.story_id,
            article.id,
            relation="exact",
            similarity=similarity,
            containment=contained,
            headline_differs=headline,
            chars_delta=chars,
            words_delta=words,
            at=dated_at(article.published),
        )
        with self._store.transaction():
            self._store.lock(STORIES_LOCK)  # the story's records are counted by one writer
            added = write_copy(self._store, sighting)
            if added:  # one more document mentions the story's events: the counts change
                refresh_story_records(self._store, member.story_id)
        return added

    # Internals

    def _find(
        self, index: CopyIndex, fingerprint: Fingerprint, article_id: str
    ) -> CopyMatch | None:
        if self._planned is None:
            return index.find(fingerprint, exclude=article_id)
        best = index.find(fingerprint, exclude=article_id, upto=self._planned.upto)
        for planned in self._planned.ranked(article_id):
            if membership(self._store, planned.article_id) is None:
                continue  # not stored (it failed, or its URL was a duplicate)
            # find's order: the higher rank, ties to the id that sorts first
            if best is None or (-rank(planned)[0], -rank(planned)[1], planned.article_id) < (
                -rank(best)[0],
                -rank(best)[1],
                best.article_id,
            ):
                best = planned
            break
        return best

    def _assign_stored(self, article_id: str) -> MemberRow:
        """A stored article that has no story yet (stored before stories existed): assign it."""
        stored = self._store.get_article(article_id)
        if stored is None:
            raise StoreError(f"no stored article {article_id} to record a copy of")
        return self.assign(stored)

    def _as_copy(
        self, article: Article, fingerprint: Fingerprint, match: CopyMatch, at: float
    ) -> ArticleWrite:
        matched = membership(self._store, match.article_id) or self._assign_stored(match.article_id)
        lead_id = matched.copy_of or match.article_id
        measured = self.index.measure(fingerprint, lead_id) if lead_id != match.article_id else None
        similarity, contained = measured or (match.similarity, match.containment)
        headline, chars, words = _differences(article, article_facts(self._store, lead_id))
        member = MemberRow(
            article_id=article.id,
            story_id=matched.story_id,
            copy_of=lead_id,
            relation=match.relation,
            similarity=round(similarity, 4),
            containment=round(contained, 4),
            headline_differs=headline,
            chars_delta=chars,
            words_delta=words,
            score=None,
            at=iso_time(at),
        )
        return self._write(article, member, fingerprint, at, features=(), links=())

    def _as_member(self, article: Article, fingerprint: Fingerprint, at: float) -> ArticleWrite:
        features = story_features(article)
        candidates = self._candidates(article.id, fingerprint, features)
        choice = choose_story(features, candidates, self._cluster_rules)
        story_id = choice.story_id or STORY_PREFIX + article.id
        member = MemberRow(
            article_id=article.id,
            story_id=story_id,
            copy_of=None,
            relation="original",
            similarity=None,
            containment=None,
            headline_differs=None,
            chars_delta=None,
            words_delta=None,
            score=choice.score,
            at=iso_time(at),
        )
        return self._write(
            article,
            member,
            fingerprint,
            at,
            features=features.values(),
            links=choice.related,
            founds=choice.story_id is None,
        )

    def _write(
        self,
        article: Article,
        member: MemberRow,
        fingerprint: Fingerprint,
        at: float,
        *,
        features: tuple[str, ...] | list[str],
        links: tuple[tuple[str, float], ...],
        founds: bool = False,
    ) -> ArticleWrite:
        sighting = _sighting(
            article,
            member.story_id,
            member.article_id,
            relation=member.relation,
            similarity=member.similarity,
            containment=member.containment,
            headline_differs=member.headline_differs,
            chars_delta=member.chars_delta,
            words_delta=member.words_delta,
            at=dated_at(article.published),  # an undated copy never widens the story's span
        )
        return ArticleWrite(
            member=member,
            sighting=sighting,
            new_story_title=display_title(article.title, article.text),
            founds_story=founds,
            signature=signature_bytes(fingerprint.signature),
            shingles=fingerprint.size,
            bands=self.index.keys(fingerprint),
            band_window=self._settings.dedup_index_size,
            features=list(features),
            at=at,
            links=links,
        )

    def _candidates(
        self, article_id: str, fingerprint: Fingerprint, features: StoryFeatures
    ) -> list[Candidate]:
        window = self._cluster_rules.window_seconds
        limit = self._settings.story_max_candidates
        ids = feature_candidates(
            self._store, features.values(), features.at - window, features.at + window, limit
        )
        held = [h.article_id for h in self.index.candidates(fingerprint)]
        ids += [i for i in held[:limit] if i not in ids]
        found = member_features(self._store, [i for i in ids if i != article_id])
        return [
            Candidate(article, story, StoryFeatures.from_values(values, at))
            for article, (story, at, values) in sorted(found.items())
        ]

    def _stored_shingles(self, article_id: str) -> frozenset[str] | None:
        text = article_text(self._store, article_id)
        if text is None:
            return None
        return comparable_shingles(text, self._copy_rules.shingle_size)


def _sighting(
    article: Article,
    story_id: str,
    article_id: str,
    *,
    relation: str,
    similarity: float | None,
    containment: float | None,
    headline_differs: bool | None,
    chars_delta: int | None,
    words_delta: int | None,
    at: str | None,
) -> CopyRow:
    """The row saying ``article`` (its URL, site, headline, times, length) was seen."""
    return CopyRow(
        story_id=story_id,
        article_id=article_id,
        locator=sighting_locator(article),
        url=article.url,
        canonical_url=article.canonical_url,
        site=article.site,
        title=article.title,
        published=article.published,
        collected=article.fetched_at,
        chars=len(article.text),
        words=article.word_count,
        relation=relation,
        similarity=similarity,
        containment=containment,
        headline_differs=headline_differs,
        chars_delta=chars_delta,
        words_delta=words_delta,
        at=at,
    )


def _differences(
    article: Article, lead: tuple[str | None, int, int] | None
) -> tuple[bool | None, int | None, int | None]:
    """Whether the headline differs from the lead's, and the length deltas (this - lead)."""
    if lead is None:
        return None, None, None
    title, chars, words = lead
    headline: bool | None = None
    if article.title is not None and title is not None:
        headline = _headline(article.title) != _headline(title)
    return headline, len(article.text) - chars, article.word_count - words


def _headline(title: str) -> str:
    return _NOT_WORD.sub(" ", title.casefold()).strip()
