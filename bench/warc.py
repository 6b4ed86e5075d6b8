"""WARC throughput: wirewatch's archive reader + extraction against warcio + trafilatura.

Builds two per-record-gzipped WARC files from the WCXB pages (each page a 200 text/html
response, repeated under new URLs up to ``--pages`` in all, with a request record before each
page and an image, a redirect and a 404 after every fifth), unless ``--warc`` paths are given.
Each measurement runs in its own process, so its peak memory (ru_maxrss, with its worker
processes' peak) is its own:

- baseline: warcio's ArchiveIterator and ``trafilatura.extract`` on each 2xx HTML response;
  and the like-for-like baseline, the same loop with ``bare_extraction(with_metadata=True)``
  (title, author, dates through htmldate: what wirewatch extracts too);
- ``wirewatch --jobs 1`` and ``--jobs 2``: ``ingest_archives`` with ``stages="extract"``
  (FastWARC reader, decoding, trafilatura, the residual cleaner) into a fresh store.

Two more rows time reading alone (2xx HTML payloads out, nothing extracted): warcio against
wirewatch's reader. Documents per second count HTML pages (wall clock); each ratio is
ours/baseline from the same run; documents per CPU second (the process and its workers,
imports included) show the work done whatever else the machine runs. wirewatch's extraction
does more than ``trafilatura.extract`` (metadata and dates through htmldate, decoding, the
residual cleaner) and stores into SQLite, so its rows measure the whole of what
``ingest --stages extract`` does; each process also pays dateparser's one-off warm-up, which a
short run does not amortise.

    python bench/warc.py [--data ../shared/eval/wcxb-articles-dev] [--pages 1000] [--warc A B]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/eval/wcxb-articles-dev"


def build(data: Path, pages: int, out: Path, start: int = 0) -> list[Path]:
    """Two WARC.gz files holding ``pages`` HTML responses in all, other records mixed in; the
    pages from the ``start``-th of the set on."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    htmls = [gzip.decompress(p.read_bytes()) for p in sorted((data / "html").glob("*.html.gz"))]
    paths = [out / "bench-a.warc.gz", out / "bench-b.warc.gz"]
    handles = [path.open("wb") for path in paths]
    writers = [WARCWriter(handle, gzip=True) for handle in handles]

    def write(writer: WARCWriter, url: str, kind: str, http: StatusAndHeaders, body: bytes) -> None:
        record = writer.create_warc_record(url, kind, payload=io.BytesIO(body), http_headers=http)
        writer.write_record(record)

    for n in range(pages):
        writer = writers[n % 2]
        url = f"https://bench.example/{n}"
        request = StatusAndHeaders(f"GET /{n} HTTP/1.1", [("Host", "bench.example")],
                                   is_http_request=True)  # fmt: skip
        write(writer, url, "request", request, b"")
        ok = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                              protocol="HTTP/1.1")  # fmt: skip
        write(writer, url, "response", ok, htmls[(start + n) % len(htmls)])
        if n % 5 == 0:
            image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            write(writer, url + ".png", "response", image, b"\x89PNG" + bytes(2000))
            moved = StatusAndHeaders("301 Moved Permanently", [("Location", url + "/")],
                                     protocol="HTTP/1.1")  # fmt: skip
            write(writer, url + "/old", "response", moved, b"")
            gone = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")],
                                    protocol="HTTP/1.1")  # fmt: skip
            write(writer, url + "/gone", "response", gone, b"<p>not here</p>")
    for handle in handles:
        handle.close()
    return paths


def baseline(paths: list[str], *, with_metadata: bool = False) -> int:
    """warcio + trafilatura: the loop people write first (``extract``), or the same loop with
    the metadata wirewatch also extracts (``bare_extraction(with_metadata=True)``: title,
    author, dates through htmldate), the like-for-like baseline."""
    import trafilatura
    from warcio.archiveiterator import ArchiveIterator

    documents = 0
    for path in paths:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode() or ""
                media = record.http_headers.get_header("Content-Type") or ""
                if not status.startswith("2") or "html" not in media:
                    continue
                page = record.content_stream().read().decode("utf-8", "replace")
                if with_metadata:
                    trafilatura.bare_extraction(page, url=record.rec_headers.get_header(
                        "WARC-Target-URI"), with_metadata=True)  # fmt: skip
                else:
                    trafilatura.extract(page)
                documents += 1
    return documents


