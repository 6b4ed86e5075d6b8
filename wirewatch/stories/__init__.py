"""Stories: one news story across its syndicated copies and the other articles about its event.

``dedup`` finds copies by text alone (shingles, MinHash LSH, containment), ``cluster`` groups
articles that report the same event, ``assign`` is the stage ``ingest`` runs right after an
article is stored, and ``view`` shows one story with its events and quotes counted once.
See docs/stories.md.
"""
