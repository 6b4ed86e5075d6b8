"""Structured fuzzing with Hypothesis: the boundary functions hold for any input."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirewatch.collect.fields import checked_url, clean_str, safe_item
from wirewatch.collect.files import iter_jsonl
from wirewatch.errors import CollectError, ExtractError
from wirewatch.extract import extract
from wirewatch.extract.fragment import markup_text
from wirewatch.extract.text import decode
from wirewatch.model import Failure, RawDocument
from wirewatch.settings import Settings

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Any text, lone surrogates and NULs included.
TEXT = st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=80)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(["id", "url", "html", "text", "title", "published"])


@FAST
@given(TEXT)
def test_clean_text_is_always_storable(value: str) -> None:
    cleaned = clean_str(value)
    cleaned.encode("utf-8")
    assert "\x00" not in cleaned


@FAST
@given(st.dictionaries(FIELDS, JSON, max_size=6), st.integers(min_value=0, max_value=3))
def test_every_jsonl_line_is_one_document_or_one_failure(record: dict, blanks: int) -> None:
    good = json.dumps({"text": "Kyiv, Monday: talks resumed."})
    lines = [json.dumps(record).encode(), *([b"\n"] * blanks), good.encode()]
    results = list(iter_jsonl(lines, "d.jsonl", Settings()))
    assert len(results) == 2
    assert isinstance(results[1], RawDocument)
    first = safe_item(results[0])
    if isinstance(first, RawDocument):
        first.content.decode("utf-8")
        for value in (first.url, first.title, first.published, first.input_id):
            assert value is None or "\x00" not in value
            assert value is None or value.encode("utf-8")
    else:
        assert isinstance(first, Failure) and first.code in ("bad_jsonl", "bad_url")


@FAST
@given(TEXT)
def test_a_url_is_kept_or_refused_as_bad_url(url: str) -> None:
    try:
        checked = checked_url(url)
    except CollectError as exc:
        assert exc.code == "bad_url"
    else:
        assert checked is None or checked.encode("utf-8")


@FAST
@given(TEXT)
def test_markup_text_never_fails(markup: str) -> None:
    text = markup_text(markup)
    assert "<p>" not in text or "<p>" in markup


@FAST
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "utf-16", "shift_jis", "bogus"]))
def test_decoding_any_bytes_gives_text_or_an_extract_error(
    data: bytes, declared: str | None
) -> None:
    try:
        text = decode(data, declared)
    except ExtractError as exc:
        assert exc.code in ("empty_input", "binary_content", "decode_error")
    else:
        assert "\x00" not in text


@FAST
@given(st.binary(max_size=300), st.sampled_from([None, "html", "text"]))
def test_extracting_any_bytes_gives_an_article_or_an_extract_error(
    data: bytes, kind: str | None
) -> None:
    raw = RawDocument("fuzz", b"<p>" + data if kind == "html" else data, content_type=kind)  # type: ignore[arg-type]
    try:
        article = extract(raw, Settings())
    except ExtractError:
        return
    article.text.encode("utf-8")
