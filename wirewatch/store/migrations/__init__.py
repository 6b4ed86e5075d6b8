"""The store's schema migrations, one module each, registered in order when imported.

Append a new module (the next number) and import it here, last; never edit a released one.
"""

from wirewatch.store.migrations import (  # noqa: F401
    m001_articles,
    m002_annotations,
    m003_feeds,
    m004_stories,
    m005_entry_pages,
    m006_web_indexes,
    m007_story_bands,
    m008_archives,
    m009_story_records,
    m010_event_provenance,
    m011_search_ranking,
    m012_story_names,
    m013_blocks,
    m014_split_archives,
)
