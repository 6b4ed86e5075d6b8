"""Bytes to text: declared, undeclared and wrong encodings; binary and empty input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wirewatch.errors import ExtractError
from wirewatch.extract.text import _CONTROL, _control_ratio, decode, normalise_text

SENTENCE = (
    "Les vignerons de Bourgogne — « c’est un désastre » — ont perdu 30 % des bourgeons, dit Hélène."
)


def test_undeclared_cp1252_decodes_with_its_curly_quotes_and_accents() -> None:
    text = decode(SENTENCE.replace("«", '"').replace("»", '"').encode("cp1252"))
    assert "c’est un désastre" in text and "Hélène" in text and "—" in text


def test_a_wrong_declaration_does_not_garble_the_text() -> None:
    data = SENTENCE.encode("cp1252", errors="replace")
    assert decode(data, declared="utf-8").endswith("dit Hélène.")


def test_a_meta_charset_is_honoured() -> None:
    page = (
        '<html><head><meta charset="Shift_JIS"></head>'
        "<body><p>東京で記者会見を開いた。</p></body></html>"
    )
    assert "東京で記者会見を開いた。" in decode(page.encode("shift_jis"))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_unicode_with_and_without_bom(encoding: str) -> None:
    text = "Floods in the valley displaced 4,000 people, officials said on Tuesday.\n" * 3
    assert decode(text.encode(encoding)).strip() == text.strip()


def test_binary_garbage_is_refused_with_its_reason() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    with pytest.raises(ExtractError) as info:
        decode(png)
    assert info.value.code == "binary_content"


def test_empty_and_blank_input_is_refused() -> None:
    for data in (b"", b"   \n\t "):
        with pytest.raises(ExtractError) as info:
            decode(data)
        assert info.value.code == "empty_input"


def test_normalise_text_line_ends_and_odd_spaces() -> None:
    assert normalise_text("a\r\nb\rc\u00a0d\u200be") == "a\nb\nc de"


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                " ",
                "\n",
                "\t",
                "\r",
                "\x0c",
                "\x0b",
                "\x00",
                "\x08",
                "\x1f",
                "\x7f",
                "\x80",
                "é",
                "\ufffd",
                "\ufffc",
                "\U0001f600",
                "\ud800",
            ]
        )
        | st.characters(),
        max_size=40,
    ).map("".join)
)
def test_the_control_share_counted_in_bytes_is_the_patterns(text: str) -> None:
    assert _control_ratio(text) == len(_CONTROL.findall(text)) / max(len(text), 1)


def test_the_control_bytes_are_the_ascii_characters_of_the_pattern() -> None:
    from wirewatch.extract.text import _CONTROL_CHARACTER_BYTES

    ascii_matches = {code for code in range(128) if _CONTROL.fullmatch(chr(code))}
    assert set(_CONTROL_CHARACTER_BYTES) == ascii_matches
