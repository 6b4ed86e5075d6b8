"""Errors with stable codes and clear one-line messages.

::

    WirewatchError                 code: a stable snake_case string, message: one line
    ├── UsageError                 the user asked for something that cannot be done (exit 2)
    ├── InputError                 one input or document is unusable; the run goes on
    │   ├── CollectError           reading or fetching failed (not_found, http_status, timeout,
    │   │                          too_many_redirects, robots_disallowed, too_large, bad_gzip,
    │   │                          bad_warc, bad_feed, xml_bomb, bad_jsonl, connection_error, ...)
    │   └── ExtractError           bytes were read but hold no usable article (empty_input,
    │                              binary_content, decode_error, no_text, extract_timeout,
    │                              text_too_long, ...)
    └── StoreError                 the store cannot be opened or written

Every ``InputError`` becomes a ``Failure`` row with its code; codes are listed in
``docs/schema.md`` and never change meaning.
"""

from __future__ import annotations


class WirewatchError(Exception):
    """Base class: ``code`` is stable, ``message`` is one line for people."""

    code: str = "error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class UsageError(WirewatchError):
    code = "usage"


class InputError(WirewatchError):
    code = "bad_input"


class CollectError(InputError):
    code = "collect_error"


class ExtractError(InputError):
    code = "extract_error"


class StoreError(WirewatchError):
    code = "store_error"