def read_warcio(paths: list[str]) -> int:
    """warcio alone: the 2xx HTML payloads read, nothing extracted."""
    from warcio.archiveiterator import ArchiveIterator

    documents = 0
    for path in paths:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode() or ""
                media = record.http_headers.get_header("Content-Type") or ""
                if status.startswith("2") and "html" in media:
                    record.content_stream().read()
                    documents += 1
    return documents


def read_ours(paths: list[str]) -> int:
    """wirewatch's reader alone (FastWARC and the completeness checks): pages made."""
    from wirewatch.collect.warc import iter_warc
    from wirewatch.model import RawDocument
    from wirewatch.settings import Settings

    settings = Settings()
    return sum(
        isinstance(item, RawDocument) for path in paths for item in iter_warc(Path(path), settings)
    )


def ours(paths: list[str], jobs: int) -> int:
    from wirewatch.run.archives import ingest_archives
    from wirewatch.settings import Settings
    from wirewatch.store import Store

    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "b.db") as store:
        run = ingest_archives(paths, store, Settings(), stages="extract", jobs=jobs)
    return run.summary.added + run.summary.duplicates + len(run.summary.failures)


def measure(name: str, paths: list[str]) -> None:
    """One measurement in this process; prints its JSON line. Imports are not timed."""
    import trafilatura  # noqa: F401
    import warcio.archiveiterator  # noqa: F401

    import wirewatch.collect.warc
    import wirewatch.run.archives  # noqa: F401

    started = time.perf_counter()
    runs = {
        "read_warcio": lambda: read_warcio(paths),
        "read_ours": lambda: read_ours(paths),
        "baseline": lambda: baseline(paths),
        "baseline_meta": lambda: baseline(paths, with_metadata=True),
        "jobs1": lambda: ours(paths, 1),
        "jobs2": lambda: ours(paths, 2),
    }
    documents = runs[name]()
    seconds = time.perf_counter() - started
    usages = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    peak = max(usage.ru_maxrss for usage in usages)
    cpu = sum(usage.ru_utime + usage.ru_stime for usage in usages)
    print(json.dumps({"documents": documents, "seconds": seconds, "peak_kib": peak, "cpu": cpu}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--warc", nargs="+", help="WARC files to read instead of building them")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.warc)
        return
    with tempfile.TemporaryDirectory() as folder:
        paths = [str(p) for p in (args.warc or build(args.data, args.pages, Path(folder)))]
        results = {}
        for name in ("read_warcio", "read_ours", "baseline", "baseline_meta", "jobs1", "jobs2"):
            output = subprocess.run(
                [sys.executable, __file__, "--measure", name, "--warc", *paths],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            results[name] = json.loads(output.strip().splitlines()[-1])
    bases = {
        name: results[base]["documents"] / results[base]["seconds"]
        for name, base in (("read_warcio", "read_warcio"), ("read_ours", "read_warcio"),
                           ("baseline", "baseline"), ("baseline_meta", "baseline"),
                           ("jobs1", "baseline"), ("jobs2", "baseline"))
    }  # fmt: skip
    print(
        f"{'run':<34} {'docs':>6} {'seconds':>8} {'docs/s':>8} {'ratio':>6} "
        f"{'docs/CPU s':>10} {'peak MiB':>9}"
    )
    labels = {
        "read_warcio": "read only: warcio (baseline)",
        "read_ours": "read only: wirewatch (FastWARC)",
        "baseline": "warcio + trafilatura (baseline)",
        "baseline_meta": "warcio + trafilatura + metadata",
        "jobs1": "wirewatch ingest --jobs 1",
        "jobs2": "wirewatch ingest --jobs 2",
    }
    for name, result in results.items():
        rate = result["documents"] / result["seconds"]
        print(
            f"{labels[name]:<34} {result['documents']:>6} {result['seconds']:>8.1f} "
            f"{rate:>8.1f} {rate / bases[name]:>6.2f} {result['documents'] / result['cpu']:>10.1f} "
            f"{result['peak_kib'] / 1024:>9.0f}"
        )
    like = results["baseline_meta"]["documents"] / results["baseline_meta"]["seconds"]
    for name in ("jobs1", "jobs2"):
        rate = results[name]["documents"] / results[name]["seconds"]
        print(f"{labels[name]} against the like-for-like baseline (with metadata): "
              f"{rate / like:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
