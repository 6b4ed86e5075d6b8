"""Words for the codes an event carries, so a page reads without a codebook: actors as name
and code, CAMEO and PLOVER codes with their labels, quad classes, Goldstein scores and
polarities in words, and dates in one format with their precision.

CAMEO labels come from the package's code table (``wirewatch/data/cameo.tsv``); the PLOVER
glosses below are written for wirewatch from the PLOVER categories' definitions.

>>> goldstein_words(-7.2), goldstein_words(0), goldstein_words(3.4)
('strongly conflictual', 'neutral', 'cooperative')
>>> print(when("2014-06"))  # doctest: +NORMALIZE_WHITESPACE
<time class="date" datetime="2014-06" title="2014-06">2014-06</time>
<span class="precision precision-month">month</span>
>>> precision("2017-W27"), precision("2014"), precision(None)
('week', 'year', 'unknown')
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from wirewatch.model import Actor
from wirewatch.store.charts import MAX_TIMELINE_DAYS
from wirewatch.understand.codes import cameo_table
from wirewatch.web.worldmap import tone_of

PLOVER_GLOSSES = {
    "AGREE": "agree or promise to cooperate",
    "CONSULT": "meet, talk or negotiate",
    "SUPPORT": "praise, endorse or back",
    "CONCEDE": "give ground or ease pressure",
    "COOPERATE": "cooperate in practice",
    "AID": "give aid",
    "RETREAT": "withdraw or pull back",
    "REQUEST": "ask for something",
    "ACCUSE": "accuse or criticise",
    "REJECT": "refuse or reject",
    "THREATEN": "threaten",
    "PROTEST": "protest or demonstrate",
    "SANCTION": "punish by cutting ties or trade",
    "MOBILIZE": "mobilise forces or raise readiness",
    "COERCE": "coerce: arrest, seize, restrict",
    "ASSAULT": "use violence",
}
"""What each PLOVER event type means, in a few words."""

POLARITY_WORDS = {
    "asserted": "stated as fact",
    "negated": "said not to have happened",
    "denied": "denied",
    "demanded": "demanded, not done",
    "intended": "intended or promised, not done",
    "reported_claim": "claimed by someone",
    "conditional": "only on a condition, not done",
}
"""What a text commits to about an event, in words."""

GOLDSTEIN_BANDS = (
    (-5.0, "strongly conflictual"),
    (0.0, "conflictual"),
    (0.0001, "neutral"),
    (5.0, "cooperative"),
    (10.1, "strongly cooperative"),
)
"""Upper bounds (exclusive) of the Goldstein score's bands, from -10 to +10."""

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_WEEK = re.compile(r"\d{4}-W\d{2}")
_YEAR = re.compile(r"\d{4}")


def plover_gloss(kind: str | None) -> str:
    """``"ASSAULT"`` -> ``"use violence"``; empty for no or an unknown type."""
    return PLOVER_GLOSSES.get(kind or "", "")


def cameo_label(code: str) -> str:
    """The CAMEO code's name in the package's table (empty when the code is not there)."""
    found = cameo_table().get(code)
    return found.name if found else ""


def polarity_words(polarity: str) -> str:
    return POLARITY_WORDS.get(polarity, polarity.replace("_", " "))


def goldstein_words(score: float) -> str:
    """The band of a Goldstein score: strongly conflictual ... strongly cooperative."""
    for upper, words in GOLDSTEIN_BANDS:
        if score < upper:
            return words
    return GOLDSTEIN_BANDS[-1][1]


def signed(score: float) -> str:
    """``+3.4``, ``−7.0`` (a real minus sign), ``0.0``."""
    if score > 0:
        return f"+{score:.1f}"
    if score < 0:
        return f"\u2212{-score:.1f}"
    return "0.0"


def actor_label(actor: Actor) -> str:
    """``Moscow (RUSGOV)``: the actor's name (else its words in the text) and its code."""
    name = actor.name or actor.text
    if actor.code and actor.code != name:
        return f"{name} ({actor.code})"
    return name


def precision(value: str | None) -> str:
    """How precise a date is: ``day``, ``week``, ``month``, ``year`` or ``unknown``."""
    text = (value or "").strip()
    if not text:
        return "unknown"
    if _DAY.match(text):
        return "day"
    if _WEEK.fullmatch(text):
        return "week"
    if _MONTH.fullmatch(text):
        return "month"
    if _YEAR.fullmatch(text):
        return "year"
    return "unknown"


def when(value: str | None) -> Markup:
    """A date in one format: ISO to its precision (``2017-07-10``, ``2017-07``, ``2017``),
    marked with that precision; a timestamp shows its day, the full time in its tooltip."""
    known = precision(value)
    if value is None or not value.strip():
        return Markup('<span class="date unknown">date unknown</span>')
    if known == "unknown":
        return Markup(
            f'<span class="date">{escape(value)}</span> <span class="precision '
            'precision-unknown">precision unknown</span>'
        )
    text = value.strip()
    shown = escape(_shown(text))
    return Markup(
        f'<time class="date" datetime="{shown}" title="{escape(text)}">{shown}</time>'
        f' <span class="precision precision-{known}">{known}</span>'
    )


def when_span(first: str | None, last: str | None) -> Markup:
    """A span of time in the format of ``when``: one date when both ends show the same,
    else ``first – last``, the precision marked once when both ends share it."""
    if not first or not last:
        return when(first or last)
    kinds = precision(first), precision(last)
    shown = [_shown(first), _shown(last)]
    if shown[0] == shown[1]:
        return when(first)
    if kinds[0] != kinds[1] or kinds[0] == "unknown":
        return Markup(f"{when(first)} – {when(last)}")
    low, high, kind = escape(shown[0]), escape(shown[1]), kinds[0]
    return Markup(
        f'<time class="date" datetime="{low}" title="{escape(first)}">{low}</time> – '
        f'<time class="date" datetime="{high}" title="{escape(last)}">{high}</time>'
        f' <span class="precision precision-{kind}">{kind}</span>'
    )


def _shown(value: str) -> str:
    text = value.strip()
    return text[:10] if precision(text) == "day" else text


def register(env: Any) -> None:
    """Make these helpers Jinja filters and the tables globals of ``env``."""
    env.filters |= {
        "when": when,
        "when_span": when_span,
        "precision": precision,
        "plover_gloss": plover_gloss,
        "cameo_label": cameo_label,
        "polarity_words": polarity_words,
        "goldstein_words": goldstein_words,
        "signed": signed,
        "actor_label": actor_label,
        "map_tone": tone_of,
    }
    env.globals |= {
        "plover_glosses": PLOVER_GLOSSES,
        "polarity_glosses": POLARITY_WORDS,
        "goldstein_bands": GOLDSTEIN_BANDS,
        "max_timeline_days": MAX_TIMELINE_DAYS,
    }
