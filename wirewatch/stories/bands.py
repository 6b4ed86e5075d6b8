"""The copy index's band table kept in the store: band keys of the recent signatures, looked
up with one indexed query per new text.

Nothing is held in memory and nothing is rebuilt when a process starts; every process writing
to the store sees the others' texts, because each text's band rows are written in the same
transaction as its signature (``wirewatch.store.stories.write_article``). The window is the
``window`` most recent signatures; older rows are deleted in batches as new texts arrive.
"""

from __future__ import annotations

from collections.abc import Sequence

from wirewatch.store import Store
from wirewatch.store.stories import (
    add_bands,
    band_holders,
    has_band,
    newest_signature,
    stored_signature,
    window_signatures,
)
from wirewatch.stories.dedup import BandLayout, Held, signature_from_bytes


class StoreBands:
    """A ``dedup.BandTable`` over ``story_bands`` and ``story_signatures``."""

    def __init__(self, store: Store, layout: BandLayout, window: int, min_shingles: int) -> None:
        self._store = store
        self.layout = layout
        self.window = window
        self._min_shingles = min_shingles
        self._width = 4 * layout.num_perm

    def lookup(self, keys: Sequence[int], upto: int | None = None) -> list[Held]:
        return [
            Held(article_id, signature_from_bytes(blob), size)
            for article_id, size, blob in band_holders(self._store, keys, self.window, upto)
            if len(blob) == self._width  # made with another dedup_num_perm: does not compare
        ]

    def held(self, article_id: str) -> Held | None:
        found = stored_signature(self._store, article_id)
        if found is None or len(found[1]) != self._width:
            return None
        return Held(article_id, signature_from_bytes(found[1]), found[0])

    def fill(self) -> int:
        """Write the band rows the window's signatures lack (a store from before the band
        table, or one whose band layout settings changed); returns how many signatures got
        rows. Checks one key of the newest signature first, so a store that is up to date
        costs one indexed read."""
        newest = newest_signature(self._store, self._min_shingles)
        if newest is None or len(newest[1]) != self._width:
            return 0
        seq, blob = newest
        if has_band(self._store, self.layout.keys(signature_from_bytes(blob))[0], seq):
            return 0
        rows = [
            (seq, self.layout.keys(signature_from_bytes(blob)))
            for seq, _, _, blob in window_signatures(self._store, self.window, self._min_shingles)
            if len(blob) == self._width
        ]
        add_bands(self._store, rows)
        return len(rows)
