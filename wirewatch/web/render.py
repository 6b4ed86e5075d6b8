"""Rendering pages: one Jinja2 environment with autoescaping on for every template.

Article text, titles, names and URLs come from pages on the web and are untrusted: they only
ever reach a page through autoescaped ``{{ }}``. Nothing in this package marks text safe
except ``marked_snippet``, which escapes the text itself before adding its own ``<mark>``.
Links to an article's own URL are kept only for ``http`` and ``https``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import Request
from markupsafe import Markup, escape

from wirewatch.headlines import display_title
from wirewatch.store.browse import SNIPPET_CLOSE, SNIPPET_OPEN
from wirewatch.store.browse_filters import QUAD_CLASSES
from wirewatch.store.filters import PLOVER_TYPES, POLARITIES
from wirewatch.stories.view import original_locator, relation_label
from wirewatch.web import labels


class Renderer:
    """Renders templates of ``wirewatch/web/templates`` with the helpers every page uses."""

    def __init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("wirewatch.web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # the package's templates do not change while it runs
        )
        self.env.filters["marked"] = marked_snippet
        self.env.filters["web_url"] = web_url
        self.env.globals |= {
            "quad_classes": QUAD_CLASSES,
            "plover_types": PLOVER_TYPES,
            "polarities": POLARITIES,
            "display_title": display_title,
            "original_locator": original_locator,
            "relation_label": relation_label,
        }
        labels.register(self.env)
        # The legend of event codes is the same on every page that lists events: made once.
        self.env.globals["legend"] = Markup(self.env.get_template("_legend.html").render())

    def page(self, request: Request, template: str, context: Mapping[str, Any]) -> str:
        """The page ``template`` rendered with ``context`` and ``request``-bound helpers."""

        def url_with(**changes: Any) -> str:
            return with_query(request, **changes)

        values = {"request": request, "url_with": url_with, "query": request.query_params}
        return self.env.get_template(template).render(values | dict(context))


def with_query(request: Request, **changes: Any) -> str:
    """This page's path and query with some parameters changed (None removes one)."""
    params = {key: value for key, value in request.query_params.items() if value != ""}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return request.url.path + ("?" + urlencode(params) if params else "")


def marked_snippet(snippet: str) -> Markup:
    """A search snippet with its matches in ``<mark>``; the text itself escaped."""
    out = Markup("")
    for index, part in enumerate(snippet.split(SNIPPET_OPEN)):
        if index == 0:
            out += escape(part.replace(SNIPPET_CLOSE, ""))
            continue
        found, _, rest = part.partition(SNIPPET_CLOSE)
        out += Markup("<mark>") + escape(found) + Markup("</mark>") + escape(rest)
    return out


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL a link may point at, else None (``javascript:``...)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()
