"""Hostile inputs for the fuzz suite: at least 300 cases across every kind of bad input.

``generate(seed)`` builds the cases from a seeded ``random.Random``, so a run can be repeated
exactly. A case is one input: a file (``files``, its first name is the input) or a URL on the
suite's local HTTP server (``routes``, its first path is the input, typed by the user as on
the command line; the others are what it links to). Categories:

truncation, bombs, encodings, surrogates, nuls, nesting, attributes, jsonl_types, feeds,
sitemaps, warc, http.

Nothing here is valid by accident: every case is meant to fail, or to give an article only
in spite of its damage. What the suite asserts is how wirewatch fails (see ``runner``).
"""

from __future__ import annotations

import functools
import gzip
import json
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from warcio.statusandheaders import StatusAndHeaders

from tests.support.httpserver import Reply
from tests.support.warcs import mixed_archive, single_record

# Placeholders the runner fills in: ``{self}`` is the case's own base URL on the local server
# (http://127.0.0.1:PORT/cN), ``{other}`` the same server under another host name
# (http://localhost:PORT), which URLs from data must not reach.
METADATA = "http://169.254.169.254/latest/meta-data/"
SENTENCE = "Officials in Kyiv confirmed on Monday that talks with Warsaw would resume next week."


@dataclass
class Case:
    """One hostile input; ``files`` or ``routes`` (the first entry is the input)."""

    name: str
    category: str
    files: dict[str, bytes] = field(default_factory=dict)
    routes: dict[str, Reply] = field(default_factory=dict)


def page(n: int, extra: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>Story {n}</title></head><body><article>"
        f"<h1>Story number {n}</h1><p>{SENTENCE} Case {n}.</p>{extra}"
        f"<p>The ministry said the decision was final.</p></article></body></html>"
    )


