"""Bytes to text: encodings, byte-order marks, binary detection, line ends.

Pages arrive undeclared, mis-declared (a UTF-8 header on cp1252 bytes), in UTF-16 or Shift-JIS.
``decode`` tries, in order: a byte-order mark; the declared charset (transport, then an HTML
``<meta charset>`` or XML prolog), accepted only if it decodes strictly; strict UTF-8; then
charset-normalizer's best guess. Bytes that look like a binary file fail as ``binary_content``;
a few stray NUL bytes in a text are dropped. A declared UTF-16 or UTF-32 the bytes do not
show is read as UTF-8, as browsers do.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from wirewatch.errors import ExtractError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{2,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]{2,40})""")
# Control characters other than tab, line feed, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
# The ASCII characters of _CONTROL, as bytes (tests/extract/test_text.py checks the two agree).
_CONTROL_CHARACTER_BYTES = bytes([*range(9), 11, *range(14, 32), 127])
_SNIFF_BYTES = 65_536
# Bytes that do not occur in text: C0 controls other than tab, newlines, form feed, and DEL.
_CONTROL_BYTES = bytes([*range(9), *range(14, 32), 127])


def decode(content: bytes, declared: str | None = None, *, source: str = "input") -> str:
    """Decode document bytes to text, or raise ``ExtractError`` (binary_content, empty_input).

    >>> decode("caf\\u00e9".encode("cp1252"))
    'café'
    """
    if not content.strip():
        raise ExtractError("the document is empty", code="empty_input")
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return _checked(content[len(bom) :].decode(encoding, errors="replace"))
    utf16 = _utf16_without_bom(content)
    if utf16 is not None:
        text = _strict(content, utf16)
        if text is not None and _control_ratio(text[:4096]) < 0.01:
            return _checked(text)
    if _binary_bytes(content[:_SNIFF_BYTES]):
        raise ExtractError("the document is binary data, not text or HTML", code="binary_content")
    for encoding in _declared_encodings(content, declared):
        text = _strict(content, encoding)
        if text is not None:
            return _checked(text)
    text = _strict(content, "utf-8")
    if text is not None:
        return _checked(text)
    return _checked(_guess(content))


_ZERO_WIDTH_MARKS = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_MARKS}]")


def normalise_text(text: str) -> str:
    """Unicode NFC, ``\\n`` line ends, no-break and odd spaces as plain spaces.

    Applied once, before any offsets are taken, so every offset indexes the final text.
    """
    if text.isascii():  # nothing below applies to ASCII but the line ends: a whole page, fast
        return text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")
    if any(mark in text for mark in _ZERO_WIDTH_MARKS):  # rare; each scan is a fast find
        text = _ZERO_WIDTH.sub("", text)
    return text


def _declared_encodings(content: bytes, declared: str | None) -> list[str]:
    found: list[str] = []
    head = content[:4096]
    for candidate in (
        declared.encode("ascii", "ignore") if declared else None,
        _first_group(_XML_ENCODING, head),
        _first_group(_META_CHARSET, head),
    ):
        if candidate:
            name = _python_codec(candidate.decode("ascii", "ignore"))
            # A page declaring UTF-16/32 without a BOM or the byte pattern (tried above) is
            # not in it: browsers read such a declaration as UTF-8 (WHATWG, "get an encoding").
            if name and name.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
                name = "utf-8"
            if name and name not in found:
                found.append(name)
    return found


def _first_group(pattern: re.Pattern[bytes], data: bytes) -> bytes | None:
    match = pattern.search(data)
    return match.group(1) if match else None


def _python_codec(label: str) -> str | None:
    label = label.strip().lower()
    # Browsers treat these labels as windows-1252 (WHATWG Encoding Standard).
    if label in {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "iso8859-1"}:
        label = "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(content: bytes, encoding: str) -> str | None:
    try:
        return content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _guess(content: bytes) -> str:
    best = from_bytes(content[:_SNIFF_BYTES]).best()
    if best is None:
        raise ExtractError(
            "the document's encoding could not be determined (not text?)", code="decode_error"
        )
    encoding = best.encoding
    # Single-byte guesses on short Latin pages are unreliable (cp1250, mac_latin2, cp850 ...);
    # windows-1252 is what publishers mean when the bytes fit it, so it wins when it decodes.
    if _single_byte(encoding) and _strict(content, "cp1252") is not None:
        encoding = "cp1252"
    return content.decode(encoding, errors="replace")


def _single_byte(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name not in _MULTI_BYTE and not encoding.startswith("utf")
    except LookupError:
        return False


_MULTI_BYTE = {
    "shift_jis", "cp932", "euc_jp", "euc_jis_2004", "euc_jisx0213", "shift_jis_2004",
    "shift_jisx0213", "iso2022_jp", "iso2022_kr", "euc_kr", "cp949", "johab", "gb2312", "gbk",
    "gb18030", "hz", "big5", "big5hkscs", "cp950", "utf-8", "utf-16", "utf-32",
}  # fmt: skip


def _utf16_without_bom(content: bytes) -> str | None:
    """UTF-16 of mostly Latin text has a NUL in every other byte: which half says the order."""
    head = content[:4096]
    if len(head) < 4:
        return None
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = len(head) / 2
    if min(even_nuls, odd_nuls) >= 0.05 * half or max(even_nuls, odd_nuls) <= 0.3 * half:
        return None
    return "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"


def _binary_bytes(head: bytes) -> bool:
    # A stray NUL is damage in a text, not proof of a binary file: binary files have many
    # control bytes, which the ratio below catches.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > 0.02 * max(len(head), 1)


def _control_ratio(text: str) -> float:
    """The share of ``_CONTROL``'s characters in ``text``, counted in its UTF-8 bytes: the
    ASCII ones deleted in one pass (no byte of another character's encoding is below 0x80),
    U+FFFD counted on its own (a pattern tried at every position takes several times longer)."""
    data = text.encode("utf-8", "surrogatepass")
    count = len(data) - len(data.translate(None, _CONTROL_CHARACTER_BYTES))
    if not text.isascii():
        count += text.count("\ufffd")
    return count / max(len(text), 1)


def _checked(text: str) -> str:
    if _control_ratio(text[:_SNIFF_BYTES]) > 0.05:
        raise ExtractError("the document is binary data, not text or HTML", code="binary_content")
    return text.replace("\x00", "") if "\x00" in text else text
