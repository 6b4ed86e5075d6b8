"""Where articles, annotations and failures are kept: SQLite by default.

>>> from wirewatch.store import Store
>>> with Store.open(":memory:") as store:
...     store.counts()["articles"]
0
"""

from wirewatch.store.export import export_articles, export_records
from wirewatch.store.records import AddResult, SearchHit, StoredEvent, StoredQuote
from wirewatch.store.store import Store

__all__ = [
    "AddResult",
    "SearchHit",
    "Store",
    "StoredEvent",
    "StoredQuote",
    "export_articles",
    "export_records",
]
