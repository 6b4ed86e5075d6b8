"""The web UI and JSON API over a store: ``create_app(db, settings)`` builds the ASGI app that
``wirewatch serve`` runs with uvicorn.

Pages are rendered on the server and read without JavaScript; each has a JSON twin under
``/api/``. Article text and metadata are untrusted: templates autoescape, and a strict
Content-Security-Policy allows no inline script and no other host.
"""

from wirewatch.web.app import create_app

__all__ = ["create_app"]