def rss(items: list[str], head: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return f'{head}<rss version="2.0"><channel><title>Wire</title>{"".join(items)}</channel></rss>'


def rss_item(title: str, link: str | None, description: str | None) -> str:
    parts = [f"<title>{title}</title>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if description is not None:
        parts.append(f"<description>{description}</description>")
    return f"<item>{''.join(parts)}</item>"


def urlset(locs: list[str]) -> str:
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def jsonl_line(n: int, **fields: object) -> str:
    record: dict[str, object] = {"id": n, "text": f"{SENTENCE} Line {n}."}
    record.update(fields)
    return json.dumps(record)


def _warc(n: int) -> bytes:
    return mixed_archive(3, gzipped=True, start=n * 10).data


@functools.cache
def _gzipped(byte: bytes, count: int) -> bytes:
    """``count`` copies of ``byte``, gzipped (made once per process: it takes a while), a
    megabyte at a time, so making the bomb does not weigh on the run's peak memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # a gzip stream
    piece = byte * (1 << 20)
    parts = [packer.compress(piece) for _ in range(count >> 20)]
    parts.append(packer.compress(byte * (count & ((1 << 20) - 1))))
    parts.append(packer.flush())
    return b"".join(parts)


def truncation(rng: random.Random) -> Iterator[Case]:
    bases: dict[str, bytes] = {
        "page.html": page(1).encode(),
        "feed.rss": rss([rss_item(f"T{i}", None, f"{SENTENCE} {i}") for i in range(5)]).encode(),
        "sitemap.xml": urlset([METADATA, "https://example.invalid/a"]).encode(),
        "dump.jsonl": "\n".join(jsonl_line(i) for i in range(5)).encode(),
        "crawl.warc.gz": _warc(1),
        "page.html.gz": gzip.compress(page(2).encode()),
        "dump.jsonl.gz": gzip.compress("\n".join(jsonl_line(i) for i in range(5)).encode()),
    }
    for name, data in bases.items():
        for k in range(6):
            cut = rng.randrange(1, max(len(data) - 1, 2))
            yield Case(f"truncation/{name}@{cut}-{k}", "truncation", {name: data[:cut]})


def bombs(rng: random.Random) -> Iterator[Case]:
    zeros = _gzipped(b"\0", 60_000_000)
    spaces = _gzipped(b" ", 60_000_000)
    newlines = _gzipped(b"\n", 80_000_000)
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
            for i in range(10)
        )
        + "]>"
    )
    quadratic = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + "x" * 20_000 + '">]>'
    external = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    for prefix, label in ((laughs, "laughs"), (quadratic, "quadratic"), (external, "external")):
        refs = "&lol9;" if label == "laughs" else ("&a;" * 5000 if label == "quadratic" else "&e;")
        yield Case(
            f"bombs/{label}-feed",
            "bombs",
            {
                "feed.rss": (
                    prefix + f'<rss version="2.0"><channel><title>{refs}</title></channel></rss>'
                ).encode()
            },
        )
        yield Case(
            f"bombs/{label}-sitemap",
            "bombs",
            {
                "sitemap.xml": (
                    prefix
                    + f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{refs}</loc></url></urlset>'
                ).encode()
            },
        )
        yield Case(
            f"bombs/{label}-xml-page", "bombs", {"page.xml": (prefix + f"<r>{refs}</r>").encode()}
        )
        yield Case(
            f"bombs/{label}-html",
            "bombs",
            {"page.html": (prefix + f"<html><body><p>{refs}</p></body></html>").encode()},
        )
    for name, data in (
        ("zeros.html.gz", zeros), ("spaces.txt.gz", spaces), ("newlines.jsonl.gz", newlines),
        ("zeros.jsonl.gz", zeros), ("nested.html.gz", gzip.compress(zeros)),
        ("zeros.warc.gz", zeros), ("feed.rss.gz", spaces),
    ):  # fmt: skip
        yield Case(f"bombs/{name}", "bombs", {name: data})
    # Whole records around a member of blank lines, which FastWARC would scan to the end.
    blank_member = _warc(3) + newlines + _warc(4)
    yield Case("bombs/blank-member.warc.gz", "bombs", {"crawl.warc.gz": blank_member})
    many_lines = gzip.compress(("\n" * 5000 + jsonl_line(1) + "\n").encode() * 40)
    yield Case("bombs/blank-runs.jsonl.gz", "bombs", {"dump.jsonl.gz": many_lines})
    for k in range(3):
        size = rng.choice([5_000_000, 20_000_000])
        yield Case(
            f"bombs/big-text-{k}", "bombs", {"big.txt": (SENTENCE + " ").encode() * (size // 90)}
        )


def encodings(rng: random.Random) -> Iterator[Case]:
    text = "Café Zürich, Kraków, Москва, 東京: " + SENTENCE
    pairs = [
        ("utf-8", "utf-16"), ("utf-8", "utf-32"), ("utf-8", "shift_jis"), ("cp1252", "utf-8"),
        ("utf-8", "x-no-such-charset"), ("utf-8", "utf-7"), ("utf-16-le", None),
        ("utf-16-be", "utf-8"), ("utf-8-sig", "latin1"), ("cp1251", "koi8-r"),
        ("shift_jis", "euc-kr"), ("utf-8", "utf-16be"), ("gb18030", None), ("utf-32", None),
    ]  # fmt: skip
    for actual, declared in pairs:
        body = text.encode(actual, errors="replace")
        meta = f'<meta charset="{declared}">' if declared else ""
        html = f"<html><head>{meta}</head><body><p>".encode(actual, "replace") + body
        html += (
            b"</p></body></html>"
            if "16" not in actual and "32" not in actual
            else "</p></body></html>".encode(actual.replace("-sig", ""))
        )
        yield Case(f"encodings/{actual}-as-{declared}.html", "encodings", {"page.html": html})
        yield Case(f"encodings/{actual}-as-{declared}.txt", "encodings", {"page.txt": body})
    for k in range(8):
        junk = bytes(rng.randrange(256) for _ in range(rng.choice([16, 300, 5000])))
        bom = rng.choice([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"])
        yield Case(
            f"encodings/random-{k}",
            "encodings",
            {rng.choice(["p.html", "p.txt", "p.bin"]): bom + junk},
        )
    yield Case(
        "encodings/invalid-utf8",
        "encodings",
        {"p.html": b"<p>" + b"\xc3\x28\xa0\xa1\xe2\x28\xa1" * 50 + b"</p>"},
    )
    yield Case(
        "encodings/overlong",
        "encodings",
        {"p.txt": b"\xc0\xaf\xe0\x80\xaf " * 100 + SENTENCE.encode()},
    )


def surrogates(rng: random.Random) -> Iterator[Case]:
    lone = ["\ud800", "\udc80", "\udfff"]
    for name in ("url", "title", "published", "id", "text", "html"):
        for s in lone:
            value: object = f"https://example.org/{s}" if name == "url" else f"x{s}y {SENTENCE}"
            line = jsonl_line(7, **{name: value})
            good = jsonl_line(8)
            yield Case(
                f"surrogates/jsonl-{name}-{ord(s):x}",
                "surrogates",
                {"d.jsonl": f"{line}\n{good}\n".encode()},
            )
    for where in ("title", "link", "description"):
        for ref in ("&#xD800;", "&#56448;"):
            item = {
                "title": rss_item(f"T{ref}", None, SENTENCE),
                "link": rss_item("T", f"https://example.org/{ref}", SENTENCE),
                "description": rss_item("T", None, f"{SENTENCE} {ref}"),
            }[where]
            yield Case(
                f"surrogates/feed-{where}-{ref}", "surrogates", {"feed.rss": rss([item]).encode()}
            )
    for ref in ("&#xD800;", "&#xDFFF;", "&#1114112;"):
        yield Case(
            f"surrogates/html-{ref}",
            "surrogates",
            {"p.html": page(3, f"<p>bad {ref} ref</p>").encode()},
        )
    cesu = b"<p>" + b"\xed\xa0\x80\xed\xb0\x80 " + SENTENCE.encode() + b"</p>"
    yield Case("surrogates/cesu-bytes.html", "surrogates", {"p.html": cesu})
    yield Case(
        "surrogates/cesu-bytes.jsonl",
        "surrogates",
        {"d.jsonl": b'{"text": "' + b"\xed\xa0\x80 " + SENTENCE.encode() + b'"}\n'},
    )


def nuls(rng: random.Random) -> Iterator[Case]:
    html = page(4).encode()
    for k, where in enumerate((0, len(html) // 2, len(html) - 1)):
        yield Case(f"nuls/html-{k}", "nuls", {"p.html": html[:where] + b"\x00" + html[where:]})
        yield Case(
            f"nuls/txt-{k}",
            "nuls",
            {"p.txt": SENTENCE.encode()[: where % 80] + b"\x00" + SENTENCE.encode()},
        )
    for name in ("text", "title", "url", "id", "published", "html"):
        value = "https://exa\u0000mple.org/" if name == "url" else f"a\u0000b {SENTENCE}"
        yield Case(
            f"nuls/jsonl-{name}",
            "nuls",
            {"d.jsonl": (jsonl_line(9, **{name: value}) + "\n").encode()},
        )
    yield Case(
        "nuls/feed",
        "nuls",
        {"feed.rss": rss([rss_item("T\x00", None, f"{SENTENCE}\x00")]).encode()},
    )
    yield Case("nuls/many", "nuls", {"p.html": b"\x00" * 5000 + html})
    yield Case(
        "nuls/every-other", "nuls", {"p.txt": b"\x00".join(bytes([c]) for c in SENTENCE.encode())}
    )
    yield Case(
        "nuls/sitemap",
        "nuls",
        {"sitemap.xml": urlset([f"https://example.invalid/\x00{k}" for k in range(3)]).encode()},
    )
    for k in range(4):
        data = bytearray(page(40 + k).encode())
        for _ in range(rng.randrange(1, 40)):
            data[rng.randrange(len(data))] = 0
        yield Case(f"nuls/random-{k}", "nuls", {"p.html": bytes(data)})


def nesting(rng: random.Random) -> Iterator[Case]:
    for depth in (100, 255, 256, 300, 1000, 5000, 30000):
        inner = "<div>" * depth + f"<p>{SENTENCE}</p>" + "</div>" * depth
        yield Case(
            f"nesting/divs-{depth}",
            "nesting",
            {"p.html": f"<html><body>{inner}</body></html>".encode()},
        )
        unclosed = "<span>" * depth + SENTENCE
        yield Case(
            f"nesting/unclosed-{depth}",
            "nesting",
            {"p.html": f"<html><body>{unclosed}</body></html>".encode()},
        )
    for depth in (100, 1000, 5000, 100_000):
        deep = '{"text": ' + "[" * depth + "]" * depth + "}"
        yield Case(
            f"nesting/json-{depth}", "nesting", {"d.jsonl": f"{deep}\n{jsonl_line(1)}\n".encode()}
        )
        objects = '{"a":' * depth + "1" + "}" * depth
        yield Case(
            f"nesting/json-objects-{depth}",
            "nesting",
            {"d.jsonl": f"{objects}\n{jsonl_line(2)}\n".encode()},
        )
    for depth in (300, 3000):
        xml = "<x>" * depth + "</x>" * depth
        yield Case(
            f"nesting/feed-{depth}",
            "nesting",
            {
                "feed.rss": rss([rss_item("T", None, SENTENCE)])
                .replace("<channel>", f"<channel>{xml}")
                .encode()
            },
        )
        yield Case(
            f"nesting/sitemap-{depth}",
            "nesting",
            {"sitemap.xml": urlset([]).replace("</urlset>", f"{xml}</urlset>").encode()},
        )


def attributes(rng: random.Random) -> Iterator[Case]:
    for count in (50, 200, 500, 1000):
        attrs = " ".join(f'a{i}="v{i}"' for i in range(count))
        yield Case(
            f"attributes/many-{count}",
            "attributes",
            {"p.html": page(5, f"<div {attrs}>x</div>").encode()},
        )
        same = " ".join('class="x"' for _ in range(count))
        yield Case(
            f"attributes/duplicate-{count}",
            "attributes",
            {"p.html": page(6, f"<p {same}>y</p>").encode()},
        )
    for size in (100_000, 1_000_000):
        yield Case(
            f"attributes/long-value-{size}",
            "attributes",
            {"p.html": page(7, f'<a href="{"h" * size}">z</a>').encode()},
        )
        yield Case(
            f"attributes/unclosed-quote-{size}",
            "attributes",
            {"p.html": page(8, f'<a title="{"q" * size}>z</a>').encode()},
        )
    yield Case(
        "attributes/no-values",
        "attributes",
        {"p.html": page(9, "<p " + " ".join(f"b{i}" for i in range(200)) + ">w</p>").encode()},
    )
    yield Case(
        "attributes/many-elements", "attributes", {"p.html": page(10, "<i></i>" * 100_000).encode()}
    )
    for k in range(4):
        names = " ".join(
            f'{"".join(rng.choice("abcxyz:-_") for _ in range(8))}="{rng.random()}"'
            for _ in range(300)
        )
        yield Case(
            f"attributes/random-names-{k}",
            "attributes",
            {"p.html": page(11 + k, f"<p {names}>r</p>").encode()},
        )


def jsonl_types(rng: random.Random) -> Iterator[Case]:
    values: list[object] = [[1, 2], {"a": 1}, 1.5, True, None, 10**30, "", -1]
    for name in ("id", "url", "html", "text", "title", "published"):
        for value in values:
            line = json.dumps({"id": 3, "text": SENTENCE, name: value})
            yield Case(
                f"jsonl_types/{name}={json.dumps(value)}",
                "jsonl_types",
                {"d.jsonl": f"{line}\n{jsonl_line(4)}\n".encode()},
            )
    for bad in (
        "[]",
        "1",
        '"text"',
        "null",
        "true",
        "{",
        '{"text": "a"',
        "{'text': 'a'}",
        "\ufeff" + jsonl_line(5),
        "NaN",
        '{"text": NaN}',
        '{"text": "' + "9" * 5000 + '", "id": ' + "9" * 5000 + "}",
    ):
        yield Case(
            f"jsonl_types/line-{bad[:12]!r}",
            "jsonl_types",
            {"d.jsonl": f"{bad}\n{jsonl_line(6)}\n".encode()},
        )
    yield Case(
        "jsonl_types/crlf",
        "jsonl_types",
        {"d.jsonl": (jsonl_line(1) + "\r\n" + jsonl_line(2) + "\r\n").encode()},
    )
    yield Case(
        "jsonl_types/huge-line",
        "jsonl_types",
        {"d.jsonl": ('{"text": "' + "x" * 3_000_000 + '"}\n' + jsonl_line(3) + "\n").encode()},
    )
    yield Case("jsonl_types/only-blank", "jsonl_types", {"d.jsonl": b"\n\n   \n"})
    yield Case(
        "jsonl_types/binary",
        "jsonl_types",
        {"d.jsonl": bytes(rng.randrange(256) for _ in range(2000))},
    )


def feeds(rng: random.Random) -> Iterator[Case]:
    links = [
        "javascript:alert(1)", "data:text/html,<p>x</p>", "/relative/path", "http://[::1",
        METADATA, "{other}/private", "file:///etc/passwd", "ftp://example.org/x",
        "http://2130706433/", "http://[::ffff:127.0.0.1]/", "http://[2002:7f00:1::1]/",
        "http://0x7f.1/", "https://example.org:99999/", "http://user:pw@127.0.0.1/",
    ]  # fmt: skip
    for k, link in enumerate(links):
        yield Case(
            f"feeds/link-{k}",
            "feeds",
            {"feed.rss": rss([rss_item("T", link, f"{SENTENCE} {k}")]).encode()},
        )
    yield Case(
        "feeds/plain-descriptions",
        "feeds",
        {
            "feed.rss": rss(
                [rss_item(f"T{i}", None, f"{SENTENCE} Entry {i}.") for i in range(20)]
            ).encode()
        },
    )
    yield Case("feeds/empty-items", "feeds", {"feed.rss": rss(["<item></item>"] * 5).encode()})
    yield Case("feeds/no-items", "feeds", {"feed.rss": rss([]).encode()})
    yield Case("feeds/html-named-rss", "feeds", {"feed.rss": page(12).encode()})
    yield Case(
        "feeds/atom-text",
        "feeds",
        {
            "feed.atom": (
                '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
                f'<entry><title>E</title><content type="text">{SENTENCE} &lt;b&gt;</content>'
                "</entry></feed>"
            ).encode()
        },
    )
    yield Case(
        "feeds/many-items",
        "feeds",
        {"feed.rss": rss([rss_item(f"T{i}", None, f"{SENTENCE} {i}") for i in range(30)]).encode()},
    )
    yield Case(
        "feeds/bad-dates",
        "feeds",
        {
            "feed.rss": rss(
                [
                    f"<item><title>T</title><pubDate>{d}</pubDate><description>{SENTENCE}</description></item>"
                    for d in ("32 Foo 99999", "-1", "", "Mon, 99 Jan 2024")
                ]
            ).encode()
        },
    )
    yield Case(
        "feeds/cdata-junk",
        "feeds",
        {
            "feed.rss": rss(
                [rss_item("T", None, "<![CDATA[<script>alert(1)</script>" + SENTENCE + "]]>")]
            ).encode()
        },
    )
    for k in range(6):
        body = bytearray(
            rss([rss_item(f"T{i}", None, f"{SENTENCE} {i}") for i in range(6)]).encode()
        )
        for _ in range(rng.randrange(1, 20)):
            body[rng.randrange(len(body))] = rng.choice(b"<>&\"'\x00\xff")
        yield Case(f"feeds/mutated-{k}", "feeds", {"feed.rss": bytes(body)})


def sitemaps(rng: random.Random) -> Iterator[Case]:
    yield Case("sitemaps/empty-urlset", "sitemaps", {"sitemap.xml": urlset([]).encode()})
    yield Case(
        "sitemaps/non-http-locs",
        "sitemaps",
        {"sitemap.xml": urlset(["ftp://x/a", "javascript:1", ""]).encode()},
    )
    yield Case(
        "sitemaps/private-locs",
        "sitemaps",
        {
            "sitemap.xml": urlset(
                [METADATA, "{other}/p", "http://10.0.0.1/", "http://[::1]/"]
            ).encode()
        },
    )
    yield Case(
        "sitemaps/malformed-locs",
        "sitemaps",
        {"sitemap.xml": urlset(["http://[::1", "https://example.org:99999/"]).encode()},
    )
    index = '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</sitemapindex>'
    yield Case(
        "sitemaps/index-to-private",
        "sitemaps",
        {
            "sitemap.xml": index.format(
                f"<sitemap><loc>{METADATA}</loc></sitemap><sitemap><loc>{{other}}/s.xml</loc></sitemap>"
            ).encode()
        },
    )
    yield Case("sitemaps/index-empty", "sitemaps", {"sitemap.xml": index.format("").encode()})
    yield Case(
        "sitemaps/gz-truncated",
        "sitemaps",
        {"sitemap.xml.gz": gzip.compress(urlset([METADATA] * 50).encode())[:-30]},
    )
    yield Case(
        "sitemaps/wrong-root",
        "sitemaps",
        {"sitemap.xml": b'<?xml version="1.0"?><urlsetx><url><loc>http://a/</loc></url></urlsetx>'},
    )
    yield Case(
        "sitemaps/many-urls",
        "sitemaps",
        {"sitemap.xml": urlset([f"http://10.{i % 250}.0.1/{i}" for i in range(3000)]).encode()},
    )
    yield Case(
        "sitemaps/news-junk",
        "sitemaps",
        {
            "sitemap.xml": urlset([METADATA])
            .replace(
                "</loc>",
                "</loc><news:news xmlns:news='x'><news:title>&#xD800;</news:title></news:news>",
            )
            .encode()
        },
    )
    for k in range(5):
        body = bytearray(urlset([f"https://example.invalid/{i}" for i in range(5)]).encode())
        for _ in range(rng.randrange(1, 10)):
            body[rng.randrange(len(body))] = rng.choice(b"<>&\x00/")
        yield Case(f"sitemaps/mutated-{k}", "sitemaps", {"sitemap.xml": bytes(body)})


def warc(rng: random.Random) -> Iterator[Case]:
    good = mixed_archive(4, gzipped=False, start=500).data
    header_end = good.index(b"\r\n\r\n")
    yield Case("warc/not-a-warc", "warc", {"c.warc": b"this is not a warc file\r\n" * 50})
    yield Case(
        "warc/random-gz",
        "warc",
        {"c.warc.gz": gzip.compress(bytes(rng.randrange(256) for _ in range(4000)))},
    )
    for label, value in (
        ("huge", b"99999999999"),
        ("negative", b"-5"),
        ("text", b"ten"),
        ("empty", b""),
    ):
        broken = good.replace(b"Content-Length: ", b"Content-Length: " + value + b"\r\nX-Old: ", 1)
        yield Case(f"warc/content-length-{label}", "warc", {"c.warc": broken})
    yield Case("warc/no-type", "warc", {"c.warc": good.replace(b"WARC-Type: ", b"X-Type: ")})
    yield Case(
        "warc/arc",
        "warc",
        {"c.arc": b"filedesc://x.arc 0.0.0.0 20240101000000 text/plain 70\n1 0 Alexa\n\n"},
    )
    yield Case("warc/header-only", "warc", {"c.warc": good[: header_end + 4]})
    big_header = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html"), ("X-Big", "h" * 40_000)], protocol="HTTP/1.1"
    )
    yield Case(
        "warc/huge-http-header",
        "warc",
        {
            "c.warc.gz": single_record(
                "https://example.org/big", big_header, page(13).encode(), gzipped=True
            )
        },
    )
    bad_http = StatusAndHeaders("999 Nope", [("Content-Type", "image/png")], protocol="HTTP/9")
    yield Case(
        "warc/odd-http",
        "warc",
        {
            "c.warc.gz": single_record(
                "https://example.org/odd", bad_http, b"\x89PNG" + b"\x00" * 500, gzipped=True
            )
        },
    )
    surrogate_url = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-16")], protocol="HTTP/1.1"
    )
    yield Case(
        "warc/declared-utf16",
        "warc",
        {
            "c.warc.gz": single_record(
                "https://example.org/u16", surrogate_url, page(14).encode(), gzipped=True
            )
        },
    )
    for k in range(6):
        data = bytearray(_warc(20 + k))
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        yield Case(f"warc/mutated-{k}", "warc", {"c.warc.gz": bytes(data)})


def http(rng: random.Random) -> Iterator[Case]:
    def one(name: str, reply: Reply, **more: Reply) -> Case:
        return Case(
            f"http/{name}", "http", routes={"/": reply, **{f"/{k}": v for k, v in more.items()}}
        )

    body = page(15).encode()
    html_type = {"Content-Type": "text/html; charset=utf-8"}
    yield one("short-body", Reply(body=body, headers=html_type, content_length=len(body) + 500))
    yield one("long-body", Reply(body=body, headers=html_type, content_length=10))
    yield one("no-length", Reply(body=body, headers=html_type, content_length=False))
    yield one("drip", Reply(body=body * 3, headers=html_type, byte_delay=0.01))
    yield one("slow-start", Reply(body=body, headers=html_type, delay=2.5))
    yield one("redirect-loop", Reply(status=302, headers={"Location": "{self}/"}))
    yield one(
        "redirect-chain",
        Reply(status=302, headers={"Location": "r1"}),
        **{f"r{i}": Reply(status=302, headers={"Location": f"r{i + 1}"}) for i in range(1, 12)},
    )
    yield one("redirect-other-host", Reply(status=302, headers={"Location": "{other}/x"}))
    yield one("redirect-metadata", Reply(status=301, headers={"Location": METADATA}))
    yield one(
        "redirect-6to4", Reply(status=307, headers={"Location": "http://[2002:a9fe:a9fe::1]/"})
    )
    yield one("redirect-file", Reply(status=302, headers={"Location": "file:///etc/passwd"}))
    yield one("redirect-garbage", Reply(status=302, headers={"Location": "http://[::1"}))
    yield one(
        "gzip-bomb",
        Reply(
            body=gzip.compress(b"\0" * 50_000_000),
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        ),
    )
    yield one(
        "bad-gzip",
        Reply(
            body=b"\x1f\x8b\x08\x00garbage" * 20,
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        ),
    )
    yield one(
        "brotli",
        Reply(
            body=b"\x8b\x02\x80junk",
            headers={"Content-Type": "text/html", "Content-Encoding": "br"},
        ),
    )
    for status in (500, 404, 429, 204):
        yield one(f"status-{status}", Reply(status=status, body=body, headers=html_type))
    yield one(
        "png-as-html",
        Reply(
            body=b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(3000)),
            headers=html_type,
        ),
    )
    yield one(
        "xml-as-html",
        Reply(
            body=b'<?xml version="1.0"?><soap:Envelope xmlns:soap="x">'
            b"<soap:Body>fault</soap:Body></soap:Envelope>",
            headers=html_type,
        ),
    )
    yield one(
        "xml-bomb-as-xml",
        Reply(
            body=b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l "lol">]><l>&l;&l;</l>',
            headers={"Content-Type": "application/xml"},
        ),
    )
    yield one("empty-200", Reply(body=b"", headers=html_type))
    yield one(
        "chunked-junk",
        Reply(chunks=[b"<html><body><p>", SENTENCE.encode(), b"\x00\xff" * 100], headers=html_type),
    )
    feed_items = [
        rss_item("Own", "{self}/own", f"{SENTENCE} own"),
        rss_item("Other", "{other}/o", f"{SENTENCE} other"),
        rss_item("Meta", METADATA, f"{SENTENCE} meta"),
    ]
    yield one(
        "feed-links-everywhere",
        Reply(body=rss(feed_items).encode(), headers={"Content-Type": "application/rss+xml"}),
        own=Reply(body=page(16).encode(), headers=html_type),
    )
    yield one(
        "sitemap-to-private",
        Reply(
            body=urlset([METADATA, "{other}/p", "{self}/own"]).encode(),
            headers={"Content-Type": "application/xml"},
        ),
        own=Reply(body=page(17).encode(), headers=html_type),
    )
    yield one(
        "utf8-declared-utf16",
        Reply(
            body=page(18).replace("<head>", '<head><meta charset="utf-16">').encode(),
            headers={"Content-Type": "text/html; charset=utf-16"},
        ),
    )
    yield one("huge-declared-length", Reply(body=body, headers=html_type, content_length=10**12))


CATEGORIES: dict[str, Callable[[random.Random], Iterator[Case]]] = {
    "truncation": truncation,
    "bombs": bombs,
    "encodings": encodings,
    "surrogates": surrogates,
    "nuls": nuls,
    "nesting": nesting,
    "attributes": attributes,
    "jsonl_types": jsonl_types,
    "feeds": feeds,
    "sitemaps": sitemaps,
    "warc": warc,
    "http": http,
}


def generate(seed: int = 16) -> list[Case]:
    """Every case, in category order; the same seed gives the same bytes."""
    rng = random.Random(seed)
    return [case for make in CATEGORIES.values() for case in make(rng)]
